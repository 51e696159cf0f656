"""Logs into threads: the analysis stage (threads, Q&A, topics) behind export, site and search.

Input: parsed Logs (and optionally a fitted TopicModel). Output: Threads, every message of a
log in exactly one, with qa, title, topics and emerging clusters filled.

Each message is segmented once here and the tokens are shared by thread splitting and the
topic model: segmentation is the cost that matters on the whole archive.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from chatmine.analyse.qa import find_qa, link_across
from chatmine.analyse.questions import question_score, remember_scores
from chatmine.analyse.settled import cutoff, is_settled
from chatmine.analyse.threads import (  # noqa: F401  (thread_id: public helper)
    content_set,
    conversation_before,
    cut_threads,
    first_line,
    split_conversations,
    thread_id,
    thread_starts,
)
from chatmine.analyse.titles import title_of
from chatmine.analyse.topics import (
    TopicModel,
    assign_clusters,
    combine,
    content_words,
    fit_clusters,
    fit_model,
    lexicon_scores,
    matrix,
    tag_topics,
    thread_terms,
    thread_text,
)
from chatmine.analyse.worth import judge
from chatmine.model import Log, Thread
from chatmine.text.taxonomy import load_taxonomy
from chatmine.text.tokens import get_tokenizer


@dataclass(slots=True)
class Analysed:
    """Threads and the topic model that tagged them (save it to tag new days the same way)."""

    threads: list[Thread]
    model: TopicModel | None
    clusters: dict[str, int] = field(default_factory=dict)
    """Emerging-topic cluster name -> number of threads in it."""
    tagged: list[bool] = field(default_factory=list)
    """For each log, whether its threads were tagged in this run (False: given their known tags)."""


def analyse(logs: list[Log], model: TopicModel | None = None) -> list[Thread]:
    """Threads of every log, tagged; fits a topic model on these logs when none is given."""
    return analyse_logs(logs, model).threads


@dataclass(slots=True)
class LogThreads:
    """One log's threads with Q&A and titles, and each message's tokens: the per-file part
    of the analysis, independent of every other file (so it can be cached by the file's hash
    or computed in a worker process)."""

    threads: list[Thread]
    terms: list[list[str]] | None
    """Content tokens of each message, aligned with log.messages; None from the cache, which does
    not keep them (message_terms makes them again for a file tagged again)."""
    scores: dict[str, float] = field(default_factory=dict)
    """The question model's score (question_score) of the texts the site reads again: each reply
    its pages may list (worth.listed; the listing model scored them here) and each page's title
    (whether the home page shows it: titles.plainly_asks). Handed to remember_scores."""


def split_log(log: Log, pages: bool = True) -> LogThreads:
    """Segment a log's messages once, split them into conversations, find Q&A in each and cut
    it into threads at its askers' questions, title them.

    Questions are answered across their whole conversation: an answer may sit in a later thread
    than its question's, and one on the question's words in another conversation (qa.link_across)."""
    message_terms = log_terms(log)
    terms_of = {id(m): words for m, words in zip(log.messages, message_terms)}
    words_of = {id(m): content_set(words) for m, words in zip(log.messages, message_terms)}
    threads = []
    # A log without messages (an article) has no conversation: cut_threads makes its one thread.
    for conversation in split_conversations(log, message_terms) or [[]]:
        qas = find_qa(conversation, terms_of)
        asked = {id(qa.question): qa.question.speaker for qa in qas if qa.asks}
        cut = cut_threads(log, conversation, thread_starts(conversation, asked), words_of)
        holder = {id(m): t for t in cut for m in t.messages}
        for qa in qas:
            holder[id(qa.question)].qa.append(qa)
        threads.extend(cut)
    link_across(log.messages, [qa for t in threads for qa in t.qa], terms_of)
    for thread in threads:
        # A statement whose replies turned out to answer something else opened no discussion.
        thread.qa = [qa for qa in thread.qa if qa.asks or qa.answers]
    threads.sort(key=first_line)
    if pages:  # off only for bench/train_pages.py, which reads the QAs as linked
        judge(log.messages, threads, lambda m: words_of[id(m)])
    by_id = {t.id: t for t in threads}
    for thread in threads:
        thread.title = title_of(thread, conversation_before(thread, by_id))
    scores = {text: question_score(text) for t in threads if t.page
              for text in (t.title, *(a.text for qa in t.qa if qa.page for a in qa.answers))}
    return LogThreads(threads, message_terms, scores)


def log_terms(log: Log) -> list[list[str]]:
    """Each message's content tokens (LogThreads.terms)."""
    tokenizer = get_tokenizer()
    return [tokenizer.terms(m.text) for m in log.messages]


