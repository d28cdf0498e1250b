"""Background jobs (comment_portal/jobs.py): analysis runs and imports queued from the staff pages, done by the job
runner, with progress on the page; a failed job says why and leaves the previous analysis run in place."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from comment_portal import jobs, store
from comment_portal.db import get_db, rows, scalar
from comment_portal.store import analysis_runs, run_save
from tests.helpers import add_comment, consultation, run_analysis, seed_comments, staff_post

GROUPS = "/staff/c/seed/groups"


@pytest.fixture
def queued_only(app):
    """Nothing runs a job until the test calls ``jobs.run_pending`` (as if the runner were busy or slow)."""
    app.config["JOBS_RUNNER"] = "off"
    return app


def _grouping(app) -> dict:
    """The stored grouping: active groups with their title and members, and every comment's group and status."""
    with app.app_context():
        db = get_db()
        groups = {r["id"]: (r["title"], r["kind"], r["merged_into"]) for r in rows(db, "SELECT * FROM groups")}
        members = {r["id"]: (r["group_id"], r["status"]) for r in rows(db, "SELECT id, group_id, status FROM comments")}
        runs = [r["id"] for r in rows(db, "SELECT id FROM analysis_runs WHERE complete = 1")]
    return {"groups": groups, "members": members, "runs": runs}


def _job(app, job_id: int) -> store.jobs.Job:
    with app.app_context():
        job = store.jobs.get(get_db(), job_id)
    assert job is not None
    return job


def _queue_analysis(admin_client) -> int:
    response = staff_post(admin_client, "/staff/c/seed/analyze", {}, form_url=GROUPS)
    assert response.status_code == 303 and response.headers["Location"].endswith(GROUPS)
    ids = rows(get_db(), "SELECT id FROM jobs WHERE kind = 'analysis' ORDER BY id DESC LIMIT 1")
    return ids[0]["id"]


def test_analysis_runs_as_a_job_with_progress_on_the_page(queued_only, seeded, admin_client):
    app = queued_only
    seed_comments(app)
    with app.app_context():
        job_id = _queue_analysis(admin_client)
        page = admin_client.get(GROUPS).get_data(as_text=True)
        # Plain HTML first: the box says where the job is, a refresh shows more; the script only updates it.
        assert f'data-job-status="/staff/c/seed/jobs/{job_id}"' in page and "<progress" in page
        assert "聚类分析<span data-job-state>排队中</span>" in page and "等待开始" in page
        assert re.search(r'<script src="/static/jobs\.(?:[0-9a-f]+\.)?js"', page)  # fingerprinted name (assets.py)
        assert "运行聚类分析</button>" not in page  # no second run while one is queued
        status = admin_client.get(f"/staff/c/seed/jobs/{job_id}").get_json()
        assert status["state"] == "queued" and status["finished"] is False and "result" not in status
        # A second run while the first is queued is refused with a reason.
        again = staff_post(admin_client, "/staff/c/seed/analyze", {}, form_url=GROUPS, follow_redirects=True)
        assert "已有一个分析任务在排队或进行中" in again.get_data(as_text=True)
        assert scalar(get_db(), "SELECT count(*) FROM jobs") == 1

    seen: list[tuple[str, int, int]] = []
    with app.app_context():
        job = store.jobs.claim_next(get_db(), pid=0, now=app.extensions["clock"].now())
        assert job is not None and job.id == job_id
        jobs.run_job(app, get_db(), job, echo=lambda stage, done, total: seen.append((stage, done, total)))
    stages = [stage for stage, _, _ in seen]
    for stage in ("load", "analyse", "save"):
        assert stage in stages
    assert stages.index("load") < stages.index("analyse") < stages.index("save")
    finished = _job(app, job_id)
    assert finished.state == "done" and finished.stage == "save" and finished.done == finished.total > 0
    assert finished.result and finished.result["group_count"] > 0
    status = admin_client.get(f"/staff/c/seed/jobs/{job_id}").get_json()
    assert status["finished"] is True and status["state"] == "done"
    page = admin_client.get(GROUPS).get_data(as_text=True)
    assert "分析完成" in page and "data-job-status" not in page and "运行聚类分析</button>" in page


def test_job_status_is_for_staff_of_that_consultation_only(queued_only, seeded, admin_client, client):
    app = queued_only
    seed_comments(app)
    with app.app_context():
        job_id = _queue_analysis(admin_client)
    assert client.get(f"/staff/c/seed/jobs/{job_id}").status_code in (302, 303)  # logged out: the login page
    assert admin_client.get(f"/staff/c/seed/jobs/{job_id + 1}").status_code == 404


