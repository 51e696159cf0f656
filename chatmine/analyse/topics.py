"""Tag threads with topics from the taxonomy, and group the rest into emerging clusters.

Input: Threads and each thread's tokens. Output: thread.topics (ranked ids), topic_scores, cluster.

Two scorers, measured on tests/data/topics.tsv (README has the figures):
- the lexicon: terms per tag from chatmine/data/taxonomy.toml, counted in the thread's text;
- a linear classifier on TF-IDF of jieba tokens, trained on the threads the lexicon labels
  confidently, so questions that use none of the words ("平账之后还要再对吗") still get a tag.
The final ranking adds the two. scikit-learn is imported only when a model is fitted; a saved
model is applied with numpy alone (applied.py).
"""
from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from chatmine.analyse.applied import plain_parts
from chatmine.analyse.questions import question_text
from chatmine.analyse.threads import STOP
from chatmine.errors import ChatmineError
from chatmine.model import Thread
from chatmine.text.taxonomy import Taxonomy, lexicon_scores, load_taxonomy
from chatmine.text.tokens import clean, terms

OTHER = "other"
QUESTION_WEIGHT = 3
"""A thread's questions count this many times in its text: the question says what it is about.
A discussion's opening (QA.asks False) counts once, as any message: weighted up as well, it
cost dev top-2 0.877 -> 0.870 (lexicon alone 0.874 -> 0.866), held-out the same."""
CONFIDENT = 2.0
"""Lexicon score a thread needs (and a 1.5x lead over the runner-up) to train the classifier."""
LEXICON_WEIGHT = 1.0
FIT_SAMPLE = 3000
C = 1.0
"""Inverse regularisation of the classifier (top-2 on the labelled questions: 0.739 at 0.3, 0.761 at 1, 0.752 at 3)."""
LONG = 10
FIT_THRESHOLD = 0.35
"""Threads whose best combined score is under this fit no tag well: they are clustered."""
MODEL_VERSION = 5
BANTER_SHARE = 0.5
"""Share of a thread's questions that name no payment subject (no taxonomy term but `other`'s)
at which `other` takes the second place: 贵阳做大数据吗 asked among talk of 海外商户接入 is
banter, the thread still a routing one (dev top-2 0.834 -> 0.852)."""
SECOND_SUBJECT = 0.5
"""A runner-up tag scoring this much is a second subject of the thread, which banter does not
displace (有关于路由设计的经验吗 in a thread tagged architecture first kept routing second;
dev top-2 0.852 -> 0.870, and 0.856 to 0.863 at 0.4 to 0.7)."""
MIN_COHERENCE = 0.2
"""Mean cosine similarity of an emerging cluster's threads to its centre, below which it is
a heap of unrelated banter and is not shown."""
LOOSE_WORDS = 6
"""Distinct content words a thread needs to be clustered."""
NAME_JOIN = "·"
"""What joins the words of an emerging topic's name (区块链, 产品·技术·经理)."""
NOUN_TAGS = frozenset({"n", "nz", "nt", "vn", "eng", "nrt"})
"""Part-of-speech tags a cluster is named by: nouns, not places or people (上海·北京·同学
was a cluster of banter about cities)."""
GENERIC_NOUNS = frozenset(
    "产品 技术 经理 个人 关系 主题 银行 金融 老板 兴趣 行业 业务 系统 平台 市场 项目 数据 东西 方面 情况 工作 时间 "
    "能力 人员 团队 老师 同学 大家 ppt pdf 红包 广告 内容 文件 资料 图片".split()
)
"""Nouns too general to name a new subject: 产品·技术·经理 and 个人·关系 were clusters of banter
and job talk; 银行 and 金融 nearly every thread of two clusters used. The group's own traffic is no
subject either: "ppt" named a cluster of banter and requests for slides, "红包" one whose
questions never mention one, "内容·广告" one about the group's ads."""
CHATTER_WORDS = frozenset("哈哈 哈哈哈 可以 已经 知道 这个 那个 老师 欢迎 谢谢 感谢 分享 群里 朋友 签到 报名 学习 新年快乐 公司 问题 现在 怎么 一样 时候 不过 还是 没有 不能 需要".split())




