"""Logs into threads: the analysis stage (threads, Q&A, topics) behind export, site and search.

Input: parsed Logs (and optionally a fitted TopicModel). Output: Threads, every message of a
log in exactly one, with qa, title, topics and emerging clusters filled.

Each message is segmented once here and the tokens are shared by thread splitting and the
topic model: segmentation is the cost that matters on the whole archive.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from chatmine.analyse.qa import find_qa, link_across
from chatmine.analyse.settled import cutoff, is_settled
from chatmine.analyse.threads import (  # noqa: F401  (thread_id: public helper)
    content_set,
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


def analyse(logs: list[Log], model: TopicModel | None = None) -> list[Thread]:
    """Threads of every log, tagged; fits a topic model on these logs when none is given."""
    return analyse_logs(logs, model).threads


@dataclass(slots=True)
class LogThreads:
    """One log's threads with Q&A and titles, and each message's tokens: the per-file part
    of the analysis, independent of every other file (so it can be cached by the file's hash
    or computed in a worker process)."""

    threads: list[Thread]
    terms: list[list[str]]
    """Content tokens of each message, aligned with log.messages."""


def split_log(log: Log, pages: bool = True) -> LogThreads:
    """Segment a log's messages once, split them into conversations, find Q&A in each and cut
    it into threads at its askers' questions, title them.

    Questions are answered across their whole conversation: an answer may sit in a later thread
    than its question's, and one on the question's words in another conversation (qa.link_across)."""
    tokenizer = get_tokenizer()
    message_terms = [tokenizer.terms(m.text) for m in log.messages]
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
    for thread in threads:
        thread.title = title_of(thread)
    return LogThreads(threads, message_terms)


def analyse_logs(
    logs: list[Log],
    model: TopicModel | None = None,
    use_classifier: bool = True,
    parts: list[LogThreads] | None = None,
) -> Analysed:
    """Split, pair questions with answers, title and tag; see `analyse`.

    `parts`: split_log() of each log, when the caller has them (from a cache or workers).
    """
    if parts is None:
        parts = [split_log(log) for log in logs]
    threads: list[Thread] = []
    terms_of: dict[int, list[str]] = {}
    for log, part in zip(logs, parts):
        # From a cache or a worker, a part's threads hold their own copy of the log.
        own = part.threads[0].log if part.threads else log
        for message, words in zip(own.messages, part.terms):
            terms_of[id(message)] = words
        threads.extend(part.threads)
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
    clusters: dict[str, int] = {}
    for t in threads:
        if t.cluster:
            clusters[t.cluster] = clusters.get(t.cluster, 0) + 1
    return Analysed(threads, model, dict(sorted(clusters.items(), key=lambda kv: -kv[1])))
