"""Issue 9 §4: roles (经办, 审核, admin; several per account) and the report's review and sign-off:
草稿 → 提交审核 → 审核通过 / 退回修改 → 签发发布, bound to the report's content."""

from __future__ import annotations

import pytest

from comment_portal.db import get_db, migrate, one, open_database, rows
from comment_portal.store import feedback_settings, signoff
from comment_portal.store import staff as staff_accounts
from tests.helpers import (
    OVERSEAS,
    TALENT,
    add_comment,
    audit_rows,
    consultation,
    csrf_token,
    decide,
    login,
    make_group,
    make_staff,
    post_comment,
    publish,
    published_rows,
    sign_off,
    staff_account,
    staff_post,
)

REPORT = "/staff/c/seed/report"


@pytest.fixture
def decided(app, seeded):
    """Two groups on two clauses, both decided: a report ready to submit."""
    overseas = [add_comment(app, OVERSEAS, "3.1", name="张三", contact="13900001111"),
                add_comment(app, OVERSEAS + "谢谢。", "3.1")]
    talent = [add_comment(app, TALENT, "3.2")]
    g1 = make_group(app, overseas, key="3.1", title="海外仓建设", summary="建议加大对海外仓建设的资金支持。")
    g2 = make_group(app, talent, key="3.2", title="人才培养", summary="建议加强跨境电商人才培养。")
    decide(app, group=g1, category="采纳", revised_text="对企业建设海外仓给予资金补贴。")
    decide(app, group=g2, category="未采纳", reason="该建议涉及国家层面政策，超出本计划调整范围。")
    return {"groups": [g1, g2], "overseas": overseas, "talent": talent}


def client_for(app, username, roles, password="Signoff-pass-2024"):
    account = make_staff(app, username, roles, password)
    client = app.test_client()
    assert login(client, username, password).status_code == 302
    client.staff = account
    return client


@pytest.fixture
def jingban(app):
    return client_for(app, "jingban1", "reviewer")


@pytest.fixture
def shenhe(app):
    return client_for(app, "shenhe1", "approver")


def submit(client, identity="none", **extra):
    token = csrf_token(client, REPORT)
    return client.post(f"{REPORT}/submit", data={"csrf_token": token, "identity": identity, "confirm": "y", **extra})


def review_id(app):
    with app.app_context():
        return one(get_db(), "SELECT id FROM report_reviews ORDER BY id DESC LIMIT 1")["id"]


def approve(client, app, comment=""):
    token = csrf_token(client, REPORT)
    return client.post(f"{REPORT}/approve", data={"csrf_token": token, "review_id": review_id(app), "comment": comment})


def send_back(client, app, comment):
    token = csrf_token(client, REPORT)
    return client.post(f"{REPORT}/return", data={"csrf_token": token, "review_id": review_id(app), "comment": comment})


def publish_approved(client, app):
    token = csrf_token(client, REPORT)
    return client.post(f"{REPORT}/publish", data={"csrf_token": token, "review_id": review_id(app), "confirm": "y"})


def state(app):
    with app.app_context():
        db = get_db()
        return signoff.current(db, consultation(app), identity=None, now=app.extensions["clock"].now()).state


# -- roles -------------------------------------------------------------------------------------------------

