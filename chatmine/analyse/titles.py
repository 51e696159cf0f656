"""A Q&A page's title: the question's own words, without mentions, lead-ins and emoji, completed
from what its asker said just before, or what its conversation is about, when the sentence alone
does not say what it is about.

Input: a thread's QA (or a message). Output: one line of at most TITLE_LIMIT characters.
"""
from __future__ import annotations

import re
from functools import lru_cache

from chatmine.analyse.predicates import (
    is_chatter,
    is_thanks,
    on_subject,
)
from chatmine.analyse.questions import (
    ASK,
    STRONG_ASK,
    looks_like_question,
    question_text,
)
from chatmine.analyse.threads import content_set
from chatmine.model import Message, Thread
from chatmine.text.invisible import INVISIBLE
from chatmine.text.taxonomy import WEAK, load_taxonomy
from chatmine.text.tokens import read_userdict, terms as tokenize_terms

EMOJI_TAIL = re.compile(r"(?:\[[^\[\]\n]{1,6}\]|\s)+$")
HONORIFIC = "(?:大神|大佬|大大|大侠|大咖|大牛|老师|朋友|同学|同行|专家|前辈)"
"""How the group is addressed when asked (各位大神, 各位大大, 大佬们)."""
LEAD = re.compile(
    r"(?:(?:我|想|麻烦|弱弱[的地]?|再|还|顺便|顺道)*(?:向|跟)?(?:各位|大家)?(?:请教|请问|咨询|求教|求助|问问|问)(?:一下|下|个|一个|大家|各位|你们|群里)*"
    rf"(?:的?{HONORIFIC}们?)?(?:一个|一|个)?(?:(?:小白|简单的?|[\u4e00-\u9fff]{{2}})?小?问题|一句)?[哈啊呀]?"
    rf"(?:各位|大家|群里)?(?:的?{HONORIFIC}们?)?"
    rf"|(?:各位|大家|诸位)(?:的?{HONORIFIC}们?)?好?|(?:{HONORIFIC}|亲|兄弟)们好?|老大|群主|大哥|老铁"
    r"|不好意思|打扰(?:一下)?(?:大家|各位)?|[Hh]i|[Hh]ello|你好|大家好|(?:大家|各位)?(?:早安|早上好|上午好|下午好|晚上好)|嗯+|哦+|噢|哈+|是啊|是的|对的|对了|好吧|另外|但是|不过|所以|其实|话说|然后|而且"
    r"|感谢分享|谢谢分享|多谢|谢谢[哦啊呀]?|客气了哈?|赞+|真棒|(?:我)?还有(?:一|一点|个)?小?问题"
    r"|(?:我)?(?:忽然|突然)?(?:想到|有)(?:一|一个|个|几个|两个)?小?问题(?:想|要)?(?:请教|咨询|问问|问)(?:一下|下)?(?:大家|各位)?"
    r"|[\u4e00-\u9fff]{1,2}(?:总|老师|哥|姐))"
    r"\s*[，,：:～~！!。\s]\s*"
)
"""A clause a question opens with that says nothing of it: a request (请教个问题, 再咨询下, 我还有一点小问题,
请问各位大神一个问题哈, 咨询个合规问题, 向各位请教一下, 忽然想到一个问题请教一下),
a greeting, thanks or praise (大家早安, 谢谢哦, 真棒) or the people asked (各位大神, 冬哥), a filler
(嗯, 对了) or a connective to what was said before (但是, 所以, 话说). A title starts after it."""
CHATTER_BEFORE_REQUEST = re.compile(
    r"^[^，,。！!？?～~\s]{1,8}[～~，,。！!\s]+(?=(?:我|想)*(?:还有|有)(?:一|一点|个|一个)?小?问题|(?:我|想|麻烦)*(?:请教|请问|咨询|求助))"
)
"""A short aside before the request that opens a question ("吃饭呢吧～我还有一点小问题 …",
proddev/2017-05-13; "深圳 请问…", "ZXF： 请教个问题…"): a title starts at the request, and LEAD then
drops the request too, unless the aside names the subject ("协议支付的路由 咨询一个问题 …")."""
CONNECTIVE = re.compile(r"^(?:然后|而且|并且|或者说|或者|同时|另外就是|另外|再就是|还有就是|其实)(?![，,：:～~！!。\s一])")
"""A connective glued to what follows ("然后通过哪些方式管理核算这些备付金账户", "并且受理并确认…"):
the message goes on from the speaker's last one, which a title cannot show; it starts after it
(LEAD takes those followed by a comma)."""
GLUED_LEAD = re.compile(
    r"^(?:我|想)*(?:请问(?:一下|下)?|(?:请教|咨询)(?:一下|下)|问一?下)(?:大家|各位|群里)?(?=[\u4e00-\u9fff]{2}|[A-Za-z0-9]{2})"
    r"|^(?:大家|各位)的?(?!都|也|好|一起|觉得|认为|说|看)(?=[\u4e00-\u9fff]{2}|[A-Za-z0-9]{2})"
)
"""A request or the people asked, glued to the question with no comma: "请问第三方对接信用卡还款通道有
资质要求吗？" (prodarch/2018-06-05), "大家支付宝和微信的扫码成功率一般是多少？" (devarch/2018-04-24)."""
NAME_TAIL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9]* ){1,3}[A-Za-z][A-Za-z0-9]*\?(?=[^\s?？])")
"""The rest of a mentioned Latin name with spaces, up to the mangled separator ("@Kylin Rpay MD AUS?你们…",
prodarch/2018-01-27): the mention grammar (text/mentions.py) ends such a name at its first space."""
TITLE_LIMIT = 40
SENTENCE = re.compile(r"[^。！？?!；;\n]+(?:[。！？?!；;]+|$)|\n")
"""A sentence of a message: up to its closing punctuation (or a line break, or the end)."""
SEPARATOR = "-—－ ·*#>"
PLAIN_END = re.compile(r"(?:[?？]|(?:[吗嘛呢]|(?<![什怎那这多要])么)\W*)$")
FOLLOW_UP = re.compile(r"还是|或者?|如果不|要不|否则|另外|不然|那如果不")
CLAUSE_END = re.compile(r"([，,；;]\s*|(?<!\d)[：:]\s*|[：:](?!\d)\s*|(?<=[\u4e00-\u9fff）)])\s+(?=[\u4e00-\u9fff（(]))")
"""Where a clause of a sentence ends: a comma, semicolon or colon (not a time's, 23：59：59), or a space
between Han words."""
SPACED_CLAUSE = 6
"""A clause ended by a space, not punctuation, is that long at least, else it goes on with the next."""
NAMES = re.compile(r"[A-Za-z]{2,}|\d")
"""A Latin word or a number in a clause: a name (google play, P2P, 281号文, T+1) that says what is asked about."""
ALTERNATIVE = re.compile(r"\s*(?:还是|或者|或是)")
"""A clause offering the other choice goes with the clause offering the first."""
VAGUE = re.compile(r"^(?:这|那|此|它)|这个|这种|这样|这块|这类|这些|这里|那个|那种|上面|刚才|以上")
"""A title pointing at something said before it."""
POINTS_BACK = re.compile(r"^这")
"""A sentence opening on 这 (这个, 这种, 这两种 ...) points at what was said just before it."""
FOLLOWS_ON = re.compile(r"^(?:那么?|也就是说|就是说|所以说?)")
"""A question going on from the asker's own earlier one."""
FOLLOW_UP_SECONDS = 1200
"""A follow-up comes within twenty minutes of the question it follows."""
VAGUE_LIMIT = 24
CONTEXT_SECONDS = 300
"""The asker's message that completes a vague title was said at most five minutes before it."""

