"""What the portal's analysis run costs on top of the engine (issue 10 integration), in the same process and run.

    .venv/bin/python bench/analysis_run.py                   # 2,000 and 10,000 comments, 3 rounds
    .venv/bin/python bench/analysis_run.py --sizes 600 --rounds 1

For each size a fresh app on a temporary SQLite file gets the seed draft and N comments with their tokens: real
citizen message titles from ../shared/data (86 %), quotations of the seed's clauses followed by an opinion (8 %),
supportive one-liners (4 %), adverts and off-topic messages (2 %). Then, each a median over --rounds rounds:

- engine: ``analysis.group_comments`` over the stored tokens (what the run calls), after a warm-up on 300 comments;
- quotations: ``analysis.find_quotations_many`` over every comment (what a first run records per comment);
- first run / rerun: ``store.analysis_runs.run`` on a copy of the database with no run / after one run (the
  rerun finds no comment without recorded quotations), with its stages (load, tokens, analyse, save);
- the ratio run ÷ engine: what the portal adds (reading rows, quotations, writing groups, proposals, audit).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _analysis_data import load_labeled, quote_of

ADVERTS = ["代开各类发票，税点低，加微信 fp8866", "专业代办跨境电商营业执照，三天下证，加微信kj88866了解详情。"]
OFF_TOPIC = ["我家楼下的快递驿站天天把包裹堆在路上，老人出门都没法走，谁来管管？"]
SUPPORT = ["支持！希望早日落地。", "赞成", "同意本条", "好政策👍", "非常支持，尽快出台"]


def comments(n: int, rng: random.Random) -> list[tuple[str, str | None]]:
    from draft import load_seed

    titles, _ = load_labeled()
    clauses = [c for c in load_seed().walk() if c.body and len(c.body) > 30]
    out: list[tuple[str, str | None]] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.08:
            clause = rng.choice(clauses)
            out.append((f"{quote_of(clause.body, rng)}，{rng.choice(titles)}", clause.key if i % 2 else None))
        elif roll < 0.12:
            out.append((rng.choice(SUPPORT), None))
        elif roll < 0.14:
            out.append((rng.choice(ADVERTS + OFF_TOPIC), None))
        else:
            out.append((rng.choice(titles), rng.choice(clauses).key if rng.random() < 0.7 else None))
    return out


def build(folder: Path, n: int) -> Path:
    from comment_portal import create_app
    from comment_portal.db import close_all, get_db, write
    from comment_portal.store import comments as comment_q
    from comment_portal.store import consultations as consultation_q
    from comment_portal.tokens import tokenize_many
    from draft import load_seed

    path = folder / "base.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": str(path)})
    with app.app_context():
        db = get_db()
        now = app.extensions["clock"].now()
        consultation_q.import_draft(db, load_seed(), slug="seed", opens_on=date(2024, 9, 25),
                                    closes_on=date(2024, 10, 10), now=now)
        consultation = consultation_q.get_by_slug(db, "seed")
        texts = comments(n, random.Random(0))
        tokens = tokenize_many([t for t, _ in texts], consultation)
        with write(db):
            for (body, key), toks in zip(texts, tokens):
                comment_q.insert(db, consultation_id=consultation.id, clause_key=key, body=body, submitter_type="个人",
                                 name="", contact="", now=now, tokens=toks)
    close_all()
    return path


def timed_run(path: Path, runs_before: int) -> tuple[float, dict[str, float]]:
    """One ``analysis_runs.run`` on ``path`` (after ``runs_before`` untimed runs): wall seconds and its stages."""
    from comment_portal import create_app
    from comment_portal.db import close_all, get_db
    from comment_portal.store import analysis_runs
    from comment_portal.store import consultations as consultation_q

    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": str(path)})
    stages: dict[str, float] = {}
    with app.app_context():
        db = get_db()
        consultation = consultation_q.get_by_slug(db, "seed")
        now = app.extensions["clock"].now()
        for _ in range(runs_before):
            analysis_runs.run(db, consultation, staff=None, now=now)
        last = [None, time.perf_counter()]

        def progress(stage: str, done: int, total: int) -> None:
            """Called as stages start and advance (the engine's own stages inside ``analyse`` count for it)."""
            if stage not in ("load", "tokens", "analyse", "save") or stage == last[0]:
                return
            t = time.perf_counter()
            if last[0] is not None:
                stages[str(last[0])] = t - float(last[1] or 0)
            last[0], last[1] = stage, t

        start = time.perf_counter()
        analysis_runs.run(db, consultation, staff=None, now=now, progress=progress)
        end = time.perf_counter()
        stages[str(last[0])] = end - float(last[1] or 0)
    close_all()
    return end - start, stages


def engine_and_quotes(path: Path, limit: int = -1) -> tuple[float, float]:
    import json
    import sqlite3

    import analysis
    from draft import load_seed

    conn = sqlite3.connect(path)
    found = conn.execute("SELECT id, body, clause_key, tokens FROM comments ORDER BY id LIMIT ?", [limit]).fetchall()
    conn.close()
    draft = load_seed()
    inputs = [analysis.CommentIn(i, body, key, json.loads(tokens)) for i, body, key, tokens in found]
    start = time.perf_counter()
    analysis.group_comments(inputs, draft)
    engine = time.perf_counter() - start
    start = time.perf_counter()
    analysis.find_quotations_many([body for _, body, _, _ in found], draft)
    return engine, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            base = build(folder, n)
            engine, quotes, first, rerun = [], [], [], []
            first_stages: list[dict[str, float]] = []
            engine_and_quotes(base, 300)  # warm up: jieba's dictionary, the draft's indexes (once per process)
            for r in range(args.rounds):
                e, q = engine_and_quotes(base)
                engine.append(e)
                quotes.append(q)
                copy = folder / f"run{r}.db"
                shutil.copy(base, copy)
                seconds, stages = timed_run(copy, 0)
                first.append(seconds)
                first_stages.append(stages)
                copy2 = folder / f"rerun{r}.db"
                shutil.copy(base, copy2)
                rerun.append(timed_run(copy2, 1)[0])
            med = statistics.median
            print(f"{n} comments, medians of {args.rounds} round(s):")
            print(f"  engine group_comments      {med(engine):7.2f} s")
            print(f"  find_quotations_many (all) {med(quotes):7.2f} s")
            stage_text = ", ".join(f"{k} {med(s.get(k, 0.0) for s in first_stages):.2f}"
                                   for k in ("load", "tokens", "analyse", "save"))
            print(f"  first run (portal)         {med(first):7.2f} s  ({stage_text})  ratio to engine "
                  f"{med(first) / med(engine):.2f}")
            print(f"  rerun (portal)             {med(rerun):7.2f} s  ratio to engine {med(rerun) / med(engine):.2f}")


if __name__ == "__main__":
    main()
