"""How long citizens' comment POSTs wait while staff work runs: an analysis and an import at 100,000 comments.

A database with the seed draft as a demo consultation and ``--comments`` comments (stored through
``import-comments``, so each has its tokens, as real ones do) is built once and cached. Each trial copies it,
starts ``comment-portal serve`` (gunicorn, ``--workers`` sync workers) and ``--clients`` client threads that each
load the comment form once (cookie, CSRF token) and then POST comments one after another, every POST with its own
form token, ``--interval`` seconds apart on average. After ``--warmup`` seconds of posting with nothing else running
(the idle figures), the job starts as
a separate command on the same database:

* ``analyze``: ``comment-portal analyze SLUG`` (all comments);
* ``import``: ``comment-portal import-comments SLUG FILE.csv`` with ``--import-rows`` new rows.

The clients keep posting until the command exits. Printed per tree and job (medians over ``--rounds`` when more
than one): the job's wall time, and for the POSTs sent while it ran, their number, p50, p99 and max wait
(request to answer), and the idle p99/max of the same trial. Every POST must be answered 303 (a receipt).

``--baseline REV`` measures a git revision too, in the same run and under the same conditions (its code from a
temporary ``git worktree``, the same virtualenv, the same cached database, trials alternating): the
"before" beside the "after".

Example: .venv/bin/python bench/job_waits.py --comments 100000 --baseline 9138076
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from load import ROOT, SLUG, comment_form, form_session, free_port, post_form, stop, wait_ready

SECRET = "job-waits-bench"
# ../shared/data beside the repository (or beside the folder of git worktrees)
TITLES = next((p / "shared" / "data" / "messages_titles_labeled.csv" for p in (ROOT.parent, ROOT.parent.parent)
               if (p / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data" / "messages_titles_labeled.csv")
GENERATOR_VERSION = "1"
IMPORT_CHUNK = 10_000  # rows per import-comments file (the importer's limit)


# ---------------------------------------------------------------- data


def comment_rows(n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (body, clause key or '') pairs: 30–300 characters of the seed draft's phrases (60 %) and real
    citizen message titles (40 %); 5 % are copies of a few campaign templates (edited copies)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from _analysis_data import mutate

    import analysis
    from draft import load_seed

    rng = random.Random(seed)
    draft = load_seed()
    phrases: set[str] = set()
    for clause in draft.walk():
        for sentence in analysis.split_sentences(clause.body):
            phrases.update(p for p in re.split(r"[，,；;]", sentence) if len(p) >= 6)
    seed_phrases = sorted(phrases)
    with TITLES.open(encoding="utf-8", newline="") as f:
        titles = [r["text"].rstrip("。！？!?") for r in csv.DictReader(f)]
    keys = [c.key for c in draft.walk() if c.body and "." in c.key]  # "1" alone would be ambiguous with "1."

    def text() -> str:
        target = rng.randint(30, 300)
        parts: list[str] = []
        while sum(map(len, parts)) < target - 10:
            parts.append((rng.choice(seed_phrases) if rng.random() < 0.6 else rng.choice(titles))
                         + rng.choice("。，"))
        return "".join(parts)[:300]

    templates = ["".join(rng.choice(seed_phrases) + "。" for _ in range(rng.randint(3, 8)))
                 for _ in range(max(3, n // 2000))]
    filler = [rng.choice(seed_phrases) for _ in range(200)]
    out = []
    for i in range(n):
        body = mutate(templates[i % len(templates)], rng, filler) if rng.random() < 0.05 else text()
        out.append((body, rng.choice(keys) if rng.random() < 0.7 else ""))
    return out


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["意见内容", "对应条款", "身份", "渠道"])
        for body, key in rows:
            writer.writerow([body, key, "个人", "信函"])


def tree_env(tree: Path, database: Path) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(tree), COMMENT_PORTAL_DATABASE=str(database),
                COMMENT_PORTAL_SECRET_KEY=SECRET,
                COMMENT_PORTAL_COMMENT_RATE_LIMIT="100000000 per minute",
                COMMENT_PORTAL_COMMENT_ADDRESS_RATE_LIMIT="100000000 per minute")


#: The tree's own command: run from a neutral folder, PYTHONPATH puts the tree's packages before the editable install.
CLI = [sys.executable, "-c", "import sys; from comment_portal.cli import main; sys.exit(main())"]
NEUTRAL = tempfile.gettempdir()


def run_cli(args: list[str], env: dict[str, str], *, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + args, env=env, cwd=NEUTRAL, capture_output=True, text=True, check=check)


def build_database(tree: Path, n: int, cache: Path) -> Path:
    """The seed as a demo consultation with ``n`` imported comments; cached by size and generator."""
    # Same data, same schema (the tree's migrations): the same file.
    migrations = re.findall(r"^def (m\d\w*)\(", (tree / "comment_portal" / "db.py").read_text(), re.MULTILINE)
    key = hashlib.sha256(f"{GENERATOR_VERSION}-{n}-{migrations}".encode()).hexdigest()[:12]
    path = cache / f"job-waits-{n}-{key}.db"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cp-jobwaits-build-"))
    database = work / "portal.db"
    env = tree_env(tree, database)
    started = time.perf_counter()
    run_cli(["demo", "--no-serve"], env, check=True)
    data = comment_rows(n, seed=1)
    for start_at in range(0, n, IMPORT_CHUNK):
        chunk = work / f"chunk-{start_at}.csv"
        write_csv(chunk, data[start_at:start_at + IMPORT_CHUNK])
        done = run_cli(["import-comments", SLUG, str(chunk)], env)
        # A campaign copy identical to one in an earlier file is refused as a re-import: fine, reported below.
        if not re.search(r"已导入 \d+ 条", done.stdout):
            raise RuntimeError(f"import failed:\n{done.stdout}\n{done.stderr}")
        print(f"  built {min(n, start_at + IMPORT_CHUNK):,}/{n:,} comments "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    subprocess.run([sys.executable, "-c", (f"import sqlite3; c = sqlite3.connect({str(database)!r}); "
                                           "c.execute('PRAGMA wal_checkpoint(TRUNCATE)'); c.close()")], check=True)
    shutil.move(str(database), path)
    shutil.rmtree(work, ignore_errors=True)
    return path


# ---------------------------------------------------------------- clients


class Client(threading.Thread):
    """Loads the form once, then POSTs a comment every ``interval`` seconds on average until told to stop;
    records (start, seconds, status) per POST."""

    def __init__(self, port: int, tokens: list[str], number: int, stop_event: threading.Event, interval: float):
        super().__init__(daemon=True)
        self.port, self.tokens, self.number, self.stop_event = port, tokens, number, stop_event
        self.interval = interval
        self.rng = random.Random(number)
        self.samples: list[tuple[float, float, int]] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        csrf, cookie = form_session(conn, f"/c/{SLUG}/comment")
        for i, token in enumerate(self.tokens):
            if self.stop_event.is_set():
                break
            body = comment_form(csrf, token, f"压测意见第{self.number}-{i}条，建议加强跨境电商人才培养，完善海外仓支持政策。")
            began = time.perf_counter()
            try:
                status = post_form(conn, f"/c/{SLUG}/comment", body, cookie)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = 0
            self.samples.append((began, time.perf_counter() - began, status))
            self.stop_event.wait(self.interval * self.rng.uniform(0.5, 1.5))  # a citizen, not a flood
        conn.close()


def form_tokens(count: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from comment_portal import form_tokens as ft

    return [ft.issue(SECRET, SLUG, None) for _ in range(count)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


# ---------------------------------------------------------------- one trial


def trial(tree: Path, job: str, source_db: Path, args: argparse.Namespace, import_file: Path) -> dict[str, float]:
    work = Path(tempfile.mkdtemp(prefix="cp-jobwaits-"))
    database = work / "portal.db"
    shutil.copy(source_db, database)
    env = tree_env(tree, database)
    port = free_port()
    server_log = (work / "server.log").open("w")  # closed below, once the server stopped
    server = subprocess.Popen(CLI + ["serve", "--port", str(port), "--workers", str(args.workers), "--access-log",
                                     str(work / "access.log")], env=env, cwd=NEUTRAL, stdout=subprocess.DEVNULL,
                              stderr=server_log, start_new_session=True)
    stop_event = threading.Event()
    try:
        wait_ready(f"http://127.0.0.1:{port}/c/{SLUG}", timeout=120)
        clients = [Client(port, form_tokens(5_000), n, stop_event, args.interval) for n in range(args.clients)]
        for c in clients:
            c.start()
        time.sleep(args.warmup)
        command = ["analyze", SLUG] if job == "analyze" else ["import-comments", SLUG, str(import_file)]
        job_started = time.perf_counter()
        done = run_cli(command, env)
        job_ended = time.perf_counter()
        time.sleep(1)
        stop_event.set()
        for c in clients:
            c.join(timeout=90)
    finally:
        stop_event.set()
        stop(server)
        server_log.close()
    # An import that stored its rows but reported some as already stored (a generated text that repeats one of
    # the database's) exits 1 by design; only a job that stored nothing is a failure here.
    if done.returncode != 0 and not (job == "import" and re.search(r"已导入 [1-9]\d* 条", done.stdout)):
        raise RuntimeError(f"{job} failed on {tree}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    samples = [s for c in clients for s in c.samples]
    during = [w for began, w, _ in samples if began + w > job_started and began < job_ended]
    idle = [w for began, w, _ in samples if began + w < job_started]
    failed = sum(1 for _, _, status in samples if status != 303)
    shutil.rmtree(work, ignore_errors=True)
    return {"job_s": job_ended - job_started, "posts": len(during), "p50": percentile(during, 0.5),
            "p99": percentile(during, 0.99), "max": max(during, default=float("nan")),
            "over_0.5s": sum(1 for w in during if w > 0.5), "idle_p99": percentile(idle, 0.99),
            "idle_max": max(idle, default=float("nan")), "failed": failed}


def baseline_tree(rev: str, work: Path) -> Path:
    path = work / f"baseline-{rev}"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), rev], check=True,
                   capture_output=True)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--interval", type=float, default=0.5,
                        help="mean seconds between one client's POSTs (the server is not saturated: waits are "
                             "what the job causes, not a queue of clients)")
    parser.add_argument("--warmup", type=float, default=5, help="seconds of posting before the job starts")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--jobs", default="analyze,import")
    parser.add_argument("--baseline", help="a git revision measured too, in the same run (the 'before')")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "cp-bench-cache")
    parser.add_argument("--source-db", type=Path,
                        help="use this database (built earlier by this script, e.g. before a new migration: the "
                             "server migrates a copy) instead of building or finding one in the cache")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="cp-jobwaits-trees-"))
    trees = [("after" if args.baseline else "this tree", ROOT)]
    try:
        if args.baseline:
            trees.insert(0, ("before", baseline_tree(args.baseline, scratch)))
        # Built by the oldest tree: migrations are append-only, so the newer one opens it (and migrates).
        source_db = args.source_db or build_database(trees[0][1], args.comments, args.cache)
        import_file = scratch / "import.csv"
        write_csv(import_file, comment_rows(args.import_rows, seed=2))
        results: dict[tuple[str, str], list[dict[str, float]]] = {}
        for round_no in range(args.rounds):
            order = trees if round_no % 2 == 0 else trees[::-1]
            for job in args.jobs.split(","):
                for name, tree in order:
                    results.setdefault((name, job), []).append(trial(tree, job, source_db, args, import_file))
                    print(f"round {round_no + 1}: {name} {job} done: {results[(name, job)][-1]}", file=sys.stderr)
    finally:
        for name, tree in trees:
            if tree != ROOT:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                               capture_output=True, check=False)
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"\nPOST waits behind a job: {args.comments:,} comments stored, {args.clients} clients posting every "
          f"{args.interval} s, "
          f"{args.workers} sync workers, {args.rounds} round(s){' (medians)' if args.rounds > 1 else ''}; "
          f"import of {args.import_rows:,} rows; load average {os.getloadavg()[0]:.1f}\n")
    print(f"{'tree':10} {'job':8} {'job s':>7} {'POSTs':>6} {'p50 s':>7} {'p99 s':>7} {'max s':>7} {'>0.5 s':>7} "
          f"{'idle p99':>9} {'idle max':>9} {'failed':>7}")
    worst = 0.0
    for (name, job), found in results.items():
        m = {k: statistics.median(r[k] for r in found) for k in found[0]}
        worst = max([worst] + [r["max"] for r in found]) if name != "before" else worst
        print(f"{name:10} {job:8} {m['job_s']:7.1f} {m['posts']:6.0f} {m['p50']:7.3f} {m['p99']:7.3f} "
              f"{m['max']:7.3f} {m['over_0.5s']:7.0f} {m['idle_p99']:9.3f} {m['idle_max']:9.3f} {m['failed']:7.0f}")
    print(f"\nlongest POST wait behind a job ({trees[-1][0]}): {worst:.3f} s (goal <= 0.5)")
    failed = sum(r["failed"] for found in results.values() for r in found)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