def thread_text(thread: Thread) -> str:
    """The text topics are read from: questions weighted up, then every message.

    The messages without @mentions, URLs and images (tokens.clean, what the classifier's
    tokens are cut from): in replies and chatter a member's name says where they work, not
    what is talked about (@雪鹰-海尔·快捷通-架构 names cards and architecture whatever
    the reply says), and terms match inside URLs (api, git, bin). A question keeps its mentions:
    who it is put to names the subject (@koci-银联-上海 这个咋获得最新的呀 asks about
    UnionPay; stripped there too, the labelled questions alone lost 4 of 452). Whole corpus,
    dev top-2 0.866 -> 0.874, lexicon alone 0.859 -> 0.866; 274 of 17,218 threads change
    their first tag (architecture 1,308 -> 1,243, cards 865 -> 794, other 9,511 -> 9,710)."""
    if not thread.messages:  # an edited article: its prose is the text
        return f"{thread.log.title}\n{thread.log.preamble}"
    questions = [qa.question.text for qa in thread.qa if qa.asks]
    return "\n".join(questions * QUESTION_WEIGHT + [clean(m.text) for m in _read(thread)])


def thread_terms(thread: Thread, terms_of: dict[int, list[str]]) -> list[str]:
    """The thread's tokens (questions weighted up), from tokens computed once per message."""
    if not thread.messages:
        return terms(thread_text(thread))
    words: list[str] = []
    for qa in thread.qa:
        if qa.asks:
            words.extend(terms_of.get(id(qa.question), []) * QUESTION_WEIGHT)
    for m in _read(thread):
        words.extend(terms_of.get(id(m), []))
    return words


def _runner_up(ranked: list[str], score: dict[str, float]) -> float:
    return score.get(ranked[1], 0.0) if len(ranked) > 1 else 0.0


def _banter(thread: Thread, taxonomy: Taxonomy) -> bool:
    """Do BANTER_SHARE of the thread's questions name no payment subject (mentions stripped:
    @雪鹰-海尔·快捷通-架构 names two tags)?"""
    if not thread.qa:
        return False
    idle = sum(1 for qa in thread.qa if set(lexicon_scores(question_text(qa.question.text), taxonomy)) <= {OTHER})
    return idle >= BANTER_SHARE * len(thread.qa)


def _read(thread: Thread) -> list:
    """The messages a long thread's topic is read from: its questions and answers, not the
    side talk around them (in a 300-message evening the asides outweigh the questions)."""
    if len(thread.messages) <= LONG or not thread.qa:
        return thread.messages
    keep = {id(a) for qa in thread.qa for a in qa.answers}
    return [m for m in thread.messages if id(m) in keep]


