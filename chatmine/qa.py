"""Questions, their answers and a title, inside one thread.

Input: a Thread's messages. Output: QA records (question, answers, resolved) and a title.

Question detection is rules over the text without mentions and emoji, measured on the
hand-labelled sample in tests/data/questions.tsv (figures in the README): a request word
(请教, 有没有, 怎么 ...) or a question ending, minus reactions ("是吗？"), roll calls
("有人在吗"), rhetorical forms ("难道", "不就行了吗") and announcements.
"""
from __future__ import annotations

import re
from functools import lru_cache

from chatmine.model import Message, QA, Thread
from chatmine.tokens import clean, terms

# A quoted message the asker replies to: 「name：quoted text」 - - - - question.
QUOTE = re.compile(r"^「[^」]*」\s*(?:[-－—]\s*)+")
ASK = re.compile(
    r"请教|请问|求教|求助|求问|咨询一下|咨询下|问一下|问下|问个|想问|想了解|请大家|请各位|求推荐|推荐一?[个下本]|"
    r"有没有|有木有|有谁|有人(?:知道|了解|用过|做过|遇到|接过|对接)|哪位|谁(?:知道|有|了解|能)|"
    r"(?<!不)怎么(?!样|没)|怎样|(?<!不)咋|如何|什么时候|为什么|为啥|是否|能否|可否|是不是|有什么|有啥|什么是|是什么|是啥|啥是|"
    r"哪[些家个里种位款儿]|多少|多久|有几|几[天种家]|几个[？?]|区别|差别|指的是|是指|(?<![没不])(?<!没有)什么|谁帮|帮忙(?:看|解释|普及)|普及[一下]|科普|会不会|有个问题|[两几]个问题"
)
STRONG_ASK = re.compile(
    r"请教|请问|求助|求教|想问|想了解|有没有|有谁|哪位|谁知道|(?<!不)怎么(?!样|没)|如何|有什么|是否|能否|可否|有哪些|为什么|为啥|不清楚"
)
MID_ASK = re.compile(r"吗[，,。 ](?=\S)|呢[，,](?=\S)")
ASK_END = re.compile(r"(?:吗|么|嘛|麽|嚒|没|不|否|啥|是指|指的是|指|请教|么样|来着|(?:的|了|是|对|有)吧)[~～。.!！?？]*$")
# "A还是B" asks to choose; "还是太少" does not: a 是 before it, or 还是 opening a clause.
ALTERNATIVE = re.compile(r"是[^。！!，,]{0,30}还是|[，,]\s*还是[^。！!，,]{0,25}[？?]")
HEDGE = re.compile(r"应该|也许|估计|可能|大概")
CONCESSIVE = re.compile(r"不管|无论|不论")
QMARK = re.compile(r"[?？]")
# The export turned phone emoji and U+2005 into ASCII `?`: runs of them (`赞????`), and a `?`
# after punctuation or at the start, are not question marks. A full-width `？` always is.
MANGLED_QMARK = re.compile(r"\?{2,}|(?<=[。，！,!.、~～:：\s])\?|^\?")
# Echoes and reactions: a short line with a question mark and no request word
# ("还能这么玩？", "利润还有那么高？") is surprise, not a request.
SHORT = 8
# Drawing a conclusion for others to confirm ("按这意思，银行不能反接三方了"): the archive's
# editors list these as questions in their digests, and the replies answer them.
INFERENCE = re.compile(r"^(?:这么说来?|按这意思|按这个意思|按照这个意思|看来|也就是说|那就是说|难道|那岂不|岂不)|岂不是")
JOKE = re.compile(r"\[(?:阴险|坏笑|奸笑|调皮|得意)\]\s*$")
CLAUSE = re.compile(r"[，,。；;！!：:\s]+")
OPINION = re.compile(r"我觉得|其实|我理解|个人觉得|我认为|我估计|我倒认为|我倒觉得")
REQUEST = re.compile(r"请教|请问|求教|求助|想问|问一下|问下")
RHETORICAL = re.compile(r"不是[^，,。？?！!]{0,20}[吗么]|不然|你以为|又不是|哪有|有啥好|有啥恶心|我该|敢玩|"
    r"^你是.{0,12}的[？?]|哪里.{0,4}了|发我|发给我|私聊|加个?微信|[叫是]啥[？?]*@|公司叫啥|不就行了|不就是|凭什么|还能这么|还能怎么|不更|^你是.{0,12}[吗么嘛]|你在哪|回来了[吗么]")
