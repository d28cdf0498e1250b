"""The shipped seed draft parses into exactly the tree issue 2 describes."""

from datetime import date

import pytest

from draft import SEED_PATH, load, load_seed

SECTION_THREE = {
    "(一)": ("强化主体引育,助力产业提质扩面", range(1, 6)),
    "(二)": ("创新发展模式,激发增长新动能", range(6, 9)),
    "(三)": ("优化跨境电商监管,打造更优营商环境", range(9, 13)),
    "(四)": ("完善公共服务体系,构建良好产业生态", range(13, 19)),
}
ITEM_HEADINGS = {
    1: "加强头部企业培育引进", 2: "加快传统企业转型升级", 3: "推动“跨境电商+产业带”融合发展",
    4: "大力培育跨境电商服务企业", 5: "推进跨境电商集聚发展", 6: "鼓励跨境电商自主品牌出海",
    7: "加强数字化营销推广应用", 8: "培育跨境电商新模式新场景", 9: "提升跨境电商综合服务平台能级",
    10: "提升通关便利化水平", 11: "落实跨境电商税收政策", 12: "创新外汇管理服务", 13: "强化跨区域合作交流",
    14: "完善国际物流服务体系", 15: "加强金融保险服务", 16: "打造多层次跨境电商人才队伍",
    17: "支持企业多渠道拓展国际市场", 18: "增强合规风控能力建设",
}
SAFEGUARDS = ["强化组织领导", "强化考核激励", "强化政策引导", "创新治理机制", "完善统计监测", "注重氛围营造"]
CN = "一二三四五六"


@pytest.fixture(scope="module")
def seed():
    return load_seed()


def test_seed_path_is_the_shipped_copy():
    assert SEED_PATH.name == "tianjin_cbec_2024.txt"
    assert SEED_PATH.read_bytes().decode("utf-8").startswith("【进行中】")


def test_notice(seed):
    n = seed.notice
    assert n.title == "天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)"
    assert n.department == "电商处"
    assert n.contact == "电商处 纪鹏,电话022-63085581,18698076228"
    assert (n.published_on, n.opens_on, n.closes_on) == (date(2024, 9, 25), date(2024, 9, 25), date(2024, 10, 10))
    assert seed.title == n.title
    assert seed.warnings == []


def test_preamble(seed):
    assert seed.preamble.startswith("为深入贯彻落实《国务院办公厅关于加快发展外贸新业态新模式的意见》")
    assert seed.preamble.endswith("特制定以下计划。")
    assert "\n" not in seed.preamble


def test_main_text_tree(seed, shape):
    expected_three = [
        (f"3.{i}", "section", label, heading,
         [(f"3.{i}.{n}", "item", f"{n}.", ITEM_HEADINGS[n], []) for n in numbers])
        for i, (label, (heading, numbers)) in enumerate(SECTION_THREE.items(), start=1)
    ]
    expected = [
        ("1", "part", "一、", "指导思想", []),
        ("2", "part", "二、", "发展目标", []),
        ("3", "part", "三、", "主要任务", expected_three),
        ("4", "part", "四、", "保障措施",
         [(f"4.{i}", "item", f"({CN[i - 1]})", h, []) for i, h in enumerate(SAFEGUARDS, start=1)]),
    ]
    assert [shape(c) for c in seed.clauses[:4]] == expected


def test_annex_tree(seed, shape):
    assert len(seed.clauses) == 5
    annex = seed.clauses[4]
    one = [("a1.1.1", "跨境电商+五金制品"), ("a1.1.2", "跨境电商+自行车"), ("a1.1.3", "跨境电商+地毯"),
           ("a1.1.4", "跨境电商+家具家居"), ("a1.1.5", "跨境电商+汽车及零部件"), ("a1.1.6", "跨境电商+医疗器械")]
    two = ["高新区跨境电子商务示范基地", "经开区跨境电子商务示范基地", "天津东疆电子商务主题园区",
           "生态城既明跨境产业示范园区", "东丽津品(天津)跨境数字贸易产业园"]
    three = ["市内六区", "滨海新区", "环城四区及远郊五区"]

    def items(prefix, headings):
        return [(f"{prefix}.{i}", "item", f"({CN[i - 1]})", h, []) for i, h in enumerate(headings, start=1)]

    assert shape(annex) == (
        "a1", "annex", "附件", "天津市跨境电商产业空间及区域功能布局", [
            ("a1.1", "part", "一、", "跨境电商特色产业带",
             items("a1.1", [h for _, h in one]) + [("a1.1.p1", "paragraph", "", "", [])]),
            ("a1.2", "part", "二、", "跨境电商产业园区布局",
             items("a1.2", two) + [("a1.2.p1", "paragraph", "", "", [])]),
            ("a1.3", "part", "三、", "区域发展导向", items("a1.3", three)),
        ])
    assert annex.body == ""


def test_annex_paragraphs_and_intros(seed):
    pet = seed.find("a1.1.p1")
    assert pet.body.startswith("加快推进宠物用品、餐厨用具、乐器、二手商品等特色产业")
    assert pet.level == 3
    customs = seed.find("a1.2.p1")
    assert customs.body.startswith("以便利通关为核心功能,聚焦空港枢纽")
    assert customs.body.endswith("打造一批功能各异、错位竞争的产业型跨境电子商务园区。")
    assert seed.find("a1.2").body.startswith("鼓励各区结合区域特色和产业发展重点")
    assert seed.find("a1.2").body.endswith("现有各示范园区建设导向如下:")
    assert seed.find("a1.3").body.startswith("充分考虑各区区位条件")
    assert seed.find("a1.1").body == ""
    # the paragraph after (六) is not part of (六)
    assert "宠物用品" not in seed.find("a1.1.6").body


def test_item_twelve(seed):
    item = seed.find("3.3.12")
    assert (item.label, item.heading, item.kind, item.level) == ("12.", "创新外汇管理服务", "item", 3)
    assert item.body.startswith("支持跨境电商企业将境外发生的仓储、物流、税收等费用与出口货款轧差结算。")
    assert item.body.endswith("(责任单位:国家外汇管理局天津市分局、市商务局)")
    assert item.title == "12.创新外汇管理服务"


def test_bodies_of_heading_only_parts(seed):
    assert seed.find("1").body.startswith("以习近平新时代中国特色社会主义思想为指导")
    assert seed.find("2").body.startswith("紧紧抓住数字贸易变革重大机遇")
    assert seed.find("3").body == ""
    assert seed.find("3.1").body == ""


def test_page_furniture_is_not_content(seed):
    texts = [seed.title, seed.preamble] + [f"{c.heading}\n{c.body}" for c in seed.walk()]
    joined = "\n".join(texts)
    for furniture in ("背景介绍", "公众意见采纳情况反馈", "【进行中】", "草案正文", "公告\n", "日前,我局草拟了"):
        assert furniture not in joined
    # the annex listing line after 四(六) is not body text of (六)
    assert "附件" not in seed.find("4.6").body


def test_walk_order_and_unique_keys(seed):
    keys = [c.key for c in seed.walk()]
    assert len(keys) == len(set(keys)) == 4 + 4 + 18 + 6 + 1 + 3 + (6 + 1) + (5 + 1) + 3
    assert keys.index("3.3.12") < keys.index("4") < keys.index("a1")
    for clause in seed.walk():
        assert clause.key.replace(".", "").replace("-", "").isalnum()
        for child in clause.children:
            assert child.level == clause.level + 1


def test_load_path_equals_load_seed(seed):
    assert load(SEED_PATH) == seed
