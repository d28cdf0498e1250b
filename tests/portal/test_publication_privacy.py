"""Issue 8, items 4 and 5 through the portal: nothing personal in any public output or receipt page, however
it is written; consent for organisation names; the 附意见原文 setting; publication checks that block
placeholders, topics that contradict the chart, and name opinions as the report numbers them."""

from __future__ import annotations

import json
import re

import pytest

from comment_portal.db import get_db, one, rows, write
from comment_portal.store import groups as group_q
from comment_portal.store import reports as report_q
from tests.exports.redaction_corpus import evasions, leaked
from tests.helpers import (
    FOREX,
    OVERSEAS,
    TALENT,
    add_comment,
    consultation,
    csrf_token,
    decide,
    make_group,
    post_comment,
    public_outputs,
    publish,
    published_rows,
)

EVASIONS = evasions()


def set_annex(admin_client, on: bool):
    token = csrf_token(admin_client, "/staff/c/seed/settings")
    data = {"csrf_token": token, "categories": "采纳\n部分采纳\n未采纳\n已体现（已有相关规定）\n不属于征求意见范围",
            "reason_templates": "模板一", "issuing_body": "", "published_where": "",
            "publish_comment_text": "1" if on else "0"}
    return admin_client.post("/staff/c/seed/settings", data=data)


