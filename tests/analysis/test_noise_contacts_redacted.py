"""A contact that advert detection sees (a WeChat or QQ account in its disguises, an e-mail address, a phone number)
is masked by redaction before publication: an advert left in the comments must not publish its handle."""

from __future__ import annotations

import pytest

from analysis.noise import _contacts, _plain
from exports.redact import redact
from tests.exports.redaction_corpus import load

CASES = load("redaction_contact_variants.json")
ACCOUNTS = ("微信号", "QQ号", "电子邮箱", "电话号码")


@pytest.mark.parametrize(("text", "handle"), [
    ("亚马逊店铺低价出售，美国站带流量，有意者加V：amz_shop2024", "amz_shop2024"),
    ("诚招各区代理，利润丰厚，扶持到位，微❤：xuanpin_king", "xuanpin_king"),
    ("招聘跨境电商运营，日结300元，在家就能做，加薇信 ksdh556 报名。", "ksdh556"),
    ("代开各类发票，税点低，➕V：fp_8866_tj", "fp_8866_tj"),
    ("刷单返款，日结，企鹅 87654321", "87654321"),
    ("一件代发，货源充足，QQ号码是87654321", "87654321"),
])
def test_a_handle_in_a_noise_advert_is_masked(text: str, handle: str) -> None:
    assert set(_contacts(_plain(text))) & {"微信号", "QQ号"}
    assert handle not in redact(text)[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_contact_noise_detection_sees_is_masked(case) -> None:
    if set(_contacts(_plain(case.text))) & set(ACCOUNTS):
        assert case.leaks(redact(case.text)[0]) == []
