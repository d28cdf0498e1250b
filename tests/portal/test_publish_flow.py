"""Preview, publish (admin only, blocked by check()), immutable versions, public page and downloads."""

from __future__ import annotations

import io
import json

import pytest

from comment_portal.db import get_db, rows
from comment_portal.store import decisions as decision_q
from comment_portal.store import published as published_q
from comment_portal.store import reports as report_q
from tests.helpers import (
    FOREX,
    OVERSEAS,
    TALENT,
    add_comment,
    consultation,
    csrf_token,
    decide,
    docx_text,
    make_group,
    post_comment,
    public_outputs,
    publish,
    published_rows,
)

PHONE, EMAIL, ID_NUMBER = "13812345678", "wang.fang@example.com", "110101199003074578"
PRIVATE = "022-23456789"
PERSON = "王小芳"
LEAKY = f"我是{PERSON}，建议增加海外仓补贴，请打{PHONE}或发邮件到{EMAIL}，身份证{ID_NUMBER}。"


@pytest.fixture
def ready(app, seeded):
    """Two groups and a leaky single comment, all decided."""
    overseas = [add_comment(app, OVERSEAS, "3.1", name="张三", contact="13900001111"),
                add_comment(app, OVERSEAS + "谢谢。", "3.1", name="李四", contact="lisi@example.com")]
    talent = [add_comment(app, TALENT, "3.2"), add_comment(app, TALENT + "望采纳。", "3.2", submitter_type="企业",
                                                           name="天津某某科技有限公司", publish_organisation=True)]
    leaky = add_comment(app, LEAKY, "3.1", name=PERSON, contact=PRIVATE)
    spam = add_comment(app, "广告", status="spam")
    g1 = make_group(app, overseas, key="3.1", title="海外仓建设", summary="建议加大对海外仓建设的资金支持。")
    g2 = make_group(app, talent, key="3.2", title="人才培养", summary="建议加强跨境电商人才培养。")
    decide(app, group=g1, category="采纳", revised_text="对企业建设海外仓给予资金补贴。")
    decide(app, group=g2, category="未采纳", reason="该建议涉及国家层面政策，超出本计划调整范围。")
    decide(app, comment=leaky, category="已体现（已有相关规定）", reason="该建议已在《计划》第3条中体现。")
    return {"groups": [g1, g2], "overseas": overseas, "talent": talent, "leaky": leaky, "spam": spam}


def test_publish_is_blocked_by_check_problems(app, seeded, admin_client):
    ids = [add_comment(app, OVERSEAS, "3.1"), add_comment(app, FOREX, "3.3")]
    gid = make_group(app, ids[:1], key="3.1")
    preview = admin_client.get("/staff/c/seed/report")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "尚未作出采纳决定" in page and "处理完毕后才能发布" in page
    response = publish(admin_client)
    assert response.status_code == 409
    assert "暂不能发布" in response.get_data(as_text=True)
    assert published_rows(app) == []
    with app.app_context():
        assert rows(get_db(), "SELECT * FROM audit_log WHERE action = 'report.publish'") == []
    # The ungrouped comment counts too: deciding only the group is not enough.
    decide(app, group=gid, category="采纳")
    assert publish(admin_client).status_code == 409
    decide(app, comment=ids[1], category="未采纳", reason="超出本计划调整范围。")
    assert publish(admin_client).status_code == 303
    assert [r["version"] for r in published_rows(app)] == [1]


def test_preview_shows_the_report_and_a_standalone_document(app, ready, admin_client):
    page = admin_client.get("/staff/c/seed/report?identity=masked").get_data(as_text=True)
    assert "检查通过，可以发布" in page and "建议加大对海外仓建设的资金支持。" in page
    assert " style=" not in page and "<style" not in page and "<script" not in page
    document = admin_client.get("/staff/c/seed/report?identity=masked&view=document")
    assert document.get_data(as_text=True).startswith("<!DOCTYPE html>")
    assert "script-src 'self';" in document.headers["Content-Security-Policy"]
    assert published_rows(app) == []  # previewing publishes nothing


