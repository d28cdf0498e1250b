"""The one module that owns the database: schema (as sqlite-utils ``Migrations``) and connections.

Connections are kept open, one per worker process and thread, rather than one per request: closing
the last connection to a WAL database forces a checkpoint and an fsync, which capped writes near
300/s in measurements against ~1,700/s with a kept connection.

Schema changes are new migration functions appended below; an applied migration is never edited.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("comment_portal")


@migrations()
def m001_consultations_clauses_comments(db: Database) -> None:
    db["consultations"].create(
        {
            "id": int,
            "slug": str,
            "title": str,  # the draft's title, e.g. 《…(征求意见稿)》 without the brackets
            "notice_title": str,
            "department": str,
            "issuing_body": str,
            "contact": str,
            "published_on": str,  # ISO date, as the notice states
            "opens_on": str,  # ISO local date (Asia/Shanghai): first day comments are taken
            "closes_on": str,  # ISO local date: comments are taken until the END of this day
            "original_opens_on": str,  # for demo consultations: the window the notice states
            "original_closes_on": str,
            "is_demo": int,
            "preamble": str,
            "draft_json": str,  # draft.Draft.to_dict(), the parsed draft as imported
            "source_name": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"slug", "title", "opens_on", "closes_on", "created_at", "updated_at"},
        defaults={"is_demo": 0},
    )
    db["consultations"].create_index(["slug"], unique=True)

    db["clauses"].create(
        {
            "id": int,
            "consultation_id": int,
            "key": str,
            "parent_key": str,
            "position": int,  # document order
            "label": str,
            "heading": str,
            "body": str,
            "level": int,
            "kind": str,
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id")],
        not_null={"consultation_id", "key", "position"},
    )
    db["clauses"].create_index(["consultation_id", "key"], unique=True)
    db["clauses"].create_index(["consultation_id", "position"])

    db["comments"].create(
        {
            "id": int,
            "consultation_id": int,
            "clause_key": str,  # NULL: on the draft as a whole
            "body": str,
            "submitter_type": str,
            "name": str,  # name or organisation as the submitter typed it (optional)
            "contact": str,  # PRIVATE: never rendered on public pages or in public exports
            "channel": str,  # web / email / letter / phone / meeting
            "received_on": str,  # ISO date a comment from another channel was received
            "created_at": str,  # UTC ISO timestamp
            "receipt_code": str,
            "fingerprint": str,  # keyed hash of the client address, for abuse control
            "body_hash": str,
            "status": str,
            "tokens": str,  # JSON list of analysis tokens, computed once on insert
            "entered_by": int,  # staff id for comments entered by staff
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id")],
        not_null={"consultation_id", "body", "created_at", "receipt_code", "status", "channel"},
        defaults={"status": "pending", "channel": "web"},
    )
    db["comments"].create_index(["receipt_code"], unique=True)
    db["comments"].create_index(["consultation_id", "clause_key", "status"])
    db["comments"].create_index(["fingerprint", "body_hash", "created_at"])


@migrations()
def m002_staff_triage_publishing(db: Database) -> None:
    """Staff accounts, audit log, groups, decisions, analysis runs and published reports."""
    db["staff"].create(
        {
            "id": int,
            "username": str,
            "password_hash": str,
            "role": str,  # reviewer | admin
            "must_change_password": int,
            "disabled": int,
            "created_at": str,
            "last_login_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role", "created_at"},
        defaults={"must_change_password": 1, "disabled": 0},
    )
    db["staff"].create_index(["username"], unique=True)

    db["audit_log"].create(
        {
            "id": int,
            "consultation_id": int,
            "staff_id": int,
            "actor": str,  # username at the time (kept even if the account is renamed)
            "action": str,
            "entity": str,
            "entity_id": str,
            "before_json": str,
            "after_json": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id"), ("staff_id", "staff", "id")],
        not_null={"action", "created_at"},
    )
    db["audit_log"].create_index(["consultation_id", "id"])

    db["analysis_runs"].create(
        {
            "id": int,
            "consultation_id": int,
            "created_at": str,
            "created_by": int,
            "software_version": str,
            "params_json": str,
            "result_json": str,  # analysis.Grouping.to_dict(): groups with their member comment ids
            "comment_count": int,
            "max_comment_id": int,  # comments with a larger id arrived after this run
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id"), ("created_by", "staff", "id")],
        not_null={"consultation_id", "created_at"},
    )

    db["groups"].create(
        {
            "id": int,
            "consultation_id": int,
            "clause_key": str,  # NULL: the draft as a whole (or mixed)
            "title": str,  # staff's name for the group (starts as the label terms)
            "summary": str,  # 归纳意见: the opinion in staff wording, as the report shows it
            "kind": str,  # cluster | campaign | manual
            "label_terms": str,  # JSON list from the analysis
            "representative_id": int,
            "run_id": int,  # analysis run that created it (NULL for manual groups)
            "merged_into": int,  # set when merged: the group is kept, not deleted
            "edited": int,  # staff changed title/summary/members: a rerun keeps it as it is
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id"), ("run_id", "analysis_runs", "id")],
        not_null={"consultation_id", "kind", "created_at"},
        defaults={"edited": 0},
    )
    db["groups"].create_index(["consultation_id", "clause_key"])

    db["decisions"].create(
        {
            "id": int,
            "consultation_id": int,
            "group_id": int,  # a decision for a whole group ...
            "comment_id": int,  # ... or a per-comment override
            "category": str,
            "reason": str,
            "revised_text": str,  # 修改后表述, for adopted opinions
            "decided_by": int,
            "decided_at": str,
        },
        pk="id",
        foreign_keys=[
            ("consultation_id", "consultations", "id"),
            ("group_id", "groups", "id"),
            ("comment_id", "comments", "id"),
            ("decided_by", "staff", "id"),
        ],
        not_null={"consultation_id", "category", "decided_at"},
    )
    db["decisions"].create_index(["group_id"], unique=True)
    db["decisions"].create_index(["comment_id"], unique=True)

    db["published_reports"].create(
        {
            "id": int,
            "consultation_id": int,
            "version": int,
            "published_at": str,
            "published_by": int,
            "identity_mode": str,
            "html": str,  # the rendered page, immutable
            "report_json": str,  # exports JSON of the same snapshot; other formats render from it
        },
        pk="id",
        foreign_keys=[("consultation_id", "consultations", "id"), ("published_by", "staff", "id")],
        not_null={"consultation_id", "version", "published_at", "html", "report_json"},
    )
    db["published_reports"].create_index(["consultation_id", "version"], unique=True)

    comments = db["comments"]
    comments.add_column("group_id", int, fk="groups", fk_col="id")
    comments.add_column("duplicate_of", int)
    comments.add_column("staff_note", str)
    comments.create_index(["consultation_id", "group_id"])

    consultations = db["consultations"]
    consultations.add_column("categories_json", str)  # NULL: the default categories
    consultations.add_column("reason_templates_json", str)
    consultations.add_column("published_where", str)  # e.g. 天津市商务局网站, for the report


@migrations()
def m003_comment_reviewed_at(db: Database) -> None:
    """When staff first looked at (acted on) a comment: comments arriving after an analysis run are shown
    as 新 until then."""
    db["comments"].add_column("reviewed_at", str)


@migrations()
def m004_comments_version(db: Database) -> None:
    """A counter per consultation that changes whenever its public comment counts may change.

    The public draft page is rendered once per state; this makes "has the state changed?" one row read
    instead of counting every comment.
    """
    db["consultations"].add_column("comments_version", int, not_null_default=0)
    db.execute(
        "CREATE TRIGGER comments_version_insert AFTER INSERT ON comments BEGIN "
        "UPDATE consultations SET comments_version = comments_version + 1 WHERE id = NEW.consultation_id; END"
    )
    db.execute(
        "CREATE TRIGGER comments_version_update AFTER UPDATE OF clause_key, status, consultation_id ON comments "
        "BEGIN UPDATE consultations SET comments_version = comments_version + 1 "
        "WHERE id IN (NEW.consultation_id, OLD.consultation_id); END"
    )


@migrations()
def m005_comments_version_table(db: Database) -> None:
    """Move the public-page counter out of the consultations row.

    That row carries the whole draft as JSON (≈14 KB, overflow pages), so bumping a counter in it
    rewrote the row and its overflow chain on every comment. A two-column table keeps that write to one
    small page. (``consultations.comments_version`` stays, unused: applied migrations are not edited.)
    """
    db.execute("DROP TRIGGER IF EXISTS comments_version_insert")
    db.execute("DROP TRIGGER IF EXISTS comments_version_update")
    db.execute("CREATE TABLE comment_versions (consultation_id INTEGER PRIMARY KEY, version INTEGER NOT NULL)")
    db.execute("INSERT INTO comment_versions (consultation_id, version) SELECT id, comments_version FROM consultations")
    bump = ("INSERT INTO comment_versions (consultation_id, version) VALUES ({id}, 1) "
            "ON CONFLICT(consultation_id) DO UPDATE SET version = version + 1")
    db.execute(
        "CREATE TRIGGER comment_versions_insert AFTER INSERT ON comments BEGIN "
        + bump.format(id="NEW.consultation_id") + "; END"
    )
    db.execute(
        "CREATE TRIGGER comment_versions_update AFTER UPDATE OF clause_key, status, consultation_id ON comments BEGIN "
        + bump.format(id="NEW.consultation_id") + "; "
        + bump.format(id="OLD.consultation_id") + "; END"
    )


@migrations()
def m006_published_files(db: Database) -> None:
    """Every public download of a published version, stored as published: re-rendering later (after a
    renderer changed) would silently change what the office published."""
    db.execute(
        "CREATE TABLE published_files (report_id INTEGER NOT NULL REFERENCES published_reports(id), "
        "format TEXT NOT NULL, body BLOB NOT NULL, PRIMARY KEY (report_id, format))"
    )


@migrations()
def m007_form_tokens_staff_sessions(db: Database) -> None:
    """An idempotency token per load of the comment form, and a session generation per staff account.

    ``comments.form_token`` is unique: the same form sent twice (double click, back and resubmit, a lost
    response) can store one row only, even when two requests race. It replaces the "same text from the
    same address within 10 minutes" rule, whose index on (fingerprint, body_hash, created_at) goes.
    ``staff.session_generation`` is part of every staff session; raising it ends all of them.
    """
    db.execute("ALTER TABLE comments ADD COLUMN form_token TEXT")
    db.execute("CREATE UNIQUE INDEX idx_comments_form_token ON comments (form_token)")
    db.execute("DROP INDEX IF EXISTS idx_comments_fingerprint_body_hash_created_at")
    db.execute("ALTER TABLE staff ADD COLUMN session_generation INTEGER NOT NULL DEFAULT 0")


@migrations()
def m009_publication_consent(db: Database) -> None:
    """What a public report may show: ``comments.publish_organisation`` (the submitter ticked
    同意公开单位名称; unticked by default) and ``consultations.publish_comment_text`` (附意见原文: the
    report ends with every comment's redacted text; 0 = 不附原文, the default)."""
    db.execute("ALTER TABLE comments ADD COLUMN publish_organisation INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE consultations ADD COLUMN publish_comment_text INTEGER NOT NULL DEFAULT 0")


@migrations()
def m008_withdrawal_and_erasure(db: Database) -> None:
    """Citizens' control of their data: when a submitter withdrew a comment (status ``withdrawn``), and when
    staff erased a submitter's name and contact on request (the row and its redacted text stay)."""
    db["comments"].add_column("withdrawn_at", str)
    db["comments"].add_column("erased_at", str)


@migrations()
def m010_submission_parts_attachments(db: Database) -> None:
    """Submissions that carry several opinions, and files sent with a comment.

    A submission with several opinions (a multi-clause form, a letter split by clause) is one CONTAINER
    row (status ``split``: what the person sent, as received, holding the receipt code they were given)
    plus PART rows (``part_of`` = the container's id, ``part_no`` 1, 2, ...), each an ordinary comment for
    triage, groups, decisions and counts. ``attachments`` keeps each uploaded file's metadata and extracted
    text; the file itself lives under the instance folder by a random name, never served publicly.
    """
    db.execute("ALTER TABLE comments ADD COLUMN part_of INTEGER REFERENCES comments(id)")
    db.execute("ALTER TABLE comments ADD COLUMN part_no INTEGER")
    db.execute("CREATE INDEX idx_comments_part_of ON comments (part_of)")
    db.execute(
        "CREATE TABLE attachments ("
        "id INTEGER PRIMARY KEY, comment_id INTEGER NOT NULL REFERENCES comments(id), "
        "original_name TEXT NOT NULL, stored_name TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, "
        "size INTEGER NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL DEFAULT '', "
        "has_text_layer INTEGER NOT NULL DEFAULT 1, pages INTEGER, created_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_attachments_comment ON attachments (comment_id)")


@migrations()
def m011_consultation_lifecycle(db: Database) -> None:
    """A consultation's life in the staff area (issue 9 §1-§3).

    * ``state``: ``draft`` (草稿，未发布: uploaded, checked in the preview, on no public page) or ``public``. Rows
      from before stay public. ``opened_at`` is when staff made it public.
    * The source file (``source_file``: a random name under the instance folder, never a public path), its
      SHA-256, kind and size; ``draft_fixes`` holds staff's corrections of the clause tree per source SHA-256
      (``draft.fixes``), replayed when the same file is imported again.
    * The notice as the office wrote it: ``announcement`` (公告), ``background`` (背景介绍/起草说明), and where to send
      comments by e-mail or post (``email``, ``postal_address``, ``postcode``; ``contact`` exists).
    * The window within the rules: ``doc_type`` (``draft.window_rules.DOC_TYPES``), ``short_reason`` (缩短理由,
      shown publicly), ``closed_at`` (closed early: the moment comments stopped); ``window_changes`` keeps every
      scheduling, extension, early close and reopening with its reason, for the public page.
    * ``site_settings`` (office name, 主办单位, 网站标识码, 备案号, footer contact, feedback deadline) and ``holidays``
      (the working-day calendar), seeded with the official 2024-2026 arrangements as entered in
      ``draft.calendar`` (named years: later years are added by later migrations or by admins).
    """
    for column, definition in (
        ("state", "TEXT NOT NULL DEFAULT 'public'"),
        ("opened_at", "TEXT"),
        ("doc_type", "TEXT NOT NULL DEFAULT 'other'"),
        ("short_reason", "TEXT NOT NULL DEFAULT ''"),
        ("closed_at", "TEXT"),
        ("announcement", "TEXT NOT NULL DEFAULT ''"),
        ("background", "TEXT NOT NULL DEFAULT ''"),
        ("email", "TEXT NOT NULL DEFAULT ''"),
        ("postal_address", "TEXT NOT NULL DEFAULT ''"),
        ("postcode", "TEXT NOT NULL DEFAULT ''"),
        ("source_file", "TEXT"),
        ("source_sha256", "TEXT"),
        ("source_kind", "TEXT"),
        ("source_size", "INTEGER"),
    ):
        db.execute(f"ALTER TABLE consultations ADD COLUMN {column} {definition}")
    db.execute(
        "CREATE TABLE window_changes ("
        "id INTEGER PRIMARY KEY, consultation_id INTEGER NOT NULL REFERENCES consultations(id), "
        "kind TEXT NOT NULL, opens_on_before TEXT, closes_on_before TEXT, opens_on TEXT NOT NULL, "
        "closes_on TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', staff_id INTEGER REFERENCES staff(id), "
        "actor TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX idx_window_changes_consultation ON window_changes (consultation_id, id)")
    db.execute(
        "CREATE TABLE draft_fixes (sha256 TEXT PRIMARY KEY, fixes_json TEXT NOT NULL, "
        "updated_at TEXT NOT NULL, updated_by INTEGER REFERENCES staff(id))"
    )
    db.execute("CREATE TABLE site_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        "CREATE TABLE holidays (day TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')), "
        "name TEXT NOT NULL DEFAULT '')"
    )
    from draft.calendar import official_days

    db.conn.executemany(
        "INSERT INTO holidays (day, kind, name) VALUES (?, ?, ?)",
        [(d.day.isoformat(), d.kind, d.name) for d in official_days([2024, 2025, 2026])],
    )

@migrations()
def m014_proposals_receipt_mail(db: Database) -> None:
    """What a submitter proposes and asks for (issue 12).

    ``comments.proposal``: the 建议修改为 wording a submitter proposed for the clause (stored only when it
    differs from the clause's text). ``decisions.proposal_of``: the comment whose proposal staff adopted as
    the decision's 修改后表述 (the report and the 修改对照表 cite it). ``comments.email_receipt``: the
    submitter ticked 发送回执到邮箱 (the address is the contact field, read when the mail is sent, so an
    erased contact sends nothing). ``outbox``: one row per mail to send (the receipt, and each published
    report version), written in the transaction that makes it due, sent after the commit and retried.
    """
    db.execute("ALTER TABLE comments ADD COLUMN proposal TEXT")
    db.execute("ALTER TABLE comments ADD COLUMN email_receipt INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE decisions ADD COLUMN proposal_of INTEGER REFERENCES comments(id)")
    db.execute(
        "CREATE TABLE outbox ("
        "id INTEGER PRIMARY KEY, comment_id INTEGER NOT NULL REFERENCES comments(id), "
        "kind TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, "
        "attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, sent_at TEXT, "
        "UNIQUE (comment_id, kind, version))"
    )
    db.execute("CREATE INDEX idx_outbox_due ON outbox (sent_at, next_attempt_at)")


@migrations()
def m013_jobs(db: Database) -> None:
    """Long staff work off the request path, and analysis runs saved in short transactions.

    ``jobs``: one row per background job (an analysis run, a large import): its state (queued → running →
    done | failed), the stage it is in with done/total for the progress bar, its input (an uploaded file, kept
    until the job ends), its result or the reason it failed (in Chinese, for the page).
    ``analysis_runs.complete``: 0 while a run's groups are being saved (in many short transactions, so comment
    POSTs never wait behind the whole save); ``run_undo`` holds what each of those transactions changed, so a
    run that fails part-way is undone and the previous grouping stays. Old runs are complete.
    The index on (consultation, group, status) lets group sizes be counted from the index alone.
    """
    db.execute(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, consultation_id INTEGER REFERENCES consultations(id), "
        "kind TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', stage TEXT NOT NULL DEFAULT '', "
        "done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0, params_json TEXT NOT NULL DEFAULT '{}', "
        "input BLOB, result_json TEXT, error TEXT, created_by INTEGER REFERENCES staff(id), "
        "created_at TEXT NOT NULL, started_at TEXT, finished_at TEXT, updated_at TEXT, runner_pid INTEGER)"
    )
    db.execute("CREATE INDEX idx_jobs_state ON jobs (state, id)")
    db.execute("CREATE INDEX idx_jobs_consultation_kind ON jobs (consultation_id, kind, id)")
    db.execute("ALTER TABLE analysis_runs ADD COLUMN complete INTEGER NOT NULL DEFAULT 1")
    db.execute(
        "CREATE TABLE run_undo (run_id INTEGER NOT NULL REFERENCES analysis_runs(id), seq INTEGER NOT NULL, "
        "kind TEXT NOT NULL, payload_json TEXT NOT NULL, PRIMARY KEY (run_id, seq))"
    )
    db.execute("CREATE INDEX idx_comments_consultation_group_status ON comments (consultation_id, group_id, status)")
    db.execute("DROP INDEX IF EXISTS idx_comments_consultation_id_group_id")  # a prefix of the new one


@migrations()
def m012a_staff_roles(db: Database) -> None:
    """An account may hold several roles: 经办 (``reviewer``), 审核 (``approver``) and ``admin``.

    ``staff_roles`` replaces ``staff.role``: each account keeps the one role it had (nobody gains the power to
    sign off a report without an admin granting it in 账号管理), and the column goes so there is one truth.
    """
    db.execute("CREATE TABLE staff_roles (staff_id INTEGER NOT NULL REFERENCES staff(id), role TEXT NOT NULL, "
               "PRIMARY KEY (staff_id, role))")
    db.execute("INSERT INTO staff_roles (staff_id, role) SELECT id, role FROM staff")
    db.execute("ALTER TABLE staff DROP COLUMN role")


@migrations()
def m012b_report_signoff_versions(db: Database) -> None:
    """Review and sign-off of the feedback report, the revised draft, and what a published version carries.

    ``report_reviews``: one row per submission of the report for review (提交审核), bound to the content hash
    of the report as submitted (``exports.content_hash``) and holding that JSON; its state moves
    submitted → approved | returned | voided, and approved → published | voided. ``draft_versions``: the
    revised draft (送审稿) as version 2, 3 … of a consultation (version 1 is the draft consulted on), with the
    uploaded file. A published version records its review, the approval's hash and its 更正说明.
    """
    db.execute(
        "CREATE TABLE report_reviews ("
        "id INTEGER PRIMARY KEY, consultation_id INTEGER NOT NULL REFERENCES consultations(id), "
        "version INTEGER NOT NULL, identity TEXT NOT NULL, content_hash TEXT NOT NULL, report_json TEXT NOT NULL, "
        "correction_kind TEXT NOT NULL DEFAULT '', correction TEXT NOT NULL DEFAULT '', "
        "state TEXT NOT NULL, submitted_by INTEGER REFERENCES staff(id), submitted_at TEXT NOT NULL, "
        "reviewed_by INTEGER REFERENCES staff(id), reviewed_at TEXT, review_comment TEXT NOT NULL DEFAULT '', "
        "voided_at TEXT, published_report_id INTEGER REFERENCES published_reports(id))"
    )
    db.execute("CREATE INDEX idx_report_reviews_consultation ON report_reviews (consultation_id, id)")
    db.execute(
        "CREATE TABLE draft_versions ("
        "id INTEGER PRIMARY KEY, consultation_id INTEGER NOT NULL REFERENCES consultations(id), "
        "version INTEGER NOT NULL, kind TEXT NOT NULL, draft_json TEXT NOT NULL, source_name TEXT NOT NULL, "
        "source BLOB NOT NULL, source_sha256 TEXT NOT NULL, uploaded_by INTEGER REFERENCES staff(id), "
        "uploaded_at TEXT NOT NULL, UNIQUE (consultation_id, version))"
    )
    for column in ("review_id INTEGER REFERENCES report_reviews(id)", "content_hash TEXT",
                   "correction_kind TEXT NOT NULL DEFAULT ''", "correction TEXT NOT NULL DEFAULT ''"):
        db.execute(f"ALTER TABLE published_reports ADD COLUMN {column}")


@migrations()
def m015_analysis_integration(db: Database) -> None:
    """What the analysis engine (issue 10) says about groups and comments, kept for staff.

    * groups: ``cohesion`` (0-1, how alike the members are: staff sort by it), ``too_mixed`` (probably not
      answerable with one decision: offer a split), ``noise_reason`` (a group of kind ``noise``: ``advert`` or
      ``off_topic``). New kinds: ``supportive`` (answered with thanks), ``noise`` (proposals staff confirm or reject).
    * comments: ``quotations`` (JSON list of the draft passages the comment copies, with their spans and clause;
      NULL: not looked for yet), ``noise_reason`` and ``noise_evidence`` (JSON list) of a comment proposed as
      疑似广告 / 与征求意见无关, and ``noise_review``: ``confirmed`` or ``rejected`` once staff decided (a rejected
      proposal is never made again).
    """
    for column, definition in (("cohesion", "REAL"), ("too_mixed", "INTEGER NOT NULL DEFAULT 0"),
                               ("noise_reason", "TEXT")):
        db.execute(f"ALTER TABLE groups ADD COLUMN {column} {definition}")
    for column in ("quotations", "noise_reason", "noise_evidence", "noise_review"):
        db.execute(f"ALTER TABLE comments ADD COLUMN {column} TEXT")

@migrations()
def m016_attachment_text_state(db: Database) -> None:
    """``attachments.text_state``: ``done`` (the text, if any, is extracted), ``pending`` (a long PDF accepted
    without reading its text in the request: a background job reads it; staff see 文字提取中) or ``failed``
    (the job could not read it: 需人工阅读)."""
    db.execute("ALTER TABLE attachments ADD COLUMN text_state TEXT NOT NULL DEFAULT 'done'")


def configure_connection(conn: sqlite3.Connection) -> None:
    """WAL, durable commits (a receipt promises the comment is stored), FKs, a busy timeout."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")


def open_database(path: str | os.PathLike) -> Database:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=10, check_same_thread=True)
    configure_connection(conn)
    return Database(conn)


def known_migrations() -> set[str]:
    """Names of every migration this version of the software has."""
    return {m.name for m in migrations._migrations}


def migrate(db: Database) -> list[str]:
    """Apply pending migrations; returns the names applied (none on a second call)."""
    pending = [m.name for m in migrations.pending(db)]
    migrations.apply(db)
    return pending


class _Connections(threading.local):
    """Per-thread cache of open databases, keyed by process id (never share across a fork) and path."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[int, str], Database] = {}


_connections = _Connections()
_all_lock = threading.Lock()
_all: list[Database] = []


def get_db(app: Flask | None = None) -> Database:
    """The worker's kept connection to the app's database."""
    app = app or current_app
    key = (os.getpid(), app.config["DATABASE"])
    db = _connections.by_key.get(key)
    if db is None:
        db = open_database(app.config["DATABASE"])
        _connections.by_key[key] = db
        with _all_lock:
            _all.append(db)
    return db


def close_all() -> None:
    """Close every kept connection of this process (tests, shutdown)."""
    with _all_lock:
        for db in _all:
            # A connection made in another thread refuses to be closed from this one (check_same_thread);
            # it closes when that thread's storage goes away.
            with contextlib.suppress(sqlite3.ProgrammingError):
                db.close()
        _all.clear()
    _connections.by_key.clear()


def rows(db: Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
    """Run a read and return dicts (without the savepoint ``Database.query`` wraps around reads)."""
    cursor = db.execute(sql, params)
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row)) for row in cursor.fetchall()]


