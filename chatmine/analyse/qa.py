"""Questions, their answers and a title, inside one conversation.

Input: a conversation's messages. Output: QA records (question, answers, resolved) and a title.

Which messages are questions is decided in chatmine/analyse/asking.py (the text model of
chatmine/analyse/questions.py read in the conversation's context), how well a reply answers a question
in chatmine/analyse/replies.py; here they come together.
"""
from __future__ import annotations

import re

from chatmine.analyse.asking import discussion_replies, opens_discussion, questions_in
from chatmine.analyse.predicates import (
    RESOLVED,
    is_chatter,
    is_echo,
    is_notice,
    is_thanks,
    on_subject,
)
from chatmine.analyse.questions import STRONG_ASK, looks_like_question, question_text
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
from chatmine.model import QA, Message, Thread
from chatmine.text.tokens import terms

__all__ = ["find_qa", "link_across", "looks_like_question", "question_text", "shorten", "title_of"]

EMOJI_TAIL = re.compile(r"(?:\[[^\[\]\n]{1,6}\]|\s)+$")
LEAD = re.compile(
    r"(?:(?:我|想|麻烦|弱弱[的地]?|再|还)*(?:请教|请问|咨询|求教|求助|问问|问)(?:一下|下|个|一个|大家|各位|你们|群里)*"
    r"(?:小白|简单的?)?(?:问题|一句)?(?:各位|大家|群里)?(?:的?(?:大神|大佬|大侠|老师|朋友)们?)?"
    r"|(?:各位|大家|诸位)(?:的?(?:大神|大佬|大侠|老师|朋友|同行)们?)?好?|(?:大神|大佬|大侠|亲|兄弟|朋友)们|老大|群主|大哥|老铁"
    r"|[Hh]i|[Hh]ello|你好|大家好|(?:大家|各位)?(?:早安|早上好|上午好|下午好|晚上好)|嗯+|哦+|噢|哈+|是啊|是的|对的|对了|好吧|另外|但是|不过|所以|其实|话说|然后|而且"
    r"|感谢分享|谢谢分享|多谢|谢谢[哦啊呀]?|客气了哈?|赞+|真棒|(?:我)?还有(?:一|一点|个)?小?问题"
    r"|[\u4e00-\u9fff]{1,2}(?:总|老师|哥|姐))"
    r"\s*[，,：:～~！!。\s]\s*"
)
"""A clause a question opens with that says nothing of it: a request (请教个问题, 再咨询下, 我还有一点小问题),
a greeting, thanks or praise (大家早安, 谢谢哦, 真棒) or the people asked (各位大神, 冬哥), a filler
(嗯, 对了) or a connective to what was said before (但是, 所以, 话说). A title starts after it."""
CHATTER_BEFORE_REQUEST = re.compile(
    r"^[^，,。！!？?～~\s]{1,8}[～~，,。！!\s]+(?=(?:我|想)*(?:还有|有)(?:一|一点|个|一个)?小?问题|(?:我|想|麻烦)*(?:请教|请问|咨询|求助))"
)
"""A short aside before the request that opens a question ("吃饭呢吧～我还有一点小问题 …",
proddev/2017-05-13; "深圳 请问…", "ZXF： 请教个问题…"): a title starts at the request, and LEAD then
drops the request too, unless the aside names the subject ("协议支付的路由 咨询一个问题 …")."""
CONNECTIVE = re.compile(r"^(?:然后|而且|并且|或者说|或者|同时|另外就是|另外|再就是|还有就是)(?![，,：:～~！!。\s一])")
"""A connective glued to what follows ("然后通过哪些方式管理核算这些备付金账户", "并且受理并确认…"):
the message goes on from the speaker's last one, which a title cannot show; it starts after it
(LEAD takes those followed by a comma)."""
TITLE_LIMIT = 40
SENTENCE = re.compile(r"[^。！？?!；;\n]+(?:[。！？?!；;]+|$)|\n")
"""A sentence of a message: up to its closing punctuation (or a line break, or the end)."""
SEPARATOR = "-—－ ·*#>"
PLAIN_END = re.compile(r"(?:[?？]|(?:[吗嘛呢]|(?<![什怎那这多要])么)\W*)$")
FOLLOW_UP = re.compile(r"还是|或者?|如果不|要不|否则|另外|不然|那如果不")
ANNOUNCE = re.compile(r"请教|请问|问题|问个|问一下|问下|求助|咨询")
VAGUE = re.compile(r"^(?:这|那|此|它)|这个|这种|这样|这块|这类|这些|这里|那个|那种|上面|刚才|以上")
"""A title pointing at something said before it."""
VAGUE_LIMIT = 24
CONTEXT_SECONDS = 300
"""The asker's message that completes a vague title was said at most five minutes before it."""
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
    and answered together, and a reply may answer nothing asked. An echo (threads.is_echo)
    asks and answers nothing; a moderator's notice (threads.is_notice) answers nothing and opens
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
    others = [qa for qa in qas if qa.question.speaker != message.speaker or not message.speaker]
    if not others:
        return []
    now = message.seconds
    recent = [qa for qa in others[-RECENT_QUESTIONS - 1 : -1] if 0 <= now - qa.question.seconds <= RECENT_SECONDS]
    return recent + [others[-1]]


def _addressed(qas: list[QA], message: Message, words) -> list[QA]:
    """The question this message quotes (replies.quotes); else the question of the asker it
    @mentions or whose message it quotes (replies.addressed_names): of that asker's questions
    in the half hour before the latest, the one sharing most content words with it (ties: the
    latest). A discussion they opened counts only when they asked nothing: their statement
    after their own question says more of it ("…是否需要客户的授权" then "有的业务场景，感觉无需客户参与，
    就把钱给客户扣了", prodarch/2018-02-24), and the reply answers the question."""
    quoted = [qa for qa in qas if qa.question.speaker != message.speaker and quotes(message, qa.question)]
    if quoted:
        return quoted[-1:]
    names = addressed_names(message)
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


