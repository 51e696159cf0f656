"""Topics: the taxonomy file, the lexicon, the seeded classifier, saved models, clusters."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chatmine.analyse.pipeline import analyse_logs
from chatmine.read.archive import read_archive
from chatmine.errors import ChatmineError
from chatmine.read.parse import parse_text
from chatmine.text.taxonomy import load_taxonomy
from chatmine.text.tokens import cut, terms, tokenize
from chatmine.analyse.topics import TopicModel, lexicon_scores, rank

DATA = Path(__file__).parent / "data" / "topics.tsv"
HEADER = "---\nlayout: source\ntitle: t\ndate: 2018-01-08 12:00:00\ntag: [chat]\n---\n"
IDS = [
    "reconciliation", "netsunion", "fx", "cards", "routing", "accounts", "risk", "regulation",
    "collection-disbursement", "acquiring", "architecture", "other",
]


def labelled() -> list[dict]:
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def one_thread_each(rows):
    """Each labelled question as a log of its own (so, a thread of its own)."""
    return [parse_text(HEADER + f"> 10:00:00  u  \n   \n{r['text']}  \n   \n", f"q/{i}.md").log for i, r in enumerate(rows)]


def top2(rows, threads) -> float:
    return sum(r["topic"] in t.topics[:2] for r, t in zip(rows, threads)) / len(rows)


def test_taxonomy_ids_are_exactly_the_issue_s():
    assert load_taxonomy().ids == IDS


def test_bad_taxonomy_is_a_chatmine_error(tmp_path: Path):
    bad = tmp_path / "taxonomy.toml"
    bad.write_text("[fx]\nterms = 3\n", encoding="utf-8")
    with pytest.raises(ChatmineError):
        load_taxonomy(bad)


def test_user_dictionary_keeps_payment_terms_whole():
    words = cut("网联断直连以后备付金和结售汇四要素鉴权怎么办")
    for term in ("网联", "断直连", "备付金", "结售汇", "四要素"):
        assert term in words
    text = "请教网联对账"
    assert [(w, text[s:e]) for w, s, e in tokenize(text)] == [(w, w) for w, _, _ in tokenize(text)]
    assert terms("@朱文义-廊银-架构师-北京\u2005[呲牙]日切时间 http://x.cn/a") == ["日切", "时间"]


def test_lexicon_ranks_the_obvious_tag_first():
    assert rank(lexicon_scores("断直连以后都要走网联"))[0] == "netsunion"
    assert rank(lexicon_scores("渠道对账文件差错怎么处理"))[0] == "reconciliation"
    assert rank(lexicon_scores("周末一起吃饭"))[0] == "other"
    assert rank({}) == ["other"]
    # A weak term (said in conversations on any subject) counts half: 通道 is a hint, 路由 a subject.
    assert lexicon_scores("走哪个通道") == {"routing": 0.5} and lexicon_scores("路由") == {"routing": 1.0}


def test_lexicon_alone_tags_labelled_questions():
    rows = labelled()
    result = analyse_logs(one_thread_each(rows), model=None, use_classifier=False)
    assert top2(rows, result.threads) >= 0.82  # 0.825 (0.779 before the terms added from dev misses, 0.754 before weak terms)


@pytest.mark.parametrize("text, tag", [
    ("你们这套系统如何防止p2p公司发假标？", "risk"),
    ("请问过了pci 认证。可以存储 cvn 码吗？", "cards"),
    ("通过什么样的操作可以让这种预付卡合法？", "regulation"),
    ("那个这APP运营方的收入也是从云账户划拨过来吗", "collection-disbursement"),
    ("nodejs那部分是什么功能 网关作用？ 业务分发负载均衡？", "architecture"),
    ("支付侧没有终态的交易，如果到15点还没最终结果就不能去基金公司做申购吧？", "reconciliation"),
])
def test_domain_terms_name_questions_the_lexicon_missed(text, tag):
    """Dev questions (tests/data/topics.tsv) that named no term of their tag before terms were
    added for them; the lexicon alone now ranks the tag in the top two."""
    from chatmine.analyse.questions import question_text

    assert tag in rank(lexicon_scores(question_text(text)))[:2]


def test_model_fitted_on_seeds_saves_loads_and_tags_new_threads_the_same(seeds: Path, tmp_path: Path):
    fitted = analyse_logs(read_archive([seeds]).logs)
    assert fitted.model.classifier is not None
    assert all(t.topics and set(t.topics) <= set(IDS) for t in fitted.threads)
    path = tmp_path / "topics.pickle"
    fitted.model.save(path)
    loaded = TopicModel.load(path)
    rows = labelled()
    again = analyse_logs(one_thread_each(rows), model=loaded)
    direct = analyse_logs(one_thread_each(rows), model=fitted.model)
    assert [t.topics for t in again.threads] == [t.topics for t in direct.threads]
    assert top2(rows, again.threads) >= 0.82  # 0.834


def test_unreadable_model_is_a_chatmine_error(tmp_path: Path):
    path = tmp_path / "topics.pickle"
    path.write_bytes(b"not a pickle")
    with pytest.raises(ChatmineError):
        TopicModel.load(path)


def test_whole_corpus_top2_and_emerging_clusters(corpus: Path):
    """The figure the issue judges: the labelled topic in the question's thread's top two."""
    logs = read_archive([corpus]).logs
    rows = labelled()
    figures = {}
    for use_classifier in (False, True):
        result = analyse_logs(logs, use_classifier=use_classifier)
        where = {(t.log.source, m.line): t for t in result.threads for m in t.messages}
        for split in ("dev", "held"):
            part = [r for r in rows if r["split"] == split]
            figures[use_classifier, split] = top2(part, [where[r["source"], int(r["line"])] for r in part])
    # 452 questions, 306 drawn at random (issue 3's target is 0.85). Top-2 dev / held-out, with the
    # classifier and with the lexicon alone, newest first:
    # - 0.906 / 0.834 and 0.895 / 0.777 since terms were added from what the trade says (taxonomy.toml);
    # - 0.906 / 0.817 since a mid-message clause closing on a question word asks
    #   (questions.rule_verdict; two held-out threads cut otherwise);
    # - 0.906 / 0.829 and 0.892 / 0.777 since a conversation is cut into a thread per asker's
    #   question (threads.cut_threads);
    # - 0.877 / 0.794 and 0.874 / 0.789 before that, and 0.874 / 0.794 and 0.866 / 0.794 earlier;
    #   0.866 / 0.794 and 0.859 / 0.789 before replies were read without @mentions and URLs;
    #   0.856 / 0.789 and 0.830 / 0.771 before the terms added from dev misses; 0.834 / 0.771 and
    #   0.809 / 0.714 before banter put `other` second and weak terms counted half (0.870 / 0.789
    #   then, before the answer model and the question model's new features changed which
    #   messages a long thread's tags are read from).
    # The first 146 labels, picked by cue words, gave 0.86 / 0.90 before long conversations were
    # cut into threads.
    assert figures[True, "dev"] >= 0.895 and figures[True, "held"] >= 0.825, figures
    # The lexicon alone lost one held-out question (0.777 -> 0.771) when one reply came to open a
    # discussion (asking.DISCUSSION_REPLIES): a long thread's tags are read from its answers.
    assert figures[False, "dev"] >= 0.88 and figures[False, "held"] >= 0.77, figures
    # Named by one to three nouns, none too general to be a subject (银行, 金融, 产品·技术·经理) or
    # a member's name (老熊).
    from chatmine.analyse.topics import GENERIC_NOUNS

    words = [w for name in result.clusters for w in name.split("·")]
    assert result.clusters and all(name.count("·") <= 2 for name in result.clusters), result.clusters
    assert not set(words) & (GENERIC_NOUNS | {"老熊"}), result.clusters
    assert sum(result.clusters.values()) == sum(1 for t in result.threads if t.cluster)
    # A thread under an emerging topic says what it is named by (18 of the 24 under "ai" did not).
    from chatmine.analyse.topics import thread_text

    clustered = [t for t in result.threads if t.cluster]
    assert clustered and all(any(w in thread_text(t).lower() for w in t.cluster.split("·")) for t in clustered)


def test_a_new_day_moves_no_tag_and_a_new_month_few(corpus: Path, tmp_path):
    """Tags that change on every rebuild confuse readers and make incremental builds re-render
    pages. The model is fitted on the months before the newest (settled.py): adding a day to
    the newest month must leave every earlier thread's tags and cluster alone. The monthly
    refit on one more month moves the top two tags (or their order) of about 1,200 of 21,000
    threads (5.7%; 1,100 of 17,000 before a thread per asker's question, 3,900 of 14,450 with the SGD
    classifier and uncut conversations) and the emerging topic of about 180 (0.8%; 680, 4.0%,
    before): this bounds it from getting worse."""
    from chatmine.analyse.prepare import prepare_files
    from chatmine.read.sources import find_logs

    done = [p for p in prepare_files(find_logs([corpus], []), tmp_path / "cache") if p.log]
    newest = max(range(len(done)), key=lambda i: (done[i].log.date, done[i].log.source))
    month = done[newest].log.date.replace(day=1)

    def tags(selection):
        result = analyse_logs([p.log for p in selection], parts=[p.part for p in selection])
        return {t.id: (tuple(t.topics), t.topic_scores, t.cluster) for t in result.threads}

    after = tags(done)
    before_day = tags(done[:newest] + done[newest + 1:])
    assert all(after[key] == value for key, value in before_day.items())

    before_month = tags([p for p in done if p.log.date < month])
    moved = sum(1 for key, value in before_month.items() if after[key][0][:2] != value[0][:2])
    regrouped = sum(1 for key, value in before_month.items() if after[key][2] != value[2])
    assert moved / len(before_month) <= 0.08 and regrouped / len(before_month) <= 0.02, (moved, regrouped)


def _log(*texts: str):
    return parse_text(HEADER + "".join(f"> 10:00:0{i}  u{i % 2}  \n   \n{x}  \n   \n" for i, x in enumerate(texts)), "g/1.md").log


def test_a_thread_that_fits_no_tag_and_names_no_payment_subject_is_banter_first():
    from chatmine.model import Thread
    from chatmine.analyse.topics import tag_topics, thread_text

    # proddev/2018-05-07 around line 1901 (potatoes), and a payment question the classifier
    # is unsure of: both get the classifier's guess and `other` in their top two, the one
    # that names no payment term has `other` first (the site files it under banter).
    banter = _log("你家土豆跟土左的比咋样？", "我们那个地方土豆普遍好吃，淀粉含量多")
    payment = _log("渠道对账平账之后还要再全部对一遍吗？", "要看差错多不多")
    threads = [Thread(id=str(i), log=log, messages=list(log.messages)) for i, log in enumerate((banter, payment))]
    weak = {"architecture": 0.22, "reconciliation": 0.2, "other": 0.1}
    tag_topics(threads, [dict(weak), dict(weak)], [lexicon_scores(thread_text(t)) for t in threads], classified=True)
    assert threads[0].topics[:2] == ["other", "architecture"]
    assert threads[1].topics[:2] == ["architecture", "other"]


def test_mentions_and_links_in_replies_name_no_topic():
    """In a reply a member's name says where they work, not what is talked about:
    @雪鹰-海尔·快捷通-架构 named cards (快捷) and architecture (架构) in talk of dinner; a URL's
    api and git too. A question keeps them: who it is put to names its subject."""
    from chatmine.model import Thread
    from chatmine.analyse.topics import thread_text

    log = _log("周末一起吃饭吗？", "@雪鹰-海尔·快捷通-架构 好啊 https://github.com/a/api")
    text = thread_text(Thread(id="0", log=log, messages=list(log.messages)))
    assert set(lexicon_scores(text)) == {"other"}, text
    assert analyse_logs([log], model=None, use_classifier=False).threads[0].topics[0] == "other"
    asked = _log("@koci-银联-上海 这个咋获得最新的呀？", "官网有")
    thread = analyse_logs([asked], model=None, use_classifier=False).threads[0]
    assert thread.qa and thread.topics[0] == "cards"
