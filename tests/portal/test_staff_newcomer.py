"""What a new 电商处 staff member meets on the staff side (h13, session 9): every clause list names clauses as the
draft numbers them, never a fragment of the draft's body as if it were a clause."""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db, rows
from tests.helpers import add_comment, decide, make_group, run_analysis

OPTION_RE = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


def _clause_options(client, url: str, name: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    select = page[page.index(f'name="{name}"'):]
    select = select[:select.index("</select>")]
    return {value: re.sub(r"（\d+）$", "", text.strip("\u3000 ")) for value, text in OPTION_RE.findall(select)}


@pytest.mark.parametrize("url,name", [("/staff/c/seed/queue", "clause"), ("/staff/c/seed/groups", "clause"),
                                      ("/staff/c/seed/enter", "clause")])
def test_unnumbered_paragraphs_are_named_as_such_not_listed_as_clauses(app, seeded, admin_client, url, name):
    options = _clause_options(admin_client, url, name)
    # The seed's annex has two unnumbered paragraphs (a1.1.p1, a1.2.p1). Listed by their first words alone
    # ("加快推进宠物用品、餐厨用具、乐器、二手商品等特色"), a reader takes them for clauses cut off mid-sentence.
    for key in ("a1.1.p1", "a1.2.p1"):
        assert "未编号段落" in options[key], options[key]
    assert not options["a1.1.p1"].startswith("加快推进")
    # A label that ends without punctuation (附件, 第一章) is kept apart from its heading.
    assert options["a1"] == "附件 天津市跨境电商产业空间及区域功能布局"
    assert options["3.1.1"] == "1.加强头部企业培育引进"


def test_groups_offered_in_select_lists_name_their_clause_unambiguously(app, seeded, admin_client):
    """The seed has four clauses labelled (三). A merge or move target listed as 名称（(三)，1条） does not say which
    (三): the lists cite the clause as the groups page does (四(三)强化政策引导)."""
    a = add_comment(app, "建议优化跨境电商监管方式，推行包容审慎监管，减少重复检查。", "3.3")
    b = add_comment(app, "建议加大政策引导力度，设立跨境电商专项资金，明确申报条件。", "4.3")
    first = make_group(app, [a], key="3.3", title="监管方式")
    make_group(app, [b], key="4.3", title="政策引导")
    merge = _clause_options(admin_client, f"/staff/c/seed/groups/{first}", "target")
    assert any("政策引导（四(三)强化政策引导" in text for text in merge.values()), merge
    queue = admin_client.get("/staff/c/seed/queue").get_data(as_text=True)
    assert "监管方式（三(三)优化跨境电商监管" in queue and "政策引导（四(三)强化政策引导" in queue
    comment_page = _clause_options(admin_client, f"/staff/c/seed/comments/{a}", "group")
    assert any("政策引导（四(三)强化政策引导" in text for text in comment_page.values()), comment_page


def test_an_unsettled_advert_proposal_is_named_as_such_on_the_report_check(app, seeded, admin_client):
    """An advert the analysis proposed as 疑似广告 and nobody confirmed blocked the report as 意见1…尚未作出采纳决定:
    a new staff member then opens it to decide 采纳 or 未采纳 on an advert. The check says what it is and what to do."""
    add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10")
    advert = add_comment(app, "加微信 abc12345 代办进出口权、代开发票，低价出售跨境店铺，联系QQ 888888。")
    run_analysis(app)
    with app.app_context():
        real = rows(get_db(), "SELECT id FROM groups WHERE kind != 'noise'")[0]["id"]
    decide(app, group=real, category="采纳")
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", admin_client.get("/staff/c/seed/report").get_data(as_text=True)))
    assert "疑似广告" in page and "确认为无效" in page, page[page.find("发布前检查"):][:400]
    assert advert and "/staff/c/seed/queue?noise=1" in admin_client.get("/staff/c/seed/report").get_data(as_text=True)


def test_a_refused_staff_page_stays_in_the_staff_area_and_leads_back(app, seeded, reviewer_client, admin_client):
    """A 经办 opening an admin page, or a staff form whose page expired (CSRF), got the public site's error page: its
    header, the citizens' footer (您提交的联系方式仅用于…), and 返回首页 to the public home page."""
    refused = reviewer_client.get("/staff/c/seed/export.csv")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert "意见处理工作台" in text and 'href="/staff/"' in text and "管理员" in text
    assert "您提交的联系方式" not in text

    gid = make_group(app, [add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。", "3.3.10")],
                     key="3.3.10")
    expired = admin_client.post(f"/staff/c/seed/groups/{gid}/update", data={"csrf_token": "expired", "title": "海外仓",
                                                                          "summary": "写了很久的归纳意见"},
                                headers={"Referer": f"http://localhost/staff/c/seed/groups/{gid}"})
    text = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "写了很久的归纳意见" in text
    assert f'href="/staff/c/seed/groups/{gid}"' in text and "意见处理工作台" in text
    assert "您提交的联系方式" not in text


SHORT_LETTER = ("关于第三条的意见：建议增加补贴。关于第五条的意见：人才培养应面向中职。关于附件：表格中的目标值偏高，建议下调。"
                "另外，第十二条应与第十三条合并，便于执行。总体上，本计划方向正确，但缺少考核机制，建议增加年度评估。")


def test_a_short_letter_naming_several_items_gets_one_of_them_suggested(app, seeded, admin_client):
    """Seen on the comment page of the demo (h13's walkthrough): the letter is under LETTER_MIN_CHARS (120), so
    it is not split; the suggestions are all the staff member gets. It got five annex items: the word 附件 anywhere
    switched every numbered mention to the annex's numbering (fixed by h12: only the numbers after it or in its
    sentence, and the body's when the annex has no such number)."""
    from analysis.clauses import suggest_clauses
    from draft import load_seed

    top = suggest_clauses(SHORT_LETTER, load_seed(), 5)
    assert {"3.3.12", "3.4.13", "4.2"} & set(top), top


HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(range(256)) * 4


@pytest.mark.parametrize("name,data,hint", [
    ("IMG_0001.HEIC", HEIC, "HEIC"),
    ("IMG_0002.JPG", HEIC, "HEIC"),  # renamed by hand: still what iPhones send
    ("意见.txt", "我的意见：建议把租赁的海外仓也纳入补贴范围。\n联系人：王先生".encode("gb18030"), "粘贴"),
    ("notes.txt", "建议增加补贴。".encode(), "粘贴"),
])
def test_a_refused_photo_or_text_file_says_what_to_do_instead(app, seeded, client, name, data, hint):
    """An iPhone photo (HEIC) or a .txt got 无法识别的文件类型 and the list of accepted types, nothing about why a
    photo is not a JPG, or that a text file's words can be pasted into the form."""
    from tests.helpers import post_comment_with_files

    page = post_comment_with_files(client, [(name, data)]).get_data(as_text=True)
    refusal = re.search(rf"附件“{re.escape(name)}”未能接收：([^<]+)", page).group(1)
    assert hint in refusal, refusal


def test_an_unknown_binary_keeps_the_plain_answer(app, seeded, client):
    from tests.helpers import post_comment_with_files

    page = post_comment_with_files(client, [("data.bin", bytes(range(256)) * 8)]).get_data(as_text=True)
    refusal = re.search(r"附件“data.bin”未能接收：([^<]+)", page).group(1)
    assert refusal.startswith("无法识别的文件类型") and "HEIC" not in refusal and "粘贴" not in refusal


@pytest.mark.parametrize("url,field,text", [
    ("/staff/c/seed/window/schedule", "short_reason", "本计划需在年底前报市政府审议，征求意见期相应缩短为16日，我们写了半小时的理由。"),
    ("/staff/site", "office_name", "天津市商务局电子商务处（跨境电商科）"),
    ("/staff/site", "footer_contact", "联系电话：022-58665800（工作日 9:00-17:00）"),
    ("/staff/c/seed/settings", "published_where", "天津市商务局网站、天津政务网“政民互动”栏目"),
])
def test_every_staff_text_box_is_shown_back_when_its_page_expired(app, seeded, admin_client, url, field, text):
    """The 缩短理由 (shown on the public page), the site's 机关全称 and footer, the report's 发布渠道 were not among the
    boxes shown back after a page expired (CSRF) or a login ended: what was typed there was lost."""
    expired = admin_client.post(url, data={"csrf_token": "expired", field: text})
    assert expired.status_code == 400 and text in expired.get_data(as_text=True)


def _report_text(client) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get("/staff/c/seed/report").get_data(as_text=True)))


