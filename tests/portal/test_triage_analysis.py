"""analysis_runs: a run is stored with its parameters and groups; a rerun keeps staff's edits and places new comments."""

from __future__ import annotations

import json

from comment_portal.db import get_db, rows, write
from comment_portal.store import analysis_runs
from comment_portal.store import groups as group_q
from tests.helpers import (
    FOREX,
    OVERSEAS,
    TALENT,
    add_comment,
    audit_rows,
    campaign_copies,
    comment,
    group,
    run_analysis,
    seed_comments,
)


def _groups_by_member(app) -> dict[int, int | None]:
    with app.app_context():
        return {r["id"]: r["group_id"] for r in rows(get_db(), "SELECT id, group_id FROM comments")}


def test_first_run_is_stored_with_params_version_and_groups(app, seeded):
    ids = seed_comments(app)
    summary = run_analysis(app)
    with app.app_context():
        db = get_db()
        (run,) = rows(db, "SELECT * FROM analysis_runs")
        active = group_q.active(db, 1)
    assert run["comment_count"] == 19 and run["max_comment_id"] == max(max(v) for v in ids.values())
    assert json.loads(run["params_json"])["random_state"] == 0
    result = json.loads(run["result_json"])
    assert result["version"] and {g["kind"] for g in result["groups"]} >= {"campaign"}
    assert run["software_version"] == analysis_runs.software_version() and "analysis" in run["software_version"]
    assert run["created_at"].startswith("2024-10-01T04:00")
    # The campaign is one group holding every copy; its size counts all of them.
    campaigns = [g for g in active if g.kind == "campaign"]
    assert len(campaigns) == 1 and campaigns[0].size == 12
    assert summary.campaign_count == 1 and summary.group_count == len(active)
    members = _groups_by_member(app)
    assert {members[i] for i in ids["campaign"]} == {campaigns[0].id}
    assert all(members[i] is not None for group_ids in ids.values() for i in group_ids)
    assert all(comment(app, i)["status"] == "grouped" for i in ids["forex"] + ids["talent"])
    # Groups carry the clause of their comments, in draft order.
    assert {g.clause_key for g in active} >= {None, "3.3.10", "3.1.5"}
    (entry,) = audit_rows(app, "analysis.run")
    assert entry["after"]["groups"] == summary.group_count and entry["entity_id"] == str(summary.run_id)


def test_stored_tokens_are_used_not_recomputed(app, seeded, monkeypatch):
    first = add_comment(app, OVERSEAS, "3.3.10")
    second = add_comment(app, TALENT)
    third = add_comment(app, FOREX)
    with app.app_context():
        db = get_db()
        with write(db):
            # A marker token only the stored value has: the analysis must see it.
            db.execute("UPDATE comments SET tokens = ? WHERE id = ?", [json.dumps(["独有标记词"]), second])
            db.execute("UPDATE comments SET tokens = NULL WHERE id = ?", [third])
    seen = {}
    original = analysis_runs.analysis.group_comments

    def spy(comments, draft, **kwargs):
        seen.update({c.id: c.tokens for c in comments})
        return original(comments, draft, **kwargs)

    monkeypatch.setattr(analysis_runs.analysis, "group_comments", spy)
    run_analysis(app)
    assert seen[second] == ["独有标记词"]
    assert seen[first] and seen[third]  # the missing ones are computed once and stored
    assert json.loads(comment(app, third)["tokens"]) == seen[third]


def test_spam_and_duplicates_are_not_analysed_and_keep_their_status(app, seeded):
    ids = seed_comments(app)
    spam = add_comment(app, "点击链接领取大奖 http://example.com 加微信", status="spam")
    with app.app_context():
        db = get_db()
        with write(db):
            db.execute("UPDATE comments SET status = 'duplicate', duplicate_of = ? WHERE id = ?",
                       [ids["talent"][0], ids["talent"][1]])
    run_analysis(app)
    assert comment(app, spam)["status"] == "spam" and comment(app, spam)["group_id"] is None
    assert comment(app, ids["talent"][1])["status"] == "duplicate"


