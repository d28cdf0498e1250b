"""Background jobs: staff work longer than a request should take (an analysis run, a large import).

- A view or a command queues the job (``store.jobs.enqueue``) and calls :func:`start`.
- ONE job runner per database does the jobs, oldest first, in its own process at a lower CPU priority (nice), so
  the web workers answer citizens first. "One" is a POSIX lock on a file beside the database
  (``portal.db.jobs.lock``), held by the runner's process while it lives and released by the kernel when it
  dies, however it dies; it is per process, so the engine's worker processes do not inherit it.
- ``serve`` starts a runner when jobs are unfinished; whoever queues a job starts one when no process holds the
  lock; a runner exits after ``JOB_RUNNER_IDLE`` seconds without work. No service to install; any number of gunicorn workers share
  the one runner; a runner that crashed is replaced by the next request that needs one (the staff page that
  shows a job's progress asks for one while the job is unfinished).
- A runner that starts holds the lock, so no other job can be running: jobs left ``running`` are marked failed
  (their process died) and analysis runs left half-saved are undone (``store.run_save.recover``), so the
  previous run stays in place.
- The commands ``analyze`` and ``import-comments`` queue their job and do it themselves when no runner is
  running (taking the lock), or wait for the runner; either way they draw its progress bar (:func:`run_or_wait`).

``JOBS_RUNNER``: ``process`` (default, as above), ``inline`` (the job is done within the request that queues it;
the default of a TESTING app) or ``off`` (nothing starts a runner; tests call :func:`run_pending`).

A job kind is a function registered with :func:`handler`: ``(app, db, job, progress) -> result dict``;
``progress(stage, done, total)`` updates the bar; :class:`JobFailed` carries the reason staff read.
"""

from __future__ import annotations

import dataclasses
import errno
import fcntl
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlite_utils import Database

from . import attachment_text, importer, store
from .db import get_db
from .store.jobs import Job
from .store.rows import Consultation, StaffAccount

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
Handler = Callable[[Flask, Database, Job, Progress], dict[str, Any]]
HANDLERS: dict[str, Handler] = {}

#: Why a job failed when its process died (the next runner finds it still ``running``).
DIED = {
    "analysis": "处理任务的进程意外中止（例如服务器重启或内存不足），分析没有完成；上一次的分析结果保持不变，可以重新运行。",
    "import": "处理任务的进程意外中止（例如服务器重启），导入没有完成；已保存的意见保留，请重新导入同一文件"
              "（已导入的行不会重复导入）。",
    "attachment_text": "处理任务的进程意外中止（例如服务器重启），附件文字没有读完；意见和附件已保存，附件需人工阅读。",
}
#: Why a job failed on an unexpected error (details in the server log).
BROKE = {
    "analysis": "聚类分析出错，没有完成；上一次的分析结果保持不变。请把任务编号告知技术人员查看服务器日志。",
    "import": "导入出错，没有完成；已保存的意见保留。请把任务编号告知技术人员查看服务器日志。",
    "attachment_text": "读取附件文字出错，没有完成；意见和附件已保存，附件需人工阅读。请把任务编号告知技术人员查看服务器日志。",
}
STOPPED = "任务被中止（服务器停止或重启）；{rest}"
RUNNER_MAIN = "import sys; from comment_portal.cli import main; sys.exit(main())"


class JobFailed(Exception):
    """A job that cannot be done, with the reason staff read (in Chinese) and what it did before stopping."""

    def __init__(self, message: str, result: dict[str, Any] | None = None):
        super().__init__(message)
        self.result = result


class Interrupted(BaseException):
    """The runner was told to stop (SIGTERM/SIGINT) while doing a job."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn
    return register


# -- the one-runner lock -------------------------------------------------------------------------------------

_held: dict[str, RunnerLock] = {}  # the locks this process holds, by path


class RunnerLock:
    """A POSIX record lock (``lockf``) on a file: owned by the process, not inherited by its children, released
    by the kernel when the process ends. Caution, POSIX: closing any descriptor of the file in the owning
    process releases it, so this process never opens the file again while it holds the lock (see
    :func:`runner_alive`)."""

    def __init__(self, path: str):
        self.path = path
        self.fd: int | None = None

    def acquire(self, wait: float = 0.0) -> bool:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.1)
            else:
                self.fd = fd
                return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def lock_path(app: Flask) -> str:
    return str(app.config["DATABASE"]) + ".jobs.lock"


def runner_alive(app: Flask) -> bool:
    """Whether some process holds the runner lock (a probe takes it for an instant when it is free)."""
    path = lock_path(app)
    if path in _held:
        return True
    probe = RunnerLock(path)
    if probe.acquire():
        probe.release()
        return False
    return True


# -- starting a runner ---------------------------------------------------------------------------------------

_children: list[subprocess.Popen] = []


def spawn_runner(app: Flask) -> None:
    """Start ``comment-portal run-jobs`` on this app's database, detached (it outlives the request)."""
    for child in list(_children):  # collect runners that have exited (no zombies)
        if child.poll() is not None:
            _children.remove(child)
    env = dict(os.environ, COMMENT_PORTAL_DATABASE=str(app.config["DATABASE"]))
    _children.append(subprocess.Popen(
        [sys.executable, "-c", RUNNER_MAIN, "run-jobs", "--idle", str(app.config["JOB_RUNNER_IDLE"])],
        env=env, stdin=subprocess.DEVNULL, start_new_session=True))


