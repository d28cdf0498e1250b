"""Accounts that advert detection (analysis.noise) now recognises but redaction before publication does not mask
(found by h11 as a hostile tester of issue 10 item 3). An advert staff do not confirm as noise is published through
redaction, so these handles would reach the public report. Owner: exports/redact.py / draft/contacts.py (not the
tester's modules); they were strict xfails until draft.contacts and exports.redact learnt these cues."""

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


# The same family beyond the hostile tester's list (fail on main): a bare 微: cue, handles on other platforms
# after 号 / : / @, Telegram links, a www address written with 点.
MORE_LEAKS = [
    ("加我好友免费领取跨境电商运营资料包，全部干货，微：ziliao2024", "ziliao2024"),
    ("跨境选品干货每天更新，抖音号：kj_zhang88", "kj_zhang88"),
    ("想学运营的关注小红书号 xhs_tj2024", "xhs_tj2024"),
    ("关注我的微博@tjkjds 领取资料", "tjkjds"),
    ("双清包税专线，电报号：kjwl777", "kjwl777"),
    ("进群领资料 t.me/kjwl666", "kjwl666"),
    ("加入卖家群 https://t.me/joinchat/AbC_12xyz", "AbC_12xyz"),
    ("加群请扫码，或 Q 群：12345678", "12345678"),
    ("代发货源 kjwl点cn 下单", "kjwl"),
    ("代办食品经营许可证、卫生许可证，不用跑腿，全程代办，加微详聊 dbxk_666", "dbxk_666"),
    ("美国专线双清包税，TG kjwl888 咨询", "kjwl888"),
]


@pytest.mark.parametrize(("text", "handle"), LEAKS + MORE_LEAKS)
def test_redaction_masks_the_account(text, handle):
    assert handle not in redact(text)[0]


@pytest.mark.parametrize("text", [
    "建议参照商务部网站 www.mofcom.gov.cn 公布的目录",
    "推荐使用软件：WPS 办公，申报系统也应支持。",  # a product named after 软件, not an account
    "跨境电商企业可通过抖音、小红书等平台开展直播带货。",
    "出境的飞机 2024年起增加航班，软件搜索功能需要完善。",
    "建议TikTok美区小店纳入统计，第十二条的TG口径不清。",
    "建议设立企业交流群，群内发布政策解读。",
    "天津点gov点cn 网站上的解读很清楚。",
    "TG 2024 口径与第三条不一致，建议加微信群讨论。",
])
def test_ordinary_mentions_of_the_platforms_stay(text):
    assert redact(text)[0] == text
