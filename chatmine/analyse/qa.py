"""Questions and their answers, inside one conversation.

Input: a conversation's messages. Output: QA records (question, answers, resolved); their titles are titles.py's.

Which messages are questions is decided in chatmine/analyse/asking.py (the text model of
chatmine/analyse/questions.py read in the conversation's context), how well a reply answers a question
in chatmine/analyse/replies.py; here they come together.
"""
from __future__ import annotations

from itertools import islice

from chatmine.analyse.asking import discussion_replies, opens_discussion, questions_in
from chatmine.analyse.predicates import (
    RESOLVED,
    is_chatter,
    is_echo,
    is_notice,
    is_thanks,
)
from chatmine.analyse.questions import looks_like_question, question_text
from chatmine.analyse.replies import (
    ANSWER_THRESHOLD,
    Conversation,
    addressed_names,
    answer_probability,
    features,
    mentions_speaker,
    quotes,
)
from chatmine.analyse.threads import content_set
from chatmine.analyse.titles import plainly_asks, shorten, title_of
from chatmine.model import QA, Message
from chatmine.text.tokens import terms

__all__ = ["find_qa", "link_across", "looks_like_question", "question_text", "shorten", "title_of"]

MAX_ANSWERS = 20
RECENT_QUESTIONS = 8
RECENT_SECONDS = 1800
"""A reply may answer the latest question by someone else, and the few before it of the past half hour."""


def find_qa(
    messages: list[Message], terms_of: dict[int, list[str]] | None = None, asking: list[bool] | None = None,
    opening: list[bool] | None = None,
) -> list[QA]:
    """Each question among `messages` (a conversation, in file order: asking.questions_in reads
    each message in it) with the messages that answer it, in order.

    An answer: a message with content by someone other than the asker, after the question.
    It goes to the question whose asker it @mentions (the strongest signal in these groups),
    else to each of the latest questions by others (_candidates) the answer model scores it
    likely to answer (replies.py: how far back the question is, whether the asker spoke
    since, shared words, ...): in a busy group two questions are often asked back to back
    and answered together, and a reply may answer nothing asked. An echo (predicates.is_echo)
    asks and answers nothing; a moderator's notice (predicates.is_notice) answers nothing and opens
    no discussion. The asker's thanks marks the question resolved. A statement that opened a
    discussion (asking.opens_discussion) is kept as a QA too, with asks False; the replies on
    its words are its answers, and it may itself answer an earlier question.
    `terms_of` maps id(message) to its tokens when the caller has them (analyse does), else
    they are computed; `asking` and `opening` say which messages ask and which open a
    discussion, when the caller has read them (link_across does).
    """
    words = _content_words(terms_of)
    qas: list[QA] = []
    asked_last: dict[str, QA] = {}
    conversation = Conversation(messages, words)
    previous = None
    asking = questions_in(messages) if asking is None else asking
    opening = opens_discussion(messages, asking, words) if opening is None else opening
    replying: dict[int, QA] = {}
    for at, (message, asks, opens) in enumerate(zip(messages, asking, opening)):
        echo, previous = is_echo(message, previous), message
        if echo:
            continue
        if asks and any(qa.asks and quotes(message, qa.question) for qa in qas) and not plainly_asks(message.text):
            asks = False  # a quote of a question answers it, unless it plainly asks back ("这个是为啥。。？")
        if asks:
            # A question right after someone else's on the same words is often a reply
            # ("是不是…吧？"): it joins that question's answers as well as starting its own.
            addressed = _addressed(qas, message, words)
            for qa in addressed or _candidates(qas, message)[-1:]:
                close = 0 <= message.seconds - qa.question.seconds <= 600
                related = addressed or len(words(message) & words(qa.question)) >= 2
                if close and related and len(qa.answers) < MAX_ANSWERS:
                    qa.answers.append(message)
            qas.append(QA(question=message))
            asked_last[message.speaker] = qas[-1]
            continue
        own = asked_last.get(message.speaker) if message.speaker else None
        if own and own.answers and RESOLVED.search(message.text):
            own.resolved = True
        if is_chatter(message) or is_thanks(message) or is_notice(message):
            continue
        targets = _addressed(qas, message, words) or [
            qa for qa in _candidates(qas, message)
            if answer_probability(features(conversation, qa.question, message)) >= ANSWER_THRESHOLD
        ]
        # The replies that made a statement a discussion's opening (asking.discussion_replies) are its answers.
        discussion = replying.get(id(message))
        if discussion is not None and discussion not in targets:
            targets = [*targets, discussion]
        for qa in targets:
            if len(qa.answers) < MAX_ANSWERS:
                qa.answers.append(message)
        if opens:
            qas.append(QA(question=message, asks=False))
            asked_last[message.speaker] = qas[-1]
            replying.update((id(r), qas[-1]) for r in discussion_replies(messages, at, words))
    return qas


