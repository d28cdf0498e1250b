"""Memory management around the analysis: pausing Python's cyclic garbage collector, returning freed memory.

The analysis makes a list, set or string per comment (hundreds of thousands at 100k comments). None of them holds
a reference cycle, but their number triggers the collector again and again, and each full collection scans every
object of the process: at 100k comments that was ~40 % of the duplicates stage and a large share of the
quotations stage. Objects are still freed by reference counting while the collector is paused.
"""

from __future__ import annotations

import ctypes
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


def return_freed_memory() -> bool:
    """Hand the C allocator's free pages back to the operating system (glibc's ``malloc_trim``); False where the C
    library has no such call (the memory is then reused by the process, just not returned).

    Between stages the analysis frees most of what the stage made, but glibc keeps freed heap pages, and NumPy's
    arrays of a few MB come from that heap once a larger array has been freed (glibc raises its mmap threshold
    then): at a million comments the main process held about 1 GB more than its live objects, and that counted
    against the peak of every later stage."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True
