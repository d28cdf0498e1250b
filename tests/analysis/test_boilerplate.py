"""Greetings, self-introductions and sign-offs many comments share (analysis/boilerplate.py): different opinions in
one wrapper are different opinions; copies of one text are one campaign, also when every copy has a greeting."""

from __future__ import annotations

import pytest

from analysis import CommentIn, find_duplicates, group_comments
from analysis.boilerplate import learn_boilerplate, strip_boilerplate
from analysis.normalize import canonical_many

# Wrappers of different lengths (canonical characters: 20, 22, 83, 47 …), none of them in the engine's code.
SHORT_GREETING = "各位领导好！我是河西区的一名普通市民，"  # 17
SHORT_SIGN_OFF = "以上是我的一点浅见，谢谢各位。"  # 13
GREETING = "尊敬的市商务局电商处领导：你们好！本人是一家位于东疆保税港区的跨境电商企业负责人，" \
           "从事进出口贸易和跨境电商业务已经十二年，公司目前有员工八十多人，主要做欧美市场的家居用品，" \
           "看到这次征求意见稿后组织公司骨干认真学习讨论，现提出如下意见："  # 83 + ...
SIGN_OFF = "以上意见和建议仅代表我们企业自己的看法，如有不当之处敬请批评指正，" \
           "再次感谢市商务局给我们企业提供表达意见的机会！"
WRAPPERS = [(SHORT_GREETING, SHORT_SIGN_OFF), (GREETING, SHORT_SIGN_OFF), (SHORT_GREETING, SIGN_OFF),
            (GREETING, SIGN_OFF)]

LONG_OPINIONS = [  # about 30–40 characters each
    "海关查验比例太高，跨境小包经常被抽查，建议对信用好的企业降低查验率。",
    "希望在滨海新区多建几个公共海外仓信息平台，让中小卖家能查到空余库位。",
    "建议把跨境电商企业的研发费用也纳入加计扣除，鼓励企业自主设计产品。",
    "直播电商基地的房租补贴期限太短，一年不够，建议延长到三年并逐年递减。",
    "出口退税到账太慢，平均要两个月，资金周转压力很大，希望缩短到一个月。",
    "天津本地缺少专业的跨境电商摄影和美工服务，建议引进相关服务企业。",
]
SHORT_OPINIONS = [  # 14 characters or fewer
    "查验比例太高了，建议降低。",
    "海外仓补贴门槛应该放宽。",
    "退税太慢，希望加快办理。",
    "人才公寓名额希望增加。",
    "建议多办跨境电商展会。",
]
CAMPAIGN = "建议第十五条增加对跨境电商企业参加境外展会的补贴，展位费补贴比例不低于百分之五十，并对首次参展的企业给予额外奖励。"


def _edited(text: str, n: int) -> str:
    """Copy n of a campaign: a few characters changed, punctuation swapped."""
    swaps = [("，", ","), ("。", "！"), ("建议", "建議"), ("企业", "公司"), ("补贴", "资助"), ("不低于", "至少")]
    a, b = swaps[n % len(swaps)]
    return text.replace(a, b, 1)


def _campaigns(texts: list[str]) -> list[list[int]]:
    return [g.members for g in find_duplicates(texts)]


def _grouped_campaigns(texts: list[str], draft=None) -> list[list[int]]:
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], draft)
    return [sorted(g.member_ids) for g in grouping.groups if g.kind == "campaign"]


@pytest.mark.parametrize(("greeting", "sign_off"), WRAPPERS)
@pytest.mark.parametrize("opinions", [LONG_OPINIONS, SHORT_OPINIONS], ids=["long", "short"])
def test_different_opinions_in_one_wrapper_are_no_campaign(greeting, sign_off, opinions):
    texts = [greeting + o + sign_off for o in opinions]
    assert _campaigns(texts) == []
    assert _grouped_campaigns(texts) == []


@pytest.mark.parametrize("wrapped", [2, 3])
def test_a_wrapper_shared_by_two_or_three_comments_is_no_campaign(wrapped):
    texts = [GREETING + o + SIGN_OFF for o in LONG_OPINIONS[:wrapped]] + SHORT_OPINIONS
    assert _campaigns(texts) == []


def test_a_greeting_only_at_the_start_and_a_sign_off_only_at_the_end_are_learnt_too():
    # No comment has both: each wrapper is one-sided and shorter than the opinion it frames.
    texts = [SHORT_GREETING + o for o in LONG_OPINIONS[:3]] + [o + SHORT_SIGN_OFF for o in LONG_OPINIONS[3:]]
    stripped, _ = strip_boilerplate(canonical_many(texts), learn_boilerplate(canonical_many(texts)))
    assert stripped == canonical_many(LONG_OPINIONS)


