"""The filter dodges analysis.noise reads through (h14, session 9), and the ordinary text beside them that must stay
unflagged: each rule with a case it must catch and one it must leave alone."""

from __future__ import annotations

import pytest

from analysis import noise_reason
from analysis.noise import SPACED_NUMBER, _contacts, _plain, _unfilled


@pytest.mark.parametrize(("text", "plain"), [
    ("亚🔥马🔥逊🔥店铺", "亚马逊店铺"),          # pictographs between characters
    ("微.信 kj_888", "微信 kj_888"),            # punctuation between two Chinese characters
    ("加\u200b微\u200b信", "加微信"),            # zero-width spaces
    ("➕V：abc", "➕v：abc"),                    # ➕ is a cue itself: kept
])
def test_filler_between_characters_is_removed(text, plain):
    assert _unfilled(_plain(text)) == plain


def test_a_number_spaced_digit_by_digit_is_a_disguise_but_a_grouped_one_is_a_phone():
    assert SPACED_NUMBER in _contacts(_plain("联系方式：1 3 9 — 0 0 0 0 — 1 2 1 2"))
    contacts = _contacts(_plain("联系电话 139 0000 1212"))
    assert "电话号码" in contacts and SPACED_NUMBER not in contacts


# (text, what noise_reason must say: a reason, None, or "not advert"): each rule with a case it must catch and one
# it must leave alone
CASES = [
    # a number disguised from filters is enough alone
    ("出口退税代理，电话 幺三八 二二零零 幺幺二二", "advert"),
    ("跨境收款费率最低，联系方式：1 3 9 — 0 0 0 0 — 1 2 1 2", "advert"),
    # 出租 (to let) is a selling word, 出租车 (a taxi) is not
    ("出租车司机拒载还绕路，打了投诉电话13900001212也没人管", "not advert"),
    # a phone left for follow-up with a proposal, beside emoji
    ("好政策👍👍，建议第10条尽快落地，我们公司电话 139 0000 1212。", "not advert"),
    # a quoted advert in a comment about adverts, with a proposal
    ("群里有人发“代开发票，加微信 fp8888，包过”，建议第11条讲清无票免征，别让企业上当。", "not advert"),
    # more words of other public services than of the draft is off topic, short or not
    ("地铁四号线什么时候通车？", "off_topic"),
    ("小区电梯坏了半个月，物业一直不修。", "off_topic"),
    # as many words of the draft as of another service, or a clause named: on topic
    ("人才公寓离地铁太远，建议就近配套。", None),
    ("第16条的人才公寓离地铁太远。", None),
    ("学校能不能开跨境电商专业？", None),
    # mostly Latin letters: never off topic (the price: off-topic English is not flagged either)
    ("Suggest clause 14 add more direct flights from Tianjin to Europe.", None),
    ("haiwaicang butie taishao le, jianyi tigao.", None),
    ("The subway line 4 is always late and the buses are dirty.", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:16] for text, _ in CASES])
def test_noise_rules_on_their_edges(text, expected, seed_draft):
    got = noise_reason(text, seed_draft)
    assert got != "advert" if expected == "not advert" else got == expected


def test_an_advert_quoting_itself_is_still_an_advert(seed_draft):
    # quotations are set aside only in a comment that talks about adverts and argues about the draft
    assert noise_reason("代办补贴申报，包过，加微信“bt_8888”，价格优惠", seed_draft) == "advert"

