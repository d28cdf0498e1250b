"""Adverts that got past the cheap first look (a phone in groups of digits, a bare domain name) or had no selling word
the detector knew (代写, an @handle after the messenger's nickname). Texts written for these tests."""

import pytest

from analysis import noise_reason


@pytest.mark.parametrize("text", [
    "二手叉车转让，九成新，联系 186 3333 4444",
    "外贸建站一条龙，模板多，网站 waimaozhan.com",
    "代写各类标书、申请材料，价格可谈，私信",
    "TikTok老号稳定，飞机@tk_laohao",
])
def test_adverts_past_the_first_look(seed_draft, text):
    assert noise_reason(text, seed_draft) == "advert"


@pytest.mark.parametrize("text", [
    "建议参考商务部网站 mofcom.gov.cn 上的政策解读，把第十二条写得更具体。",
    "热线 022 2345 6789 总是打不通，建议增加接线人员。",
    "我们去年出口 120 万美元，今年只有 300 万人民币的订单。",
    "第3.1.2项的“一企一策”应写明申报流程，建议参照 example.org 的做法。",
])
def test_opinions_with_numbers_and_addresses_are_not(seed_draft, text):
    assert noise_reason(text, seed_draft) != "advert"
