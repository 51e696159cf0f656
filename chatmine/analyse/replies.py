"""Does a reply answer an earlier question of its conversation? Features of the pair, and the
learned weights that score them.

Input: a conversation's messages (in file order), a question and a later reply. Output: the
probability that the reply answers the question, from a logistic regression over the
features below, trained by bench/train_answers.py on 400 pairs read by hand (tests/data/
answer_pairs.tsv, dev files; the 395 whose question and reply share a conversation); weights in
data/answer_weights.tsv. qa.find_qa links a reply nobody @addressed to each recent question it
scores ANSWER_THRESHOLD against.

What tells (weights, in the file): how many messages came between (the further, the less
likely), a reply of six characters or fewer, whether the asker spoke in between (a
dialogue), a question with a strong request word (请教, 怎么, 有没有 ...), shared words, an
@mention of someone else, the question @asking the replier.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import lru_cache

from chatmine.model import Message
from chatmine.analyse.questions import QUOTED, STRONG_ASK, probability, question_text
from chatmine.resources import DATA
from chatmine.text.speakers import same_name, split_profile

WEIGHTS = DATA / "answer_weights.tsv"
ANSWER_THRESHOLD = 0.3
"""Probability from which a reply is linked as an answer. Grouped 10-fold CV on the 400 pairs,
weighted to the population they were drawn from: precision/recall 0.57/0.76 at 0.3, 0.60/0.59
at 0.4, where the rules before had 0.52/0.60. On the whole corpus at 0.3, editors' answers
linked 0.492 -> 0.542 and the 100 links of tests/data/answers.tsv (not trained on) answer
0.54 -> 0.58 of the time; 0.4 gives 0.51 and 0.61. With discussions (0.597 and 0.59 at 0.3),
0.25 gives 0.615 and 0.56, 0.2 gives 0.631 and 0.53: the editors' figure is bought with noise."""


class Conversation:
    """What the features need to know of a conversation: where each message is, and where
    each speaker spoke."""

    def __init__(self, messages: list[Message], words):
        self.messages = messages
        self.words = words
        self.position = {id(m): i for i, m in enumerate(messages)}
        self.spoke: dict[str, list[int]] = {}
        for i, m in enumerate(messages):
            if m.speaker:
                self.spoke.setdefault(m.speaker, []).append(i)

    def spoke_between(self, speaker: str, start: int, end: int) -> bool:
        """Whether `speaker` wrote a message strictly between positions start and end."""
        places = self.spoke.get(speaker)
        if not speaker or not places:
            return False
        i = bisect_left(places, start + 1)
        return i < len(places) and places[i] < end


def features(conversation: Conversation, question: Message, reply: Message) -> dict[str, float]:
    """The pair's features (names as in the weights file)."""
    words = conversation.words
    q_at, r_at = conversation.position[id(question)], conversation.position[id(reply)]
    shared = len(words(reply) & words(question))
    before = conversation.messages[r_at - 1] if r_at > 0 else None
    mentions_other = bool(reply.mentions) and not any(mentions_speaker(m, question) for m in reply.mentions)
    f = {
        "shared": min(shared, 3),
        "log-between": math.log1p(max(r_at - q_at - 1, 0)),
        "asker-between": float(conversation.spoke_between(question.speaker, q_at, r_at)),
        "replier-between": float(conversation.spoke_between(reply.speaker, q_at, r_at)),
        "after-asker": float(before is not None and before is not question and before.speaker == question.speaker),
        "asks-replier": float(any(mentions_speaker(m, reply) for m in question.mentions)),
        "mentions-other": float(mentions_other),
        "short": float(_body_length(reply.text) <= 6),
        "strong-ask": float(_strong_ask(question.text)),
    }
    if before is not None and before is not question and before.speaker != reply.speaker:
        f["shares-with-before"] = float(bool(words(reply) & words(before)))
    return f


@lru_cache(maxsize=1 << 16)
def _body_length(text: str) -> int:
    return len(question_text(text))


@lru_cache(maxsize=1 << 16)
def _strong_ask(text: str) -> bool:
    return bool(STRONG_ASK.search(question_text(text)))


def answer_probability(f: dict[str, float]) -> float:
    return probability(WEIGHTS, f)


def addressed_names(message: Message) -> list[str]:
    """Whom a message replies to by name: its @mentions, then the speaker of the message it
    quotes (「张于刚-支付产品-杭州: 分账退款怎么保障退款资金充足？…」 - - - - 目前还没有遇见过不足的
    情况…, prodarch/2018-02-12): a quote names its speaker as surely as an @mention does."""
    quoted = QUOTED.match(message.text)
    return [*message.mentions, quoted["who"]] if quoted else message.mentions


def quotes(reply: Message, message: Message) -> bool:
    """Whether `reply` quotes `message`: the quoted text is the message's, whatever name the
    quote gives its speaker (「Chester-产品-智付-深圳: 其实想知道…」 quotes 毛哥, prodarch/2018-02-12)."""
    said = _quoted(reply.text)
    if said is None:
        return False
    text = _squeeze(message.text)
    return bool(text) and (said in text or text in said)


@lru_cache(maxsize=1 << 16)
def _quoted(text: str) -> str | None:
    """The message a quote-reply quotes, squeezed (None when `text` quotes none, or too little)."""
    quoted = QUOTED.match(text)
    return _squeeze(quoted["said"]) if quoted and len(quoted["said"]) >= 4 else None


@lru_cache(maxsize=1 << 16)
def _squeeze(text: str) -> str:
    return re.sub(r"\s+|\?", "", text)


def mentions_speaker(mention: str, message: Message) -> bool:
    """Whether an @mention as written names the speaker of `message` (speakers.same_name: the
    speaker 周峰（Edison Zhou） is @周峰-车置宝-项目管理-南京)."""
    name = message.profile.name
    return bool(name) and (name in mention or mention.startswith(message.speaker[:6])
                           or same_name(split_profile(mention).name, name))
