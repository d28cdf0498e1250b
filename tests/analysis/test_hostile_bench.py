"""bench/hostile_cases.py still runs and prints a count for every hostile set (the figures are not checked here)."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_hostile_cases_bench_runs():
    result = subprocess.run([sys.executable, str(REPO / "bench" / "hostile_cases.py"), "--no-previous"], cwd=REPO,
                            check=False, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    for section in ("supportive supportive_heldout.tsv", "noise noise.tsv", "titles labels_personal_data.json",
                    "letters letters_heldout.txt"):
        assert section in result.stdout
    assert "/" in result.stdout.split("letters letters_heldout.txt", 1)[1]
