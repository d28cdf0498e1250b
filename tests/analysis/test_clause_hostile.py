"""An independent hostile pass on which clause an opinion is about (issue 10 items 1 and 7; h12, session 9).

The cases were written before reading the subject rules of analysis/clauses.py, in the manner of citizens and
行业协会 letters on the seed draft; bench/data/clause_hostile_dev.tsv holds them (its held-out twin is measured by
bench/cluster_quality.py only). The rules they led to: a bracketed number inside 第…项 (第三部分第(二)项, 附件第二部分
第（三）项); a clause named to say the comment is not about it (不涉及第十一条, 与第十二条无关, 跟这个没关系); relative
points (上一项, 下一项; 第四项 right after 附件第一部分第三项 is that part's point 4); a clause the comment approves
(没问题, 我赞成) before naming another it has something to say about; and a turn word's clause read from its start
(第三条的清单应该…) with more turns (想到另一件事, 接下来, 那么…也应); two clauses quoted glued together are told apart
by the comment's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import analyse_comment, clause_scores, segment_letter, suggest_clauses

DEV = Path(__file__).resolve().parents[2] / "bench" / "data" / "clause_hostile_dev.tsv"


def _rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, text = line.split("\t")
            rows.append((text, key))
    return rows


@pytest.mark.parametrize(("text", "key"), _rows(DEV))
def test_hostile_dev_rows(seed_draft, text, key):
    assert suggest_clauses(text, seed_draft)[0] == key


#: Each fails on main (b4df69e) unless marked "guard" (a case the new rules must leave alone).
RULES = [
    # 第(二)项 / 第（三）项: the draft's bracketed label copied into 第…项
    ("第三部分第(二)项建议增加直播电商的内容，现在只写了社交媒体。", "3.2"),
    ("附件第二部分第（三）项东疆园区，建议增加跨境电商进口保税展示交易的内容。", "a1.2.3"),
    ("保障措施部分，本部分第（二）项的考核激励，建议纳入各区绩效考核。", "4.2"),  # guard
    ("第(十二)项的额度太低，建议提高到五十万美元。", "3.3.12"),  # guard: no (十二) in the draft, so item 12
    # named only to say the comment is not about it
    ("我的意见不涉及第十一条税收政策，而是关于人才培养：建议对高校开设小语种课程给予补贴。", "3.4.16"),
    ("以下不是针对第十条的，我想说国际物流：鼓励航空公司在津设立货运基地，建议给予航线补贴。", "3.4.14"),
    ("这条意见与第十二条无关：建议对参加跨交会的企业展位费补贴50%。", "3.4.17"),
    ("第十条无关紧要的表述太多，退货中心仓应写明数量。", "3.3.10"),  # guard: 无关紧要
    ("第十条的退货中心仓与物流无关，应该由商务部门管理。", "3.3.10"),  # guard: says something about clause 10
    # approved, then another clause
    ("前面第二条讲传统企业转型我赞成，第三条的产业带清单应该把宁河的五金也列进去。", "3.1.3"),
    ("第十条很好，第十一条也很好，都支持。", "3.3.10"),  # guard: both approved
    ("第十条写得很好，建议第十条的退货中心仓再多设几个。", "3.3.10"),  # guard
    ("第十二条没问题，但第十二条的额度还可以再提高。", "3.3.12"),  # guard
    ("第十条、第十一条我们都没意见，第十二条的额度太低。", "3.3.12"),  # a list shares its approval
    ("第十一条我们没意见，第十条和第十二条需要修改：退货中心仓太少。", "3.3.10"),  # guard
    # guards: a part's point is found before the numbered mentions but is judged in the comment's order
    ("保障措施第二项很好，第十条的退货中心仓应该扩大。", "3.3.10"),
    ("第十条没意见，保障措施第二项的考核应该公开。", "4.2"),
    # relative points
    ("第十二项外汇轧差结算很好，没意见。上一项的无票免征，建议把适用范围扩大到B2B出口企业。", "3.3.11"),
    ("第9项我没意见。下一项的退货中心仓应该允许区外企业设立。", "3.3.10"),
    ("保障措施第一项很好，第二项的考核应该公开排名。", "4.2"),
    ("以上条款第十条最重要，退货中心仓应当扩大。", "3.3.10"),  # guard: 以上条 is no 上条
    ("第十二条外汇结算，建议开通下一条航线时同步考虑结算便利。", "3.3.12"),  # guard: 下一条航线 is a route
    # the turn's clause from its start, and more turns
    ("第十三条说要复制先进经验，那么第十六条的人才培养也应借鉴外省做法，给予培训补贴。", "3.4.16"),
    # two clauses quoted glued together: a whole comma-delimited clause of the draft counts fully (the 16 characters
    # of clause 11 counted 0.8 against clause 10's 20), and the comment's own words, not the quotations, decide
    ("“支持跨境电商企业在综保区内设立退货中心仓。推广落实跨境电商零售出口税收政策”这两句之后，建议明确无票免征的申报流程和所需材料。",
     "3.3.11"),
    ("“推广落实跨境电商零售出口税收政策。支持跨境电商企业在综保区内设立退货中心仓”，退货中心仓应该允许区外企业使用。", "3.3.10"),
    # a clause's key written as a decimal number; figures are no keys
    ("3.3.12 个人外汇账户额度太低，应当提高。", "3.3.12"),
    ("第3.2.7条的补贴标准太低，建议按广告投放额给。", "3.2.7"),
    ("补贴3.5万元太少，4.5%的比例也低，建议提高退货中心仓补贴。", "3.3.10"),  # guard: 4.5% is no clause 4.5
    # 附件 named only to say the comment is not about the annex
    ("以下意见与附件无关：第十五条出口信用保险费率应下调。", "3.4.15"),
    ("关于附件，第(三)项的地毯产业带建议扩大到宁河。", "a1.1.3"),  # guard
    ("附件中写的五个示范园区太少。建议第二部分增加武清园区。", "a1.2"),  # guard: numbers after 附件 are the annex's
    ("第(三)项关于地毯，附件里的，建议扩大到宁河。", "a1.1.3"),  # guard: 附件 later in the sentence
    # 第一条意见 numbers the writer's own points
    ("第一条意见：退货中心仓只能设在综保区内，建议允许区外企业使用。", "3.3.10"),
]


@pytest.mark.parametrize(("text", "key"), RULES)
def test_rules_from_the_hostile_pass(seed_draft, text, key):
    assert suggest_clauses(text, seed_draft)[0] == key


def test_a_thing_next_to_another_is_no_relative_point(seed_draft):
    """加上点补贴 and 下一条航线 name no clause (the rules of this pass credited clause 9 and 13 for them)."""
    assert "3.3.9" not in suggest_clauses("第十条退货中心仓再加上点补贴就好了。", seed_draft)
    assert "3.4.13" not in suggest_clauses("第十二条外汇结算，建议开通下一条航线时同步考虑结算便利。", seed_draft)


def test_a_word_annex_does_not_move_every_number_to_the_annex(seed_draft):
    """关于第三条…关于附件：…另外，第十二条应与第十三条合并: 附件 anywhere made every number the annex's (five annex
    items suggested; h13's test_staff_newcomer found it). Only numbers after it or in its sentence are, and the
    body's when the annex has no such number."""
    text = ("关于第三条的意见：建议增加补贴。关于第五条的意见：人才培养应面向中职。关于附件：表格中的目标值偏高，建议下调。"
            "另外，第十二条应与第十三条合并，便于执行。")
    top = suggest_clauses(text, seed_draft, 4)
    assert {"3.1.3", "3.1.5", "3.3.12", "3.4.13"} == set(top), top


