"""What a single message is, read on its own: an echo, a moderator's notice, chatter, thanks, on a
payment subject. Threads, questions, answers and pages all ask these; each is written here once.
"""
from __future__ import annotations

import re
from functools import lru_cache

from chatmine.analyse.questions import asks_by_rules, question_text
from chatmine.model import Message
from chatmine.text.taxonomy import lexicon_scores
from chatmine.text.tokens import clean

CHATTER = re.compile(
    r"^(签到|报名|已报名|早|早上好|早安|午安|晚安|大家好|各位好|欢迎|欢迎欢迎|哈+|呵+|嘿+|嗯+|哦+|噢+|恩+|"
    r"好的?|好吧|ok|OK|收到|谢谢|多谢|感谢|感谢分享|谢谢分享|多谢分享|赞|点赞|厉害|牛|威武|学习了?|"
    r"同问|\+1|1|666+|是的|对|对的|对啊|没错|不是|是|可以|行|嗯嗯|哈哈哈*|鼓掌|顶|mark|Mark)"
    r"[!！。.~～、，, ]*$"
)
POLITE = re.compile(r"谢谢|感谢|多谢|签到|欢迎|爬楼|看聊天记录|辛苦|早上好|晚安|新年快乐|节日快乐")
NOTICE = re.compile(
    r"请到.{0,40}给大家(?:做)?分享|邀请.{0,40}来做分享|嘉宾分享|分享期间|签到时间|签到手势|停止签到|"
    r"进群的同学|本群建设目标|未确定分享|预约.{0,8}分享|分享.{0,8}(?:报名|名额)"
)
"""A moderator's notice to the group: a talk announced ("今天请到一位朋友，@X 给大家做分享，主题是…
开始时间为【19:30】"), sign-in called or stopped, the group's rules for newcomers (187 messages of
the corpus). Not the talk itself ("今天给大家分享一下支付路由在我司的一些实践")."""
RESOLVED = re.compile(r"谢谢|感谢|多谢|谢了|明白了|了解了|懂了|清楚了|原来如此|学习了|\[抱拳\]|\[握手\]")


def is_echo(message: Message, previous: Message | None) -> bool:
    """The archive's second record of the message before it: the same second and the same words
    under another form of the speaker's name (`Tim` then `Tim-深圳百灵鸟-架构`); 6% of the
    corpus's messages. It stays in its thread but asks and answers nothing."""
    return (
        previous is not None and message.time == previous.time and message.speaker != previous.speaker
        and message.text == previous.text and bool(message.text.strip())
    )


def is_notice(message: Message) -> bool:
    """A moderator's notice (NOTICE): it answers nothing and opens no discussion. 42 of them were
    linked as answers to whatever was asked before the evening's talk ("哪位兄台接过苹果应用支付…"
    answered by "今天请到一位朋友…给大家做分享"), 9 opened a discussion."""
    return bool(NOTICE.search(message.text))


WORDLESS = ("image", "emoji", "empty")
"""Message kinds with no words of their own (a picture's text is [图片]): chatter, and in no search record."""


def is_chatter(message: Message) -> bool:
    """Greetings, reactions, emoji, images, empty bodies: they carry no subject of their own."""
    return message.kind in WORDLESS or _chatter_text(message.text)


@lru_cache(maxsize=1 << 17)
def _chatter_text(text: str) -> bool:
    # Remembered: threads, questions, Q&A and pages ask it of each message (147,391 calls for
    # 29,611 messages on a quarter of the corpus).
    text = clean(text).strip()
    if not text or len(text) <= 1 or CHATTER.match(text):
        return True
    return len(text) <= 12 and bool(POLITE.search(text)) and not asks_by_rules(text)


def is_thanks(message: Message) -> bool:
    """Thanks and praise ("非常感谢，都是干货") reply to someone but answer nothing."""
    body = question_text(message.text)
    return len(body) < 25 and bool(RESOLVED.search(body))


def on_subject(text: str) -> bool:
    """A taxonomy term of a payment subject in the text (taxonomy.lexicon_scores)."""
    scores = lexicon_scores(question_text(text))
    return any(tag != "other" for tag in scores)