NOT_A_QUESTION = re.compile(
    r"^(?:是吗|真的吗?|是么|是嘛|对吗|对吧|好吗|可以吗|有人吗?|在吗|有人在吗|人呢|还有吗|然后呢|还有呢|谁|啥|"
    r"什么|为啥|为什么|怎么了|干嘛|不是吗|不会吧|有吗|在哪|是啊|真的假的|what|why|\?+|？+)[?？!！。.~～]*$"
    r"|不就行了|不就是|凭什么|^.{0,6}在吗[?？!！。.~～]*$|还有谁|谁来|欢迎|报名|签到|预告|分享嘉宾|主题是|红包"
)
ANNOUNCE = re.compile(r"今晚|今天请到|分享主题|群公告|@所有人\s*$")
RESOLVED = re.compile(r"谢谢|感谢|多谢|谢了|明白了|了解了|懂了|清楚了|原来如此|学习了|\[抱拳\]|\[握手\]")
EMOJI_TAIL = re.compile(r"(?:\[[^\[\]\n]{1,6}\]|\s)+$")
TITLE_LIMIT = 40
MAX_ANSWERS = 20
RECENT_QUESTIONS = 8
RECENT_SECONDS = 1800
"""An answer also goes to the last few questions of the past half hour still short of answers."""


def question_text(text: str) -> str:
    """What a question test looks at: no mentions, emoji, links, quoted message or mangled `?`."""
    text = QUOTE.sub("", clean(text)).strip()
    text = MANGLED_QMARK.sub(" ", text).strip()
    return re.sub(r"\s+", " ", text)


@lru_cache(maxsize=1 << 17)
def looks_like_question(text: str) -> bool:
    """A real request for information or advice (context-free: one message's text)."""
    body = question_text(text)
    if len(body) < 3 or NOT_A_QUESTION.search(body):
        return False
    if ANNOUNCE.search(body) and not ASK.search(body[:30]):
        return False
    if RHETORICAL.search(body) and not REQUEST.search(body):
        return False
    if body.endswith(("!", "！")) and not REQUEST.search(body):
        return False  # "风控形同虚设？支付机构这样回复也是醉了！" exclaims
    if JOKE.search(text):
        return False
    if INFERENCE.match(body) and len(body) >= 8:
        return True
    asks = ASK.search(body) or ASK_END.search(body)
    if len(body) <= SHORT and not asks:
        return False
    if QMARK.search(body[-2:]) or "？" in body and len(body) > SHORT:
        return True
    if ASK_END.search(body) and len(body) >= 4:
        # "收单机构应该都有吧" guesses aloud; "…的吧？" with a question mark was caught above.
        return not (body.rstrip("~～。.!！").endswith("吧") and HEDGE.search(body))
    if MID_ASK.search(body) or ALTERNATIVE.search(body) and not CONCESSIVE.search(body):
        return True
    # Without a question ending, a request word counts only where a request is phrased: at the
    # start or the end of the message, not in the middle of an opinion ("…如何改造，大家多交流。").
    if len(body) < 6 or body.endswith(("!", "！")) or OPINION.match(body):
        return False
    clauses = [c for c in CLAUSE.split(body) if c]
    return bool(clauses) and bool(ASK.search(clauses[0]) or ASK.search(clauses[-1]))


def find_qa(thread: Thread, terms_of: dict[int, list[str]] | None = None) -> list[QA]:
    """Each question of the thread with the messages that answer it, in thread order.

    An answer: a message with content by someone other than the asker, after the question.
    It goes to the question whose asker it @mentions (the strongest signal in these groups),
    else to the latest question by someone else, and also to the other questions asked in the
    half hour before it that have few answers yet: in a busy group two questions are often
    asked back to back and answered together. An answer sharing content words with an earlier
    question goes to it too: in a long discussion, replies to the first question keep coming
    after others were asked. The asker's thanks marks the question resolved. `terms_of` maps
    id(message) to its tokens when the caller has them (analyse does), else they are computed.
    """
    from chatmine.threads import STOP, is_chatter

    seen: dict[int, set[str]] = {}

    def words(message: Message) -> set[str]:
        key = id(message)
        if key not in seen:
            found = terms_of.get(key) if terms_of is not None else None
            if found is None:
                found = terms(message.text)
            seen[key] = {w for w in found if len(w) > 1 and w not in STOP}
        return seen[key]

    qas: list[QA] = []
    asked_last: dict[str, QA] = {}
    for message in thread.messages:
        if looks_like_question(message.text):
            # A question right after someone else's on the same words is often a reply
            # ("是不是…吧？"): it joins that question's answers as well as starting its own.
            addressed = _addressed(qas, message)
            for qa in addressed or _open(qas, message)[-1:]:
                close = 0 <= _seconds(message) - _seconds(qa.question) <= 600
                related = addressed or len(words(message) & words(qa.question)) >= 2
                if close and related and len(qa.answers) < MAX_ANSWERS:
                    qa.answers.append(message)
            qas.append(QA(question=message))
            asked_last[message.speaker] = qas[-1]
            continue
        own = asked_last.get(message.speaker) if message.speaker else None
        if own and own.answers and RESOLVED.search(message.text):
            own.resolved = True
        if is_chatter(message) or not qas or _is_thanks(message):
            continue
        addressed = _addressed(qas, message)
        targets = addressed or _open(qas, message)
        if not addressed and len(qas) > len(targets):
            related = _related(qas, message, words)
            if related is not None and related not in targets:
                targets.append(related)
        for qa in targets:
            if len(qa.answers) < MAX_ANSWERS:
                qa.answers.append(message)
    return qas