def link_across(messages: list[Message], qas: list[QA], terms_of: dict[int, list[str]] | None = None) -> None:
    """Add to `qas` (found conversation by conversation) the answers that sit in another
    conversation of the day: find_qa over all of the day's `messages`, with the same questions;
    a link it makes that the conversations did not is kept when the reply shares a content word
    with the question.

    The splitter files a reply where its speaker was talking, and a practitioner who answers a
    question between two turns of their own discussion is common: 100 of the 504 answers the
    archive's editors curated sat in another conversation than their question. Over the whole
    day, find_qa alone links 0.591 of the editors' answers (0.542 by conversation), but the
    links it adds are mostly replies to something else (11 of 53 read answer); of those sharing
    a word with the question 18 of 32 answer, as many as of the conversations' own links
    (0.58), and 0.569 of the editors' answers are linked (0.563 since the question model was
    retrained). Batch 2 of tests/data/answer_pairs.tsv, read later, agrees: 45 of 90 of these
    links answer (bench/answers_across.py, where models that tried to do better are written
    down). Run instead of the conversations, it lost 3 of the 34 good links of
    tests/data/answers.tsv (more questions compete for each reply), hence both."""
    by_question = {id(qa.question): qa for qa in qas}
    asking = [id(m) in by_question and by_question[id(m)].asks for m in messages]
    opening = [id(m) in by_question and not by_question[id(m)].asks for m in messages]
    content = _content_words(terms_of)
    for day_qa in find_qa(messages, terms_of, asking, opening):
        qa = by_question[id(day_qa.question)]
        have = {id(a) for a in qa.answers}
        more = [a for a in day_qa.answers if id(a) not in have and content(qa.question) & content(a)]
        if more:
            qa.answers = sorted(qa.answers + more, key=lambda m: m.line)[:MAX_ANSWERS]


def _content_words(terms_of: dict[int, list[str]] | None):
    """A message's content words (threads.content_set of its tokens), remembered: from
    `terms_of` (id(message) -> tokens) when the caller has them, else segmented here."""
    seen: dict[int, set[str]] = {}

    def words(message: Message) -> set[str]:
        key = id(message)
        if key not in seen:
            found = terms_of.get(key) if terms_of is not None else None
            seen[key] = content_set(terms(message.text) if found is None else found)
        return seen[key]

    return words


def _candidates(qas: list[QA], message: Message) -> list[QA]:
    """The questions `message` may answer: the latest one by someone else, and the few before
    it asked in the last half hour."""
    speaker = message.speaker
    # Read from the latest back, only as far as needed: over a day (link_across) a message
    # would otherwise look at every question asked before it.
    by_others = (qa for qa in reversed(qas) if qa.question.speaker != speaker or not speaker)
    others = list(islice(by_others, RECENT_QUESTIONS + 1))[::-1]
    if not others:
        return []
    now = message.seconds
    recent = [qa for qa in others[:-1] if 0 <= now - qa.question.seconds <= RECENT_SECONDS]
    return recent + [others[-1]]


def _addressed(qas: list[QA], message: Message, words) -> list[QA]:
    """The question this message quotes (replies.quotes); else the question of the asker it
    @mentions or whose message it quotes (replies.addressed_names): of that asker's questions
    in the half hour before the latest, the one sharing most content words with it (ties: the
    latest). A discussion they opened counts only when they asked nothing: their statement
    after their own question says more of it ("…是否需要客户的授权" then "有的业务场景，感觉无需客户参与，
    就把钱给客户扣了", prodarch/2018-02-24), and the reply answers the question."""
    names = addressed_names(message)
    if not names:
        return []  # no @mention and no quote (a quote names its speaker): most messages, asked of every question
    quoted = [qa for qa in qas if qa.question.speaker != message.speaker and quotes(message, qa.question)]
    if quoted:
        return quoted[-1:]
    mentioned = [
        qa for qa in qas
        if qa.question.speaker != message.speaker and any(mentions_speaker(m, qa.question) for m in names)
    ]
    mentioned = [qa for qa in mentioned if qa.asks] or mentioned
    if not mentioned:
        return []
    latest = mentioned[-1].question.seconds
    recent = [qa for qa in mentioned if latest - qa.question.seconds <= RECENT_SECONDS]
    mine = words(message)
    return [max(reversed(recent), key=lambda qa: len(mine & words(qa.question)))]