def test_publish_creates_versions_and_earlier_ones_stay_unchanged(app, ready, admin_client, client):
    assert client.get("/c/seed/feedback").status_code == 404
    assert "尚未发布" in client.get("/c/seed/feedback").get_data(as_text=True)

    assert publish(admin_client).status_code == 303
    v1 = published_rows(app)
    assert [r["version"] for r in v1] == [1]
    first_page = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "建议加大对海外仓建设的资金支持。" in first_page and "未采纳" in first_page
    assert "对企业建设海外仓给予资金补贴。" in first_page  # the revised wording is quoted
    first_docx = docx_text(client.get("/c/seed/feedback/v1.docx").data)
    first_md = client.get("/c/seed/feedback/v1.md").data

    # Staff change a decision and publish again.
    decide(app, group=ready["groups"][1], category="部分采纳", reason="将在实施细则中研究。")
    assert publish(admin_client, identity="masked").status_code == 303
    both = published_rows(app)
    assert [r["version"] for r in both] == [1, 2]
    assert both[0] == v1[0]  # the stored v1 row is untouched
    latest = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "将在实施细则中研究。" in latest and "第2版" in latest
    assert 'href="/c/seed/feedback/v1"' in latest
    old = client.get("/c/seed/feedback/v1")
    assert old.status_code == 200
    old_page = old.get_data(as_text=True)
    assert "将在实施细则中研究。" not in old_page and "查看最新版本（第2版）" in old_page
    # DOCX bytes carry zip timestamps; its text must be the same.
    assert docx_text(client.get("/c/seed/feedback/v1.docx").data) == first_docx
    assert client.get("/c/seed/feedback/v1.md").data == first_md
    assert client.get("/c/seed/feedback/v3").status_code == 404
    with app.app_context():
        audit = rows(get_db(), "SELECT * FROM audit_log WHERE action = 'report.publish' ORDER BY id")
    assert [json.loads(a["after_json"])["version"] for a in audit] == [1, 2]
    assert audit[0]["actor"] == "admin1"


def test_chinese_route_and_draft_page_link(app, ready, admin_client, client):
    assert "查看公众意见采纳情况反馈" not in client.get("/c/seed").get_data(as_text=True)
    publish(admin_client)
    assert client.get("/c/seed/反馈").data == client.get("/c/seed/feedback").data
    assert 'href="/c/seed/feedback"' in client.get("/c/seed").get_data(as_text=True)


def test_downloads_are_rendered_from_the_stored_snapshot(app, ready, admin_client, client):
    import exports

    publish(admin_client, identity="masked")
    row = published_rows(app)[0]
    data = json.loads(row["report_json"])
    public = {k: v for k, v in data.items() if k != published_q.PRIVATE_KEY}
    loaded = exports.load(public)
    # The loader reproduces exactly the same documents.
    assert exports.FORMATS["json"](loaded) == (json.dumps(public, ensure_ascii=False, indent=2) + "\n").encode()
    assert exports.FORMATS["html"](loaded).decode() == row["html"]
    for fmt in ("html", "md", "docx", "json"):
        response = client.get(f"/c/seed/feedback/v1.{fmt}")
        assert response.status_code == 200
        assert response.mimetype == exports.MEDIA_TYPES[fmt].split(";")[0]
        assert "attachment" in response.headers["Content-Disposition"]
    assert client.get("/c/seed/feedback/v1.json").get_json()["opinions"][0]["summary"]
    assert published_q.PRIVATE_KEY not in client.get("/c/seed/feedback/v1.json").get_json()
    assert client.get("/c/seed/feedback/v1.csv").status_code == 404  # staff formats are not public


@pytest.mark.parametrize("identity", ["none", "masked"])
def test_no_contact_data_in_any_public_output(app, ready, admin_client, client, identity):
    publish(admin_client, identity=identity)
    outputs = public_outputs(client)
    secrets = [PHONE, EMAIL, ID_NUMBER, PRIVATE, "13900001111", "lisi@example.com", PERSON]
    if identity == "none":
        secrets += ["张三", "李四"]
    for where, text in outputs.items():
        assert "海外仓" in text, where
        for secret in secrets:
            assert secret not in text, f"{secret} in {where}"
    if identity == "masked":
        assert "天津某某科技有限公司" in outputs["page"]  # organisations as written


