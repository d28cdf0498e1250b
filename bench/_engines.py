"""Run a benchmark against this tree's analysis engine AND a previous one, in the same run.

The machine is shared and noisy, so every figure is measured for both engines in one run and reported side by side
(and as a ratio for times). The previous engine is a tree holding its own ``analysis`` and ``draft`` packages:
``--previous DIR`` (e.g. ``git worktree add /work/wt/old d107a7e``) or ``--previous-rev REV`` (extracted with
``git archive`` into a temporary folder; default :data:`PREVIOUS_REV`, the engine before issue 10). Each engine runs
in a child process that imports from its own tree (both packages are called ``analysis``); the child writes its
figures as JSON.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
#: The engine before issue 10 (main at d107a7e).
PREVIOUS_REV = "d107a7e"


def add_engine_arguments(parser) -> None:
    parser.add_argument("--previous", type=Path, help="a tree holding the previous engine (analysis/, draft/)")
    parser.add_argument("--previous-rev", default=PREVIOUS_REV,
                        help=f"git revision of the previous engine (default {PREVIOUS_REV}, the engine before issue 10)")
    parser.add_argument("--no-previous", action="store_true", help="measure this tree's engine only")
    parser.add_argument("--engine-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json-out", type=Path, help=argparse.SUPPRESS)


def use_engine(engine_dir: Path | None) -> None:
    """Make ``import analysis`` / ``import draft`` load from ``engine_dir`` (call before importing them)."""
    sys.path.insert(0, str(engine_dir or REPO))


def previous_engine_dir(args, paths: tuple[str, ...] = ("analysis", "draft", "comment_portal/supportive.py")
                        ) -> Path | None:
    """The previous engine's tree: --previous, or those of ``paths`` that --previous-rev holds, extracted once
    (removed at exit); None with --no-previous."""
    if args.no_previous:
        return None
    if args.previous:
        return args.previous.resolve()
    target = Path(tempfile.mkdtemp(prefix="previous-engine-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    present = [p for p in paths if subprocess.run(["git", "-C", str(REPO), "cat-file", "-e",
                                                   f"{args.previous_rev}:{p}"], check=False, capture_output=True).returncode == 0]
    archive = subprocess.run(["git", "-C", str(REPO), "archive", args.previous_rev, *present],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def run_engine(script: Path, engine_dir: Path, argv: list[str]) -> dict:
    """Run ``script`` in a child process on the engine in ``engine_dir``; its figures (JSON) come back."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        env = dict(os.environ, PYTHONPATH=str(engine_dir))
        subprocess.run([sys.executable, str(script), *argv, "--no-previous", "--engine-dir", str(engine_dir),
                        "--json-out", str(out)], check=True, env=env, cwd=REPO)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)