def mode(app: Flask) -> str:
    """``JOBS_RUNNER``, or when unset ``process`` (``inline`` for a TESTING app)."""
    return str(app.config.get("JOBS_RUNNER") or ("inline" if app.testing else "process"))


def ensure_runner(app: Flask) -> None:
    """A runner for the queued or unfinished jobs, unless one is alive or there are none (``JOBS_RUNNER =
    process`` only). An idle portal has no runner, so nothing but the server holds the database open (``restore``
    can run as soon as the server stopped)."""
    if mode(app) == "process" and store.jobs.has_unfinished(get_db(app)) and not runner_alive(app):
        spawn_runner(app)


def kick(app: Flask) -> None:
    """After a request queued a job it does not wait for (a comment's long PDF, ``attachment_text.py``): done now
    with ``JOBS_RUNNER = inline``, else by the runner (started when none is running)."""
    if mode(app) == "inline":
        run_pending(app)
    else:
        ensure_runner(app)


def start(app: Flask, job: Job) -> None:
    """Called right after queueing ``job``."""
    if mode(app) == "inline":
        run_pending(app, until=job.id)
    else:
        ensure_runner(app)


# -- running jobs --------------------------------------------------------------------------------------------


class _Progress:
    """``progress(stage, done, total)``: the job's row is updated when the stage changes and at most every
    ``every`` seconds otherwise (each update is one short transaction)."""

    def __init__(self, app: Flask, db: Database, job: Job, echo: Progress | None, every: float = 0.5):
        self.app, self.db, self.job, self.echo, self.every = app, db, job, echo, every
        self.stage: str | None = None
        self.written = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        moment = time.monotonic()
        if stage != self.stage or moment - self.written >= self.every or (total and done >= total):
            store.jobs.set_progress(self.db, self.job.id, stage, done, total, now=self.app.extensions["clock"].now())
            self.stage, self.written = stage, moment
        if self.echo is not None:
            self.echo(stage, done, total)


def run_job(app: Flask, db: Database, job: Job, echo: Progress | None = None) -> None:
    """Do one claimed job and record how it ended."""
    clock = app.extensions["clock"]
    try:
        result = HANDLERS[job.kind](app, db, job, _Progress(app, db, job, echo))
    except JobFailed as exc:
        store.jobs.fail(db, job.id, str(exc), now=clock.now(), result=exc.result)
    except Interrupted:
        store.jobs.fail(db, job.id, STOPPED.format(rest=DIED.get(job.kind, "").split("；", 1)[-1]), now=clock.now())
        raise
    except Exception:
        log.exception("job %s (%s) failed", job.id, job.kind)
        store.jobs.fail(db, job.id, f"{BROKE.get(job.kind, '任务出错，没有完成。')}（任务编号 {job.id}）", now=clock.now())
    else:
        store.jobs.finish(db, job.id, result, now=clock.now())


def recover(app: Flask, db: Database) -> None:
    """What a dead runner left: half-saved analysis runs undone, its jobs marked failed (lock held)."""
    store.run_save.recover(db)
    for job_id in store.jobs.fail_running(db, DIED, now=app.extensions["clock"].now()):
        log.warning("job %s was left running by a runner that died: marked failed", job_id)
        job = store.jobs.get(db, job_id)
        if job is not None and job.kind == "attachment_text":
            attachment_text.give_up(db, int(job.params["comment_id"]))  # 需人工阅读, not 文字提取中 for ever