def test_the_report_names_the_site_of_the_sponsor_not_of_the_division(app, seeded, admin_client):
    """make run sets 机关全称 天津市商务局电商处 and 主办单位 天津市商务局; the report then said the draft was published
    '在天津市商务局电商处网站' — a division has no website of its own; the site is the sponsor's."""
    from comment_portal.store import site_settings

    with app.app_context():
        site_settings.update(get_db(), {"office_name": "天津市商务局电商处", "sponsor": "天津市商务局"}, staff=None,
                             now=app.extensions["clock"].now())
    decide(app, group=make_group(app, [add_comment(app, "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准。",
                                                   "3.3.10")], key="3.3.10"), category="采纳")
    text = _report_text(admin_client)
    assert "在天津市商务局网站公开征求" in text and "电商处网站" not in text


def test_a_cut_off_analysis_title_is_not_published_as_a_topic(app, seeded, admin_client):
    """Saving a group's 归纳意见 keeps its title, and a staff-kept title becomes a topic of 意见主要集中在…: the
    analysis's cut-off title '强烈建议市商务局对跨境电商中小企业给予房租减免和…' went into the public sentence."""
    ids = [add_comment(app, f"强烈建议市商务局对跨境电商中小企业给予房租减免和资金扶持，帮助中小企业渡过难关{'。' * n}")
           for n in range(1, 4)]
    gid = make_group(app, ids, title="强烈建议市商务局对跨境电商中小企业给予房租减免和…", summary="建议给予中小企业房租减免。")
    decide(app, group=gid, category="采纳")
    text = _report_text(admin_client)
    assert "截断" in text and "请修改分组名称" in text


def test_the_report_checks_fix_link_lands_on_the_groups_name_and_summary(app, seeded, admin_client):
    """去处理 of a title or summary problem links to the group's page at #text-title; the group page had no such
    anchor, so a new staff member landed at the top of a long page."""
    ids = [add_comment(app, f"强烈建议市商务局对跨境电商中小企业给予房租减免和资金扶持，帮助中小企业渡过难关{'。' * n}")
           for n in range(1, 4)]
    gid = make_group(app, ids, title="强烈建议市商务局对跨境电商中小企业给予房租减免和…", summary="建议给予中小企业房租减免。")
    decide(app, group=gid, category="采纳")
    report = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    link = f"/staff/c/seed/groups/{gid}#text-title"
    assert link in report
    group_page = admin_client.get(link.split("#")[0]).get_data(as_text=True)
    assert re.search(r'<form[^>]*id="text-title"', group_page)