def test_disapproval_is_no_approval(seed_draft):
    """第十条我不同意 says something against clause 10: it is not the scene before clause 11 (kept at full weight)."""
    scores = dict(clause_scores("第十条我不同意，第十一条的无票免征可以保留。", seed_draft))
    assert scores["3.3.10"] >= 1.0


def test_a_clause_said_to_be_beside_the_point_is_no_suggestion_on_its_own_merits(seed_draft):
    """不涉及第十一条: clause 11 keeps only a share of its similarity, so it is not the top suggestion even when the
    comment shares its words (税收政策)."""
    text = "我的意见不涉及第十一条税收政策，而是关于人才培养：建议对高校开设小语种课程给予补贴。"
    assert suggest_clauses(text, seed_draft)[0] != "3.3.11"
    assert analyse_comment(text, seed_draft).segments[0].clause_key != "3.3.11"


LETTERS = [
    (("（一）关于第十五条金融保险服务，建议出口信用保险保费补贴比例提高到百分之八十，覆盖海外仓货物。\n"
     "（二）关于第九条综合服务平台，建议开放数据接口给企业，减少重复申报工作量。\n"
     "（三）关于附件第二部分第（三）项东疆园区，建议增加进口保税展示交易功能。"), ["3.4.15", "3.3.9", "a1.2.3"]),
    (("尊敬的天津市商务局电商处：\n我会就《三年倍增计划》提出以下意见：\n"
     "1. 关于第十四条国际物流，建议加密至东南亚的外贸航线，增加货运包机。\n"
     "2. 关于第三条产业带，建议将宁河的五金企业纳入产业带重点企业清单。\n"
     "3. 关于保障措施第三项，各区配套资金政策应明确比例，不能一句话带过。\n此致\n敬礼\n天津市跨境电子商务协会\n2024年10月8日"),
     ["3.4.14", "3.1.3", "4.3"]),
]