def one(db: Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
    found = rows(db, sql, params)
    return found[0] if found else None


def scalar(db: Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
    row = db.execute(sql, params).fetchone()
    return row[0] if row else None


@contextlib.contextmanager
def write(db: Database) -> Iterator[Database]:
    """A write transaction that takes SQLite's write lock up front (``BEGIN IMMEDIATE``).

    sqlite-utils' ``db.atomic()`` opens a DEFERRED transaction: if anything inside it reads before
    it writes (sqlite-utils' own ``insert`` reads the table's schema), the later write fails at once
    with "database is locked" when another worker committed in between (a WAL snapshot cannot be
    upgraded), and ``busy_timeout`` cannot help. Measured under load: 359 of 1,864 POSTs failed that
    way. ``BEGIN IMMEDIATE`` waits (busy timeout) for the lock instead. Nested use is a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be used (a message for the command line, in Chinese)."""


def init_app(app: Flask) -> None:
    """Create the database file and apply migrations when the app starts: the one place migrations run, once
    per process (a command, each server worker); the names applied are in ``app.extensions["migrations"]``.

    ``DATABASE_MUST_EXIST`` (set by ``serve``): refuse a missing file instead of serving an empty portal.
    ``DATABASE_OPEN_ON_START=False`` (backup, restore, check): open nothing; those commands open the file
    themselves, and must not hold it open (restore checks that nobody does).
    """
    path = app.config["DATABASE"]
    if not app.config.get("DATABASE_OPEN_ON_START", True):
        return
    if app.config.get("DATABASE_MUST_EXIST") and not Path(path).is_file():
        raise DatabaseUnavailable(f"数据库文件不存在：{path}。请先运行 comment-portal init-db 创建数据库"
                                  "（或检查 COMMENT_PORTAL_DATABASE 设置）。")
    try:
        with app.app_context():
            app.extensions["migrations"] = migrate(get_db(app))
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DatabaseUnavailable(f"无法打开或写入数据库 {path}：{reason}。请检查路径、文件和所在目录的权限。") from None


def health(db: Database, path: str | os.PathLike, min_free_bytes: int) -> list[str]:
    """What stops the portal from storing a comment now ([] when nothing does), for ``/healthz``.

    A write transaction must start AND be able to write: a read-only file or mount still lets
    ``BEGIN IMMEDIATE`` through, so a probe table is created and rolled back (it needs a new page, so a
    database at its size limit fails too). A full disk often shows only at commit, when the WAL grows:
    hence also a floor on the free space of the database's file system.
    """
    problems = []
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            db.conn.execute("CREATE TABLE health_probe (x)")
        finally:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
    except sqlite3.Error:
        problems.append("database_not_writable")
    try:
        free = shutil.disk_usage(Path(path).resolve().parent).free
    except OSError:
        free = 0
    if free < min_free_bytes:
        problems.append("disk_space_low")
    return problems


def placeholders(values: Iterable[Any]) -> str:
    return ",".join("?" for _ in values)


def sql_list(values: Iterable[str]) -> str:
    """A parenthesised SQL list of string literals, for fixed vocabularies in a query
    (``status NOT IN {sql_list(NOT_COUNTED)}``); never for what people type (use ``?``)."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"
