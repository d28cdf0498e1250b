"""Personal data is masked however it is written, in every public format; ordinary text is left alone.

The corpora live in tests/exports/data (see tests/exports/redaction_corpus.py); ``bench/redaction_corpus.py``
prints recall and precision on them.
"""

from __future__ import annotations

import io
import json
from datetime import date

import docx
import pytest

from exports import FORMATS, PUBLIC_FORMATS, MemberComment, Opinion, Report
from exports.public import redact_comment
from exports.redact import looks_like_personal_name, normalise, redact
from tests.exports.redaction_corpus import (
    KNOWN_GAPS,
    Case,
    evasions,
    false_positives,
    flatten,
    holdout,
    leaked,
    pinyin,
    pinyin_holdout,
)

EVASIONS = evasions()
FALSE_POSITIVES = false_positives()
HOLDOUT, HOLDOUT_CLEAN = holdout()
PINYIN, PINYIN_CLEAN = pinyin()
PINYIN_HOLDOUT, PINYIN_HOLDOUT_CLEAN = pinyin_holdout()


def own(case: Case, vocabulary: str = "") -> tuple[str, list]:
    return redact_comment(MemberComment(case.text, name=case.name), vocabulary)


def test_the_corpora_are_big_enough() -> None:
    assert len(EVASIONS) >= 60 and len({c.id for c in EVASIONS}) == len(EVASIONS)
    assert len(FALSE_POSITIVES) >= 40
    assert all(c.secrets for c in EVASIONS)


def test_flatten_reads_what_a_person_reads() -> None:
    """The leak judge itself: split, invisible, full-width and 汉字 forms all read as the plain secret."""
    for written in ["1 3 9 0 2 2 1 5 5 6 6", "139\u200b0221\u200b5566", "１３９０２２１５５６６", "一三九〇二二一五五六六"]:
        assert "13902215566" in flatten(written)
    assert "13902215566" not in flatten("【手机号码已隐去】")


@pytest.mark.parametrize("case", EVASIONS + PINYIN + PINYIN_HOLDOUT, ids=[c.id for c in EVASIONS + PINYIN + PINYIN_HOLDOUT])
def test_every_evasion_is_masked(case: Case, vocabulary: str) -> None:
    masked, findings = own(case, vocabulary)
    assert case.leaks(masked) == [], masked
    for f in findings:  # every finding points at exactly the characters it replaced
        assert case.text[f.start:f.end] == f.original and f.original


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_GAPS[c.id], strict=True)) if c.id in KNOWN_GAPS else c
    for c in HOLDOUT
], ids=[c.id for c in HOLDOUT])
def test_hold_out_evasions_are_masked(case: Case, vocabulary: str) -> None:
    assert case.leaks(own(case, vocabulary)[0]) == []


CLEAN = FALSE_POSITIVES + HOLDOUT_CLEAN + PINYIN_CLEAN + PINYIN_HOLDOUT_CLEAN


