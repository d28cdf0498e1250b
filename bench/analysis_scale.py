"""Speed and memory of the analysis engine at 10k, 100k (and 1M) comments, this tree's and the previous one in
the same run (see bench/_engines.py). Prints the figures and the ratios.

    .venv/bin/python bench/analysis_scale.py                       # 10k and 100k
    .venv/bin/python bench/analysis_scale.py --sizes 100000,1000000 --rounds 1
    .venv/bin/python bench/analysis_scale.py --quick               # smoke run on 600 comments
    .venv/bin/python bench/analysis_scale.py --no-previous         # this engine only

Synthetic comments of 30–300 characters: an optional greeting, then phrases from the seed draft's sentences
(60 %) and real citizen message titles from ../shared/data (40 %, for a realistic vocabulary), then an optional
closing; 5 % of the comments are copies of campaigns (see bench/_analysis_data.mutate). Per stage: wall time and
peak RSS (this process plus its worker processes, sampled every 20 ms):

- tokenising rate, first, on 20,000 comments: medians over --rounds rounds of the single-core jieba lcut rate,
  Tokenizer.tokenize_many (every core) and plain lcut in the same kind of process pool; goal: tokenize_many
  within 1.2 × characters ÷ (2 × the single-core rate).
- tokenise: Tokenizer.tokenize_many over all comments (time, memory). Above --compose-above comments (default
  200,000) only a 100,000-comment slice is tokenised for the figure and the remaining tokens are composed from
  the tokens of the phrases each comment is made of (tokenising 1M comments takes ~8 min on 2 cores and its
  token lists would not fit the memory goal as separate strings); campaign copies are always tokenised.
Then, for each engine in its own child process (same texts and tokens, handed over in a temporary file; the
child's peak RSS includes them, as a portal worker holding the comments would):

- quotations (this engine only): canonical texts, quotations of the seed draft found and cut out (what
  group_comments does: canonical_many and without_quotations);
- vectorise: TF-IDF on the tokens; duplicates: find_duplicates as group_comments calls it (this engine: on the
  texts without their quotations, short texts per clause); cluster: cluster(k=20) with tokens;
- END TO END, tokens cached: group_comments over CommentIn values with tokens and clause keys of the seed (70 % on
  a random clause, 30 % on the whole draft), with the time of each of its stages. Goals: 100k ≤ 20 s, 1M ≤ 4 min,
  peak RSS ≤ 4 GB. The previous engine measured 22.1 s at 100k and 250.7 s at 1M on an idle machine (issue 10):
  the ratio to it in the same run is the figure to trust on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

import jieba
from _analysis_data import CLOSINGS, OPENINGS, PeakRSS, load_labeled, mutate
from _engines import REPO, add_engine_arguments, previous_engine_dir, use_engine


def seed_phrases(draft) -> list[str]:
    from analysis import split_sentences

    phrases = []
    for clause in draft.walk():
        for sentence in split_sentences(clause.body):
            phrases += [p for p in sentence.replace("；", "，").replace(";", ",").split(",") if len(p) >= 6]
    return sorted(set(phrases))


def build(n: int, rng: random.Random, draft, titles: list[str]):
    """(texts, piece ids per comment or None for campaign copies, pieces)."""
    pieces = seed_phrases(draft)
    n_seed = len(pieces)
    pieces += titles
    pieces += [p for p in OPENINGS + CLOSINGS if p]
    opening_ids = list(range(n_seed + len(titles), n_seed + len(titles) + len([p for p in OPENINGS if p])))
    closing_ids = list(range(opening_ids[-1] + 1, len(pieces)))
    texts, composition = [], []
    n_campaign = n // 20
    n_plain = n - n_campaign
    for _ in range(n_plain):
        target = rng.randint(30, 300)
        ids = [rng.choice(opening_ids)] if rng.random() < 0.3 else []
        length = sum(len(pieces[i]) for i in ids)
        while length < target - 10:
            i = rng.randrange(n_seed) if rng.random() < 0.6 else n_seed + rng.randrange(len(titles))
            ids.append(i)
            length += len(pieces[i]) + 1
        if rng.random() < 0.3:
            ids.append(rng.choice(closing_ids))
        text = "".join(pieces[i] + ("。" if rng.random() < 0.5 else "，") for i in ids)
        texts.append(text[:300])
        composition.append(ids)
    n_campaigns = max(3, n // 2000)
    templates = ["".join(pieces[rng.randrange(n_seed)] + "。" for _ in range(rng.randint(3, 8)))
                 for _ in range(n_campaigns)]
    filler = [pieces[rng.randrange(len(pieces))] for _ in range(200)]
    for j in range(n_campaign):
        texts.append(mutate(templates[j % n_campaigns], rng, filler))
        composition.append(None)
    order = list(range(n))
    rng.shuffle(order)
    return [texts[i] for i in order], [composition[i] for i in order], pieces


_LCUT = None


def _plain_jieba():
    global _LCUT
    if _LCUT is None:
        from analysis.tokenize import base_prefix_dict

        tk = jieba.Tokenizer()
        tk.FREQ, tk.total = (dict(d) if isinstance(d, dict) else d for d in base_prefix_dict())
        tk.initialized = True
        _LCUT = tk.lcut
    return _LCUT


def lcut_rate(texts: list[str]) -> float:
    """Characters per second of jieba's precise-mode lcut on one core (default dictionary, HMM on)."""
    lcut = _plain_jieba()
    lcut(texts[0])
    t = time.perf_counter()
    for text in texts:
        lcut(text)
    return sum(map(len, texts)) / (time.perf_counter() - t)


