"""The parser under random input (issue 6): headers in == messages out, only ChatmineError.

Hypothesis builds files from message headers, body lines, junk and front matter of every
shape (proper, missing, unclosed, unparsable); the count of headers is known by
construction, and junk is kept from looking like a header by the test's own regex.
"""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings, strategies as st

from chatmine.errors import ChatmineError
from chatmine.read.parse import parse_bytes, parse_text

SOURCE = "prodarch/2018-03-14-chat.markdown"
# Independent of the parser: what a reader would call a message header or a raw-dump line.
LOOKS_TIMED = re.compile(r"^\s*>?\s*\d{1,2}:\d\d:\d\d")

text_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x85\u2028\u2029")
any_line = st.text(text_char, max_size=40)
word = st.text(st.characters(blacklist_categories=("Cs", "Z", "C")), min_size=1, max_size=12)


@st.composite
def header(draw) -> str:
    hh = draw(st.integers(0, 29))  # 24..29: impossible hours are still headers
    mm, ss = draw(st.integers(0, 69)), draw(st.integers(0, 69))
    hh_text = f"{hh:02d}" if draw(st.booleans()) else str(hh)
    speaker = draw(st.one_of(st.just(""), st.builds("-".join, st.lists(word, min_size=1, max_size=4))))
    gap = draw(st.sampled_from(["  ", " ", "\t", "\u3000", "  \u00a0"]))
    trail = draw(st.sampled_from(["", "  ", " \t"]))
    return f"> {hh_text}:{mm:02d}:{ss:02d}{gap}{speaker}{trail}" if speaker or draw(st.booleans()) else f"> {hh_text}:{mm:02d}:{ss:02d}{trail}"


junk = st.one_of(
    any_line,
    st.sampled_from(["---", "----  ", ">", "> ", "> 9:0", "> 09:00", "]()", "![x](", "```", "\x00", "\x10\x12", "\ufeff",
                     "title: a: b", "  - [", "{{", "\t\t", "   ", "", "…", "— — —"]),
    st.text(st.sampled_from("->:0123456789 \t[]()!#*_`\"'{}|"), max_size=20),
).filter(lambda line: not LOOKS_TIMED.match(line))

front_matter = st.sampled_from([
    "---\nlayout:     source \ntitle:      \"2018-03-14-WeChat\"\ndate:       2018-03-14 12:00:00\ntag:\t\t  [chat]\n---\n",
    "",
    "---\nlayout: source\ntitle: \"cut\n",
    "---\ntitle: a: b: c\n\tbad: [\ndate: 2018-13-45\n---\n",
    "---\n---\n",
    "\ufeff---\ndate: 2018-03-14\n---\n",
])


@st.composite
def log_file(draw) -> tuple[str, int]:
    """(file text, number of headers in it)."""
    parts = draw(st.lists(st.tuples(st.sampled_from(["header", "body", "junk"]), st.integers(0, 3)), max_size=30))
    lines: list[str] = []
    headers = 0
    for kind, count in parts:
        if kind == "header":
            lines.append(draw(header()))
            headers += 1
            lines += ["   "] + [draw(any_line.filter(lambda l: not LOOKS_TIMED.match(l))) for _ in range(count)]
        else:
            lines += [draw(junk) for _ in range(count)]
    ending = draw(st.sampled_from(["\n", "", "\n   \n"]))
    return draw(front_matter) + "\n".join(lines) + ending, headers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(log_file())
def test_headers_in_equal_messages_out_and_only_chatmine_error(case):
    text, headers = case
    try:
        parsed = parse_text(text, SOURCE)
    except ChatmineError:
        return
    assert len(parsed.log.messages) == headers
    lines = [m.line for m in parsed.log.messages]
    assert lines == sorted(set(lines))
    numbered = text.split("\n")
    for message in parsed.log.messages:
        assert re.match(r"> \d{1,2}:\d\d:\d\d", numbered[message.line - 1])


@settings(max_examples=100, deadline=None)
@given(log_file(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"]), st.booleans())
def test_every_readable_encoding_and_line_end_gives_the_same_messages(case, encoding, crlf):
    text, headers = case
    if crlf:
        text = text.replace("\n", "\r\n")
    try:
        expected = parse_text(text, SOURCE)
    except ChatmineError:
        expected = None
    try:
        parsed = parse_bytes(text.encode(encoding), SOURCE)
    except ChatmineError:
        return  # refused as binary or empty: one line, never a crash
    assert expected is not None
    got = [(m.line, m.time, m.speaker, m.text) for m in parsed.log.messages]
    assert got == [(m.line, m.time, m.speaker, m.text) for m in expected.log.messages]
    assert len(got) == headers


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_raise_nothing_but_chatmine_error(data):
    try:
        parse_bytes(data, SOURCE)
    except ChatmineError as err:
        assert "\n" not in str(err) and err.path == SOURCE
