"""Decisions: reasons required, per-comment override, bulk thanks for supportive comments only, audit."""

from __future__ import annotations

import json

import pytest
from flask import render_template_string

from analysis import is_supportive
from comment_portal.db import get_db, one, write
from comment_portal.store import decisions as decision_q
from comment_portal.store import groups as group_q
from comment_portal.store import reports as report_q
from tests.helpers import FOREX, OVERSEAS, add_comment, audit_rows, consultation, csrf_token, make_group


def status_of(app, comment_id):
    with app.app_context():
        return one(get_db(), "SELECT status FROM comments WHERE id = ?", [comment_id])["status"]


def post_decision(client, kind, target_id, action="save", **fields):
    prefix = f"{kind[0]}{target_id}"
    url = f"/staff/c/seed/{'groups' if kind == 'group' else 'comments'}/{target_id}/decision"
    data = {f"{prefix}-csrf_token": csrf_token(client, "/staff/"), f"{prefix}-action": action,
            f"{prefix}-next": "/staff/c/seed/report"}
    data.update({f"{prefix}-{k}": v for k, v in fields.items()})
    return client.post(url, data=data)


@pytest.mark.parametrize("text", ["同意！", "支持", "完全赞成这个计划。", "非常好，支持！", "无异议", "同意，希望尽快实施。"])
def test_supportive_texts(text):
    """The portal answers with thanks what the analysis engine recognises as support (analysis.is_supportive)."""
    assert is_supportive(text)


@pytest.mark.parametrize("text", [
    "", "不同意这个计划。", "支持，但建议增加对中小企业的补贴。", "反对",
    "支持" + "跨境电商发展" * 10, "同意第三条吗？", OVERSEAS,
])
def test_not_supportive_texts(text):
    assert not is_supportive(text)


@pytest.mark.parametrize("category", ["部分采纳", "未采纳"])
def test_reason_required_for_partly_and_not_adopted(app, seeded, reviewer_client, category):
    ids = [add_comment(app, OVERSEAS, "3.1"), add_comment(app, OVERSEAS + "谢谢", "3.1")]
    gid = make_group(app, ids, key="3.1")
    response = post_decision(reviewer_client, "group", gid, category=category, reason="  ")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"采纳情况为“{category}”时必须填写理由说明" in page
    with app.app_context():
        assert decision_q.for_group(get_db(), gid) is None
    assert audit_rows(app, "decision.set") == []
    assert status_of(app, ids[0]) == "grouped"

    response = post_decision(reviewer_client, "group", gid, category=category, reason="该建议涉及国家层面政策。")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/c/seed/report")
    assert all(status_of(app, i) == "decided" for i in ids)


def test_reason_optional_for_adopted_and_revised_text_only_when_adopted(app, seeded):
    cid = add_comment(app, OVERSEAS, "3.1")
    with app.app_context():
        db = get_db()
        c = consultation(app)
        now = app.extensions["clock"].now()
        decision_q.set_comment_decision(db, c, cid, category="采纳", reason="", revised_text="新的表述",
                                        staff=None, now=now)
        with pytest.raises(decision_q.DecisionError, match="修改后表述"):
            decision_q.set_comment_decision(db, c, cid, category="不属于征求意见范围", reason="",
                                            revised_text="x", staff=None, now=now)
        with pytest.raises(decision_q.DecisionError, match="不在本次征求意见的分类中"):
            decision_q.set_comment_decision(db, c, cid, category="随便", reason="x", staff=None, now=now)
        assert decision_q.for_comment(db, cid).revised_text == "新的表述"


def test_group_decision_and_clear_are_audited_with_before_and_after(app, seeded, reviewer_client):
    ids = [add_comment(app, OVERSEAS, "3.1") for _ in range(2)]
    gid = make_group(app, ids, key="3.1")
    assert post_decision(reviewer_client, "group", gid, category="采纳", reason="",
                         revised_text="支持企业建设海外仓。").status_code == 303
    assert post_decision(reviewer_client, "group", gid, category="未采纳", reason="超出本计划范围。").status_code == 303
    sets = audit_rows(app, "decision.set")
    assert len(sets) == 2
    assert sets[0]["actor"] == "reviewer1" and sets[0]["entity"] == "group" and sets[0]["entity_id"] == str(gid)
    assert sets[0]["before_json"] is None
    assert json.loads(sets[0]["after_json"])["category"] == "采纳"
    assert json.loads(sets[1]["before_json"])["category"] == "采纳"
    assert json.loads(sets[1]["after_json"])["reason"] == "超出本计划范围。"

    assert post_decision(reviewer_client, "group", gid, action="clear").status_code == 303
    cleared = audit_rows(app, "decision.clear")
    assert len(cleared) == 1 and json.loads(cleared[0]["before_json"])["category"] == "未采纳"
    assert all(status_of(app, i) == "grouped" for i in ids)
    with app.app_context():
        assert decision_q.for_group(get_db(), gid) is None


