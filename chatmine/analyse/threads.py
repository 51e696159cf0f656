"""Split one log's stream of messages into conversations, and conversations into threads.

Input: a Log (and optionally each message's tokens). Output: conversations (lists of messages,
every message in exactly one); then, once its questions are known (analyse.py), each
conversation cut into Threads: one per asker's question asked in it.

Each message joins the open conversation it scores best against, or starts a new one. Signals,
strongest first: an @mention of a conversation's speaker (resolved by name parts: the corpus
writes `@朱文义-廊银-架构师-北京` for the speaker `廊坊银行-架构师-朱文义`), the same speaker
continuing, a reply to an open question, shared content words, recency. Chatter (greetings,
签到, emoji, images, "哈哈") never starts a content conversation and never adds words to one,
so it cannot glue two together; conversations interleave freely. An echo (the archive's
second record of a message) goes with its original.

A conversation is cut into threads at each question asked in it (cut_threads): a thread is a
question (with its asker's follow-ups) and what follows it until someone else asks, the page a
reader looking for that question wants, and what its topics are read from. A part still longer
than LONG_THREAD is cut where its words change most. Questions are answered across their whole
conversation (qa.find_qa), so an answer may sit in a later thread than its question; each
thread knows the one it follows.
"""
from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from chatmine.analyse.predicates import is_chatter, is_echo
from chatmine.analyse.questions import asks_by_rules
from chatmine.analyse.replies import addressed_names
from chatmine.model import Log, Message, Thread
from chatmine.text.speakers import same_name, split_profile
from chatmine.text.tokens import terms as tokenize_terms

# A thread is open for new content this long after its last message (seconds); an @mention
# reaches further back (replies to a morning question come in the evening in these groups).
OPEN_FOR = 30 * 60
MENTION_REACH = 6 * 3600
QUESTION_OPEN_FOR = 30 * 60
"""An unanswered question draws replies while its thread was active this recently."""
NEXT_REPLY = 0.3
"""More for the message right after an unanswered question, by someone else: in a quiet group
it answers, minutes later and in other words ("请教个问题 …单节点的服务的TPS（QPS） 一般是多少" then,
7 minutes on, "这个不好说吧，你这个事务数根据业务不同性能也不同", proddev/2017-06-16). Editors'
answers linked 0.649 -> 0.659, topic top-2 0.878 -> 0.885 (held-out rows unchanged, 0.834),
the weighted pairs of tests/data/answer_pairs.tsv P/R 0.630/0.633 -> 0.621/0.651 (models
retrained). 0.2 / 0.4 / 0.5 before retraining: P 0.636 / 0.627 / 0.592, at 0.3 0.636."""
MAX_OPEN = 8
OWN_NEAR, OWN_FAR = 1.5, 0.8
"""A speaker's next message continues their own last conversation: this much within three
minutes, that much later. Lower (0.8/0.5, 1.2/0.5, 0.5/0.3, 0.8/0.8) gave 17,500-22,800
threads and topic top-2 dev/held between 0.866/0.789 and 0.895/0.823, each best on one split
only (noise over 175 held rows); editors' answers linked 0.528-0.540, and up to 6 of the 34
good read links lost. Not kept."""
WINDOW = 8
NEW_THREAD_BELOW = 1.4
"""Best score under which a content message starts a new conversation (tuned on dev logs).
Wider conversations give more replies a question to answer, but mostly noise: at 1.0, with the
question-context and answer models retrained, editors' answers linked 0.649 -> 0.668; on 150
files drawn at random 4,136 links appear and 2,178 go, and 6 or 7 of 30 appearing, 5 or 6 of 25
going read answer their question, against 0.59 of all links (answers.tsv). The same trade
as a lower ANSWER_THRESHOLD (replies.py): not kept."""
LONG_THREAD = 30
MIN_SEGMENT = 10
TILE = 8
"""Cutting long parts (_segments): before conversations were cut at questions, on the 452
labelled questions topic top-2 0.761 uncut, 0.777 at 60/20/10, 0.805 at 30/10/8, 0.805 at 20/8/6.
After the cut at questions it changes no labelled question's tags; it keeps a page readable (a
part of 119 messages otherwise)."""