def _lcut_chunk(texts: list[str]) -> list[list[str]]:
    lcut = _plain_jieba()
    return [lcut(t) for t in texts]


def pool_lcut_seconds(texts: list[str], workers: int) -> float:
    """Plain jieba lcut over the same batch in the same kind of process pool: the machine's real ceiling."""
    _plain_jieba()
    chunks = [texts[i:i + 500] for i in range(0, len(texts), 500)]
    t = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_lcut_chunk, chunks, chunksize=1)
    return time.perf_counter() - t


def tokenise_rates(texts: list[str], tokenizer, workers: int, rounds: int) -> None:
    """Medians over rounds of: single-core lcut rate, Tokenizer.tokenize_many and plain lcut in the same pool."""
    chars = sum(map(len, texts))
    single, ours, plain = [], [], []
    for _ in range(rounds):
        single.append(lcut_rate(texts[:2000]))
        t = time.perf_counter()
        tokenizer.tokenize_many(texts, workers=workers)
        ours.append(time.perf_counter() - t)
        plain.append(pool_lcut_seconds(texts, workers))
    rate, ours_s, plain_s = statistics.median(single), statistics.median(ours), statistics.median(plain)
    ideal = chars / (2 * rate)
    print(f"\nTokenising {len(texts):,} comments ({chars / 1e6:.1f} M characters), medians of {rounds} rounds, "
          f"{workers} workers, load average {os.getloadavg()[0]:.1f}:")
    print(f"  single-core jieba lcut {rate / 1e3:.0f} k chars/s → ideal (chars ÷ 2 × rate) {ideal:.2f} s")
    print(f"  Tokenizer.tokenize_many {ours_s:.2f} s = {ours_s / ideal:.2f} × ideal (goal ≤ 1.2)")
    print(f"  plain lcut in the same process pool {plain_s:.2f} s = {plain_s / ideal:.2f} × ideal "
          f"(the machine's ceiling); Tokenizer overhead over it {ours_s / plain_s:.2f} ×")


def fmt(stage: str, m: PeakRSS, extra: str = "") -> str:
    return f"  {stage:34} {m.seconds:8.1f} s   peak RSS {m.peak / 1024:5.2f} GB   {extra}"


def make_data(n: int, args, draft, titles, tokenizer) -> tuple[list[str], list[list[str]], list[str | None]]:
    """(texts, tokens, clause keys) of n comments; prints the tokenising figures."""
    rng = random.Random(args.seed + n)
    t = time.perf_counter()
    texts, composition, pieces = build(n, rng, draft, titles)
    chars = sum(map(len, texts))
    print(f"\n{n:,} comments, {chars / 1e6:.1f} M characters (mean {chars / n:.0f}); built in "
          f"{time.perf_counter() - t:.1f} s")
    compose = n > args.compose_above
    batch = texts[:100_000] if compose else texts
    batch_chars = sum(map(len, batch))
    workers = args.workers or os.cpu_count() or 1
    with PeakRSS() as m:
        batch_tokens = tokenizer.tokenize_many(batch, workers=workers)
    print(fmt(f"tokenise ({len(batch):,}, {workers} workers)", m,
              f"{batch_chars / m.seconds / 1e3:.0f} k chars/s; load average {os.getloadavg()[0]:.1f}"))
    if compose:
        with PeakRSS() as m:
            piece_tokens = tokenizer.tokenize_many(pieces, workers=args.workers)
            campaign_idx = [i for i, c in enumerate(composition) if c is None]
            campaign_tokens = dict(zip(campaign_idx, tokenizer.tokenize_many([texts[i] for i in campaign_idx],
                                                                              workers=args.workers)))
            tokens = [campaign_tokens[i] if c is None else [t for p in c for t in piece_tokens[p]]
                      for i, c in enumerate(composition)]
        print(fmt("  (compose the rest from phrases)", m))
    else:
        tokens = batch_tokens
    keys = [c.key for c in draft.walk() if c.body]
    clause_keys = [rng.choice(keys) if rng.random() < 0.7 else None for _ in texts]
    return texts, tokens, clause_keys