def test_comment_override_beats_group_decision(app, seeded, reviewer_client):
    ids = [add_comment(app, OVERSEAS, "3.1") for _ in range(3)]
    gid = make_group(app, ids, key="3.1")
    assert post_decision(reviewer_client, "group", gid, category="采纳", reason="").status_code == 303
    assert post_decision(reviewer_client, "comment", ids[0], category="未采纳",
                         reason="该企业的具体诉求不宜在本计划中规定。").status_code == 303
    with app.app_context():
        db = get_db()
        c = consultation(app)
        assert decision_q.effective_counts(db, c.id) == {"采纳": 2, "未采纳": 1}
        report = report_q.build(db, c).report
    by_decision = {op.decision: op for op in report.opinions}
    assert by_decision["采纳"].comment_count == 2
    assert by_decision["未采纳"].comment_count == 1 and by_decision["未采纳"].reason.startswith("该企业")
    audit = audit_rows(app, "decision.set")
    assert [a["entity"] for a in audit] == ["group", "comment"]

    # Withdrawing the override: the group's decision applies again.
    assert post_decision(reviewer_client, "comment", ids[0], action="clear").status_code == 303
    assert status_of(app, ids[0]) == "decided"
    with app.app_context():
        assert decision_q.effective_counts(get_db(), consultation(app).id) == {"采纳": 3}
    # And withdrawing the group's: back to grouped.
    assert post_decision(reviewer_client, "group", gid, action="clear").status_code == 303
    assert {status_of(app, i) for i in ids} == {"grouped"}


def test_spam_and_duplicates_are_not_decided(app, seeded):
    cid = add_comment(app, OVERSEAS, status="spam")
    with app.app_context(), pytest.raises(decision_q.DecisionError, match="重复意见和无效意见"):
        decision_q.set_comment_decision(get_db(), consultation(app), cid, category="采纳", reason="",
                                        staff=None, now=app.extensions["clock"].now())
    assert status_of(app, cid) == "spam"


def test_bulk_thanks_only_hits_supportive_comments(app, seeded, reviewer_client):
    yes = [add_comment(app, "同意！"), add_comment(app, "完全支持这个计划。", "3.1")]
    other = add_comment(app, FOREX, "3.1")
    objection = add_comment(app, "不同意")
    page = reviewer_client.get("/staff/c/seed/supportive").get_data(as_text=True)
    assert "同意！" in page and "完全支持这个计划。" in page and FOREX not in page and "不同意" not in page

    token = csrf_token(reviewer_client, "/staff/c/seed/supportive")
    response = reviewer_client.post("/staff/c/seed/supportive", data={
        "csrf_token": token, "category": "采纳", "reason": "感谢您的支持。",
        "comment_ids": [str(i) for i in [*yes, other, objection]],  # a forged list: only supportive ones count
    })
    assert response.status_code == 303
    assert [status_of(app, i) for i in yes] == ["decided", "decided"]
    assert status_of(app, other) == "pending" and status_of(app, objection) == "pending"
    audit = audit_rows(app, "decision.bulk_thanks")
    assert sorted(int(a["entity_id"]) for a in audit) == sorted(yes)
    assert json.loads(audit[0]["after_json"])["reason"] == "感谢您的支持。"
    with app.app_context():
        assert decision_q.for_comment(get_db(), other) is None
    assert "目前没有待答复的支持性意见" in reviewer_client.get("/staff/c/seed/supportive").get_data(as_text=True)