BARE_POINTER = re.compile(r"^(?:这个|那个|这|它|他|她)(?=[有是能可会要应需该都还也就怎如为算属在跟和对用不没咋指叫到吗呢？?])")
"""A title whose subject is a bare 这个/那个/它 ("这个有账单日吗？"): what it is about was said before it.
Not 那 alone: "那如何…", "那和…" is "then", the question goes on."""
SUBJECT_SECONDS = 1800
SUBJECT_MESSAGES = 12
"""The conversation's subject is read from its last twelve messages of the half hour before the question."""
LIVE_SECONDS = 300
"""The subject is still being talked about: one of the three messages before the question, within five
minutes, names it (a conversation's messages of twenty minutes before named another: "mq：这个是对应到你们
财务的会计科目上了么？", prodarch/2018-03-14)."""
GENERIC = frozenset(("银行", "商户", "用户", "交易", "资金", "业务", "平台", "公司", "系统", "账户", "微信", "支付宝",
                     "支付", "问题", "情况", "时候", "东西", "现在", "目前", "一般", "应该", "可以", "需要", "感觉",
                     "知道", "觉得", "没有", "这个", "那个", "什么", "怎么", "我们", "你们", "他们", "大家"))
"""Words most conversations name, which say nothing of what one is about."""


def title_of(thread: Thread, earlier: list[Message] | None = None) -> str:
    """The first question, shortened; else the first message with content, shortened. `earlier`:
    the messages of its conversation before the thread (threads.conversation_before), which a
    title pointing at what it is about is completed from."""
    if thread.qa:
        # The first answered question on a payment subject (a taxonomy term), so a reaction
        # like "大佬你们在说什么" does not name the thread; failing that, the first question;
        # a discussion's opening only where nothing was asked.
        pages = [qa for qa in thread.qa if qa.page]
        if pages:
            best = pages[0]
        else:
            asked = [qa for qa in thread.qa if qa.asks] or thread.qa
            answered = [qa for qa in asked if qa.answers] or asked
            best = next((qa for qa in answered if on_subject(qa.question.text)), answered[0])
        question = asked_first(best.question, thread.log.messages) if best.asks else best.question
        title = completed(shorten(question.text, asks=best.asks), question, thread.log.messages)
        if best.asks and earlier is not None:
            title = subject_completed(title, question, [*earlier, *(m for m in thread.messages if m.line < question.line)])
        return title
    for message in thread.messages:
        if not is_chatter(message) and message.kind != "link":
            return shorten(message.text)
    for message in thread.messages:
        text = shorten(message.text)
        if text:
            return text
    return thread.log.title


