"""Crash benchmark: receipts handed out vs rows stored when the server is killed with SIGKILL mid-load.

Each trial: a fresh database (``comment-portal demo --no-serve``), ``comment-portal serve`` (gunicorn,
sync workers) on 127.0.0.1, and client threads that each load the comment form once (cookie, CSRF
token) and then POST comments as fast as they can, every POST with its own form token (signed with
the run's secret key, as a form load would give it). After a random 1.5–3 s of load, the whole
process group, master and workers, gets SIGKILL at once. The server is then started again on the same
database and must answer ``/healthz`` and accept a comment; then the database is checked
(``PRAGMA integrity_check``) and compared with what the clients saw:

* receipts handed out: POSTs answered ``303`` (the comment was committed before that answer);
* receipted but missing: such a POST whose form token has no row (must be 0);
* stored without a delivered receipt: the answer was lost in the kill (the submitter, sending the same
  form again, gets that comment's receipt instead of a second row).

Example: .venv/bin/python bench/crash.py --trials 3 --threads 8 --workers 2
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import ROOT, SLUG, VENV_BIN, comment_form, form_session, free_port, post_form, start, stop, wait_ready

SECRET = "crash-bench"
PATH = f"/c/{SLUG}/comment"


class Client(threading.Thread):
    """One browser: a session, then POST after POST until the server stops answering or ``stop`` is set."""

    def __init__(self, port: int, number: int, stop_event: threading.Event, limit: int = 0):
        super().__init__(daemon=True)
        self.port, self.number, self.stop_event, self.limit = port, number, stop_event, limit
        self.sent: list[tuple[str, int | None]] = []  # (form token nonce, HTTP status or None: no answer)

    def run(self) -> None:
        from comment_portal import form_tokens

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            csrf, cookie = form_session(conn, PATH)
        except OSError:
            return
        i = 0
        while not self.stop_event.is_set() and not (self.limit and i >= self.limit):
            i += 1
            token = form_tokens.issue(SECRET, SLUG, None)
            body = comment_form(csrf, token, f"崩溃测试意见 {self.number}-{i}：建议加强跨境电商人才培养。")
            status = None
            try:
                status = post_form(conn, PATH, body, cookie)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.sent.append((token.split(".")[0], status))
            if status is None and self.stop_event.is_set():
                break


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def trial(number: int, args: argparse.Namespace, cli: str) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="cp-crash-"))
    db_path = workdir / "portal.db"
    env = dict(os.environ, COMMENT_PORTAL_DATABASE=str(db_path), COMMENT_PORTAL_SECRET_KEY=SECRET,
               COMMENT_PORTAL_COMMENT_RATE_LIMIT="100000000 per minute",
               COMMENT_PORTAL_COMMENT_ADDRESS_RATE_LIMIT="100000000 per minute", PYTHONPATH=str(ROOT))
    subprocess.run([cli, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    port = free_port()
    server = start([cli, "serve", "--port", str(port), "--workers", str(args.workers)], env)
    wait_ready(f"http://127.0.0.1:{port}/healthz")
    stop_event = threading.Event()
    clients = [Client(port, i, stop_event) for i in range(args.threads)]
    for c in clients:
        c.start()
    load_for = random.uniform(1.5, 3.0)
    time.sleep(load_for)
    os.killpg(server.pid, signal.SIGKILL)  # master and every worker, at once
    server.wait()
    stop_event.set()
    for c in clients:
        c.join(timeout=20)
    deadline = time.time() + 10
    while group_alive(server.pid) and time.time() < deadline:  # orphaned workers die with the signal too
        time.sleep(0.1)
    leftover = group_alive(server.pid)

    restarted = start([cli, "serve", "--port", str(port), "--workers", str(args.workers)], env)
    try:
        wait_ready(f"http://127.0.0.1:{port}/healthz")
        after = Client(port, 999, threading.Event(), limit=1)
        after.run()
        accepted_after_restart = sum(1 for _, status in after.sent if status == 303)
    finally:
        stop(restarted)

    conn = sqlite3.connect(db_path)
    stored = {row[0] for row in conn.execute("SELECT form_token FROM comments WHERE form_token IS NOT NULL")}
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    sent = [s for c in clients for s in c.sent]
    receipts = {token for token, status in sent if status == 303}
    result = {
        "killed_after": load_for, "posts": len(sent), "receipts": len(receipts),
        "no_answer": sum(1 for _, status in sent if status is None),
        "other": sum(1 for _, status in sent if status not in (303, None)),
        "rows": len(stored) - accepted_after_restart, "missing": len(receipts - stored),
        "unreceipted_rows": len(stored - receipts) - accepted_after_restart, "integrity": integrity,
        "restart_ok": accepted_after_restart == 1, "leftover_processes": leftover,
    }
    shutil.rmtree(workdir, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8, help="client threads posting at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the moment of the kill")
    args = parser.parse_args()
    random.seed(args.seed)
    sys.path.insert(0, str(ROOT))
    cli = str(VENV_BIN / "comment-portal")
    failed = False
    print(f"crash: {args.trials} trials, {args.threads} client threads, {args.workers} sync workers, "
          "SIGKILL to gunicorn's master and workers mid-load\n")
    print(f"{'trial':>5} {'killed at':>9} {'POSTs':>6} {'receipts':>8} {'no answer':>9} {'rows':>6} "
          f"{'receipted but missing':>21} {'stored, receipt lost':>20} {'integrity':>9} {'restart':>7}")
    for number in range(1, args.trials + 1):
        r = trial(number, args, cli)
        print(f"{number:>5} {r['killed_after']:>8.1f}s {r['posts']:>6} {r['receipts']:>8} {r['no_answer']:>9} "
              f"{r['rows']:>6} {r['missing']:>21} {r['unreceipted_rows']:>20} {r['integrity']:>9} "
              f"{'ok' if r['restart_ok'] else 'FAILED':>7}")
        if r["other"]:
            print(f"      {r['other']} POSTs got an answer other than 303")
        if r["leftover_processes"]:
            print("      server processes were still alive 10 s after SIGKILL")
        failed |= bool(r["missing"] or r["integrity"] != "ok" or not r["restart_ok"] or r["other"])
    print("\nresult:", "FAIL (a receipt without its comment, a damaged database or no restart)" if failed
          else "every receipt handed out has its comment; database intact; server restarts")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
