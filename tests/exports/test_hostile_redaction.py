"""Accounts that advert detection (analysis.noise) now recognises but redaction before publication does not mask
(found by h11 as a hostile tester of issue 10 item 3). An advert staff do not confirm as noise is published through
redaction, so these handles would reach the public report. Owner: exports/redact.py / draft/contacts.py (not the
tester's modules); each case is strict xfail, so a fix makes the run say XPASS."""

from __future__ import annotations

import pytest

from analysis.noise import _contacts, _plain
from exports.redact import redact

LEAKS = [
    ("咨询请加Q群 998877665", "998877665"),
    ("加入跨境电商卖家交流群，群号：７７６６５５４４３", "７７６６５５４４３"),
    ("专业开具增值税专用发票，税点低，绿色泡泡：fp2024", "fp2024"),
    ("跨境物流双清包税到门，TG: @kjwl666", "kjwl666"),
    ("海外仓一件代发，价格全网最低，详情 www点kjwl点com", "kjwl"),
    ("高薪诚聘海外仓操作员，包吃住，月入过万，飞机：@hwc_hr", "hwc_hr"),
    ("出售TikTok美区小店，已开通橱窗，价格可议，蓝色软件搜 tk_shop_zr", "tk_shop_zr"),
]


@pytest.mark.parametrize(("text", "handle"), LEAKS)
def test_noise_sees_the_account(text, handle):
    assert _contacts(_plain(text))


@pytest.mark.xfail(strict=True, reason="redaction does not know these messenger cues (Q群, 群号, 绿色泡泡, TG, 飞机, "
                                       "@handle, 软件搜) nor a web address written with 点")
@pytest.mark.parametrize(("text", "handle"), LEAKS)
def test_redaction_masks_the_account(text, handle):
    assert handle not in redact(text)[0]