def test_rerun_keeps_staff_edits_and_places_new_comments(app, seeded, clock):
    ids = seed_comments(app)
    run_analysis(app)
    members = _groups_by_member(app)
    campaign_group = members[ids["campaign"][0]]
    overseas_group = members[ids["overseas"][0]]
    forex = ids["forex"][0]
    talent_group = members[ids["talent"][0]]
    with app.app_context():
        db = get_db()
        # Staff rename and summarise the overseas group, and move the forex comment into it.
        group_q.update_text(db, 1, overseas_group, title="海外仓补贴", summary="建议明确海外仓补贴标准。", staff=None,
                            now=clock.now())
        group_q.move_comment(db, 1, forex, overseas_group, staff=None, now=clock.now())
    clock.advance(days=1)
    # New comments arrive: more campaign copies, one on overseas warehouses, one on a new topic.
    late_copies = [add_comment(app, text) for text in campaign_copies(3)]
    late_overseas = add_comment(app, "海外仓补贴标准一定要明确，租赁的海外仓也应纳入海外仓补贴。", "3.3.10")
    late_other = add_comment(app, "建议设立跨境电商知识产权维权援助中心，帮助企业应对海外知识产权纠纷和诉讼。", "3.2.6")
    summary = run_analysis(app)

    after = _groups_by_member(app)
    edited = group(app, overseas_group)
    assert edited["title"] == "海外仓补贴" and edited["summary"] == "建议明确海外仓补贴标准。"
    assert edited["merged_into"] is None
    # Staff's placement stays; every member staff had stays.
    assert after[forex] == overseas_group
    assert {after[i] for i in ids["overseas"]} >= {overseas_group}
    assert all(after[i] == overseas_group for i in ids["overseas"] if members[i] == overseas_group)
    # New copies of the campaign go to the campaign (an existing group: same row, size counts them).
    assert {after[i] for i in late_copies} == {campaign_group}
    with app.app_context():
        assert group_q.get(get_db(), 1, campaign_group).size == 15
    # The new comment on the edited group's topic is placed into it; the new topic gets a group of its own.
    assert after[late_overseas] == overseas_group
    assert after[late_other] not in set(members.values())
    assert summary.new_placed == 5 and summary.new_into_existing >= 1
    # Unedited groups are reused, not duplicated: the talent comments keep their group row.
    assert after[ids["talent"][0]] == talent_group
    with app.app_context():
        runs = rows(get_db(), "SELECT * FROM analysis_runs ORDER BY id")
    assert len(runs) == 2 and runs[1]["max_comment_id"] == late_other


def test_rerun_keeps_decided_status_and_manual_groups(app, seeded, clock):
    ids = seed_comments(app)
    run_analysis(app)
    talent = ids["talent"]
    with app.app_context():
        db = get_db()
        with write(db):
            manual = group_q.create(db, 1, now=clock.now(), title="人才与外汇", clause_key=None)
            group_q.move_comments(db, [talent[0], ids["forex"][0]], manual, now=clock.now())
            db.execute("UPDATE comments SET status = 'decided' WHERE id = ?", [talent[1]])
    decided_group = comment(app, talent[1])["group_id"]
    run_analysis(app)
    assert comment(app, talent[0])["group_id"] == manual and comment(app, ids["forex"][0])["group_id"] == manual
    assert comment(app, talent[1])["status"] == "decided" and comment(app, talent[1])["group_id"] == decided_group
    assert group(app, manual)["title"] == "人才与外汇"


def test_new_comments_are_marked_new_until_staff_act(app, seeded, clock):
    from comment_portal import store

    seed_comments(app)
    run_analysis(app)
    late = add_comment(app, OVERSEAS + "补充：希望尽快出台细则。", "3.3.10")
    with app.app_context():
        db = get_db()
        assert store.comments.get(db, 1, late).is_new
        assert store.queue.new_since_last_run(db, 1) == 1
    run_analysis(app)
    with app.app_context():
        db = get_db()
        assert store.comments.get(db, 1, late).is_new  # placed, still unseen
        assert store.queue.new_since_last_run(db, 1) == 0
        store.comments.set_note(db, 1, late, "已电话核实", staff=None, now=clock.now())
        assert not store.comments.get(db, 1, late).is_new
        assert not store.comments.get(db, 1, 1).is_new  # analysed in the first run: never 新


def test_unprocessable_comments_are_reported_not_dropped(app, seeded):
    seed_comments(app)
    emoji = add_comment(app, "👍👍👍👍👍")
    summary = run_analysis(app)
    assert summary.unprocessed_count == 1 and summary.unprocessed[0]["id"] == emoji
    assert comment(app, emoji)["status"] == "pending" and comment(app, emoji)["group_id"] is None


