"""An independent hostile pass over the boilerplate rules (analysis/boilerplate.py), through find_duplicates and
group_comments: wrappers that should be cut and are not, opinions that should stay and are cut, campaigns merged or
split by a wrapper. Written before reading the rules; what still fails is a strict xfail with the reason."""

from __future__ import annotations

import pytest

from analysis import CommentIn, find_duplicates, group_comments
from analysis.boilerplate import learn_boilerplate, strip_boilerplate
from analysis.normalize import canonical_many
from tests.analysis.test_boilerplate import LONG_OPINIONS

# A self-introduction of 56 canonical characters and a sign-off of 19, written for these tests only.
INTRO = ("尊敬的天津市商务局电商处各位领导：您好！我是一名在天津从事跨境电商多年的从业者，认真学习了征求意见稿，"
         "现提出如下意见：")
THANKS = "以上意见仅代表个人观点，恳请领导们予以考虑，再次感谢！"
BACKGROUND = LONG_OPINIONS  # other comments of the consultation, without the wrapper
REASONS = [  # 37–44 characters each: longer than a one-sentence opening they may follow
    "因为补贴门槛太高，年出口额两千万以上的中小企业根本拿不到，政策变成了只给大企业的福利。",
    "这一条和第十三条的内容几乎重复，单独列出来没有必要，反而让企业搞不清到底该申报哪一项。",
    "财政资金有限，与其补贴仓库面积，不如用在跨境电商人才培养和职业技能培训上，效果更长远。",
    "实际执行中很容易出现骗补现象，有的企业租个空仓库就来申报，监管部门核查成本很高。",
    "各区的配套标准不统一，滨海新区和武清区差别很大，企业无所适从，建议全市统一口径。",
    "三年倍增这个目标不现实，海外仓建设周期长，补贴上限放开也做不到三年翻一番。",
]
EXPO = "建议第十五条增加对跨境电商企业参加境外展会的补贴，展位费补贴比例不低于百分之五十。"
TALENT = "建议人才公寓向跨境电商运营人员开放申请，并把跨境电商运营纳入紧缺人才目录。"


def _campaigns(texts: list[str]) -> list[list[int]]:
    return [g.members for g in find_duplicates(texts)]


def _stripped(texts: list[str]) -> list[str]:
    canon = canonical_many(texts)
    return strip_boilerplate(canon, learn_boilerplate(canon))[0]


# --- what holds -------------------------------------------------------------------------------------------------

def test_many_opening_with_the_same_short_proposal_keep_it():
    # 建议删除第十二条 is the opinion, not a greeting: six people open with it and give different reasons.
    texts = ["建议删除第十二条，" + r for r in REASONS] + BACKGROUND
    assert _stripped(texts) == canonical_many(texts)
    assert _campaigns(texts) == []


WIDTH_AND_SPACING = ["尊敬的领导：您好！我是跨境电商从业者，", "尊敬的领导:您好!我是跨境电商从业者,",
                     "尊敬的 领导 ：您好 ！ 我是 跨境电商 从业者 ，", "尊敬的领导您好我是跨境电商从业者",
                     "尊敬的领导︰您好！我是跨境电商从业者，", "尊敬的领导：您好！我是跨境电商从业者。"]
ONE_WORD_APART = ["尊敬的领导：您好！我是一名跨境电商从业者，", "尊敬的各位领导：你们好！我是一名跨境电商从业人员，",
                  "尊敬的市商务局领导：您好！我是一名跨境电商从业者，", "尊敬的领导们：您好！我是一名跨境电商的从业者，",
                  "尊敬的电商处领导：您好！我是一位跨境电商从业者，", "尊敬的领导：大家好！我是一名跨境电商行业从业者，"]


@pytest.mark.parametrize("greetings", [WIDTH_AND_SPACING, pytest.param(ONE_WORD_APART, marks=pytest.mark.xfail(
    strict=True, reason=(
        "a prefix run must start at the comment's first character and be shared whole: greetings that differ by a "
        "word (尊敬的领导 / 尊敬的各位领导 / 尊敬的市商务局领导, 您好 / 你们好, 一名 / 一位) break the run after two "
        "to five characters, so none is learnt and 一名 / 从业者 become group keywords")))],
                         ids=["width-and-spacing", "one-word-apart"])
def test_variants_of_one_greeting_are_cut(greetings):
    texts = [g + o for g, o in zip(greetings, BACKGROUND)]
    assert _stripped(texts) == canonical_many(BACKGROUND)


def test_two_campaigns_in_a_wrapper_other_opinions_use_stay_two():
    expo = [EXPO, EXPO.replace("不低于", "至少"), EXPO.replace("补贴", "资助", 1)]
    talent = [TALENT, TALENT.replace("并", "同时"), TALENT.replace("开放", "放开")]
    texts = [INTRO + t + THANKS for t in expo + talent] + [INTRO + r + THANKS for r in REASONS]
    assert _campaigns(texts) == [[0, 1, 2], [3, 4, 5]]


