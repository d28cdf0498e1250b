"""find_duplicates of this tree against another revision's analysis/duplicates.py, alternating in one process.

    .venv/bin/python bench/duplicates_ab.py --rev c17a328            # 100k comments, 5 rounds
    .venv/bin/python bench/duplicates_ab.py --rev c17a328 --size 20000 --rounds 3

The comments are bench/analysis_scale.py's (build(), seed as its make_data), with the quotations of the draft cut
out as its stages() does, and clause keys as contexts. The other revision's duplicates.py is loaded as a module of
this tree's ``analysis`` package (its relative imports get this tree's boilerplate, normalize, …), so only
duplicates.py differs between the two. Prints the median wall and CPU seconds of each and their ratios, and the
groups and grouped comments each finds. The machine is shared: a CPU ratio near 1 within a few per cent is noise.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

REPO = Path(__file__).resolve().parents[1]


def comments(n: int, seed: int) -> tuple[list[str], list[str], list[str | None]]:
    """(texts, canonical texts without quotations, clause keys) as bench/analysis_scale.py builds them."""
    from _analysis_data import load_labeled
    from analysis_scale import build

    from analysis.normalize import canonical_many
    from analysis.quotes import draft_index, without_quotations
    from draft import load_seed

    draft = load_seed()
    rng = random.Random(seed + n)
    texts, _, _ = build(n, rng, draft, load_labeled()[0])
    keys = [c.key for c in draft.walk() if c.body]
    clause_keys = [rng.choice(keys) if rng.random() < 0.7 else None for _ in texts]
    stripped = without_quotations(canonical_many(texts), [[] for _ in texts], draft_index(draft))[0]
    return texts, stripped, clause_keys


def other_duplicates(rev: str):
    """``rev``'s analysis/duplicates.py as the module analysis._duplicates_<rev>."""
    source = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:analysis/duplicates.py"], check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="duplicates-ab-")) / "duplicates.py"
    path.write_text(source, encoding="utf-8")
    import analysis

    name = f"analysis._duplicates_{rev}"
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=None)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    module.__package__ = analysis.__name__
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rev", required=True, help="git revision whose duplicates.py is compared")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    import analysis.duplicates as this

    other = other_duplicates(args.rev)
    texts, stripped, keys = comments(args.size, args.seed)
    engines = {args.rev: other, "this tree": this}
    wall: dict[str, list[float]] = {name: [] for name in engines}
    cpu: dict[str, list[float]] = {name: [] for name in engines}
    found: dict[str, tuple[int, int]] = {}
    for _ in range(args.rounds):
        for name, module in engines.items():
            t, c = time.perf_counter(), time.process_time()
            groups = module.find_duplicates(texts, canonical_texts=stripped, contexts=keys)
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
            found[name] = (len(groups), sum(g.size for g in groups))
    print(f"find_duplicates on {args.size:,} comments, median of {args.rounds}")
    for name in engines:
        print(f"  {name:12} wall {statistics.median(wall[name]):6.2f} s   cpu {statistics.median(cpu[name]):6.2f} s   "
              f"{found[name][0]:,} groups holding {found[name][1]:,}")
    old, new = args.rev, "this tree"
    print(f"  ratio this tree / {old}: wall {statistics.median(wall[new]) / statistics.median(wall[old]):.3f}, "
          f"cpu {statistics.median(cpu[new]) / statistics.median(cpu[old]):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
