"""The one sanitiser: tags out (also tags that removing a tag would form), the rest exactly as typed."""

from __future__ import annotations

import re

import pytest

from comment_portal.sanitize import clean_text


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("<script>alert(1)</script>建议", "建议"),
        ("<b>粗体</b>意见", "粗体意见"),
        ("a < b & c", "a < b & c"),
        ("5<10 且 x>3", "5<10 且 x>3"),
        ("&lt;script&gt; 是字面文字", "&lt;script&gt; 是字面文字"),
        ("建议将<跨境电商>改为", "建议将<跨境电商>改为"),
        ("中\x00文\x07", "中文"),
        ("第一段\r\n第二段", "第一段\n第二段"),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    "payload",
    [
        "<<img src=x onerror=alert(1)>img src=x onerror=alert(1)>建议",
        "<<b>script>alert(1)<</b>/script>建议",
        "<<<b>b>script>alert(1)</script>",
        "<scr<script>ipt>alert(1)</script>",
    ],
)
def test_nested_markup_cannot_reassemble(payload):
    cleaned = clean_text(payload)
    assert not re.search(r"<[A-Za-z/!?]", cleaned), cleaned  # nothing a browser would read as a tag
    assert clean_text(cleaned) == cleaned  # stable: cleaning twice changes nothing
