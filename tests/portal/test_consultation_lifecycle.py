"""A consultation's life in the store: an uploaded draft (not public), fixes kept per source file, the notice, and
the window managed within the rules — each change with its reason, in window_changes and the audit log."""

from datetime import date

import pytest

from comment_portal.db import get_db, one
from comment_portal.store import comments, drafts, holidays, site_settings, submitter_rights, windows
from comment_portal.window import CLOSED, OPEN, UPCOMING, Window
from draft import SEED_PATH
from draft.fixes import FixError
from tests.helpers import add_comment, audit_rows, beijing, comment

D = date
SEED_BYTES = SEED_PATH.read_bytes()


def upload(app, data: bytes = SEED_BYTES, name: str = "seed.txt", slug: str = "up", doc_type: str = "market"):
    with app.app_context():
        db = get_db()
        prepared = drafts.prepare(db, data, name)
        cid = drafts.create(db, prepared, slug=slug, doc_type=doc_type, stored_name="x" * 24 + ".txt", staff=None,
                            now=app.extensions["clock"].now())
        return cid, prepared


def row(app, cid):
    with app.app_context():
        return one(get_db(), "SELECT * FROM consultations WHERE id = ?", [cid])


def now(app):
    return app.extensions["clock"].now()


def test_an_upload_is_a_draft_with_the_notice_and_a_default_window(app):
    cid, prepared = upload(app)
    r = row(app, cid)
    assert r["state"] == "draft" and r["doc_type"] == "market"
    assert r["announcement"].startswith("日前,我局草拟了") and r["background"].endswith("公开向社会征求意见。")
    assert r["source_sha256"] == prepared.sha256 and r["source_kind"] == "txt" and r["source_size"] == len(SEED_BYTES)
    # the notice's window (2024) is past on 2024-10-01: the default opens today for the 30-day minimum
    assert (r["opens_on"], r["closes_on"]) == ("2024-10-01", "2024-10-30")
    assert audit_rows(app, "consultation.import")[-1]["consultation_id"] == cid


def test_fixes_are_kept_for_the_file_and_replayed_on_the_next_import(app):
    cid, _ = upload(app)
    with app.app_context():
        db = get_db()
        made = drafts.fix(db, cid, op="merge", key="3.1.2", staff=None, now=now(app))
        assert made.describe() == "“2.加快传统企业转型升级”并入上一条"
        assert one(db, "SELECT 1 AS x FROM clauses WHERE consultation_id = ? AND key = '3.1.2'", [cid]) is None
        with pytest.raises(FixError):
            drafts.fix(db, cid, op="outdent", key="3.1.1", staff=None, now=now(app))   # not the last child
    assert [r["after"]["fix"] for r in audit_rows(app, "draft.fix")] == [made.describe()]
    # the same bytes again (another consultation): the fix is replayed
    cid2, prepared = upload(app, slug="again")
    assert [f.describe() for f in prepared.applied] == [made.describe()] and prepared.skipped == []
    with app.app_context():
        assert one(get_db(), "SELECT 1 AS x FROM clauses WHERE consultation_id = ? AND key = '3.1.2'", [cid2]) is None
    # other bytes (a changed file) get none of it
    _, other = upload(app, data=SEED_BYTES + b"\n", slug="other")
    assert other.applied == []


def test_undo_takes_back_the_last_fix(app):
    cid, prepared = upload(app)
    with app.app_context():
        db = get_db()
        drafts.fix(db, cid, op="merge", key="3.1.2", staff=None, now=now(app))
        drafts.fix(db, cid, op="relabel", key="1", label="一、", heading="总体思路", staff=None, now=now(app))
        undone = drafts.undo(db, cid, prepared.raw, staff=None, now=now(app))
        assert undone.op == "relabel"
        assert [f.op for f in drafts.fixes_of(db, cid)] == ["merge"]
        assert one(db, "SELECT heading FROM clauses WHERE consultation_id = ? AND key = '1'", [cid])["heading"] == "指导思想"
        drafts.undo(db, cid, prepared.raw, staff=None, now=now(app))
        assert drafts.undo(db, cid, prepared.raw, staff=None, now=now(app)) is None
        assert one(db, "SELECT count(*) AS n FROM clauses WHERE consultation_id = ?", [cid])["n"] == 52


def test_a_public_consultation_is_fixed_by_a_new_version_not_by_fixes(app, seeded):
    with app.app_context():
        db = get_db()
        cid = one(db, "SELECT id FROM consultations WHERE slug = 'seed'")["id"]
        with pytest.raises(drafts.DraftStateError):
            drafts.fix(db, cid, op="merge", key="3.1.2", staff=None, now=now(app))