def test_a_campaign_whose_copies_each_add_their_own_reason_stays_one():
    personal = ["我们公司去年参展花了二十万。", "小企业参展成本太高。", "参展是开拓客户最有效的方式。", "希望政策尽快落实。",
                "周边省市都有类似补贴。"]
    texts = [EXPO + p for p in personal] + BACKGROUND
    assert _campaigns(texts) == [[0, 1, 2, 3, 4]]


def test_short_opinions_in_a_wrapper_longer_opinions_share_are_no_campaign():
    short = ["取消限额。", "降低门槛。", "延长期限。", "加大补贴。", "简化审批。", "删除此条。"]
    texts = [INTRO + o + THANKS for o in short] + [INTRO + o + THANKS for o in BACKGROUND]
    assert _campaigns(texts) == []


# --- what fails (strict xfails: each says why) -------------------------------------------------------------------

@pytest.mark.xfail(strict=True, reason=(
    "boilerplate.py learns a wrapper from texts that frame own text (or from copies that vote against it): in a "
    "wrapper nobody else uses, one campaign's copies (no own text, 2 per fingerprint) vote against it and the other "
    "campaign's identical copies are one distinct text, one vote for (MIN_DOCS is 2), so the wrapper stays and its "
    "80 shared characters make the two 40-character opinions one campaign by Jaccard"))
def test_two_campaigns_in_a_wrapper_nobody_else_uses_stay_two():
    texts = [INTRO + EXPO + THANKS] * 5 + [INTRO + TALENT + THANKS] * 3 + [INTRO + TALENT.replace("并", "同时") + THANKS] * 2
    assert _campaigns(texts + BACKGROUND) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]


@pytest.mark.xfail(strict=True, reason=(
    "a one-sided wrapper is learnt only when it is no longer than the text it frames (ONE_SIDED_RATIO 1.0): a "
    "56-character self-introduction before opinions of 12-44 characters is never cut, and its shared grams make "
    "different opinions one campaign; by shape it is the same as one campaign whose copies each add a different "
    "ending (test_a_campaign_whose_copies_each_add_their_own_reason_stays_one), which the ratio protects"))
def test_a_long_introduction_before_shorter_opinions_makes_no_campaign():
    texts = [INTRO + o for o in ["海关查验比例太高，建议降低。", "海外仓补贴门槛应该放宽。", "退税太慢，希望加快办理。"]]
    texts += [INTRO + r for r in REASONS]
    assert _campaigns(texts + BACKGROUND) == []


@pytest.mark.xfail(strict=True, reason=(
    "own text under MIN_OWN (8) characters never frames: six 4-character opinions in a wrapper no longer opinion "
    "shares teach nothing and are one campaign; by shape they are copies of one template with a 4-character phrase "
    "replaced (a form with a blank filled in differently)"))
def test_short_opinions_in_a_wrapper_nobody_else_uses_are_no_campaign():
    short = ["取消限额。", "降低门槛。", "延长期限。", "加大补贴。", "简化审批。", "删除此条。"]
    assert _campaigns([INTRO + o + THANKS for o in short]) == []


@pytest.mark.xfail(strict=True, reason=(
    "a sentence six comments open with and follow with longer, different reasons is learnt as a one-sided "
    "greeting (it is no longer than their own text): 建议删除第十二条关于海外仓补贴的规定 is cut out of their "
    "word vectors, keywords and titles, and the six scatter over clusters by their reasons"))
def test_a_shared_opening_proposal_followed_by_longer_reasons_is_kept():
    texts = ["建议删除第十二条关于海外仓补贴的规定。" + r for r in REASONS] + BACKGROUND
    assert _stripped(texts) == canonical_many(texts)


@pytest.mark.xfail(strict=True, reason=(
    "a suffix run must reach the comment's last character: a sign-off followed by the writer's company name and a "
    "date is not at the end, so only 有限公司，2024年9月28日 is cut and 仅供参考 / 批评指正 stay in the keywords"))
def test_a_sign_off_before_a_company_name_and_date_leaves_the_keywords():
    companies = ["天津海通跨境贸易有限公司", "天津滨海优品电子商务有限公司", "天津港保税区远航供应链有限公司",
                 "天津津卖通科技有限公司", "天津东疆国际物流有限公司", "天津和平区小王网店"]
    texts = [o + "以上意见仅供参考，不妥之处请批评指正。" + c + "，2024年9月28日" for o, c in zip(BACKGROUND, companies)]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)])
    terms = {t for g in grouping.groups for t in g.label_terms}
    assert terms and not terms & {"仅供参考", "不妥", "之处", "批评指正"}


