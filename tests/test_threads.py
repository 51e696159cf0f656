"""Conversations and threads: conservation, stable ids, mentions by name parts, chatter that must
not glue, one thread per question."""
from __future__ import annotations

from pathlib import Path

from chatmine.analyse.pipeline import analyse
from chatmine.read.archive import read_archive
from chatmine.read.parse import parse_file, parse_text
from chatmine.analyse.threads import first_line, is_chatter, split_conversations, thread_id

HEADER = "---\nlayout: source\ntitle: t\ndate: 2018-01-08 12:00:00\ntag: [chat]\n---\n"


def _log(body: str, source: str = "prodarch/2018-01-08-chat.markdown"):
    return parse_text(HEADER + body, source).log


def _message(time: str, speaker: str, text: str) -> str:
    return f"> {time}  {speaker}  \n   \n{text}  \n   \n"


def _thread_of(threads, line):
    return next(t for t in threads if any(m.line == line for m in t.messages))


def _conversation_of(conversations, line):
    return next(c for c in conversations if any(m.line == line for m in c))


def test_every_message_in_exactly_one_conversation_and_one_thread(seeds: Path):
    logs = read_archive([seeds]).logs
    threads = analyse(logs)
    for log in logs:
        conversations = split_conversations(log)
        assert sorted(m.line for c in conversations for m in c) == [m.line for m in log.messages], log.source
        own = [t for t in threads if t.log is log]
        assert sorted(m.line for t in own for m in t.messages) == [m.line for m in log.messages], log.source
        for t in own:
            assert [m.line for m in t.messages] == sorted(m.line for m in t.messages)


def test_ids_come_from_source_and_first_line_so_a_new_day_changes_none(seeds: Path):
    logs = read_archive([seeds]).logs
    before = {t.id: [m.line for m in t.messages] for t in analyse(logs[:-1])}
    after = {t.id: [m.line for m in t.messages] for t in analyse(logs)}
    assert before and all(after[i] == lines for i, lines in before.items())
    for t in analyse(logs[:3]):
        first = t.messages[0].line if t.messages else t.log.body_start
        assert t.id == thread_id(t.log.source, first)
    assert len(after) == len(set(after))


def test_mention_resolves_by_name_parts_and_keeps_interleaved_talks_apart(fixtures: Path):
    log = parse_file(fixtures / "threads_interleaved_mentions.markdown", fixtures).log
    conversations = split_conversations(log)
    # 21:04 朱文义 asks 李宝; 21:16 李宝 answers `@朱文义-廊银-架构师-北京` (speaker 廊坊银行-架构师-朱文义)
    zhu = _conversation_of(conversations, 42)
    assert _conversation_of(conversations, 46) is zhu
    # meanwhile 小穆 asks his own question (line 62) and 李宝 answers him (74): another conversation
    mu = _conversation_of(conversations, 62)
    assert mu is not zhu and _conversation_of(conversations, 74) is mu
    # 朱文义 comes back half an hour later naming 李宝: back to his own conversation
    assert _conversation_of(conversations, 98) is zhu


def test_a_mention_resolves_a_name_written_shorter_longer_or_with_marks():
    """Names as the corpus writes them in mentions and headers: @周峰-车置宝-项目管理-南京 for the
    speaker 周峰（Edison Zhou） (prodarch/2017-12-20), @孔晓光-丰瑞祥-技术-北京 for 孔晓光 丰瑞祥CTO,
    @Geoff-腾讯-产品 for Geoff?? (an emoji the export wrote as ??): 463 more of the corpus's 10,411
    mentions name a speaker of their day. A shared city, job or first character is not a name, nor
    the start of a Latin one (WillYang-嘉联支付-架构师 writes to @will-风控-财付通-深圳)."""
    from chatmine.model import Message
    from chatmine.analyse.replies import mentions_speaker
    from chatmine.text.speakers import split_profile
    from chatmine.analyse.threads import _mention_resolver

    speakers = ["周峰（Edison Zhou）", "孔晓光 丰瑞祥CTO", "WillYang-嘉联支付-架构师", "Geoff??", "张三-兴业银行-架构师-上海"]
    said = [Message(line=i, time="10:00:00", datetime=None, speaker=s, profile=split_profile(s), text="好")
            for i, s in enumerate(speakers)]
    resolve = _mention_resolver(said)
    assert resolve("周峰-车置宝-项目管理-南京") == "周峰（Edison Zhou）"
    assert resolve("孔晓光-丰瑞祥-技术-北京") == "孔晓光 丰瑞祥CTO"
    assert resolve("will-风控-财付通-深圳") == ""
    assert resolve("Geoff-腾讯-产品") == "Geoff??"
    assert resolve("张-招行-产品-北京") == "" and resolve("李四-某行-架构师-上海") == ""
    assert mentions_speaker("周峰-车置宝-项目管理-南京", said[0]) and mentions_speaker("Geoff-腾讯-产品", said[3])
    assert not mentions_speaker("张-招行-产品-北京", said[4])


def test_greetings_and_emoji_do_not_glue_two_subjects():
    log = _log(
        _message("09:00:00", "张三-易宝-产品-北京", "请教一下，渠道对账文件一般几点下载？")
        + _message("09:01:00", "李四-银联-技术-上海", "对账文件一般早上八点以后才有")
        + _message("09:20:00", "王五-某行-产品", "早上好")
        + _message("09:20:30", "赵六", "[强][强]")
        + _message("09:21:00", "王五-某行-产品", "![img](http://x/a.png)")
        + _message("09:22:00", "钱七-快钱-架构-深圳", "各位，有没有人做过跨境外卡收单？结售汇怎么处理？")
        + _message("09:23:00", "孙八-汇付-产品", "外卡收单要走境外收单行，结售汇找银行")
    )
    conversations = split_conversations(log)
    at = [_conversation_of(conversations, m.line) for m in log.messages]
    assert at[0] is at[1] and at[5] is at[6] and at[0] is not at[5]


