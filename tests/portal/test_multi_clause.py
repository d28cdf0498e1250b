"""Several clauses in one submission (issue 12 §2): one form, one identity, one consent, one receipt; stored as a
container and its parts, each part its own opinion; counted as one submitter and N opinions."""

from __future__ import annotations

from comment_portal.db import get_db, rows
from comment_portal.store import reports
from tests.draft.builders import docx, p
from tests.helpers import COMMENT_MANY_URL as URL
from tests.helpers import MANY_OPINIONS as OPINIONS
from tests.helpers import consultation
from tests.helpers import many_form as _form
from tests.helpers import post_many as _post


def _comments(app):
    with app.app_context():
        return rows(get_db(), "SELECT * FROM comments ORDER BY id")


def test_the_form_lists_every_clause_collapsed_with_a_box_each(app, client, seeded):
    page = client.get(URL).get_data(as_text=True)
    with app.app_context():
        clauses = rows(get_db(), "SELECT key FROM clauses")
    assert len(clauses) > 40
    assert page.count('<details class="clause-box"') == 1 + len(clauses)  # the whole draft, then every clause
    assert page.count('<details class="clause-box" id="box-whole">') == 1  # collapsed until something is typed
    assert 'name="body-whole"' in page and 'name="body-3.3.12"' in page
    assert 'name="proposal-3.3.12"' in page and "创新外汇管理服务" in page
    assert 'enctype="multipart/form-data"' in page and 'name="consent"' in page


def test_three_clauses_make_one_container_three_parts_one_receipt(app, client, seeded):
    data = _form(client) | {f"body-{k}": v for k, v in OPINIONS.items()}
    response = _post(client, data, [("立场文件.docx", docx([p("关于外汇、海外仓和人才的意见。")]))])
    assert response.status_code == 303
    stored = _comments(app)
    container, parts = stored[0], stored[1:]
    assert container["status"] == "split" and container["part_of"] is None
    assert [(x["clause_key"], x["body"], x["part_no"], x["part_of"]) for x in parts] == [
        (k, v, n, container["id"]) for n, (k, v) in enumerate(OPINIONS.items(), start=1)]
    assert {x["name"] for x in parts} == {"天津某某跨境电商有限公司"} and {x["status"] for x in parts} == {"pending"}
    for text in OPINIONS.values():
        assert text in container["body"]  # the container keeps what was sent, under each clause's citation
    assert "【12.创新外汇管理服务】" in container["body"]
    with app.app_context():
        assert rows(get_db(), "SELECT comment_id, original_name FROM attachments") == [
            {"comment_id": container["id"], "original_name": "立场文件.docx"}]
        counts = reports.build(get_db(), consultation(app)).report.counts
    assert (counts.submitters, counts.valid) == (1, 3)  # one submitter, three opinions

    thanks = client.get("/c/seed/thanks").get_data(as_text=True)
    assert container["receipt_code"] in thanks and "您的3条意见" in thanks
    for text in OPINIONS.values():
        assert text in thanks
    assert "立场文件.docx" in thanks
    for part in parts:
        assert part["receipt_code"] not in thanks  # parts' own codes are internal


def test_one_filled_box_is_a_plain_comment_on_that_clause(app, client, seeded):
    assert _post(client, _form(client) | {"body-3.4.14": OPINIONS["3.4.14"]}).status_code == 303
    [stored] = _comments(app)
    assert (stored["clause_key"], stored["body"], stored["part_of"], stored["status"]) == (
        "3.4.14", OPINIONS["3.4.14"], None, "pending")


def test_nothing_filled_or_a_box_too_short_keeps_everything_typed(app, client, seeded):
    response = _post(client, _form(client))
    assert response.status_code == 400 and "请至少在一个条款下填写意见" in response.get_data(as_text=True)
    data = _form(client) | {"body-3.3.12": OPINIONS["3.3.12"], "body-3.4.14": "短"}
    response = _post(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "意见内容需在5至5000字之间" in page
    assert OPINIONS["3.3.12"] in page and "天津某某跨境电商有限公司" in page
    assert _comments(app) == []


def test_the_same_form_sent_twice_is_one_submission(app, client, seeded):
    data = _form(client) | {f"body-{k}": v for k, v in OPINIONS.items()}
    assert _post(client, data).status_code == 303
    assert _post(client, data).status_code == 303
    assert len(_comments(app)) == 4


def test_proposals_go_with_their_parts(app, client, seeded):
    with app.app_context():
        before = rows(get_db(), "SELECT body FROM clauses WHERE key = '3.4.14'")[0]["body"]
    proposal = before.replace("。", "，并对海外仓给予租金补贴。", 1)
    data = _form(client) | {"body-3.3.12": OPINIONS["3.3.12"], "proposal-3.4.14": proposal,
                            "proposal-3.3.12": "  " + rows_text(app, "3.3.12") + "  "}  # unchanged: no proposal
    assert _post(client, data).status_code == 303
    stored = _comments(app)
    assert [(x["clause_key"], x["body"], x["proposal"]) for x in stored[1:]] == [
        ("3.3.12", OPINIONS["3.3.12"], None), ("3.4.14", "", proposal)]


def rows_text(app, key: str) -> str:
    with app.app_context():
        return rows(get_db(), "SELECT body FROM clauses WHERE key = ?", [key])[0]["body"]