@pytest.mark.parametrize("case", CLEAN, ids=[c.id for c in CLEAN])
def test_ordinary_text_is_left_alone(case: Case, vocabulary: str) -> None:
    masked, findings = own(case, vocabulary)
    assert masked == case.text and findings == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("请联系1\u200c3\u200c9\u200c0\u200c2\u200c2\u200c1\u200c5\u200c5\u200c6\u200c6，谢谢。", "请联系【手机号码已隐去】，谢谢。"),
        ("有问题打137.1234.5678找我", "有问题打【手机号码已隐去】找我"),
        ("我的电话一三九一二三四五六七八，欢迎来电。", "我的电话【手机号码已隐去】，欢迎来电。"),
        ("邮箱li.si(at)example.com，欢迎交流。", "邮箱【电子邮箱已隐去】，欢迎交流。"),
        ("身份证 1201 0119 9003 0745 75", "身份证 【身份证号码已隐去】"),
        ("座机(022)2345.6780", "座机【电话号码已隐去】"),
        ("手机１３８　００２２　１２３８", "手机【手机号码已隐去】"),
        # a full name before 先生/女士 (a surname alone stays: test_exports_redact_names.py)
        ("我们公司的刘建国先生建议简化流程。", "我们公司的【姓名已隐去】先生建议简化流程。"),
        ("欧阳明华先生认为补贴太少。", "【姓名已隐去】先生认为补贴太少。"),
        ("刘\u200b建国先生认为补贴太少。", "【姓名已隐去】先生认为补贴太少。"),
        ("谢谢王芳女士，也谢谢向刘建国先生转达意见的同事。", "谢谢【姓名已隐去】女士，也谢谢向【姓名已隐去】先生转达意见的同事。"),
    ],
)
def test_masking_replaces_exactly_the_original_characters(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


def test_normalised_copy_maps_back_to_the_original() -> None:
    text = "号\u200b码：１３９\u202a一二三四五六七八"
    norm = normalise(text)
    assert norm.text == "号码:13912345678"
    start = norm.text.index("139")
    assert text[slice(*norm.span(start, len(norm.text)))] == "１３９\u202a一二三四五六七八"
    assert normalise("没有需要改的文字").starts is None  # the common case costs no offset table


def test_han_digits_only_in_long_runs() -> None:
    assert normalise("二〇二四年九月二十五日").text == "二〇二四年九月二十五日"
    assert normalise("一三九一二三四五六七八").text == "13912345678"


@pytest.mark.parametrize(
    ("name", "plausible"),
    [("李春华", True), ("王芳", True), ("欧阳明华", True), ("刘 建 明", True), ("刘\u200b建国", True),
     ("Li Hua", True), ("跨境电商", False), ("高质量", False), ("天津某某科技有限公司", False), ("王", False),
     ("Amazon", False), ("匿名", False), ("13912345678", False), ("", False)],
)
def test_which_names_look_personal(name: str, plausible: bool, vocabulary: str) -> None:
    assert looks_like_personal_name(name, vocabulary) is plausible


def test_a_name_that_is_a_draft_word_is_not_a_name() -> None:
    assert looks_like_personal_name("金融港") and not looks_like_personal_name("金融港", "建设金融港")


# -- through every public format -----------------------------------------------------------------------

IN_REPORT = EVASIONS + PINYIN + PINYIN_HOLDOUT


def _corpus_report(*, annex: bool, identity: str = "masked") -> Report:
    """Every evasion (pinyin names too) as one comment (its own 姓名 set), a few per opinion, all decided."""
    opinions = []
    for i in range(0, len(IN_REPORT), 4):
        members = [MemberComment(c.text, name=c.name, contact="13700001111", submitter_type="个人",
                                 submitter_id=c.id) for c in IN_REPORT[i:i + 4]]
        opinions.append(Opinion(f"建议{i // 4 + 1}：完善相关条款。", ("3.3.12", "12.", "创新外汇管理服务"),
                                decision="采纳", comments=members))
    return Report(draft_title="天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)", issuer="天津市商务局",
                  opens_on=date(2024, 9, 25), closes_on=date(2024, 10, 10), report_date=date(2024, 10, 25),
                  opinions=opinions, identity=identity, include_comment_annex=annex, clause_order=["3.3.12"])


def _texts(report: Report) -> dict[str, str]:
    out = {fmt: FORMATS[fmt](report).decode("utf-8") for fmt in PUBLIC_FORMATS if fmt != "docx"}
    document = docx.Document(io.BytesIO(FORMATS["docx"](report)))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    out["docx"] = "\n".join(parts)
    return out


@pytest.mark.parametrize("identity", ["masked", "full"])
def test_no_evasion_leaks_from_any_public_format(identity: str) -> None:
    report = _corpus_report(annex=True, identity=identity)
    assert report.check() == []
    for fmt, text in _texts(report).items():
        assert "【手机号码已隐去】" in text, fmt  # the comments are there, masked
        assert leaked(IN_REPORT, text) == [], fmt


def test_the_json_snapshot_reloads_without_leaking() -> None:
    from exports.json_data import load

    snapshot = FORMATS["json"](_corpus_report(annex=True))
    again = load(snapshot)
    assert FORMATS["json"](again) == snapshot
    for fmt, text in _texts(again).items():
        assert leaked(IN_REPORT, text) == [], fmt


def test_without_the_annex_no_comment_text_is_published() -> None:
    report = _corpus_report(annex=False)
    texts = _texts(report)
    for fmt, text in texts.items():
        assert "附件：意见汇总表" not in text and "【手机号码已隐去】" not in text, fmt
    data = json.loads(texts["json"])
    assert data["comments_included"] is False and all(op["comments"] == [] for op in data["opinions"])


def test_a_name_is_masked_only_in_its_own_submitters_text() -> None:
    """跨境电商 typed as a name masks nothing; a real name masks only its own submitter's text. (A two-character name:
    three-character ones like 李春华 are masked anywhere without a cue, draft.contacts.bare_name_spans.)"""
    members = [MemberComment("跨境电商发展很重要，我是李娜的同事。", name="跨境电商"),
               MemberComment("我是负责人李娜，建议支持跨境电商。", name="李娜")]
    report = Report(draft_title="某计划(征求意见稿)", issuer="天津市商务局", include_comment_annex=True,
                    opinions=[Opinion("建议支持跨境电商。", decision="采纳", comments=members)])
    assert report.check() == []
    md = FORMATS["md"](report).decode("utf-8")
    assert "跨境电商发展很重要，我是李娜的同事。" in md
    assert "我是负责人【姓名已隐去】，建议支持跨境电商。" in md
