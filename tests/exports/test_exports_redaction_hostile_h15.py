"""The fourth independent hostile set (tests/exports/data/redaction_hostile_h15.json): written before reading the
detector's rules, measured once before any change (``.venv/bin/python bench/redaction_corpus.py -v``: 39/83 cases
fully masked, 47/51 masked spans cover a secret, 31/31 clean texts unchanged). Three of the 39 counted only because a
mask cut the secret in two; ``test_no_part_of_a_secret_is_left`` holds them to the whole secret. What is still missed
is a strict xfail with the reason, so that a fix shows as XPASS (and its marker goes in the same commit). After the
fixes, the same command: 82/83 cases fully masked, 96/96 masked spans cover a secret, 31/31 clean texts unchanged; the
one left is a two-character name without a cue (薛凯带我们)."""

from __future__ import annotations

import pytest

from exports.redact import redact
from tests.exports.redaction_corpus import Case, flatten, hostile_h15, masked

CASES, CLEAN = hostile_h15()
BY_ID = {c.id: c for c in CASES}

_NO_CUE = "a name in running prose with no cue, title, list or contact beside it needs a person-name recogniser"
GAPS: dict[str, str] = {
    "y-name-prose-two-char": _NO_CUE,
}

# Cases the first measure counted as masked only because a mask cut the secret: what must not remain, and what was left.
PARTIAL: dict[str, tuple[str, str]] = {
    "y-phone-hk": ("4567", "the mask took 852 9123 as a landline and left the last four digits"),
    "y-phone-macau": ("3456", "the mask took 853 6612 as a landline and left the last four digits"),
    "y-mail-spaced-letters": ("huangle", "only the last spaced letter joined the e-mail's mask"),
    "y-addr-hedong-yuan-pai": ("院3排2号", "the mask stopped at 6号 and left 院3排2号"),
}
PARTIAL_GAPS: set[str] = set()
"""Which of PARTIAL still leave their part (strict xfails)."""


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=GAPS[c.id], strict=True)) if c.id in GAPS else c for c in CASES
], ids=[c.id for c in CASES])
def test_hostile_case_is_masked(case: Case, vocabulary: str) -> None:
    assert case.leaks(masked(case, vocabulary)) == []


@pytest.mark.parametrize("case", CLEAN, ids=[c.id for c in CLEAN])
def test_hostile_clean_text_is_left_alone(case: Case, vocabulary: str) -> None:
    assert masked(case, vocabulary) == case.text


@pytest.mark.parametrize("case_id", [
    pytest.param(i, marks=pytest.mark.xfail(reason=PARTIAL[i][1], strict=True)) if i in PARTIAL_GAPS else i
    for i in PARTIAL
])
def test_no_part_of_a_secret_is_left(case_id: str, vocabulary: str) -> None:
    assert flatten(PARTIAL[case_id][0]) not in flatten(masked(BY_ID[case_id], vocabulary))


def test_every_gap_names_a_case() -> None:
    assert set(GAPS) <= set(BY_ID) and set(PARTIAL) <= set(BY_ID)


