"""Personal data out of what is published: masked numbers and e-mails, aliases, opt-outs.

Input: analysed logs and threads and a Policy. Output: redacted copies (the originals are
untouched, so `chatmine export` keeps the data whole unless asked). The site, its search
index and its feed are all rendered from these copies, so nothing else needs to know.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from chatmine.analyse.threads import conversation_before
from chatmine.analyse.titles import title_of
from chatmine.errors import ChatmineError
from chatmine.model import Log, Message, Profile, Thread
from chatmine.text.mentions import MENTION
from chatmine.text.speakers import SEPARATORS, split_profile

# Numbers inside URLs are image names and article ids, not people's: left alone, so
# links keep working (a Luhn check passes one digit run in ten).
# A URL ends at the first character a URL cannot hold: chat runs Chinese text right on.
URL_SPAN = re.compile(r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+", re.I)
ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
# 13-19 digits, whole or in groups of four as people type them (6222 0212 3456 7890 123).
BANK_CARD = re.compile(r"(?<![\d])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?)(?!\d)")
# Mainland mobile: 1[3-9]x xxxx xxxx, with +86 / 86 and spaces or dashes as typed.
MOBILE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")
# Every pattern above needs an @ or 11+ digits with at most one space or dash between any two:
# most messages have neither, and this one search clears them (masking the corpus: 1.2 s -> 0.3 s).
MAY_MASK = re.compile(r"@|\d(?:[ -]?\d){10}")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
OPTED_OUT_TEXT = "（该成员的发言已按本人要求隐去）"
OPTED_OUT_NAME = "（已隐去）"


@dataclass(frozen=True, slots=True)
class Policy:
    """What to take out of published output."""

    mask: bool = True
    """Mask mobile, ID card and bank card numbers and e-mail addresses."""
    pseudonymize: bool = False
    """Replace speaker names (in headers, mentions and text) with stable aliases."""
    keep_org_role: bool = False
    """With pseudonymize: keep the org and role parts of a speaker (the city goes)."""
    opt_out: frozenset[str] = frozenset()
    """Names whose messages are published as a placeholder and who are never named."""

    @property
    def active(self) -> bool:
        return self.mask or self.pseudonymize or bool(self.opt_out)


def read_opt_out(path: Path) -> frozenset[str]:
    """A plain file: one name a line (the name part of `name-org-role`), `#` starts a comment."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ChatmineError(str(path), None, f"cannot read the opt-out list ({err})") from None
    names = {line.split("#", 1)[0].strip() for line in text.splitlines()}
    return frozenset(name for name in names if name)


# --- masking -------------------------------------------------------------------------

def id_card_valid(number: str) -> bool:
    """GB 11643 check character: weighted sum of the first 17 digits mod 11."""
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _mask_id(match: re.Match) -> str:
    number = match.group(0)
    return "*" * 14 + number[-4:] if id_card_valid(number) else number


def _mask_card(match: re.Match) -> str:
    digits = re.sub(r"[ -]", "", match.group(0))
    return "**** **** " + digits[-4:] if 13 <= len(digits) <= 19 and luhn_valid(digits) else match.group(0)


def _mask_plain(text: str) -> str:
    text = ID_CARD.sub(_mask_id, text)
    text = BANK_CARD.sub(_mask_card, text)
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)


def mask_text(text: str) -> str:
    """Mask personal numbers and e-mail addresses; URLs (outside a mailto) are kept intact."""
    return outside_urls(text, _mask_plain) if text and MAY_MASK.search(text) else text


