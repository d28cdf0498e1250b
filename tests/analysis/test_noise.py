"""Adverts and off-topic messages: proposed with evidence, hard negatives left alone, never dropped."""

import pytest

from analysis import CommentIn, group_comments, noise_flag, noise_flags, noise_reason


@pytest.mark.parametrize("text", [
    "专业代办跨境电商营业执照，三天下证，加微信kj88866了解详情。",
    "代开各类发票，增值税专票普票均可，税点低，联系电话13912345678。",
    "亚马逊店铺低价出售，美国站带流量，有意者加V：amz_shop2024",
    "招聘跨境电商运营，日结300元，在家就能做，加薇信 ksdh556 报名。",
    "出售海关高级认证企业资质辅导，包过，联系扣扣：八六七五三零九二一",
    "贷款！无抵押，最快当天放款，电话：1 3 8 0 0 1 3 8 0 0 0",
    "诚招各区代理，利润丰厚，扶持到位，微❤：xuanpin_king",
])
def test_adverts_including_disguised_handles(seed_draft, text):
    flag = noise_flag(text, seed_draft)
    assert flag is not None and flag.reason == "advert" and flag.label == "疑似广告"
    assert any(e.startswith("联系方式") for e in flag.evidence)


@pytest.mark.parametrize("text", [
    "我家楼下的快递驿站天天把包裹堆在路上，老人出门都没法走，谁来管管？",
    "天津港附近大货车太多，晚上噪音特别大，根本睡不着觉，希望交管部门管一管。",
    "小区物业乱收停车费，物业公司和开发商是一家的，业主投诉无门。",
])
def test_off_topic_complaints_sharing_the_drafts_words(seed_draft, text):
    assert noise_reason(text, seed_draft) == "off_topic"


@pytest.mark.parametrize("text", [
    "建议商务局开通微信公众号专栏，及时发布跨境电商政策解读，方便企业查询。",
    "第11条提到的“无票免征”很重要，很多企业出口货物拿不到进货发票，希望细则尽快出台。",
    "建议在第16条增加“支持人力资源服务机构举办跨境电商专场招聘会”，企业招人太难了。",
    "建议在各区政务服务中心设立跨境电商代办窗口，帮企业办理备案、退税等手续。",
    "我们是一家五金企业，联系人王经理，电话13800000000，希望参加产业带重点企业清单的对接活动。",
    "海外仓建设成本高，建议对企业租用海外仓的费用给予补贴。",
    "支持！",
])
def test_real_comments_that_mention_wechat_invoices_recruiting_or_a_phone(seed_draft, text):
    assert noise_reason(text, seed_draft) is None


def test_without_a_draft_nothing_is_off_topic():
    assert noise_reason("我家楼下的快递驿站天天把包裹堆在路上，老人出门都没法走，谁来管管？") is None
    assert noise_reason("代开各类发票，税点低，加微信 fp8866") == "advert"


def test_words_many_comments_use_count_as_on_topic(seed_draft):
    comment = "快递柜不够用，取件排队太长，快递柜应该多设几个。"
    assert noise_reason(comment, seed_draft) == "off_topic"
    many = [f"第{i}号意见：快递柜不够用，取件排队太长。" for i in range(200)]
    assert noise_flags(many + [comment], seed_draft)[-1] is None


def test_flagged_comments_are_proposed_in_their_own_group_never_dropped(seed_draft):
    texts = ["代开各类发票，税点低，加微信 fp8866", "我家楼下的快递驿站天天把包裹堆在路上，老人出门都没法走，谁来管管？",
             "海外仓建设成本高，建议对企业租用海外仓的费用给予补贴。", "海外仓补贴应向中小物流企业倾斜。",
             "建议加密天津港外贸航线，降低海运费。"]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    noise = {g.noise_reason: g.member_ids for g in grouping.groups if g.kind == "noise"}
    assert noise == {"advert": [0], "off_topic": [1]}
    assert sorted(m for g in grouping.groups if g.parent is None for m in g.member_ids) == list(range(5))
    assert grouping.noise_evidence[0] and all(0 not in g.member_ids for g in grouping.groups if g.kind != "noise")
