"""Speed and memory of the analysis engine at 10k, 100k (and 1M) comments. Prints the figures.

    .venv/bin/python bench/analysis_scale.py                       # 10k and 100k
    .venv/bin/python bench/analysis_scale.py --sizes 10000,100000,1000000
    .venv/bin/python bench/analysis_scale.py --quick               # smoke run on 600 comments

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
- vectorise: TF-IDF on the tokens; duplicates: find_duplicates; cluster: cluster(k=20) with tokens;
- end to end, tokens cached: group_comments over CommentIn values with tokens and clause keys of the seed
  (70 % on a random clause, 30 % on the whole draft). Goals: 100k ≤ 20 s, 1M ≤ 4 min, peak RSS ≤ 4 GB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

import jieba
from _analysis_data import CLOSINGS, OPENINGS, PeakRSS, load_labeled, mutate

import analysis
from analysis.tokenize import base_prefix_dict
from analysis.vectorize import tfidf


def seed_phrases(draft) -> list[str]:
    phrases = []
    for clause in draft.walk():
        for sentence in analysis.split_sentences(clause.body):
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


def run(n: int, args, draft, titles, tokenizer) -> None:
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
    del batch_tokens

    with PeakRSS() as m:
        matrix, vocab = tfidf(tokens, min_df=2)
    print(fmt("vectorise (TF-IDF, min_df=2)", m, f"{matrix.shape[0]:,} × {matrix.shape[1]:,}, nnz {matrix.nnz:,}"))
    del matrix, vocab
    with PeakRSS() as m:
        groups = analysis.find_duplicates(texts)
    in_groups = sum(g.size for g in groups)
    print(fmt("duplicates (find_duplicates)", m, f"{len(groups):,} groups holding {in_groups:,} comments"))
    del groups
    with PeakRSS() as m:
        result = analysis.cluster(texts, k=20, tokens=tokens)
    print(fmt("cluster (k=20, tokens given)", m, f"{len(result.unclustered)} unclustered"))
    del result

    keys = [c.key for c in draft.walk() if c.body]
    comments = [analysis.CommentIn(i, text, rng.choice(keys) if rng.random() < 0.7 else None, tokens[i])
                for i, text in enumerate(texts)]
    with PeakRSS() as m:
        grouping = analysis.group_comments(comments, draft, k=args.k)
    kinds = {}
    for g in grouping.groups:
        kinds[g.kind] = kinds.get(g.kind, 0) + 1
    goal = "≤ 20 s" if n <= 100_000 else "≤ 240 s" if n <= 1_000_000 else ""
    print(fmt("END TO END group_comments (cached)", m, f"goal {goal}, ≤ 4 GB; groups {kinds}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated comment counts")
    parser.add_argument("--quick", action="store_true", help="smoke run on 600 comments")
    parser.add_argument("--workers", type=int, default=None, help="tokenising processes (default: every core)")
    parser.add_argument("--k", type=int, default=None, help="k per partition in group_comments (default: chosen)")
    parser.add_argument("--compose-above", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the tokenising comparison (median)")
    args = parser.parse_args(argv)
    sizes = [600] if args.quick else [int(s) for s in args.sizes.split(",")]

    from draft import load_seed

    draft = load_seed()
    titles, _ = load_labeled()
    tokenizer = analysis.Tokenizer(analysis.terms_from_draft(draft))
    print(f"cores {os.cpu_count()}, analysis {analysis.ANALYSIS_VERSION}, OMP_NUM_THREADS="
          f"{os.environ.get('OMP_NUM_THREADS', 'unset')} (k-means runs single-threaded inside analysis)")
    rate_texts, _, _ = build(2_000 if args.quick else 20_000, random.Random(args.seed), draft, titles)
    tokenise_rates(rate_texts, tokenizer, args.workers or os.cpu_count() or 1, 1 if args.quick else args.rounds)
    for n in sizes:
        run(n, args, draft, titles, tokenizer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