LETTERS += [
    (("第一条意见：退货中心仓只能设在综保区内，建议允许区外企业的退货也能进入退货中心仓，降低企业成本。\n"
      "第二条意见：人才培养方面，建议高校开设小语种课程，政府对定制班给予补贴。\n"
      "第三条意见：建议对参加跨交会等展会的企业给予展位费补贴。\n天津市某某贸易有限公司"), ["3.3.10", "3.4.16", "3.4.17"]),
    (("意见一：3.1.3 产业带清单应该把宁河的五金企业也列进去，宁河有很多五金企业出口。\n"
      "意见二：3.4.15 出口信用保险应覆盖海外仓货物，保费补贴比例提高到百分之八十。\n"
      "意见三：4.3 各区配套资金政策应明确比例，不能一句话带过。"), ["3.1.3", "3.4.15", "4.3"]),
    (("意见如下：\n一、第十条退货中心仓应允许区外企业使用，降低退货成本，提高退货效率，方便中小卖家。\n"
      "二、同上，也建议简化手续，一次申报即可。\n三、上一条的手续问题之外，还希望海关驻场。\n四、第十八条合规培训应免费，不能变成收费项目。"),
     ["3.3.10", "3.3.10", "3.3.10", "3.4.18"]),
    (("关于征求意见稿的几点意见\n一、第12条的个人外汇账户额度太低，建议提高到五十万美元，便于中小卖家结汇。\n"
      "二、第十条退货中心仓建议允许区外企业使用，降低退货成本。\n三、不涉及具体条款：希望各部门加强协调，政策尽快落地。"),
     ["3.3.12", "3.3.10", None]),
]


@pytest.mark.parametrize(("text", "keys"), LETTERS)
def test_letters_numbered_their_own_way(seed_draft, text, keys):
    assert [s.clause_key for s in segment_letter(text, seed_draft) if s.kind == "opinion"] == keys


@pytest.mark.xfail(strict=True, reason="the point says it is not about 第十一条 (no longer taken for it), but what is "
                   "left, 人才培养…小语种课程, is only 0.145 similar to clause 16, under MIN_POINT_SCORE (0.15): a "
                   "general remark")
def test_a_letters_point_that_says_what_it_is_not_about(seed_draft):
    text = ("意见如下：\n1、本条意见不涉及第十一条的税收政策，而是关于人才培养：建议对高校开设小语种课程给予补贴，每门课程补贴五万元。\n"
            "2、第十七条参展补贴：对参加跨交会的企业展位费补贴百分之五十，并覆盖境外展会。\n"
            "3、第18条合规培训应当免费，不能变成收费项目，建议由财政出资。")
    assert [s.clause_key for s in segment_letter(text, seed_draft) if s.kind == "opinion"] == [
        "3.4.16", "3.4.17", "3.4.18"]


@pytest.mark.parametrize("words", ["不太同意", "不是很赞成", "不能同意", "无法认可", "不完全同意", "难以赞同", "不敢同意",
                                   "同意不了"])
