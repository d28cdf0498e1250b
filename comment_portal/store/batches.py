"""Big writes in short transactions, so a citizen's comment never waits behind staff work.

SQLite has one write lock. A comment POST holds it for a few milliseconds; an analysis run's save or an import
of 10,000 rows done as ONE transaction holds it for seconds, and every POST in that time waits (5.4 s was
measured at 113,683 comments). :func:`paced` cuts such work into transactions of about ``budget`` seconds and
pauses ``pause`` seconds between them: a waiting writer's busy handler polls every few to 100 ms, so the pause
must be long enough for it to get in. After each transaction the WAL is checkpointed (passively, without the
write lock), so the comment that commits next does not find a large WAL to copy back.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlite_utils import Database

from ..db import write

T = TypeVar("T")

BUDGET = 0.04  # seconds of work per transaction
PAUSE = 0.05  # seconds between transactions


def paced(db: Database, items: Sequence[T], apply: Callable[[Database, Sequence[T]], Any], *,
          progress: Callable[[int], None] | None = None, budget: float = BUDGET, pause: float = PAUSE,
          first: int = 20) -> None:
    """``apply(db, chunk)`` inside its own write transaction for consecutive chunks of ``items``; the chunk size
    adapts so that each transaction takes about ``budget`` seconds. ``progress(n)`` after each chunk with the
    number of items done so far."""
    size = first
    done = 0
    while done < len(items):
        chunk = items[done:done + size]
        began = time.perf_counter()
        with write(db):
            apply(db, chunk)
        elapsed = time.perf_counter() - began
        done += len(chunk)
        if progress is not None:
            progress(done)
        size = max(1, min(size * 4, int(len(chunk) * budget / max(elapsed, 1e-4))))
        checkpoint(db)
        if done < len(items):
            time.sleep(pause)


def checkpoint(db: Database) -> None:
    """Copy the WAL back into the database without blocking writers (nothing happens when a reader needs it)."""
    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def pause(seconds: float = PAUSE) -> None:
    """Between two single short transactions of a long job (what :func:`paced` does between chunks)."""
    time.sleep(seconds)
