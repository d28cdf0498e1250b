"""Quality of the analysis engine: clustering, campaign detection, clause suggestion. Prints the figures.

    .venv/bin/python bench/cluster_quality.py            # full run (about a minute)
    .venv/bin/python bench/cluster_quality.py --quick    # smoke run on a few hundred rows

1. Clustering of ../shared/data/messages_titles_labeled.csv (9,210 real titles, 7 labels): NMI / ARI / V-measure
   of analysis.cluster with k=7 and k=None next to the naive baseline measured in the same run (jieba lcut +
   TfidfVectorizer + KMeans(7, random_state=0)); then the same on longer comments (100–500 characters, built by
   joining titles, three quarters of one label) to check the method is not tuned to short text only.
2. Campaign detection: 20 templates (3–6 titles of one label between an opening and a closing), each copied
   30–300 times with reordered, deleted and inserted sentences, up to 5 % character edits, punctuation and
   whitespace changes, mixed into the titles not used in templates. Pair precision / recall of
   analysis.find_duplicates; truth = campaigns plus titles that are identical after normalisation.
3. Clause suggestion on the seed draft: top-1 / top-3 accuracy of analysis.suggest_clauses on the hand-written
   comments in bench/data/analysis_clause_comments.tsv.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from collections import Counter
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

import jieba
from _analysis_data import CLAUSE_COMMENTS, LABELED, build_campaigns, load_labeled, long_comments
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer

import analysis
from analysis.tokenize import base_prefix_dict


def baseline_lcut():
    """jieba's default dictionary and precise mode (what ``jieba.lcut`` does), without the global instance."""
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = (dict(d) if isinstance(d, dict) else d for d in base_prefix_dict())
    tk.initialized = True
    return tk.lcut


def scores(truth, predicted) -> dict[str, float]:
    return {"NMI": metrics.normalized_mutual_info_score(truth, predicted),
            "ARI": metrics.adjusted_rand_score(truth, predicted),
            "V": metrics.v_measure_score(truth, predicted)}


def clustering_report(name: str, texts: list[str], labels: list[str], lcut) -> dict[str, dict[str, float]]:
    out = {}
    t = time.perf_counter()
    x = TfidfVectorizer(tokenizer=lcut, token_pattern=None, lowercase=False).fit_transform(texts)
    base = KMeans(7, random_state=0).fit_predict(x)
    out["baseline lcut+tfidf+KMeans(7)"] = scores(labels, base) | {"s": time.perf_counter() - t}
    t = time.perf_counter()
    tokens = analysis.default_tokenizer().tokenize_many(texts)
    tok_s = time.perf_counter() - t
    for k in (7, None):
        t = time.perf_counter()
        result = analysis.cluster(texts, k=k, tokens=tokens, random_state=0)
        out[f"analysis.cluster k={k}"] = scores(labels, result.assignments) | {
            "s": time.perf_counter() - t, "k": result.k, "unclustered": len(result.unclustered)}
    print(f"\n{name}: {len(texts)} texts, median {sorted(map(len, texts))[len(texts) // 2]} characters, "
          f"tokenised in {tok_s:.1f} s")
    print(f"  {'method':34} {'NMI':>6} {'ARI':>6} {'V':>6} {'k':>4} {'-1':>4} {'time':>7}")
    for method, s in out.items():
        print(f"  {method:34} {s['NMI']:6.3f} {s['ARI']:6.3f} {s['V']:6.3f} {s.get('k', 7):>4} "
              f"{s.get('unclustered', 0):>4} {s['s']:6.1f}s")
    return out


def pair_counts(groups: list[list[int]], truth_of: dict[int, object]) -> tuple[int, int, int]:
    """(predicted pairs, true positive pairs, true pairs) without enumerating pairs."""
    predicted = sum(comb(len(g), 2) for g in groups)
    tp = 0
    for g in groups:
        tp += sum(comb(c, 2) for key, c in Counter(truth_of.get(i) for i in g).items() if key is not None)
    truth_sizes = Counter(v for v in truth_of.values() if v is not None)
    return predicted, tp, sum(comb(c, 2) for c in truth_sizes.values())