def outside_urls(text: str, change) -> str:
    """`change` applied to the text between URLs; the URLs themselves are kept as written."""
    out, pos = [], 0
    for match in URL_SPAN.finditer(text):
        out.append(change(text[pos:match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(change(text[pos:]))
    return "".join(out)


# --- names ---------------------------------------------------------------------------

def name_parts(speaker: str) -> list[str]:
    """Every part of a speaker as written: split_profile guesses which is the name, and
    guesses wrong on `联金所-产品-马忠信-深圳`; an opt-out must not depend on that guess."""
    return [p for p in SEPARATORS.split(speaker.strip()) if p]


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _name_like(name: str, words: frozenset[str] | dict) -> bool:
    return len(name) >= 2 and any(ch.isalnum() for ch in name) and name not in words


def dictionary_words():
    """jieba's dictionary (words and their prefixes): what a name must not be to be replaced in text."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt.FREQ


def opted_out(message: Message, names: frozenset[str]) -> bool:
    return bool(names) and bool(message.speaker) and (
        message.profile.name in names or any(p in names for p in name_parts(message.speaker)))


def alias(name: str) -> str:
    """A stable alias: the same name gets the same alias in every build.

    A plain hash can be reversed by hashing a list of likely names; set CHATMINE_ALIAS_KEY
    (kept private, and the same for every build) to make aliases a keyed HMAC instead.
    """
    key = os.environ.get("CHATMINE_ALIAS_KEY", "").encode("utf-8")
    return "成员" + hmac.new(key, name.encode("utf-8"), hashlib.sha1).hexdigest()[:6].upper()


def _alternation(words: list[str]) -> re.Pattern | None:
    """One regex for many names, longest first, as a trie so 1,000 names stay fast."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def pattern(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return re.compile(pattern(trie)) if words else None


class Namer:
    """Rewrites speaker names wherever they appear: header, profile, mentions, text."""

    def __init__(self, logs: list[Log], policy: Policy):
        self.policy = policy
        self.names: dict[str, str] = {}
        """Written form (full speaker string or name part) -> what is published instead."""
        for log in logs:
            for message in log.messages:
                name = message.profile.name
                if not name:
                    continue
                if opted_out(message, policy.opt_out):
                    self.names[message.speaker] = OPTED_OUT_NAME
                elif policy.pseudonymize:
                    self.names[message.speaker] = self.speaker(message.profile)
                    self.names[name] = alias(name)
        for name in policy.opt_out:
            self.names.setdefault(name, OPTED_OUT_NAME)
        # Some people call themselves 什么, 花生 or ??: replacing those in running text would
        # eat 2,796 ordinary 什么 in the corpus. Headers are always replaced; in text, only
        # names that are not dictionary words (or that a person asked to have removed).
        words = dictionary_words()
        self.pattern = _alternation([w for w in self.names if w in policy.opt_out or _name_like(w, words)])

    def speaker(self, profile: Profile) -> str:
        if not self.policy.pseudonymize:
            return ""
        parts = [alias(profile.name)]
        if self.policy.keep_org_role:
            parts += [p for p in (profile.org, profile.role) if p]
        return "-".join(parts)

    def text(self, text: str) -> str:
        """Whole mentions first (`@朱文义-廊银-架构师-北京` names org and city too), then names."""
        if not self.pattern or not text:
            return text
        return outside_urls(text, lambda part: self.pattern.sub(self._name, MENTION.sub(self._mention, part)))

    def _name(self, match: re.Match) -> str:
        """An ASCII name inside a longer ASCII word (Tim in Timeout) is not the name."""
        text, start, end = match.string, match.start(), match.end()
        inside = (start > 0 and _ascii_word(text[start - 1]) and _ascii_word(text[start])) or (
            end < len(text) and _ascii_word(text[end]) and _ascii_word(text[end - 1]))
        return match.group(0) if inside else self.names[match.group(0)]

    def _mention(self, match: re.Match) -> str:
        who = match.group("name")
        head = match.string[match.start():match.start("name")]  # @, or @?? as some exports wrote it
        tail = match.string[match.end("name"):match.end()]
        if who in self.names:
            return head + self.names[who] + tail
        if set(name_parts(who)) & self.policy.opt_out:
            return head + OPTED_OUT_NAME + tail
        name = split_profile(who).name
        return head + self.names[name] + tail if name in self.names else match.group(0)


# --- the archive ---------------------------------------------------------------------

def redact_archive(logs: list[Log], threads: list[Thread], policy: Policy) -> tuple[list[Log], list[Thread]]:
    """Redacted copies of logs and threads, linked to each other as the originals were."""
    if not policy.active:
        return logs, threads
    every_log = _all_logs(logs, threads)
    namer = Namer(every_log, policy) if policy.pseudonymize or policy.opt_out else None

    def clean(text: str) -> str:
        text = namer.text(text) if namer else text
        return mask_text(text) if policy.mask else text

    copies: dict[int, Message] = {}
    new_logs = {id(log): _redact_log(log, policy, namer, clean, copies) for log in every_log}
    by_id = {t.id: t for t in threads}
    return [new_logs[id(l)] for l in logs], [_redact_thread(t, new_logs[id(t.log)], copies, policy, clean, by_id)
                                              for t in threads]


def _all_logs(logs: list[Log], threads: list[Thread]) -> list[Log]:
    seen = {id(log): log for log in logs}
    for thread in threads:
        seen.setdefault(id(thread.log), thread.log)
    return list(seen.values())


def redact_threads(threads: list[Thread], policy: Policy = Policy()) -> list[Thread]:
    """For `chatmine export --redact`: threads with their logs redacted."""
    return redact_archive([], threads, policy)[1]


def _redact_log(log: Log, policy: Policy, namer: Namer | None, clean, copies: dict[int, Message]) -> Log:
    messages = []
    for message in log.messages:
        copy = _redact_message(message, policy, namer, clean)
        copies[id(message)] = copy
        messages.append(copy)
    meta = {k: clean(v) if isinstance(v, str) else v for k, v in log.meta.items()}
    title, author, preamble = clean(log.title), clean(log.author), clean(log.preamble)
    if (title, author, preamble, meta) == (log.title, log.author, log.preamble, log.meta) \
            and all(copy is message for copy, message in zip(messages, log.messages)):
        return log  # nothing to hide (most logs): no copy, nor of its threads (_redact_thread)
    return replace(log, title=title, author=author, preamble=preamble, messages=messages, meta=meta)


def _redact_message(message: Message, policy: Policy, namer: Namer | None, clean) -> Message:
    if opted_out(message, policy.opt_out):
        return replace(message, speaker="", profile=Profile(""), text=OPTED_OUT_TEXT, kind="text",
                       mentions=[], urls=[], images=[])
    speaker, profile = message.speaker, message.profile
    pseudonym = bool(namer and policy.pseudonymize and profile.name)
    text = clean(message.text)
    mentions = [clean(m) for m in message.mentions]
    if not pseudonym and text == message.text and mentions == message.mentions:
        return message  # nothing to hide (most messages): no copy, 1 s on the whole corpus
    if pseudonym:
        speaker = namer.speaker(profile)
        kept = (profile.org, profile.role) if policy.keep_org_role else ("", "")
        profile = Profile(alias(profile.name), *kept)
    return replace(message, speaker=speaker, profile=profile, text=text, mentions=mentions,
                   urls=list(message.urls), images=list(message.images))


def _redact_thread(thread: Thread, log: Log, copies: dict[int, Message], policy: Policy, clean,
                   by_id: dict[str, Thread]) -> Thread:
    """The thread over the redacted messages; a Q&A whose question was opted out goes,
    and so does a title taken from an opted-out message (it is chosen again)."""
    title, cluster = clean(thread.title), clean(thread.cluster)
    if log is thread.log and (title, cluster) == (thread.title, thread.cluster):
        return thread  # its log kept every message as it was (_redact_log): none opted out
    qa = [replace(q, question=copies[id(q.question)],
                  answers=[copies[id(a)] for a in q.answers if not opted_out(a, policy.opt_out)])
          for q in thread.qa if not opted_out(q.question, policy.opt_out)]
    messages = [copies[id(m)] for m in thread.messages]
    # Emerging-topic names are frequent words, and a frequent word can be a person's name.
    redacted = replace(thread, log=log, messages=messages, qa=qa, title=title, cluster=cluster)
    spoken = [copies[id(m)] for m in thread.messages if not opted_out(m, policy.opt_out)]
    if len(spoken) < len(messages) and thread.title:
        earlier = [copies[id(m)] for m in conversation_before(thread, by_id)
                   if id(m) in copies and not opted_out(m, policy.opt_out)]
        redacted.title = (title_of(replace(redacted, messages=spoken), earlier) if spoken else "") or log.title
    return redacted


def policy_for(options) -> Policy:
    """The Policy a `chatmine build` asked for (BuildOptions: redact, pseudonymize, opt_out ...)."""
    return Policy(
        mask=options.redact,
        pseudonymize=options.pseudonymize,
        keep_org_role=getattr(options, "keep_org_role", False),
        opt_out=read_opt_out(options.opt_out) if options.opt_out else frozenset(),
    )
