"""A long PDF's text is read outside the request (issue 12 §1): over ``ATTACHMENT_INLINE_PAGES`` pages the comment is
accepted with the file stored and its text pending (staff see 文字提取中); a background job reads it, stores the
tokens again and splits a paper on several clauses, as the form does for a short one."""

from __future__ import annotations

import json

import pytest

from comment_portal import jobs, submission, uploads
from comment_portal.db import get_db, rows
from comment_portal.store.comments import LETTER_ACTOR
from draft import documents
from tests.draft.builders import docx, p, text_pdf
from tests.helpers import PAPER_POINTS as POINTS
from tests.helpers import PAPER_TYPED as TYPED
from tests.helpers import comments_and_attachments as _stored
from tests.helpers import paper_lines as _paper
from tests.helpers import post_company_with_files as _post

LONG = 4  # pages of the paper below at 40 pt


@pytest.fixture
def later(app):
    """PDFs over two pages are read later, and nothing runs a job until the test calls ``jobs.run_pending``."""
    app.config.update(ATTACHMENT_INLINE_PAGES=2, JOBS_RUNNER="off")
    return app


def _pdf() -> bytes:
    data = text_pdf("\n".join(_paper()), size=40)
    assert documents.read_pdf(data).page_count == LONG
    return data


def _jobs(app):
    with app.app_context():
        return rows(get_db(), "SELECT kind, state, params_json FROM jobs ORDER BY id")


def test_a_long_pdf_is_stored_at_once_and_read_by_a_job_that_splits_the_paper(later, client, seeded, reviewer_client,
                                                                             monkeypatch):
    app = later
    paper = _pdf()
    with monkeypatch.context() as m:  # the request never reads a long PDF's text
        m.setattr(documents, "_page_lines", lambda *a: pytest.fail("text read in the request"))
        response = _post(client, [("意见书.pdf", paper)], body=TYPED)
    assert response.status_code == 303
    comments, files = _stored(app)
    [comment], [a] = comments, files
    assert comment["status"] == "pending" and a["text_state"] == "pending" and a["text"] == ""
    assert a["pages"] == LONG and a["comment_id"] == comment["id"]
    assert "高校" not in json.loads(comment["tokens"])
    assert [(j["kind"], j["state"], json.loads(j["params_json"])) for j in _jobs(app)] == [
        ("attachment_text", "queued", {"comment_id": comment["id"]})]
    page = reviewer_client.get(f"/staff/c/seed/comments/{comment['id']}").get_data(as_text=True)
    assert "文字提取中" in page
    assert "系统正在后台读取其中的文字" in client.get("/c/seed/thanks").get_data(as_text=True)

    assert jobs.run_pending(app, wait=0) is True
    comments, files = _stored(app)
    assert files[0]["text_state"] == "done" and all(line in files[0]["text"] for line in _paper())
    assert files[0]["has_text_layer"] == 1
    container, parts = comments[0], comments[1:]
    assert container["status"] == "split" and container["body"] == TYPED
    assert [(x["clause_key"], x["part_of"]) for x in parts] == [(k, container["id"]) for k in POINTS]
    assert all(POINTS[x["clause_key"]] in x["body"] for x in parts)
    assert [j["state"] for j in _jobs(app)] == ["done"]
    with app.app_context():
        [entry] = rows(get_db(), "SELECT actor FROM audit_log WHERE action = 'comment.split'")
    assert entry["actor"] == LETTER_ACTOR
    page = reviewer_client.get(f"/staff/c/seed/comments/{container['id']}").get_data(as_text=True)
    assert "文字提取中" not in page and "拆分后的3条意见" in page


def test_a_long_pdf_on_a_clause_gets_its_words_into_the_tokens_and_stays_one_comment(later, client, seeded):
    app = later
    assert _post(client, [("意见书.pdf", _pdf())], key="3.3.12", body=TYPED).status_code == 303
    assert jobs.run_pending(app, wait=0) is True
    [comment], [a] = _stored(app)
    assert comment["clause_key"] == "3.3.12" and comment["status"] == "pending" and a["text_state"] == "done"
    assert "高校" in json.loads(comment["tokens"]) and "航线" in json.loads(comment["tokens"])


def test_a_file_the_job_cannot_read_is_marked_for_reading(later, client, seeded, reviewer_client):
    app = later
    assert _post(client, [("意见书.pdf", _pdf())], body="").status_code == 303
    _, [a] = _stored(app)
    with app.app_context():
        uploads.path_of(a["stored_name"]).write_bytes(b"%PDF-1.7 damaged")
    assert jobs.run_pending(app, wait=0) is True
    [comment], [a] = _stored(app)
    assert a["text_state"] == "failed" and comment["status"] == "pending"
    page = reviewer_client.get(f"/staff/c/seed/comments/{comment['id']}").get_data(as_text=True)
    assert "文字提取失败，需人工阅读" in page and "文字提取中" not in page


def test_a_short_pdf_is_still_read_in_the_request(app, client, seeded):
    app.config["JOBS_RUNNER"] = "off"
    assert _post(client, [("意见书.pdf", text_pdf("\n".join(_paper())))], body=TYPED).status_code == 303
    comments, files = _stored(app)
    assert files[0]["text_state"] == "done" and comments[0]["status"] == "split" and _jobs(app) == []


def test_a_paper_too_long_to_split_in_the_request_is_split_by_the_job(app, client, seeded, monkeypatch):
    app.config["JOBS_RUNNER"] = "off"
    monkeypatch.setattr(submission, "SPLIT_MAX_CHARS", 100)
    assert _post(client, [("意见书.docx", docx([p(line) for line in _paper()]))], body=TYPED).status_code == 303
    comments, files = _stored(app)
    assert [x["status"] for x in comments] == ["pending"] and files[0]["text_state"] == "done"
    assert jobs.run_pending(app, wait=0) is True
    comments, _ = _stored(app)
    assert comments[0]["status"] == "split" and [x["clause_key"] for x in comments[1:]] == list(POINTS)


def test_the_job_leaves_a_comment_staff_took_in_hand(later, client, seeded):
    from comment_portal.store import comments as comment_q
    from tests.helpers import consultation

    app = later
    assert _post(client, [("意见书.pdf", _pdf())], body="").status_code == 303
    [comment], _ = _stored(app)
    with app.app_context():
        comment_q.set_status(get_db(), consultation(app).id, comment["id"], "spam", staff=None,
                             now=app.extensions["clock"].now())
    assert jobs.run_pending(app, wait=0) is True
    comments, files = _stored(app)
    assert [x["status"] for x in comments] == ["spam"] and files[0]["text_state"] == "done"
