"""Hostile cases found by a tester in modules the tester does not own (analysis/quotes.py, duplicates.py,
clustering.py, clauses.py): each is a strict xfail with the reason, so the owner's fix shows as XPASS. Cases that
hold are plain tests (they were attacked and held)."""

from __future__ import annotations

import pytest

from analysis import CommentIn, cluster, find_duplicates, find_quotations, group_comments
from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

# --- quotations (quotes.py) --------------------------------------------------------------------------------------

HELD = [  # (comment, clause of its quotation): pasted or retyped with edits, and found
    ("“支持跨境电商企業將境外發生的倉儲、物流、稅收等費用與出口貨款軋差結算”，建議擴大到進口。", "3.3.12"),
    ("支持跨境电商企业将境外发主的仓储、物流、税收等费用与出口货款乳差结算，建议扩大到进口。", "3.3.12"),  # OCR
    ("支 持 跨 境 电 商 企 业 将 境 外 发 生 的 仓 储 、物 流 费 用 与 出 口 货 款 轧 差 结 算，建议扩大。", "3.3.12"),
    ("对年度货物贸易收汇或付汇累计金额低于等值２０万美元（不含）的小微跨境电商企业，可免于办理名录登记，建议提高到50万。",
     "3.3.12"),
    ("“可免于办理贸易外汇收支企业名录登记”这句话建议删除。", "3.3.12"),
    ("支持天津港加密外贸航线，推动天津中欧（亚）班列高质量发展——这是第14条，我想说第10条的退货中心仓应该放东疆。", "3.4.14"),
    ("鼓励ｏｅｍ、ｏｄｍ企业注册自有品牌，做强自有渠道，建议补贴注册费。", "3.2.6"),
    ("到二〇二七年，建设八个具有一定规模的跨境电商产业园。目标太低。", "3.1.5"),
]


@pytest.mark.parametrize(("text", "key"), HELD)
def test_an_edited_quotation_is_found_with_its_clause(seed_draft, text, key):
    quotes = find_quotations(text, seed_draft)
    assert [q.clause_key for q in quotes] == [key] and quotes[0].draft_text


@pytest.mark.parametrize("text", [
    "对年度货物贸易收汇或付汇累计金额低于等值20万美元（不含）的小微跨境电商企业，建议门槛提高到50万美元。",
    "低于等值20万美元的小微跨境电商企业，建议门槛提高到50万美元。",
])
def test_a_quotation_followed_by_a_proposal_keeps_its_clause(seed_draft, text):
    quotes = find_quotations(text, seed_draft)
    assert [q.clause_key for q in quotes] == ["3.3.12"] and quotes[0].draft_text and "建" not in quotes[0].text


def test_the_drafts_vocabulary_alone_is_no_quotation(seed_draft):
    assert find_quotations("建议政府多支持跨境电商企业发展，多给补贴，多搞培训，多建园区。", seed_draft) == []


# --- campaigns (duplicates.py) -----------------------------------------------------------------------------------

TEMPLATE = "建议将第十二条中小微跨境电商企业免于办理名录登记的门槛由20万美元提高到50万美元，以减轻小微企业的负担，让更多个人卖家受益。"
DODGES = [  # copies that dodge detection and are still found
    TEMPLATE.replace("美元，", "美元👍👍，").replace("负担，", "负担🙏，"),
    " ".join(TEMPLATE),  # spaced out
    "为了减轻小微企业的负担，让更多个人卖家受益，建议将第十二条中小微跨境电商企业免于办理名录登记的门槛由20万美元提高到50万美元。",
    TEMPLATE.replace("20", "２０").replace("50", "５０"),
    "建議將第十二條中小微跨境電商企業免於辦理名錄登記的門檻由20萬美元提高到50萬美元，以減輕小微企業的負擔，讓更多個人賣家受益。",
    TEMPLATE.replace("的门槛", "的\u200b门槛").replace("减轻", "减\u200b轻"),
]


def test_copies_that_dodge_detection_are_one_campaign():
    groups = find_duplicates([TEMPLATE, *DODGES])
    assert [g.members for g in groups] == [list(range(len(DODGES) + 1))]


GREETING = "尊敬的天津市商务局电商处各位领导：您好！我是一名在天津从事跨境电商多年的从业者，"
SIGN_OFF = "以上意见仅代表个人观点，恳请领导们予以考虑。"
OPINIONS = ["建议增加天津始发的中欧班列，现在很多货只能去郑州西安发，物流成本高。",
            "退货中心仓应放在东疆综保区，方便退货商品入区，降低企业的退货成本。",
            "个人外汇账户结算额度太低，建议提高到每年十万美元，并简化审核材料。",
            "跨境电商运营人才培训要加强，建议政府组织免费培训并给合格者发证书。",
            "独立站建站费用应给予补贴，中小企业建站和推广的成本太高，负担不起。"]


def test_opinions_sharing_a_greeting_and_sign_off_are_not_a_campaign(seed_draft):
    texts = [GREETING + o + SIGN_OFF for o in OPINIONS]
    assert find_duplicates(texts) == []
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    assert not [g for g in grouping.groups if g.kind == "campaign"]


# --- right-sized groups (clustering.py) --------------------------------------------------------------------------

def test_a_stock_greeting_does_not_blur_the_topics():
    from sklearn.metrics import normalized_mutual_info_score

    texts = FOREX + LOGISTICS + TALENT
    truth = [0] * len(FOREX) + [1] * len(LOGISTICS) + [2] * len(TALENT)
    wrapped = cluster([f"尊敬的领导您好，我是跨境电商从业者，{t}以上意见请领导考虑，谢谢！" for t in texts], k=None)
    found = [-1] * len(texts)
    for c in wrapped.clusters:
        for m in c.members:
            found[m] = c.id
    mixed = normalized_mutual_info_score(truth, found) < 0.45
    assert not mixed or any(c.too_mixed for c in wrapped.clusters)


# --- clause suggestion with a quotation of another clause (clauses.py) --------------------------------------------

OTHER_CLAUSE = [  # (comment quoting one clause but commenting on another, the clause it comments on)
    ("支持天津港加密外贸航线，推动天津中欧（亚）班列高质量发展——这是第14条说的，但我想说第10条：退货中心仓应该放在东疆。",
     "3.3.10"),
    ("第11条说“落实出口退运商品税收政策，对符合条件的退运商品免征进口关税”，这个和退货中心仓是一回事，建议第10条的退货中心仓也享受免税。",
     "3.3.10"),
    ("“支持跨境电商企业在综保区内设立退货中心仓”写得好，但第12条的外汇额度太低，建议提高到50万美元。", "3.3.12"),
]


@pytest.mark.parametrize(("text", "key"), OTHER_CLAUSE)
def test_the_clause_an_opinion_names_beats_the_clause_it_quotes(seed_draft, text, key):
    from analysis import suggest_clauses

    assert suggest_clauses(text, seed_draft)[0] == key
