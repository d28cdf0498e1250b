"""Background jobs: long staff work (an analysis run, a large import) queued here and done by the job runner
(``comment_portal/jobs.py``) outside any request.

A job goes queued → running → done | failed. While it runs it records its stage and done/total (the progress
bar on the staff pages and in the CLI); a failed job keeps the reason, in Chinese, for the page. Every write here
is one short transaction: progress is written often, and a comment POST must never wait behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from ..clock import iso
from ..db import one, rows, scalar, write
from .rows import StaffAccount

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
#: Kinds of which one at a time per consultation makes sense: a second run would redo the first.
ONE_AT_A_TIME = {"analysis"}

_COLUMNS = ("id, consultation_id, kind, state, stage, done, total, params_json, result_json, error, created_by, "
            "created_at, started_at, finished_at, updated_at")


class JobError(ValueError):
    """A job that cannot be queued, with a message in Chinese saying why."""


@dataclass(frozen=True)
class Job:
    id: int
    consultation_id: int | None
    kind: str
    state: str
    stage: str = ""
    done: int = 0
    total: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    error: str | None = None
    created_by: int | None = None
    created_at: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    updated_at: str | None = None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def failed(self) -> bool:
        return self.state == FAILED

    def status(self) -> dict[str, Any]:
        """What a progress bar needs (the JSON the staff pages poll): no results, no personal data."""
        return {"id": self.id, "kind": self.kind, "state": self.state, "stage": self.stage, "done": self.done,
                "total": self.total, "error": self.error, "finished": not self.active}


def _job(row: dict[str, Any] | None) -> Job | None:
    if row is None:
        return None
    params = json.loads(row.pop("params_json") or "{}")
    result = row.pop("result_json")
    return Job(**row, params=params, result=json.loads(result) if result else None)


def enqueue(db: Database, *, kind: str, consultation_id: int | None, staff: StaffAccount | None, now: datetime,
            params: dict[str, Any] | None = None, data: bytes | None = None) -> Job:
    """Queue a job; ``data`` is its input file (kept until the job ends). One analysis per consultation at a
    time: a second one while the first is queued or running is refused."""
    with write(db):
        if kind in ONE_AT_A_TIME:
            running = active(db, consultation_id, kind)
            if running is not None:
                raise JobError("已有一个分析任务在排队或进行中，请等它完成后再运行。")
        job_id = db.execute(
            "INSERT INTO jobs (consultation_id, kind, params_json, input, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [consultation_id, kind, json.dumps(params or {}, ensure_ascii=False), data,
             staff.id if staff else None, iso(now), iso(now)],
        ).lastrowid or 0
    job = get(db, job_id)
    assert job is not None
    return job


def get(db: Database, job_id: int) -> Job | None:
    return _job(one(db, f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", [job_id]))


def active(db: Database, consultation_id: int | None, kind: str) -> Job | None:
    """The queued or running job of ``kind`` for the consultation (the oldest), if any."""
    return _job(one(db, f"SELECT {_COLUMNS} FROM jobs WHERE consultation_id IS ? AND kind = ? "
                        "AND state IN (?, ?) ORDER BY id LIMIT 1", [consultation_id, kind, *ACTIVE]))


def latest(db: Database, consultation_id: int | None, kind: str) -> Job | None:
    return _job(one(db, f"SELECT {_COLUMNS} FROM jobs WHERE consultation_id IS ? AND kind = ? ORDER BY id DESC "
                        "LIMIT 1", [consultation_id, kind]))


def recent(db: Database, limit: int = 20) -> list[Job]:
    return [j for j in (_job(r) for r in rows(db, f"SELECT {_COLUMNS} FROM jobs ORDER BY id DESC LIMIT ?",
                                                [limit])) if j]


def has_queued(db: Database) -> bool:
    return bool(scalar(db, "SELECT 1 FROM jobs WHERE state = ? LIMIT 1", [QUEUED]))


def has_unfinished(db: Database) -> bool:
    """Whether any job is queued or running (a runner has work, or had it when it died)."""
    return bool(scalar(db, "SELECT 1 FROM jobs WHERE state IN (?, ?) LIMIT 1", list(ACTIVE)))


def input_of(db: Database, job_id: int) -> bytes:
    return scalar(db, "SELECT input FROM jobs WHERE id = ?", [job_id]) or b""


def claim_next(db: Database, *, pid: int, now: datetime) -> Job | None:
    """The oldest queued job, now marked running by this runner (only the runner holding the lock calls this)."""
    with write(db):
        job_id = scalar(db, "SELECT id FROM jobs WHERE state = ? ORDER BY id LIMIT 1", [QUEUED])
        if job_id is None:
            return None
        db.execute("UPDATE jobs SET state = ?, started_at = ?, updated_at = ?, runner_pid = ? WHERE id = ?",
                   [RUNNING, iso(now), iso(now), pid, job_id])
    return get(db, job_id)


def set_progress(db: Database, job_id: int, stage: str, done: int, total: int, *, now: datetime) -> None:
    with write(db):
        db.execute("UPDATE jobs SET stage = ?, done = ?, total = ?, updated_at = ? WHERE id = ?",
                   [stage, done, total, iso(now), job_id])


def finish(db: Database, job_id: int, result: dict[str, Any], *, now: datetime) -> None:
    """Done: the result is kept, the input file dropped (it may hold personal data; its rows are stored)."""
    with write(db):
        db.execute("UPDATE jobs SET state = ?, result_json = ?, input = NULL, finished_at = ?, updated_at = ? "
                   "WHERE id = ?", [DONE, json.dumps(result, ensure_ascii=False, default=str), iso(now), iso(now),
                                    job_id])


def fail(db: Database, job_id: int, error: str, *, now: datetime, result: dict[str, Any] | None = None) -> None:
    with write(db):
        db.execute("UPDATE jobs SET state = ?, error = ?, result_json = ?, input = NULL, finished_at = ?, "
                   "updated_at = ? WHERE id = ?",
                   [FAILED, error, json.dumps(result, ensure_ascii=False, default=str) if result else None, iso(now),
                    iso(now), job_id])


def fail_running(db: Database, errors: dict[str, str], *, now: datetime) -> list[int]:
    """Jobs left ``running`` by a runner that died (called by the next runner, which holds the lock, so no job
    can really be running): marked failed with the reason for their kind (``errors``). Returns their ids."""
    with write(db):
        found = rows(db, "SELECT id, kind FROM jobs WHERE state = ?", [RUNNING])
        for job in found:
            db.execute("UPDATE jobs SET state = ?, error = ?, input = NULL, finished_at = ?, updated_at = ? "
                       "WHERE id = ?", [FAILED, errors.get(job["kind"], "任务没有完成：处理它的进程意外中止。"),
                                        iso(now), iso(now), job["id"]])
    return [job["id"] for job in found]
