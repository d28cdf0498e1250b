"""Off topic in a comment about cross-border trade: only a personal grievance, not the words around one trade word.

The texts are written for these tests (not taken from the hostile sets)."""

import pytest

from analysis import noise_reason


@pytest.mark.parametrize("text", [
    # one weak grievance cue in a business's own story
    "我家做外贸服装的，今年订单少了一半，工人都快养不起了。",
    "我们小区有好几家做跨境电商的，都说海外推广太难做。",
    "国外客户投诉包装太简陋，我们想换包装但成本太高。",
    "工厂的货车被限行卡住，出口的柜子赶不上船期。",
    # one word of the trade among colloquial words (share of related words under 0.2)
    "这几年出口的活儿越来越难干了，价钱一压再压，好多人都不干了。",
    "俺们县里的手工地毯想卖到国外去，可是谁也不会弄。",
    # 国际 alone names estates and schools (梅岭国际), but 国际快递 / 国际物流 is the trade
    "今年国际快递贵了一倍，小件都不敢接单了。",
])
def test_trade_stories_in_plain_words_are_not_off_topic(seed_draft, text):
    assert noise_reason(text, seed_draft) is None


@pytest.mark.parametrize("text", [
    "我在跨境电商平台买的进口面霜是假货，客服不理人。",  # a strong cue (假货, 买的)
    "在国外网站买的鞋子被海关扣了，我的包裹什么时候能放行？",  # 我的包裹
    "保税区里的一家进口超市卖过期食品，投诉无门。",  # 投诉 with what became of it
    "综保区旁边的小区没有幼儿园，孩子上学太远了。",  # two cues (小区, 上学)
    "我的国际快递在小区门口被人拿走了，物业说不归他们管。",  # 我的国际快递
])
def test_personal_grievances_about_cross_border_shopping_stay_off_topic(seed_draft, text):
    assert noise_reason(text, seed_draft) == "off_topic"
