"""A submission with several opinions: one container (kept as received) plus parts counted as opinions."""

from __future__ import annotations

import pytest

from comment_portal.db import get_db
from comment_portal.store import comments as comment_q
from comment_portal.store import consultations as consultation_q
from comment_portal.store import reports, submitter_rights
from comment_portal.tokens import tokenize
from tests.helpers import add_comment, audit_rows, comment, consultation

LETTER = ("关于第十二条：建议明确海外仓认定标准。关于第十三条：建议提高物流补贴。"
          "总体意见：希望尽快出台实施细则。")
PARTS = [("3.3.12", "建议明确海外仓认定标准。"), ("3.3.13", "建议提高物流补贴。"), (None, "希望尽快出台实施细则。")]


def _split(app, container_id: int, parts=PARTS):
    with app.app_context():
        db = get_db()
        c = consultation(app)
        return comment_q.split_into_parts(db, c.id, container_id, parts,
                                          tokens=[tokenize(body, c) for _, body in parts],
                                          staff=None, now=app.extensions["clock"].now())


def test_split_keeps_the_container_and_stores_each_part_as_a_comment(app, seeded):
    letter = add_comment(app, LETTER, name="某跨境电商协会", contact="info@assoc.example.cn", submitter_type="社会组织")
    stored = _split(app, letter)

    container = comment(app, letter)
    assert container["status"] == "split"
    assert container["body"] == LETTER  # what was sent stays as received
    parts = [comment(app, r.id) for r in stored]
    assert [(p["clause_key"], p["body"], p["part_no"], p["part_of"]) for p in parts] == [
        (key, body, n, letter) for n, (key, body) in enumerate(PARTS, start=1)]
    assert {p["status"] for p in parts} == {"pending"}
    assert {(p["name"], p["contact"], p["submitter_type"], p["created_at"]) for p in parts} == {
        (container["name"], container["contact"], "社会组织", container["created_at"])}
    assert len({p["receipt_code"] for p in parts} | {container["receipt_code"]}) == 4
    with app.app_context():
        db = get_db()
        assert [r.id for r in comment_q.parts_of(db, letter)] == [r.id for r in stored]
        assert comment_q.container_of(db, stored[1].id).id == letter
        assert comment_q.container_of(db, letter) is None
    (row,) = audit_rows(app, "comment.split")
    assert row["entity_id"] == str(letter) and len(row["after"]["parts"]) == 3


def test_public_counts_and_the_report_count_parts_not_the_container(app, seeded):
    letter = add_comment(app, LETTER)  # anonymous: the parts are still one submitter
    other = add_comment(app, "建议加大对跨境电商企业的金融支持力度。")
    _split(app, letter)
    with app.app_context():
        db = get_db()
        c = consultation(app)
        counts = consultation_q.comment_counts(db, c.id)
        assert sum(counts.values()) == 4
        assert counts.get("3.3.12") == 1 and counts.get("3.3.13") == 1
        report = reports.build(db, c).report
    assert report.counts.received == 4 and report.counts.valid == 4
    assert report.counts.submitters == 2
    assert other  # a plain comment is untouched
    assert comment(app, other)["part_of"] is None


def test_a_container_cannot_be_split_twice_or_change_status(app, seeded):
    letter = add_comment(app, LETTER)
    stored = _split(app, letter)
    with pytest.raises(comment_q.CommentError):
        _split(app, letter)
    with pytest.raises(comment_q.CommentError):
        _split(app, stored[0].id)
    with app.app_context(), pytest.raises(comment_q.CommentError, match="拆分"):
        comment_q.set_status(get_db(), consultation(app).id, letter, "pending", staff=None,
                             now=app.extensions["clock"].now())


def test_withdrawing_a_container_withdraws_its_parts(app, seeded):
    letter = add_comment(app, LETTER)
    stored = _split(app, letter)
    with app.app_context():
        submitter_rights.withdraw(get_db(), comment(app, letter)["receipt_code"], now=app.extensions["clock"].now())
    assert {comment(app, r.id)["status"] for r in stored} == {"withdrawn"}
    with app.app_context():
        assert sum(consultation_q.comment_counts(get_db(), consultation(app).id).values()) == 0
