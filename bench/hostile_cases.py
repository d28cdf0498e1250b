"""Issue 10 items 3, 4, 5 and 7 on the hostile cases of tests/analysis/data/hostile/ (text written by a tester to
break the engine, not by its authors), this tree's engine and a previous one in the same run. Prints counts.

    .venv/bin/python bench/hostile_cases.py                          # against main at the session start (bbea3d3)
    .venv/bin/python bench/hostile_cases.py --previous-rev d107a7e   # against the engine before issue 10
    .venv/bin/python bench/hostile_cases.py --no-previous

Each set was written before the change it measures; the files named *_heldout were measured before they were used
(their headers say whether they were used since). Counts are "right / cases": supportive (is_supportive), noise
(noise_reason with the seed draft: advert / off_topic / ok), titles (readable_title holding none of a case's
personal data), letters (true opinions with half their characters given their clause by segment_letter).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _analysis_data import load_letters
from _engines import add_engine_arguments, previous_engine_dir, run_engine, use_engine

HOSTILE = Path(__file__).resolve().parents[1] / "tests" / "analysis" / "data" / "hostile"
PREVIOUS = "bbea3d3"  # main when the hostile cases were written


def _rows(name: str) -> list[list[str]]:
    lines = (HOSTILE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t", 1) for line in lines if line.strip() and not line.startswith("#")]


def _right(rows: list[list[str]], answer) -> dict[str, str]:
    counts: dict[str, list[int]] = {}
    for label, text in rows:
        right = counts.setdefault(label, [0, 0])
        right[0] += answer(text) == label
        right[1] += 1
    return {label: f"{a}/{b}" for label, (a, b) in sorted(counts.items())}


def measure() -> dict:
    import analysis
    from draft import load_seed

    draft = load_seed()
    out: dict = {}
    for name in ("supportive.tsv", "supportive_heldout.tsv", "supportive_h17_heldout.tsv"):
        out[f"supportive {name}"] = _right(_rows(name), lambda t: "supportive" if analysis.is_supportive(t)
                                           else "substantive")
    for name in ("noise.tsv", "noise_heldout.tsv"):
        out[f"noise {name}"] = _right(_rows(name), lambda t: analysis.noise_reason(t, draft) or "ok")
    cases = json.loads((HOSTILE / "labels_personal_data.json").read_text(encoding="utf-8"))["cases"]
    clean = sum(not any(leak.lower() in analysis.readable_title(c["text"]).lower() for leak in c["leaks"])
                for c in cases)
    out["titles labels_personal_data.json"] = {"without personal data": f"{clean}/{len(cases)}"}
    for name in ("letters.txt", "letters_heldout.txt", "letters_h17_heldout.txt"):
        found = total = 0
        for _, text, truth in load_letters("", HOSTILE / name):
            assigned = [None] * len(text)
            for s in analysis.segment_letter(text, draft):
                assigned[s.start:s.end] = [s.clause_key] * (s.end - s.start)
            for key, a, b in truth:
                own = [i for i in range(a, b) if not text[i].isspace()]
                if key is not None:
                    total += 1
                    found += sum(assigned[i] == key for i in own) >= 0.5 * len(own)
        out[f"letters {name}"] = {"opinions found": f"{found}/{total}"}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_engine_arguments(parser)
    parser.set_defaults(previous_rev=PREVIOUS)
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    use_engine(args.engine_dir)
    new = measure()
    if args.json_out:
        args.json_out.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
        return 0
    previous = previous_engine_dir(args, ("analysis", "draft"))
    old = run_engine(Path(__file__).resolve(), previous, [a for a in argv if a != "--no-previous"]) if previous else {}
    for section, figures in new.items():
        print(section)
        for label, value in figures.items():
            was = (old.get(section) or {}).get(label)
            print(f"  {label:24} {value:>8}" + (f"   previous: {was}" if old else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
