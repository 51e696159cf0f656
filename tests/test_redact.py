"""Personal data (issue 6): planted numbers, e-mails and names never reach the built site.

Fixture: log_personal_data.markdown, a real snippet with a phone in the title and in a
question, an ID card, a bank card, an e-mail and a dashed phone planted in messages.
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chatmine.read.parse import parse_file
from chatmine.publish.redact import Policy, alias, id_card_valid, luhn_valid, mask_text, read_opt_out, redact_archive
from chatmine.search.terms import index_terms

PLANTED = ["13700001111", "13812345678", "11010519491231002X", "6222021234567890128", "divi.pay@example.com",
           "139-1234-5678", "1234-5678"]
OPTED = "马忠信"  # asks the first question; mentioned in full by Divi


def run(*args):
    return subprocess.run([sys.executable, "-m", "chatmine", *map(str, args)], capture_output=True, text=True)


def site_texts(folder: Path):
    """(path, text) of every file of a site, Pagefind's gzipped index and fragments opened."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        # Pagefind splits words of its excerpts with U+200B: taken out so a split e-mail still matches.
        yield path, data.decode("utf-8", "replace").replace("\u200b", "")


def leaks(folder: Path, needles: list[str]) -> list[str]:
    found = []
    for path, text in site_texts(folder):
        lowered = text.lower()
        found += [f"{path.relative_to(folder)}: {n}" for n in needles if n.lower() in lowered]
    return found


def encoded(name: str) -> list[str]:
    """How a Chinese name appears in the search index: its terms (bigrams)."""
    return index_terms(name)


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("personal") / "archive"
    (root / "prodarch").mkdir(parents=True)
    shutil.copy(Path(__file__).parent / "fixtures" / "log_personal_data.markdown", root / "prodarch" / "2018-02-24-chat.markdown")
    return root


@pytest.mark.parametrize("text, masked", [
    ("电话13812345678。", "电话138****5678。"),
    ("+86 139-1234-5678", "139****5678"),
    ("身份证 11010519491231002X", "身份证 **************002X"),
    ("卡号 6222 0212 3456 7890 128 完", "卡号 **** **** 0128 完"),
    ("卡号6222021234567890128", "卡号**** **** 0128"),
    ("mail zhang.san@example.com.cn", "mail z***@example.com.cn"),
    # As in proddev/2018-05-14: a URL runs straight into Chinese text and a phone number.
    ("请到 http://x.example/a.pdf下载，或电话联系13812345678或微信pay13812345678。",
     "请到 http://x.example/a.pdf下载，或电话联系138****5678或微信pay138****5678。"),
])
def test_personal_data_is_masked(text, masked):
    assert mask_text(text) == masked


@pytest.mark.parametrize("text", [
    "订单号 6222021234567890127",  # fails Luhn: an order number, not a card
    "110105194912310021",  # wrong ID check digit
    "12812345678 和 1381234567",  # not a mobile prefix / too short
    "http://static.cocolian.org/img/13812345678/6222021234567890128.png",  # inside a URL: a file name
    "2018-02-24 09:58:10 交易 100.00 元",
])
def test_other_numbers_are_left_alone(text):
    assert mask_text(text) == text


def test_checksums():
    assert id_card_valid("11010519491231002X") and not id_card_valid("110105194912310021")
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")


def test_redacting_copies_and_keeps_the_original(fixtures):
    log = parse_file(fixtures / "log_personal_data.markdown", fixtures).log
    from chatmine.analyse.pipeline import analyse

    threads = analyse([log])
    logs, redacted = redact_archive([log], threads, Policy(pseudonymize=True, opt_out=frozenset({OPTED})))
    assert any("13812345678" in m.text for m in log.messages)  # export keeps data whole
    assert not any("13812345678" in m.text for m in logs[0].messages)
    assert sum(len(t.messages) for t in redacted) == len(log.messages) == len(logs[0].messages)
    assert all(t.log is logs[0] for t in redacted)
    in_threads = {id(m) for t in redacted for m in t.messages}
    assert in_threads == {id(m) for m in logs[0].messages}


def test_aliases_are_stable_and_distinct():
    assert alias("王斌") == alias("王斌") != alias("姚雪峰")


def test_opt_out_file_reads_names_and_comments(tmp_path):
    path = tmp_path / "opt-out.txt"
    path.write_text("# asked 2018-03-01\n马忠信\n\n  Divi  # by e-mail\n", encoding="utf-8")
    assert read_opt_out(path) == {"马忠信", "Divi"}