# What the rules added for the h15 set must leave alone (written with each rule, to break it).
@pytest.mark.parametrize("text", [
    "5G+1000家企业", "9610+9710+1210模式", "交易额+12.5%，2024-10-05", "“海外仓+集货仓”两仓联动", "增长20%+3000万元",
    "身份证办理要简化，2024年起", "Passport photos must be 35x45mm.", "港澳通行证办理点在河西区", "92号汽油涨价了",
    "ID card holders get 20% off.",
    "订单100000000元", "订单量20000单", "负面清单2024年版", "菜单123456789", "下单2024-10-05到货", "order 2024 was big",
    "单一窗口2024-10-05上线", "名单1234567", "订单号：202409251234567。", "平台订单号20240925123456应可追溯。",
    "在抖音搜“跨境电商政策”能看到很多视频。", "微博热搜“跨境电商”", "建议在小红书、抖音等平台宣传“天津跨境”品牌，我觉得很好。",
    "请关注微博@天津海关 和抖音@滨海新区发布 的通知。",
    "大楼1000平方米", "3号楼2024年投用", "大厦3000多家企业", "在这里3号窗口", "全长20公里3号线", "Unit 100 pieces",
    "Room 301 is the meeting room", "写字楼120栋", "1号楼1000平米", "村里3号", "家里2号", "万里长城", "公寓500套", "大楼12层",
    "I am a b c at the port.", "A B C @ home", "We met at 9 a m at the CBD.",
    # the name rules: relations followed by a common word, lists of places, 由 + an office
    "我儿子高考在即。", "女儿高中在读。", "老板高兴在心里。", "审核人员要加强培训。", "哥哥方便时来。", "妹妹常在网上买。", "老板娘王姐很热情。",
    "由高新区提出", "由武清区提出方案", "由张家窝镇提出", "本条由市商务局起草", "参会单位共3个：王顶堤街道、李七庄街道", "共2人：王某、李某",
    "意见如上。\n2024年10月5日 武清区", "建议如下。\n2024.10.09 高质量发展（建议）", "师傅常年在港口开车。", "业务员方便给客户报价。",
    "Mr. Smith agrees.", "Dr. Who is a TV series.", "Tianjin (天津) and Binhai (滨海)", "Amazon（亚马逊）和eBay（易贝）",
    "车牌摇号很难。", "车牌 jinA ABCDE", "车牌号码规则：ji A 表示石家庄。",
    # three characters read as a name without a cue (a surname, two given-name characters): words, places, shops
    "坚持毛泽东思想。", "白玉兰花开了。", "林海雪原", "创建全国示范文明城市", "黄海海域的航线", "万国博览会", "宁波海关的做法",
    "安全和文明都重要", "华强北的电子市场", "景德镇瓷器", "王兰庄附近", "明文规定的事项", "常德市的经验", "戴德梁行的报告",
    "苏宁易购也做跨境", "东丽区华明街道", "金秋十月", "杨梅汁出口", "龙凤呈祥图案", "贺兰山东麓葡萄酒", "关于春华镇的说明",
    "请补种柏园路玉兰树", "盛泽超市拖欠工资", "金鹏佳苑电梯故障", "对于海关监管", "由于海运费上涨", "位于海河边",
])
def test_h15_rules_leave_text_alone(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize(("code", "valid"), [
    ("92120112MA05TK3LPG", True), ("92120112MA05TK3LPH", False), ("92120112ma05tk3lpg", True),
    ("92 1201 16 MA06 ABCD 1Y", True), ("91120116MA06ABCD1X", False), ("9212011IMA05TK3LPG", False),
])
def test_sole_proprietor_code(code: str, valid: bool) -> None:
    from exports.redact import sole_proprietor_code

    assert sole_proprietor_code(code) is valid


@pytest.mark.parametrize(("text", "expected"), [
    ("我的订单号：202409251234567", "我的订单号：【单号已隐去】"),
    ("My order number is 112-1234567-1234567", "My order number is 【单号已隐去】"),
    ("Tracking number is 1Z999AA10123456784", "Tracking number is 【单号已隐去】"),
    ("运单2024100512345到了", "运单【单号已隐去】到了"),
])
def test_parcel_and_own_order_numbers(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("吕志刚、吕志强", ["吕志刚、吕志强", "吕志强"]), ("刘建国/刘先生", ["刘建国/刘先生"]), ("刘建国/市民", ["刘建国/市民"]),
    ("刘建国、跨境电商", ["刘建国、跨境电商"]), ("王建国", ["王建国"]),
])
def test_every_full_name_in_the_name_field(name: str, expected: list[str]) -> None:
    from exports.redact import field_names

    assert field_names(name) == expected


# -- round 2: written by the same author after the fixes above (so knowing the rules), to break them; measured once
# before any change for it (/tmp script, redact_comment with the seed's words): 10/20 masked, 14/15 clean texts
# unchanged (the one changed, 建国道12号是历史建筑, is the older road-and-number rule at work: a house on a road is an
# address, so it is not kept below).

