"""How long the staff groups page takes at 5,000 groups, against a small consultation in the same database.

Two consultations of the seed draft in one temporary database: ``large`` with ``--groups`` groups (sizes as an
analysis leaves them: most single comments, some clusters of 2–30, a few campaigns of 50–200 copies; 10 % of
the groups decided) and ``small`` with ``--small-groups`` groups drawn the same way. A logged-in staff client
(Flask's test client: the whole request, routing, access check, queries and template, without the network)
requests each page ``--repeat`` times, alternating small and large; printed: the median and p90 per page and
the ratio of each large page's median to the small consultation's first page (the baseline measured in the same
run, so the shared machine's noise cancels out).

Pages: the first page, the last page, and a filtered page (one clause, undecided) of ``large``.

Example: .venv/bin/python bench/groups_page.py --groups 5000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from load import CSRF_RE, ROOT

sys.path.insert(0, str(ROOT))

PASSWORD = "Groups-page-2024"


def sizes(n: int, rng: random.Random) -> list[int]:
    out = []
    for _ in range(n):
        roll = rng.random()
        out.append(1 if roll < 0.6 else rng.randint(2, 9) if roll < 0.9 else rng.randint(10, 30) if roll < 0.99
                   else rng.randint(50, 200))
    return out


def build(app, slug: str, n_groups: int, rng: random.Random) -> int:
    """A consultation with ``n_groups`` groups; returns how many comments it holds."""
    from comment_portal.db import get_db, write
    from comment_portal.store import comments, consultations, decisions, groups
    from draft import load_seed

    draft = load_seed()
    keys = [c.key for c in draft.walk() if c.body]
    now = app.extensions["clock"].now()
    with app.app_context():
        db = get_db()
        consultations.import_draft(db, draft, slug=slug, opens_on=date(2024, 9, 25), closes_on=date(2024, 10, 10),
                                   now=now)
        consultation = consultations.get_by_slug(db, slug)
        assert consultation is not None
        total = 0
        plan = sizes(n_groups, rng)
        for start in range(0, n_groups, 250):
            with write(db):
                for size in plan[start:start + 250]:
                    key = rng.choice(keys) if rng.random() < 0.8 else None
                    rows = [{"clause_key": key, "body": f"第{total + i}条意见：建议完善海外仓支持政策，明确补贴标准。",
                             "submitter_type": "个人", "name": "", "contact": "", "channel": "letter"}
                            for i in range(size)]
                    stored = comments.import_rows(db, consultation.id, rows, staff=None, now=now, filename="bench.csv",
                                                  bad_rows=[])
                    gid = groups.create(db, consultation.id, now=now, kind="singleton" if size == 1 else
                                        "campaign" if size >= 50 else "cluster", title=f"分组{total}", clause_key=key,
                                        representative_id=stored[0].id, edited=False)
                    groups.move_comments(db, [r.id for r in stored], gid, now=now)
                    if rng.random() < 0.1:
                        decisions.set_group_decision(db, consultation, gid, category="采纳", reason="", staff=None,
                                                     now=now)
                    total += size
        return total


def login(app):
    from comment_portal.db import get_db
    from comment_portal.store import staff

    with app.app_context():
        staff.create(get_db(), "timer", "reviewer", PASSWORD, staff=None, now=app.extensions["clock"].now(),
                     must_change=False)
    client = app.test_client()
    token = CSRF_RE.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    assert client.post("/staff/login", data={"csrf_token": token, "username": "timer",
                                             "password": PASSWORD}).status_code == 302
    return client


def timed(client, url: str) -> float:
    began = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - began
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=5000)
    parser.add_argument("--small-groups", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    from comment_portal import create_app
    from comment_portal.clock import FixedClock
    from comment_portal.db import close_all
    from tests.helpers import beijing

    work = Path(tempfile.mkdtemp(prefix="cp-groups-bench-"))
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "DATABASE": str(work / "portal.db"),
                      "CLOCK": FixedClock(beijing(2024, 10, 1, 12, 0, 0)), "JOBS_RUNNER": "off"})
    rng = random.Random(5)
    began = time.perf_counter()
    small_comments = build(app, "small", args.small_groups, rng)
    large_comments = build(app, "large", args.groups, rng)
    print(f"built: small {args.small_groups:,} groups / {small_comments:,} comments, large {args.groups:,} groups / "
          f"{large_comments:,} comments ({time.perf_counter() - began:.0f} s)", file=sys.stderr)
    client = login(app)
    last = -(-args.groups // 50)
    with app.app_context():
        from comment_portal.db import get_db
        from comment_portal.store import consultations

        clause = next(c.key for c in consultations.clauses_of(get_db(), consultations.get_by_slug(get_db(), "large").id)
                      if c.body)
    pages = {
        "small, page 1 (baseline)": "/staff/c/small/groups",
        "large, page 1": "/staff/c/large/groups",
        f"large, page {last} (last)": f"/staff/c/large/groups?page={last}",
        "large, one clause, undecided": f"/staff/c/large/groups?clause={clause}&decided=no",
    }
    for url in pages.values():  # warm-up: templates compiled, caches filled
        timed(client, url)
    samples: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(args.repeat):
        for name, url in pages.items():
            samples[name].append(timed(client, url))
    close_all()

    base = statistics.median(samples["small, page 1 (baseline)"])
    print(f"\nstaff groups page, {args.repeat} requests each (Flask test client, logged in), "
          f"{args.groups:,} groups vs {args.small_groups} in the same database\n")
    print(f"{'page':34} {'median ms':>10} {'p90 ms':>8} {'× baseline':>11}")
    for name, found in samples.items():
        ordered = sorted(found)
        p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
        print(f"{name:34} {statistics.median(found) * 1000:10.1f} {p90 * 1000:8.1f} "
              f"{statistics.median(found) / base:11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
