"""Do Q&A page titles state what is asked? chatmine's titles against the titles an editor wrote
for whole labelled days (tests/data/pages.jsonl, at most 30 characters, stating what is asked).

The pages compared: each editor page (borderline ones left out) that is the main question of a
page chatmine publishes (the first QA the page shows is the editor page's line or a restatement
of it, as bench/eval_pages.py matches them); the page's title is chatmine's thread title.

- editor words: the share of the editor title's content bigrams (pairs of Han characters, Latin
  words and numbers; question words like 什么/怎么 left out) found in chatmine's title, averaged
  over the pages: does the title name what the editor says the page is about;
- holds the ask: the share of titles holding the asking clause of the question (the first clause
  of the asker's messages, line then also, that ends in ？ or 吗/呢 or holds a question word), two
  thirds of its bigrams at least: a title cut before the ask, or another message's words, fails;
- opens on filler: titles opening on a mention, a request, a greeting, an address or a connective
  (请教, 各位, 嗯, 但是 ...), which say nothing of the question;
- points back: short titles opening on 这/那 ("这个怎么弄"), which a reader cannot place;
- cut: titles ending in … (cut at the length limit).

Run: python bench/eval_titles.py [ARCHIVE] [--split dev|held|both] [--worst N]
(default ../shared/corpus, both splits; --worst lists the N pages with the fewest editor words).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from eval_pages import editor_pages, labelled_days, published, shown

HAN = re.compile(r"[\u4e00-\u9fff]+")
LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+]*")
ASKING_WORDS = {"什么", "怎么", "如何", "是否", "有没", "没有", "哪些", "哪个", "可以", "能否", "是不", "不是",
                "一下", "请问", "请教", "为什么", "么样", "多少", "有什", "有哪", "需要", "这个", "那个", "一个"}
"""Bigrams that ask or point rather than name a subject: left out of the editor's words."""
CLAUSE = re.compile(r"[^，,。！!？?；;\n]+[，,。！!？?；;]*")
ASKS = re.compile(r"[？?]|[吗呢嘛么][~～。.！!\s]*$|怎么|怎样|如何|什么|哪|是否|有没有|能否|可否|为什么|为啥|多少|啥|谁")
FILLER = re.compile(
    r"^(?:@|请教|请问|咨询|求助|问一?下|问个|想问|各位|大家|诸位|大神|大佬|老师|群里|亲们|嗯|哦|噢|哈|额|呃|"
    r"[Hh]i|[Hh]ello|你好|早上好|谢谢|多谢|感谢|对了|另外|但是|不过|所以|然后|其实|话说|而且|还有|那么|是的)"
)
POINTS_BACK = re.compile(r"^(?:这|那|此|它|上面|刚才|以上)")


def bigrams(text: str) -> set[str]:
    """Content units of a text: Han character pairs (a lone Han character is its own unit) and
    Latin words or numbers, lower case."""
    units = {w.lower() for w in LATIN.findall(text)}
    for run in HAN.findall(text):
        units.update(run[i:i + 2] for i in range(max(1, len(run) - 1)))
    return units


def asking_clause(texts: list[str]) -> str:
    """The first clause of the asker's messages that asks ("" when none does)."""
    from chatmine.analyse.questions import question_text

    for text in texts:
        for clause in CLAUSE.findall(question_text(text)):
            if ASKS.search(clause.strip()) and bigrams(clause):
                return clause.strip()
    return ""


def compared(archive: Path, split: str) -> list[dict]:
    """Each editor page published as a page's main question, with chatmine's title."""
    days = labelled_days(split)
    pages = [p for p in editor_pages(days) if not p["borderline"]]
    owner = {(p["source"], line): p for p in pages for line in [p["line"], *p.get("also", [])]}
    rows, seen = [], set()
    for source, threads in sorted(published(archive, days).items()):
        for thread in threads:
            qas = shown(thread)
            page = owner.get((source, qas[0].question.line)) if qas else None
            if page is None or id(page) in seen:
                continue
            seen.add(id(page))
            by_line = {m.line: m.text for m in thread.log.messages}
            rows.append({"page": page, "title": thread.title,
                         "ask": asking_clause([by_line[n] for n in [page["line"], *page.get("also", [])] if n in by_line])})
    return rows


def scores(rows: list[dict]) -> dict[str, float]:
    words, asks, with_ask = [], 0, 0
    for row in rows:
        wanted = bigrams(row["page"]["title"]) - ASKING_WORDS
        row["words"] = len(wanted & bigrams(row["title"])) / len(wanted) if wanted else 1.0
        words.append(row["words"])
        if row["ask"]:
            with_ask += 1
            ask = bigrams(row["ask"])
            asks += len(ask & bigrams(row["title"])) >= 2 / 3 * len(ask)
    n = max(1, len(rows))
    return {
        "pages compared": len(rows),
        "editor words in title": round(sum(words) / n, 3),
        f"holds the ask (of {with_ask} asking)": round(asks / max(1, with_ask), 3),
        "opens on filler": sum(bool(FILLER.match(r["title"])) for r in rows),
        "points back (<= 15 chars, 这/那)": sum(bool(POINTS_BACK.match(r["title"])) and len(r["title"]) <= 15 for r in rows),
        "cut (…)": sum(r["title"].endswith("…") for r in rows),
        "empty": sum(not r["title"].strip() for r in rows),
        "mean length": round(sum(len(r["title"]) for r in rows) / n, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--split", choices=("dev", "held", "both"), default="both")
    parser.add_argument("--worst", type=int, default=0, help="list the N titles with the fewest editor words")
    args = parser.parse_args()
    for split in ("dev", "held") if args.split == "both" else (args.split,):
        rows = compared(args.archive, split)
        print(f"== {split}")
        for key, value in scores(rows).items():
            print(f"{key:40} {value}")
        for row in sorted(rows, key=lambda r: (r["words"], r["page"]["source"], r["page"]["line"]))[:args.worst]:
            page = row["page"]
            print(f"{row['words']:.2f} {page['source']}:{page['line']}\n     ours:   {row['title']}\n"
                  f"     editor: {page['title']}\n     ask:    {row['ask']}")


if __name__ == "__main__":
    main()
