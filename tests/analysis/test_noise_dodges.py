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


@pytest.mark.parametrize("text", [
    "出口退税代理，电话 幺三八 二二零零 幺幺二二",
    "跨境收款费率最低，联系方式：1 3 9 — 0 0 0 0 — 1 2 1 2",
])
def test_a_disguised_number_alone_makes_an_advert(text, seed_draft):
    assert noise_reason(text, seed_draft) == "advert"


@pytest.mark.parametrize("text", [
    # 出租 (to let) is a selling word, 出租车 (a taxi) is not
    "出租车司机拒载还绕路，打了投诉电话13900001212也没人管",
    # a phone left for follow-up with a proposal, beside emoji
    "好政策👍👍，建议第10条尽快落地，我们公司电话 139 0000 1212。",
    # a quoted advert in a comment about adverts, with a proposal
    "群里有人发“代开发票，加微信 fp8888，包过”，建议第11条讲清无票免征，别让企业上当。",
])
def test_real_opinions_beside_the_dodge_rules_are_not_adverts(text, seed_draft):
    assert noise_reason(text, seed_draft) != "advert"


def test_an_advert_quoting_itself_is_still_an_advert(seed_draft):
    # quotations are set aside only in a comment that talks about adverts and argues about the draft
    assert noise_reason("代办补贴申报，包过，加微信“bt_8888”，价格优惠", seed_draft) == "advert"


# --- off topic: words of other public services, and text the vocabulary cannot judge ---------------------------

@pytest.mark.parametrize("text", [
    "地铁四号线什么时候通车？",                 # short: two words of transport, none of the draft
    "小区电梯坏了半个月，物业一直不修。",
])
def test_more_words_of_other_public_services_than_of_the_draft_is_off_topic(text, seed_draft):
    assert noise_reason(text, seed_draft) == "off_topic"


@pytest.mark.parametrize("text", [
    "人才公寓离地铁太远，建议就近配套。",          # as many words of the draft as of transport: on topic
    "第16条的人才公寓离地铁太远。",              # names a clause
    "学校能不能开跨境电商专业？",
])
def test_a_word_of_another_service_beside_the_drafts_words_is_not_off_topic(text, seed_draft):
    assert noise_reason(text, seed_draft) is None


@pytest.mark.parametrize("text", [
    "Suggest clause 14 add more direct flights from Tianjin to Europe.",
    "haiwaicang butie taishao le, jianyi tigao.",
    # the price of the rule: English that is off topic is not flagged either
    "The subway line 4 is always late and the buses are dirty.",
])
def test_mostly_latin_text_is_never_called_off_topic(text, seed_draft):
    assert noise_reason(text, seed_draft) is None