@dataclass(slots=True)
class TopicModel:
    """A fitted tagger: reuse it to tag new threads without refitting (saved with `save`)."""

    tags: list[str]
    vectorizer: object = None
    classifier: object = None
    classes: list[str] = field(default_factory=list)
    clusterer: object = None
    cluster_vectorizer: object = None
    cluster_names: list[str] = field(default_factory=list)
    version: int = MODEL_VERSION

    def save(self, path: Path) -> None:
        """Write the model (pickle) so an incremental build tags new threads the same way."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.dumps())

    def dumps(self) -> bytes:
        """The model pickled with its fitted parts as plain arrays (applied.py): loading it
        needs numpy, not scikit-learn, and it tags threads to the same bits."""
        vectorizer, classifier, cluster_vectorizer, clusterer = plain_parts(
            self.vectorizer, self.classifier, self.cluster_vectorizer, self.clusterer)
        return pickle.dumps(replace(self, vectorizer=vectorizer, classifier=classifier,
                                    cluster_vectorizer=cluster_vectorizer, clusterer=clusterer),
                            protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def load(path: Path) -> "TopicModel":
        """Read a model saved by `save`; a stale or unreadable one is an error to refit on."""
        try:
            model = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ModuleNotFoundError) as err:
            raise ChatmineError(str(path), None, f"cannot load the topic model: {err}") from err
        if not isinstance(model, TopicModel) or model.version != MODEL_VERSION:
            raise ChatmineError(str(path), None, "the topic model is from another chatmine version; rebuild")
        return model


def fit_model(docs: list[list[str]], lexicons: list[dict[str, float]], fit_on: list[int] | None = None):
    """Train the classifier on the documents the lexicon labels confidently (seeded labels).

    `fit_on`: the documents to learn from (all when None); every document is vectorised.
    Returns the model and the TF-IDF matrix of all `docs` (reused for scoring and
    clustering: vectorising the corpus twice cost 0.4 s).
    """
    model = TopicModel(tags=load_taxonomy().ids)
    fit_on = list(range(len(docs))) if fit_on is None else fit_on
    rows = [(i, label) for i in fit_on if (label := confident_label(lexicons[i]))]
    if len({label for _, label in rows}) < 2:
        return model, None  # too little to learn from: the lexicon alone tags
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    model.vectorizer = TfidfVectorizer(
        analyzer=_identity, min_df=2, max_df=0.5, sublinear_tf=True, dtype=_float32()
    )
    x = _fit_transform(model.vectorizer, docs, fit_on)
    # A logistic regression converges to one optimum whatever the order of the samples: the
    # SGD it replaces (30 passes, archive order) landed wherever its last pass left it, so a
    # monthly refit moved the top two tags of 27% of earlier threads; now 16%. On the 452
    # labelled questions it is also right more often (top-2 0.732 -> 0.761).
    model.classifier = LogisticRegression(C=C, max_iter=300, class_weight="balanced")
    model.classifier.fit(x[[i for i, _ in rows]], [label for _, label in rows])
    model.classes = [str(c) for c in model.classifier.classes_]
    return model, x


def _fit_transform(vectorizer, docs: list[list[str]], fit_on: list[int]):
    """Fit the vectoriser on docs[fit_on] and return the matrix of every doc, in order, as its
    transform gives it: fit_transform's rows hold their columns in the order words came (its
    columns are renumbered after counting), so their norms and sums differ in the last bits from
    the transform a saved model applies (applied.py), and a score at a rounding edge tagged a
    thread differently when the tags were made by the loaded model (tests/test_applied.py)."""
    vectorizer.fit([docs[i] for i in fit_on])
    return vectorizer.transform(docs)


def confident_label(scores: dict[str, float]) -> str:
    """The lexicon's tag when it clearly wins, else ''."""
    if not scores:
        return ""
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, score = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    return top if score >= CONFIDENT and score >= 1.5 * runner else ""


def matrix(model: TopicModel | None, docs: list[list[str]]):
    """TF-IDF rows of `docs` under a fitted model (None when the model has no classifier)."""
    if model is None or model.vectorizer is None:
        return None
    return model.vectorizer.transform(docs)


def combine(model: TopicModel | None, x, lexicons: list[dict[str, float]]) -> list[dict[str, float]]:
    """Combined scores per document: classifier probabilities (when fitted) plus the scaled lexicon."""
    probs = model.classifier.predict_proba(x) if x is not None and model.classifier is not None else None
    out = []
    for i, lex in enumerate(lexicons):
        total = sum(lex.values()) or 1.0
        # The lexicon share, damped for threads with only a hit or two (one 系统 says little).
        scores = {tag: LEXICON_WEIGHT * v / total * min(1.0, math.log1p(total) / 2) for tag, v in lex.items()}
        if probs is not None:
            for tag, p in zip(model.classes, probs[i]):
                scores[tag] = scores.get(tag, 0.0) + float(p)
        out.append(scores)
    return out


def rank(scores: dict[str, float], taxonomy: Taxonomy | None = None) -> list[str]:
    """Tag ids best first; `other` first when nothing scores (chatter, news, jobs)."""
    taxonomy = taxonomy or load_taxonomy()
    order = {t: i for i, t in enumerate(taxonomy.ids)}
    ranked = [t for t, v in sorted(scores.items(), key=lambda kv: (-kv[1], order.get(kv[0], 99))) if v > 0]
    return ranked or [OTHER]


