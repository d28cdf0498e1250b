"""The independent hostile set (tests/exports/data/redaction_hostile_h10.json): written before reading the detector's
rules, measured once on main before any change (57/80 cases fully masked, 30/30 clean texts unchanged). What is still
missed is a strict xfail with the reason, so that a fix shows as XPASS (and its marker goes in the same commit)."""

from __future__ import annotations

import pytest

from exports import MemberComment, Opinion, Report
from exports.public import redact_comment
from exports.redact import redact
from tests.exports.redaction_corpus import Case, hostile_h10, hostile_h10_round3, leaked, masked
from tests.exports.test_exports_redaction_corpus import _texts

CASES, CLEAN = hostile_h10()
ROUND3, ROUND3_CLEAN = hostile_h10_round3()

GAPS: dict[str, str] = {
}


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=GAPS[c.id], strict=True)) if c.id in GAPS else c for c in CASES
], ids=[c.id for c in CASES])
def test_hostile_case_is_masked(case: Case, vocabulary: str) -> None:
    assert case.leaks(masked(case, vocabulary)) == []


@pytest.mark.parametrize("case", CLEAN, ids=[c.id for c in CLEAN])
def test_hostile_clean_text_is_left_alone(case: Case, vocabulary: str) -> None:
    assert masked(case, vocabulary) == case.text


def test_nothing_masked_leaks_from_any_public_format() -> None:
    """The cases the detector masks stay masked in HTML, Markdown, JSON and DOCX (with the comment annex)."""
    fixed = [c for c in CASES if c.id not in GAPS]
    members = [MemberComment(c.text, name=c.name, contact="13700001111", submitter_type="个人", submitter_id=c.id)
               for c in fixed]
    report = Report(draft_title="天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)", issuer="天津市商务局",
                    opinions=[Opinion("建议完善相关条款。", decision="采纳", comments=members)], include_comment_annex=True)
    assert report.check() == []
    for fmt, text in _texts(report).items():
        assert "【手机号码已隐去】" in text, fmt
        assert leaked(fixed, text) == [], fmt