Tags = list[tuple[str, list[str], dict[str, float], str]]
"""A log's threads as the topic model tagged them: (id, topics, topic_scores, cluster) each."""


def analyse_logs(
    logs: list[Log],
    model: TopicModel | None = None,
    use_classifier: bool = True,
    parts: list[LogThreads] | None = None,
    known: list[Tags | None] | None = None,
) -> Analysed:
    """Split, pair questions with answers, title and tag; see `analyse`.

    `parts`: split_log() of each log, when the caller has them (from a cache or workers).
    `known`: each log's tags under `model` from an earlier run (None for a log not tagged yet):
    a thread is tagged from its own words and the model alone, so only the other logs' threads
    are tagged again. Without a model, every thread is tagged by one fitted here, unless
    every log's tags are known.
    """
    if parts is None:
        parts = [split_log(log) for log in logs]
    known = [tags if tags is not None and _matches(part.threads, tags) else None
             for part, tags in zip(parts, known or [None] * len(parts))]
    kept = model is not None or all(tags is not None for tags in known)
    threads: list[Thread] = []
    fresh: list[Thread] = []
    terms_of: dict[int, list[str]] = {}
    tagged: list[bool] = []
    for log, part, tags in zip(logs, parts, known):
        remember_scores(part.scores)
        threads.extend(part.threads)
        tagged.append(not (kept and tags is not None))
        if not tagged[-1]:
            retag(part.threads, tags)
            continue
        # From a cache or a worker, a part's threads hold their own copy of the log.
        own = part.threads[0].log if part.threads else log
        for message, words in zip(own.messages, part.terms if part.terms is not None else log_terms(own)):
            terms_of[id(message)] = words
        fresh.extend(part.threads)
    if fresh:
        model = _tag(logs, fresh, terms_of, model, use_classifier)
    clusters: dict[str, int] = {}
    for t in threads:
        if t.cluster:
            clusters[t.cluster] = clusters.get(t.cluster, 0) + 1
    return Analysed(threads, model, dict(sorted(clusters.items(), key=lambda kv: -kv[1])), tagged)


def tags_of(threads: list[Thread]) -> Tags:
    """What the topic model gave `threads` (to be `known` next time)."""
    return [(t.id, t.topics, t.topic_scores, t.cluster) for t in threads]


def retag(threads: list[Thread], tags: Tags) -> None:
    """Give `threads` their tags of an earlier run."""
    for thread, (_, topics, scores, cluster) in zip(threads, tags):
        thread.topics, thread.topic_scores, thread.cluster = list(topics), dict(scores), cluster


def _matches(threads: list[Thread], tags: Tags) -> bool:
    return len(tags) == len(threads) and all(t.id == tag[0] for t, tag in zip(threads, tags))


def _tag(logs: list[Log], threads: list[Thread], terms_of: dict[int, list[str]], model: TopicModel | None,
         use_classifier: bool) -> TopicModel:
    """Tag `threads` with `model`, or with one fitted on them when it is None (returned)."""
    docs = [thread_terms(t, terms_of) for t in threads]
    taxonomy = load_taxonomy()
    lexicons = [lexicon_scores(thread_text(t), taxonomy) for t in threads]
    fitted = model is None
    if fitted:
        # Fitted on the settled part only (settled.py): a new day of the newest month then
        # changes no fitted model and no earlier thread's tags.
        cut = cutoff(logs)
        settled = [i for i, t in enumerate(threads) if is_settled(t.log, cut)]
        model, x = fit_model(docs, lexicons, settled)
    else:
        x = matrix(model, docs)
    classified = use_classifier and x is not None and model.classifier is not None
    tag_topics(threads, combine(model if classified else None, x if classified else None, lexicons), lexicons, classified)
    words = [content_words(doc) for doc in docs]  # what clusters are fitted and found on
    if fitted:
        fit_clusters(model, threads, words, settled)
    assign_clusters(model, threads, words)
    return model
