"""Personal grievances the cue words missed (我的海外包裹, 灰尘, 没人修, a station's 地铁站), and business complaints
that use the same words and stay on topic. Texts written for these tests."""

import pytest

from analysis import noise_reason


@pytest.mark.parametrize("text", [
    "我的海外包裹放在驿站被人拿走了，驿站说不赔。",
    "家门口的小桥坏了没人修。",
    "港口附近灰尘太大，家里窗户不敢开。",
    "地铁站出口的电动车乱停。",
])
def test_personal_grievances_are_off_topic(seed_draft, text):
    assert noise_reason(text, seed_draft) == "off_topic"


@pytest.mark.parametrize("text", [
    "海外买家的包裹丢了，物流商也不管，我们卖家只能自己赔。",
    "出口企业的集装箱堆场灰尘大，建议第十二条加上环保要求。",
    "海外仓的货压了半年没人管，仓储费越滚越多。",
])
def test_the_same_words_in_a_traders_complaint_are_not(seed_draft, text):
    assert noise_reason(text, seed_draft) is None