def post_from_new_client(app, key: str | None = None, address: str = "10.8.0.1", **fields) -> str:
    """A comment through the web form, from a client of its own (its own session and address); its receipt code."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = post_comment(client, key=key, **fields)
    assert response.status_code == 303, response.get_data(as_text=True)
    return re.search(r'id="receipt-code">([^<]+)<', client.get(response.headers["Location"]).get_data(as_text=True))[1]


def lookup(client, code: str) -> str:
    token = csrf_token(client, "/receipt")
    return client.post("/receipt", data={"csrf_token": token, "code": code}).get_data(as_text=True)


def store_corpus(app) -> list[int]:
    """Every evasion as a comment with its own 姓名: half decided one by one, half in unsummarised groups
    of four (their summary is the representative comment itself)."""
    ids = [add_comment(app, case.text, "3.3.12", name=case.name, contact="13700001111") for case in EVASIONS]
    half = len(ids) // 2
    for i in range(0, half, 4):
        with app.app_context():
            db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
            with write(db):
                gid = group_q.create(db, c.id, now=now, kind="topic", title=f"分组{i}", clause_key="3.3.12",
                                     representative_id=ids[i], edited=False)
                group_q.move_comments(db, ids[i:i + 4], gid, now=now)
        decide(app, group=gid, category="采纳")
    for cid in ids[half:]:
        decide(app, comment=cid, category="采纳")
    return ids


@pytest.mark.parametrize("annex", [True, False])
def test_no_evasion_leaks_from_any_public_output_or_receipt(app, seeded, admin_client, client, annex):
    if annex:
        assert set_annex(admin_client, True).status_code == 303
    ids = store_corpus(app)
    # A few through the web form too (the sanitiser drops some invisible characters before storage).
    web = [post_from_new_client(app, "3.3.12", f"10.8.0.{n}", body=case.text, name=case.name)
           for n, case in enumerate(EVASIONS[:6], start=1)]
    with app.app_context():
        web_ids = [one(get_db(), "SELECT id FROM comments WHERE receipt_code = ?", [code])["id"] for code in web]
    for cid in web_ids:
        decide(app, comment=cid, category="采纳")
    assert report_q.problems(_build(app)) == []
    assert publish(admin_client, identity="masked").status_code == 303
    outputs = public_outputs(client)
    for where, text in outputs.items():
        assert "【手机号码已隐去】" in text, where  # the comments are there (as summaries at least), masked
        assert leaked(EVASIONS, text) == [], where
    data = json.loads(outputs["json"])
    assert data["comments_included"] is annex
    with app.app_context():
        codes = [r["receipt_code"] for r in rows(get_db(), "SELECT receipt_code FROM comments ORDER BY id")]
    for code in codes[::4] + web:  # every group's representative and a spread of singles
        page = lookup(client, code)
        assert "采纳情况（摘自已发布的采纳情况反馈第1版）" in page
        assert leaked(EVASIONS, page) == [], code
    assert len(ids) >= 60


def test_receipt_masks_again_what_an_older_version_published(app, seeded, admin_client, client):
    """A snapshot published before redaction knew a form still holds it; the receipt page masks it."""
    cid = add_comment(app, "建议放宽结汇额度，电话1 3 9 0 2 2 1 5 5 6 6，我是刘建国。", "3.3.12", name="刘建国")
    decide(app, comment=cid, category="采纳")
    assert publish(admin_client).status_code == 303
    with app.app_context():
        db = get_db()
        row = published_rows(app)[0]
        document = json.loads(row["report_json"])
        document["opinions"][0]["summary"] = "建议放宽结汇额度，电话1 3 9 0 2 2 1 5 5 6 6，我是刘建国。"
        with write(db):
            db.execute("UPDATE published_reports SET report_json = ? WHERE id = ?",
                       [json.dumps(document, ensure_ascii=False), row["id"]])
        code = one(db, "SELECT receipt_code FROM comments WHERE id = ?", [cid])["receipt_code"]
    page = lookup(client, code)
    assert "建议放宽结汇额度" in page and "【手机号码已隐去】" in page
    assert "1 3 9" not in page and "刘建国" not in page


# -- who is named ----------------------------------------------------------------------------------------

def test_organisation_name_needs_the_unticked_consent_box(app, seeded, admin_client, client):
    form = client.get("/c/seed/comment/3.1").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="publish_organisation"[^>]*>', form).group()
    assert 'type="checkbox"' in box and "checked" not in box
    assert "同意公开单位名称" in form
    post_from_new_client(app, "3.1", "10.8.1.1", body=OVERSEAS, submitter_type="企业", name="天津甲乙跨境电商有限公司",
                         publish_organisation="y")
    post_from_new_client(app, "3.1", "10.8.1.2", body=OVERSEAS + "谢谢。", submitter_type="企业",
                         name="天津丙丁物流有限公司")
    post_from_new_client(app, "3.1", "10.8.1.3", body=OVERSEAS + "望采纳。", name="王小芳",
                         publish_organisation="y")  # an individual cannot agree to be named
    with app.app_context():
        stored = rows(get_db(), "SELECT name, publish_organisation FROM comments ORDER BY id")
    assert [r["publish_organisation"] for r in stored] == [1, 0, 0]
    gid = make_group(app, list(range(1, 4)), key="3.1", title="海外仓建设", summary="建议加大对海外仓建设的资金支持。")
    decide(app, group=gid, category="采纳")
    assert publish(admin_client, identity="masked").status_code == 303
    for where, text in public_outputs(client).items():
        assert "天津甲乙跨境电商有限公司" in text, where
        assert "天津丙丁物流有限公司" not in text and "王小芳" not in text and "王*芳" not in text, where


def test_full_identity_mode_is_no_longer_offered(app, seeded, admin_client):
    page = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    assert 'value="full"' not in page and "个人不具名" in page


def test_a_name_that_is_an_ordinary_word_masks_nothing_and_blocks_nothing(app, seeded, admin_client, client):
    """Someone typed 跨境电商 as their name: it is no mask term for anyone's text and no check problem."""
    add_comment(app, "建议支持跨境电商企业建设海外仓。", "3.1", name="跨境电商")
    other = add_comment(app, "跨境电商人才缺口大，建议校企共建实训基地。", "3.2", name="李春华")
    gid = make_group(app, [1], key="3.1", title="海外仓", summary="建议支持跨境电商企业建设海外仓。")
    decide(app, group=gid, category="采纳")
    decide(app, comment=other, category="采纳")
    assert report_q.problems(_build(app)) == []
    assert publish(admin_client).status_code == 303
    page = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "建议支持跨境电商企业建设海外仓。" in page and "跨境电商人才缺口大" in page


def test_own_name_is_masked_in_own_comment_even_without_a_cue(app, seeded, admin_client, client):
    cid = add_comment(app, "我是天津某跨境电商公司负责人李春华，建议加大海外仓支持。", "3.1", name="李春华")
    decide(app, comment=cid, category="采纳")
    assert publish(admin_client).status_code == 303
    page = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "负责人【姓名已隐去】，建议加大海外仓支持。" in page and "李春华" not in page


# -- 附意见原文 ------------------------------------------------------------------------------------------

