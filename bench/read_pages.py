"""Q&A pages drawn at random, each beside its day log, for a reader to judge as an editor would.

Writes one text file per page into OUT: what the page shows (title, question, the answers it
lists in order, how many replies it folds) and the day log's header lines from a few messages
before the question to a few after its last reply, with the log's own line numbers, so a reader
can check the page against the conversation. The questions a reader answers for each page are
in QUESTIONS (the same as docs/quality.md reports).

Run: python bench/read_pages.py [ARCHIVE] --out DIR [--count 30] [--seed 20261207]
(default ../shared/corpus). Nothing is written into the repository: the files hold real
people's words.
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AROUND = 8
"""Messages of the day log shown before the question and after the page's last message."""
QUESTIONS = """\
1. worth: does the opener deserve a page (yes / borderline / no, LABELLING.md)?
2. title: does the title state what the page is about (yes / no)?
3. answers: of the listed answers, how many answer this question?
4. first: does the first listed answer answer it (yes / no / none listed)?
5. missing: is a clear answer in the day log left unlisted (yes / no)?
6. unanswered: if the page lists none, did someone answer (yes / no)?
"""


def draw(archive: Path, count: int, seed: int) -> list:
    from chatmine.analyse.archives import analyse_archives
    from chatmine.analyse.worth import published

    threads = [published(t) for t in analyse_archives([archive]).threads]
    pages = sorted((t for t in threads if t.qa), key=lambda t: t.id)
    return random.Random(seed).sample(pages, min(count, len(pages)))


def sheet(thread, archive: Path) -> str:
    qa = thread.qa[0]
    shown = [qa.question, *qa.answers, *(a for more in thread.qa[1:] for a in [more.question, *more.answers])]
    first, last = min(m.line for m in shown), max(m.line for m in shown)
    messages = thread.log.messages
    lines = [m.line for m in messages]
    start = max(0, lines.index(first) - AROUND) if first in lines else 0
    end = min(len(messages), (lines.index(last) + AROUND + 1) if last in lines else len(messages))
    out = [f"source: {thread.log.source}", f"title: {thread.title}",
           f"question (line {qa.question.line}, {qa.question.speaker}): {qa.question.text}", "listed answers:"]
    out += [f"  line {a.line} ({a.speaker}): {a.text}" for a in qa.answers] or ["  none (the page says 没有得到回答)"]
    out.append(f"folded replies: {qa.unlisted}")
    for more in thread.qa[1:]:
        out.append(f"also on the page (line {more.question.line}): {more.question.text} "
                   f"-> answers at lines {[a.line for a in more.answers]}")
    out += ["", f"day log {archive / thread.log.source}, messages {start + 1}-{end} of {len(messages)}:"]
    for m in messages[start:end]:
        mark = ">>" if m.line == qa.question.line else "A " if m in qa.answers else "  "
        out.append(f"{mark} line {m.line} {m.time} {m.speaker}: {m.text}")
    return "\n".join(out) + "\n\nQuestions:\n" + QUESTIONS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("archive", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for i, thread in enumerate(draw(args.archive, args.count, args.seed), 1):
        (args.out / f"page{i:02}.txt").write_text(sheet(thread, args.archive), encoding="utf-8")
    print(f"{args.count} pages in {args.out}")


if __name__ == "__main__":
    main()