def test_groups_with_decisions_are_locked(app, seeded, clock):
    ids = seed_comments(app)
    run_analysis(app)
    decided_group = comment(app, ids["campaign"][0])["group_id"]
    overridden = ids["other"][0]
    with app.app_context():
        db = get_db()
        assert analysis_runs._locked_groups(db, 1) == set()
        with write(db):
            db.execute("INSERT INTO decisions (consultation_id, group_id, category, reason, decided_at) "
                       "VALUES (1, ?, '未采纳', '超出本计划调整范围。', '2024-10-01T04:00:00+00:00')", [decided_group])
            db.execute("INSERT INTO decisions (consultation_id, comment_id, category, decided_at) "
                       "VALUES (1, ?, '采纳', '2024-10-01T04:00:00+00:00')", [overridden])
        assert analysis_runs._locked_groups(db, 1) == {decided_group, comment(app, overridden)["group_id"]}


def test_restoring_a_comment_follows_its_merged_group(app, seeded):
    """A spam member left behind in a group that was merged away comes back into the live group."""
    from comment_portal import store
    from comment_portal.db import get_db, one, write
    from comment_portal.store import consultations as consultation_q
    from comment_portal.store import decisions as decision_q
    from comment_portal.store import groups as group_q

    kept = add_comment(app, "建议出台海外仓专项补贴政策。", "3.3.10")
    spam = add_comment(app, "建议出台海外仓专项补贴政策。", "3.3.10", status="spam")
    with app.app_context():
        db, now = get_db(), app.extensions["clock"].now()
        c = consultation_q.get_by_slug(db, "seed")
        with write(db):
            old = group_q.create(db, c.id, now=now, kind="cluster", title="旧", clause_key="3.3.10")
            live = group_q.create(db, c.id, now=now, kind="cluster", title="新", clause_key="3.3.10")
            db.execute("UPDATE comments SET group_id = ? WHERE id IN (?, ?)", [old, kept, spam])
            # As an older rerun left it: the analysed member moved on, the spam one stayed behind.
            group_q.move_comments(db, [kept], live, now=now)
            db.execute("UPDATE groups SET merged_into = ? WHERE id = ?", [live, old])
        decision_q.set_group_decision(db, c, live, category="采纳", reason="", staff=None, now=now)
        store.comments.set_status(db, c.id, spam, "pending", staff=None, now=now)
        row = one(db, "SELECT status, group_id FROM comments WHERE id = ?", [spam])
    assert row == {"status": "decided", "group_id": live}


def test_supportive_comments_are_set_aside_in_their_own_group(app, seeded):
    """完全同意本条内容 is answered with thanks in a 表示支持 group, never grouped with real proposals."""
    from comment_portal.db import get_db, one
    from comment_portal.store import consultations as consultation_q

    proposals = [add_comment(app, OVERSEAS, "3.3.10"), add_comment(app, OVERSEAS + "谢谢。", "3.3.10")]
    support = [add_comment(app, "完全同意本条内容。", "3.3.10"), add_comment(app, "支持！希望早日落地。", "3.3.10")]
    with app.app_context():
        db = get_db()
        summary = analysis_runs.run(db, consultation_q.get_by_slug(db, "seed"), staff=None,
                                    now=app.extensions["clock"].now())
        placed = {i: one(db, "SELECT status, group_id FROM comments WHERE id = ?", [i]) for i in proposals + support}
        kinds = {g.id: g for g in group_q.active(db, 1)}
    assert summary.supportive_count == 2
    (supportive,) = {placed[i]["group_id"] for i in support}
    assert kinds[supportive].kind == "supportive" and kinds[supportive].title == "表示支持"
    assert all(placed[i]["group_id"] not in (None, supportive) for i in proposals)
    assert kinds[placed[proposals[0]]["group_id"]].kind != "supportive"


def test_new_groups_are_named_by_their_representative_comments_first_sentence(app, seeded):
    from comment_portal.db import get_db
    from comment_portal.store import consultations as consultation_q

    add_comment(app, "建议对海外仓建设给予专项补贴。补贴标准可参照外省做法。", "3.3.10")
    with app.app_context():
        db = get_db()
        analysis_runs.run(db, consultation_q.get_by_slug(db, "seed"), staff=None, now=app.extensions["clock"].now())
        titles = [g.title for g in group_q.active(db, 1)]
    assert titles == ["建议对海外仓建设给予专项补贴"]
