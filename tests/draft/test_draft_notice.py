"""Window phrases, dates and contact lines of 公告 (notices)."""

from datetime import date

import pytest

from draft import parse
from draft.notice import find_window, parse_date

D = date


@pytest.mark.parametrize(("text", "published", "window"), [
    ("此次公开征求意见时间为2024年9月25日至10月10日。", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("征求意见时间：2024年9月25日—2024年10月10日", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("时间为2024年9月25日-2024年10月10日", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("征求意见时间自2024年9月25日起至2024年10月10日止。", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("自2024年9月25日起至10月10日止", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("反馈时间为2024年12月20日至1月5日", None, (D(2024, 12, 20), D(2025, 1, 5))),
    ("时间为2024年9月25日（星期三）至2024年10月10日（星期四）", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("意见反馈截止日期为2024年10月10日。", D(2024, 9, 25), (D(2024, 9, 25), D(2024, 10, 10))),
    ("意见反馈截止日期为2024年10月10日。", None, (None, D(2024, 10, 10))),
    ("请于2024年10月10日前将意见反馈我局。", D(2024, 9, 25), (D(2024, 9, 25), D(2024, 10, 10))),
    ("征求意见时间自2024年9月25日起30日。", None, (D(2024, 9, 25), D(2024, 10, 24))),
    ("公开征求意见期为自公告发布之日起30天。", D(2024, 9, 25), (D(2024, 9, 25), D(2024, 10, 24))),
    ("公开征求意见期为自公告发布之日起30天。", None, (None, None)),
    ("征求意见期为30日。", D(2024, 9, 25), (None, None)),
    ("二〇二四年九月二十五日至二〇二四年十月十日", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("时间：2024-09-25至2024-10-10", None, (D(2024, 9, 25), D(2024, 10, 10))),
    ("欢迎提出宝贵意见。", None, (None, None)),
])
def test_window_phrases(text, published, window):
    opens, closes, _ = find_window(text, published)
    assert (opens, closes) == window


def test_working_days_are_not_guessed():
    opens, closes, warnings = find_window("自2024年9月25日起10个工作日", None)
    assert (opens, closes) == (D(2024, 9, 25), None)
    assert "工作日" in warnings[0]


def test_invalid_dates_are_ignored():
    assert parse_date("2024年2月30日") is None
    assert find_window("时间为2024年9月25日至2月30日", None)[:2] == (None, None)


def test_draft_without_notice_has_empty_notice():
    d = parse("天津市跨境电商促进办法\n第一条　为了促进发展，制定本办法。")
    n = d.notice
    assert (n.title, n.department, n.contact, n.published_on, n.opens_on, n.closes_on) == ("", "", "", None, None, None)
    assert d.title == "天津市跨境电商促进办法"
    assert d.warnings == []


def test_notice_without_window_warns():
    d = parse("关于征求《某办法（征求意见稿）》意见的公告\n现征求意见。\n联系电话：022-1234\n草案正文\n一、总则\n内容。")
    assert d.notice.title == "某办法（征求意见稿）"
    assert d.notice.closes_on is None
    assert any("截止日期" in w for w in d.warnings)


def test_notice_signature_gives_department_when_contact_has_none():
    text = ("关于征求《某方案（征求意见稿）》意见的公告\n征求意见时间为2024年1月2日至1月31日。\n"
            "联系电话：022-1234\n天津市商务局\n2024年1月2日\n草案正文\n一、目标\n内容。")
    n = parse(text).notice
    assert n.department == "天津市商务局"
    assert n.contact == "联系电话：022-1234"
    assert n.published_on == D(2024, 1, 2)


def test_numbered_notice_is_not_part_of_the_draft():
    text = ("关于公开征求《天津市跨境电商企业认定办法（征求意见稿）》意见的公告\n"
            "为做好跨境电商企业认定工作，现将《天津市跨境电商企业认定办法（征求意见稿）》公布，征求社会各界意见。\n"
            "一、征求意见时间\n2024年6月3日至2024年7月2日。\n二、意见反馈方式\n电子邮件发送至dianshang@example.gov.cn。\n"
            "联系人：电商处 张伟，电话：022-87654321\n天津市商务局\n2024年6月3日\n"
            "天津市跨境电商企业认定办法\n（征求意见稿）\n第一条　为规范跨境电商企业认定工作，制定本办法。\n"
            "第二条　本办法自发布之日起施行。")
    d = parse(text)
    assert d.title == "天津市跨境电商企业认定办法（征求意见稿）"
    assert [c.label for c in d.walk()] == ["第一条", "第二条"]
    assert (d.notice.opens_on, d.notice.closes_on) == (D(2024, 6, 3), D(2024, 7, 2))
    assert d.notice.department == "电商处"
    assert d.notice.published_on == D(2024, 6, 3)
    assert d.preamble == ""


def test_seed_notice_text_background_and_contact():
    from draft import load_seed

    n = load_seed().notice
    assert n.announcement.startswith("日前,我局草拟了《天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)》")
    assert n.announcement.endswith("感谢您的参与支持!")
    assert "联系方式" not in n.announcement and "2024年9月25日\n" not in n.announcement
    assert n.background.startswith("日前,我局草拟了") and n.background.endswith("将此文件公开向社会征求意见。")
    assert n.contact == "电商处 纪鹏,电话022-63085581,18698076228"
    assert (n.email, n.address, n.postcode) == ("", "", "")


def test_notice_with_mail_and_post():
    text = ("关于公开征求《天津市跨境电商企业认定办法（征求意见稿）》意见的公告\n"
            "为做好跨境电商企业认定工作，我局起草了《天津市跨境电商企业认定办法（征求意见稿）》，现公开征求意见。"
            "征求意见时间为2024年6月3日至2024年7月2日。\n"
            "意见建议可通过电子邮件发送至dianshang@example.gov.cn，或信函寄至天津市河西区友谊路30号天津市商务局电商处"
            "（邮编：300201），请在信封上注明“意见建议”字样。\n"
            "联系人：电商处 张伟，电话：022-87654321\n天津市商务局\n2024年6月3日\n"
            "草案正文\n第一条　为规范认定工作，制定本办法。\n起草说明\n一是明确认定条件。\n二是规范认定程序。\n"
            "公众意见采纳情况反馈")
    d = parse(text)
    n = d.notice
    assert n.email == "dianshang@example.gov.cn"
    assert (n.address, n.postcode) == ("天津市河西区友谊路30号天津市商务局电商处", "300201")
    assert n.announcement.split("\n")[0].startswith("为做好跨境电商企业认定工作")   # the heading line is not text
    assert "天津市商务局\n" not in n.announcement and "联系人" not in n.announcement
    assert n.background == "一是明确认定条件。\n二是规范认定程序。"
    assert [c.title for c in d.walk()] == ["第一条"]                   # the 起草说明 is not a clause


@pytest.mark.parametrize(("text", "address", "postcode"), [
    ("通讯地址：天津市和平区大沽北路158号，邮政编码300040。", "天津市和平区大沽北路158号", "300040"),
    ("邮寄地址为天津市河西区友谊路30号 邮编300201", "天津市河西区友谊路30号", "300201"),
    ("邮寄地址：天津市河西区友谊路30号（300201）", "天津市河西区友谊路30号", "300201"),
    ("联系电话：022-1234", "", ""),
])
def test_postal_address_phrases(text, address, postcode):
    from draft.notice import find_postal

    assert find_postal(text) == (address, postcode)


def test_notice_round_trips_with_its_new_fields():
    from draft import Notice

    n = Notice(title="某办法", announcement="公告。", background="说明。", email="a@b.cn", address="某路1号",
               postcode="300000")
    assert Notice.from_dict(n.to_dict()) == n
    assert Notice.from_dict({"title": "旧数据"}).announcement == ""   # drafts stored before these fields
