"""Whatever the comment form accepts as a contact (phone or e-mail), redaction masks when a citizen writes the same
in the comment text: both read ``draft.contacts``."""

from __future__ import annotations

import re

import pytest

from comment_portal.public.forms import is_email, is_valid_contact
from exports.redact import redact
from tests.exports.redaction_corpus import flatten

ACCEPTED = [
    "13902215566", "139 0221 5566", "+86 139 0221 5566", "0086-13902215566", "（86）13902215566",
    "022-23456789", "(022)23456789", "022 2345 6789", "0571-8765 4321", "022-23456789-123",
    "+86 22 2345 6789", "+86-022-23456789", "0086 22 23456789",
    "wang.jl@example.com", "WANG.JL@EXAMPLE.COM", "wang+consult@mail.example.com.cn", "12345678@qq.com",
    "_wangjl@example.com", "wangjl@-example.com", "wangjl@example-.com", "wang-jl@my-mail.example.org",
]


@pytest.mark.parametrize("value", ACCEPTED)
def test_a_contact_the_form_accepts_is_masked_in_comment_text(value: str) -> None:
    assert is_valid_contact(value)
    for text in (f"我的联系方式{value}请回复", f"（{value}）", f"{value}。"):
        masked = redact(text)[0]
        secret = value.split("@")[0] if "@" in value else re.sub(r"\D", "", value)[-8:]
        assert flatten(secret) not in flatten(masked), masked


@pytest.mark.parametrize("value", ["wang.jl@example.com", "12345678@qq.com", " wangjl@example-.com "])
def test_an_address_for_the_receipt_is_an_email(value: str) -> None:
    assert is_email(value)


@pytest.mark.parametrize("value", ["wang@example", "wang@@example.com", "022-2345", "1390221556", "wang艾特example点com"])
def test_what_is_not_a_contact_is_refused(value: str) -> None:
    assert not is_valid_contact(value)