NEW_QUESTION = re.compile(r"请教|请问|问个问题|问一个问题|问一下大家|各位|大家好|求助|有没有人|有谁")
NAME_SEPARATORS = re.compile(r"\s*[-－_—～~|｜/]+\s*|\s+|\u3000")
# Function words that say nothing about what a thread is about.
STOP = frozenset(
    "的 了 是 在 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 就 都 也 还 吗 呢 吧 啊 呀 哦 嗯 和 与 或 "
    "有 没有 没 不 很 会 要 能 可以 一个 什么 怎么 如何 为什么 是不是 一下 一般 现在 其实 就是 但是 所以 因为 如果 "
    "还是 或者 然后 而且 这样 那样 这种 那种 这些 那些 可能 应该 觉得 感觉 知道 问题 大家 各位 请问 请教 谢谢 "
    "哈哈 哈哈哈 自己 比较 已经 只是 只有 还有 不是 对 好 说 看 做 用 去 来 到 给 让 被 把 对于 关于 时候 里 上 下 中".split()
)


@dataclass(slots=True, eq=False)
class _Open:
    """A thread being built: its messages and what new messages are scored against."""

    messages: list[Message] = field(default_factory=list)
    words: dict[str, int] = field(default_factory=dict)
    """Content words of the last WINDOW content messages (a long thread drifts; match its tail)."""
    recent: list[list[str]] = field(default_factory=list)
    speakers: set[str] = field(default_factory=set)
    last_time: int = 0
    content: bool = False
    asker: str = ""
    """Speaker of the latest question nobody else has replied to yet ('' if none)."""
    asked_at: int = -1
    """When that question was asked (seconds since midnight)."""


def split_conversations(log: Log, message_terms: list[list[str]] | None = None) -> list[list[Message]]:
    """The log's conversations in order of their first message; `message_terms` aligns with
    log.messages. Questions are found and answered within one (qa.find_qa), then it is cut
    into threads (cut_threads)."""
    if message_terms is None:
        message_terms = [tokenize_terms(m.text) for m in log.messages]
    return _conversations(log, message_terms)


def thread_starts(conversation: list[Message], asked: dict[int, str]) -> set[int]:
    """Ids of the questions that start a thread: `asked` maps each question's id to its asker.
    A question by someone who already asked in the current thread is a follow-up ("那如果涉及
    多级呢？") and stays with what it follows; anyone else's starts a new thread."""
    starts: set[int] = set()
    askers: set[str] = set()
    for message in conversation:
        asker = asked.get(id(message))
        if asker is None:
            continue
        if asker not in askers:
            starts.add(id(message))
            askers = set()
        askers.add(asker)
    return starts


def cut_threads(log: Log, conversation: list[Message], starts: set[int], words_of: dict[int, set[str]]) -> list[Thread]:
    """A conversation as threads: a new one at each message whose id is in `starts` (its
    questions, thread_starts), each part longer than LONG_THREAD cut again where its words
    change most (_segments). What comes before the first question is a thread of its own.

    A thread per asker's question, not one per conversation: the labelled question's topic is in
    its thread's top two tags for 0.906 / 0.829 of the dev / held-out rows (452;
    bench/eval_topics.py), against 0.877 / 0.794 with whole conversations cut by length alone.
    Measured and not kept: every question starts a thread, follow-ups too (0.913 / 0.817, but
    12,446 Q&A pages instead of 9,318, and the site's search then fetched up to 274 KiB for a
    first query, over its 250 KiB budget: Pagefind's page table grows with every page); what
    precedes the first question joins it (0.906 / 0.806, every question cutting); discussions'
    openings cut too (0.906 / 0.811, idem); cutting by length first, then at questions (0.910 /
    0.806, idem)."""
    if not conversation:
        return [Thread(id=thread_id(log.source, log.body_start), log=log, messages=[], title=log.title)]
    parts: list[list[Message]] = [[]]
    for message in conversation:
        if id(message) in starts and parts[-1]:
            parts.append([])
        parts[-1].append(message)
    threads: list[Thread] = []
    for part in (piece for whole in parts for piece in _segments(whole, words_of)):
        threads.append(Thread(id=thread_id(log.source, part[0].line), log=log, messages=part,
                              follows=threads[-1].id if threads else ""))
    return threads


def conversation_before(thread: Thread, by_id: dict[str, Thread]) -> list[Message]:
    """The messages of `thread`'s conversation before it (the threads it follows, at least the
    last 40 messages of them), in file order: what a title pointing at its subject is completed from."""
    earlier: list[Message] = []
    previous = by_id.get(thread.follows)
    while previous is not None and len(earlier) < 40:
        earlier[:0] = previous.messages
        previous = by_id.get(previous.follows)
    return earlier