def campaign_report(texts: list[str], labels: list[str], n_campaigns: int, lo: int, hi: int, seed: int) -> dict:
    rng = random.Random(seed)
    copies, campaign_of, used = build_campaigns(texts, labels, n_campaigns, rng, lo, hi)
    background = [t for i, t in enumerate(texts) if i not in used]
    items = [(t, ("campaign", c)) for t, c in zip(copies, campaign_of)] + [(t, None) for t in background]
    rng.shuffle(items)
    mixed = [t for t, _ in items]
    truth_of: dict[int, object] = {i: key for i, (_, key) in enumerate(items) if key is not None}
    # Background titles identical after normalisation are genuine duplicates too.
    by_canon: dict[str, list[int]] = {}
    for i, (t, key) in enumerate(items):
        if key is None:
            by_canon.setdefault(analysis.canonical(t), []).append(i)
    for canon, idx in by_canon.items():
        if len(idx) > 1 and canon:
            for i in idx:
                truth_of[i] = ("exact", canon)
    t = time.perf_counter()
    groups = analysis.find_duplicates(mixed)
    seconds = time.perf_counter() - t
    members = [g.members for g in groups]
    predicted, tp, true_pairs = pair_counts(members, truth_of)
    merged = sum(1 for g in members if len({truth_of[i] for i in g if truth_of.get(i, (None,))[0] == "campaign"}) > 1)
    found = {truth_of[i] for g in members for i in g if truth_of.get(i, (None,))[0] == "campaign"}
    background_fp = sum(comb(sum(1 for i in g if i not in truth_of), 2) for g in members)
    precision = tp / predicted if predicted else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    print(f"\nCampaign detection: {n_campaigns} campaigns, {len(copies)} copies ({lo}–{hi} each) mixed into "
          f"{len(background)} titles = {len(mixed)} texts; find_duplicates in {seconds:.1f} s")
    print(f"  groups found {len(groups)}, campaigns touched {len(found)}/{n_campaigns}, "
          f"groups mixing two campaigns {merged}")
    print(f"  pairs: predicted {predicted}, true {true_pairs}, correct {tp}, of the wrong ones between two "
          f"unrelated background titles {background_fp}")
    print(f"  pair precision {precision:.4f} (goal ≥ 0.98)   pair recall {recall:.4f} (goal ≥ 0.95)")
    return {"precision": precision, "recall": recall, "merged": merged, "seconds": seconds}


def clause_report(path: Path) -> dict:
    from draft import load_seed

    draft = load_seed()
    rows = []
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# section:"):
            section = line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith(("#", "key\t")):
            continue
        key, title, comment = line.split("\t")
        clause = draft.find(key)
        if clause is None or clause.title != title:
            raise SystemExit(f"{path.name}: key {key} is not {title!r} in the seed as parsed now "
                             f"({clause.title if clause else 'missing'})")
        rows.append((section, key, comment))
    hits: dict[str, list[tuple[bool, bool]]] = {}
    misses = []
    t = time.perf_counter()
    for section, key, comment in rows:
        suggested = analysis.suggest_clauses(comment, draft, top=3)
        hits.setdefault(section, []).append((bool(suggested) and suggested[0] == key, key in suggested))
        if key not in suggested:
            misses.append((key, suggested, comment))
    seconds = time.perf_counter() - t
    print(f"\nClause suggestion: {len(rows)} hand-written comments on the seed draft "
          f"({path.relative_to(path.parents[2])}), {seconds / len(rows) * 1000:.1f} ms per comment")
    everything = [h for section in hits.values() for h in section]
    for name, results in list(hits.items()) + [("all", everything)]:
        top1 = sum(a for a, _ in results) / len(results)
        top3 = sum(b for _, b in results) / len(results)
        print(f"  {name:14} n={len(results):3}   top-1 {top1:.3f}   top-3 {top3:.3f} (goal ≥ 0.8)")
    for key, suggested, comment in misses:
        print(f"  miss: {key} → {suggested}  {comment[:40]}")
    return {"top3": sum(b for _, b in everything) / len(everything)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: a few hundred rows, 3 small campaigns")
    parser.add_argument("--data", type=Path, default=LABELED, help="labeled CSV (text,label)")
    parser.add_argument("--clause-comments", type=Path, default=CLAUSE_COMMENTS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=["clustering", "campaigns", "clauses"], help="run one part")
    args = parser.parse_args(argv)

    texts, labels = load_labeled(args.data)
    rng = random.Random(args.seed)
    if args.quick:
        keep = sorted(rng.sample(range(len(texts)), 400))
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    if args.only in (None, "clustering"):
        lcut = baseline_lcut()
        titles = clustering_report("Titles (real, short)", texts, labels, lcut)
        long_texts, long_labels = long_comments(texts, labels, 150 if args.quick else 2000,
                                                random.Random(args.seed + 1))
        longer = clustering_report("Longer comments (100–500 characters, joined titles, 3/4 of one label)",
                                   long_texts, long_labels, lcut)
        ok_long = longer["analysis.cluster k=7"]["NMI"] >= titles["analysis.cluster k=7"]["NMI"]
        print(f"  longer comments cluster at least as well as titles (k=7 NMI): {'yes' if ok_long else 'NO'}")
    if args.only in (None, "campaigns"):
        if args.quick:
            campaign_report(texts, labels, 3, 5, 20, args.seed)
        else:
            campaign_report(texts, labels, 20, 30, 300, args.seed)
    if args.only in (None, "clauses"):
        clause_report(args.clause_comments)
    return 0


if __name__ == "__main__":
    sys.exit(main())