def test_migration_keeps_each_accounts_role(tmp_path):
    """m012a: the single role column becomes staff_roles rows, nobody gains 审核."""
    from comment_portal.db import migrations

    db = open_database(tmp_path / "old.db")
    for m in migrations._migrations:
        if m.name.startswith("m012"):
            break
        m.fn(db)
        db.execute("CREATE TABLE IF NOT EXISTS _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
        db.execute("INSERT INTO _sqlite_migrations VALUES ('comment_portal', ?, '2024-01-01')", [m.name])
    db.conn.commit()
    for name, role in (("old-admin", "admin"), ("old-reviewer", "reviewer")):
        db.execute("INSERT INTO staff (username, password_hash, role, created_at) VALUES (?, 'x', ?, '2024-01-01')",
                   [name, role])
    db.conn.commit()
    applied = migrate(db)
    assert applied[:2] == ["m012a_staff_roles", "m012b_report_signoff_versions"]
    assert "role" not in {c.name for c in db["staff"].columns}
    held = {(r["username"], r["role"]) for r in rows(
        db, "SELECT s.username, r.role FROM staff s JOIN staff_roles r ON r.staff_id = s.id")}
    assert held == {("old-admin", "admin"), ("old-reviewer", "reviewer")}
    db.close()


def test_an_account_may_hold_several_roles(app):
    both = make_staff(app, "kezhang", ["reviewer", "approver"])
    assert both["roles"] == ("reviewer", "approver")
    with app.app_context(), pytest.raises(staff_accounts.AccountError):
        staff_accounts.create(get_db(), "nobody", [], "Some-pass-2024", staff=None, now=app.extensions["clock"].now())


def test_accounts_page_sets_roles_and_audits_it(app, admin_client):
    account = make_staff(app, "chuzhang", "reviewer")
    url = f"/staff/accounts/{account['id']}/roles"
    assert staff_post(admin_client, url, {"roles": ["reviewer", "approver"]}, form_url="/staff/accounts").status_code == 303
    with app.app_context():
        assert staff_accounts.get(get_db(), account["id"]).roles == ("reviewer", "approver")
    change = audit_rows(app, "staff.update")[-1]
    assert change["before"] == {"roles": ["经办"]} and change["after"] == {"roles": ["经办", "审核"]}
    page = admin_client.get("/staff/accounts").get_data(as_text=True)
    assert 'name="roles" value="approver" checked' in page
    # No role at all, and an admin removing their own admin role, are refused.
    staff_post(admin_client, url, {}, form_url="/staff/accounts")
    own = f"/staff/accounts/{admin_client.staff['id']}/roles"
    response = staff_post(admin_client, own, {"roles": ["reviewer"]}, form_url="/staff/accounts", follow_redirects=True)
    assert "不能取消自己的管理员角色" in response.get_data(as_text=True)
    with app.app_context():
        assert staff_accounts.get(get_db(), account["id"]).roles == ("reviewer", "approver")
        assert "admin" in staff_accounts.get(get_db(), admin_client.staff["id"]).roles


def test_new_account_with_several_roles_from_the_page(app, admin_client):
    staff_post(admin_client, "/staff/accounts", {"username": "wangke", "roles": ["reviewer", "approver"]},
               form_url="/staff/accounts")
    with app.app_context():
        assert staff_accounts.by_username(get_db(), "wangke").roles == ("reviewer", "approver")


def test_only_approvers_sign_off_and_only_admins_publish(app, decided, jingban, admin_client):
    """Access is decided in staff/access.py: approving needs 审核, even for an admin."""
    assert submit(jingban).status_code == 303
    for client in (jingban, admin_client):
        assert approve(client, app).status_code == 403
        assert send_back(client, app, "请修改").status_code == 403
    assert publish_approved(jingban, app).status_code == 403
    assert state(app) == signoff.SUBMITTED


# -- the workflow ------------------------------------------------------------------------------------------

def test_submit_approve_publish_records_who_and_binds_the_content(app, decided, jingban, shenhe, admin_client, client):
    assert submit(jingban, identity="masked").status_code == 303
    assert state(app) == signoff.SUBMITTED
    page = shenhe.get(REPORT).get_data(as_text=True)
    assert "已提交审核，待审核" in page and "jingban1" in page and "审核通过</button>" in page
    assert approve(shenhe, app, "同意。").status_code == 303
    assert state(app) == signoff.APPROVED
    page = admin_client.get(REPORT).get_data(as_text=True)
    assert "审核通过，待签发发布" in page and "shenhe1" in page and "签发发布第1版" in page
    assert publish_approved(admin_client, app).status_code == 303
    row = published_rows(app)[0]
    with app.app_context():
        review = one(get_db(), "SELECT * FROM report_reviews WHERE id = ?", [row["review_id"]])
    assert review["state"] == "published" and review["published_report_id"] == row["id"]
    assert row["content_hash"] == review["content_hash"] and row["identity_mode"] == "masked"
    assert [a["actor"] for a in audit_rows(app, "report.submit")] == ["jingban1"]
    assert [a["actor"] for a in audit_rows(app, "report.approve")] == ["shenhe1"]
    published_audit = audit_rows(app, "report.publish")
    assert published_audit[0]["actor"] == "admin1"
    assert published_audit[0]["after"]["approved_by"] == "shenhe1"
    assert published_audit[0]["after"]["submitted_by"] == "jingban1"
    assert "建议加大对海外仓建设的资金支持。" in client.get("/c/seed/feedback").get_data(as_text=True)
    assert state(app) == signoff.DRAFT   # the next version starts as a draft


def test_self_approval_is_refused(app, decided):
    both = client_for(app, "kezhang", ["reviewer", "approver"])
    assert submit(both).status_code == 303
    page = both.get(REPORT).get_data(as_text=True)
    assert "须由另一位审核人审核" in page and "审核通过</button>" not in page
    response = approve(both, app)
    assert response.status_code == 409 and "不能审核自己提交的" in response.get_data(as_text=True)
    assert state(app) == signoff.SUBMITTED
    assert audit_rows(app, "report.approve") == []
    with app.app_context():   # and in the store, whoever calls it
        db = get_db()
        with pytest.raises(signoff.SignoffError, match="不能审核自己提交的"):
            signoff.approve(db, consultation(app), review_id(app), staff=staff_account(app, both.staff["username"]), now=app.extensions["clock"].now())


def test_publishing_without_approval_is_refused(app, decided, jingban, admin_client):
    response = admin_client.post(f"{REPORT}/publish", data={"csrf_token": csrf_token(admin_client, REPORT),
                                                           "confirm": "y"})
    assert response.status_code == 409 and "尚未审核通过" in response.get_data(as_text=True)
    assert submit(jingban).status_code == 303
    response = publish_approved(admin_client, app)   # submitted, not approved
    assert response.status_code == 409 and "尚未审核通过" in response.get_data(as_text=True)
    assert published_rows(app) == [] and audit_rows(app, "report.publish") == []
    with app.app_context(), pytest.raises(signoff.SignoffError):
        signoff.publish(get_db(), consultation(app), review_id=review_id(app), staff=staff_account(app, admin_client.staff["username"]),
                        now=app.extensions["clock"].now())


def test_an_edit_after_approval_voids_it(app, decided, jingban, shenhe, admin_client):
    submit(jingban)
    approve(shenhe, app)
    assert state(app) == signoff.APPROVED
    decide(app, group=decided["groups"][1], category="未采纳", reason="该建议由国家有关部门统一规定。")  # a new reason
    page = admin_client.get(REPORT).get_data(as_text=True)
    assert "提交审核后报告内容有以下变化" in page and "理由说明" in page
    assert "签发发布第1版</button>" not in page
    assert state(app) == signoff.DRAFT or state(app) == signoff.VOIDED
    response = publish_approved(admin_client, app)
    assert response.status_code == 409 and published_rows(app) == []
    void = audit_rows(app, "report.void")
    assert len(void) == 1 and any("理由说明" in c for c in void[0]["after"]["changes"])
    # Reverting the edit does not bring the approval back: it was voided.
    decide(app, group=decided["groups"][1], category="未采纳", reason="该建议涉及国家层面政策，超出本计划调整范围。")
    assert publish_approved(admin_client, app).status_code == 409
    # Submitted and approved again, it publishes.
    submit(jingban)
    approve(shenhe, app)
    assert publish_approved(admin_client, app).status_code == 303


@pytest.mark.parametrize("change", ["summary", "setting", "new comment"])
def test_any_change_to_what_the_report_says_voids_the_approval(app, decided, jingban, shenhe, admin_client, change):
    submit(jingban)
    approve(shenhe, app)
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        if change == "summary":
            from comment_portal.store import groups as group_q

            group_q.update_text(db, c.id, decided["groups"][0], title="海外仓建设", summary="建议支持海外仓。",
                                staff=None, now=now)
        elif change == "setting":
            feedback_settings.save(db, c, categories=list(feedback_settings.current(c)["categories"]),
                                   reason_templates=[], issuing_body="天津市商务局电子商务处", published_where="",
                                   staff=None, now=now)
        else:
            add_comment(app, "建议明确海外仓补贴的申报时间。", "3.1")
    assert state(app) != signoff.APPROVED
    assert publish_approved(admin_client, app).status_code == 409


def test_a_change_that_does_not_alter_the_report_keeps_the_approval(app, decided, jingban, shenhe, admin_client):
    """A staff note is not part of the report: the hash, and so the approval, stay."""
    submit(jingban)
    approve(shenhe, app)
    from comment_portal.store import comments as comment_q

    with app.app_context():
        comment_q.set_note(get_db(), consultation(app).id, decided["talent"][0], "已电话联系提出人。", staff=None,
                           now=app.extensions["clock"].now())
    assert state(app) == signoff.APPROVED
    assert publish_approved(admin_client, app).status_code == 303


def test_return_needs_a_comment_and_sends_the_report_back_to_draft(app, decided, jingban, shenhe):
    submit(jingban)
    response = send_back(shenhe, app, "")
    assert response.status_code == 409 and "请填写退回意见" in response.get_data(as_text=True)
    assert send_back(shenhe, app, "第2项意见的理由过于简单，请补充。").status_code == 303
    assert state(app) == signoff.RETURNED
    page = jingban.get(REPORT).get_data(as_text=True)
    assert "退回修改" in page and "第2项意见的理由过于简单，请补充。" in page and "提交审核</button>" in page
    assert audit_rows(app, "report.return")[0]["after"]["comment"] == "第2项意见的理由过于简单，请补充。"
    assert submit(jingban).status_code == 303   # resubmitted
    assert state(app) == signoff.SUBMITTED


def test_problems_block_submission(app, seeded, jingban):
    add_comment(app, OVERSEAS, "3.1")   # undecided
    response = submit(jingban)
    assert response.status_code == 409 and "暂不能提交审核" in response.get_data(as_text=True)
    assert audit_rows(app, "report.submit") == []


def test_a_later_version_needs_a_correction_note_shown_above_the_report(app, decided, jingban, shenhe, admin_client,
                                                                       client):
    assert publish(admin_client).status_code == 303
    decide(app, group=decided["groups"][1], category="部分采纳", reason="将在实施细则中研究明确。")
    page = jingban.get(REPORT).get_data(as_text=True)
    assert "与已发布的第1版相比" in page and "部分采纳" in page     # the differences from the last version
    missing = submit(jingban, correction_kind="更正", correction="")
    assert missing.status_code == 409 and "请填写更正说明" in missing.get_data(as_text=True)
    note = "经进一步研究，第2项意见改为部分采纳，特此更正。"
    assert submit(jingban, correction_kind="更正", correction=note).status_code == 303
    approve(shenhe, app)
    assert publish_approved(admin_client, app).status_code == 303
    latest = client.get("/c/seed/feedback").get_data(as_text=True)
    assert latest.index("更正说明") < latest.index("一、征求意见基本情况") and note in latest
    assert 'href="/c/seed/feedback/v1"' in latest           # the older version stays listed
    first = client.get("/c/seed/feedback/v1").get_data(as_text=True)
    assert note not in first and "将在实施细则中研究明确。" not in first
    assert published_rows(app)[1]["correction"] == note
    docx_json = client.get("/c/seed/feedback/v2.json").get_json()
    assert docx_json["correction"] == {"kind": "更正", "text": note}


def test_an_unchanged_report_cannot_be_submitted_again(app, decided, admin_client, jingban):
    assert publish(admin_client).status_code == 303
    response = submit(jingban, correction_kind="补充", correction="补充说明。")
    assert response.status_code == 409 and "没有变化" in response.get_data(as_text=True)


# -- answers go out together -------------------------------------------------------------------------------

def _receipt(client, code):
    token = csrf_token(client, "/receipt")
    return client.post("/receipt", data={"csrf_token": token, "code": code}).get_data(as_text=True)


def test_no_receipt_shows_a_decision_before_its_report_is_published(app, seeded, admin_client, client):
    codes = []
    for body in ("建议对企业建设海外仓给予资金补贴，明确申报流程。", "建议加强跨境电商人才培养，共建实训基地。"):
        assert post_comment(client, key="3.1", body=body).status_code == 303
    with app.app_context():
        found = rows(get_db(), "SELECT id, receipt_code FROM comments ORDER BY id")
    codes = [r["receipt_code"] for r in found]
    gid = make_group(app, [found[0]["id"]], key="3.1", summary="建议加大对海外仓的资金支持。")
    decide(app, group=gid, category="未采纳", reason="超出本计划调整范围。")
    decide(app, comment=found[1]["id"], category="采纳")
    assert sign_off(app)     # submitted and approved, not yet published
    for code in codes:
        page = _receipt(client, code)
        assert "未采纳" not in page and "超出本计划调整范围" not in page and "采纳情况" not in page
    assert admin_client.post(f"{REPORT}/publish", data={"csrf_token": csrf_token(admin_client, REPORT),
                                                       "review_id": review_id(app), "confirm": "y"}).status_code == 303
    pages = [_receipt(client, code) for code in codes]
    assert "未采纳" in pages[0] and "超出本计划调整范围。" in pages[0]   # both at once
    assert "采纳" in pages[1] and "采纳情况" in pages[1]
    # A new decision approved for version 2 but not published: receipts still show version 1.
    decide(app, group=gid, category="部分采纳", reason="将在实施细则中研究。")
    assert sign_off(app)
    again = _receipt(client, codes[0])
    assert "超出本计划调整范围。" in again and "将在实施细则中研究。" not in again


def test_a_submitted_report_is_not_public(app, decided, jingban, shenhe, client):
    submit(jingban)
    approve(shenhe, app)
    assert client.get("/c/seed/feedback").status_code == 404
    for url in ("/c/seed", "/c/seed/feedback"):
        assert "建议加大对海外仓建设的资金支持" not in client.get(url).get_data(as_text=True)


def test_audit_page_names_each_step(app, decided, jingban, shenhe, admin_client):
    submit(jingban)
    send_back(shenhe, app, "请补充理由。")
    submit(jingban)
    approve(shenhe, app)
    publish_approved(admin_client, app)
    page = admin_client.get("/staff/c/seed/audit").get_data(as_text=True)
    for label in ("提交采纳情况反馈审核", "退回修改采纳情况反馈", "审核通过采纳情况反馈", "签发发布采纳情况反馈"):
        assert label in page
    hashes = [r["after"]["content_hash"] for r in audit_rows(app, "report.approve")]
    assert hashes == [published_rows(app)[0]["content_hash"]]