ROUND2 = [
    Case("r2-hk-dashes", "+852-9123-4567", secrets=("91234567",)),
    Case("r2-hk-fullwidth", "＋８５２ ９１２３ ４５６７", secrets=("91234567",)),
    Case("r2-hk-no-plus", "香港手机852-91234567", secrets=("91234567",)),
    Case("r2-us-spaced", "电话：+1 626 555 0142", secrets=("6265550142",)),
    Case("r2-uscc-bad-check", "统一社会信用代码：92120112MA05TK3LP6", secrets=("92120112MA05TK3LP6",)),
    Case("r2-sf-no-cue", "顺丰 SF1402367718542 还没到", secrets=("SF1402367718542",)),
    Case("r2-upu-no-cue", "EE123456789CN 一直显示清关中", secrets=("EE123456789CN",)),
    Case("r2-xhs-colon", "我的小红书：天津跨境小鹿姐", secrets=("天津跨境小鹿姐",)),
    Case("r2-douyin-colon", "我的抖音号：津品小马", secrets=("津品小马",)),
    Case("r2-sister-jiao", "我妹妹叫韦丽娟，也做跨境。", secrets=("韦丽娟",)),
    Case("r2-good-friend", "我的好朋友韦丽娟说退税太慢。", secrets=("韦丽娟",)),
    Case("r2-role-bracket", "经办人:蒋文博(财务部)", secrets=("蒋文博",)),
    Case("r2-ms-no-dot", "Ms Daniela Rossi from Milan", secrets=("Daniela Rossi",)),
    Case("r2-mr-caps", "MR. DANIEL HOFFMANN", secrets=("DANIEL HOFFMANN",)),
    Case("r2-room-bldg", "Room 1502 Bldg 3, Tianjin", secrets=("Room 1502 Bldg 3",)),
    Case("r2-flat-hans", "三号楼一二零三", secrets=("一二零三",)),
    Case("r2-bare-spaced", "张 振 宇开着货车在口岸等了两天。", secrets=("张振宇",)),
    Case("r2-bare-list", "赵振宇、郭淑芬两位都认为第十条太笼统。", secrets=("赵振宇", "郭淑芬")),
    Case("r2-bare-two-char", "王芳觉得第十条太笼统。", secrets=("王芳",)),
    Case("r2-own-order", "订单号：202409251234567（本人购买）", secrets=("202409251234567",)),
]
ROUND2_CLEAN = ["海关总署公告2020年第75号", "白雪公主主题玩具出口", "龙文化节", "金秋红叶季", "黄金海岸线", "安宁区的仓库",
                "马化腾、董明珠、曹德旺都讲过制造业。", "华为海外仓", "龙凤胎家庭", "本条第2款与第3款重复。", "+10%的增长",
                "9210条留言", "SF标准", "EMS和顺丰都很快"]
ROUND2_GAPS: dict[str, str] = {
    "r2-bare-two-char": "a two-character name without a cue (王芳觉得): needs a person-name recogniser",
}


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=ROUND2_GAPS[c.id], strict=True)) if c.id in ROUND2_GAPS else c
    for c in ROUND2
], ids=[c.id for c in ROUND2])
def test_round2_case_is_masked(case: Case, vocabulary: str) -> None:
    assert case.leaks(masked(case, vocabulary)) == []


ROUND2_CLEAN += ["8521234 5678件", "信用代码：91120116MA06ABCD1X", "SF1402367718标准", "小红书：种草平台很火",
                 "我觉得抖音：直播带货很好", "我在抖音：跨境电商直播间卖地毯", "DR. WHO", "3号楼二〇二四年投用", "三号楼一二三层",
                 "王 建 设 很好", "毛 泽 东", "和 平 区"]  # (probes of the round-2 fixes)


@pytest.mark.parametrize("text", ROUND2_CLEAN)
def test_round2_clean_text_is_left_alone(text: str, vocabulary: str) -> None:
    assert masked(Case("clean", text), vocabulary) == text


def test_overlapping_findings_keep_the_longest() -> None:
    from exports.redact import _select

    spans = [(0, 3, "name"), (2, 8, "address"), (8, 11, "name"), (9, 10, "mobile"), (12, 14, "name"), (11, 13, "x")]
    assert _select(spans) == [(2, 8, "address"), (8, 11, "name"), (11, 13, "x")]