def run_pending(app: Flask, *, idle: float = 0.0, until: int | None = None, echo: Progress | None = None,
                wait: float = 5.0, poll: float = 0.5) -> bool:
    """Be the runner: take the lock (waiting up to ``wait`` seconds; False when another runner holds it), recover,
    then do queued jobs, oldest first, until job ``until`` has ended, or until nothing was queued for ``idle``
    seconds. ``echo(stage, done, total)`` also receives the progress (the CLI's bar)."""
    path = lock_path(app)
    with app.app_context():
        db = get_db(app)
        while True:
            lock = RunnerLock(path)
            if not lock.acquire(wait):
                return False
            _held[path] = lock
            try:
                recover(app, db)
                last_work = time.monotonic()
                while True:
                    if until is not None:
                        mine = store.jobs.get(db, until)
                        if mine is None or not mine.active:
                            return True
                    job = store.jobs.claim_next(db, pid=os.getpid(), now=app.extensions["clock"].now())
                    if job is not None:
                        run_job(app, db, job, echo)
                        last_work = time.monotonic()
                    elif time.monotonic() - last_work >= idle:
                        break
                    else:
                        time.sleep(poll)
            finally:
                del _held[path]
                lock.release()
            # A job queued just before the lock was released found the lock held and started no runner:
            # look once more, now that it is released (whoever queues next will find it free).
            if until is not None or not store.jobs.has_queued(db):
                return True
            wait = 0.0


def run_or_wait(app: Flask, job_id: int, echo: Progress | None = None, poll: float = 0.5) -> Job:
    """For a command: do the job here when no runner is running, else wait for the runner to do it; ``echo``
    gets the progress either way. Returns the job as it ended."""
    with app.app_context():
        db = get_db(app)
        while True:
            if run_pending(app, until=job_id, echo=echo, wait=0.5):
                break
            job = store.jobs.get(db, job_id)
            if job is None or not job.active:
                break
            if echo is not None and job.stage:
                echo(job.stage, job.done, job.total)
            time.sleep(poll)
        job = store.jobs.get(db, job_id)
        assert job is not None
        return job


def serve_forever(app: Flask, idle: float) -> bool:
    """``comment-portal run-jobs``: a runner at low CPU priority that stops cleanly on SIGTERM/SIGINT (the job it
    was doing is marked failed and, for an analysis, undone)."""
    def stop(signum: int, frame: Any) -> None:
        raise Interrupted()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    os.nice(app.config["JOB_RUNNER_NICE"])
    try:
        return run_pending(app, idle=idle)
    except Interrupted:
        return True


# -- the kinds of job ----------------------------------------------------------------------------------------


def _context(app: Flask, db: Database, job: Job) -> tuple[Consultation, StaffAccount | None]:
    consultation = store.consultations.get(db, job.consultation_id) if job.consultation_id else None
    if consultation is None:
        raise JobFailed("找不到这次征求意见（可能已被删除）。")
    return consultation, store.staff.get(db, job.created_by) if job.created_by else None


@handler("analysis")
def _analysis(app: Flask, db: Database, job: Job, progress: Progress) -> dict[str, Any]:
    consultation, staff = _context(app, db, job)
    summary = store.analysis_runs.run(db, consultation, staff=staff, now=app.extensions["clock"].now(),
                                      progress=progress)
    return dataclasses.asdict(summary)


@handler("import")
def _import(app: Flask, db: Database, job: Job, progress: Progress) -> dict[str, Any]:
    consultation, staff = _context(app, db, job)
    data = store.jobs.input_of(db, job.id)
    try:
        result = importer.import_comments(db, consultation, data, job.params.get("filename", ""),
                                          now=app.extensions["clock"].now(), staff=staff, progress=progress)
    except importer.ImportFileError as exc:
        raise JobFailed(str(exc)) from None
    except importer.ImportStopped as exc:
        log.error("import job %s stopped after %d rows", job.id, len(exc.result.inserted), exc_info=exc.__cause__)
        raise JobFailed(f"导入中途出错（任务编号 {job.id}），已保存 {len(exc.result.inserted)} 条意见；请重新导入同一文件，"
                        "已导入的行不会重复导入。", importer.result_dict(exc.result)) from None
    return importer.result_dict(result)


@handler("attachment_text")
def _attachment_text(app: Flask, db: Database, job: Job, progress: Progress) -> dict[str, Any]:
    """A comment's long PDF read, its tokens stored again, a paper split by clause (``attachment_text.py``)."""
    comment_id = int(job.params["comment_id"])
    try:
        return attachment_text.complete(app, db, job.consultation_id or 0, comment_id, progress)
    except Exception:
        attachment_text.give_up(db, comment_id)
        raise
