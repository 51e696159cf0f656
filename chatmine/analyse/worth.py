"""Which Q&A of a day deserve a page, and which of their linked replies a page lists as answers.

Input: a log's threads with their QAs (qa.py linked them). Output: each QA's `worth` and `page`,
each linked answer's probability (`qa.scores`) and `thread.page`; `published` is the thread as
a page shows it. Every message stays in its thread: this only decides what a page shows.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from chatmine.analyse.predicates import on_subject
from chatmine.analyse.questions import (
    STRONG_ASK,
    probability,
    question_score,
    question_text,
    read_weights,
)
from chatmine.analyse.replies import (
    Conversation,
    answer_probability,
    features,
    mentions_speaker,
    quotes,
)
from chatmine.analyse.rivals import Rivals
from chatmine.model import QA, Message, Thread
from chatmine.resources import DATA

WEIGHTS = DATA / "page_weights.tsv"
TEXT_WEIGHTS = DATA / "page_text_weights.tsv"
LIST_WEIGHTS = DATA / "listing_weights.tsv"
PAGE_THRESHOLD = 0.6
"""Probability from which a QA gets a page (figures: docs/quality.md, bench/eval_pages.py)."""
LIST_THRESHOLD = 0.65
"""Listing-model probability from which a linked reply is listed as an answer on the page."""
LIST_FLOOR = 0.5
"""A page none of whose replies reaches LIST_THRESHOLD lists its best reply from this probability
rather than say 没有得到回答 (docs/quality.md)."""
SAME_ASKER_SECONDS = 1800
"""An asker's next question within half an hour, on a word of it (or within three minutes), is a follow-up."""
REASK_SECONDS = 600
"""Someone else's question on two of the same words within ten minutes asks it again."""
FIRST_ASKS = 0.5
"""A listed reply the question model scores from this asks a question of its own: a page's first
answer is the best-scoring one that does not, where there is one (docs/quality.md)."""
INSTANT_SECONDS = 15
"""A reply this soon after a question was typed before it was read."""
ITEM = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[、.．)）]")
"""An enumerated question ("3、说下放款的支付通道方式？"): the next of a list, never a follow-up."""
CONTACT = re.compile(
    r"群里有.{0,12}(?:的|吗|么)|有没有.{0,10}(?:的朋友|的同学|的同事|的大佬|的兄弟|的人)|(?:求|找)(?:内推|对接|联系)|内推|招聘|招人|简历|"
    r"加(?:我|个)?微信|私聊|联系方式|微信号|认识.{0,8}(?:的人|的朋友)|(?:有谁|谁|有人)认识|谁有认识|有认识.{0,12}的(?:吗|么)|求介绍|"
    r"薪水|薪资|年薪|月薪|跳槽|面试|找工作|求职"
)
"""Looking for a person, a contact or a job, or talking pay: the group's business, no page's (LABELLING.md)."""
SAID = re.compile(r"^(?:那|所以|就是)?(?:你|您|我|我们)(?:说的|是说|的意思|指的|讲的|刚才说|提到的)|^按照?(?:你|您)的说法")
"""Asking what someone just said ("你说的签约信息是指四要素？", "按照你的说法其实…对吧"), or saying again
what one meant ("我的意思是一笔交易中的收款方和付款方的账号信息对吗？"): a turn of a conversation, no page
(LABELLING.md: "你是说X吗？")."""
SAID_LENGTH = 40
"""Characters up to which a message opening with SAID only asks what was said."""
LOGISTICS = re.compile(
    r"(?:PPT|ppt|课件|录音|回放|直播|讲稿|资料)(?:吗|么|呢|能|可以|有|分享)|红包|报名|入群|拉群|进群|拉我|签到|几点开始|什么时候开始|链接.{0,4}(?:吗|么)"
    r"|^(?:大家|各位)(?:还|都)?有(?:没有)?(?:什么|啥|其他|别的)*(?:问题|疑问)"
)
"""Meetings, slides, recordings, joining, red packets; a speaker asking for questions ("大家还有什么问题吗？")."""
DEICTIC = re.compile(r"^(?:他|她|它|这|那|你是说|是说|就是|那就是|所以|还是|也就是)")
"""A clarification leaning on what was just said ("他吗？", "这是啥？", "你是说X吗？")."""
LEANS = re.compile(r"^(?:那|那么|所以|可是|但是|但|而且|还有|话说|如果|要是|另外|然后|也就是|就是|比如|因为)")
"""An opening that goes on from what was said before: the message is a turn of a conversation."""
CLARIFY = re.compile(r"指的是|是指|你说的|您说的|你是说|是说|的意思|什么意思|啥意思|你们的|你们是|你们用|你们家|你们那|贵司|你家")
"""Asking what someone just said means, or about their own company: a turn, not a topic."""