def tag_topics(threads: list[Thread], scores: list[dict[str, float]], lexicons: list[dict[str, float]],
               classified: bool = True) -> None:
    """Fill topics (best first, at most five) and topic_scores of every thread.

    `lexicons`: each thread's lexicon_scores of its thread_text (which payment terms it says).
    `classified`: the scores hold the classifier's probabilities (the scale FIT_THRESHOLD
    is set on), not the lexicon's alone."""
    taxonomy = load_taxonomy()
    for thread, score, lexicon in zip(threads, scores, lexicons):
        ranked = rank(score, taxonomy)
        # `other` goes second when the thread fits no tag well (these threads are also the ones
        # clustered: chatter is as likely as its best tag; on the first 146 labelled questions,
        # 18 of them other, top-2 dev 0.824 -> 0.843, held-out 0.895 both), or when half its
        # questions are banter and no second subject stands out (BANTER_SHARE, SECOND_SUBJECT).
        weak = classified and ranked[0] != OTHER and max(score.values()) < FIT_THRESHOLD
        if weak and set(lexicon) <= {OTHER}:
            # Nothing fits and not one payment term is said ("你家土豆跟土左的比咋样？"): banter
            # first, the classifier's guess second (the same top two; on the whole corpus 723
            # of 5,908 Q&A threads, which the site filed under a payment subject alone).
            ranked = [OTHER, *(t for t in ranked if t != OTHER)]
        elif weak or (OTHER not in ranked[:2] and _runner_up(ranked, score) < SECOND_SUBJECT and _banter(thread, taxonomy)):
            ranked = [ranked[0], OTHER, *(t for t in ranked[1:] if t != OTHER)]
        thread.topics = ranked[:5]
        thread.topic_scores = {t: round(v, 4) for t, v in score.items() if t in thread.topics}


def fit_clusters(model: TopicModel, threads: list[Thread], words: list[list[str]], fit_on: list[int] | None = None,
                 k: int = 12) -> None:
    """Cluster the threads (of `fit_on`, all when None) that fit no tag well, on their
    content words (`words`: content_words of each); keep the clusters that hold together
    and name each by its nouns."""
    loose = _loose(threads, words)
    if fit_on is not None:
        chosen = set(fit_on)
        loose = [i for i in loose if i in chosen]
    if len(loose) < k * 3:
        return
    import hashlib

    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    # Fitted on at most FIT_SAMPLE of them (evenly spaced, so deterministic), from k seed
    # threads chosen by a hash of their ids: seeds drawn at random (k-means++) or random
    # mini-batches depend on how many threads there are, so one new day renamed every
    # cluster and moved ~1,900 threads between them.
    step = max(1, len(loose) // FIT_SAMPLE)
    picked = loose[::step]
    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=5, max_df=0.2, sublinear_tf=True, dtype=_float32())
    try:
        sample = vectorizer.fit_transform([words[i] for i in picked])
    except ValueError:  # no word in five threads
        return
    ids = [threads[i].id for i in picked]
    # Seeds with words, each a different vector: two alike make one cluster out of two (a small
    # archive has threads left with no word in five threads).
    seeds, seen = [], set()
    for n in sorted(range(len(ids)), key=lambda n: hashlib.sha1(ids[n].encode()).hexdigest()):
        if len(seeds) == k:
            break
        row = sample[n]
        vector = row.toarray().tobytes() if row.nnz else None
        if vector is not None and vector not in seen:
            seen.add(vector)
            seeds.append(n)
    if len(seeds) < 2:
        return
    clusterer = KMeans(n_clusters=len(seeds), init=sample[seeds].toarray(), n_init=1, max_iter=50).fit(sample)
    model.cluster_vectorizer, model.clusterer = vectorizer, clusterer
    people = {m.profile.name for t in threads for m in t.messages if m.profile.name}
    model.cluster_names = _cluster_names(sample, clusterer, vectorizer.get_feature_names_out(), people)