# Words the name cues added for the h10 set must not take for names: found in the 9,210 real citizen messages
# (师附中老师, 高二的老师, 居民阳光, 项目副主任) or written to break the cues (市民和企业, 同事关系).
@pytest.mark.parametrize("text", [
    "投诉某县衡师附中老师强迫学生暑期补课", "监考老师不按规定用高二的老师", "请还荷花坪居民阳光", "要求廉政广场项目副主任发放工资",
    "要服务好市民和企业，简化流程。", "处理好同事关系，才能干好工作。", "协会副会长单位应带头。", "建议商协会会长牵头。",
])
def test_new_name_cues_leave_words_alone(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize(("text", "secret"), [
    ("秘书长：韩志刚", "韩志刚"), ("吴小阳老师职称评定时请人代考", "吴小阳"), ("我朋友张伟和李娜都做跨境电商。", "李娜"),
    ("户名：欧阳明月", "欧阳明月"), ("邻居王 建 国也支持。", "王建国"),
])
def test_new_name_cues_mask(text: str, secret: str) -> None:
    assert secret not in redact(text)[0].replace(" ", "")


# What the address forms added for the h10 set must leave alone: a building alone holds many homes, dates and codes
# have dashes, rows and groups are also seats and teams.
@pytest.mark.parametrize("text", [
    "地铁2号线3号出口附近应设自提点。", "请在2024-10-05前答复，编号1-2-300。", "高新区软件园3号楼是孵化基地。",
    "科技园A座大厅可以办理。", "第三排六号座位的观众", "第三组第五号选手", "村里第三队的合作社有45户。", "ISO 9001-2015-1000 标准",
    "示范园区1-2-3期工程",
])
def test_new_address_forms_leave_text_alone(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize(("text", "expected"), [
    # a name beside a contact detail, with no cue word
    ("王建华 18622007444 天津某企业", "【姓名已隐去】 【手机号码已隐去】 天津某企业"),
    ("电话13820019876（李明轩）", "电话【手机号码已隐去】（【姓名已隐去】）"),
    ("电话13820019876（周一至周五）", "电话【手机号码已隐去】（周一至周五）"),
    ("电话13820019876（周末）", "电话【手机号码已隐去】（周末）"),
    ("联系电话：13820019876 王先生", "联系电话：【手机号码已隐去】 王先生"),
    ("QQ：2837465510 曹总", "QQ：【账号已隐去】 曹总"),
    # found while fixing: a phone before 万分感谢 / 万望 / 元旦 was read as an amount of money and published
    ("有事请联系13820019876万分感谢", "有事请联系【手机号码已隐去】万分感谢"),
    ("手机：13820019876 万望回复", "手机：【手机号码已隐去】 万望回复"),
    ("电话13820019876元旦后再打", "电话【手机号码已隐去】元旦后再打"),
    ("卡号6222021234567890128元", "卡号【银行卡号已隐去】元"),
    ("交易额13800000000元，年增长13800000000万元", "交易额13800000000元，年增长13800000000万元"),
    # a signature line
    ("建议如下。\n谢谢！\n王 建 国", "建议如下。\n谢谢！\n【姓名已隐去】"),
    ("意见如上。\n谢谢\n2024年10月5日", "意见如上。\n谢谢\n2024年10月5日"),
    ("建议增加补贴。\n武清区\n2024年10月5日", "建议增加补贴。\n武清区\n2024年10月5日"),
    ("第一条太笼统。\n高质量发展\n2024年10月5日", "第一条太笼统。\n高质量发展\n2024年10月5日"),
    ("此致\n敬礼\n和平区商务局", "此致\n敬礼\n和平区商务局"),
])
def test_names_beside_contacts_and_signatures(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


# A second round, written after the first fixes (so by someone who had read the rules): PDF line breaks inside a
# number, +86 (0)22, QQ邮箱, 加我：, identity documents other than the 身份证 and a car's VIN, traditional characters.
@pytest.mark.parametrize(("text", "expected"), [
    ("联系电话：138\n0011\n2345", "联系电话：【手机号码已隐去】"),
    ("身份证：120101\n199508087777", "身份证：【身份证号码已隐去】"),
    ("Tel: +86 (0)22 2345 6789", "Tel: +【电话号码已隐去】"),
    ("QQ邮箱：283746551", "QQ邮箱：【账号已隐去】"),
    ("加我：tj-liu88", "加我：【账号已隐去】"),
    ("护照号码：EA1234567", "护照号码：【证件号码已隐去】"),
    ("港澳通行证C12345678", "港澳通行证【证件号码已隐去】"),
    ("社保卡号1201011995", "社保卡号【证件号码已隐去】"),
    ("车架号LSVAA4180E2123456", "车架号【证件号码已隐去】"),
    ("聯繫人：劉建國", "聯繫人：【姓名已隐去】"),
    ("姓名：歐陽明月", "姓名：【姓名已隐去】"),
    # and what must stay
    ("2023年\n2024年\n2025年", "2023年\n2024年\n2025年"),
    ("13.5\n14.2\n15.1", "13.5\n14.2\n15.1"),
    ("护照办理要简化，驾照考试2024年起改革，签证：L类。", "护照办理要简化，驾照考试2024年起改革，签证：L类。"),
    ("欢迎加我们的协会", "欢迎加我们的协会"),
])
def test_second_round(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


def test_traditional_surnames_are_opencc_s2t() -> None:
    import opencc

    from draft.contacts import COMPOUND_SURNAMES, COMPOUND_SURNAMES_TRADITIONAL, SURNAMES, SURNAMES_TRADITIONAL

    convert = opencc.OpenCC("s2t").convert
    assert set(SURNAMES_TRADITIONAL) == {ch for ch in convert(SURNAMES) if ch not in SURNAMES}
    assert COMPOUND_SURNAMES_TRADITIONAL == [convert(s) for s in COMPOUND_SURNAMES if convert(s) != s]


# An organisation's name is published as written when it agreed (identity="full"); a person named in the field is not.
@pytest.mark.parametrize(("organisation", "expected"), [
    ("经营者：王建国", "经营者：【姓名已隐去】"),
    ("天津滨海电商产业园运营有限公司 法人代表 吴海", "天津滨海电商产业园运营有限公司 法人代表 【姓名已隐去】"),
    ("法定代表人：欧阳明月", "法定代表人：【姓名已隐去】"),
    ("天津海河贸易有限公司 王建华 13800112345", "天津海河贸易有限公司 【姓名已隐去】 【手机号码已隐去】"),
    ("天津港（集团）有限公司", "天津港（集团）有限公司"),
    ("法人单位", "法人单位"),
    ("业主委员会", "业主委员会"),
])
def test_a_person_in_an_organisation_field_is_masked(organisation: str, expected: str) -> None:
    assert redact(organisation, identity="full")[0] == expected


# -- round 3 (tests/exports/data/redaction_hostile_h10_round3.json): measured once on this branch before changes for it,
# 14/28 cases fully masked, 20/20 clean texts unchanged.

ROUND3_GAPS: dict[str, str] = {
    "r3-pinyin-lower": "a lower-case pinyin name without a cue (liu jianguo)",
}


@pytest.mark.parametrize("case", [
    pytest.param(c, marks=pytest.mark.xfail(reason=ROUND3_GAPS[c.id], strict=True)) if c.id in ROUND3_GAPS else c
    for c in ROUND3
], ids=[c.id for c in ROUND3])
def test_round3_case_is_masked(case: Case, vocabulary: str) -> None:
    assert case.leaks(masked(case, vocabulary)) == []


@pytest.mark.parametrize("case", ROUND3_CLEAN, ids=[c.id for c in ROUND3_CLEAN])
def test_round3_clean_text_is_left_alone(case: Case, vocabulary: str) -> None:
    assert masked(case, vocabulary) == case.text


@pytest.mark.parametrize("text", [
    # what the round-3 rules must leave alone
    "本人是高中生，也关心跨境电商。", "负责人是否到位要考核。", "请走绿色通道1号窗口。", "在1号车道排队。", "便道3号门",
    "We agree.\nThanks,\nTianjin Commerce Association", "老王（个体户）也支持。", "姓名栏请填写真实姓名。",
    "我是天津·滨海的企业，中国·天津跨境电商发展很快。",
])
def test_round3_rules_leave_words_alone(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize("text", [
    # attacks on the relation, weak-cue and list rules: common words that begin with a surname (jieba's dictionary
    # knows them), and 老公司 (not 老公 + 司…)
    "老公司员工，都支持。", "我儿子高考，也关心跨境电商。", "女儿高中，想学外贸。", "同学方便时，可以来参观。", "儿子高兴，我也高兴。",
    "我是高中生，想学跨境电商。",
])
def test_weak_cues_leave_common_words_alone(text: str) -> None:
    assert redact(text)[0] == text


@pytest.mark.parametrize(("text", "secret"), [
    pytest.param("张伟说第十条不合理，我也这么认为。", "张伟", marks=pytest.mark.xfail(
        strict=True, reason="a two-character name in running text with no cue, title, list or contact detail beside "
                            "it: telling 张伟说 from 高峰说 needs a person-name recogniser (NER), which redaction does not "
                            "have; staff must read the annex before publishing it")),
    # three characters, a surname and two given-name characters in no dictionary word (draft.contacts.bare_name_spans)
    ("这件事陈志强最清楚。", "陈志强"),
])
def test_a_bare_name_in_running_text(text: str, secret: str) -> None:
    assert secret not in redact(text)[0]


@pytest.mark.parametrize(("text", "expected"), [
    # a person's role before a colon, and more cue words (a fourth look, after round 3)
    ("申请人：王建国", "申请人：【姓名已隐去】"), ("来电人：李娜", "来电人：【姓名已隐去】"), ("联络员：李娜", "联络员：【姓名已隐去】"),
    ("企业代表：李娜", "企业代表：【姓名已隐去】"), ("签字：王建国", "签字：【姓名已隐去】"), ("我的姓名是李娜", "我的姓名是【姓名已隐去】"),
    ("收件人：各区商务主管部门", "收件人：各区商务主管部门"), ("承办人：商务局", "承办人：商务局"), ("受益人：小微企业", "受益人：小微企业"),
    ("工作人员：全体", "工作人员：全体"), ("参与人员：各区商务局", "参与人员：各区商务局"),
])
def test_roles_before_a_colon(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a name followed by a verb of saying (in running text a name is seldom followed by punctuation)
    ("经与市民张秀英沟通，", "经与市民【姓名已隐去】沟通，"),
    ("联系人王建国表示支持。", "联系人【姓名已隐去】表示支持。"),
    # staff wording is checked with the same rules before publication: a surname with a form of address, a placeholder
    # and common words must not block it
    ("采纳市民王女士、李先生的意见。", "采纳市民王女士、李先生的意见。"),
    ("同事王总，秘书长王某某，", "同事王总，秘书长王某某，"),
    ("本人高度认为，市民普遍反映，居民纷纷表示。", "本人高度认为，市民普遍反映，居民纷纷表示。"),
])
def test_names_before_verbs_and_staff_wording(text: str, expected: str) -> None:
    assert redact(text)[0] == expected


@pytest.mark.parametrize(("name", "text", "expected"), [
    # a submitter who types the 姓名 field in traditional characters: their own name is masked in either script
    ("劉建國", "劉建國建議簡化流程。", "【姓名已隐去】建議簡化流程。"),
    ("劉建國", "刘建国建议简化流程。", "【姓名已隐去】建议简化流程。"),
    ("歐陽明月", "歐陽明月建議簡化流程。", "【姓名已隐去】建議簡化流程。"),
    ("跨境電商", "跨境電商很重要。", "跨境電商很重要。"),  # a word in traditional characters is still no name
])
def test_an_own_name_typed_in_traditional_characters(name: str, text: str, expected: str) -> None:
    assert redact_comment(MemberComment(text, name=name))[0] == expected


@pytest.mark.parametrize("name", [
    # what people type into the 姓名 field around their name: their own name is still masked in their text
    "刘建国先生", "刘建国（个人）", "刘建国 13800112345", "刘建国/刘先生", "刘先生/刘建国", "刘建国。", "市民刘建国",
    "刘建国(wjg@qq.com)",
])
def test_an_own_name_with_extras_in_the_name_field(name: str) -> None:
    masked = redact_comment(MemberComment("我是刘建国，刘建国建议简化流程。", name=name))[0]
    assert masked == "我是【姓名已隐去】，【姓名已隐去】建议简化流程。"


@pytest.mark.parametrize(("name", "plausible"), [
    ("liu jianguo", True), ("LIU JIANGUO", True), ("Liu Jianguo <ljg@qq.com>", True),  # pinyin in one case
    ("amazon global", False), ("Amazon", False), ("跨境电商", False), ("高质量（企业）", False),
])
def test_which_name_fields_hold_a_personal_name(name: str, plausible: bool) -> None:
    from exports.redact import looks_like_personal_name

    assert looks_like_personal_name(name) is plausible
