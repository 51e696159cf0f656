"""Records passed between chatmine's stages: parse -> threads -> topics -> index -> site.

Plain dataclasses; every stage reads these and returns new ones, none reaches back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date, datetime
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class Profile:
    """A speaker name split into its parts (`name-org-role-city`, parts may be missing)."""

    name: str
    """The person's name: the part a mention and a speaker page are resolved by."""
    org: str = ""
    """Company or bank, as written."""
    role: str = ""
    """Job: 产品, 架构师, 技术 ..."""
    city: str = ""
    """City, as written (北京, 上海, BJ ...)."""


@dataclass(slots=True)
class Message:
    """One chat message: a header line (`> HH:MM:SS  speaker`) and the body lines under it."""

    line: int
    """1-based line number of the header in the file (the anchor #L<line> on day pages)."""
    time: str
    """HH:MM:SS, zero-padded, as in the header."""
    datetime: datetime | None
    """Full timestamp (the log's date + time); None where the time is impossible (25:61:00)."""
    speaker: str
    """Header text after the time, stripped; empty for the speakerless early dumps."""
    profile: Profile
    """The speaker split into name/org/role/city."""
    text: str
    """Body with trailing spaces removed, separator lines dropped, inner blank lines kept."""
    kind: str = "text"
    """text / image / file / link / emoji / empty."""
    mentions: list[str] = field(default_factory=list)
    """`@name` mentions as written (without the @)."""
    urls: list[str] = field(default_factory=list)
    """Every http(s) URL in the body, in order."""
    images: list[str] = field(default_factory=list)
    """URLs of images (`![..](url)`) in the body."""
    raw_lines: int = 0
    """How many body lines the file had under this header (separators included)."""

    @property
    def seconds(self) -> int:
        """Seconds since midnight of `time` (0 when it is not HH:MM:SS): how far apart two
        messages of a day are."""
        return clock_seconds(self.time)

    def as_json(self) -> dict:
        """The MSG object of the export schema (other fields are additions)."""
        return {
            "line": self.line,
            "time": self.time,
            "speaker": self.speaker,
            "text": self.text,
            "kind": self.kind,
        }


@dataclass(slots=True)
class Log:
    """One archive file: a day's log, an early dump or an edited article."""

    source: str
    """Path relative to the archive root given (posix separators)."""
    group: str
    """First folder of `source`; the front matter's category where there is no folder."""
    date: Date
    """From the front matter, else from the file name."""
    title: str
    """Front matter title (may be empty)."""
    author: str = ""
    layout: str = ""
    """`source` for daily logs, `post` for dumps and articles."""
    tags: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    preamble: str = ""
    """Body text before the first message (article prose, notices); kept, never dropped."""
    meta: dict = field(default_factory=dict)
    """Front matter keys not listed above."""
    sha1: str = ""
    """Hash of the file's bytes: the cache key and the source of stable ids."""
    body_start: int = 1
    """1-based line where the body (after the front matter) starts."""

    @property
    def is_article(self) -> bool:
        """An edited article: prose, no messages."""
        return not self.messages and bool(self.preamble.strip())


@dataclass(slots=True)
class QA:
    """A question and the messages that answer it, inside one thread."""

    question: Message
    answers: list[Message] = field(default_factory=list)
    resolved: bool = False
    """The asker thanked someone or said they understood."""
    asks: bool = True
    """False for a statement that opened a discussion (asking.opens_discussion): kept with its
    replies as the archive's editors keep it, shown as a discussion, not as a question."""
    worth: float = 0.0
    """Probability that it deserves a page of its own (worth.py)."""
    page: bool = False
    """It is shown on a Q&A page (worth >= worth.PAGE_THRESHOLD)."""
    scores: list[float] = field(default_factory=list)
    """The listing model's probability for each of `answers` (worth.py; 0 where another page lists
    the reply, worth.one_page_each); as a page lists them (worth.listed), the best first."""
    unlisted: int = 0
    """Replies linked to it that its page does not list (worth.listed; they stay in the conversation)."""


@dataclass(slots=True)
class Thread:
    """A part of one conversation of a log's stream: a question and what follows it (threads.py)."""

    id: str
    """Stable: derived from source + first message line, never from the thread's position."""
    log: Log
    messages: list[Message]
    """In file order; every message of a log is in exactly one thread."""
    title: str = ""
    """The question, shortened; else the first substantive message, shortened."""
    qa: list[QA] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    """Taxonomy tag ids, best first."""
    topic_scores: dict[str, float] = field(default_factory=dict)
    cluster: str = ""
    """Emerging-topic cluster id for threads that fit no tag well ('' otherwise)."""
    follows: str = ""
    """Id of the thread before this one in its conversation ('' for a conversation's first): the
    talk a follow-up question rests on, and where an earlier question's answers may have begun."""
    page: bool = False
    """The site gives it a Q&A page: one of its QAs deserves one (worth.py)."""

    @property
    def opens_log(self) -> bool:
        """The log's first thread (or its log has no messages): the one its preamble goes with."""
        messages = self.log.messages
        return not messages or bool(self.messages and self.messages[0] is messages[0])


@lru_cache(maxsize=None)
def clock_seconds(time: str) -> int:
    """Seconds since midnight of an HH:MM:SS header (0 when it is not one)."""
    parts = time.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return 0
    h, m, s = map(int, parts)
    return h * 3600 + m * 60 + s