@pytest.mark.xfail(strict=True, reason=(
    "a one-sided run under MIN_ONE_SIDED (10) characters is never learnt: 尊敬的各位领导您好 (9) on half the "
    "comments stays, and becomes the title of every group whose representative opens with it"))
def test_a_short_greeting_half_the_comments_open_with_is_no_title():
    texts = ["尊敬的各位领导您好！" + o for o in BACKGROUND] + REASONS
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)])
    assert not [g.title for g in grouping.groups if g.title.startswith("尊敬")]



@pytest.mark.xfail(strict=True, reason=(
    "duplicates.is_copy_of: a text over twice its template's size is a copy only of a template of at least "
    "LONG_TEMPLATE_SHINGLES (60) shingles; EXPO has 37. With 30 this passed (and the two identical wrapped copies "
    "moved too), but on bench/analysis_scale.py's 100k comments 3,424 texts made of several citizen titles then "
    "joined 'campaigns' of a 30-45 character title they contain (a multi-point text is no copy of one point)"))
def test_a_copy_in_a_long_wrapper_of_its_own_stays_in_its_campaign():
    plain = [EXPO, EXPO, "各位领导好！" + EXPO + "谢谢！", "各位领导好！" + EXPO + "谢谢！", EXPO.replace("。", "！"),
             "我是做家居出口的，" + EXPO]
    texts = [INTRO + EXPO + THANKS] * 2 + plain + BACKGROUND
    assert _campaigns(texts) == [list(range(8))]

# --- campaigns of copies in stock wrappers ------------------------------------------------------------------------

STOCK_GREETINGS = ["各位领导：你们好！我是武清区一家跨境电商企业的运营主管，在这个行业干了八年，",
                   "尊敬的电商处领导：作为滨海新区一家外贸工厂的老板，我们全厂都很关心这个计划，",
                   "您好！我是天津一所职业院校电子商务专业的老师，平时带学生做跨境电商实训，"]
STOCK_SIGN_OFFS = ["以上是我们的一点想法，供领导决策时参考，谢谢！", "盼望这些意见能被采纳，祝工作顺利！",
                   "此致敬礼！一名关心天津外贸发展的从业者"]


def _copy(text: str, n: int) -> str:
    """Copy n of an opinion: one of a few small edits (or none)."""
    edits = [("", ""), ("，", ","), ("建议", "希望"), ("。", "！"), ("跨境电商", "跨境电子商务")]
    a, b = edits[n % len(edits)]
    return text.replace(a, b, 1) if a else text


def _stock_wrapped() -> tuple[list[str], list[list[int]]]:
    """Every opinion copied 2-4 times, each copy in a greeting and sign-off drawn from three stock ones: no text
    frames an opinion of its own (each is a copy), but the wrappers go on into many different opinions."""
    opinions = REASONS + [EXPO, TALENT]
    texts, truth = [], []
    for o, opinion in enumerate(opinions):
        for n in range(2 + o % 3):
            texts.append(STOCK_GREETINGS[(o + n) % 3] + _copy(opinion, n) + STOCK_SIGN_OFFS[(o + 2 * n) % 3])
            truth.append(o)
    return texts + BACKGROUND, [[i for i, t in enumerate(truth) if t == o] for o in range(len(opinions))]


def test_copies_of_opinions_in_stock_wrappers_mostly_stay_in_their_campaigns():
    # Measured: main (b4df69e) kept 0 of the 8 opinions' copies together (2 campaigns, each half an opinion); the
    # copies of different campaigns in one wrapper now vote for it (boilerplate._copies_around_bodies): 4 of 8.
    texts, expected = _stock_wrapped()
    found = _campaigns(texts)
    assert all(any(set(g) <= set(e) for e in expected) for g in found)  # no campaign mixes two opinions
    assert sum(1 for e in expected if e in found) >= 4


@pytest.mark.xfail(strict=True, reason=(
    "the third stock greeting (您好！我是天津一所职业院校…) is held by 7 texts around opinions copied 3-4 times: a "
    "copy's body votes for its wrapper only when most of it is held by fewer than half (AS_COMMON) as many texts as "
    "the wrapper, so it is not learnt and the copies in it (12, 15, 16, 21) stay apart from their campaigns; the "
    "opinions (37-44 characters) are under duplicates.LONG_TEMPLATE_SHINGLES (60), so the long-wrapper rule does "
    "not take them either (with 30 and texts up to 5x searched this passed; see the xfail above for why not)"))
def test_copies_of_several_opinions_in_stock_wrappers_stay_in_their_campaigns():
    texts, expected = _stock_wrapped()
    assert sorted(_campaigns(texts)) == expected
