"""Quality of the analysis engine, this tree's and the previous one (same run, side by side). Prints the figures.

    .venv/bin/python bench/cluster_quality.py                        # everything (10–20 minutes on 2 busy cores)
    .venv/bin/python bench/cluster_quality.py --quick                # smoke run on a few hundred rows
    .venv/bin/python bench/cluster_quality.py --only letters,quotes  # some parts
    .venv/bin/python bench/cluster_quality.py --no-previous          # this engine only

Data written to break the engine, not to confirm it (bench/data/, each set split into a development part the
engine was tuned on and a held-out part measured only; both are reported):

1. quotes — quotation detection: quotes_*.tsv (comments quoting the seed draft with small edits, and comments
   reusing its vocabulary without quoting). Quotation precision / recall (a found quotation is right when it covers
   half of a true one and names its clause) and quoted-character precision / recall. "generated": passages of every
   clause followed by the writer's own words (does the quotation end where the passage ends?) and retyped with one
   or two edits (found with its clause?).
2. campaigns — pair precision / recall of the campaigns group_comments forms: (a) 20 templates of real titles
   copied 30–300 times into the other titles (../shared/data); (b) campaign_opinions_*.tsv: six different opinions
   per clause, each copied 1–25 times with edits, WITHOUT and WITH a quotation of the clause (small edits), plus
   texts holding two of the opinions (a bridge that resembles both campaigns: a chain link); "groups mixing two
   campaigns" counts campaigns merged into one group (bridges themselves are left out of the pair counts); (c) the
   same opinions, a third said once and the others copied 2–12 times, every text in a greeting and a sign-off of its
   own drawn from a few stock ones written for this benchmark (WRAP_GREETINGS / WRAP_SIGN_OFFS): different opinions
   share wrappers, so precision and "singles joined to a campaign" show wrappers taken for campaigns; (d) the tests'
   hostile campaigns_h16.tsv (8 campaigns as organised submitters send them: personal edits, quoted clause, long
   story, greeting and sign-off, synonyms, traditional characters, split in two; 25 distinct opinions in their
   words), through group_comments and find_duplicates, with per variant the copies grouped with their form letter.
3. noise — precision / recall of noise_reason on noise_*.tsv (adverts that dodge keyword filters, off-topic
   complaints sharing the draft's words, hard negatives) and on the tests' hostile noise*.tsv; independent
   checks on text not written for it: share of the real citizen titles (../shared/data) and of longer texts built
   from them flagged off_topic (a recall: none is about the draft) and flagged advert (a false-alarm rate: none is
   an advert), and share of bench/data/analysis_clause_comments.tsv (on-topic comments written for an earlier
   issue) flagged at all.
4. supportive — accuracy, precision, recall of the supportive detector on supportive_*.tsv (the previous engine
   had none in analysis: the portal's comment_portal/supportive.py of that revision is measured).
5. clustering — NMI / ARI of cluster(k=None) against the best fixed k on the 9,210 real titles and on 2,000
   longer texts (100–500 characters), and on those texts each in a stock greeting and sign-off (as in 2c); goals:
   automatic k within 0.5–2 × the 7 labels and NMI at least the best fixed k's − 0.05. Fixed k is one k-means fit
   (seed 0): k=7 is also fitted with seeds 1–4 (min / median / max), since one seed's optimum can be poor (the
   longer texts at k=7: 0.883 with seed 0, 0.937–0.954 with seeds 1–4, boilerplate cut or not); and how many texts
   lose boilerplate and how many are left under 20 characters (what cluster() no longer sees). Too-mixed flags: how
   many clusters, and the mean label purity of flagged vs other clusters.
6. labels — group keywords and titles over a consultation holding adverts, e-mail addresses and phone numbers:
   keywords that are contact fragments, digits or masked data (goal 0).
7. letters — letters_*.txt (24 association letters): opinion recall (a true opinion has a segment with its clause
   covering half of it), character accuracy of the clause assigned to each character, segments found per true
   opinion. The previous engine has no segmentation: its figure is the whole letter as one comment with its top
   suggested clause.
8. clauses — top-1 / top-3 of suggest_clauses on bench/data/analysis_clause_comments.tsv, and on
   bench/data/clause_subject.tsv (comments naming or quoting several clauses, about one of them; held out), and
   clause_hostile_dev/heldout/heldout2.tsv (an independent hostile pass: negations, relative points, 第(二)项, edited and
   glued quotations; "subject all" counts them too).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import time
import warnings
from collections import Counter
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
warnings.filterwarnings("ignore", message="pkg_resources is deprecated")

from _analysis_data import (
    CLAUSE_COMMENTS,
    LABELED,
    PARTS,
    build_campaigns,
    copy_of,
    load_labeled,
    load_labelled,
    load_letters,
    load_opinions,
    load_quotes,
    long_comments,
    quote_of,
)
from _engines import add_engine_arguments, previous_engine_dir, run_engine, use_engine

#: The data parts measured in this run (--parts).
ACTIVE_PARTS: list[str] = list(PARTS)
SECTIONS = ("quotes", "campaigns", "noise", "supportive", "clustering", "labels", "letters", "clauses")
FIXED_K = (3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- 1. quotations --------------------------------------------------------------------------------------------

def quotes_figures(A, draft, part: str) -> dict:
    if not hasattr(A, "find_quotations"):
        return {}
    rows = load_quotes(part)
    tp = fp = fn = 0
    quoted_right = quoted_found = quoted_true = 0
    for text, truth in rows:
        found = A.find_quotations(text, draft)

        def matches(q, t):
            overlap = min(q.end, t[2]) - max(q.start, t[1])
            return overlap >= 0.5 * (t[2] - t[1]) and (t[0] == "*" or t[0] == q.clause_key)
        tp += sum(1 for q in found if any(matches(q, t) for t in truth))
        fp += sum(1 for q in found if not any(matches(q, t) for t in truth))
        fn += sum(1 for t in truth if not any(matches(q, t) for q in found))
        true_chars = {i for _, a, b in truth for i in range(a, b) if text[i].isalnum()}
        found_chars = {i for q in found for i in range(q.start, q.end) if text[i].isalnum()}
        quoted_right += len(true_chars & found_chars)
        quoted_found += len(found_chars)
        quoted_true += len(true_chars)
    return {"comments": len(rows), "quotations": tp + fn, "precision": tp / max(1, tp + fp),
            "recall": tp / max(1, tp + fn), "char precision": quoted_right / max(1, quoted_found),
            "char recall": quoted_right / max(1, quoted_true)}


#: What a writer types right after a pasted passage (generated quotations below): words the draft uses everywhere,
#: so that the passage's end and the first of them often spell a gram found elsewhere in the draft.
OWN_WORDS = ["，建议", "，建立", "。建议", "，要求", "，推动", "。能否", "，跨境电商", "，企业", "，平台", "，各区", "，加强"]


def generated_quote_figures(A, draft, seed: int) -> dict:
    """Quotations generated from every clause of the seed draft (text nobody tuned on): a passage ending at each
    sentence or clause break, (a) followed by each of OWN_WORDS that does not continue the draft there: share whose
    last quotation ends where the passage ends and matches its draft passage, of a clause holding the passage; (b) retyped with one or two
    edits (a character changed to a common word's, dropped, or added): share found with the passage's clause,
    covering half of it."""
    if not hasattr(A, "find_quotations"):
        return {}
    rng = random.Random(seed)
    canonical = A.canonical
    ends_total = ends_right = retyped_total = retyped_found = 0
    texts = {c.key: canonical(f"{c.heading}{c.body}") for c in draft.walk()}
    for clause in draft.walk():
        body = clause.body
        for m in re.finditer(r"[，,。；;]", body):
            passage = body[max(0, m.start() - 30):m.start()]
            if len(canonical(passage)) < 16:
                continue
            after = canonical(body[m.start():])
            for words in OWN_WORDS:
                if after.startswith(canonical(words)[:1]):
                    continue
                found = A.find_quotations(passage + words + "门槛提高到五十万美元。", draft)
                q = found[-1] if found else None
                ends_total += 1
                ends_right += bool(q and q.end <= len(passage) and canonical(q.text) == canonical(q.draft_text)
                                   and canonical(passage) in texts.get(q.clause_key or "", ""))
            chars = list(passage)
            for _ in range(rng.choice([1, 2])):
                at = rng.randrange(4, len(chars) - 4)
                edit = rng.choice(["change", "drop", "add"])
                if edit == "drop":
                    del chars[at]
                else:
                    chars[at:at + (edit == "change")] = [rng.choice("的企业跨境电商发展支持建设平台服务")]
            found = A.find_quotations("我认为" + "".join(chars) + "，这一句要改。", draft)
            retyped_total += 1
            retyped_found += any(q.clause_key == clause.key and q.end - q.start >= 0.5 * len(chars) for q in found)
    return {"passages before own words": ends_total, "ending where the passage ends": ends_right / max(1, ends_total),
            "retyped passages": retyped_total, "retyped found with their clause": retyped_found / max(1, retyped_total)}


# --- 2. campaigns ---------------------------------------------------------------------------------------------

def pair_figures(groups: list[list[int]], truth_of: dict[int, object], ignore: set[int] = frozenset()) -> dict:
    """Pair precision / recall of predicted groups against ``truth_of`` (index → campaign key; absent = single);
    indices in ``ignore`` (bridges) count in neither."""
    groups = [[i for i in g if i not in ignore] for g in groups]
    predicted = sum(comb(len(g), 2) for g in groups)
    correct = sum(comb(c, 2) for g in groups for key, c in Counter(truth_of.get(i) for i in g).items()
                  if key is not None)
    sizes = Counter(v for i, v in truth_of.items() if i not in ignore)
    true_pairs = sum(comb(c, 2) for c in sizes.values())
    mixed = sum(1 for g in groups if len({truth_of[i] for i in g if i in truth_of}) > 1)
    return {"precision": correct / predicted if predicted else 1.0, "recall": correct / true_pairs if true_pairs else 1.0,
            "groups mixing two campaigns": mixed, "predicted pairs": predicted, "true pairs": true_pairs}


def campaign_groups(A, texts: list[str], keys: list[str | None], draft) -> list[list[int]]:
    """The campaigns group_comments forms (as the portal runs it), as lists of input indices."""
    grouping = A.group_comments([A.CommentIn(i, t, k) for i, t, k in zip(range(len(texts)), texts, keys)], draft, k=2)
    return [sorted(g.member_ids) for g in grouping.groups if g.kind == "campaign"]


def opinion_campaigns(part: str, with_quotes: bool, draft, seed: int, quick: bool):
    """(texts, clause keys, truth, bridges) from campaign_opinions_<part>.tsv (see the module docstring)."""
    rng = random.Random(seed)
    opinions = load_opinions(part)
    if quick:
        opinions = opinions[:12]
    clause_text = {c.key: c.body for c in draft.walk()}
    items: list[tuple[str, str | None, object]] = []
    for n, (_, key, opinion) in enumerate(opinions):
        copies = 1 if n % 7 == 3 else rng.randint(2, 8 if quick else 25)
        for _ in range(copies):
            text = copy_of(opinion, rng) if copies > 1 else opinion
            if with_quotes:
                quote = quote_of(clause_text[key], rng)
                text = f"{quote}。{text}" if rng.random() < 0.7 else f"{text}{quote}。"
            items.append((text, key if rng.random() < 0.7 else None, ("opinion", n) if copies > 1 else None))
    bridges = 0
    by_set: dict[str, list[int]] = {}
    for n, (name, _, _) in enumerate(opinions):
        by_set.setdefault(name, []).append(n)
    for members in by_set.values():  # two bridges per set: both opinions pasted into one text (a chain link)
        for a, b in ((members[0], members[1]), (members[2], members[3])):
            text = copy_of(opinions[a][2], rng) + copy_of(opinions[b][2], rng)
            if with_quotes:
                text = quote_of(clause_text[opinions[a][1]], rng) + "。" + text
            items.append((text, opinions[a][1], "bridge"))
            bridges += 1
    for text in [t for _, t in load_labelled("noise", part)][:40]:  # other comments around them
        items.append((text, None, None))
    rng.shuffle(items)
    truth = {i: key for i, (_, _, key) in enumerate(items) if key not in (None, "bridge")}
    bridge_ids = {i for i, (_, _, key) in enumerate(items) if key == "bridge"}
    return [t for t, _, _ in items], [k for _, k, _ in items], truth, bridge_ids


#: Greetings, self-introductions and sign-offs for the wrapped variants, written for this benchmark (none of them is
#: in the engine or its tests; bench/_analysis_data.py's OPENINGS/CLOSINGS are the short ones copies already get).
WRAP_GREETINGS = ["尊敬的市商务局领导：您好！我是南开区一家外贸公司的业务经理，长期关注跨境电商政策，",
                  "各位领导，你们好！作为一名在天津工作了十年的跨境电商卖家，我认真阅读了这份征求意见稿，",
                  "您好，我是天津某高校国际贸易专业的老师，", "领导好！",
                  "商务局电商处：我们是滨海新区跨境电商企业联合会的会员单位，经内部讨论，现反映如下：", ""]
WRAP_SIGN_OFFS = ["以上意见供参考，不妥之处请批评指正。", "希望我们的意见能被采纳，谢谢！", "此致敬礼！一名普通的跨境电商从业者",
                  "盼复，谢谢领导百忙之中阅读。", ""]


def wrapped(text: str, rng: random.Random) -> str:
    """The text inside a greeting and a sign-off drawn from WRAP_GREETINGS / WRAP_SIGN_OFFS (either may be empty)."""
    return rng.choice(WRAP_GREETINGS) + text + rng.choice(WRAP_SIGN_OFFS)


def wrapped_opinion_campaigns(part: str, seed: int, quick: bool):
    """(texts, clause keys, truth) from campaign_opinions_<part>.tsv: a third of the opinions said once, the others
    copied 2–12 times (copy_of), every text in a greeting and sign-off of its own drawn from a few stock ones, so
    different opinions share wrappers and copies of one opinion do not."""
    rng = random.Random(seed + 7)
    opinions = load_opinions(part)[:12] if quick else load_opinions(part)
    items: list[tuple[str, str | None, object]] = []
    for n, (_, key, opinion) in enumerate(opinions):
        copies = 1 if n % 3 == 0 else rng.randint(2, 12)
        for _ in range(copies):
            text = wrapped(copy_of(opinion, rng) if copies > 1 else opinion, rng)
            items.append((text, key if rng.random() < 0.7 else None, ("opinion", n) if copies > 1 else None))
    rng.shuffle(items)
    truth = {i: key for i, (_, _, key) in enumerate(items) if key is not None}
    return [t for t, _, _ in items], [k for _, k, _ in items], truth


#: An independent hostile campaign set (h16): 8 campaigns as organised submitters write them and 25 distinct opinions
#: in their words; written before reading duplicates.py / boilerplate.py (tests/analysis/data/hostile/).
CAMPAIGNS_H16 = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "data" / "hostile" / "campaigns_h16.tsv"


def load_campaigns_h16() -> list[tuple[str, str, str]]:
    """(key, variant, text) rows of campaigns_h16.tsv: key C… is a campaign, O… a distinct opinion."""
    rows = []
    for line in CAMPAIGNS_H16.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, variant, text = line.split("\t")
            rows.append((key, variant, text))
    return rows


def hostile_h16_figures(A, draft) -> dict:
    """Pair precision / recall on campaigns_h16.tsv through group_comments (with the seed draft, as the portal runs
    it) and through find_duplicates alone; "copies with their campaign's form letter" counts, per variant, the copies
    grouped with the campaign's first text; "opinions joined to a campaign" the distinct opinions in any group."""
    rows = load_campaigns_h16()
    texts = [t for _, _, t in rows]
    truth = {i: key for i, (key, _, _) in enumerate(rows) if key.startswith("C")}
    first = {}
    for i, (key, _, _) in enumerate(rows):
        first.setdefault(key, i)
    out = {}
    runs = {"group_comments": lambda: campaign_groups(A, texts, [None] * len(texts), draft),
            "find_duplicates": lambda: [g.members for g in A.find_duplicates(texts)]}
    for name, run in runs.items():
        found = run()
        group_of = {i: n for n, g in enumerate(found) for i in g}
        figures = pair_figures(found, truth)
        figures["opinions joined to a campaign"] = sum(1 for g in found for i in g if i not in truth)
        with_form: Counter = Counter()
        totals: Counter = Counter()
        for i, (key, variant, _) in enumerate(rows):
            if key in truth.values() and i != first[key]:
                totals[variant] += 1
                with_form[variant] += i in group_of and group_of.get(first[key]) == group_of[i]
        for variant in sorted(totals):
            figures[f"{variant} with form letter"] = f"{with_form[variant]}/{totals[variant]}"
        out[f"hostile h16 ({len(truth)} copies in 8 campaigns, {len(rows) - len(truth)} opinions), {name}"] = figures
    return out


def campaigns_figures(A, draft, texts_all, labels_all, args) -> dict:
    out = hostile_h16_figures(A, draft)
    rng = random.Random(args.seed)
    n_campaigns, lo, hi = (3, 5, 20) if args.quick else (20, 30, 300)
    copies, campaign_of, used = build_campaigns(texts_all, labels_all, n_campaigns, rng, lo, hi)
    items = [(t, ("campaign", c)) for t, c in zip(copies, campaign_of)] + [
        (t, None) for i, t in enumerate(texts_all) if i not in used]
    rng.shuffle(items)
    truth = {i: key for i, (_, key) in enumerate(items) if key is not None}
    by_canon: dict[str, list[int]] = {}
    for i, (t, key) in enumerate(items):
        if key is None:
            by_canon.setdefault(re.sub(r"[\W_]+", "", t), []).append(i)
    for canon, idx in by_canon.items():  # identical background titles are genuine duplicates too
        if len(idx) > 1 and canon:
            for i in idx:
                truth[i] = ("exact", canon)
    t = time.perf_counter()
    found = campaign_groups(A, [t for t, _ in items], [None] * len(items), None)
    out["titles: " + f"{n_campaigns} campaigns in {len(items)} texts"] = pair_figures(found, truth) | {
        "seconds": time.perf_counter() - t}
    for part in ACTIVE_PARTS:
        for with_quotes in (False, True):
            texts, keys, truth, bridges = opinion_campaigns(part, with_quotes, draft, args.seed, args.quick)
            found = campaign_groups(A, texts, keys, draft)
            label = f"opinions {part}, {'WITH' if with_quotes else 'without'} quotes ({len(texts)} texts)"
            out[label] = pair_figures(found, truth, bridges) | {
                "bridges joined to a campaign": sum(1 for g in found for i in g if i in bridges),
                "bridges": len(bridges)}
        texts, keys, truth = wrapped_opinion_campaigns(part, args.seed, args.quick)
        found = campaign_groups(A, texts, keys, draft)
        out[f"opinions {part}, in greetings/sign-offs ({len(texts)} texts)"] = pair_figures(found, truth) | {
            "singles joined to a campaign": sum(1 for g in found for i in g if i not in truth)}
    return out


# --- 3. noise -------------------------------------------------------------------------------------------------

HOSTILE_TESTS = Path(__file__).resolve().parent.parent / "tests" / "analysis" / "data" / "hostile"


def noise_precision_recall(A, draft, rows: list) -> dict:
    """Precision and recall of each reason over (label, text) rows, and the share of ok rows flagged."""
    predicted = [A.noise_reason(t, draft) or "ok" for _, t in rows]
    figures = {"comments": len(rows)}
    for reason in ("advert", "off_topic"):
        tp = sum(1 for (y, _), p in zip(rows, predicted) if y == reason and p == reason)
        figures[f"{reason} precision"] = tp / max(1, sum(1 for p in predicted if p == reason))
        figures[f"{reason} recall"] = tp / max(1, sum(1 for y, _ in rows if y == reason))
    figures["ok flagged"] = sum(1 for (y, _), p in zip(rows, predicted) if y == "ok" and p != "ok") / max(
        1, sum(1 for y, _ in rows if y == "ok"))
    return figures


def noise_figures(A, draft, texts_all, labels_all, args) -> dict:
    if not hasattr(A, "noise_reason"):
        return {}
    out = {part: noise_precision_recall(A, draft, load_labelled("noise", part)) for part in ACTIVE_PARTS}
    # the hostile sets of the tests: h11's; h14's (session 9: filter dodges, real opinions that look like adverts,
    # English and pinyin; its probes were written after reading the rules); h19's (session 10: test messages, other
    # departments' business, real opinions that sound personal). Held-out sets were measured once before any fix.
    for name in ("noise", "noise_heldout", "noise_h14", "noise_h14_heldout", "noise_h14_probes", "noise_h19_heldout",
                 "noise_h23_blind"):
        path = HOSTILE_TESTS / f"{name}.tsv"
        rows = [tuple(line.split("\t", 1)) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
        out[f"tests' {name}.tsv"] = noise_precision_recall(A, draft, rows)
    rng = random.Random(args.seed)
    sample = rng.sample(range(len(texts_all)), 300 if args.quick else 2000)
    # Real citizen messages to a city government: none is an advert, and none is about this draft (off topic is the
    # right answer for nearly all; 商贸旅游 holds a few about shops and trade), so "flagged advert" is a false-alarm
    # rate and "flagged off_topic" a recall on text nobody wrote for this detector.
    flagged = Counter()
    adverts = 0
    for i in sample:
        reason = A.noise_reason(texts_all[i], draft)
        flagged[labels_all[i], reason == "off_topic"] += 1
        adverts += reason == "advert"
    per_label = {label: flagged[label, True] / max(1, flagged[label, True] + flagged[label, False])
                 for label in sorted({labels_all[i] for i in sample})}
    out["real titles (independent)"] = {"titles": len(sample),
                                        "flagged off_topic": sum(flagged[k] for k in flagged if k[1]) / len(sample),
                                        "flagged advert (false alarm)": adverts / len(sample)} | {
        f"  {label}": share for label, share in per_label.items()}
    long_texts, _ = long_comments(texts_all, labels_all, 100 if args.quick else 500, random.Random(args.seed + 1))
    long_reasons = [A.noise_reason(t, draft) for t in long_texts]
    out["longer texts from titles (independent)"] = {
        "texts": len(long_texts), "flagged off_topic": long_reasons.count("off_topic") / len(long_texts),
        "flagged advert (false alarm)": long_reasons.count("advert") / len(long_texts)}
    clause_rows = [line.split("\t")[2] for line in CLAUSE_COMMENTS.read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.startswith(("#", "key\t"))]
    out["on-topic comments of an earlier issue (independent)"] = {"comments": len(clause_rows), "flagged": sum(
        1 for t in clause_rows if A.noise_reason(t, draft)) / len(clause_rows)}
    return out


# --- 4. supportive --------------------------------------------------------------------------------------------

def supportive_detector(A, engine_dir: Path | None):
    if hasattr(A, "is_supportive"):
        return A.is_supportive, "analysis.is_supportive"
    path = (engine_dir or Path(".")) / "comment_portal" / "supportive.py"
    if not path.exists():
        return None, ""
    spec = importlib.util.spec_from_file_location("previous_supportive", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.is_supportive, "comment_portal/supportive.py"


def supportive_figures(A, engine_dir) -> dict:
    detector, name = supportive_detector(A, engine_dir)
    if detector is None:
        return {}
    out = {}
    for part in ACTIVE_PARTS:
        rows = load_labelled("supportive", part)
        predicted = [detector(t) for _, t in rows]
        tp = sum(1 for (y, _), p in zip(rows, predicted) if y == "supportive" and p)
        out[part] = {"detector": name, "comments": len(rows),
                     "accuracy": sum(1 for (y, _), p in zip(rows, predicted) if (y == "supportive") == p) / len(rows),
                     "precision": tp / max(1, sum(predicted)),
                     "recall": tp / max(1, sum(1 for y, _ in rows if y == "supportive"))}
    return out


# --- 5. clustering --------------------------------------------------------------------------------------------

def clustering_figures(A, texts_all, labels_all, args) -> dict:
    from sklearn import metrics

    out = {}
    sets = [("titles (real, short)", texts_all, labels_all)]
    sets.append(("longer texts (100–500 characters)",) + long_comments(
        texts_all, labels_all, 150 if args.quick else 2000, random.Random(args.seed + 1)))
    rng = random.Random(args.seed + 2)
    sets.append(("longer texts in greetings/sign-offs", [wrapped(t, rng) for t in sets[-1][1]], sets[-1][2]))
    n_labels = len(set(labels_all))
    for name, texts, labels in sets:
        tokens = A.default_tokenizer().tokenize_many(texts)
        figures = {}
        fixed = {}
        for k in (7,) if args.quick else FIXED_K:
            result = A.cluster(texts, k=k, tokens=tokens, random_state=0)
            fixed[k] = metrics.normalized_mutual_info_score(labels, result.assignments)
        best_k = max(fixed, key=fixed.get)
        if not args.quick:  # one seed's k-means can land in a poor optimum: k=7 over five seeds
            seeds = [fixed[7]] + [metrics.normalized_mutual_info_score(
                labels, A.cluster(texts, k=7, tokens=tokens, random_state=s).assignments) for s in range(1, 5)]
            figures["NMI k=7, seeds 0–4: min / median / max"] = (
                f"{min(seeds):.3f} / {sorted(seeds)[2]:.3f} / {max(seeds):.3f}")
        cut = getattr(getattr(A, "boilerplate", None), "cut_boilerplate", None)
        if cut is not None:  # what cluster() leaves out: does any text lose (nearly) everything?
            stripped, passages = cut([A.canonical(t) for t in texts])[1:]
            figures["texts losing boilerplate / left under 20 characters"] = (
                f"{len(passages)} / {sum(1 for i in passages if len(stripped[i]) < 20)}")
        t = time.perf_counter()
        auto = A.cluster(texts, k=None, tokens=tokens, random_state=0)
        seconds = time.perf_counter() - t
        nmi = metrics.normalized_mutual_info_score(labels, auto.assignments)
        figures.update({"k chosen": auto.k, "NMI k=None": nmi,
                        "ARI k=None": metrics.adjusted_rand_score(labels, auto.assignments),
                        "NMI k=7": fixed.get(7), "best fixed k": best_k, "NMI best fixed k": fixed[best_k],
                        "k within 0.5–2 × labels": n_labels / 2 <= auto.k <= 2 * n_labels,
                        "NMI ≥ best fixed − 0.05": nmi >= fixed[best_k] - 0.05, "seconds k=None": seconds})
        purities = []
        for c in auto.clusters:
            counts = Counter(labels[i] for i in c.members)
            purities.append((getattr(c, "too_mixed", None), max(counts.values()) / c.size, c.cohesion))
        if purities and purities[0][0] is not None:
            flagged = [p for m, p, _ in purities if m]
            others = [p for m, p, _ in purities if not m]
            figures["clusters flagged too mixed"] = f"{len(flagged)} of {len(purities)}"
            figures["mean purity flagged / others"] = (f"{sum(flagged) / len(flagged):.2f} / " if flagged else "– / ") + (
                f"{sum(others) / len(others):.2f}" if others else "–")
        ranked = sorted(purities, key=lambda x: x[2])
        half = len(ranked) // 2
        if half:
            figures["mean purity, less / more cohesive half"] = (
                f"{sum(p for _, p, _ in ranked[:half]) / half:.2f} / "
                f"{sum(p for _, p, _ in ranked[half:]) / (len(ranked) - half):.2f}")
        out[f"{name}, {len(texts)} texts"] = figures
    return out


# --- 6. labels ------------------------------------------------------------------------------------------------

_BAD_TERM = re.compile(r"^[0-9]+$|[@*＊]|^(?:com|cn|net|www|http|https|example|qq|vx|wx)$|[a-z]+[0-9]|[0-9][a-z]")


def labels_figures(A, draft) -> dict:
    rows = [t for part in ACTIVE_PARTS for _, t in load_labelled("noise", part)]
    rows += [t for part in ACTIVE_PARTS for t, _ in load_quotes(part)]
    rng = random.Random(3)
    contact = ["联系邮箱 zhangwei2024@example.com", "电话13812345678", "联系人：张*伟 138****1234",
               "详见 www.example.com/policy", "微信号 tj_kj2024"]
    rows = [t + rng.choice(contact) if rng.random() < 0.3 else t for t in rows]
    grouping = A.group_comments([A.CommentIn(i, t, None) for i, t in enumerate(rows)], draft)
    terms = [t for g in grouping.groups for t in g.label_terms]
    bad = sorted({t for t in terms if _BAD_TERM.search(t)})
    titles = [getattr(g, "title", "") for g in grouping.groups]
    return {"a consultation with adverts and contact data": {
            "comments": len(rows), "groups": len(grouping.groups), "keywords": len(terms),
            "bad keywords (contact fragments, digits, masked)": len(bad), "examples": " ".join(bad[:8]),
            "groups with a title": sum(1 for t in titles if t),
            "titles with contact data": sum(1 for t in titles if re.search(r"@|www|[0-9]{7}|\*\*", t))}}


# --- 7. letters -----------------------------------------------------------------------------------------------

def letters_figures(A, draft) -> dict:
    out = {}
    segment = getattr(A, "segment_letter", None)
    for part in ACTIVE_PARTS:
        letters = load_letters(part)
        opinions = found = chars = right = predicted_opinions = 0
        for _, text, truth in letters:
            if segment is not None:
                parts = [(s.clause_key, s.start, s.end, getattr(s, "kind", "opinion")) for s in segment(text, draft)]
            else:  # the previous engine: one comment, its best clause
                top = A.suggest_clauses(text, draft, top=1)
                parts = [(top[0] if top else None, 0, len(text), "opinion")]
            predicted_opinions += sum(1 for p in parts if p[3] == "opinion")
            assigned = [None] * len(text)
            for key, a, b, _ in parts:
                for i in range(a, b):
                    assigned[i] = key
            expected = [None] * len(text)
            for key, a, b in truth:
                for i in range(a, b):
                    expected[i] = key
            visible = [i for i, ch in enumerate(text) if not ch.isspace()]
            chars += len(visible)
            right += sum(1 for i in visible if assigned[i] == expected[i])
            for key, a, b in truth:
                if key is None:
                    continue
                opinions += 1
                own = [i for i in range(a, b) if not text[i].isspace()]
                found += sum(1 for i in own if assigned[i] == key) >= 0.5 * len(own)
        out[part] = {"letters": len(letters), "true opinions": opinions, "opinion recall": found / max(1, opinions),
                     "character accuracy": right / max(1, chars),
                     "opinion segments per true opinion": predicted_opinions / max(1, opinions)}
    return out


# --- 8. clause suggestion -------------------------------------------------------------------------------------

#: Comments naming or quoting several clauses, about one of them (held out: written before measuring).
CLAUSE_SUBJECT = Path(__file__).resolve().parent / "data" / "clause_subject.tsv"


def clause_rows(path: Path, prefix: str = "") -> list[tuple[str, str, str]]:
    rows, section = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# section:"):
            section = prefix + line.split(":", 1)[1].strip()
        if not line.strip() or line.startswith(("#", "key\t")):
            continue
        key, _, comment = line.split("\t")
        rows.append((section, key, comment))
    return rows


#: An independent hostile pass (h12, session 9): written before reading the subject rules; the held-out part was
#: measured once before any fix (13/15 top-1 on main b4df69e).
CLAUSE_HOSTILE = [Path(__file__).resolve().parent / "data" / f"clause_hostile_{p}.tsv" for p in ("dev", "heldout", "heldout2")]


def clauses_figures(A, draft) -> dict:
    """Top-1 / top-3 per section of analysis_clause_comments.tsv ("all": that file), of clause_subject.tsv
    ("subject: …", "subject all": comments naming several clauses) and of clause_hostile_*.tsv ("subject: hostile
    dev", "subject: hostile held-out")."""
    rows = clause_rows(CLAUSE_COMMENTS)
    subject = clause_rows(CLAUSE_SUBJECT, "subject: ") + [
        row for path in CLAUSE_HOSTILE for row in clause_rows(path, "subject: ")]
    out = {}
    t = time.perf_counter()
    results = [(section, key, A.suggest_clauses(comment, draft, top=3)) for section, key, comment in rows]
    ms = (time.perf_counter() - t) / len(rows) * 1000
    results += [(section, key, A.suggest_clauses(comment, draft, top=3)) for section, key, comment in subject]
    sections = sorted({s for s, _, _ in results})
    for name in [s for s in sections if not s.startswith("subject")] + ["all"] + [
            s for s in sections if s.startswith("subject")] + ["subject all"]:
        chosen = [(k, s) for sec, k, s in results
                  if name == sec or (name == "all" and not sec.startswith("subject"))
                  or (name == "subject all" and sec.startswith("subject"))]
        out[name] = {"n": len(chosen), "top-1": sum(1 for k, s in chosen if s and s[0] == k) / len(chosen),
                     "top-3": sum(1 for k, s in chosen if k in s) / len(chosen)}
    out["all"]["ms per comment"] = ms
    return out


# --- running and printing -------------------------------------------------------------------------------------

def measure(args) -> dict:
    import analysis as A
    from draft import load_seed

    draft = load_seed()
    texts, labels = load_labeled(args.data)
    if args.quick:
        keep = sorted(random.Random(args.seed).sample(range(len(texts)), 400))
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    figures = {"engine": {"analysis version": A.ANALYSIS_VERSION, "tree": str(args.engine_dir or "this tree")}}
    steps = {"quotes": lambda: {**{p: quotes_figures(A, draft, p) for p in ACTIVE_PARTS},
                                "generated": generated_quote_figures(A, draft, args.seed)},
             "campaigns": lambda: campaigns_figures(A, draft, texts, labels, args),
             "noise": lambda: noise_figures(A, draft, texts, labels, args),
             "supportive": lambda: supportive_figures(A, args.engine_dir),
             "clustering": lambda: clustering_figures(A, texts, labels, args),
             "labels": lambda: labels_figures(A, draft),
             "letters": lambda: letters_figures(A, draft),
             "clauses": lambda: clauses_figures(A, draft)}
    for name in args.only:
        t = time.perf_counter()
        log(f"[{figures['engine']['tree']}] {name} …")
        figures[name] = steps[name]()
        log(f"[{figures['engine']['tree']}] {name} done in {time.perf_counter() - t:.0f} s")
    return figures


def fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def report(new: dict, old: dict | None) -> None:
    print(f"\nThis engine: analysis {new['engine']['analysis version']}; previous engine: "
          f"{old['engine']['analysis version'] + ' (' + old['engine']['tree'] + ')' if old else 'not measured'}")
    for section in SECTIONS:
        if section not in new:
            continue
        print(f"\n== {section} ==")
        rows = new[section]
        previous = (old or {}).get(section) or {}
        if not rows:
            print("  (this engine has no such step)")
        for name, figures in rows.items():
            if not isinstance(figures, dict):
                continue
            before = previous.get(name) or {}
            print(f"  {name}")
            for metric, value in figures.items():
                was = before.get(metric) if old else None
                note = "" if not old else ("   previous: no such step" if not before else f"   previous: {fmt(was)}")
                print(f"    {metric:48} {fmt(value):>12}{note}")
        if old and not rows and previous:
            print(f"  previous engine: {json.dumps(previous, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smoke run: a few hundred rows, small campaigns")
    parser.add_argument("--data", type=Path, default=LABELED, help="labeled CSV (text,label)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated parts of {','.join(SECTIONS)}")
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="data parts to measure: dev,heldout (tune with --parts dev; held-out only at the end)")
    add_engine_arguments(parser)
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    args.only = [s for s in args.only.split(",") if s]
    args.parts = [p for p in args.parts.split(",") if p]
    ACTIVE_PARTS[:] = [p for p in PARTS if p in args.parts]
    unknown = set(args.only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")
    use_engine(args.engine_dir)
    new = measure(args)
    if args.json_out:
        args.json_out.write_text(json.dumps(new, ensure_ascii=False), encoding="utf-8")
        return 0
    previous = previous_engine_dir(args)
    old = None
    if previous is not None:
        child = [a for a in argv if a not in ("--no-previous",)]
        old = run_engine(Path(__file__).resolve(), previous, child)
    report(new, old)
    return 0


if __name__ == "__main__":
    sys.exit(main())
