"""What the site publishes as Q&A pages, against whole days an editor labelled (tests/data/pages.jsonl).

Each labelled day was read whole; an editor's page is a message that asks (or opens a
discussion), its asker's restatements (`also`) and the messages that answer it. A published
page is a thread the site gives a Q&A page (thread.page); its main question is the first QA
it shows. Borderline editor pages are left out of both sides.

- page precision: published pages whose main question is an editor's page (line or also);
- page recall: editor pages that some published page shows as a question (any section);
- repeats: published pages whose main question belongs to an editor page another published
  page already shows (--misses lists them too);
- answer links, on the editor pages found: precision of the answers a page lists, recall of the
  editor's answers, the first answer listed answering, and pages saying 没有得到回答 when the
  editor found an answer.

Run: python bench/eval_pages.py [ARCHIVE] [--split held|dev|all] [--misses]
(default ../shared/corpus, held: the days kept aside and never tuned on).
"""
from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "pages.jsonl"
DAYS = ROOT / "tests" / "data" / "pages_days.tsv"


def labelled_days(split: str) -> dict[str, str]:
    """source -> split ("dev" or "held") of each labelled day, days with no page included."""
    days = {}
    for line in DAYS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("source"):
            source, which = line.split("\t")[:2]
            if split in ("all", which):
                days[source] = which
    return days


def editor_pages(days: dict[str, str]) -> list[dict]:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if r["source"] in days]


def published(archive: Path, days: dict[str, str]) -> dict[str, list]:
    """source -> the threads of that day, analysed as a build analyses them."""
    from chatmine.analyse.archives import analyse_archives

    with tempfile.TemporaryDirectory() as tmp:  # the days alone, in their group folders
        for source in days:
            (Path(tmp) / source).parent.mkdir(exist_ok=True)
            (Path(tmp) / source).symlink_to((archive / source).resolve())
        result = analyse_archives([Path(tmp)])
    by_source = defaultdict(list)
    for thread in result.threads:
        by_source[thread.log.source].append(thread)
    return by_source


def shown(thread) -> list:
    """The QAs a thread's page shows, in order (none when it gets no page)."""
    try:
        from chatmine.analyse.worth import published
    except ImportError:  # chatmine before the page model (commit 4add486): every QA had a page
        return thread.qa
    return published(thread).qa


def evaluate(archive: Path, split: str = "held", misses: bool = False) -> dict[str, float]:
    days = labelled_days(split)
    return score(days, published(archive, days), misses)


def score(days: dict[str, str], threads: dict[str, list], misses: bool = False) -> dict[str, float]:
    """The figures of the module docstring for `threads` (source -> the day's analysed threads)."""
    pages = editor_pages(days)
    owner: dict[tuple[str, int], dict] = {}
    for page in pages:
        for line in [page["line"], *page.get("also", [])]:
            owner[(page["source"], line)] = page
    tp = fp = 0
    repeats = 0
    found: dict[int, object] = {}
    wrong = []
    repeated = []
    wrong_first = []
    for source, day_threads in sorted(threads.items()):
        seen_here: set[int] = set()
        for thread in day_threads:
            qas = shown(thread)
            if not qas:
                continue
            for i, qa in enumerate(qas):
                page = owner.get((source, qa.question.line))
                if page is not None and not page["borderline"] and id(page) not in found:
                    found[id(page)] = qa
                if i:
                    continue
                if page is None:
                    fp += 1
                    wrong.append((source, qa.question.line, thread.title))
                elif not page["borderline"]:
                    tp += 1
                    if id(page) in seen_here:
                        repeats += 1
                        repeated.append((source, qa.question.line, page["line"]))
                if page is not None:
                    seen_here.add(id(page))
            for qa in qas[1:]:
                page = owner.get((source, qa.question.line))
                if page is not None:
                    seen_here.add(id(page))
    real = [p for p in pages if not p["borderline"]]
    listed = right = wanted = got = first = with_first = silent = 0
    for page in real:
        qa = found.get(id(page))
        if qa is None:
            continue
        answers = set(page["answers"]) - set(page.get("also", []))
        lines = [a.line for a in qa.answers]
        listed += len(lines)
        right += sum(line in answers for line in lines)
        wanted += len(answers)
        got += len(answers & set(lines))
        if lines:
            with_first += 1
            first += lines[0] in answers
            if lines[0] not in answers:
                wrong_first.append((page, qa.answers[0]))
        elif answers:
            silent += 1
    if misses:
        for source, line, title in wrong:
            print(f"not a page: {source}:{line} {title}")
        for source, line, page_line in repeated:
            print(f"repeat: {source}:{line} of the editor page at {page_line}")
        for page, reply in wrong_first:
            text = " ".join(reply.text.split())[:40]
            print(f"first answer: {page['source']}:{page['line']} shows {reply.line} {text}")
        for page in real:
            if id(page) not in found:
                print(f"missed: {page['source']}:{page['line']} {page['title']}")
    return {
        "days": len(days),
        "editor pages": len(real),
        "published (borderline aside)": tp + fp,
        "page precision": round(tp / max(1, tp + fp), 3),
        "page recall": round(len(found) / max(1, len(real)), 3),
        "repeats": round(repeats / max(1, tp + fp), 3),
        "answer precision": round(right / max(1, listed), 3),
        "answer recall": round(got / max(1, wanted), 3),
        "first answer answers": round(first / max(1, with_first), 3),
        "says unanswered, editor found an answer": silent,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--split", choices=("held", "dev", "all"), default="held")
    parser.add_argument("--misses", action="store_true", help="list pages published wrongly and pages missed")
    args = parser.parse_args()
    for key, value in evaluate(args.archive, args.split, args.misses).items():
        print(f"{key:45} {value}")


if __name__ == "__main__":
    main()
