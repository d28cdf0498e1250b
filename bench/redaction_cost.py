"""CPU cost of redaction (``exports.public.redact_comment``) for this tree AND a previous one, in the same run.

Times, in rounds that alternate the two trees (each a child process importing its own ``exports`` and ``draft``):
redacting the 9,210 real citizen messages of ../shared/data, and this tree's hostile texts of a comment's maximum
length (``redaction_corpus.HOSTILE_PIECES``, 5,000 characters each). Prints the median CPU seconds of each tree and
the ratio. The machine is shared and noisy: compare the two columns of one run, never figures of different runs.

    .venv/bin/python bench/redaction_cost.py [--previous-rev e323235] [--rounds 3]
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from _engines import add_engine_arguments, previous_engine_dir, run_engine, use_engine

#: The tree before the h15 redaction fixes (the h15 hostile set and its tests only).
PREVIOUS_REV = "e323235"


def _measure(args: argparse.Namespace) -> dict:
    use_engine(args.engine_dir)
    sys.path.append(str(REPO))  # this tree's tests/ (the seed's words), after the engine's exports and draft
    from _analysis_data import load_labeled

    from exports import MemberComment
    from exports.public import redact_comment
    from tests.exports.redaction_corpus import seed_vocabulary

    # (after exports: bench/redaction_corpus.py puts this tree first on the path)
    hostile_pieces = importlib.import_module("redaction_corpus").HOSTILE_PIECES

    assert Path(sys.modules["exports.redact"].__file__ or "").is_relative_to(args.engine_dir or REPO)

    vocabulary = seed_vocabulary()
    texts = load_labeled()[0]
    hostile = [(p * (5000 // len(p) + 1))[:5000] for p in hostile_pieces]
    redact_comment(MemberComment("王建国 13800138000", name="王建国"), vocabulary)  # jieba's dictionary, opencc

    def cpu(batch: list[str], vocab: str) -> float:
        start = time.process_time()
        for text in batch:
            redact_comment(MemberComment(text), vocab)
        return time.process_time() - start

    return {"real": cpu(texts, vocabulary), "hostile": cpu(hostile, "")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_engine_arguments(parser)
    parser.set_defaults(previous_rev=PREVIOUS_REV)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.json_out:  # a child: one tree, one round
        args.json_out.write_text(json.dumps(_measure(args)), encoding="utf-8")
        return
    previous = previous_engine_dir(args, paths=("exports", "draft"))
    trees = {"this tree": REPO, **({f"{args.previous_rev}": previous} if previous else {})}
    results: dict[str, list[dict]] = {label: [] for label in trees}
    script = Path(__file__).resolve()
    for _ in range(args.rounds):
        for label, tree in trees.items():
            results[label].append(run_engine(script, tree, []))
    for key, what in (("real", "9,210 real messages"), ("hostile", "hostile 5,000-character texts")):
        medians = {label: statistics.median(r[key] for r in rounds) for label, rounds in results.items()}
        shown = ", ".join(f"{label} {m:.3f} s ({', '.join(f'{r[key]:.3f}' for r in results[label])})"
                          for label, m in medians.items())
        ratio = (f"; ratio {medians['this tree'] / medians[args.previous_rev]:.2f}"
                 if previous and medians[args.previous_rev] else "")
        print(f"redaction CPU, {what}, median of {args.rounds}: {shown}{ratio}")


if __name__ == "__main__":
    main()
