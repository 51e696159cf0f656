"""Q&A figures against the pairs the archive's editors curated by hand (wechat/ digests).

The digests write `Q4-1：question` then `> answer` lines. Each is matched to the chat message
it came from (same days, character-bigram overlap), then we ask: is that message found as a
question, and are the answers linked to it? Run: python bench/eval_curated.py [ARCHIVE]
"""
from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Q_LINE = re.compile(r"^\s*\**Q\d+(?:[-.]\d+)?\**\s*[:：]\s*(.+)$")
A_LINE = re.compile(r"^\s*>\s*(?:-\s*)?(.+)$")


def digests(logs) -> list[tuple[object, str, list[str]]]:
    """(article log, question text, answer texts) for every curated pair."""
    pairs = []
    for log in logs:
        if not log.is_article:
            continue
        current = None
        for line in log.preamble.splitlines():
            q, a = Q_LINE.match(line), A_LINE.match(line)
            if q:
                current = (log, q.group(1).strip(), [])
                pairs.append(current)
            elif a and current and not a.group(1).startswith("!["):
                current[2].append(a.group(1).strip())
            elif line.startswith("#"):
                current = None
    return pairs


def bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+|\[[^\]]{1,6}\]|@\S+", "", text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def best_match(text: str, candidates, floor: float = 0.5):
    want = bigrams(text)
    if len(want) < 3:
        return None
    best, best_score = None, floor
    for m in candidates:
        have = m[1]
        score = len(want & have) / len(want) if want else 0
        if score > best_score:
            best, best_score = m[0], score
    return best


def evaluate(logs, threads) -> dict[str, float]:
    by_date = {}
    for log in logs:
        if log.messages and log.layout != "post":
            by_date.setdefault(log.date, []).extend(m for m in log.messages if m.kind == "text")
    thread_of = {id(m): t for t in threads for m in t.messages}
    found = asked = linked = answers = together = 0
    for article, question, replies in digests(logs):
        pool = [m for d in range(-4, 2) for m in by_date.get(article.date + timedelta(days=d), [])]
        cands = [(m, bigrams(m.text)) for m in pool]
        qmsg = best_match(question, cands)
        if qmsg is None:
            continue
        asked += 1
        thread = thread_of[id(qmsg)]
        qa = next((qa for qa in thread.qa if qa.question is qmsg), None)
        found += qa is not None
        for reply in replies:
            amsg = best_match(reply, [c for c in cands if c[0] is not qmsg])
            if amsg is None or amsg.speaker == qmsg.speaker:
                continue
            answers += 1
            together += thread_of[id(amsg)] is thread
            linked += bool(qa and any(a is amsg for a in qa.answers))
    return {"questions": asked, "found": round(found / max(asked, 1), 3),
            "answers": answers, "linked": round(linked / max(answers, 1), 3),
            "same_thread": round(together / max(answers, 1), 3)}


if __name__ == "__main__":
    from chatmine.analyse import analyse
    from chatmine.archive import read_archive

    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    logs = read_archive([archive]).logs
    print(evaluate(logs, analyse(logs)))