def test_notice_edits_are_audited_with_what_changed(app):
    cid, _ = upload(app)
    with app.app_context():
        changed = drafts.set_notice(get_db(), cid, {"email": "dianshang@example.gov.cn", "postcode": "300201",
                                                    "title": row(app, cid)["title"]}, staff=None, now=now(app))
    assert set(changed) == {"email", "postcode"}
    audit = audit_rows(app, "consultation.notice")[-1]
    assert audit["after"] == {"email": "dianshang@example.gov.cn", "postcode": "300201"}


# -- the window -------------------------------------------------------------------------------------------
def schedule(app, cid, opens, closes, doc_type="market", short_reason="", reason=""):
    with app.app_context():
        windows.schedule(get_db(), cid, doc_type=doc_type, opens_on=opens, closes_on=closes,
                         short_reason=short_reason, reason=reason, staff=None, now=now(app))


def test_a_16_day_window_on_a_market_draft_needs_a_reason(app):
    cid, _ = upload(app)
    with pytest.raises(windows.WindowError, match="不少于30日.*缩短理由"):
        schedule(app, cid, D(2024, 10, 1), D(2024, 10, 16))
    assert row(app, cid)["closes_on"] == "2024-10-30"                 # nothing changed
    schedule(app, cid, D(2024, 10, 1), D(2024, 10, 16), short_reason="落实上级部署时间紧，征求意见期缩短为16日。")
    r = row(app, cid)
    assert (r["closes_on"], r["short_reason"]) == ("2024-10-16", "落实上级部署时间紧，征求意见期缩短为16日。")
    schedule(app, cid, D(2024, 10, 1), D(2024, 10, 16), doc_type="other")   # 其他: no minimum


def test_normative_documents_count_working_days(app):
    cid, _ = upload(app)
    # 10-01…07 off, 8, 9, 10, 11, Sat 12 (调休上班), 14, 15: the 7th working day from 10-01 is 10-15
    with pytest.raises(windows.WindowError, match="7个工作日"):
        schedule(app, cid, D(2024, 10, 1), D(2024, 10, 14), doc_type="normative")
    schedule(app, cid, D(2024, 10, 1), D(2024, 10, 15), doc_type="normative")


def test_opening_makes_a_draft_public_once_its_window_is_within_the_rules(app):
    cid, _ = upload(app)
    with app.app_context():
        db = get_db()
        db.execute("UPDATE consultations SET closes_on = '2024-10-16' WHERE id = ?", [cid])
        db.conn.commit()
        assert "缩短理由" in windows.open_problem(db, cid, now(app))
        with pytest.raises(windows.WindowError):
            windows.open_consultation(db, cid, staff=None, now=now(app))
    schedule(app, cid, D(2024, 10, 1), D(2024, 10, 30))
    with app.app_context():
        windows.open_consultation(get_db(), cid, staff=None, now=now(app))
        with pytest.raises(windows.WindowError, match="已经发布"):
            windows.open_consultation(get_db(), cid, staff=None, now=now(app))
    r = row(app, cid)
    assert r["state"] == "public" and r["opened_at"]
    assert audit_rows(app, "consultation.open")[-1]["after"]["state"] == "public"


def test_a_draft_whose_start_has_passed_cannot_open(app, clock):
    cid, _ = upload(app)
    clock.set(beijing(2024, 10, 3, 9, 0, 0))
    with app.app_context():
        assert "开始日期（2024年10月1日）已过" in windows.open_problem(get_db(), cid, now(app))


