"""Readable labels: no contact fragments, digits or masked data among keywords; short readable titles."""

import pytest

from analysis import CommentIn, group_comments, is_label_term, readable_title


@pytest.mark.parametrize("term", ["com", "example", "zhangwei2024", "13812345678", "2024", "张*", "138****1234",
                                  "www.example.com", "kj88866", "a", "税"])
def test_rejected_terms(term):
    assert not is_label_term(term)


@pytest.mark.parametrize("term", ["海外仓", "外汇", "亚马逊", "tiktok", "vat", "b2b"])
def test_kept_terms(term):
    assert is_label_term(term)


def test_latin_terms_of_the_draft_are_kept():
    assert not is_label_term("odmx") and is_label_term("odmx", frozenset({"odmx"}))


def test_titles_are_short_readable_phrases():
    assert readable_title("尊敬的领导：您好！我们公司是做跨境电商的，希望加密天津港航线。联系邮箱 a@b.com") == \
        "我们公司是做跨境电商的，希望加密天津港航线"
    text = "第12条说“支持跨境电商企业将境外发生的仓储费用与出口货款轧差结算”，建议把20万美元提高到50万美元。"
    assert readable_title(text, [(6, 33)]) == "建议把20万美元提高到50万美元"
    assert len(readable_title("建议" + "跨境电商企业发展" * 10)) <= 25
    assert readable_title("👍👍", fallback_terms=["支持"]) == "支持"


def test_group_keywords_carry_no_contact_data(seed_draft):
    tails = ["联系邮箱 zhangwei2024@example.com", "电话13812345678", "联系人：张*伟 138****1234", "微信号 tj_kj2024"]
    texts = [f"建议对海外仓建设给予补贴，海外仓租金太贵。{tails[i % 4]}" for i in range(8)]
    texts += [f"天津港外贸航线太少，海运费太贵，建议加密航线。{tails[i % 4]}" for i in range(8)]
    grouping = group_comments([CommentIn(i, t) for i, t in enumerate(texts)], seed_draft)
    terms = {t for g in grouping.groups for t in g.label_terms}
    assert terms and not terms & {"com", "example", "zhangwei2024", "13812345678", "138", "1234", "tj", "kj2024"}
    assert all(is_label_term(t) for t in terms)
    assert all(g.title and "@" not in g.title and "138" not in g.title for g in grouping.groups)