def stages(data: Path, k: int | None) -> dict:
    """The engine's stages over the comments in ``data`` (run in a child process on one engine)."""
    import analysis
    from analysis.vectorize import tfidf
    from draft import load_seed

    draft = load_seed()
    with data.open("rb") as f:
        texts, tokens, clause_keys = pickle.load(f)
    out: dict[str, dict] = {}

    def record(name: str, m: PeakRSS, extra: str = "") -> None:
        out[name] = {"seconds": m.seconds, "cpu": m.cpu, "peak_gb": m.peak / 1024, "extra": extra}

    stripped = None
    if hasattr(analysis, "find_quotations"):
        import analysis.quotes as quotes_module
        from analysis.quotes import draft_index

        with PeakRSS() as m:  # what group_comments does: canonical texts, then quotations found and cut out
            if hasattr(quotes_module, "without_quotations"):
                from analysis.normalize import canonical_many
                from analysis.quotes import without_quotations

                stripped, _, quoted = without_quotations(canonical_many(texts), tokens, draft_index(draft))
                n_quoted = int(quoted.sum())
            else:  # an engine from before the batch quotations stage (e.g. --previous main of 14:50): per text
                from analysis.quotes import find_canonical_quotes, strip_quotes

                canon = [analysis.canonical(t) for t in texts]
                found = find_canonical_quotes(canon, draft_index(draft))
                stripped = [strip_quotes(c, q) or c for c, q in zip(canon, found)]
                n_quoted = sum(1 for q in found if q)
                del canon, found
        record("quotations (canonical + find + cut)", m, f"{n_quoted:,} comments quote the draft")
    with PeakRSS() as m:
        matrix, vocab = tfidf(tokens, min_df=2)
    record("vectorise (TF-IDF, min_df=2)", m, f"{matrix.shape[0]:,} × {matrix.shape[1]:,}, nnz {matrix.nnz:,}")
    del matrix, vocab
    with PeakRSS() as m:
        if stripped is not None:
            groups = analysis.find_duplicates(texts, canonical_texts=stripped, contexts=clause_keys)
        else:
            groups = analysis.find_duplicates(texts)
    record("duplicates (find_duplicates)", m, f"{len(groups):,} groups holding {sum(g.size for g in groups):,}")
    del groups, stripped
    with PeakRSS() as m:
        result = analysis.cluster(texts, k=20, tokens=tokens)
    record("cluster (k=20, tokens given)", m, f"{len(result.unclustered)} unclustered")
    del result
    comments = [analysis.CommentIn(i, text, key, tokens[i]) for i, (text, key) in enumerate(zip(texts, clause_keys))]
    seen: dict[str, float] = {}
    last = [time.perf_counter()]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        seen[stage] = seen.get(stage, 0.0) + now - last[0]
        last[0] = now

    with PeakRSS() as m:
        last[0] = time.perf_counter()
        grouping = analysis.group_comments(comments, draft, k=k, progress=progress)
        seen["cluster"] = seen.get("cluster", 0.0) + time.perf_counter() - last[0]
    kinds = Counter(g.kind for g in grouping.groups)
    record("END TO END group_comments (cached)", m, "groups " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    for stage, seconds in seen.items():
        out[f"  e2e stage: {stage}"] = {"seconds": seconds, "peak_gb": None, "extra": ""}
    return {"version": analysis.ANALYSIS_VERSION, "stages": out}


def run_stages(engine_dir: Path | None, data: Path, k: int | None) -> dict:
    """:func:`stages` in a child process on the engine in ``engine_dir`` (None: this tree)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    try:
        argv = [sys.executable, str(Path(__file__).resolve()), "--stages-of", str(data), "--json-out", str(out),
                "--no-previous"] + (["--engine-dir", str(engine_dir)] if engine_dir else []) + (
                    ["--k", str(k)] if k is not None else [])
        env = dict(os.environ, PYTHONPATH=str(engine_dir or REPO))
        subprocess.run(argv, check=True, env=env, cwd=REPO)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


def report(n: int, new: dict, old: dict | None) -> None:
    goal = "≤ 20 s" if n <= 100_000 else "≤ 240 s" if n <= 1_000_000 else ""
    print(f"  {'stage (wall s, CPU s, peak RSS)':40} {'this engine':>27} {'previous engine':>27} {'ratio':>7} "
          f"{'CPU ratio':>9}")
    names = list(new["stages"]) + [s for s in (old or {}).get("stages", {}) if s not in new["stages"]]
    for name in names:
        a = new["stages"].get(name)
        b = (old or {}).get("stages", {}).get(name)

        def cell(x):
            if not x:
                return "–"
            cpu = f" {x['cpu']:6.1f}" if x.get("cpu") is not None else ""
            gb = f" {x['peak_gb']:4.2f} GB" if x.get("peak_gb") is not None else ""
            return f"{x['seconds']:6.1f}{cpu}{gb}"
        ratio = f"{a['seconds'] / b['seconds']:6.2f}×" if a and b and b["seconds"] > 0 else ""
        cpu_ratio = f"{a['cpu'] / b['cpu']:8.2f}×" if a and b and a.get("cpu") and b.get("cpu") else ""
        print(f"  {name:40} {cell(a):>27} {cell(b):>27} {ratio:>7} {cpu_ratio:>9}")
    e2e = new["stages"]["END TO END group_comments (cached)"]
    print(f"  goal: end to end {goal}, peak RSS ≤ 4 GB; this engine: {e2e['seconds']:.1f} s wall, {e2e['cpu']:.1f} s "
          f"CPU, {e2e['peak_gb']:.2f} GB; load average {os.getloadavg()[0]:.1f}; {e2e['extra']}")
    if old:
        print(f"  previous engine: {old['stages']['END TO END group_comments (cached)']['extra']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated comment counts")
    parser.add_argument("--quick", action="store_true", help="smoke run on 600 comments")
    parser.add_argument("--workers", type=int, default=None, help="tokenising processes (default: every core)")
    parser.add_argument("--k", type=int, default=None, help="k per partition in group_comments (default: chosen)")
    parser.add_argument("--compose-above", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the tokenising comparison (median; 0: skip)")
    parser.add_argument("--stages-of", type=Path, help=argparse.SUPPRESS)
    add_engine_arguments(parser)
    args = parser.parse_args(argv)
    use_engine(args.engine_dir)
    if args.stages_of:
        args.json_out.write_text(json.dumps(stages(args.stages_of, args.k)), encoding="utf-8")
        return 0
    sizes = [600] if args.quick else [int(s) for s in args.sizes.split(",")]

    import analysis
    from draft import load_seed

    draft = load_seed()
    titles, _ = load_labeled()
    tokenizer = analysis.Tokenizer(analysis.terms_from_draft(draft))
    previous = previous_engine_dir(args)
    print(f"cores {os.cpu_count()}, analysis {analysis.ANALYSIS_VERSION}, previous engine "
          f"{previous or 'not measured'}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')} "
          f"(k-means runs single-threaded inside analysis)")
    if args.rounds:
        rate_texts, _, _ = build(2_000 if args.quick else 20_000, random.Random(args.seed), draft, titles)
        tokenise_rates(rate_texts, tokenizer, args.workers or os.cpu_count() or 1, 1 if args.quick else args.rounds)
    for n in sizes:
        texts, tokens, clause_keys = make_data(n, args, draft, titles, tokenizer)
        with tempfile.NamedTemporaryFile(suffix=".pickle", delete=False) as f:
            data = Path(f.name)
            pickle.dump((texts, tokens, clause_keys), f, protocol=pickle.HIGHEST_PROTOCOL)
        del texts, tokens, clause_keys
        try:
            new = run_stages(None, data, args.k)
            old = run_stages(previous, data, args.k) if previous else None
        finally:
            data.unlink(missing_ok=True)
        report(n, new, old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
