"""The @mention grammar, written once: what a mention of a group member looks like in a message.

Used by the parser (who a message mentions), the text cleaner and the search (a mention is no
part of what was said), the site's renderer (a mention links to the member's page) and the
masking of personal data (a mention names org and city too).
"""
from __future__ import annotations

import re

MENTION_STOP = "\\s@?？\u2005，。！；：、,;:"
"""What ends an @mention's name besides its tail: a space, WeChat's U+2005 (or the `?` some exports
wrote for it), another @, or punctuation: "@所有人，请问下那位有银联国际的业务操作规范？" mentions 所有人, and
the question after the comma is text (83 of the corpus's 10,541 mentions ran on into it)."""
AFTER_NO_ADDRESS = r"(?<![A-Za-z0-9._%+/*-])"
"""An @ after these is inside an e-mail address (pay@163.com, or d***@example.com as published) or a
URL, not a mention."""
NAME_TAIL = (
    r"(?:(?: [A-Za-z]+)? (?=[^\s@]*[\u4e00-\u9fff])[^\s@?？\u2005|｜-]*(?:[-|｜][^\s@?？\u2005|｜-]+){2,}"
    r"|(?: [-－—] [^\s@?？\u2005|｜\-－—]+)(?:(?: [-－—] |[-－—])[^\s@?？\u2005|｜\-－—]+)+)?"
)
"""The rest of an @mention whose name holds a space ("@Summer 梁夏-丰瑞祥-GM-BJ", "@White -国美PM-北京",
"@A Lifer-小鱼金服-产品-上海", "@Jin He 何瑾|新生|跨境支付", "@Phyllis Min -信用卡中心-HK"): after a
space (and one more Latin word), a word of three or more parts joined by - or |, one of them Han;
or two or more parts after a dash between spaces ("@李艳鹏 - 蚂蚁 - 高级技术专家", "@shawn - 小黑鱼 - 上海",
"@汤霆 - 医美消金-pm-上海": 23 lines; "@X - 好" stays a name and its text)."""

MENTION = re.compile(
    AFTER_NO_ADDRESS + rf"@[?？]{{0,2}}(?P<name>[^{MENTION_STOP}]+(?: ?[|｜] ?[^{MENTION_STOP}|｜]+)*" + NAME_TAIL
    + r")[?？\u2005 ]?"
)
"""One mention: @, the mangled U+2005 some exports wrote as ?? (@??亚楠), the name (group `name`),
and the one separator after it (?, U+2005 or a space), which belongs to the mention, not the text."""
