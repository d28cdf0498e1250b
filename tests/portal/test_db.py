"""The database: migrations are idempotent; connections are durable and kept per worker."""

from __future__ import annotations

from comment_portal import db as database


def test_migrations_idempotent(tmp_path):
    first = database.open_database(tmp_path / "x.db")
    applied = database.migrate(first)
    assert applied and applied[0].startswith("m001")
    assert database.migrate(first) == []
    first.close()
    again = database.open_database(tmp_path / "x.db")
    assert database.migrate(again) == []
    assert {"consultations", "clauses", "comments"} <= set(again.table_names())
    again.close()


def test_connection_pragmas(app):
    with app.app_context():
        db = database.get_db()
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_connection_kept_across_requests(app, client):
    with app.app_context():
        first = database.get_db()
    client.get("/")
    client.get("/healthz")
    with app.app_context():
        assert database.get_db() is first


def test_indexes_for_portal_queries(app):
    with app.app_context():
        db = database.get_db()
        comment_indexes = {tuple(i.columns) for i in db["comments"].indexes}
        assert ("receipt_code",) in comment_indexes
        assert ("consultation_id", "clause_key", "status") in comment_indexes
        plan = " ".join(
            str(r) for r in db.execute(
                "EXPLAIN QUERY PLAN SELECT clause_key, count(*) FROM comments WHERE consultation_id = 1 "
                "AND status != 'spam' GROUP BY clause_key"
            ).fetchall()
        )
        assert "USING" in plan and "INDEX" in plan
