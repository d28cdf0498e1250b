"""Hostile cases for readable labels: personal data written the way citizens write it (full-width digits, Chinese
numerals, ID / passport / bank card numbers, names beside a phone or after 我叫, addresses, plates, masked data,
e-mail addresses written out) must never reach a group's title or keywords. The cases are in
data/hostile/labels_personal_data.json (written by a tester, not by the module's authors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis import CommentIn, group_comments, is_label_term, readable_title

CASES = json.loads((Path(__file__).parent / "data" / "hostile" / "labels_personal_data.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:12] for c in CASES])
def test_a_title_holds_no_personal_data(case):
    title = readable_title(case["text"])
    assert title
    assert [leak for leak in case["leaks"] if leak.lower() in title.lower()] == [], title


@pytest.mark.parametrize("case", [c for c in CASES if c["keeps"]], ids=lambda c: c["text"][:12])
def test_a_title_still_says_what_the_comment_asks(case):
    assert case["keeps"] in readable_title(case["text"])


@pytest.mark.parametrize("term", ["张伟", "刘洋", "王经理", "刘先生", "张某", "一三八一", "七八", "五六七八"])
def test_names_and_numbers_in_chinese_numerals_are_not_keywords(term):
    assert not is_label_term(term)


@pytest.mark.parametrize("term", ["李娜", "蒋丽莉", "袁姗姗"])
def test_names_jieba_knows_as_common_words_are_not_keywords(term):
    assert not is_label_term(term)


# 顾问 … 陆军 are tagged as names (nr) in jieba's dictionary, and common: they stay words
@pytest.mark.parametrize("term", ["高端化", "金融", "许可", "周期", "高新区", "十三五", "石油", "方面", "顾问", "顾客", "高峰",
                                  "周转", "白领", "雷达", "黎明", "高强", "陆军", "石英", "范畴", "黄金周"])
def test_ordinary_words_starting_with_a_surname_stay_keywords(term):
    assert is_label_term(term)


def _shown(seed_draft, texts):
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft, k=4)
    return [t for g in grouping.groups for t in (g.title, *g.label_terms)]


# Not personal data on their own as keywords (titles must still leave them out): a street name, the word 艾特 (at).
NOT_PERSONAL_ALONE = {"友谊路", "艾特", "**"}
# A name jieba's dictionary holds as a word (李娜: a well-known person, frequency 438, like 许可 623 or 华为 373).
KNOWN_NAMES = {"李娜"}


def test_group_keywords_and_titles_carry_no_personal_data(seed_draft):
    texts = [c["text"] for c in CASES if not set(c["leaks"]) & KNOWN_NAMES] * 2  # names repeat enough to rank
    leaks = {leak.lower() for c in CASES for leak in c["leaks"] if len(leak) >= 2} - NOT_PERSONAL_ALONE
    assert [s for s in _shown(seed_draft, texts) if any(leak in s.lower() for leak in leaks)] == []


def test_a_name_jieba_knows_is_not_a_keyword(seed_draft):
    texts = [c["text"] for c in CASES] * 2
    assert [s for s in _shown(seed_draft, texts) if any(n in s for n in KNOWN_NAMES)] == []


def test_a_stock_greeting_and_sign_off_name_no_group(seed_draft):
    # Every comment wrapped in the same courtesy (an association's template): titles say the opinion, keywords
    # carry no greeting words.
    from tests.analysis.helpers import FOREX, LOGISTICS, TALENT

    wrap = "尊敬的领导您好，我是跨境电商从业者，{}以上意见请领导考虑，谢谢！"
    texts = [wrap.format(t) for t in FOREX + LOGISTICS + TALENT]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    assert grouping.groups
    assert not any(g.title.startswith(("我是", "尊敬")) for g in grouping.groups)
    assert not {t for g in grouping.groups for t in g.label_terms} & {"尊敬", "领导", "考虑", "谢谢", "您好"}


@pytest.mark.parametrize("text", ["我们是一家五金企业，联系人王经理，希望参加产业带重点企业清单的对接活动",
                                  "联系电话：022－2345 6789，建议增设跨境电商专项资金。",
                                  "我是一家小微企业的负责人，联系电话13812345678，非常希望能参加政府组织的平台对接会"])
def test_no_cue_word_is_left_dangling_in_a_title(text):
    import re

    assert not re.search(r"(?:^|，)(?:联系人?|联系电话|电话|手机|邮箱)(?:，|$)", readable_title(text))
