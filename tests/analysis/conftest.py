"""Fixtures for the analysis tests: the seed draft, a tiny hand-built draft and comments written for the tests."""

from __future__ import annotations

import pytest

from draft.model import Clause, Draft

# Comments in three topics, the way citizens and companies write them: one-liners, long arguments, acronyms,
# full-width digits, traditional characters, emoji.
FOREX = [
    "个人外汇账户结算额度太低，建议提高到每年10万美元。",
    "小微跨境电商企业办理外汇收付手续太繁琐，希望简化。",
    "支持银行为跨境电商提供跨境资金结算服务，但手续费应降低。",
    "建议允许仓储、物流费用与出口货款轧差结算，减少资金占用。",
    "贸易外汇收支企业名录登记的门槛应当降低，２０万美元太少。",
    "我們公司做跨境電商，外匯結算經常被銀行退回，希望外匯管理更便利。",
    "外汇结算周期太长，资金回笼慢，建议银行加快结汇。",
    "境内个人通过个人外汇账户办理结算，额度和审核都需要明确。",
    "非银行支付机构的跨境结算服务应当纳入监管并降低费率💰",
    "外汇收汇免于名录登记的政策很好，建议扩大到年收汇50万美元。",
]
LOGISTICS = [
    "天津港外贸航线太少，海运费太贵，希望加密航线。",
    "中欧班列发车频次太低，建议增加天津始发的班列。",
    "国际快递和国际邮件的通关时间太长，影响客户体验。",
    "建议在滨海新区建设更多海外仓和物流分拨中心，降低物流成本。",
    "航空货运包机航线太少，跨境小包只能绕道北京出口✈️",
    "物流企业希望获得仓储用地支持，物流园区租金太高。",
    "海外仓建设补贴应向中小物流企业倾斜，现在都被大企业拿走。",
    "天津港集装箱拼箱效率不高，建议建设集拼共享中心。",
    "国际物流费用占成本三成以上，建议政府协调船公司降低运价。",
    "跨境电商物流时效差，退货物流更是没有保障，建议建退货中心仓。",
]
TALENT = [
    "跨境电商人才太缺，尤其是小语种运营人才。",
    "建议高校开设跨境电商专业课程，和企业合作办定制班。",
    "企业招不到懂TikTok和亚马逊运营的人才，希望政府组织培训。",
    "人才引进政策应当覆盖跨境电商中小企业，不只是头部企业。",
    "跨境直播人才培养很重要，建议举办跨境直播大赛。",
    "希望开展跨境电商职业技能等级认定，员工晋升有依据。",
    "外籍人才来津工作签证手续太麻烦，建议简化出入境手续。",
    "职业院校的跨境电商实训基地太少，学生缺少实操机会。",
    "建议建立跨境电商专家智库，为企业提供运营咨询和人才培训。",
    "小语种翻译和海外营销人才的薪资补贴应当纳入人才目录。",
]


@pytest.fixture(scope="session")
def topic_comments() -> tuple[list[str], list[int]]:
    texts = FOREX + LOGISTICS + TALENT
    labels = [0] * len(FOREX) + [1] * len(LOGISTICS) + [2] * len(TALENT)
    return texts, labels


@pytest.fixture(scope="session")
def seed_draft() -> Draft:
    from draft import load_seed

    return load_seed()


@pytest.fixture()
def small_draft() -> Draft:
    """A hand-built draft in the seed's shape (parts, sections, items numbered across sections, an annex)."""
    items = [
        Clause("3.1.1", "1.", "加强头部企业培育引进", "积极引进跨境电商平台型企业。(责任单位:市商务局、市投促局)",
               level=3, kind="item"),
        Clause("3.1.2", "2.", "推动“跨境电商+产业带”融合发展", "梳理五金工具、家具家纺、地毯、自行车等重点产业。",
               level=3, kind="item"),
        Clause("3.2.3", "3.", "鼓励跨境电商自主品牌出海", "鼓励OEM、ODM企业注册自有品牌,培育DTC品牌。", level=3, kind="item"),
        Clause("3.2.4", "4.", "创新外汇管理服务",
               "支持跨境电商企业将境外仓储、物流费用与出口货款轧差结算。(责任单位:国家外汇管理局天津市分局、市商务局)",
               level=3, kind="item"),
    ]
    return Draft(
        title="天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)",
        preamble="为落实《国务院办公厅关于加快发展外贸新业态新模式的意见》,特制定以下计划。",
        clauses=[
            Clause("1", "一、", "指导思想", "坚持新发展理念,推动天津跨境电商综试区建设提档升级。", level=1),
            Clause("3", "三、", "主要任务", "", level=1, children=[
                Clause("3.1", "(一)", "强化主体引育", "", level=2, kind="section", children=items[:2]),
                Clause("3.2", "(二)", "创新发展模式", "", level=2, kind="section", children=items[2:]),
            ]),
            Clause("a1", "附件", "天津市跨境电商产业空间及区域功能布局", "", level=1, kind="annex", children=[
                Clause("a1.1", "一、", "跨境电商产业园区布局",
                       "在现有高新区、经开区、东疆、生态城、东丽区等五个示范园区的基础上,发展保税进出口(1210)、"
                       "直邮进出口业务(9610)和B2B出口(9710)。", level=2),
            ]),
        ],
    )
