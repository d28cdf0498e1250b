"""Issue 8 item 8: a submitter withdraws a comment with its receipt code; an admin erases name and contact."""

from __future__ import annotations

import json

import pytest

from comment_portal import store
from comment_portal.db import get_db, one, rows, scalar
from comment_portal.store import comments as comment_q
from comment_portal.store import consultations as consultation_q
from comment_portal.store import decisions as decision_q
from comment_portal.store import groups as group_q
from comment_portal.store import reports as report_q
from tests.helpers import (
    OVERSEAS,
    TALENT,
    add_comment,
    audit_rows,
    beijing,
    consultation,
    csrf_token,
    make_group,
    post_comment,
    run_analysis,
    staff_post,
)

MINE = "建议对企业建设海外仓给予资金补贴，明确申报流程和认定标准。"


def submit(app, client, body: str = MINE, **fields) -> dict:
    assert post_comment(client, body=body, **fields).status_code == 303
    with app.app_context():
        return one(get_db(), "SELECT * FROM comments ORDER BY id DESC LIMIT 1")


def lookup(client, code: str):
    token = csrf_token(client, "/receipt")
    return client.post("/receipt", data={"csrf_token": token, "code": code})


def withdraw(client, code: str, *, confirm: bool):
    token = csrf_token(client, "/receipt")
    data = {"csrf_token": token, "code": code}
    if confirm:
        data["confirm"] = "yes"
    return client.post("/receipt/withdraw", data=data)


def status(app, comment_id: int) -> str:
    with app.app_context():
        return scalar(get_db(), "SELECT status FROM comments WHERE id = ?", [comment_id])


# -- withdrawal ----------------------------------------------------------------------------------------------


def test_withdraw_with_confirmation_step(app, seeded, client):
    mine = submit(app, client)
    page = lookup(client, mine["receipt_code"]).get_data(as_text=True)
    assert "撤回这条意见" in page

    confirm = withdraw(client, mine["receipt_code"], confirm=False)
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "确认撤回" in text and 'name="confirm" value="yes"' in text
    assert status(app, mine["id"]) == "pending"  # nothing changes before the confirmation

    done = withdraw(client, mine["receipt_code"], confirm=True)
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "您的意见已撤回" in text and "已撤回" in text
    assert status(app, mine["id"]) == "withdrawn"
    (entry,) = audit_rows(app, "comment.withdraw")
    assert entry["entity_id"] == str(mine["id"]) and entry["staff_id"] is None
    assert entry["actor"] == "提出人（凭回执编号）"
    assert entry["before"] == {"status": "pending"} and entry["after"] == {"status": "withdrawn"}

    later = lookup(client, mine["receipt_code"]).get_data(as_text=True)  # the receipt page says so
    assert "这条意见已由您撤回" in later and "撤回这条意见…" not in later
    again = withdraw(client, mine["receipt_code"], confirm=True)
    assert again.status_code == 409 and "这条意见已经撤回" in again.get_data(as_text=True)