def test_a_failed_analysis_says_why_and_leaves_the_previous_run(app, seeded, admin_client, monkeypatch):
    seed_comments(app)
    run_analysis(app)
    before = _grouping(app)
    add_comment(app, "建议对跨境电商企业参加境外展会给予补贴，并简化申报手续。")

    def broken(*args, **kwargs):
        raise RuntimeError("engine broke")

    monkeypatch.setattr(analysis_runs.analysis, "group_comments", broken)
    page = staff_post(admin_client, "/staff/c/seed/analyze", {}, form_url=GROUPS, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "聚类分析没有完成" in text and "上一次的分析结果保持不变" in text and "engine broke" not in text
    after = _grouping(app)
    assert after["runs"] == before["runs"] and after["groups"] == before["groups"]
    assert {k: v for k, v in after["members"].items() if k in before["members"]} == before["members"]


def _rerun_that_fails_before_completing(app, monkeypatch, *, undo_at_once: bool):
    """A rerun that writes its whole plan (new groups, re-formed groups, moves) and fails before it completes."""

    def fail(db, run_id, record):
        raise RuntimeError("disk full")

    monkeypatch.setattr(run_save, "complete", fail)
    if not undo_at_once:  # the process "dies" before it can undo: the journal stays behind
        monkeypatch.setattr(run_save, "undo", lambda db, run_id: None)
    with pytest.raises(RuntimeError, match="disk full"):
        run_analysis(app)
    monkeypatch.undo()


def _with_new_arrivals(app) -> None:
    """Comments that a rerun places: into new groups and into existing ones."""
    add_comment(app, "建议对跨境电商企业参加境外展会给予补贴，并简化申报手续。")
    add_comment(app, "建议对企业参加境外展会的展位费给予补贴，减轻企业负担。")
    add_comment(app, "海外仓建设投入大，建议出台海外仓专项补贴政策并明确认定标准和申报流程。", "3.3.10")


def test_a_save_that_fails_part_way_is_undone(app, seeded, monkeypatch):
    seed_comments(app)
    run_analysis(app)
    _with_new_arrivals(app)
    before = _grouping(app)
    _rerun_that_fails_before_completing(app, monkeypatch, undo_at_once=True)
    assert _grouping(app) == before
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM run_undo") == 0
        assert scalar(get_db(), "SELECT count(*) FROM analysis_runs WHERE complete = 0") == 0


def test_the_next_runner_undoes_what_a_dead_one_left(app, seeded, monkeypatch):
    seed_comments(app)
    run_analysis(app)
    _with_new_arrivals(app)
    before = _grouping(app)
    with app.app_context():
        db = get_db()
        job = store.jobs.enqueue(db, kind="analysis", consultation_id=consultation(app).id, staff=None,
                                 now=app.extensions["clock"].now())
        store.jobs.claim_next(db, pid=999_999, now=app.extensions["clock"].now())
    _rerun_that_fails_before_completing(app, monkeypatch, undo_at_once=False)
    half_saved = _grouping(app)
    assert half_saved["members"] != before["members"]  # the dead run had moved comments
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM run_undo") > 0
        assert jobs.run_pending(app, wait=0) is True  # the new runner: recovers, finds nothing queued, exits
    assert _grouping(app) == before
    ended = _job(app, job.id)
    assert ended.state == "failed" and "上一次的分析结果保持不变" in (ended.error or "")


def test_one_runner_per_database(app, seeded, tmp_path):
    """The lock is a process's: while another process holds it, this one cannot become the runner."""
    path = jobs.lock_path(app)
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
                                "fcntl.lockf(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"), path],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert jobs.runner_alive(app)
        assert jobs.run_pending(app, wait=0) is False
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not jobs.runner_alive(app)
    assert jobs.run_pending(app, wait=0) is True


def test_the_page_starts_a_runner_process_that_does_the_job(app, seeded, admin_client, monkeypatch):
    """JOBS_RUNNER = process (the default): queueing spawns ``comment-portal run-jobs``, which does the job and
    exits when idle; the page only reads the job's row."""
    monkeypatch.setenv("COMMENT_PORTAL_SECRET_KEY", "test-secret")
    app.config.update(JOBS_RUNNER="process", JOB_RUNNER_IDLE=0)
    seed_comments(app)
    with app.app_context():
        job_id = _queue_analysis(admin_client)
    deadline = time.monotonic() + 120
    while _job(app, job_id).active and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _job(app, job_id).state == "done", _job(app, job_id)
    with app.app_context():
        assert analysis_runs.last_run(get_db(), consultation(app).id) is not None
    for child in jobs._children:
        child.wait(timeout=30)
    assert not jobs.runner_alive(app)


def test_a_testing_app_does_its_jobs_inline_unless_told_otherwise(tmp_path, monkeypatch):
    """So that no test leaves a runner process behind (test_hostile_suite's own app queued analyses)."""
    from comment_portal import create_app

    monkeypatch.delenv("COMMENT_PORTAL_JOBS_RUNNER", raising=False)
    testing = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(tmp_path / "a.db")})
    served = create_app({"SECRET_KEY": "k", "DATABASE": str(tmp_path / "b.db")})
    told = create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE": str(tmp_path / "c.db"), "JOBS_RUNNER": "process"})
    assert (jobs.mode(testing), jobs.mode(served), jobs.mode(told)) == ("inline", "process", "process")