def _is_thanks(message: Message) -> bool:
    """Thanks and praise ("非常感谢，都是干货") reply to someone but answer nothing."""
    body = question_text(message.text)
    return len(body) < 25 and bool(RESOLVED.search(body))


def _related(qas: list[QA], message: Message, words) -> QA | None:
    """The earlier question by someone else sharing the most content words (2+) with `message`."""
    mine = words(message)
    if len(mine) < 2:
        return None
    best, best_shared = None, 1
    for qa in qas:
        if qa.question.speaker == message.speaker and message.speaker:
            continue
        shared = len(mine & words(qa.question))
        if shared > best_shared:
            best, best_shared = qa, shared
    return best


def _open(qas: list[QA], message: Message) -> list[QA]:
    """The latest question by someone else, plus recent ones still waiting for answers."""
    others = [qa for qa in qas if qa.question.speaker != message.speaker or not message.speaker]
    if not others:
        return []
    now = _seconds(message)
    recent = [
        qa for qa in others[-RECENT_QUESTIONS - 1 : -1]
        if len(qa.answers) < 10 and 0 <= now - _seconds(qa.question) <= RECENT_SECONDS
    ]
    return recent + [others[-1]]


def _seconds(message: Message) -> int:
    return _clock(message.time)


@lru_cache(maxsize=None)
def _clock(time: str) -> int:
    """Seconds since midnight of an HH:MM:SS header (0 when it is not one)."""
    parts = time.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return 0
    h, m, s = map(int, parts)
    return h * 3600 + m * 60 + s


def _addressed(qas: list[QA], message: Message) -> list[QA]:
    """Questions whose asker this message @mentions (latest such question only)."""
    for qa in reversed(qas):
        asker = qa.question
        if asker.speaker != message.speaker and any(_names(mention, asker) for mention in message.mentions):
            return [qa]
    return []


def _names(mention: str, message: Message) -> bool:
    name = message.profile.name
    return bool(name) and (name in mention or mention.startswith(message.speaker[:6]))


def title_of(thread: Thread) -> str:
    """The first question, shortened; else the first message with content, shortened."""
    from chatmine.threads import is_chatter

    if thread.qa:
        # The first answered question on a payment subject (a taxonomy term), so a reaction
        # like "大佬你们在说什么" does not name the thread; failing that, the first question.
        from chatmine.topics import lexicon_scores

        answered = [qa for qa in thread.qa if qa.answers] or thread.qa
        best = next((qa for qa in answered if _on_subject(qa.question.text, lexicon_scores)), answered[0])
        return shorten(best.question.text)
    for message in thread.messages:
        if not is_chatter(message) and message.kind != "link":
            return shorten(message.text)
    for message in thread.messages:
        text = shorten(message.text)
        if text:
            return text
    return thread.log.title


def _on_subject(text: str, lexicon_scores) -> bool:
    scores = lexicon_scores(question_text(text))
    return any(tag != "other" for tag in scores)


def shorten(text: str, limit: int = TITLE_LIMIT) -> str:
    """One line, no mentions or emoji codes, cut at a sentence end or at `limit` characters."""
    body = question_text(text)
    body = EMOJI_TAIL.sub("", body).strip(" ，,、。;；:：-")
    if len(body) <= limit:
        return body
    cut = max((body.rfind(p, 8, limit) for p in "？?。！!；;"), default=-1)
    if cut > 0:
        return body[: cut + 1]
    cut = max((body.rfind(p, 12, limit) for p in "，, "), default=-1)
    return (body[:cut] if cut > 0 else body[:limit]) + "…"
