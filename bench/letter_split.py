"""How long splitting a position paper by clause takes (``analysis.parts_by_clause``), which the comment form does
while the request waits up to ``comment_portal.submission.SPLIT_MAX_CHARS`` characters (longer papers are split by a
background job).

Papers of growing length are made from the three development letters of tests/analysis/data/letters.txt, repeated
(each copy renumbered by the letters' own structure, so every copy adds points); each figure is the median of
``--repeat`` runs, with the ratio against tokenising the same text (jieba with the draft's terms, what storing any
comment costs) measured in the same run. Prints figures only; asserts nothing. Caution: segment_letter scores a
piece of text once per letter (a memo), and the copies repeat the same paragraphs, so from 2 copies up the figure
understates the time a paper of distinct paragraphs of that length takes.

    .venv/bin/python bench/letter_split.py [--repeat 5] [--sizes 1,5,20,60]

``--score FILE...`` instead scores ``analysis.segment_letter`` on letters files (bench/data/letters_dev.txt format):
opinions found (a true opinion with at least half its visible characters given its clause), character accuracy
(visible characters given the expected clause key or None) and opinion segments per true opinion; ``--misses``
lists each opinion not found with what it was given.

    .venv/bin/python bench/letter_split.py --score tests/analysis/data/hostile/letters_h17_heldout.txt --misses
    .venv/bin/python bench/letter_split.py --score FILE --engine=/tmp/base   # an engine extracted with git archive

``--distinct FILE...`` times segment_letter on every letter of those files, each segmented once per run (distinct
text, no repeated paragraphs), median of ``--repeat`` runs:

    .venv/bin/python bench/letter_split.py --distinct tests/analysis/data/hostile/letters*.txt bench/data/letters_*.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _analysis_data import load_letters
from load import median_seconds

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the letters fixture lives with the tests
#: --engine=DIR: score another engine's analysis/ and draft/ (``git archive REV analysis draft | tar -x -C DIR``).
ENGINE = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--engine=")), None)
if ENGINE:
    sys.path.insert(0, ENGINE)

from analysis import parts_by_clause, tokenizer_for_draft
from draft import load_seed
from tests.analysis.test_segments import LETTERS


def median_ms(fn, repeat: int) -> float:
    return median_seconds(fn, repeat) * 1000


def score(path: Path, draft, misses: bool) -> None:
    """Print how segment_letter does on one letters file (see the module docstring)."""
    from analysis import segment_letter

    opinions = found = chars = right = predicted = 0
    lost = []
    for letter, text, truth in load_letters("", path):
        segments = segment_letter(text, draft)
        predicted += sum(1 for s in segments if s.kind == "opinion")
        assigned: list[str | None] = [None] * len(text)
        for s in segments:
            assigned[s.start:s.end] = [s.clause_key] * (s.end - s.start)
        expected: list[str | None] = [None] * len(text)
        for key, a, b in truth:
            expected[a:b] = [key] * (b - a)
        visible = [i for i, ch in enumerate(text) if not ch.isspace()]
        chars += len(visible)
        right += sum(assigned[i] == expected[i] for i in visible)
        for key, a, b in truth:
            if key is None:
                continue
            opinions += 1
            own = [i for i in range(a, b) if not text[i].isspace()]
            if sum(assigned[i] == key for i in own) >= 0.5 * len(own):
                found += 1
            else:
                given = sorted({str(assigned[i]) for i in own})
                lost.append(f"    {letter} {key}: given {'/'.join(given)}  {text[a:b].strip()[:40]}")
    print(f"{path.name}: opinions found {found}/{opinions}, character accuracy {right / max(1, chars):.3f}, "
          f"opinion segments per true opinion {predicted / max(1, opinions):.2f}")
    if misses:
        print("\n".join(lost))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sizes", default="1,5,20,60", help="copies of the three letters, comma-separated")
    parser.add_argument("--score", nargs="+", type=Path, help="score segment_letter on these letters files")
    parser.add_argument("--misses", action="store_true", help="with --score: list the opinions not found")
    parser.add_argument("--engine", help="--engine=DIR: a tree holding another engine's analysis/ and draft/")
    parser.add_argument("--distinct", nargs="+", type=Path, help="time segment_letter on every letter of these files")
    args = parser.parse_args()
    draft = load_seed()
    if args.score:
        for path in args.score:
            score(path, draft, args.misses)
        return
    if args.distinct:
        from analysis import segment_letter, segments

        texts = [text for path in args.distinct for _, text, _ in load_letters("", path)]
        scored = [0, 0]  # clause_scores calls and characters: the work, free of the machine's noise
        clause_scores = segments.clause_scores

        def counted(text, draft, **kwargs):
            scored[0] += 1
            scored[1] += len(text)
            return clause_scores(text, draft, **kwargs)
        segments.clause_scores = counted
        for text in texts:  # warm up, and count
            segment_letter(text, draft)
        segments.clause_scores = clause_scores
        ms = median_ms(lambda: [segment_letter(text, draft) for text in texts], args.repeat)
        print(f"segment_letter on {len(texts)} distinct letters ({sum(map(len, texts)):,} characters), median of "
              f"{args.repeat}: {ms:.0f} ms ({ms / sum(map(len, texts)) * 1000:.1f} ms per 1,000 characters); "
              f"clause_scores {scored[0]} calls on {scored[1]:,} characters")
        return
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
