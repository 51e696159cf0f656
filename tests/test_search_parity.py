"""The browser's search (site_templates/static/search/*.js, run by node) is the terminal's:
the same terms for the same text, the same top ten for the same query over the same index.

Node runs tests/js/search.mjs over the built site's search/ folder; the tests skip when node
is missing.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from chatmine.searching.terms import index_terms

NODE = shutil.which("node")
HARNESS = Path(__file__).parent / "js" / "search.mjs"

TERM_CASES = [
    "渠道对账平账之后还要再全部对一遍吗", "网联", "丁", "DCC 外卡收单", "T+1 到账，D0 垫资",
    "ＡＰＩ网关 ＦＵＬＬ－ＷＩＤＴＨ １２３", "支付宝/微信 (H5) 2018年3月", "𠀀𠀁 ext-B", "兀 豈 compatibility",
    "カード 결제 кошелёк Straße İstanbul", "a1b2c3 ABC_def", "", "   ", "😀对账😀", "一\u3000二 三",
]


def node(requests: list[dict], folder: Path | None = None) -> list:
    """The harness's answers to `requests` (tests/js/search.mjs), over the index at `folder`."""
    if NODE is None:
        pytest.skip("node is not installed")
    args = [NODE, str(HARNESS)] + ([str(folder)] if folder else [])
    done = subprocess.run(args, input=json.dumps(requests), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("text", TERM_CASES)
def test_js_terms_are_the_python_terms(text):
    assert node([{"terms": text}]) == [index_terms(text)]


def test_js_terms_of_real_records(fixtures):
    """Every record text of the site fixtures (chat as written: mentions, URLs, emoji, numbers)."""
    from chatmine import pages
    from chatmine.build import analyse_archives
    from chatmine.config import load_config
    from chatmine.site import search_records

    source = fixtures / "site"
    result = analyse_archives([source])
    model = pages.build_model(result.threads, result.logs, load_config([source]))
    texts = [r.text for r in search_records(model)] + [r.title for r in search_records(model)]
    assert len(texts) > 20
    assert node([{"terms": t} for t in texts]) == [index_terms(t) for t in texts]