def _conversations(log: Log, message_terms: list[list[str]]) -> list[list[Message]]:
    """Each message joins the open conversation it scores best against, or starts one."""
    resolve = _mention_resolver(log.messages)
    weight = _idf(message_terms)
    threads: list[_Open] = []
    last_thread_of: dict[str, _Open] = {}
    previous: _Open | None = None
    last: Message | None = None
    for message, words in zip(log.messages, message_terms):
        now = message.seconds
        if previous is not None and is_echo(message, last):
            _add(previous, message, [], True, now)  # the same words again: nothing new to score
            last = message
            continue
        last = message
        chatter = is_chatter(message)
        named = [s for s in map(resolve, addressed_names(message)) if s]
        targets = [last_thread_of[s] for s in named if s in last_thread_of]
        words = [w for w in dict.fromkeys(words) if w in weight]
        own = last_thread_of.get(message.speaker)
        shared = [t for t in threads[-MAX_OPEN * 2:] if message.speaker in t.speakers and any(s in t.speakers for s in named)]
        arrival = _Arrival(message, words, chatter, targets + shared, own, now)
        thread = _best(threads, arrival, previous, weight)
        if thread is None:
            thread = _Open()
            threads.append(thread)
        previous = thread
        _add(thread, message, words, chatter, now)
        if message.speaker:
            last_thread_of[message.speaker] = thread
    return sorted((t.messages for t in threads), key=lambda messages: messages[0].line)


def _segments(messages: list[Message], words_of: dict[int, set[str]]) -> list[list[Message]]:
    """A long part of a conversation cut at the gap where the TILE messages before and after share the
    fewest words (TextTiling), again until no part is longer than LONG_THREAD; no part is
    shorter than MIN_SEGMENT. A day-long discussion (486 messages on 2017-12-21) is several
    subjects: as one thread its tags fit few of its questions (top-2 0.66 on the labelled
    questions in threads of over 100 messages, 0.80 in shorter ones)."""
    if len(messages) <= max(LONG_THREAD, 2 * MIN_SEGMENT - 1):
        return [messages]
    best, best_similarity = 0, 2.0
    for cut in range(MIN_SEGMENT, len(messages) - MIN_SEGMENT + 1):
        before = Counter(w for m in messages[max(0, cut - TILE):cut] for w in words_of[id(m)])
        after = Counter(w for m in messages[cut:cut + TILE] for w in words_of[id(m)])
        similarity = _cosine(before, after)
        if similarity < best_similarity:
            best, best_similarity = cut, similarity
    return _segments(messages[:best], words_of) + _segments(messages[best:], words_of)


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    if not dot:
        return 0.0
    return dot / math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))


def first_line(thread: Thread) -> int:
    """Where a thread starts in its file (threads are listed in this order)."""
    return thread.messages[0].line if thread.messages else thread.log.body_start


def content_set(terms: list[str]) -> set[str]:
    """A message's words that say what it is about: no single characters, no STOP words."""
    return {w for w in terms if len(w) > 1 and w not in STOP}