def judge(messages: list[Message], threads: list[Thread], words) -> None:
    """Score every QA of one log's `threads` (its `messages` in file order, `words` a message's
    content words) and decide its page; see the module docstring."""
    qas = day_qas(threads)
    score_answers(messages, qas, words)
    before = preceding(messages, {id(qa.question) for qa in qas})
    pages: list[QA] = []
    for i, qa in enumerate(qas):
        qa.worth = round(probability(WEIGHTS, page_features(qa, qas[:i], words, before)), 3)
        drew = qa.asks or bool(listed(qa).answers)  # a discussion needs replies
        qa.page = (qa.worth >= PAGE_THRESHOLD and drew and not group_business(qa.question)
                   and not asks_what_was_said(qa.question) and not any(_same_question(qa, earlier, words) for earlier in pages))
        if qa.page:
            pages.append(qa)
    one_page_each(pages)
    for thread in threads:
        thread.page = any(qa.page for qa in thread.qa)


def one_page_each(pages: list[QA]) -> None:
    """A reply the listing model may list on several pages (from LIST_FLOOR) is listed only by the
    question it answers best (the highest score; ties: the earlier question), its score on the
    others set to 0; it stays linked to them. Editors list a reply on one page (4 of 1,304 dev
    answers on two): the others were a neighbouring question's."""
    best: dict[int, tuple[float, QA]] = {}
    for qa in pages:
        for score, reply in zip(qa.scores, qa.answers):
            if score >= LIST_FLOOR and score > best.get(id(reply), (-1.0, None))[0]:
                best[id(reply)] = (score, qa)
    for qa in pages:
        qa.scores = [s if best.get(id(a), (0.0, qa))[1] is qa else 0.0 for s, a in zip(qa.scores, qa.answers)]


def group_business(question: Message) -> bool:
    """Looking for a contact, a colleague or a job, or the group's logistics: never a page, however
    it is asked (LABELLING.md; too rare in the labelled days for the model to learn)."""
    body = question_text(question.text)
    return bool(CONTACT.search(body) or LOGISTICS.search(body))


def asks_what_was_said(question: Message) -> bool:
    """A short message asking what someone just said, or saying what its speaker meant (SAID): never a page."""
    body = question_text(question.text)
    return len(body) <= SAID_LENGTH and bool(SAID.match(body))


def published(thread: Thread) -> Thread:
    """The thread as the site, the search and the export show it: only the QAs that deserve a
    page are Q&A (a thread with none is chat of its day log), each with the answers it lists."""
    return replace(thread, qa=[listed(qa) for qa in thread.qa if qa.page])


def listed(qa: QA) -> QA:
    """`qa` with the answers a page lists: those the listing model is confident of (else its best
    from LIST_FLOOR) and not sent within seconds of the question (typed before it was read), the best that does not ask back
    first (FIRST_ASKS: a reader wants an answer there, not "指哪方面？"), then in order;
    the other linked replies stay in the conversation (`unlisted` counts them). A QA already
    listed stays as it is."""
    timely = [(s, a) for s, a in zip(qa.scores, qa.answers) if a.seconds - qa.question.seconds > INSTANT_SECONDS]
    chosen = [sa for sa in timely if sa[0] >= LIST_THRESHOLD]
    if not chosen:  # the best of the rest from LIST_FLOOR, rather than 没有得到回答
        chosen = sorted((sa for sa in timely if sa[0] >= LIST_FLOOR), key=lambda sa: -sa[0])[:1]
    plain = [sa for sa in chosen if question_score(sa[1].text) < FIRST_ASKS] or chosen
    best = max(plain, key=lambda sa: sa[0], default=None)
    ordered = ([best] if best else []) + [sa for sa in chosen if sa is not best]
    return replace(qa, answers=[a for _, a in ordered], scores=[s for s, _ in ordered],
                   unlisted=qa.unlisted + len(qa.answers) - len(ordered))


def score_answers(messages: list[Message], qas: list[QA], words) -> None:
    """Each linked reply's probability of answering its question (the listing model)."""
    day = day_of(messages, qas, words)
    for qa in qas:
        qa.scores = [round(probability(LIST_WEIGHTS, listing_features(day, qa, a)), 3) for a in qa.answers]


@dataclass(slots=True)
class Day:
    """What the listing model reads of a day besides the pair."""

    conversation: Conversation
    rivals: Rivals
    """The day's questions competing for each reply (rivals.py); its `linked`: id(reply) -> the
    QAs it was linked to as an answer."""
    asking: set[int]
    """id of each message that asks a question of its own (a QA's question)."""


def day_of(messages: list[Message], qas: list[QA], words) -> Day:
    """What the listing model reads of a day: its `messages` in file order, all its `qas`."""
    return Day(Conversation(messages, words), Rivals(messages, qas, words), {id(qa.question) for qa in qas if qa.asks})