def test_template_button_fills_the_reason_for_editing(app, seeded, reviewer_client):
    gid = make_group(app, [add_comment(app, OVERSEAS, "3.1")], key="3.1")
    response = post_decision(reviewer_client, "group", gid, action="template", category="未采纳", reason="",
                             template="1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert decision_q.DEFAULT_REASON_TEMPLATES[1] in page
    with app.app_context():
        assert decision_q.for_group(get_db(), gid) is None
    # Saving with a template picked and no reason typed uses the template's text.
    assert post_decision(reviewer_client, "group", gid, category="未采纳", reason="", template="1").status_code == 303
    with app.app_context():
        assert decision_q.for_group(get_db(), gid).reason == decision_q.DEFAULT_REASON_TEMPLATES[1]


def test_partials_render_forms_for_other_pages(app, seeded):
    """The comment page's decision partial (the group page's decision is part of its one form:
    tests/portal/test_group_review.py)."""
    from comment_portal.staff.decisions import decision_panel

    ids = [add_comment(app, OVERSEAS, "3.1")]
    make_group(app, ids, key="3.1")
    with app.test_request_context("/staff/c/seed/comments/1"):
        c = consultation(app)
        comment = decision_q.comment_row(get_db(), c.id, ids[0])
        html = render_template_string('{% include "staff/_comment_decision.html" %}', consultation=c, comment=comment,
                                      comment_decision=decision_panel(c, comment_id=ids[0]))
    assert f'action="/staff/c/seed/comments/{ids[0]}/decision"' in html
    assert f'name="c{ids[0]}-csrf_token"' in html and f'name="c{ids[0]}-category"' in html
    assert "部分采纳" in html and "不属于征求意见范围" in html
    assert " style=" not in html and "<script" not in html
    # The clause's current text is offered as the "before" of a revised wording.
    assert "修改前（条款现行表述）" in html


def test_unknown_targets_are_404(seeded, reviewer_client):
    assert post_decision(reviewer_client, "group", 999, category="采纳").status_code == 404
    assert post_decision(reviewer_client, "comment", 999, category="采纳").status_code == 404


def test_report_resolves_merged_groups_and_lists_undecided_ungrouped_comments(app, seeded):
    a = [add_comment(app, OVERSEAS, "3.1") for _ in range(2)]
    b = [add_comment(app, OVERSEAS + "谢谢。", "3.1")]
    loose = add_comment(app, FOREX, "3.3")
    ga, gb = make_group(app, a, key="3.1"), make_group(app, b, key="3.1", title="海外仓补贴")
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        decision_q.set_group_decision(db, c, ga, category="采纳", reason="", staff=None, now=now)
        group_q.merge(db, c.id, gb, ga, staff=None, now=now)
        built = report_q.build(db, c)
    report = built.report
    assert [op.comment_count for op in report.opinions] == [3, 1]
    assert report.opinions[0].decision == "采纳" and report.opinions[1].decision == ""
    assert built.sources == [("group", ga), ("comment", loose)]
    assert [p.code for p in report.check()] == ["undecided"]
    assert report.counts.valid == 4 and report.counts.undecided == 1


def test_status_follows_moves_into_and_out_of_decided_groups(app, seeded):
    """A comment moved into a decided group is decided; moved out again, it is grouped."""
    from comment_portal.db import get_db, one
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import decisions, groups
    from tests.helpers import add_comment

    first = add_comment(app, "建议放宽小微企业外汇结算限额。", "3.3.12")
    second = add_comment(app, "建议提高免于名录登记的金额门槛。", "3.3.12")
    with app.app_context():
        db = get_db()
        row = consultation_q.get_by_slug(db, "seed")
        now = app.extensions["clock"].now()
        with write(db):
            decided = groups.create(db, row.id, now=now, kind="manual", title="外汇", clause_key="3.3.12")
            plain = groups.create(db, row.id, now=now, kind="manual", title="其他", clause_key="3.3.12")
            groups.move_comments(db, [first], decided, now=now)
        decisions.set_group_decision(db, row, decided, category="采纳", reason="", staff=None, now=now)

        def status(comment_id):
            return one(db, "SELECT status FROM comments WHERE id = ?", [comment_id])["status"]

        assert status(first) == "decided"
        with write(db):
            groups.move_comments(db, [second], decided, now=now)
        assert status(second) == "decided"
        with write(db):
            groups.move_comments(db, [second], plain, now=now)
        assert status(second) == "grouped"
        with write(db):
            groups.move_comments(db, [second], None, now=now)
        assert status(second) == "pending"


def test_supportive_answers_count_as_support_not_adoption(app, seeded, reviewer_client):
    """表示支持 (the bulk default) is exports' supportive opinion: counted and thanked, never 采纳."""
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import reports as report_q

    yes = [add_comment(app, "同意！"), add_comment(app, "完全支持这个计划。", "3.1")]
    page = reviewer_client.get("/staff/c/seed/supportive").get_data(as_text=True)
    assert 'value="表示支持" selected' in page or 'selected value="表示支持"' in page
    token = csrf_token(reviewer_client, "/staff/c/seed/supportive")
    response = reviewer_client.post("/staff/c/seed/supportive", data={
        "csrf_token": token, "category": decision_q.SUPPORT, "reason": "",
        "comment_ids": [str(i) for i in yes]})
    assert response.status_code == 303
    with app.app_context():
        db = get_db()
        report = report_q.build(db, consultation_q.get_by_slug(db, "seed")).report
    assert report.counts.supportive == 2
    assert report.counts.by_category.get("采纳", 0) == 0
    assert all(op.supportive and not op.decision for op in report.opinions)
    assert not [p for p in report.check() if p.code == "undecided"]


@pytest.mark.parametrize("category, required", [
    ("采纳", False), ("已体现（已有相关规定）", False), ("不属于征求意见范围", False),
    ("部分采纳", True), ("未采纳", True), ("不予采纳", True), ("暂不采纳", True), ("部分吸收", True),
])
def test_reason_required_also_for_custom_declining_categories(category, required):
    assert decision_q.reason_required(category) is required


def test_custom_declining_category_without_reason_cannot_be_published(app, seeded):
    """Admins may rename categories; 不予采纳 still needs a reason, in the form and in Report.check()."""
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import reports as report_q

    with app.app_context():
        db = get_db()
        c = consultation_q.get_by_slug(db, "seed")
        with write(db):
            db.execute("UPDATE consultations SET categories_json = ? WHERE id = ?",
                       [json.dumps(["采纳", "部分采纳", "不予采纳", "已体现"], ensure_ascii=False), c.id])
        c = consultation_q.get_by_slug(db, "seed")
        comment_id = add_comment(app, FOREX, "3.3.12")
        with pytest.raises(decision_q.DecisionError):
            decision_q.set_comment_decision(db, c, comment_id, category="不予采纳", reason="", staff=None,
                                            now=app.extensions["clock"].now())
        built = report_q.build(db, c)
    assert "不予采纳" in built.report.reason_required


def test_clearing_a_decision_from_a_stale_page_is_a_message_not_an_error(app, seeded, reviewer_client):
    """Decided, then marked spam by a colleague: 撤销决定 on the old page explains instead of failing."""
    from comment_portal import store

    comment_id = add_comment(app, FOREX, "3.3.12")
    assert post_decision(reviewer_client, "comment", comment_id, category="未采纳", reason="超出范围。").status_code == 303
    with app.app_context():
        db = get_db()
        store.comments.set_status(db, consultation(app).id, comment_id, "spam", staff=None, now=app.extensions["clock"].now())
    response = post_decision(reviewer_client, "comment", comment_id, action="clear", category="未采纳", reason="x")
    assert response.status_code == 303
    page = reviewer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "重复意见和无效意见不单独作出处理决定" in page


def test_revised_text_starts_as_the_clause_text_and_unchanged_means_no_revision(app, seeded, reviewer_client):
    comment_id = add_comment(app, FOREX, "3.3.12")
    page = reviewer_client.get(f"/staff/c/seed/comments/{comment_id}").get_data(as_text=True)
    with app.app_context():
        current = decision_q.clause_text(get_db(), 1, "3.3.12")
    assert current and current[:30] in page.split("修改后：", 1)[1]
    assert post_decision(reviewer_client, "comment", comment_id, category="未采纳", reason="超出范围。",
                         revised_text=current).status_code == 303  # untouched pre-fill: accepted, not stored
    with app.app_context():
        assert not (decision_q.for_comment(get_db(), comment_id).revised_text or "")
    assert post_decision(reviewer_client, "comment", comment_id, category="采纳", reason="",
                         revised_text=current + "新增一句。").status_code == 303
    with app.app_context():
        assert decision_q.for_comment(get_db(), comment_id).revised_text.endswith("新增一句。")