def _cluster_names(sample, clusterer, vocab, people: set[str] = frozenset()) -> list[str]:
    """A name per cluster, or "" for a cluster not worth showing.

    Measured on the whole corpus: the loose threads are mostly banter, and one cluster
    gathers whatever is left (731 threads, mean similarity to their centre 0.09, where
    区块链 has 0.34): it is dropped. The rest are named by what sets them apart (centre
    minus the mean of all centres), by nouns used in a fifth of their threads: 以前·哪里·这么
    named a cluster by its adverbs, and one long banter thread put 屁股 in a name. Neither a
    general noun (GENERIC_NOUNS) nor a word of a member's name (`people`: 老熊, of 凤凰牌老熊, in
    头条·老熊) names a subject.
    """
    import numpy

    centres = clusterer.cluster_centers_
    names = []
    for number, distinct in enumerate(centres - centres.mean(axis=0)):
        members = sample[clusterer.labels_ == number]
        centre = centres[number] / (numpy.linalg.norm(centres[number]) or 1.0)
        if members.shape[0] == 0 or float(numpy.mean(members @ centre)) < MIN_COHERENCE:
            names.append("")
            continue
        share = (members > 0).sum(axis=0).A1 / members.shape[0]
        top = [
            j for j in distinct.argsort()[::-1][:40]
            if share[j] >= 0.2 and _noun(word := str(vocab[j])) and word not in GENERIC_NOUNS
            and not (not word.isascii() and any(word in name for name in people))
        ][:3]
        if not top:
            names.append("")
            continue
        # In a fixed order: the most distinctive words trade places from one day to the next.
        names.append(NAME_JOIN.join(sorted(str(vocab[j]) for j in top)))
    return names


def assign_clusters(model: TopicModel | None, threads: list[Thread], words: list[list[str]]) -> None:
    """Set thread.cluster (an emerging-topic name) for threads that fit no tag well
    (`words`: content_words of each thread)."""
    if model is None or model.clusterer is None:
        return
    loose = _loose(threads, words)
    if loose:
        x = model.cluster_vectorizer.transform([words[i] for i in loose])
        for i, label in zip(loose, model.clusterer.predict(x)):
            name = model.cluster_names[label]
            # The nearest cluster, and one the thread speaks of: every thread has a nearest
            # centre, and 18 of the 24 the corpus put under "ai" never say ai ("物联网卡是以公司
            # 名义办的吗", "去京东面试…你接受加班吗"), where 121 of 122 under 区块链 say 区块链.
            if name and set(name.split(NAME_JOIN)) & set(words[i]):
                threads[i].cluster = name


def _loose(threads: list[Thread], words: list[list[str]]) -> list[int]:
    """Threads with something to say (LOOSE_WORDS content words) that fit no tag well."""
    return [i for i, t in enumerate(threads) if len(set(words[i])) >= LOOSE_WORDS and _is_loose(t)]


def content_words(doc: list[str]) -> list[str]:
    """The words a subject is recognised by: no function words, chatter or numbers."""
    stop = _stop_words()
    return [w for w in doc if len(w) > 1 and w not in stop and not w.isdigit()]


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    return STOP | CHATTER_WORDS


@lru_cache(maxsize=None)
def _noun(word: str) -> bool:
    """Is `word` a noun (jieba's part-of-speech tags; not a person's name)? ASCII words
    (ai, p2p) count as nouns."""
    if word.isascii():
        return word.isalnum()
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    flags = [pair.flag for pair in jieba.posseg.lcut(word)]
    return bool(flags) and all(f in NOUN_TAGS for f in flags)


def _is_loose(thread: Thread) -> bool:
    best = max(thread.topic_scores.values(), default=0.0)
    return best < FIT_THRESHOLD or thread.topics[:1] == [OTHER]


def _identity(tokens):
    return tokens


def _float32():
    import numpy

    return numpy.float32