def test_feedback_page_csp_forbids_inline_script(app, ready, admin_client, client):
    publish(admin_client)
    for url in ["/c/seed/feedback", "/c/seed/feedback/v1", "/c/seed/feedback/v1.html"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        directives = {d.split()[0]: d for d in csp.split("; ")}
        assert directives["script-src"] == "script-src 'self'"
        assert "'unsafe-inline'" in directives["style-src"]
        assert "<script" not in response.get_data(as_text=True)
    # Every other page keeps the strict policy.
    assert "unsafe-inline" not in client.get("/c/seed").headers["Content-Security-Policy"]


def _receipt(client, code):
    token = csrf_token(client, "/receipt")
    return client.post("/receipt", data={"csrf_token": token, "code": code}).get_data(as_text=True)


def test_receipt_shows_the_decision_only_after_publication(app, seeded, admin_client, client):
    response = post_comment(client, key="3.1", body="建议对企业建设海外仓给予资金补贴，明确申报流程。")
    assert response.status_code == 303
    with app.app_context():
        comment = rows(get_db(), "SELECT id, receipt_code FROM comments")[0]
    gid = make_group(app, [comment["id"]], key="3.1", summary="建议加大对海外仓的资金支持。")
    decide(app, group=gid, category="未采纳", reason="超出本计划调整范围。")
    before = _receipt(client, comment["receipt_code"])
    assert "超出本计划调整范围。" not in before and "未采纳" not in before

    publish(admin_client)
    after = _receipt(client, comment["receipt_code"])
    assert "建议加大对海外仓的资金支持。" in after and "未采纳" in after and "超出本计划调整范围。" in after

    # A later, unpublished change is not shown until it is published.
    decide(app, group=gid, category="部分采纳", reason="将在实施细则中研究。")
    again = _receipt(client, comment["receipt_code"])
    assert "超出本计划调整范围。" in again and "将在实施细则中研究。" not in again


def test_reviewer_cannot_publish_change_settings_or_export(app, ready, reviewer_client):
    assert reviewer_client.get("/staff/c/seed/report").status_code == 200
    token = csrf_token(reviewer_client, "/staff/c/seed/report")
    assert reviewer_client.post("/staff/c/seed/report/publish",
                                data={"csrf_token": token, "identity": "none"}).status_code == 403
    assert reviewer_client.get("/staff/c/seed/settings").status_code == 403
    assert reviewer_client.post("/staff/c/seed/settings", data={"csrf_token": token}).status_code == 403
    assert reviewer_client.get("/staff/c/seed/export.csv").status_code == 403
    assert reviewer_client.get("/staff/c/seed/export.xlsx").status_code == 403
    assert published_rows(app) == []


def test_admin_export_has_contact_details(app, ready, admin_client):
    from openpyxl import load_workbook

    csv_text = admin_client.get("/staff/c/seed/export.csv").data.decode("utf-8-sig")
    assert PRIVATE in csv_text and PHONE in csv_text and "lisi@example.com" in csv_text and "未采纳" in csv_text
    response = admin_client.get("/staff/c/seed/export.xlsx")
    assert response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "联系方式" in values and "13900001111" in values
    assert admin_client.get("/staff/c/seed/export.docx").status_code == 404


def test_settings_change_categories_issuer_and_are_audited(app, ready, admin_client):
    page = admin_client.get("/staff/c/seed/settings").get_data(as_text=True)
    assert "天津市商务局" in page  # the default issuer derived from the department
    token = csrf_token(admin_client, "/staff/c/seed/settings")
    data = {"csrf_token": token, "categories": "采纳\n部分采纳\n未采纳\n已体现（已有相关规定）\n不属于征求意见范围\n暂缓研究",
            "reason_templates": "模板一\n模板二", "issuing_body": "天津市商务局（电商处）", "published_where": "天津市商务局网站"}
    assert admin_client.post("/staff/c/seed/settings", data=data).status_code == 303
    with app.app_context():
        c = consultation(app)
        assert decision_q.categories(c)[-1] == "暂缓研究"
        assert decision_q.reason_templates(c) == ("模板一", "模板二")
        audit = rows(get_db(), "SELECT * FROM audit_log WHERE action = 'consultation.settings'")
    assert len(audit) == 1 and json.loads(audit[0]["after_json"])["issuing_body"] == "天津市商务局（电商处）"
    # A category already used by a decision cannot be removed.
    data["categories"] = "采纳\n部分采纳"
    response = admin_client.post("/staff/c/seed/settings", data=data)
    assert response.status_code == 400 and "不能删除" in response.get_data(as_text=True)


def test_report_counts_from_database(app, ready):
    with app.app_context():
        report = report_q.build(get_db(), consultation(app)).report
    counts = report.counts
    assert counts.received == 6 and counts.valid == 5 and counts.excluded_spam == 1
    assert counts.by_category == {"采纳": 2, "部分采纳": 0, "未采纳": 2, "已体现（已有相关规定）": 1, "不属于征求意见范围": 0}
    assert counts.by_submitter_type == {"个人": 4, "企业": 1}
    assert counts.submitters == 5
    assert report.issuer == "天津市商务局"
    assert [t.label for t in report.topics] == ["海外仓建设", "人才培养"]
    assert report.check() == []


def test_dashboard_chart_partial(app, ready):
    from flask import render_template_string

    from comment_portal.staff.dashboard import decision_chart

    with app.test_request_context("/staff/c/seed/"):
        html = render_template_string('{% include "staff/_decisions_chart.html" %}', consultation=consultation(app),
                                      is_admin=False, bars=decision_chart(consultation(app)))
    assert "<svg" in html and "未采纳" in html and "待决定" in html
    assert " style=" not in html and "/export." not in html


def test_report_cites_ambiguous_clauses_unambiguously(app, seeded):
    """The seed has (三) under 三、, 四、 and the annex: the report cites 四(三), not a bare (三)."""
    from comment_portal.db import get_db
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import reports as report_q
    from tests.helpers import add_comment

    add_comment(app, "建议各区配套资金政策明确申报流程和兑现时限。", "4.3")
    with app.app_context():
        db = get_db()
        built = report_q.build(db, consultation_q.get_by_slug(db, "seed"))
    titles = [o.clause.title for o in built.report.opinions if o.clause]
    assert "四(三)强化政策引导" in titles


def _build(app):
    with app.app_context():
        db = get_db()
        return report_q.build(db, consultation(app))


def test_no_submitter_name_in_topics_or_fallback_summaries(app, seeded):
    """Analysis titles and unsummarised comments may contain names: a submitter's name is masked in
    their own words and in titles made of them. Issue 8: a name is a mask term only for its own
    submitter's text, so 赵六 quoting 王伟 is 赵六's text as written. (A two-character name: a three-character one such
    as 王建国 is masked in anyone's text, exports.redact's names without a cue.)"""
    from comment_portal.db import write
    from comment_portal.store import groups as group_q

    copies = [add_comment(app, f"我是王伟，王伟强烈建议加大海外仓支持力度。{i}", "3.1", name="王伟") for i in range(3)]
    other = add_comment(app, "同意王伟的建议，还应简化海外仓申报流程。", "3.1", name="赵六")
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        with write(db):  # as the analysis leaves a group: its title made of top terms, not edited by staff
            gid = group_q.create(db, c.id, now=now, kind="campaign", title="王伟、强烈建议、海外仓",
                                 clause_key="3.1", representative_id=copies[0], edited=False)
            group_q.move_comments(db, copies, gid, now=now)
    decide(app, group=gid, category="采纳")
    decide(app, comment=other, category="采纳")
    built = _build(app)
    from exports import FORMATS

    public = FORMATS["json"](built.report).decode() + FORMATS["md"](built.report).decode()
    assert public.count("王伟") == public.count("同意王伟的建议") > 0 and "赵六" not in public
    assert [t.label for t in built.report.topics] == ["强化主体引育,助力产业提质扩面"]
    assert built.report.topics[0].count == 4  # the group and the comment decided on its own: as the chart counts
    assert "王伟" not in built.report.opinions[0].summary and "王伟" not in built.report.opinions[0].group


def test_staff_wording_that_names_a_submitter_blocks_publication(app, seeded, admin_client):
    cid = add_comment(app, "建议加大海外仓支持力度。", "3.1", name="钱七")
    gid = make_group(app, [cid], key="3.1", title="海外仓", summary="钱七建议加大海外仓支持力度。")
    decide(app, group=gid, category="采纳")
    codes = [p.code for p in report_q.problems(_build(app))]
    assert "personal_data" in codes
    assert publish(admin_client).status_code != 303
    assert not published_rows(app)


def test_publishing_needs_confirmation_and_refuses_an_unchanged_version(app, ready, admin_client):
    token = csrf_token(admin_client, "/staff/c/seed/report")
    unconfirmed = admin_client.post("/staff/c/seed/report/publish", data={"csrf_token": token, "identity": "none"})
    assert unconfirmed.status_code == 400 and "请勾选确认后再发布" in unconfirmed.get_data(as_text=True)
    assert not published_rows(app)
    page = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    assert "征求意见尚未截止" in page  # the fixture clock is inside the window
    assert publish(admin_client).status_code == 303
    again = publish(admin_client)
    assert again.status_code == 409 and "没有变化" in again.get_data(as_text=True)
    assert [r["version"] for r in published_rows(app)] == [1]
    assert "与已发布的第1版相比没有变化" in admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    add_comment(app, "建议增加跨境电商海外仓的专项补贴。", "3.1")  # a change: undecided, so blocked by check()
    assert "没有变化" not in admin_client.get("/staff/c/seed/report").get_data(as_text=True)


def test_report_does_not_claim_a_submitter_count_when_comments_are_anonymous(app, seeded):
    add_comment(app, OVERSEAS, "3.1", name="张三", contact="13900001111")
    add_comment(app, TALENT, "3.2", submitter_type="企业", name="天津某某科技有限公司")
    assert _build(app).report.counts.submitters_known
    add_comment(app, "建议加快海外仓建设。", "3.1")  # no name, no contact
    assert not _build(app).report.counts.submitters_known


def test_downloads_are_the_bytes_published_even_if_renderers_change(app, ready, admin_client, client, monkeypatch):
    assert publish(admin_client).status_code == 303
    first = {fmt: client.get(f"/c/seed/feedback/v1.{fmt}").data for fmt in ("md", "docx", "json")}
    assert client.get("/c/seed/feedback/v1.docx").data == first["docx"]  # DOCX zips differ per render: stored
    import exports

    monkeypatch.setitem(exports.FORMATS, "md", lambda report: b"changed renderer")
    assert client.get("/c/seed/feedback/v1.md").data == first["md"]