def asked_first(question: Message, messages: list[Message]) -> Message:
    """The question its asker asked minutes before, when this one follows it up ("也就是说没有期限的？
    除非用户主动解绑？" after "顺道问下，卡签约有期限吗？", prodarch/2018-04-24; "那这监管怎么监管？" after
    "以后盒子 钱方 乐惠 收钱吧这种是不是都不能做了？", proddev/2017-12-09): the first message of theirs
    within FOLLOW_UP_SECONDS that asks plainly and points at nothing before it."""
    body = question_text(question.text)
    if not FOLLOWS_ON.match(body):  # "这个有账单日吗？" asks of what was said, not a follow-up: completed()
        return question
    return next((m for m in messages if m.line < question.line and m.speaker == question.speaker
                 and 0 <= question.seconds - m.seconds <= FOLLOW_UP_SECONDS and m.kind == "text"
                 and plainly_asks(m.text) and not VAGUE.match(question_text(m.text))), question)


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
    said = shorten(context.text, asks=False)
    said = said if len(said) <= room else _cut(said, room - 1).rstrip("…") + "…"
    return f"{said.rstrip('。，,；;：:')}：{title}"


def subject_completed(title: str, question: Message, before: list[Message]) -> str:
    """A short title whose subject is a bare 这个/它 ("这个有账单日吗？") completed with what its
    conversation is about: "{subject}：{title}" ("分期：这个有账单日吗？", prodarch/2017-12-31, where
    seven of the twelve messages before it name 分期)."""
    if len(title) > VAGUE_LIMIT or not BARE_POINTER.match(title):
        return title
    subject = conversation_subject(question, before, title.lower())
    return f"{subject}：{title}" if subject and len(title) + len(subject) < TITLE_LIMIT else title


