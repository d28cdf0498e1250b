"""How long splitting a position paper by clause takes (``analysis.parts_by_clause``), which the comment form does
while the request waits up to ``comment_portal.submission.SPLIT_MAX_CHARS`` characters (longer papers are split by a
background job).

Papers of growing length are made from the three development letters of tests/analysis/data/letters.txt, repeated
(each copy renumbered by the letters' own structure, so every copy adds points); each figure is the median of
``--repeat`` runs, with the ratio against tokenising the same text (jieba with the draft's terms, what storing any
comment costs) measured in the same run. Prints figures only; asserts nothing.

    .venv/bin/python bench/letter_split.py [--repeat 5] [--sizes 1,5,20,60]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from load import median_seconds

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the letters fixture lives with the tests

from analysis import parts_by_clause, tokenizer_for_draft
from draft import load_seed
from tests.analysis.test_segments import LETTERS


def median_ms(fn, repeat: int) -> float:
    return median_seconds(fn, repeat) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="1,5,20,60", help="copies of the three letters, comma-separated")
    args = parser.parse_args()
    draft = load_seed()
    tokenizer = tokenizer_for_draft(draft)
    letters = "\n".join(text for text, _ in LETTERS.values())
    parts_by_clause("", [letters], draft)  # warm up: the draft's clause index, jieba's dictionary
    tokenizer.tokenize(letters)
    print(f"parts_by_clause on a position paper, median of {args.repeat} (ms)")
    for copies in (int(n) for n in args.sizes.split(",")):
        paper = "\n".join([letters] * copies)
        split = median_ms(lambda paper=paper: parts_by_clause("", [paper], draft), args.repeat)
        tokens = median_ms(lambda paper=paper: tokenizer.tokenize(paper), args.repeat)
        parts = len(parts_by_clause("", [paper], draft))
        print(f"  {len(paper):7,} characters  {split:8.1f} ms  ({split / len(paper) * 1000:5.1f} ms per 1,000 "
              f"characters; {split / tokens:4.1f}x tokenising it: {tokens:.1f} ms)  {parts} parts")


if __name__ == "__main__":
    main()