def test_extend_close_and_reopen_with_reasons(app, seeded, clock):
    with app.app_context():
        db = get_db()
        cid = one(db, "SELECT id FROM consultations WHERE slug = 'seed'")["id"]
        db.execute("INSERT INTO window_changes (consultation_id, kind, opens_on, closes_on, actor, created_at) "
                   "VALUES (?, 'open', '2024-09-25', '2024-10-10', '命令行', '2024-09-24T16:00:00+00:00')", [cid])
        db.conn.commit()
        with pytest.raises(windows.WindowError, match="已经开始"):
            windows.schedule(db, cid, doc_type="market", opens_on=D(2024, 10, 2), closes_on=D(2024, 11, 30),
                             short_reason="", reason="调整", staff=None, now=now(app))
        with pytest.raises(windows.WindowError, match="延长原因"):
            windows.extend(db, cid, D(2024, 10, 20), " ", staff=None, now=now(app))
        with pytest.raises(windows.WindowError, match="应晚于"):
            windows.extend(db, cid, D(2024, 10, 9), "理由", staff=None, now=now(app))
        windows.extend(db, cid, D(2024, 10, 20), "应企业要求延长。", staff=None, now=now(app))
        comment_id = add_comment(app, "建议明确海外仓认定标准。")
        assert windows.state_of(db, cid).closes_on == "2024-10-20"

        clock.set(beijing(2024, 10, 8, 15, 30, 0))
        windows.close_early(db, cid, "已达到征求意见目的。", staff=None, now=now(app))
        window = Window.of(windows.state_of(db, cid))
        assert window.closes_on == D(2024, 10, 8) and window.status(now(app)) == CLOSED
        assert window.status(beijing(2024, 10, 8, 15, 29, 0)) == OPEN      # open until the moment it closed
        with pytest.raises(windows.WindowError, match="重新开放"):
            windows.extend(db, cid, D(2024, 10, 30), "再延长", staff=None, now=now(app))
        found = comments.by_receipt(db, comment(app, comment_id)["receipt_code"])
        assert submitter_rights.withdrawal_problem(found, windows.state_of(db, cid), now(app))   # closed early

        clock.set(beijing(2024, 10, 9, 9, 0, 0))
        windows.reopen(db, cid, D(2024, 10, 15), "误操作，恢复征求意见。", staff=None, now=now(app))
        state = windows.state_of(db, cid)
        assert Window.of(state).status(now(app)) == OPEN and state.closed_at is None
        notes = windows.public_notes(windows.changes(db, cid))
    assert notes == [
        "征求意见期已延长至2024年10月20日（2024年10月1日调整，原定截止日期为2024年10月10日）。原因：应企业要求延长。",
        "本次征求意见已于2024年10月8日提前截止（原定截止日期为2024年10月20日）。原因：已达到征求意见目的。",
        "本次征求意见已于2024年10月9日重新开放，截止日期为2024年10月15日。原因：误操作，恢复征求意见。",
    ]
    assert [r["after"]["change_reason"] for r in audit_rows(app, "window.extend") + audit_rows(app, "window.close")
            + audit_rows(app, "window.reopen")] == ["应企业要求延长。", "已达到征求意见目的。", "误操作，恢复征求意见。"]


def test_an_upcoming_public_window_can_be_rescheduled_with_a_reason(app):
    cid, _ = upload(app)
    schedule(app, cid, D(2024, 10, 5), D(2024, 11, 3))
    with app.app_context():
        windows.open_consultation(get_db(), cid, staff=None, now=now(app))
        assert Window.of(windows.state_of(get_db(), cid)).status(now(app)) == UPCOMING
    with pytest.raises(windows.WindowError, match="调整原因"):
        schedule(app, cid, D(2024, 10, 6), D(2024, 11, 4))
    schedule(app, cid, D(2024, 10, 6), D(2024, 11, 4), reason="与相关文件同步发布。")
    with app.app_context():
        assert windows.public_notes(windows.changes(get_db(), cid)) == [
            "征求意见期已调整为2024年10月6日至2024年11月4日（2024年10月1日调整）。原因：与相关文件同步发布。"]


# -- site settings and the calendar ------------------------------------------------------------------------
def test_site_settings_default_and_audited_changes(app):
    with app.app_context():
        db = get_db()
        assert site_settings.get(db).feedback_working_days == 20 and site_settings.get(db).office_name == ""
        changed = site_settings.update(db, {"office_name": "天津市商务局电商处", "feedback_working_days": 15,
                                            "bogus": "x"}, staff=None, now=now(app))
        assert set(changed) == {"office_name", "feedback_working_days"}
        s = site_settings.get(db)
        assert (s.office_name, s.feedback_working_days) == ("天津市商务局电商处", 15)
        assert site_settings.update(db, {"office_name": "天津市商务局电商处"}, staff=None, now=now(app)) == {}
    assert len(audit_rows(app, "site.settings")) == 1


def test_the_calendar_is_seeded_and_editable(app):
    with app.app_context():
        db = get_db()
        cal = holidays.calendar(db)
        assert cal.working_days(D(2024, 9, 25), D(2024, 10, 10)) == 8
        assert cal.years == frozenset({2024, 2025, 2026})
        holidays.set_day(db, D(2027, 1, 1), "holiday", "元旦", staff=None, now=now(app))
        with pytest.raises(holidays.HolidayError, match="不需要登记"):
            holidays.set_day(db, D(2027, 1, 4), "workday", "补班", staff=None, now=now(app))
        assert holidays.delete_day(db, D(2024, 9, 29), staff=None, now=now(app))     # a make-up Sunday
        assert holidays.calendar(db).working_days(D(2024, 9, 25), D(2024, 10, 10)) == 7
        assert 2027 in holidays.calendar(db).years
        assert not holidays.delete_day(db, D(2024, 9, 29), staff=None, now=now(app))
    assert [r["action"] for r in audit_rows(app, "holiday.set") + audit_rows(app, "holiday.delete")] == [
        "holiday.set", "holiday.delete"]
