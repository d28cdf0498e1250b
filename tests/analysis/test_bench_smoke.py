"""The analysis benchmarks still run (their --quick mode on a few hundred rows); the figures are not checked here."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = next((p / "shared" / "data" / "messages_titles_labeled.csv" for p in REPO.parents
             if (p / "shared" / "data" / "messages_titles_labeled.csv").exists()), REPO.parent / "shared")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/messages_titles_labeled.csv"),
]


@pytest.mark.parametrize(("script", "args", "expected"), [
    ("cluster_quality.py", ["--quick"], ["NMI k=None", "quotes", "opinion recall", "advert precision", "top-3"]),
    ("analysis_scale.py", ["--quick"], ["tokenise", "duplicates", "END TO END"]),
    ("analysis_run.py", ["--sizes", "400", "--rounds", "1"], ["400 comments", "first run (portal)", "rerun (portal)"]),
])
def test_bench_quick_runs(script, args, expected):
    # The timeout only catches a hang: a quick run takes about 30 s of CPU, but several minutes of wall
    # time on a shared 2-core machine running other suites.
    result = subprocess.run([sys.executable, str(REPO / "bench" / script), *args], cwd=REPO, check=False,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    for text in expected:
        assert text in result.stdout


@pytest.mark.parametrize("script", ["cluster_quality.py", "analysis_scale.py"])
def test_bench_help(script):
    result = subprocess.run([sys.executable, str(REPO / "bench" / script), "--help"], cwd=REPO, check=False,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "--quick" in result.stdout