def test_copies_with_a_greeting_each_are_one_campaign():
    copies = [GREETING + _edited(CAMPAIGN, n) + SIGN_OFF for n in range(6)]
    texts = copies + [GREETING + o + SIGN_OFF for o in LONG_OPINIONS]
    assert _campaigns(texts) == [list(range(6))]
    assert _grouped_campaigns(texts) == [list(range(6))]


def test_a_campaign_whose_copies_each_add_a_different_greeting_stays_one_campaign():
    greetings = ["您好！", "各位领导：", "我是一名市民，", "领导们辛苦了，我来说两句：", "尊敬的电商处：",
                 "看了征求意见稿，我有一个建议。"]
    texts = [g + _edited(CAMPAIGN, n) for n, g in enumerate(greetings)] + LONG_OPINIONS
    assert _campaigns(texts) == [list(range(len(greetings)))]


def test_a_campaign_whose_template_opens_with_the_stock_greeting_keeps_its_copies_only():
    # 30 copies of a template that opens with the greeting 8 other people use around their own opinions.
    copies = [SHORT_GREETING + _edited(CAMPAIGN, n) + SHORT_SIGN_OFF for n in range(30)]
    others = [SHORT_GREETING + o + SHORT_SIGN_OFF for o in LONG_OPINIONS + SHORT_OPINIONS[:2]]
    assert _campaigns(copies + others) == [list(range(30))]
    assert _grouped_campaigns(copies + others) == [list(range(30))]


def test_a_sign_off_most_comments_share_makes_no_campaign_and_keeps_a_real_one():
    # 60 % of the comments end with the same sign-off; a campaign of 5 copies hides among them.
    plain = ["跨境电商综试区的政策宣传不够，很多企业不知道。", "建议对跨境电商企业的物流费用给予补贴。",
             "保税仓储的租金太高，希望政府出面协调。", "希望简化跨境电商企业的外汇登记手续。"]
    wrapped = [o + "以上意见请予考虑。" for o in LONG_OPINIONS + SHORT_OPINIONS]
    copies = [_edited(CAMPAIGN, n) + "以上意见请予考虑。" for n in range(5)]
    texts = plain + wrapped + copies
    start = len(plain) + len(wrapped)
    assert _campaigns(texts) == [list(range(start, start + 5))]


def test_a_comment_that_is_only_greeting_and_agreement_is_kept_and_joins_no_opinion():
    agreeing = [GREETING + "同意。" + SIGN_OFF, GREETING + "同意！" + SIGN_OFF]
    texts = [GREETING + o + SIGN_OFF for o in LONG_OPINIONS] + agreeing
    found = _campaigns(texts)
    assert all(set(g) <= {6, 7} for g in found)  # the two agreements may be one campaign, never with an opinion
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)])
    placed = [m for g in grouping.groups if g.parent is None for m in g.member_ids]
    assert sorted(placed) == list(range(len(texts)))  # nothing lost


def test_agreement_in_the_consultations_wrapper_is_support(seed_draft):
    # Far over the 60 characters of a supportive one-liner with its wrapper; without it, 同意 / 支持！希望早日落地。
    agreeing = [SHORT_GREETING + "同意。" + SHORT_SIGN_OFF, GREETING + "支持！希望早日落地。" + SIGN_OFF,
                GREETING + "支持，但是建议把补贴提高到五十万。" + SIGN_OFF]  # the last one proposes: substantive
    texts = [GREETING + o + SIGN_OFF for o in LONG_OPINIONS] + [SHORT_GREETING + o + SHORT_SIGN_OFF
                                                                for o in LONG_OPINIONS[:3]] + agreeing
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    supportive = [m for g in grouping.groups if g.kind == "supportive" for m in g.member_ids]
    assert sorted(supportive) == [len(texts) - 3, len(texts) - 2]


def test_a_comment_that_is_nothing_but_the_wrapper_keeps_its_text():
    texts = [GREETING + o + SIGN_OFF for o in LONG_OPINIONS] + [GREETING + SIGN_OFF]
    canon = canonical_many(texts)
    stripped, cut = strip_boilerplate(canon, learn_boilerplate(canon))
    assert stripped[-1] == canon[-1] and len(texts) - 1 not in cut
    assert stripped[:-1] == canonical_many(LONG_OPINIONS)


def test_a_campaign_alone_teaches_no_boilerplate():
    copies = [_edited(CAMPAIGN, n) for n in range(20)] + [_edited(CAMPAIGN, n) + "我们公司深有体会。" for n in range(3)]
    assert not learn_boilerplate(canonical_many(copies))


