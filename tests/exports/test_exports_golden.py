"""Golden files: the HTML and Markdown of one realistic report, byte for byte.

The report is the seed consultation (tests/exports/helpers.py: build_seed_report, identity masked). The files are
``golden/seed_report.{html,md}.golden``: expected output, not source, so they carry a data suffix (no editor or
formatter rewrites them, no code tool reads them as code). When a change to the wording or layout is intended,
regenerate the files and review the diff:

    REGEN_GOLDEN=1 .venv/bin/python -m pytest tests/exports/test_exports_golden.py -q

(also documented in docs/exports.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exports import FORMATS

GOLDEN = Path(__file__).parent / "golden"
REGEN = os.environ.get("REGEN_GOLDEN") == "1"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_golden(seed_report, fmt: str) -> None:
    path = GOLDEN / f"seed_report.{fmt}.golden"
    rendered = FORMATS[fmt](seed_report)
    if REGEN:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(rendered)
    assert path.exists(), f"missing {path}; run: REGEN_GOLDEN=1 .venv/bin/python -m pytest {__file__}"
    expected = path.read_bytes().decode("utf-8")
    assert rendered.decode("utf-8") == expected, (
        f"{fmt} output differs from {path.name}; if intended, regenerate with REGEN_GOLDEN=1 (see module docstring)"
    )


def test_rendering_is_deterministic(seed_report) -> None:
    assert FORMATS["html"](seed_report) == FORMATS["html"](seed_report)
    assert FORMATS["json"](seed_report) == FORMATS["json"](seed_report)
