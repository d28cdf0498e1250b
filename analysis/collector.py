"""Pausing Python's cyclic garbage collector around the analysis.

The analysis makes a list, set or string per comment (hundreds of thousands at 100k comments). None of them holds
a reference cycle, but their number triggers the collector again and again, and each full collection scans every
object of the process: at 100k comments that was ~40 % of the duplicates stage and a large share of the
quotations stage. Objects are still freed by reference counting while the collector is paused.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (usable as a decorator); restores it as it was, so pauses can nest."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