def test_a_negated_approval_is_no_approval(seed_draft, words):
    """第十条我不太同意 (h17): the negation is not right before 同意, so clause 10 was read as approved scene-setting
    and kept only SECONDARY of its mention (0.3) on the code before this test."""
    scores = dict(clause_scores(f"第十条我{words}，第十一条的无票免征可以保留。", seed_draft))
    assert scores["3.3.10"] >= 1.0


@pytest.mark.parametrize("text", ["第十条的退货中心仓很好，建议开通下一条中欧班列时给予补贴。",
                                  "第十条的退货中心仓，下一条要开的航线也应考虑。"])
def test_the_next_train_or_route_is_no_relative_point(seed_draft, text):
    """下一条中欧班列 / 下一条要开的航线 (h17): a train or a route, not the clause after clause 10 (3.3.11 was top)."""
    assert suggest_clauses(text, seed_draft)[0] == "3.3.10"


def test_the_next_clause_is_still_a_relative_point(seed_draft):
    assert suggest_clauses("关于第十条，下一条的无票免征也要细化。", seed_draft)[0] == "3.3.11"


@pytest.mark.parametrize(("text", "key", "not_key"), [
    ("关于退货中心仓，根据海关总署公告2018年第194号第三条的规定，退货中心仓应设在海关特殊监管区域内。", "3.3.10", "3.1.3"),
    ("关于出口退运商品税收政策，建议参照财政部、海关总署、税务总局公告2023年第4号第二条，明确退运商品的认定条件。", "3.3.11", "3.1.2"),
    ("建议在税收政策条款中引用财税〔2018〕103号文的适用条件，并说明与《增值税暂行条例》第十五条的衔接关系。", "3.3.11", "3.4.15"),
    ("《海关法》第八十二条、第十二条对走私已有规定，建议“信用+风险”监管机制依法执行。", "3.3.10", "3.3.12"),
    ("退货中心仓应依照行政处罚法第三十三条第一款从轻处理。", "3.3.10", None),
])
def test_another_texts_article_is_not_the_drafts(seed_draft, text, key, not_key):
    """公告…第三条, 《增值税暂行条例》第十五条 (h17's held-out letters): another text's article was credited as the draft's
    item N (3.1.3 / 3.1.2 / 3.4.15 top before this test)."""
    top = suggest_clauses(text, seed_draft)
    assert top[0] == key and not_key not in top[:1]


@pytest.mark.parametrize(("text", "key"), [("按《计划》第3条，建议增加地毯。", "3.1.3"),
                                           ("《天津市跨境电子商务高质量发展三年倍增计划（征求意见稿）》第十二条的额度太低。", "3.3.12"),
                                           ("规定第十条的退货中心仓应扩大。", "3.3.10")])
def test_the_drafts_own_articles_stay_mentions(seed_draft, text, key):
    assert suggest_clauses(text, seed_draft)[0] == key


@pytest.mark.parametrize("text", ["其他：我会已整理会员企业名录（见本函附件），可供商务局参考。",
                                  "具体数据请见随函附件，建议统计口径与海关数据对齐。",
                                  "附件：1.我公司2023年跨境电商出口数据表"])
def test_the_letters_own_attachment_is_not_the_drafts_annex(seed_draft, text):
    """见本函附件 / 随函附件 / 附件：…数据表 (h17): the letter's attachment moved the comment to the draft's annex."""
    assert not suggest_clauses(text, seed_draft)[0].startswith("a")


@pytest.mark.parametrize("text", ["关于附件：五金制品部分建议增加紧固件。", "附件中的地毯部分要加强",
                                  "附件：天津市跨境电商产业空间及区域功能布局中的地毯部分要加强"])
def test_the_drafts_annex_is_still_the_annex(seed_draft, text):
    assert suggest_clauses(text, seed_draft)[0].startswith("a1")


def test_a_heading_word_that_another_clause_uses_more_is_no_topic_mention(seed_draft):
    """产业园区 is only in the annex's heading 跨境电商产业园区布局, but item 5 says it more: 产业园区部分…评定标准 is item 5."""
    assert suggest_clauses("产业园区部分建议增加评定标准", seed_draft)[0] == "3.1.5"
