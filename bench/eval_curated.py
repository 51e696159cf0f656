"""Q&A figures against the pairs the archive's editors curated by hand (wechat/ digests).

The digests write `Q4-1：question` (or `Q：question`, unnumbered: two thirds of them) then answer
lines (`> ...`, `A1：...`, `BZ:...`), under headings (`## 二、问答`, `**主题三：免息券解锁**`). Each
is matched to the chat message it came from (same days, character-bigram overlap), then we ask:
is that message found as a question, and are the answers linked to it?
Run: python bench/eval_curated.py [ARCHIVE]
"""
from __future__ import annotations

import re
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Q_LINE = re.compile(r"^\s*\**Q\d*(?:[-.]\d+)?\**\s*[:：]\s*(.+)$")
A_LINE = re.compile(r"^\s*(?:>\s*(?:-\s*)?|A\d*\s*[:：]\s*|BZ\s*[:：]\s*)(.+)$")


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
            elif line.startswith(("#", "**")):
                # A heading closes the pair above it: what follows `**主题三：免息券解锁**` is another subject.
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
    found = asked = linked = answers = together = ours = kept = discussions = 0
    misses, pairs, questions = [], [], []
    for article, question, replies in digests(logs):
        pool = [m for d in range(-4, 2) for m in by_date.get(article.date + timedelta(days=d), [])]
        cands = [(m, bigrams(m.text)) for m in pool]
        qmsg = best_match(question, cands)
        if qmsg is None:
            continue
        asked += 1
        # An editor often joins the asker's consecutive messages into one question ("…余额账户吗？
        # 还是对应…的账户？"): it is found when any of those messages is found as a question.
        parts = _asker_messages(question, qmsg, cands)
        qa = next((qa for m in parts for qa in thread_of[id(m)].qa if qa.question is m), None)
        found += qa is not None
        questions.append((qmsg, qa is not None))
        discussions += qa is not None and not qa.asks
        if qa is not None:
            qmsg = qa.question
        thread = thread_of[id(qmsg)]
        others = [c for c in cands if c[0] is not qmsg and c[0].speaker != qmsg.speaker]
        matched = []
        # An editor's answer line often merges several messages: match it piece by piece.
        for reply in replies:
            for piece in re.split(r"[；;。！!？?\n]+", reply):
                amsg = best_match(piece, others, floor=0.6) if len(piece) >= 6 else None
                if amsg is not None and all(amsg is not m for m in matched):
                    matched.append(amsg)
        if qa is not None and matched:
            ours += len(qa.answers)
            kept += sum(1 for a in qa.answers if any(a is m for m in matched))
        for amsg in matched:
            answers += 1
            together += thread_of[id(amsg)] is thread
            ok = bool(qa and any(a is amsg for a in qa.answers))
            linked += ok
            pairs.append((qmsg, amsg, ok))
            misses.append((_why(qa, qmsg, amsg, thread, thread_of), qmsg, amsg)) if not ok else None
    return {"questions": asked, "found": round(found / max(asked, 1), 3),
            # Found as the opening of a discussion (QA.asks False), not as a question.
            "found_as_discussion": round(discussions / max(asked, 1), 3),
            "answers": answers, "linked": round(linked / max(answers, 1), 3),
            # Each question's share of its answers linked, averaged over the questions: one digest
            # files a whole evening under its first question (28 answers), which weighs on `linked`.
            "linked_per_question": _per_question(pairs),
            "same_thread": round(together / max(answers, 1), 3),
            # Editors keep a few good answers of many, so this is no precision; it falls when
            # more of what we link is noise (replies to something else, chatter).
            "ours_kept": round(kept / max(ours, 1), 3),
            "misses": misses, "pairs": pairs, "questions_found": questions}


def _per_question(pairs) -> float:
    shares: dict[int, list[bool]] = {}
    for question, _, ok in pairs:
        shares.setdefault(id(question), []).append(ok)
    return round(sum(sum(v) / len(v) for v in shares.values()) / max(len(shares), 1), 3)


