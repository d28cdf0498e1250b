"""Personal data in citizen text is masked; ordinary numbers in policy text are not."""

from __future__ import annotations

import pytest

from exports.redact import find_personal_data, id_check_digit_ok, luhn_ok, mask_name, redact

# GB 11643's own example number (check digit X) and well-known Luhn-valid test card numbers.
ID_NUMBER = "11010519491231002X"
CARD = "6011111111111117"
CARD_GROUPED = "4111 1111 1111 1111"


def kinds(text: str, **kw) -> list[str]:
    return [f.kind for f in redact(text, **kw)[1]]


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        ("我的手机13812345678请回电", "mobile", "13812345678"),
        ("手机 138-1234-5678", "mobile", "138-1234-5678"),
        ("手机 +86 139 1234 5678", "mobile", "139 1234 5678"),
        ("全角１３８１２３４５６７８", "mobile", "１３８１２３４５６７８"),
        ("座机022-23456789", "landline", "022-23456789"),
        ("座机(022)23456789", "landline", "23456789"),
        ("座机0222345678９", "landline", "0222345678９"),
        ("办公电话：23456789", "landline", "23456789"),
        ("邮箱 li.si+cbec@mail.example.com.cn 谢谢", "email", "li.si+cbec@mail.example.com.cn"),
        ("邮箱ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ", "email", "ｌｉ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
        (f"身份证{ID_NUMBER}。", "id_card", ID_NUMBER),
        (f"身份证{ID_NUMBER.lower()}", "id_card", ID_NUMBER.lower()),
        (f"卡号{CARD}", "bank_card", CARD),
        (f"卡号 {CARD_GROUPED} 开户行", "bank_card", CARD_GROUPED),
        ("QQ：123456789", "im_account", "123456789"),
        ("微信号：cbec_seller01", "im_account", "cbec_seller01"),
    ],
)
def test_each_kind_is_masked(text: str, kind: str, secret: str) -> None:
    masked, findings = redact(text)
    assert secret not in masked
    assert kind in [f.kind for f in findings]


def test_findings_point_at_the_original_text() -> None:
    text = f"电话13812345678，邮箱a@b.cn，身份证{ID_NUMBER}"
    masked, findings = redact(text)
    for f in findings:
        assert text[f.start:f.end] == f.original
        assert f.replacement in masked
    assert [f.kind for f in findings] == ["mobile", "email", "id_card"]


@pytest.mark.parametrize(
    "policy",
    [
        "此次公开征求意见时间为2024年9月25日至10月10日。",
        "年度货物贸易收汇或付汇累计金额低于等值20万美元(不含)的小微跨境电商企业",
        "进一步发展保税进出口(1210)、直邮进出口业务(9610)。发展B2B出口(9710)模式",
        "力争到2027年底全市跨境电商年交易额占我市外贸总体10%,争取突破1000亿元",
        "依据第十二条、第三章，跨境电商市场主体企业超过5000家",
        "《国务院办公厅关于加快发展外贸新业态新模式的意见》(国办发〔2021〕24号)、(商贸发〔2024〕125号)",
        "统计口径：2023-2024年度，增长12.5%，编号20240925001",
        "建议年交易额目标为13000000000元，即130亿元",
    ],
)
def test_ordinary_numbers_are_left_alone(policy: str) -> None:
    masked, findings = redact(policy)
    assert masked == policy
    assert findings == []


def test_policy_landline_is_still_a_landline() -> None:
    """Why renderers call redact() only on citizen text: the notice's own number would match."""
    assert kinds("(联系方式:电商处,电话022-63085581)") == ["landline"]


def test_id_number_needs_a_valid_check_digit_or_real_birth_date() -> None:
    assert id_check_digit_ok(ID_NUMBER)
    assert not id_check_digit_ok(ID_NUMBER[:-1] + "1")
    # A mistyped check digit on a real-looking number is still personal data.
    assert kinds(f"身份证{ID_NUMBER[:-1]}1") == ["id_card"]
    # An 18-digit code that is neither (bad check digit, month 13) is left alone.
    assert "id_card" not in kinds("编号110105194913310022")


def test_bank_card_needs_luhn() -> None:
    assert luhn_ok(CARD) and luhn_ok(CARD_GROUPED.replace(" ", ""))
    assert not luhn_ok("6011111111111118")
    assert kinds("卡号6011111111111118") == []


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三", "张*"), ("张小祥", "张*祥"), ("欧阳明华", "欧阳*华"), ("司马光", "司马*"), ("John Smith", "J***")],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_known_names_masked_in_text_unless_identity_full() -> None:
    text = "我是张小祥，建议增加实训基地。张小祥"
    masked, findings = redact(text, names=["张小祥"])
    # Not even 张*祥: an individual is never named in public, masked or not.
    assert "张" not in masked and masked.count("【姓名已隐去】") == 2
    assert {f.kind for f in findings} == {"name"}
    full, _ = redact(text + "电话13812345678", names=["张小祥"], identity="full")
    assert "张小祥" in full and "13812345678" not in full


def test_names_after_cue_words() -> None:
    masked, _ = redact("联系人：欧阳明华，电话13812345678。我叫李明。")
    assert "欧阳明华" not in masked and "李明" not in masked
    # Cue words followed by ordinary words are not names.
    for text in ("我是一名跨境电商从业者", "本人认为应加强监管", "我是做跨境电商的", "我是江苏人，在津经商", "我是商户，"):
        assert redact(text)[0] == text
    # Asking readers to contact someone names them (found by the hostile review with 附意见原文 on).
    for text in ("如有疑问请联系李建国。", "详情可联系王芳，电话见附件", "欢迎联系欧阳明华", "或联系张伟。"):
        masked, _ = redact(text)
        assert not any(name in masked for name in ("李建国", "王芳", "欧阳明华", "张伟")), masked
    for text in ("请联系方式公开", "可联系商务局", "请联系市商务局电商处。", "寻找方向。", "可以联系当地海关。"):
        assert redact(text)[0] == text


def test_find_personal_data_does_not_change_text() -> None:
    text = "电话13812345678"
    assert [f.kind for f in find_personal_data(text)] == ["mobile"]


@pytest.mark.parametrize("address", [
    "zhao at example dot com",
    "wu . lei @ example . org",
    "a . b . c . d . e . f . g at mail dot example dot com",  # six spelled dots in the name, two in the domain
])
def test_spelled_addresses_are_masked_whole(address):
    """The spelled-out address pattern repeats its parts a bounded number of times (unbounded, a 5,000-character
    comment of ``a . a . …`` took most of a second: bench/redaction_corpus.py prints the hostile cost); real
    addresses, even long ones, are still masked whole."""
    masked, findings = redact(f"请联系 {address} 谢谢")
    assert [f.kind for f in findings] == ["email"] and findings[0].original == address
    assert address not in masked
