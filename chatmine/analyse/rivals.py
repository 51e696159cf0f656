"""How well a linked reply fits its question against the other questions open when it was sent.

Input: a day's messages (file order), its QAs with their linked replies, a message's content words.
Output: listing features of a (QA, reply) pair, read by worth.listing_features (figures: docs/quality.md).
"""
from __future__ import annotations

import math
from collections import Counter

from chatmine.model import QA, Message

OPEN_SECONDS = 1800
"""A question asked this long before a reply still competes for it (qa.RECENT_SECONDS)."""
ASKER_SECONDS = 300
"""A question's words are its own and its asker's next lines within five minutes (details, a restatement)."""
ASKER_LINES = 12
"""How many messages after the question are looked at for the asker's lines."""
BEFORE_LINES = 6
"""How far back the message a reply follows (by someone else) is looked for."""
FIT_CAP = 20.0
"""Weighted shared words from which a reply fits a question as well as it can (the feature's scale)."""
MARGIN_SCALE = 10.0
"""Weighted shared words that make the margin over the best rival question 1."""


class Rivals:
    """The day's questions as competitors for each reply: what each shares with it, weighted by
    how rare the word is in the day (log of messages over messages holding it), and where the
    reply's conversation stood just before it."""

    def __init__(self, messages: list[Message], qas: list[QA], words):
        self.messages = messages
        self.qas = sorted(qas, key=lambda qa: qa.question.line)
        self.words = words
        self.position = {id(m): i for i, m in enumerate(messages)}
        self.linked = linked_questions(qas)
        held = Counter(w for m in messages for w in words(m))
        self.weight = {w: math.log(len(messages) / n) for w, n in held.items()}
        self._lines: dict[int, list[Message]] = {}
        self._fits: dict[tuple[int, int], float] = {}

    def features(self, qa: QA, reply: Message) -> dict[str, float]:
        """fit: the weighted words the reply shares with the question (or its asker's next lines);
        fit-margin: how much more than with the best other question open then (asked before it
        in the last half hour by someone else than the replier); before-here / before-elsewhere:
        the message it follows (someone else's) belongs to this question (the question, its asker,
        a reply linked to it) or, not, to another open question."""
        rivals = [other for other in self.qas
                  if other is not qa and other.question.line < reply.line and other.question.speaker != reply.speaker
                  and 0 <= reply.seconds - other.question.seconds <= OPEN_SECONDS]
        mine = self._fit(qa, reply)
        best = max((self._fit(other, reply) for other in rivals), default=0.0)
        f = {
            "fit": min(mine, FIT_CAP) / FIT_CAP,
            "fit-margin": max(-1.0, min(1.0, (mine - best) / MARGIN_SCALE)),
        }
        before = self._before(reply)
        if before is not None:
            linked = self.linked.get(id(before), [])
            here = before is qa.question or before.speaker == qa.question.speaker or qa in linked
            elsewhere = any(other is not qa for other in linked) or any(before is other.question for other in rivals)
            f["before-here"] = float(here)
            f["before-elsewhere"] = float(elsewhere and not here)
        return f

    def _fit(self, qa: QA, reply: Message) -> float:
        """The pair's fit, each pair read once: a reply linked to k questions reads every rival
        open then on each of its k pages (246,638 fits a quarter of the corpus for 83,046 pairs)."""
        key = (id(qa.question), id(reply))
        if key not in self._fits:
            mine = self.words(reply)
            # Summed in a fixed order, as questions.question_score: a set's order follows the
            # process's hash seed, and so would the last bits of the fit.
            self._fits[key] = max(sum(self.weight.get(w, 0.0) for w in sorted(mine & self.words(m)))
                                  for m in self._asker_lines(qa, reply))
        return self._fits[key]

    def _asker_lines(self, qa: QA, reply: Message) -> list[Message]:
        """The question and its asker's lines just after it, those sent before `reply`."""
        key = id(qa.question)
        if key not in self._lines:
            at = self.position[key]
            self._lines[key] = [qa.question] + [
                m for m in self.messages[at + 1:at + 1 + ASKER_LINES]
                if m.speaker and m.speaker == qa.question.speaker and m.seconds - qa.question.seconds <= ASKER_SECONDS]
        return [m for m in self._lines[key] if m.line < reply.line] or [qa.question]

    def _before(self, reply: Message) -> Message | None:
        at = self.position[id(reply)]
        return next((m for m in reversed(self.messages[max(0, at - BEFORE_LINES):at]) if m.speaker != reply.speaker), None)


def linked_questions(qas: list[QA]) -> dict[int, list[QA]]:
    """id(reply) -> the QAs it was linked to as an answer."""
    linked: dict[int, list[QA]] = {}
    for qa in qas:
        for a in qa.answers:
            linked.setdefault(id(a), []).append(qa)
    return linked