def conversation_subject(question: Message, before: list[Message], said: str) -> str | None:
    """The word the conversation `before` the question is about and `said` does not name: a domain
    term (the taxonomy's or the jieba dictionary's) three of its recent messages name, or another
    word four do, two speakers at least, still named just before the question; the most named."""
    recent = [m for m in before if m.kind == "text" and not is_chatter(m)
              and 0 <= question.seconds - m.seconds <= SUBJECT_SECONDS][-SUBJECT_MESSAGES:]
    live = {w.lower() for m in recent[-3:] if question.seconds - m.seconds <= LIVE_SECONDS for w in _words_in(m.text)}
    named: dict[str, list[Message]] = {}
    for message in recent:
        for word in _words_in(message.text):
            if word.lower() in live and word.lower() not in said and word not in GENERIC:
                named.setdefault(word.lower(), []).append(message)
    lexicon = _lexicon()
    subjects = [w for w, ms in named.items()
                if len(ms) >= (3 if lexicon.fullmatch(w) else 4) and len({m.speaker for m in ms}) >= 2]
    if not subjects:
        return None
    best = max(subjects, key=lambda w: (len(named[w]), len(w), named[w][-1].line))
    return next(iter(sorted(w for w in _words_in(named[best][-1].text) if w.lower() == best)))


@lru_cache(maxsize=1)
def _lexicon() -> re.Pattern:
    """The domain terms: the taxonomy's (not its weak ones) and the jieba user dictionary's."""
    taxonomy = load_taxonomy()
    words = {t for t, weight in taxonomy.weight_of.items() if weight > WEAK and len(t) >= 2}
    words |= {w.lower() for w, _, _ in read_userdict() if len(w) >= 2}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _words_in(text: str) -> set[str]:
    """A message's domain terms, as written, and its content words."""
    body = question_text(text)
    return {body[m.start():m.end()] for m in _lexicon().finditer(body.lower())} | content_set(tokenize_terms(body))


def plainly_asks(text: str) -> bool:
    """The text alone reads as a question, and asks in so many words (请教, 怎么, 有没有 ...) or
    ends like one (？, 吗, 呢 ...): not a statement that drew a discussion, which the pipeline
    counts as a question in its context ("可以分库分表。…都加的累死")."""
    body = question_text(text)
    return looks_like_question(text) and bool(STRONG_ASK.search(body) or PLAIN_END.search(body))


def shorten(text: str, limit: int = TITLE_LIMIT, asks: bool = True) -> str:
    """One line, no mentions or emoji codes, cut at a sentence end or at `limit` characters; a
    long question told by the clauses of its asking sentence, and of what comes before it, that
    fit (not a discussion's opening, `asks` false: a talk's questions are its own, rhetorical)."""
    body = INVISIBLE.sub("", question_text(text))  # a bidi override would turn the title around
    if text.lstrip().startswith("@"):
        body = NAME_TAIL.sub("", body, count=1)
    body = _after_lead(EMOJI_TAIL.sub("", body).strip(" ，,、。;；:：-"))
    if len(body) <= limit:
        return body
    asked = _asking_sentence(body) if asks else None
    if asked is None or asked[1] <= limit:
        return _cut(body, limit)
    start, end = asked
    sentence = _after_lead(body[start:end].strip().lstrip(SEPARATOR))
    if start and 12 <= len(sentence) <= limit:  # with the sentences after it that fit
        asked = _cut(_after_lead(body[start:].strip().lstrip(SEPARATOR)), limit)
        # "这个我们需要什么资质吗？" after the setting it points at: "我们有一个自己的钱包系统，…。"
        return _after_context(_context(body[:start]), asked, limit) if POINTS_BACK.match(sentence) else asked
    return _asking_clauses(body[:start], sentence, limit)


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
    glued = GLUED_LEAD.match(body)
    if glued and len(body) - glued.end() >= 8:
        body = body[glued.end():]
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


def _asking_sentence(body: str) -> tuple[int, int] | None:
    """Where the first sentence that asks plainly starts and ends: one with a strong request word,
    or ending like a question, that stands alone (not "还是…", "如果不能的话…") and that the
    question model accepts. A question is often asked after a remark or the setting ("商户只是客户
    一个业务影子…。如果一个营业执照下面有多个商户…怎么处理呢？")."""
    for m in SENTENCE.finditer(body):
        sentence = m.group().strip().lstrip(SEPARATOR)
        if len(sentence) < 6 or m.start() and FOLLOW_UP.match(sentence):
            continue
        if (STRONG_ASK.search(sentence) or PLAIN_END.search(sentence)) and looks_like_question(sentence):
            return m.start(), m.end()
    return None