@pytest.fixture(scope="module")
def default_site(archive, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "_site"
    result = run("build", archive, "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def test_no_file_of_the_site_or_its_index_holds_planted_data(default_site):
    assert leaks(default_site, PLANTED) == []
    # ... and the masked forms are there: the data was found, not the pages lost.
    pages = "".join(text for path, text in site_texts(default_site) if path.suffix == ".html")
    assert "138****5678" in pages and "**************002X" in pages and "d***" in pages
    assert any("d***@example.com" in text for path, text in site_texts(default_site / "search"))


def test_no_redact_publishes_them(archive, tmp_path):
    out = tmp_path / "_site"
    assert run("build", archive, "-o", out, "--no-redact").returncode == 0
    assert {"13812345678", "divi.pay@example.com"} <= {n for n in PLANTED if leaks(out, [n])}


def test_export_keeps_data_whole_unless_redact(archive):
    whole = run("export", archive)
    assert whole.returncode == 0 and "13812345678" in whole.stdout and "divi.pay@example.com" in whole.stdout
    masked = run("export", archive, "--redact")
    assert masked.returncode == 0 and json.loads(masked.stdout.splitlines()[0])
    assert not any(n in masked.stdout for n in PLANTED)


@pytest.fixture(scope="module")
def private_site(archive, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("private")
    (folder / "opt-out.txt").write_text(f"{OPTED}\n", encoding="utf-8")
    out = folder / "_site"
    result = run("build", archive, "-o", out, "--pseudonymize", "--opt-out", folder / "opt-out.txt")
    assert result.returncode == 0, result.stderr
    return out


def test_opted_out_person_is_nowhere_in_the_site(private_site):
    assert leaks(private_site, [OPTED, "联金所-产品-马忠信", *encoded(OPTED)]) == []


def test_opted_out_thread_stays_readable(private_site, fixtures):
    day = next((private_site / "day").rglob("*.html")).read_text("utf-8")
    assert "（该成员的发言已按本人要求隐去）" in day
    # Everyone else's words are still there, in order.
    assert day.index("除了微信支付宝") < day.index("这个我们叫“终端鉴权”")


def test_pseudonymized_names_are_aliases_everywhere(private_site):
    names = ["姚雪峰", "王斌", "艾梅"]
    assert leaks(private_site, names + [t for n in names for t in encoded(n)]) == []
    assert alias("姚雪峰") in (private_site / "speakers.html").read_text("utf-8")


def test_keep_org_role_keeps_them_beside_the_alias(archive, tmp_path):
    out = tmp_path / "_site"
    assert run("build", archive, "-o", out, "--pseudonymize", "--keep-org-role").returncode == 0
    day = next((out / "day").rglob("*.html")).read_text("utf-8")
    assert f"{alias('姚雪峰')}-通联-产品" in day and "姚雪峰" not in day


def test_whole_corpus_masked_holds_no_phone_or_email_outside_urls(corpus):
    from chatmine.read.archive import read_archive
    from chatmine.publish.redact import EMAIL, MOBILE, URL_SPAN

    masked = 0
    for log in read_archive([corpus]).logs:
        for text in [log.title, log.preamble, *(m.text for m in log.messages)]:
            clean = mask_text(text)
            masked += clean != text
            rest = URL_SPAN.sub(" ", clean)
            assert not MOBILE.search(rest) and not EMAIL.search(rest), (log.source, rest[:200])
    assert masked >= 10  # the corpus really holds some (measured: 17 texts)


def test_names_in_text_spare_common_words_longer_words_and_urls():
    from datetime import date

    from chatmine.model import Log, Message, Profile
    from chatmine.publish.redact import Namer

    speakers = ["Tim", "什么", "龚晓冬-银商账户-产品-上海"]
    messages = [Message(line=i, time="09:00:00", datetime=None, speaker=s, profile=Profile(s.split("-")[0]), text="")
                for i, s in enumerate(speakers)]
    namer = Namer([Log(source="g/a.md", group="g", date=date(2018, 1, 1), title="", messages=messages)],
                  Policy(pseudonymize=True))
    text = namer.text("问 Tim 和 @龚晓冬-银商账户-产品-上海：什么 Timeout？见 http://x.example/Tim/a.png 龚晓冬说")
    assert text == (f"问 {alias('Tim')} 和 @{alias('龚晓冬')}：什么 Timeout？见 http://x.example/Tim/a.png "
                    f"{alias('龚晓冬')}说")


def test_redact_threads_alone_finds_names_through_the_threads(fixtures):
    from chatmine.analyse.pipeline import analyse
    from chatmine.publish.redact import redact_threads

    log = parse_file(fixtures / "log_personal_data.markdown", fixtures).log
    threads = redact_threads(analyse([log]), Policy(mask=False, opt_out=frozenset({OPTED})))
    words = json.dumps([[m.speaker, m.text] for t in threads for m in t.messages] + [t.title for t in threads],
                       ensure_ascii=False)
    assert OPTED not in words and "13812345678" not in words and "6222021234567890128" in words
