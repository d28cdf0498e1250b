import platform

import pytest

from analysis.collector import return_freed_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_freed_memory_is_returned_on_glibc():
    """The analysis relies on it to keep a million comments under 4 GB (bench/analysis_scale.py): if the C library's
    call stopped being found, the peak would silently grow again."""
    assert return_freed_memory() is True
