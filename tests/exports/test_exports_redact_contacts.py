"""Contact details written the ways people dodge filters (tests/exports/data/redaction_contact_variants.json) are
masked, and whatever the notice reader takes for an e-mail address is masked too: the patterns are shared
(``draft.contacts``), so what one module recognises as contact data never reaches the public report."""

from __future__ import annotations

import pytest

from draft.contacts import EMAIL
from draft.notice import find_email
from exports.redact import redact
from tests.exports.redaction_corpus import flatten, load

CASES = load("redaction_contact_variants.json")
CLEAN = load("redaction_contact_variants.json", "clean")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_contact_variants_are_masked(case) -> None:
    masked, findings = redact(case.text)
    assert case.leaks(masked) == [], masked
    for f in findings:
        assert case.text[f.start:f.end] == f.original


@pytest.mark.parametrize("case", CLEAN, ids=[c.id for c in CLEAN])
def test_contact_lookalikes_are_left_alone(case) -> None:
    assert redact(case.text) == (case.text, [])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_an_address_the_notice_reader_finds_is_masked(case) -> None:
    found = find_email(case.text)
    if found:
        assert flatten(found) not in flatten(redact(case.text)[0])


@pytest.mark.parametrize(("text", "address"), [
    ("wang.jl@example.com请回复", "wang.jl@example.com"),
    ("请寄mail.user@dept.mail.example.com.cn。", "mail.user@dept.mail.example.com.cn"),
    ("QQ邮箱12345678@qq.com", "12345678@qq.com"),
    ("（wang+consult@my-mail.example.org）", "wang+consult@my-mail.example.org"),
    ("发到wangjl@example-.com谢谢", "wangjl@example-.com"),
])
def test_one_email_pattern_finds_the_whole_address(text: str, address: str) -> None:
    assert find_email(text) == address
    m = EMAIL.search(text)
    assert m and m.group() == address
    assert redact(text)[1][0].original == address