def _asking_clauses(before: str, sentence: str, limit: int) -> str:
    """An asking sentence too long for a title (or too short to say what it is about), told by its
    asking clause and the clauses before it that fit: first those naming the subject (a taxonomy
    term, a Latin word or a number), then the nearest. "现在上传备付金核对校验表，都是上传到人总行，
    会遇到比较多的格式报错，都是怎么处理的呢？" (proddev/2017-07-11) is "现在上传备付金核对校验表，
    会遇到比较多的格式报错，都是怎么处理的呢？", not cut before its ask. The ask is the clause closing
    the sentence when it asks in words (是不是, 多少 ...), else the first that does and is more than a
    request ("有没有既有的方案可以采集到这批银行交易数据，…，然后落库？", not "请教一个问题，"), one
    asking in strong words (有没有, 是否 ...) first: a 几 ("这几天银联二维码很火，有没有…",
    proddev/2017-06-04) is a weak one. An ask offering a choice keeps both ("是立即将钱退回到用户账户，
    还是等到对账完成后，再退回到用户账户？", devarch/2018-05-03), not the subject's clauses between."""
    context = _context(before)
    clauses = _clauses(sentence)
    ask = len(clauses) - 1
    if not ASK.search(clauses[ask]):
        asking = [i for i, c in enumerate(clauses) if ASK.search(c) and not _only_lead(c)]
        ask = next((i for i in asking if STRONG_ASK.search(clauses[i])), asking[0] if asking else ask)
    if len(clauses[ask].strip()) > limit:
        return _cut("".join(clauses[ask:]).strip(), limit)
    if len("".join(clauses[ask:]).strip()) <= limit:  # the ask with the clauses closing it
        clauses[ask:] = ["".join(clauses[ask:])]
    first = ask  # and with the clauses it goes on from: "…，还是等到对账完成后，再退回到用户账户？"
    while first and (ALTERNATIVE.match(clauses[first]) or ALTERNATIVE.match(clauses[first - 1])):
        first -= 1
    if first < ask and len("".join(clauses[first:ask + 1]).strip()) <= limit:
        clauses[first:ask + 1] = ["".join(clauses[first:ask + 1])]
        ask = first
    return _after_context(context + clauses[:ask], clauses[ask], limit)


def _after_context(context: list[str], ask: str, limit: int) -> str:
    """`ask` after the clauses of `context` that fit: first those naming the subject (a taxonomy
    term, a Latin word or a number), then the nearest, up to one that does not fit."""
    clauses = context + [ask]
    ask = len(clauses) - 1
    chosen, size = {ask}, len(clauses[ask].strip())
    for i in range(ask):  # the clauses naming the subject, first to last
        if (NAMES.search(clauses[i]) or on_subject(clauses[i])) and size + len(clauses[i]) <= limit:
            chosen.add(i)
            size += len(clauses[i])
    for i in reversed(range(ask)):  # then the nearest, up to one that does not fit
        if i not in chosen:
            if size + len(clauses[i]) > limit:
                break
            chosen.add(i)
            size += len(clauses[i])
    return _after_lead("".join(clauses[i] for i in sorted(chosen)).strip().rstrip("，,、；;：: "))


def _context(before: str) -> list[str]:
    """The clauses of what a message says before its asking sentence."""
    return [c for s in SENTENCE.findall(before) for c in _clauses(s)]


def _only_lead(clause: str) -> bool:
    """The clause is a request that says nothing of the question ("请教一个问题，")."""
    lead = LEAD.match(clause.strip() + "，")
    return bool(lead) and lead.end() >= len(clause.strip())


def _clauses(sentence: str) -> list[str]:
    """A sentence's clauses, each with the punctuation or space that ends it; one ended by a space
    and shorter than SPACED_CLAUSE goes on with the next."""
    pieces = CLAUSE_END.split(sentence.strip().lstrip(SEPARATOR))
    pairs = (pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "") for i in range(0, len(pieces), 2))
    clauses: list[str] = []
    held = ""
    for clause in (c for c in pairs if c.strip()):
        held += clause
        # Words listed with spaces ("充值 提现 转账 等各个事件…") are one clause, not several:
        # picked one by one they made "提现 等各个事件要一一接入 风控 限额 提现 …？".
        if not (clause[-1].isspace() and len(held.strip()) < SPACED_CLAUSE):
            clauses.append(held)
            held = ""
    if held:  # the sentence ended on a short spaced piece
        clauses.append(held)
    return clauses