def test_a_campaign_with_a_sentence_inserted_in_some_copies_stays_whole():
    head, tail = CAMPAIGN[:30], CAMPAIGN[30:]
    inserted = ["我们公司去年参加了三次展会，", "这对小企业来说是很大的负担，", "去年我们光展位费就花了二十万，"]
    copies = [_edited(CAMPAIGN, n) for n in range(5)] + [head + s + tail for s in inserted]
    texts = copies + LONG_OPINIONS
    canon = canonical_many(texts)
    assert strip_boilerplate(canon, learn_boilerplate(canon))[0] == canon
    assert _campaigns(texts) == [list(range(len(copies)))]


def test_boilerplate_sentences_are_no_additions():
    copies = [GREETING + _edited(CAMPAIGN, n) + SIGN_OFF for n in range(3)] + [SHORT_GREETING + CAMPAIGN]
    texts = copies + [GREETING + o + SIGN_OFF for o in LONG_OPINIONS[:3]] + [SHORT_GREETING + o for o in LONG_OPINIONS[3:]]
    groups = find_duplicates(texts)
    assert [g.members for g in groups] == [[0, 1, 2, 3]]
    assert all(not any("领导" in s for s in added) for added in groups[0].additions.values())


def _wrapped_topics() -> list[str]:
    from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

    return [f"尊敬的领导您好，我是跨境电商从业者，{t}以上意见请领导考虑，谢谢！" for t in FOREX + LOGISTICS + TALENT]


def test_the_wrapper_is_cut_where_the_opinions_begin():
    # Several opinions begin 跨境电商… or end …万美元: the runs the comments share go on into them, but far fewer
    # comments share that part, so the cut stops at the greeting and at the sign-off.
    from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

    canon = canonical_many(_wrapped_topics())
    assert strip_boilerplate(canon, learn_boilerplate(canon))[0] == canonical_many(FOREX + LOGISTICS + TALENT)


def test_cluster_labels_never_show_the_wrapper():
    from analysis import cluster

    result = cluster(_wrapped_topics(), k=3)
    terms = {t for c in result.clusters for t in c.label_terms}
    assert terms and not terms & {"尊敬", "领导", "您好", "从业者", "考虑", "谢谢"}
    unwrapped = cluster(_wrapped_topics(), k=3, boilerplate=False)
    assert {t for c in unwrapped.clusters for t in c.label_terms} & {"尊敬", "领导", "从业者", "考虑"}  # it can fail


@pytest.mark.parametrize("with_draft", [False, True], ids=["lists", "quotations"])
def test_group_keywords_and_titles_leave_the_wrapper_out(seed_draft, with_draft):
    # With the draft the tokens come as masks over the stored lists (OpinionTokens); one comment also quotes it.
    texts = _wrapped_topics() + [GREETING + "“支持跨境电商企业在综保区内设立退货中心仓”，建议扩大到所有区。" + SIGN_OFF]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft if with_draft else None)
    wrapper_words = {"尊敬", "领导", "您好", "从业者", "考虑", "谢谢", "本人", "批评", "指正", "感谢"}
    substantive = [g for g in grouping.groups if g.kind in ("cluster", "singleton", "campaign")]
    assert substantive
    for g in substantive:
        assert not set(g.label_terms) & wrapper_words, (g.title, g.label_terms)
        assert not any(w in g.title for w in ("尊敬", "您好", "从业者", "以上意见")), g.title


@pytest.mark.xfail(strict=True, reason=(
    "boilerplate.py: 3 copies that replace the same 12-character phrase of a 56-character template with three "
    "different phrases frame their own text like a wrapper does (the template's head and tail around different "
    "middles), so the head and tail are learnt as boilerplate and those 3 copies (and one edited copy) leave the "
    "campaign of 9; telling this from a stock greeting and sign-off around different opinions needs more than the "
    "shape of the texts (a campaign in the same wrapper looks the same)"))
def test_copies_that_replace_one_phrase_stay_in_the_campaign():
    head, tail = CAMPAIGN[:20], CAMPAIGN[32:]
    replaced = ["为参加国外展会的中小企业", "给首次出海参展的外贸企业", "为去海外办展的本地企业"]
    texts = [_edited(CAMPAIGN, n) for n in range(6)] + [head + r + tail for r in replaced] + LONG_OPINIONS
    assert _campaigns(texts) == [list(range(9))]


def test_texts_marked_a_block_at_a_time_are_cut_as_at_once(monkeypatch):
    from analysis import boilerplate

    texts = [GREETING + o + SIGN_OFF for o in LONG_OPINIONS] + [SHORT_GREETING + o for o in SHORT_OPINIONS] + ["", "短"]
    canon = canonical_many(texts)
    at_once = boilerplate.cut_boilerplate(canon)
    monkeypatch.setattr(boilerplate, "_MARK_BLOCK", 3)
    blocks = boilerplate.cut_boilerplate(canon)
    assert at_once[2] and blocks[1:] == at_once[1:]
    assert list(blocks[0].grams) == list(at_once[0].grams)
