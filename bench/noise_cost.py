"""Cost of the noise flags on a large consultation, this tree's detector against a previous one in the same run.

    .venv/bin/python bench/noise_cost.py                        # 100k comments, against --previous-rev
    .venv/bin/python bench/noise_cost.py --n 20000 --rounds 3   # quicker

The comments are bench/analysis_scale.py's (draft phrases and real citizen titles from ../shared/data, campaign
copies), tokenised once by this tree's tokenizer (the tokens are cached in a real analysis too). Each engine runs in
its own child process (both packages are called ``analysis``), children alternating old / new ``--repeats`` times;
a round is one ``consultation_relatedness`` + ``flags_for`` over all comments on one core. Prints the median round
of each engine (wall and CPU time), their ratio and how many comments each flags as advert / off_topic.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore")

from _engines import REPO, previous_engine_dir

#: The detector before session 10's off-topic changes (h19's held-out set measured on it).
PREVIOUS_REV = "3bef99e"


def child(data: Path, rounds: int, out: Path) -> None:
    """Time the flags of the engine on sys.path (the child's PYTHONPATH) over the pickled comments."""
    from analysis.noise import consultation_relatedness, flags_for
    from analysis.terms import tokenizer_for_draft
    from draft import load_seed

    draft = load_seed()
    tokenizer = tokenizer_for_draft(draft)
    texts, tokens = pickle.loads(data.read_bytes())
    times, cpu, flags = [], [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        flags = flags_for(texts, tokens, consultation_relatedness(tokens, draft, tokenizer))
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    reasons = [f.reason for f in flags if f]
    out.write_text(json.dumps({"times": times, "cpu": cpu, "advert": reasons.count("advert"),
                               "off_topic": reasons.count("off_topic")}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds per child")
    parser.add_argument("--repeats", type=int, default=2, help="children per engine, alternating")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--previous", type=Path, help="a tree holding the previous engine (analysis/, draft/)")
    parser.add_argument("--previous-rev", default=PREVIOUS_REV)
    parser.add_argument("--no-previous", action="store_true")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(Path(args.child[0]), int(args.child[1]), Path(args.child[2]))
        return
    sys.path.insert(0, str(REPO))
    from _analysis_data import load_labeled
    from analysis_scale import build

    from analysis.terms import tokenizer_for_draft
    from draft import load_seed

    draft = load_seed()
    titles, _ = load_labeled()
    texts, _, _ = build(args.n, random.Random(args.seed + args.n), draft, titles)
    tokens = tokenizer_for_draft(draft).tokenize_many(texts, workers=2)
    engines = {"this tree": REPO}
    previous = previous_engine_dir(args, ("analysis", "draft"))
    if previous is not None:
        engines = {f"previous ({args.previous or args.previous_rev})": previous, **engines}
    results: dict[str, dict] = {name: {"times": [], "cpu": []} for name in engines}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "comments.pickle"
        data.write_bytes(pickle.dumps((texts, tokens)))
        for _ in range(args.repeats):
            for name, tree in engines.items():
                out = Path(tmp) / "out.json"
                subprocess.run([sys.executable, __file__, "--child", str(data), str(args.rounds), str(out)],
                               check=True, cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree)))
                got = json.loads(out.read_text())
                results[name]["times"] += got["times"]
                results[name]["cpu"] += got["cpu"]
                results[name].update(advert=got["advert"], off_topic=got["off_topic"])
    print(f"noise flags on {len(texts):,} comments (consultation_relatedness + flags_for, one core), "
          f"{args.repeats} × {args.rounds} rounds per engine")
    medians, cpu = {}, {}
    for name, r in results.items():
        medians[name], cpu[name] = statistics.median(r["times"]), statistics.median(r["cpu"])
        print(f"  {name:34} median {medians[name]:6.2f} s (min {min(r['times']):.2f}, max {max(r['times']):.2f}),"
              f" CPU {cpu[name]:.2f} s   flagged advert {r['advert']:,}, off_topic {r['off_topic']:,}")
    if len(medians) == 2:
        (old, new), (old_cpu, new_cpu) = medians.values(), cpu.values()
        print(f"  ratio this tree / previous: {new / old:.2f} (CPU time {new_cpu / old_cpu:.2f})")


if __name__ == "__main__":
    main()