def _asker_messages(question: str, qmsg, cands) -> list:
    """The matched message, then the asker's other messages (within ten minutes) each piece of
    the editor's question (between punctuation, commas included) matches, in the order they were written."""
    near = [c for c in cands if c[0].speaker == qmsg.speaker and c[0].datetime and qmsg.datetime
            and abs((c[0].datetime - qmsg.datetime).total_seconds()) <= 600]
    parts = [qmsg]
    # Pieces at commas too: "现在很多银行都反接聚合了…通道，大家觉得接下来怎么面对，业务都停了么？" joins two messages.
    for piece in re.split(r"[；;。！!？?，,\n]+", question):
        msg = best_match(piece, near, floor=0.6) if len(piece) >= 6 else None
        if msg is not None and all(msg is not m for m in parts):
            parts.append(msg)
    return sorted(parts, key=lambda m: m.datetime or qmsg.datetime)


def _why(qa, qmsg, amsg, thread, thread_of) -> str:
    """Why an editor's answer is not linked to its question (for reading the misses)."""
    if thread_of[id(amsg)] is not thread:
        return "other thread"
    if qa is None:
        return "question not found"
    if amsg.line < qmsg.line:
        return "answer before question"
    if any(q.question is amsg for q in thread.qa):
        return "answer taken as a question"
    if any(any(a is amsg for a in q.answers) for q in thread.qa):
        return "linked to another question"
    return "not linked"


def by_split(pairs, threads) -> dict[str, float]:
    """Answers linked (pairs: question, answer, linked) or questions found (question, found) per
    split of the question's file (dev: sha1(source) % 10 >= 3; tune on dev, read held only as a check)."""
    import hashlib

    source = {id(m): t.log.source for t in threads for m in t.messages}
    out = {}
    for split in ("dev", "held"):
        part = [pair[-1] for pair in pairs
                if (int(hashlib.sha1(source[id(pair[0])].encode()).hexdigest(), 16) % 10 >= 3) == (split == "dev")]
        out[split] = f"{sum(part) / max(len(part), 1):.3f} of {len(part)}"
    return out


def conversation_reasons(misses, logs, threads) -> list[str]:
    """The misses' reasons with "other thread" told apart: an answer in another conversation
    (the splitter put it there, or it came in another day's log) is out of find_qa's reach; one
    in another thread of its question's conversation is not (Q&A are linked across it)."""
    from chatmine.analyse.pipeline import split_log
    from chatmine.analyse.threads import split_conversations

    source = {id(m): t.log.source for t in threads for m in t.messages}
    wanted = {source[id(m)] for reason, q, a in misses if reason == "other thread" for m in (q, a)}
    conversation, qas = {}, {}
    for log in logs:
        if log.source in wanted:
            terms = split_log(log).terms
            for i, part in enumerate(split_conversations(log, terms)):
                for m in part:
                    conversation[id(m)] = (log.source, i)
    for thread in threads:
        for qa in thread.qa:
            qas[id(qa.question)] = qa
    out = []
    for reason, q, a in misses:
        if reason == "other thread":
            if source[id(q)] != source[id(a)]:
                reason = "other day's log"
            elif conversation[id(q)] != conversation[id(a)]:
                reason = "other conversation"
            elif id(q) not in qas:
                reason = "question not found"
            elif id(a) in qas:
                reason = "answer taken as a question"
            elif any(x is a for t in threads if t.log.source == source[id(q)] for qa in t.qa for x in qa.answers):
                reason = "linked to another question"
            else:
                reason = "not linked (same conversation)"
        out.append(reason)
    return out


if __name__ == "__main__":
    from collections import Counter

    from chatmine.analyse.pipeline import analyse
    from chatmine.read.archive import read_archive

    archive = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    logs = read_archive([archive]).logs
    threads = analyse(logs)
    figures = evaluate(logs, threads)
    misses, pairs, questions = figures.pop("misses"), figures.pop("pairs"), figures.pop("questions_found")
    print(figures)
    print("found by split of the question's file:", by_split(questions, threads))
    print("linked by split of the question's file:", by_split(pairs, threads))
    print(Counter(conversation_reasons(misses, logs, threads)).most_common())
