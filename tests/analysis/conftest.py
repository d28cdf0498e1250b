"""Fixtures for the analysis tests: the seed draft, a tiny hand-built draft and comments written for the tests."""

from __future__ import annotations

import pytest

from draft.model import Clause, Draft
from tests.analysis.helpers import FOREX, LOGISTICS, TALENT


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
