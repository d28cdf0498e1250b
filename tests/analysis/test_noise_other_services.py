"""Other public services against words only the draft uses: 滨海新区, 申请, 办理 are any service's words, so they
count half against 地铁, 公租房, 房价 (texts written for these tests, not taken from the hostile sets)."""

import pytest

from analysis import noise_flag, noise_reason


@pytest.mark.parametrize("text", [
    "请问河北区的廉租房申请需要什么材料？",
    "静海的房价涨得太快了，年轻人买不起。",
    "滨海新区的幼儿园太少了，孩子入园难。",
    "我想开一家奶茶店，卫生许可证去哪办理？",
])
def test_other_services_against_draft_only_words_are_off_topic(seed_draft, text):
    flag = noise_flag(text, seed_draft)
    assert flag is not None and flag.reason == "off_topic"
    assert any(e.startswith("其他公共事务的用词") for e in flag.evidence)


@pytest.mark.parametrize("text", [
    "东疆港的员工宿舍太少，房租太贵，企业招人难。",
    "地铁能不能修到跨境电商产业园？员工通勤太难。",
    "建议对在综保区租房的外贸人才给予租房补贴。",
])
def test_other_services_beside_the_domains_words_stay_on_topic(seed_draft, text):
    assert noise_reason(text, seed_draft) is None