def title_of(thread: Thread) -> str:
    """The first question, shortened; else the first message with content, shortened."""
    if thread.qa:
        # The first answered question on a payment subject (a taxonomy term), so a reaction
        # like "大佬你们在说什么" does not name the thread; failing that, the first question;
        # a discussion's opening only where nothing was asked.
        pool = [qa for qa in thread.qa if qa.page] or thread.qa
        asked = [qa for qa in pool if qa.asks] or pool
        answered = [qa for qa in asked if qa.answers] or asked
        best = next((qa for qa in answered if on_subject(qa.question.text)), answered[0])
        return completed(shorten(best.question.text), best.question, thread.log.messages)
    for message in thread.messages:
        if not is_chatter(message) and message.kind != "link":
            return shorten(message.text)
    for message in thread.messages:
        text = shorten(message.text)
        if text:
            return text
    return thread.log.title


def completed(title: str, question: Message, messages: list[Message]) -> str:
    """A title pointing at what it does not say ("这种方案性能如何？", "这个余额怎么和银行账户同步的？")
    completed from what its asker said just before, when that names the subject and is no question
    of its own: "{that message}：{title}"."""
    if not VAGUE.search(title) or len(title) > VAGUE_LIMIT or on_subject(title):
        return title
    room = TITLE_LIMIT - len(title) - 1
    context = next((m for m in reversed(messages) if m.line < question.line and m.speaker == question.speaker
                    and 0 <= question.seconds - m.seconds <= CONTEXT_SECONDS), None)
    usable = (context is not None and context.kind == "text" and len(question_text(context.text)) >= 6
              and not is_chatter(context) and not is_thanks(context) and not looks_like_question(context.text)
              and on_subject(context.text))
    if not usable or room < 8:
        return title
    said = shorten(context.text)
    said = said if len(said) <= room else _cut(said, room - 1).rstrip("…") + "…"
    return f"{said.rstrip('。，,；;：:')}：{title}"


def plainly_asks(text: str) -> bool:
    """The text alone reads as a question, and asks in so many words (请教, 怎么, 有没有 ...) or
    ends like one (？, 吗, 呢 ...): not a statement that drew a discussion, which the pipeline
    counts as a question in its context ("可以分库分表。…都加的累死")."""
    body = question_text(text)
    return looks_like_question(text) and bool(STRONG_ASK.search(body) or PLAIN_END.search(body))


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """One line, no mentions or emoji codes, cut at a sentence end or at `limit` characters; a
    long message whose opening asks nothing from its question sentence on."""
    body = question_text(text)
    body = _after_lead(EMOJI_TAIL.sub("", body).strip(" ，,、。;；:：-"))
    if len(body) <= limit:
        return body
    title = _cut(body, limit)
    if ANNOUNCE.search(title) or looks_like_question(title):
        return title
    return _cut(_after_lead(_from_the_question(body)), limit)


def _after_lead(body: str) -> str:
    """`body` after the LEAD clauses it opens with (and an aside before them), unless too
    little would be left."""
    aside = CHATTER_BEFORE_REQUEST.match(body)
    if aside and len(body) - aside.end() >= 12 and not on_subject(aside.group()):
        body = body[aside.end():]
    joined = CONNECTIVE.match(body)
    if joined and len(body) - joined.end() >= 8:
        body = body[joined.end():]
    for _ in range(3):  # 嗯，各位大神，请教一个问题：...
        lead = LEAD.match(body)
        if not lead or len(body) - lead.end() < 6:
            break
        body = body[lead.end():]
    return body


def _cut(body: str, limit: int) -> str:
    """`body` up to `limit` characters: at the last sentence end, else clause end (with …)."""
    if len(body) <= limit:
        return body
    cut = max((body.rfind(p, 8, limit) for p in "？?。！!；;"), default=-1)
    if cut > 0:
        title = body[: cut + 1]
        # Not inside a parenthesis it opened ("通道待清算 (这是算资产吧借记？)…"): before it.
        opened = max(title.rfind("("), title.rfind("（"))
        if opened > 8 and not any(c in title[opened:] for c in ")）"):
            return title[:opened].rstrip() + "…"
        return title
    cut = max((body.rfind(p, 12, limit) for p in "，, "), default=-1)
    return (body[:cut] if cut > 0 else body[:limit]) + "…"


def _from_the_question(body: str) -> str:
    """A long message from the sentence that asks, when the opening sentence does not: a question
    is often asked after a remark or the setting ("商户只是客户一个业务影子…。如果一个营业执照下面有
    多个商户…怎么处理呢？"). The sentence asks plainly (a strong request word, or it ends with a
    question mark), fits a title whole and stands alone (not "还是…", "如果不能的话…"): in a long
    post, a sentence the question model accepts out of its context is often a statement."""
    sentences = [m for m in SENTENCE.finditer(body) if m.group().strip()]
    if len(sentences) < 2 or looks_like_question(sentences[0].group()):
        return body
    for m in sentences[1:]:
        sentence = m.group().strip().lstrip(SEPARATOR)
        plain = 12 <= len(sentence) <= TITLE_LIMIT and (STRONG_ASK.search(sentence) or sentence[-1] in "？?")
        if plain and not FOLLOW_UP.match(sentence) and looks_like_question(sentence):
            return body[m.start():].strip().lstrip(SEPARATOR)
    return body