def test_an_echo_stays_with_its_original_and_asks_nothing():
    # prodarch/2017-12-18-chat.markdown:3761: the archive records some messages twice, the same
    # second and words under two forms of one name (`Tim`, `Tim-深圳百灵鸟-架构`).
    log = _log(
        _message("18:58:40", "sea", "支付体系下的队列如何选择？")
        + _message("18:58:53", "Tim", "队列只是支付的一个应用场景，要看你场景")
        + _message("18:58:53", "Tim-深圳百灵鸟-架构", "队列只是支付的一个应用场景，要看你场景")
        + _message("18:59:05", "sea", "那消息队列一般用哪个？")
        + _message("18:59:05", "sea-某支付-产品", "那消息队列一般用哪个？")
    )
    # One thread: sea's second question follows up the first; the echoes go with their originals.
    [thread] = analyse([log])
    assert len(thread.messages) == 5
    assert [qa.question.line for qa in thread.qa] == [log.messages[0].line, log.messages[3].line]
    first, second = thread.qa
    assert [a.line for a in first.answers] == [log.messages[1].line] and second.answers == []


def test_a_conversation_is_cut_at_each_new_askers_question(seeds: Path):
    """prodarch/2018-02-24: 马忠信 asks whether 代付代收 needs the customer's consent (line 13),
    艾梅 asks something else (21): her question starts a thread that follows his, and Divi's
    answer to him (25), said after her question, sits in her thread but answers his. 马忠信's
    follow-ups on 裸代扣 (69 "一般怎么告知客户授权呀", 73) stay in the thread of his question 37."""
    log = parse_file(seeds / "prodarch/2018-02-24-chat.markdown", seeds).log
    threads = analyse([log])
    ma, mei = _thread_of(threads, 13), _thread_of(threads, 21)
    assert ma.messages[0].line == 13 and mei.messages[0].line == 21 and mei.follows == ma.id
    assert _thread_of(threads, 25) is mei and 25 in [a.line for a in ma.qa[0].answers]
    follow_up = _thread_of(threads, 37)
    assert _thread_of(threads, 69) is follow_up and _thread_of(threads, 73) is follow_up
    assert [qa.question.line for qa in follow_up.qa if qa.asks][:3] == [37, 69, 73]


def test_a_new_askers_question_begins_its_thread_in_the_seeds(seeds: Path):
    """Each thread's questions are one asker's; one whose asker is not the asker before it in
    the conversation begins its thread (a part cut by length alone may begin otherwise)."""
    threads = analyse(read_archive([seeds]).logs)
    ids = {t.id: t for t in threads}
    assert all(ids[t.follows].log is t.log and first_line(ids[t.follows]) < first_line(t) for t in threads if t.follows)

    def asker(thread):
        asked = [qa.question.speaker for qa in thread.qa if qa.asks]
        return asked[-1] if asked else None

    new = 0
    for t in (t for t in threads if asker(t)):
        asked = [qa for qa in t.qa if qa.asks]
        assert len({qa.question.speaker for qa in asked}) == 1, t.id
        before = ids.get(t.follows)
        while before is not None and asker(before) is None:
            before = ids.get(before.follows)
        if before is None or asker(before) != asker(t):
            assert t.messages[0] is asked[0].question, t.id
            new += 1
    assert new > 100


def test_a_long_conversation_is_cut_where_its_subject_changes():
    from chatmine.analyse.threads import _segments, content_set
    from chatmine.text.tokens import terms

    first = ["渠道对账文件几点下载", "对账文件缺了交易怎么补单", "长款短款差错怎么处理", "日切以后的交易算哪天对账"]
    second = ["跨境收单结售汇怎么做", "外卡收单走哪家境外收单行", "外汇额度和购付汇有限制吗", "跨境电商的结汇周期多长"]
    body = "".join(_message(f"10:{i:02d}:00", f"甲{i % 3}", first[i % 4]) for i in range(20))
    body += "".join(_message(f"11:{i:02d}:00", f"乙{i % 3}", second[i % 4]) for i in range(20))
    log = _log(body)
    words = {id(m): content_set(terms(m.text)) for m in log.messages}
    parts = _segments(log.messages, words)
    assert [len(p) for p in parts] == [20, 20]
    assert _segments(log.messages[:30], words) == [log.messages[:30]]


def test_chatter():
    log = _log(
        _message("09:00:00", "a", "签到")
        + _message("09:00:01", "a", "[鼓掌][鼓掌]")
        + _message("09:00:02", "a", "感谢分享，精彩")
        + _message("09:00:03", "a", "对账文件几点能下载？")
    )
    assert [is_chatter(m) for m in log.messages] == [True, True, True, False]


def test_article_is_one_thread_without_messages(fixtures: Path):
    log = parse_file(fixtures / "article_post.markdown", fixtures).log
    [thread] = analyse([log])
    assert thread.messages == [] and thread.title == log.title


def test_whole_corpus_conservation(corpus: Path):
    logs = read_archive([corpus]).logs
    threads = analyse(logs)
    seen = [(t.log.source, m.line) for t in threads for m in t.messages]
    assert len(seen) == len(set(seen)) == sum(len(log.messages) for log in logs)
    assert len({t.id for t in threads}) == len(threads)
