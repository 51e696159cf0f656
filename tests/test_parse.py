"""The parser keeps every message and every body line of the real formats."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from chatmine.read.archive import read_archive
from chatmine.errors import ChatmineError
from chatmine.read.parse import decode, decode_entities, parse_file, parse_text

# Counted independently of the parser: a header is `> H:MM:SS` at the start of a line.
HEADER = re.compile(r"^> \d{1,2}:\d\d:\d\d")
RAW = re.compile(r"^[ \t]*\d{1,2}:\d\d:\d\d(?:\t|  +)")
FENCE = re.compile(r"^-{3,}\s*$")
NAME_GAP = re.compile(r"[\s:：]")


def body_lines(path: Path) -> tuple[int, list[str], bool]:
    """(headers, non-blank body lines with header lines removed, whether it is a raw dump) of a
    file, read naively; character references read (parse.ENTITY: &amp;amp;quot; is ")."""
    lines = path.read_text("utf-8").split("\n")
    fences = [i for i, line in enumerate(lines) if FENCE.match(line)]
    body = lines[fences[1] + 1 :] if len(fences) >= 2 and fences[0] == 0 else lines
    headers = sum(1 for line in body if HEADER.match(line))
    if headers:
        kept = [decode_entities(line.rstrip()) for line in body if not HEADER.match(line)]
        return headers, [line for line in kept if line.strip()], False
    headers = sum(1 for line in body if RAW.match(line))
    kept = [decode_entities(RAW.sub("", line).rstrip() if RAW.match(line) else line.rstrip()) for line in body]
    return headers, [line for line in kept if line.strip()], True


def assert_conserved(path: Path, root: Path) -> None:
    log = parse_file(path, root).log
    headers, kept, dump = body_lines(path)
    assert len(log.messages) == headers, path
    produced = [decode_entities(line.rstrip()) for line in log.preamble.split("\n")]
    produced = [line for line in produced if line.strip()]
    for message in log.messages:
        lines = [line for line in message.text.split("\n") if line.strip()]
        if message.speaker and dump:
            # A dump that names speakers in its lines: the name went to `speaker`, only
            # the colon and blanks between it and the text are gone.
            first = message.speaker + (lines.pop(0) if lines and message.text.startswith(lines[0]) else "")
            index = len(produced)
            assert NAME_GAP.sub("", kept[index]) == NAME_GAP.sub("", first), (path, message.line)
            produced.append(kept[index])
        produced += lines
    assert produced == kept, path


def test_every_fixture_keeps_every_header_and_body_line(fixtures):
    for path in sorted(fixtures.glob("*.markdown")):
        assert_conserved(path, fixtures)


def test_whole_corpus_keeps_every_header_and_body_line(corpus):
    paths = sorted(corpus.rglob("*.markdown"))
    assert len(paths) == 728
    for path in paths:
        assert_conserved(path, corpus)


def test_whole_corpus_daily_logs_give_106180_messages(corpus):
    read = read_archive([corpus])
    assert read.problems == []
    daily = [log for log in read.logs if log.group != "wechat"]
    assert sum(len(log.messages) for log in daily) == 106180


def test_daily_log_header_speaker_and_profile(fixtures):
    log = parse_file(fixtures / "log_tab_in_front_matter.markdown", fixtures).log
    assert log.tags == ["chat"] and log.layout == "source"
    assert log.date == date(2018, 2, 1) and log.author == "柚妈"
    first = log.messages[0]
    assert (first.line, first.time, first.speaker) == (9, "08:04:42", "凡艳辉 | 即信 | 产品 | 上海")
    assert (first.profile.name, first.profile.org, first.profile.role, first.profile.city) == ("凡艳辉", "即信", "产品", "上海")
    assert first.text.startswith("大家好，我叫凡艳辉") and not first.text.endswith(" ")
    assert first.datetime.isoformat() == "2018-02-01T08:04:42"
    asked = next(m for m in log.messages if m.time == "10:46:43")
    assert asked.mentions == ["凡艳辉 | 即信 | 产品 | 上海"]
    kinds = {m.time: m.kind for m in log.messages}
    assert kinds["08:12:52"] == "emoji" and kinds["08:22:15"] == "empty"


def test_a_mention_of_a_name_written_with_a_space_is_whole():
    """The corpus writes @Summer 梁夏-丰瑞祥-GM-BJ (42 times), @White -国美PM-北京, @A Lifer-小鱼金服-产品-上海:
    the mention runs on past the space, and a title or a topic's words do not start with the name's rest."""
    from chatmine.text.mentions import MENTION
    from chatmine.analyse.titles import shorten
    from chatmine.text.tokens import clean

    said = "@Summer 梁夏-丰瑞祥-GM-BJ 没有坏账，是因为体量小。体量和风险是成正比的。"  # proddev/2017-06-05:599
    assert MENTION.findall(said) == ["Summer 梁夏-丰瑞祥-GM-BJ"]
    assert shorten(said) == "没有坏账，是因为体量小。体量和风险是成正比的"
    assert MENTION.findall("@White -国美PM-北京 你好") == ["White -国美PM-北京"]
    assert MENTION.findall("@A Lifer-小鱼金服-产品-上海 对") == ["A Lifer-小鱼金服-产品-上海"]
    # Two words before the Han part, and | between the parts (proddev/2018-01, 16 lines of the corpus).
    assert MENTION.findall("@Jin He 何瑾|新生|跨境支付?最近都在写材料？约个茶") == ["Jin He 何瑾|新生|跨境支付"]
    assert MENTION.findall("@Phyllis Min -信用卡中心-HK 你好") == ["Phyllis Min -信用卡中心-HK"]
    assert MENTION.findall("@李艳鹏 - 蚂蚁 - 高级技术专家?书里也会写吗") == ["李艳鹏 - 蚂蚁 - 高级技术专家"]
    assert MENTION.findall("@汤霆 - 医美消金-pm-上海 好") == ["汤霆 - 医美消金-pm-上海"]
    assert clean("@shawn - fullrich - BJ 回北京了？").strip() == "回北京了？"
    assert clean("@张三 - 你好").strip() == "- 你好"  # one part after the dash: text, not a name
    assert clean("@Jin He 何瑾|新生|跨境支付?最近都在写材料？约个茶").strip() == "最近都在写材料？约个茶"
    # A word after a mention is not a name's rest unless it is dash-joined like one (three parts).
    assert MENTION.findall("@张三 这个-那个问题") == ["张三"] and clean("@张三 这个-那个问题").strip() == "这个-那个问题"


def test_a_character_reference_is_read_as_the_character(fixtures):
    """The exporter escaped some messages twice (tests/fixtures/log_tab_in_front_matter: the
    speaker 刘渊-深结算-产品&市场-深圳 is mentioned as @刘渊-深结算-产品&amp;amp;市场): the text
    says 217&281号, the mention is all of the name, and none of it shows as &amp;."""
    log = parse_file(fixtures / "log_tab_in_front_matter.markdown", fixtures).log
    said = {m.line: m for m in log.messages}
    assert said[633].text.startswith("217&281号发文都要求对代收付做整改")
    assert said[741].mentions == ["刘渊-深结算-产品&市场"] and said[741].text.endswith("?银企指的是什么？")
    assert not any("&amp;" in m.text or "&quot;" in m.text for m in log.messages)
    assert parse_text("---\nlayout: source\n---\n\n> 10:00:00  a\n\n(￣▽￣&amp;amp;quot;)  &amp;#183;&amp;#183;\n",
                      "proddev/2017-11-21-chat.markdown").log.messages[0].text == '(￣▽￣")  ··'


def test_a_mention_ends_at_punctuation_and_an_address_is_none():
    """"@所有人。请问下那位有银联国际的业务操作规范？？" (proddev/2018-05-03:939) mentions 所有人 and asks the
    rest: the mention ran on to the end, and topics, threads and search lost the question."""
    from chatmine.text.mentions import MENTION
    from chatmine.text.tokens import clean

    said = "@所有人。请问下那位有银联国际的业务操作规范？？"
    assert MENTION.findall(said) == ["所有人"]
    assert "请问下那位有银联国际的业务操作规范" in clean(said)
    assert MENTION.findall("@老熊，我邀请进群。") == ["老熊"]
    assert MENTION.findall("简历发 pay@163.com 就行") == [] and "pay@163.com" in clean("简历发 pay@163.com 就行")


def test_image_file_and_link_messages(fixtures):
    log = parse_file(fixtures / "log_file_link_image.markdown", fixtures).log
    by_line = {m.line: m for m in log.messages}
    image = next(m for m in log.messages if m.kind == "image")
    assert image.images[0].startswith("http://static.cocolian.cn/img/")
    files = [m for m in log.messages if m.kind == "file"]
    assert files and files[0].text.startswith("[汽车潜在消费人群画像")
    links = [m for m in log.messages if m.kind == "link"]
    assert links and links[0].urls == ["https://toutiao.io/posts/zghyaj"]
    assert all(by_line[m.line] is m for m in log.messages)


def test_raw_dumps_without_speaker(fixtures):
    spaces = parse_file(fixtures / "dump_spaces_no_speaker.markdown", fixtures).log
    assert spaces.layout == "post" and spaces.messages[0].speaker == ""
    assert (spaces.messages[0].time, spaces.messages[0].text) == ("14:39:14", "现在行业做得最好的都有哪些公司")
    tab = parse_file(fixtures / "dump_tab_no_speaker.markdown", fixtures).log
    assert tab.messages[0].time == "01:24:07"


def test_raw_dump_naming_speakers_gives_them(fixtures):
    """`10:39:31<TAB>dio: <TAB>text`, `LM：<TAB>text`, `alan<TAB>text`, `QiaoY： text` (wechat/2017-05-19)."""
    log = parse_file(fixtures / "dump_tab_named.markdown", fixtures).log
    said = [(m.time, m.speaker, m.text[:6]) for m in log.messages]
    assert said[0] == ("10:39:31", "dio", "话说平安的壹")
    assert [s for _, s, _ in said] == ["dio", "Leo", "LM", "alan", "Marily", "alan", "alan", "QiaoY", "LXY"]
    assert said[-1][2] == "民生还行"
    # A dump without names keeps its colons in the text: "四要素：名字 身份证号…" names no one.
    tab = parse_file(fixtures / "dump_tab_no_speaker.markdown", fixtures).log
    assert all(m.speaker == "" for m in tab.messages)


def test_article_is_kept_as_prose(fixtures):
    log = parse_file(fixtures / "article_post.markdown", fixtures).log
    assert log.is_article and "iTunes" in log.preamble and log.title == "微信聊天记录整理指南"


def test_control_characters_in_text_are_kept(fixtures):
    log = parse_file(fixtures / "log_control_characters.markdown", fixtures).log
    assert any("\x10" in m.text or "\x12" in m.text or "\x14" in m.text for m in log.messages)


def test_front_matter_fallbacks_warn_with_line():
    text = "---\nlayout: source\ntitle: a: b: c\n\tbad: [\n---\n> 09:00:00  甲-银行-产品\n   \n你好\n   \n"
    parsed = parse_text(text, "proddev/2018-01-02-chat.markdown")
    assert parsed.log.date == date(2018, 1, 2) and len(parsed.log.messages) == 1
    assert [p.severity for p in parsed.problems] == ["warning"]
    assert "proddev/2018-01-02-chat.markdown:" in str(parsed.problems[0])


def test_no_date_anywhere_is_an_error():
    with pytest.raises(ChatmineError, match="no date"):
        parse_text("---\ntitle: x\n---\n> 09:00:00  a\n", "notes.markdown")


@pytest.mark.parametrize(
    "data",
    [
        "---\ndate: 2018-01-02\n---\r\n> 09:00:00  甲\r\n   \r\n对账\r\n   \r\n".encode("utf-8"),
        "\ufeff---\ndate: 2018-01-02\n---\n> 09:00:00  甲\n   \n对账\n   \n".encode("utf-8"),
        "---\ndate: 2018-01-02\n---\n> 09:00:00  甲\n   \n对账\n   \n".encode("utf-16"),
        "---\ndate: 2018-01-02\n---\n> 09:00:00  甲\n   \n对账\n   \n".encode("gb18030"),
    ],
    ids=["crlf", "utf8-bom", "utf16-bom", "gb18030"],
)
def test_readable_encodings_are_read_correctly(data):
    log = parse_text(decode(data, "x.markdown"), "x.markdown").log
    assert [(m.speaker, m.text) for m in log.messages] == [("甲", "对账")]


def test_binary_and_empty_are_refused():
    with pytest.raises(ChatmineError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.markdown")
    with pytest.raises(ChatmineError, match="empty"):
        decode(b"  \n", "a.markdown")


def test_every_stage_reads_a_mention_with_the_one_grammar():
    """The parser, the cleaner, the site's renderer and the masking read @mentions alike: the
    renderer linked only "@Summer" of "@Summer 梁夏-丰瑞祥-GM-BJ", styled pay@163.com as a mention,
    and the masking missed "@??项志文-…" (the U+2005 some exports wrote as ??)."""
    from chatmine.publish.redact import Namer, Policy
    from chatmine.publish.richtext import render_message
    from chatmine.text.tokens import clean

    said = "@??项志文-平安互金-产品-深圳?你们的垫资做授信吗 @Summer 梁夏-丰瑞祥-GM-BJ 简历发 pay@163.com"
    day = f"---\nlayout: source\n---\n\n> 10:00:00  a\n\n{said}\n\n> 10:01:00  项志文-平安互金-产品-深圳\n\n不占用\n"
    log = parse_text(day, "proddev/2018-03-29-chat.markdown").log
    assert log.messages[0].mentions == ["项志文-平安互金-产品-深圳", "Summer 梁夏-丰瑞祥-GM-BJ"]
    assert " ".join(clean(said).split()) == "你们的垫资做授信吗 简历发 pay@163.com"
    linked = []
    html = str(render_message(said, lambda who: linked.append(who) or "speaker/x.html"))
    assert linked == ["项志文-平安互金-产品-深圳", "Summer 梁夏-丰瑞祥-GM-BJ"]
    assert '">@Summer 梁夏-丰瑞祥-GM-BJ</a> 简历发 pay@163.com' in html and html.count('class="mention"') == 2
    masked = Namer([log], Policy(pseudonymize=True)).text(said)
    assert "项志文" not in masked and "平安互金" not in masked and masked.startswith("@??")