def test_comment_annex_is_a_setting_off_by_default(app, seeded, admin_client, client):
    settings = admin_client.get("/staff/c/seed/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*name="publish_comment_text"[^>]*value="0"', settings)
    assert "不附意见原文" in client.get("/c/seed/comment").get_data(as_text=True)
    assert set_annex(admin_client, True).status_code == 303
    form = client.get("/c/seed/comment").get_data(as_text=True)
    assert "将附意见原文" in form and "作为反馈的附件全文公开" in form
    with app.app_context():
        audit = rows(get_db(), "SELECT * FROM audit_log WHERE action = 'consultation.settings'")
    assert json.loads(audit[-1]["before_json"])["publish_comment_text"] == "不附原文"
    assert json.loads(audit[-1]["after_json"])["publish_comment_text"] == "附意见原文"
    cid = add_comment(app, FOREX, "3.3.12")
    decide(app, comment=cid, category="采纳")
    assert publish(admin_client).status_code == 303
    assert "附件：意见汇总表" in client.get("/c/seed/feedback").get_data(as_text=True)
    # Switching off is always allowed; switching on once comments arrived is not (they were told otherwise).
    assert set_annex(admin_client, False).status_code == 303
    refused = set_annex(admin_client, True)
    assert refused.status_code == 400 and "不能改为“附意见原文”" in refused.get_data(as_text=True)
    with app.app_context():
        assert consultation(app).publish_comment_text == 0


def test_without_the_annex_no_comment_list_is_published(app, seeded, admin_client, client):
    ids = [add_comment(app, TALENT, "3.2"), add_comment(app, TALENT + "谢谢。", "3.2")]
    gid = make_group(app, ids, key="3.2", title="人才培养", summary="建议加强跨境电商人才培养。")
    decide(app, group=gid, category="采纳")
    assert publish(admin_client).status_code == 303
    outputs = public_outputs(client)
    assert "附件：意见汇总表" not in outputs["page"] and TALENT not in outputs["page"]
    assert json.loads(outputs["json"])["comments_included"] is False


# -- item 5: publication checks ----------------------------------------------------------------------------

def _build(app) -> report_q.Built:
    with app.app_context():
        return report_q.build(get_db(), consultation(app))


def test_an_unfilled_reason_template_blocks_publishing_with_a_link(app, seeded, admin_client):
    first = add_comment(app, OVERSEAS, "3.1")
    cid = add_comment(app, FOREX, "3.3.12")
    gid = make_group(app, [first], key="3.1", title="海外仓", summary="建议支持海外仓建设。")
    decide(app, group=gid, category="采纳")
    decide(app, comment=cid, category="已体现（已有相关规定）", reason="该建议已在《…》第X条中体现。")
    response = publish(admin_client)
    assert response.status_code == 409 and not published_rows(app)
    page = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    item = re.search(r"<li>(意见(\d+)（[^<]*未填写的模板占位符[^<]*)<a href=\"([^\"]+)\">去处理</a></li>", page)
    assert item, page
    assert "“《…》”、“第X条”" in item.group(1)
    assert item.group(3) == f"/staff/c/seed/comments/{cid}#decision-c{cid}"
    # 意见N is the opinion the preview prints as 意见N.
    number = item.group(2)
    block = re.search(rf'<div class="opinion" id="opinion-{number}">.*?</div>', page, re.DOTALL).group()
    assert "该建议已在《…》第X条中体现。" in block


def test_topic_counts_what_the_chart_counts(app, seeded):
    """Reproduces 创新外汇管理服务 3条 in the summary against 8 in the chart: three comments in an analysis
    group and five decided one by one, all on 12.创新外汇管理服务."""
    grouped = [add_comment(app, FOREX + "。" * i, "3.3.12") for i in range(3)]
    singles = [add_comment(app, f"外汇结算意见{i}：建议放宽个人结汇额度。", "3.3.12") for i in range(5)]
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        with write(db):  # as the analysis leaves a group: not named by staff
            gid = group_q.create(db, c.id, now=now, kind="topic", title="外汇、结算、额度", clause_key="3.3.12",
                                 representative_id=grouped[0], edited=False)
            group_q.move_comments(db, grouped, gid, now=now)
    decide(app, group=gid, category="部分采纳", reason="个人结汇额度执行国家规定。")
    for cid in singles:
        decide(app, comment=cid, category="采纳")
    from exports.chart import clause_rows

    report = _build(app).report
    assert clause_rows(report) == [("12.创新外汇管理服务", 8)]
    assert [(t.label, t.count) for t in report.topics] == [("创新外汇管理服务", 8)]
    assert report.check() == []


def test_staff_wording_naming_a_submitter_is_named_by_report_number(app, seeded, admin_client):
    """The group on 3.2 is first in the database but second in the report: the message says 意见2."""
    talent = add_comment(app, TALENT, "3.2", name="钱七")
    overseas = add_comment(app, OVERSEAS, "3.1")
    gid = make_group(app, [talent], key="3.2", title="人才", summary="钱七建议加强人才培养。")
    decide(app, group=gid, category="采纳")
    decide(app, comment=overseas, category="采纳")
    built = _build(app)
    named = [p for p in report_q.problems(built) if p.code == "personal_data"]
    assert len(named) == 1 and named[0].message.startswith("意见2（三(二)创新发展模式")
    assert built.report.number_of()[named[0].opinion] == 2
    assert publish(admin_client).status_code == 409