def thread_id(source: str, first_line: int) -> str:
    """Stable id from where the thread starts, never from its position among threads."""
    return hashlib.sha1(f"{source}#{first_line}".encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class _Arrival:
    """A message about to join a conversation, with what it is scored by."""

    message: Message
    words: list[str]
    """Its content words that weigh something in this log (_idf)."""
    chatter: bool
    """A greeting, reaction or emoji: it carries no subject (is_chatter)."""
    targets: list[_Open]
    """The conversations of the people it @mentions or answers (one listed twice: both already talk there)."""
    own: _Open | None
    """The conversation its speaker last spoke in."""
    now: int
    """Its time, in seconds."""


def _best(threads: list[_Open], arrival: _Arrival, previous: _Open | None, weight: dict[str, float]) -> _Open | None:
    """The open thread this message continues, or None to start a new one."""
    best, best_score = None, 0.0
    now, chatter = arrival.now, arrival.chatter
    recent = [t for t in threads[-MAX_OPEN:] if now - t.last_time <= OPEN_FOR]
    reached = [t for t in arrival.targets if now - t.last_time <= MENTION_REACH and t not in recent]
    for thread in recent + reached:
        score = _score(thread, arrival, thread is previous, weight)
        if score > best_score or (score == best_score and best is not None and thread.last_time > best.last_time):
            best, best_score = thread, score
    if best is None:
        return previous if chatter and previous and now - previous.last_time <= OPEN_FOR else None
    if chatter:
        return best
    return best if best_score >= NEW_THREAD_BELOW else None


def _score(thread: _Open, arrival: _Arrival, latest: bool, weight: dict[str, float]) -> float:
    """How strongly the arriving message belongs to `thread` (weights tuned by reading dev logs);
    `latest`: the thread the message before it joined."""
    message, words, chatter, targets, own, now = (arrival.message, arrival.words, arrival.chatter, arrival.targets,
                                                  arrival.own, arrival.now)
    score = 0.0
    if thread in targets:
        # A bare ping (`@李宝?` and nothing else) nudges; a reply with content names its thread,
        # and most surely the one where these two people already talked (listed twice).
        score += 1.0 if chatter else 2.0 + (targets.count(thread) > 1 or thread.speakers >= {message.speaker})
    if thread is own:
        score += OWN_NEAR if now - thread.last_time <= 180 else OWN_FAR
    if latest:
        score += 0.6
        if not message.speaker and now - thread.last_time <= 180:
            score += 0.9  # the early dumps name no speaker: a quick next line is all we have
    if thread.asker and thread.asker != message.speaker:
        # An unanswered question draws the next reply; once answered, the talk decides.
        # (Keeping it open for every later reply put 92% of the editors' answers in their
        # question's thread but made threads so long that topic accuracy fell from 0.84 to 0.75.)
        if now - thread.last_time <= QUESTION_OPEN_FOR:
            score += 0.8
            if latest:
                score += NEXT_REPLY
    if message.speaker in thread.speakers:
        score += 0.3
    if not chatter and thread.words:
        shared = sum(weight[w] for w in words if w in thread.words)
        score += min(shared, 3.0)
    if not thread.content and not chatter:
        score -= 1.0  # a run of greetings is not a conversation a question can join
    if not chatter and thread not in targets and NEW_QUESTION.search(message.text):
        score -= 1.0  # "请教各位..." opens a subject unless it names someone in the thread
    gap = now - thread.last_time
    if gap > 300:
        score -= min(gap / OPEN_FOR, 1.0)
    return score


def _add(thread: _Open, message: Message, words: list[str], chatter: bool, now: int) -> None:
    thread.messages.append(message)
    thread.last_time = max(thread.last_time, now)
    if message.speaker:
        thread.speakers.add(message.speaker)
    if chatter:
        return
    thread.content = True
    thread.recent.append(words)
    for w in words:
        thread.words[w] = thread.words.get(w, 0) + 1
    if len(thread.recent) > WINDOW:
        for w in thread.recent.pop(0):
            thread.words[w] -= 1
            if not thread.words[w]:
                del thread.words[w]
    if asks_by_rules(message.text):
        thread.asker, thread.asked_at = message.speaker, now
    elif message.speaker != thread.asker:
        thread.asker = ""


def _idf(message_terms: list[list[str]]) -> dict[str, float]:
    """Weight of each content word in this log: rare words link messages, common ones do not.

    Scaled so a word in one message in a hundred weighs about 1; stop words and one-character
    tokens weigh nothing (absent from the map).
    """
    df: Counter[str] = Counter()
    for words in message_terms:
        df.update(set(words))
    n = max(len(message_terms), 1)
    out = {}
    for w, d in df.items():
        if len(w) > 1 and w not in STOP:
            out[w] = max(0.0, math.log((n + 1) / (d + 0.5))) / math.log(100)
    return out


def _mention_resolver(messages: list[Message]):
    """Map a mention as written to a speaker of this log by shared name parts.

    `@朱文义-廊银-架构师-北京` shares the part 朱文义 (the profile name) with the speaker
    `廊坊银行-架构师-朱文义`; the name counts double so a shared city or job never decides.
    """
    parts_of: dict[str, tuple[str, set[str]]] = {}
    for m in messages:
        if m.speaker and m.speaker not in parts_of:
            parts_of[m.speaker] = (m.profile.name, set(_parts(m.speaker)))
    cache: dict[str, str] = {}

    def resolve(mention: str) -> str:
        if mention not in cache:
            cache[mention] = _resolve(mention.strip(), parts_of)
        return cache[mention]

    return resolve


def _parts(name: str) -> list[str]:
    return [p for p in NAME_SEPARATORS.split(name) if p]


def _resolve(mention: str, parts_of: dict[str, tuple[str, set[str]]]) -> str:
    if mention in parts_of:
        return mention
    wanted = set(_parts(mention))
    mention_name = split_profile(mention).name
    best, best_score = "", 2  # a shared city and job alone (2 parts) is not enough
    for speaker, (name, parts) in parts_of.items():
        named = name in wanted or name == mention_name
        score = len(wanted & parts) + (2 if named else 3 if same_name(mention_name, name) else 0)
        if len(mention) >= 2 and (speaker.startswith(mention) or mention.startswith(speaker)):
            score += 3
        if score > best_score:
            best, best_score = speaker, score
    return best