def test_withdraw_needs_the_csrf_token(app, seeded, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    mine = submit(app, client)
    response = client.post("/receipt/withdraw", data={"code": mine["receipt_code"], "confirm": "yes"})
    assert response.status_code == 400
    assert status(app, mine["id"]) == "pending"


def test_withdraw_unknown_code(app, seeded, client):
    response = withdraw(client, "ABCD-EFGH-JKLM", confirm=True)
    assert response.status_code == 404 and "未找到该回执编号" in response.get_data(as_text=True)


def test_no_withdrawal_after_the_window(app, seeded, client, clock):
    mine = submit(app, client)
    clock.set(beijing(2024, 10, 11, 0, 0, 1))
    page = lookup(client, mine["receipt_code"]).get_data(as_text=True)
    assert "撤回这条意见" not in page
    response = withdraw(client, mine["receipt_code"], confirm=True)
    assert response.status_code == 409 and "已截止，意见不能再撤回" in response.get_data(as_text=True)
    assert status(app, mine["id"]) == "pending"


def test_withdrawn_comment_leaves_public_counts(app, seeded, client):
    submit(app, client, body=TALENT)
    mine = submit(app, client, key="3.1")
    assert "已收到意见 2 条" in client.get("/").get_data(as_text=True)
    withdraw(client, mine["receipt_code"], confirm=True)
    assert "已收到意见 1 条" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db = get_db()
        cid = consultation(app).id
        assert consultation_q.comment_counts(db, cid) == {None: 1}
        assert comment_q.channel_counts(db, cid) == {"web": 1}
        assert comment_q.counts_by_clause_all_statuses(db, cid)["valid"] == {None: 1}
        assert comment_q.status_counts(db, cid) == {"pending": 1, "withdrawn": 1}  # staff still see it


def test_withdrawn_comment_leaves_analysis_groups_decisions_and_the_report(app, seeded, client):
    kept = [add_comment(app, OVERSEAS, "3.1"), add_comment(app, OVERSEAS + "谢谢。", "3.1")]
    mine = submit(app, client, body=OVERSEAS + "望采纳。", key="3.1")
    gid = make_group(app, [*kept, mine["id"]], key="3.1")
    with app.app_context():
        db = get_db()
        decision_q.set_group_decision(db, consultation(app), gid, category="采纳", reason="", staff=None,
                                      now=app.extensions["clock"].now())
    withdraw(client, mine["receipt_code"], confirm=True)
    assert status(app, mine["id"]) == "withdrawn"  # a decision does not move it back
    with app.app_context():
        db = get_db()
        c = consultation(app)
        assert group_q.get(db, c.id, gid).size == 2
        assert decision_q.effective_counts(db, c.id) == {"采纳": 2}
        built = report_q.build(db, c)
        members = [m for op in built.report.opinions for m in op.comments]
        assert len(members) == 2 and mine["id"] not in built.comment_opinion
        assert built.report.counts.received == 2
        # Staff cannot bring it back into the count either.
        assert "已撤回" in store.comments.status_change_problem(db, c.id, mine["id"], "pending", None)
    summary = run_analysis(app)
    assert summary.comment_count == 2
    with app.app_context():
        run = one(get_db(), "SELECT result_json FROM analysis_runs ORDER BY id DESC LIMIT 1")
    analysed = {m for g in json.loads(run["result_json"])["groups"] for m in g["member_ids"]}
    assert str(mine["id"]) not in {str(m) for m in analysed}


def test_staff_see_a_withdrawn_comment_and_cannot_restore_it(app, seeded, client, reviewer_client):
    mine = submit(app, client)
    withdraw(client, mine["receipt_code"], confirm=True)
    url = f"/staff/c/seed/comments/{mine['id']}"
    page = reviewer_client.get(url).get_data(as_text=True)
    assert "已撤回" in page and "凭回执编号撤回这条意见" in page
    response = staff_post(reviewer_client, f"{url}/status", {"status": "pending"}, form_url=url)
    assert response.status_code == 400 and status(app, mine["id"]) == "withdrawn"
    queue = reviewer_client.get("/staff/c/seed/queue?status=withdrawn").get_data(as_text=True)
    assert f"/staff/c/seed/comments/{mine['id']}" in queue
    assert "提出人撤回意见" in reviewer_client.get("/staff/c/seed/audit").get_data(as_text=True)


# -- erasure -------------------------------------------------------------------------------------------------

NAME, PHONE, EMAIL = "李春华", "13912345678", "li.chunhua@example.com"
LEAKY = f"我是{NAME}，建议增加海外仓补贴，详情请打{PHONE}或发邮件到{EMAIL}。"


@pytest.fixture
def leaky(app, seeded, client, clock):
    first = submit(app, client, body=LEAKY, name=NAME, contact=PHONE)
    second = submit(app, client, body=TALENT, name=NAME, contact=PHONE)
    other = submit(app, client, body=OVERSEAS, name="王某某", contact="13800001111")
    clock.set(beijing(2024, 10, 20, 9, 0))  # after the window: erasure is staff's job now
    return first, second, other


def test_a_name_that_is_an_ordinary_word_is_blanked_but_not_masked_in_the_text(app, seeded, client, admin_client):
    body = "跨境电商企业需要海外仓支持，请联系13912345678。"
    mine = submit(app, client, body=body, name="跨境电商", contact="13912345678")
    url = f"/staff/c/seed/comments/{mine['id']}/erase"
    assert staff_post(admin_client, url, {"reason": "邮件申请", "confirm": "y"}, form_url=url).status_code == 303
    with app.app_context():
        row = one(get_db(), "SELECT name, contact, body FROM comments WHERE id = ?", [mine["id"]])
    assert row["name"] is None and row["contact"] is None
    assert row["body"].startswith("跨境电商企业需要海外仓支持") and "13912345678" not in row["body"]


def test_reviewers_cannot_erase(app, leaky, reviewer_client):
    first = leaky[0]
    url = f"/staff/c/seed/comments/{first['id']}/erase"
    assert reviewer_client.get(url).status_code == 403
    response = staff_post(reviewer_client, url, {"reason": "来电申请", "confirm": "y"})
    assert response.status_code == 403
    with app.app_context():
        assert one(get_db(), "SELECT name FROM comments WHERE id = ?", [first["id"]])["name"] == NAME


@pytest.mark.parametrize("data", [{"reason": "来电申请"}, {"reason": "来电申请", "confirm": "1"},
                                  {"reason": "", "confirm": "y"}])
def test_erasure_needs_a_request_and_the_confirmation(app, leaky, admin_client, data):
    first = leaky[0]
    url = f"/staff/c/seed/comments/{first['id']}/erase"
    response = staff_post(admin_client, url, data, form_url=url)
    assert response.status_code == 400
    with app.app_context():
        assert one(get_db(), "SELECT name FROM comments WHERE id = ?", [first["id"]])["name"] == NAME
        assert not audit_rows(app, "comment.erase")


def test_admin_erases_name_and_contact_keeping_the_redacted_opinion(app, leaky, admin_client):
    first, second, other = leaky
    url = f"/staff/c/seed/comments/{first['id']}/erase"
    page = admin_client.get(url).get_data(as_text=True)
    assert f"意见 {second['id']}" in page and f"意见 {other['id']}" not in page  # the same submitter's others
    reason = "10月20日来电申请删除个人信息，已核对回执编号"
    response = staff_post(admin_client, url, {"reason": reason, "confirm": "y", "also": str(second["id"])},
                          form_url=url)
    assert response.status_code == 303
    with app.app_context():
        db = get_db()
        erased = rows(db, "SELECT * FROM comments WHERE id IN (?, ?) ORDER BY id", [first["id"], second["id"]])
        kept = one(db, "SELECT * FROM comments WHERE id = ?", [other["id"]])
    for row in erased:
        assert row["name"] is None and row["contact"] is None and row["fingerprint"] == ""
        assert row["erased_at"] and row["status"] == "pending"  # still counted: the opinion stays
        assert NAME not in row["body"] and PHONE not in row["body"] and EMAIL not in row["body"]
        assert PHONE not in row["tokens"] and NAME not in row["tokens"]
        assert row["body_hash"] == comment_q.body_hash(row["body"])
    assert "建议增加海外仓补贴" in erased[0]["body"] and erased[1]["body"] == TALENT
    assert kept["name"] == "王某某" and kept["contact"] == "13800001111"

    entries = audit_rows(app, "comment.erase")
    assert [e["entity_id"] for e in entries] == [str(first["id"]), str(second["id"])]
    assert entries[0]["after"]["request"] == reason and entries[0]["staff_id"] == admin_client.staff["id"]
    with app.app_context():
        log = json.dumps(rows(get_db(), "SELECT * FROM audit_log"), ensure_ascii=False)
    assert NAME not in log and PHONE not in log and EMAIL not in log  # the audit keeps no erased value
    comment_page = admin_client.get(f"/staff/c/seed/comments/{first['id']}").get_data(as_text=True)
    assert "应其申请删除" in comment_page and NAME not in comment_page
    with app.app_context():
        assert report_q.build(get_db(), consultation(app)).report.counts.received == 3