def listing_features(day: Day, qa: QA, reply: Message) -> dict[str, float]:
    """The answer model's features of the pair (replies.features), its probability, and what the
    page model knows: how long and how plainly asking the reply is, whether it names the asker,
    whether it is a question of its own (one that others answered is seldom an answer), and how
    it fits this question against the others open at the time (rivals.py)."""
    f = features(day.conversation, qa.question, reply)
    body = question_text(reply.text)
    return {
        **f,
        "answer-model": answer_probability(f),
        "reply-length": math.log1p(len(body)) / 5,
        "reply-asks": question_score(reply.text),
        "names-asker": float(any(mentions_speaker(m, qa.question) for m in reply.mentions) or quotes(reply, qa.question)),
        "discussion": float(not qa.asks),
        "own-question": float(id(reply) in day.asking),
        **day.rivals.features(qa, reply),
    }


def day_qas(threads: list[Thread]) -> list[QA]:
    """A day's QAs in the order they were asked."""
    return sorted((qa for t in threads for qa in t.qa), key=lambda qa: qa.question.line)


def _same_question(qa: QA, earlier: QA, words) -> bool:
    """`qa` asks again what `earlier` asked: its asker's follow-up or restatement (within half an
    hour, on the same words, or within three minutes), or someone else's re-ask minutes later on
    two of its words. One page holds them."""
    gap = qa.question.seconds - earlier.question.seconds
    if not 0 <= gap <= max(SAME_ASKER_SECONDS, REASK_SECONDS):
        return False  # most pairs of a day (each QA is compared with every earlier one): no words read
    shared = len(words(qa.question) & words(earlier.question))
    if ITEM.match(question_text(qa.question.text)):  # "3、说下放款的支付通道…": the next of a list
        return False
    if qa.question.speaker and qa.question.speaker == earlier.question.speaker:
        return 0 <= gap <= SAME_ASKER_SECONDS and (shared >= 1 or gap <= 180)
    return 0 <= gap <= REASK_SECONDS and shared >= 2


def preceding(messages: list[Message], wanted: set[int]) -> dict[int, list[Message]]:
    """id(message) -> the messages of others in the five minutes before it, closest first, for
    the messages whose id is `wanted` (the day's questions: one message in six)."""
    out = {}
    for i, m in enumerate(messages):
        if id(m) not in wanted:
            continue
        out[id(m)] = [prev for prev in reversed(messages[max(0, i - 6):i])
                      if 0 <= m.seconds - prev.seconds <= 300 and prev.speaker != m.speaker]
    return out


def opener_grams(text: str) -> set[str]:
    """The characters, pairs and triples of characters of a message's words (mentions and
    quotes left out, lower case, spaces folded): what the opener text model reads."""
    body = " ".join(question_text(text).lower().split())
    return {*body, *(body[i:i + 2] for i in range(len(body) - 1)), *(body[i:i + 3] for i in range(len(body) - 2))}


def text_worth(text: str) -> float:
    """The opener text model's probability that a message is one of an editor's page's (a
    logistic regression over opener_grams, trained by bench/train_pages.py): the words that tell
    a practitioner's question from chatter, logistics and turns of a conversation."""
    bias, weights = read_weights(TEXT_WEIGHTS)
    z = bias + sum(weights.get(gram, 0.0) for gram in sorted(opener_grams(text)))  # a fixed order: questions.question_score
    return 1.0 / (1.0 + math.exp(-z))


def page_features(qa: QA, earlier: list[QA], words, before) -> dict[str, float]:
    """What decides a page: how plainly it asks, what it is about and in which words (text_worth),
    whether it stands alone (not a follow-up or re-ask of an `earlier` QA: _same_question), and
    what the conversation made of it (answers, answerers)."""
    question = qa.question
    body = question_text(question.text)
    mine = words(question)
    near = before.get(id(question), [])
    echoed = max((len(mine & words(m)) for m in near[:3]), default=0)
    same = [q for q in earlier if q.asks and _same_question(qa, q, words)]
    follow = bool(question.speaker) and any(q.question.speaker == question.speaker for q in same)
    answerers = {a.speaker for a in qa.answers if a.speaker != question.speaker}
    return {
        "answers": math.log1p(len(qa.answers)),
        "answerers": math.log1p(len(answerers)),
        "best-answer": max(qa.scores, default=0.0),
        "good-answers": math.log1p(sum(s >= LIST_THRESHOLD for s in qa.scores)),
        "asks": float(qa.asks),
        "contact": float(bool(CONTACT.search(body))),
        "deictic": float(bool(DEICTIC.match(body)) and len(body) <= 15),
        "follow-up": float(follow),
        "length": math.log1p(len(body)) / 5,
        "logistics": float(bool(LOGISTICS.search(body))),
        "question": question_score(question.text) if qa.asks else 0.0,
        "reask": float(any(q.question.speaker != question.speaker for q in same)),
        "short": float(len(body) <= 8),
        "strong-ask": float(bool(STRONG_ASK.search(body))),
        "subject": float(on_subject(question.text)),
        "addressed": float(question.text.lstrip().startswith("@")),
        "leans": float(bool(LEANS.match(body))),
        "clarify": float(bool(CLARIFY.search(body))),
        "in-talk": math.log1p(len(near)) / 2,
        "echoes": float(min(echoed, 3)) / 3,
        "opener-text": text_worth(question.text),
    }
