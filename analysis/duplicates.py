"""Exact and near-duplicate comments (mass campaigns), without comparing all pairs and without chaining.

Exact duplicates share the same canonical text (normalised, letters and digits only); texts shorter than
``MIN_NEAR_CHARS`` (建议删除, 同意) are exact duplicates only within the same context (the clause they are on), so
"建议删除" on two different clauses are two opinions. Near-duplicates are found by MinHash over character 3-gram
shingles of the canonical text, computed with NumPy for all documents at once, and locality-sensitive hashing
(16 bands × 4 rows): documents sharing a band bucket become candidate pairs, linked as a star to the bucket's first
member plus a chain through the bucket, so a bucket of m copies costs O(m) pairs, never O(m²).

Candidate pairs only say which texts may belong together (their connected components). A campaign is then a set of
texts each near ONE template, never a chain of neighbours: within a component, the text with the most near copies
becomes a centre; every text of the component near it (exact check on shingle sets: Jaccard ≥ 0.45, or ≥ 0.8 of
the smaller text contained in the larger when it is at least half its size) joins it; the campaign's medoid (the
member most alike to all others) becomes its template and members not near the template go back; repeat with the
texts left. Finally a text near several templates joins the nearest (highest Jaccard). So two campaigns that a
bridging text resembles both stay two campaigns, and the bridge joins one of them.

Copies that MinHash buckets miss because most of the text is not the template's, or only part of it is: a copy
inside a long story or greeting and sign-off of its own (up to ``LONG_COPY_RATIO`` times the template, keeping
``LONG_COPY_KEPT`` of it) and half of a copy split into two comments (``PART_INSIDE`` of it inside the template).
Texts left out of every campaign are looked up against the templates' signature values (``_contained``: a text
holding a template agrees with it on about 64 / ratio positions) and checked exactly, each against templates only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np

from .boilerplate import Boilerplate, boilerplate_share, cut_boilerplate, strip_boilerplate
from .collector import paused_gc
from .normalize import canonical, canonical_many

SHINGLE = 3
NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS
#: Canonical texts shorter than this only join exact-duplicate groups.
MIN_NEAR_CHARS = 8
JACCARD = 0.45
CONTAINMENT = 0.8
MIN_CONTAINED_SHINGLES = 10
#: Containment only counts when the smaller text is at least this share of the larger: a short generic
#: sentence contained in two different letters must not join them into one campaign.
MIN_CONTAINED_SHARE = 0.5
#: Texts whose signature agreement with a template is below this are not worth an exact check.
MIN_ESTIMATE = 0.3
#: Candidate pairs: below this agreement they are not linked (3 % of those at 0.3–0.4 are near-duplicates, measured
#: on bench/analysis_scale.py's comments), from it up to SURE_ESTIMATE they are checked exactly, above linked.
MIN_PAIR_ESTIMATE = 0.4
SURE_ESTIMATE = 0.6
#: A copy keeps at least this share of its campaign template's shingles (see is_copy_of).
TEMPLATE_KEPT = 0.6
#: A copy inside a long wrapper of its own (a personal story, a greeting and sign-off nobody else uses) is a copy
#: up to LONG_COPY_RATIO times its template's size when it keeps LONG_COPY_KEPT of the template's shingles and the
#: template has at least LONG_TEMPLATE_SHINGLES (a short generic sentence inside different letters is no campaign).
LONG_COPY_KEPT = 0.8
LONG_COPY_RATIO = 5
LONG_TEMPLATE_SHINGLES = 60
#: A part of a copy (a campaign text split into two comments) is a copy when at least PART_INSIDE of its own
#: shingles are in the template, it is at least PART_SHARE of the template's size and has PART_SHINGLES.
PART_INSIDE = 0.7
PART_SHARE = 1 / 3
PART_SHINGLES = 20
#: An added sentence is one with less than this share of its shingles anywhere in the template.
ADDITION_OVERLAP = 0.5
#: Shingles hashed and min-reduced at once: small enough to stay in the CPU cache (2M took twice as long).
_SHINGLES_PER_BLOCK = 1 << 17
_TEMPLATE_SAMPLE = 200
#: Signature matrices of at least this many rows are searched through an index (see _Agreeing).
_INDEX_FROM = 2_048
_SKIPPED_POSITIONS = 10
#: Shingles whose 32-bit hash is below this (an eighth) are the sample _contained compares texts and templates on.
_SAMPLE_BELOW = np.uint32(1 << 29)
#: A sampled shingle held by more texts than this (or 0.05 % of them) besides the copies of the campaign whose
#: template holds it is a common phrase for _contained.
_COMMON_FROM = 32
_BUCKET_BITS = 21
#: The row number's bits in an index key (position: 6 bits, value: 32, row: 26).
_ROW_BITS = 26
_ROW_MASK = (1 << _ROW_BITS) - 1
_ADDITIONS_BLOCK = 2_000
_PAIRS_BLOCK = 20_000
_MASK64 = (1 << 64) - 1


@dataclass
class DuplicateGroup:
    """Comments that are copies of one template (``members`` are input indices, ascending).

    ``template`` is the member text closest to all others; ``additions`` maps a member index to the sentences it
    has beyond the template, so unique content inside a campaign is not lost (members without any are omitted).
    """

    members: list[int]
    template_index: int
    template: str
    additions: dict[int, list[str]] = field(default_factory=dict)
    exact: bool = False

    @property
    def size(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict[str, Any]:
        return {"members": list(self.members), "size": self.size, "template_index": self.template_index,
                "template": self.template, "exact": self.exact,
                "additions": {str(k): list(v) for k, v in sorted(self.additions.items())}}


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, in place on a uint64 array."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _shingle_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(64-bit hashes of every character 3-gram of every text, shingle count per text); texts ≥ 3 chars."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    # Every 3-gram of the joined texts, then those straddling two texts dropped.
    h = codes[:1 - SHINGLE] * np.uint64(0x9E3779B97F4A7C15)
    for j in range(1, SHINGLE):
        h ^= codes[j:len(codes) - SHINGLE + 1 + j]
        h *= np.uint64(0xC2B2AE3D27D4EB4F)
    within = np.ones(len(h), dtype=bool)
    ends = np.cumsum(lengths)[:-1]
    for j in range(1, SHINGLE):
        within[ends - j] = False
    return _mix64(h[within]), lengths - (SHINGLE - 1)


def minhash_signatures(texts: Sequence[str], random_state: int = 0,
                       sample: list[tuple[np.ndarray, np.ndarray]] | None = None) -> np.ndarray:
    """(len(texts) × 64) uint32 MinHash signatures over character 3-grams; every text needs ≥ 3 characters.

    Each of the 64 permutations is ``a·h + b mod 2³²`` (a odd) of the shingle's mixed 32-bit hash, in uint32
    arithmetic over all shingles of a block of documents at once. ``sample`` receives, block by block, (text
    index, 32-bit hash) of the shingles hashed below ``_SAMPLE_BELOW`` (an eighth: what ``_contained`` compares).
    """
    rng = np.random.default_rng(random_state)
    mult = (rng.integers(0, 2**31, size=NUM_PERM, dtype=np.uint64) * 2 + 1).astype(np.uint32)
    add = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64).astype(np.uint32)
    out = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    cum = np.cumsum(lengths - (SHINGLE - 1))
    start = 0
    while start < len(texts):
        # A block of documents holding about _SHINGLES_PER_BLOCK shingles.
        before = cum[start - 1] if start else 0
        end = max(start + 1, int(np.searchsorted(cum, before + _SHINGLES_PER_BLOCK)))
        hashes, counts = _shingle_hashes(texts[start:end])
        hashes = (hashes >> np.uint64(32)).astype(np.uint32)
        seg = np.cumsum(counts) - counts
        if sample is not None:
            at = np.flatnonzero(hashes < _SAMPLE_BELOW)
            sample.append(((start + np.searchsorted(seg, at, "right") - 1).astype(np.int32), hashes[at]))
        tmp = np.empty_like(hashes)
        for p in range(NUM_PERM):
            np.multiply(hashes, mult[p], out=tmp)
            tmp += add[p]
            out[start:end, p] = np.minimum.reduceat(tmp, seg)
        start = end
    return out


def _unique(x: np.ndarray) -> np.ndarray:
    """``np.unique(x)`` of a 1-d integer array (a plain sort is several times faster than its hashing)."""
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _shared_by_key(key: np.ndarray) -> np.ndarray:
    """The positions of the keys that occur more than once, ordered by key, then position (what a stable argsort
    gives, restricted to shared keys: a key of its own makes no pair)."""
    s = np.sort(key)
    shared = _unique(s[1:][s[1:] == s[:-1]])
    if not len(shared):
        return np.empty(0, dtype=np.int64)
    rank = np.minimum(np.searchsorted(shared, key), len(shared) - 1)
    at = np.flatnonzero(shared[rank] == key)
    return np.sort(rank[at] * len(key) + at) % len(key)


def band_key(sig: np.ndarray, band: int) -> np.ndarray:
    """The bucket key of every text in one LSH band: its ROWS signature values hashed together."""
    block = sig[:, band * ROWS:(band + 1) * ROWS].astype(np.uint64)
    key = np.zeros(len(sig), dtype=np.uint64)
    for r in range(ROWS):
        key = _mix64(key * np.uint64(0x100000001B3) + block[:, r])
    return key


def _band_pairs(sig: np.ndarray) -> np.ndarray:
    """Candidate pairs (i < j) sharing a band bucket: star to the bucket's first member plus a chain."""
    pairs = []
    for b in range(BANDS):
        key = band_key(sig, b)
        order = _shared_by_key(key)
        ks = key[order]
        same = ks[1:] == ks[:-1]
        if not same.any():
            continue
        run_start = np.maximum.accumulate(np.where(np.concatenate(([True], ~same)), np.arange(len(ks)), 0))
        j = np.flatnonzero(same) + 1
        pairs.append(np.stack([order[j - 1], order[j]], axis=1))
        star = j[run_start[j] != j - 1]
        pairs.append(np.stack([order[run_start[star]], order[star]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    allp = np.sort(np.concatenate(pairs), axis=1)
    codes = _unique(allp[:, 0] * len(sig) + allp[:, 1])  # the pairs in order, once each
    return np.stack([codes // len(sig), codes % len(sig)], axis=1)


Shingles = frozenset[int | str]


def shingle_sets(texts: Sequence[str]) -> list[Shingles]:
    """The set of character 3-grams of each text, each 3-gram as one exact integer (its three code points, 21 bits
    each: equal integers are equal 3-grams), built with NumPy for all texts at once; a text shorter than 3
    characters is its own one shingle (a string: never equal to a 3-gram)."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    grams = ((codes[:-2] << 42) | (codes[1:-1] << 21) | codes[2:]).tolist()
    out: list[Shingles] = []
    at = 0
    for text in texts:
        n = len(text)
        out.append(frozenset(grams[at:at + n - 2]) if n >= SHINGLE else frozenset([text]) if text else frozenset())
        at += n
    return out


def shingle_set(text: str) -> Shingles:
    return shingle_sets([text])[0]


def _agreement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Share of equal signature values along the last axis (exactly what ``(a == b).mean(-1)`` gives, faster)."""
    agreement: np.ndarray = (a == b).sum(axis=-1) / NUM_PERM
    return agreement


def _pair_agreement(sig: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signature agreement of each pair (a[k], b[k]), in blocks of pairs (bounded memory)."""
    out = np.empty(len(a), dtype=np.float64)
    for s in range(0, len(a), 200_000):
        out[s:s + 200_000] = _agreement(sig[a[s:s + 200_000]], sig[b[s:s + 200_000]])
    return out


def is_near_duplicate(a: Shingles, b: Shingles) -> bool:
    """Exact confirmation on shingle sets: Jaccard ≥ 0.45, or the smaller (≥ half the larger) ≥ 0.8 inside it."""
    if not a or not b:
        return False
    inter = len(a & b)
    if inter >= JACCARD * (len(a) + len(b) - inter):
        return True
    small, large = sorted((len(a), len(b)))
    return small >= MIN_CONTAINED_SHINGLES and small >= MIN_CONTAINED_SHARE * large and inter >= CONTAINMENT * small


def _graph(n: int, pairs: np.ndarray) -> tuple[np.ndarray, Any]:
    """(connected-component label per node, CSR adjacency) of the confirmed candidate pairs."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    both = np.concatenate((pairs, pairs[:, ::-1]))
    graph = coo_matrix((np.ones(len(both), dtype=np.int8), (both[:, 0], both[:, 1])), shape=(n, n)).tocsr()
    return connected_components(graph, directed=False)[1], graph


class _Shingles:
    """Shingle sets built on demand and kept for one component (all of them would cost gigabytes at 1M)."""

    def __init__(self, uniques: Sequence[str]) -> None:
        self.uniques = uniques
        self.cache: dict[int, Shingles] = {}

    def __getitem__(self, u: int) -> Shingles:
        got = self.cache.get(u)
        if got is None:
            got = self.cache[u] = shingle_set(self.uniques[u])
        return got

    def fetch(self, us: Sequence[int]) -> None:
        """Build the sets of ``us`` not built yet, all at once."""
        missing = [u for u in dict.fromkeys(us) if u not in self.cache]
        self.cache.update(zip(missing, shingle_sets([self.uniques[u] for u in missing])))


def _jaccard(a: Shingles, b: Shingles) -> float:
    inter = len(a & b)
    return inter / max(1, len(a) + len(b) - inter)


def _medoid(members: np.ndarray, sig: np.ndarray, weight: np.ndarray, rng: np.random.Generator) -> int:
    """The member with the highest copy-weighted signature agreement with (a sample of) the others."""
    if len(members) <= 2:
        return int(members[np.argmax(weight[members])])
    cand = members if len(members) <= _TEMPLATE_SAMPLE else rng.choice(members, _TEMPLATE_SAMPLE, replace=False)
    ref = members if len(members) <= _TEMPLATE_SAMPLE else rng.choice(members, _TEMPLATE_SAMPLE, replace=False)
    agreement = _agreement(sig[cand][:, None, :], sig[ref][None, :, :])
    score = agreement @ weight[ref].astype(np.float64) + weight[cand]
    best = np.flatnonzero(score >= score.max() - 1e-9)
    return int(min(cand[best]))


def is_copy_of(text: Shingles, template: Shingles, *, parts: bool = True) -> bool:
    """Whether a text is a copy of a campaign's template: a near-duplicate of it, or it keeps at least
    ``TEMPLATE_KEPT`` of the template's shingles without being more than twice its size (a copy with a sentence
    dropped, two added and a few characters changed), or ``LONG_COPY_KEPT`` of a long enough template inside a
    wrapper of its own up to ``LONG_COPY_RATIO`` times its size, or (``parts``) it is a part of the template (a copy
    split into two comments: see ``PART_INSIDE``; asked only of texts no campaign took, since a part taken while
    campaigns form splits them: on bench/cluster_quality.py's titles pair recall fell from 0.958 to 0.949).
    Only ever asked against a template, never between two members, so it cannot chain."""
    if is_near_duplicate(text, template):
        return True
    n_text, n_template = len(text), len(template)  # the rules of _copies, without arrays (asked per candidate)
    if n_template < MIN_CONTAINED_SHINGLES and not parts:
        return False
    inter = len(text & template)
    return (n_template >= MIN_CONTAINED_SHINGLES and n_text <= 2 * n_template and inter >= TEMPLATE_KEPT * n_template
            or n_template >= LONG_TEMPLATE_SHINGLES and n_text <= LONG_COPY_RATIO * n_template
            and inter >= LONG_COPY_KEPT * n_template
            or parts and n_text >= PART_SHINGLES and n_text >= PART_SHARE * n_template and inter >= PART_INSIDE * n_text)


def _least_agreeing(estimate: float) -> int:
    """The fewest equal signature values whose share (as ``_agreement`` computes it) reaches ``estimate``."""
    return next(c for c in range(NUM_PERM + 1) if c / NUM_PERM >= estimate)


class _Agreeing:
    """Finds the rows of a signature matrix whose agreement with a query signature is at least ``MIN_ESTIMATE``:
    exactly the rows ``_agreement(rows, query) >= MIN_ESTIMATE`` selects, ascending.

    Comparing every row per query made campaign search quadratic in a component: at 1M bench comments one
    component of 108k texts (linked through shared openings and closings) held 5.8k campaigns: 184 of the 240 CPU
    s find_duplicates took under the profiler. From ``_INDEX_FROM`` rows, an index of the sorted (position, value,
    row) keys of all rows is looked up instead, at the query's positions whose value the fewest rows share: a row
    agreeing on ``need`` positions agrees on at least ``need - skipped`` of the positions looked up, so counting
    those finds every such row (the few found are then compared in full). The skipped positions are those of
    values common to many rows (boilerplate)."""

    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.need = _least_agreeing(MIN_ESTIMATE)
        self.skipped = min(_SKIPPED_POSITIONS, self.need - 1)
        self.keys: np.ndarray | None = None
        if _INDEX_FROM <= len(rows) <= _ROW_MASK:
            keys = _position_keys(rows)
            keys <<= np.uint64(_ROW_BITS)
            keys |= np.arange(len(rows), dtype=np.uint64)[:, None]
            self.keys = np.sort(keys.ravel())

    def __call__(self, query: np.ndarray) -> np.ndarray:
        if self.keys is None:
            return np.flatnonzero(_agreement(self.rows, query) >= MIN_ESTIMATE)
        q = _position_keys(query[None, :])[0] << np.uint64(_ROW_BITS)
        lo = np.searchsorted(self.keys, q, "left")
        size = np.searchsorted(self.keys, q | np.uint64(_ROW_MASK), "right") - lo
        light = np.argsort(size, kind="stable")[:NUM_PERM - self.skipped]
        lo, size = lo[light], size[light]
        # Every key of the looked-up (position, value) runs, then the rows they belong to.
        at = np.arange(int(size.sum())) + np.repeat(lo - (np.cumsum(size) - size), size)
        found = (self.keys[at] & np.uint64(_ROW_MASK)).astype(np.int64)
        if len(found) * 8 < len(self.rows):
            found, count = np.unique(found, return_counts=True)
            cand = found[count >= self.need - self.skipped]
        else:
            cand = np.flatnonzero(np.bincount(found, minlength=len(self.rows)) >= self.need - self.skipped)
        return cand[_agreement(self.rows[cand], query) >= MIN_ESTIMATE]


def _position_keys(rows: np.ndarray) -> np.ndarray:
    """(position << 32 | value) of every signature value: equal keys are equal values at the same position."""
    return (np.arange(NUM_PERM, dtype=np.uint64) << np.uint64(32)) | rows.astype(np.uint64)


def _near(center: int, component: np.ndarray, remaining: np.ndarray, agreeing: _Agreeing, local: np.ndarray,
          shingles: _Shingles) -> tuple[np.ndarray, np.ndarray]:
    """(the texts of ``component`` still ``remaining`` that are copies of ``center``, including it; the positions
    in ``component`` of all texts whose signatures agree with the centre's, remaining or not): a signature
    pre-filter through ``agreeing``, the index of the component's signatures, then the exact check."""
    at = agreeing(agreeing.rows[local[center]])
    cand = component[at[remaining[at]]].tolist()
    shingles.fetch(cand + [center])
    c = shingles[center]
    return np.array([u for u in cand if u == center or is_copy_of(shingles[u], c, parts=False)], dtype=np.int64), at


def _campaigns_in(component: np.ndarray, density: np.ndarray, graph: Any, sig: np.ndarray, weight: np.ndarray,
                  shingles: _Shingles, rng: np.random.Generator, local: np.ndarray) -> list[tuple[int, np.ndarray]]:
    """(template, members) of each campaign in one component of the candidate graph (see the module docstring).

    Centres are tried in order of density; a text whose confirmed neighbours all joined campaigns already cannot
    start one (it is near none of their templates, or it would have joined). ``local`` is a scratch array of
    one int per node."""
    remaining = np.ones(len(component), dtype=bool)
    local[component] = np.arange(len(component))
    agreeing = _Agreeing(sig[component])
    found: list[tuple[int, np.ndarray]] = []
    agreed: list[np.ndarray] = []  # per campaign, the texts (positions in component) agreeing with its template
    for u in component[np.lexsort((component, -density[component]))].tolist():
        if not remaining[local[u]]:
            continue
        neighbours = graph.indices[graph.indptr[u]:graph.indptr[u + 1]]
        if not remaining[local[neighbours]].any():
            remaining[local[u]] = False
            continue
        members, at = _near(u, component, remaining, agreeing, local, shingles)
        if len(members) > 1:
            template = _medoid(members, sig, weight, rng)
            if template != u:
                members, at = _near(template, component, remaining, agreeing, local, shingles)
        else:
            template = u
        remaining[local[members]] = False
        remaining[local[u]] = False
        if weight[members].sum() >= 2:
            found.append((template, members))
            agreed.append(at)
    if len(found) < 2:
        return found
    # A text near several templates joins the nearest. The templates whose signatures agree with a member's are
    # those whose agreeing texts (found when the template's members were) include it: no search per member.
    templates = [t for t, _ in found]
    owner = np.full(len(component), -1, dtype=np.int64)  # campaign of each text, by position in component
    for c, (_, members) in enumerate(found):
        owner[local[members]] = c
    texts = np.concatenate(agreed)
    offered = np.repeat(np.arange(len(found)), [len(at) for at in agreed])
    keep = (owner[texts] >= 0) & (owner[texts] != offered)
    keep[keep] = ~np.isin(component[texts[keep]], templates)
    texts, offered = texts[keep], offered[keep]
    order = np.lexsort((offered, texts))  # by text, then campaign
    others: dict[int, list[int]] = {}
    for m, c in zip(texts[order].tolist(), offered[order].tolist()):
        others.setdefault(m, []).append(c)
    for m, near in others.items():
        u = int(component[m])
        best, best_j = int(owner[m]), _jaccard(shingles[u], shingles[templates[owner[m]]])
        for c in near:
            j = _jaccard(shingles[u], shingles[templates[c]])
            if j > best_j + 1e-12 and is_copy_of(shingles[u], shingles[templates[c]], parts=False):
                best, best_j = c, j
        owner[m] = best
    grouped = np.flatnonzero(owner >= 0)
    grouped = grouped[np.argsort(owner[grouped], kind="stable")]  # by campaign, then position (ascending text)
    cuts = np.flatnonzero(np.diff(owner[grouped])) + 1
    return [(templates[int(owner[at[0]])], component[at]) for at in np.split(grouped, cuts)
            if weight[component[at]].sum() >= 2]


def _recover(campaigns: list[tuple[int, list[int]]], candidates: np.ndarray, sig: np.ndarray,
             texts: Sequence[str]) -> None:
    """Texts in no campaign that share a band bucket with a member of one join it when they are copies of its
    template (a copy whose own candidate pairs were too weak to link it into the campaign's component)."""
    owner = np.full(len(sig), -1, dtype=np.int64)
    for c, (_, members) in enumerate(campaigns):
        owner[members] = c
    if not len(candidates) or not campaigns:
        return
    a, b = candidates[:, 0], candidates[:, 1]
    left = np.concatenate((b[(owner[a] >= 0) & (owner[b] < 0)], a[(owner[b] >= 0) & (owner[a] < 0)]))
    near = np.concatenate((owner[a[(owner[a] >= 0) & (owner[b] < 0)]], owner[b[(owner[b] >= 0) & (owner[a] < 0)]]))
    offers = _unique(left * len(campaigns) + near)  # (text, campaign) pairs by text, then campaign
    left, near = offers // len(campaigns), offers % len(campaigns)
    templates = np.array([t for t, _ in campaigns], dtype=np.int64)
    offered = _pair_agreement(sig, left, templates[near]) >= MIN_ESTIMATE
    left, near = left[offered], near[offered]
    len_text, len_template, inter = _overlaps(texts, left, templates[near])
    jaccard = (inter / np.maximum(1, len_text + len_template - inter)).tolist()  # as _jaccard computes it
    copy = _copies(len_text, len_template, inter, parts=False).tolist()
    best: dict[int, tuple[int, float]] = {}  # text -> (campaign, Jaccard with its template)
    for text, c, j, is_copy in zip(left.tolist(), near.tolist(), jaccard, copy):
        if j > best.get(text, (-1, 0.0))[1] and is_copy:
            best[text] = (c, j)
    for text, (c, _) in best.items():
        campaigns[c][1].append(text)
    for _, members in campaigns:
        members.sort()


def _contained(campaigns: list[tuple[int, list[int]]], texts: Sequence[str], sample_of: np.ndarray,
               sample: np.ndarray) -> list[tuple[int, list[int]]]:
    """The campaigns with the texts their templates hold: a text in no campaign that holds most of a template's
    sampled shingles (a copy inside a long wrapper of its own), or most of whose sampled shingles a template holds
    (part of a copy split in two), joins the nearest such template it is a copy of (MinHash agreement with the
    template is too low for a band bucket); a campaign whose template is a copy inside a long wrapper of another
    template (identical copies of one wrapped copy) joins that campaign when all its members are copies of that
    template, unless that campaign moves itself (no chains). ``sample_of``, ``sample``: (text, 32-bit hash) of the
    sampled shingles (see ``minhash_signatures``); they are looked up in a sorted index of the templates' own, so
    the search is linear in the texts. Only templates of at least ``LONG_TEMPLATE_SHINGLES`` are searched for
    (comments split in two, or wrapped in a story, are long ones), so where none is that long nothing is done."""
    length = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    long_enough = LONG_TEMPLATE_SHINGLES + SHINGLE - 1
    if not campaigns or not any(length[t] >= long_enough for t, _ in campaigns):
        return campaigns
    n = len(texts)
    owner = np.full(n, -1, dtype=np.int64)
    for c, (_, members) in enumerate(campaigns):
        owner[members] = c
    templates = np.array([t for t, _ in campaigns], dtype=np.int64)
    campaign_of_template = np.full(n, -1, dtype=np.int64)
    campaign_of_template[templates] = np.arange(len(templates))
    # The templates' own sampled shingles (sample_of is ascending: each text's are one slice).
    first = np.searchsorted(sample_of, templates, "left")
    per = np.where(length[templates] >= long_enough, np.searchsorted(sample_of, templates, "right") - first, 0)
    at = np.arange(int(per.sum())) + np.repeat(first - (np.cumsum(per) - per), per)
    anchors = _unique((np.repeat(np.arange(len(templates)), per) << 32) | sample[at].astype(np.int64))
    order = np.argsort(anchors & 0xFFFFFFFF, kind="stable")
    anchor_hash, anchor_campaign = (anchors & 0xFFFFFFFF)[order], (anchors >> 32)[order]
    # A sampled shingle many texts besides the campaign's own hold is a common phrase, no evidence of a copy: it is
    # left out of both sides. Counted per bucket of low bits (cheap); a bitmap of the rare anchors' buckets then
    # lets through only the shingles worth looking up in the sorted anchors.
    low = sample & np.uint32((1 << _BUCKET_BITS) - 1)
    held = np.bincount(low, minlength=1 << _BUCKET_BITS)
    own = np.array([len(m) for _, m in campaigns], dtype=np.int64)  # the campaign's own copies hold it too
    rare = held[anchor_hash & ((1 << _BUCKET_BITS) - 1)] <= max(_COMMON_FROM, n // 2000) + own[anchor_campaign]
    anchors_all = np.bincount(anchor_campaign, minlength=len(templates))
    anchor_hash, anchor_campaign = anchor_hash[rare], anchor_campaign[rare]
    anchors_per = np.bincount(anchor_campaign, minlength=len(templates))
    bitmap = np.zeros(1 << _BUCKET_BITS, dtype=bool)
    bitmap[anchor_hash & ((1 << _BUCKET_BITS) - 1)] = True
    asked = np.flatnonzero(bitmap[low])
    q_text, q_hash = sample_of[asked].astype(np.int64), sample[asked].astype(np.int64)
    free = (owner[q_text] < 0) | (campaign_of_template[q_text] >= 0)  # members other than templates stay put
    q_text, q_hash = q_text[free], q_hash[free]
    lo = np.searchsorted(anchor_hash, q_hash, "left")
    size = np.searchsorted(anchor_hash, q_hash, "right") - lo
    hit = np.flatnonzero(size)
    size = size[hit]
    at = np.arange(int(size.sum())) + np.repeat(lo[hit] - (np.cumsum(size) - size), size)
    text, near = np.repeat(q_text[hit], size), anchor_campaign[at]
    # Only pairs whose sizes leave a rule to pass: the text holding a long enough template inside a wrapper (over
    # twice its size, up to LONG_COPY_RATIO times), or a part of it.
    size_text, size_template = length[text], length[templates[near]]
    holds = (size_text > 2 * size_template) & (size_text <= LONG_COPY_RATIO * size_template)
    part = (size_text < size_template) & (size_text >= PART_SHINGLES + SHINGLE - 1) & (campaign_of_template[text] < 0)
    sized = (holds | part) & (owner[text] != near)
    pair, count = np.unique(text[sized] * len(templates) + near[sized], return_counts=True)
    text, near = pair // len(templates), pair % len(templates)
    # Holding a little less of the sample than the rule asks of the whole (of the template's shingles that are
    # not common, when they are at least half of them).
    keep = np.where(length[text] > length[templates[near]],
                    (count >= 0.9 * LONG_COPY_KEPT * anchors_per[near]) & (anchors_per[near] >= 3)
                    & (2 * anchors_per[near] >= anchors_all[near]),
                    count >= 0.7 * PART_INSIDE * (np.searchsorted(sample_of, text, "right")
                                                  - np.searchsorted(sample_of, text, "left")))
    text, near = text[keep], near[keep]
    if not len(text):
        return campaigns
    len_text, len_template, inter = _overlaps(texts, text, templates[near])
    jaccard = inter / np.maximum(1, len_text + len_template - inter)
    wrapped = (len_text > 2 * len_template) & (len_template >= LONG_TEMPLATE_SHINGLES) & (
        len_text <= LONG_COPY_RATIO * len_template) & (inter >= LONG_COPY_KEPT * len_template)
    copy = np.where(owner[text] >= 0, wrapped, _copies(len_text, len_template, inter))
    best: dict[int, tuple[int, float]] = {}
    for u, c, j in zip(text[copy].tolist(), near[copy].tolist(), jaccard[copy].tolist()):
        if j > best.get(u, (-1, -1.0))[1]:
            best[u] = (c, j)
    moving = {int(owner[u]): c for u, (c, _) in best.items() if owner[u] >= 0}
    for u, (c, _) in best.items():
        if owner[u] < 0:
            campaigns[c][1].append(u)
    for c, d in moving.items():
        if d in moving:
            continue
        moved = np.array(campaigns[c][1], dtype=np.int64)
        if _copies(*_overlaps(texts, moved, np.full(len(moved), templates[d]))).all():
            campaigns[d][1].extend(moved.tolist())
            campaigns[c] = (campaigns[c][0], [])
    return [(template, sorted(members)) for template, members in campaigns if members]


def _confirmed_pairs(pairs: np.ndarray, sig: np.ndarray, texts: Sequence[str]) -> np.ndarray:
    """Candidate pairs that are near-duplicates: signature agreement ≥ ``SURE_ESTIMATE`` (measured: all of them
    are), or ≥ ``MIN_PAIR_ESTIMATE`` and confirmed on the exact shingle sets."""
    if not len(pairs):
        return pairs
    estimate = _pair_agreement(sig, pairs[:, 0], pairs[:, 1]).astype(np.float32)
    sure = estimate >= SURE_ESTIMATE
    unsure = np.flatnonzero((estimate >= MIN_PAIR_ESTIMATE) & ~sure)
    keep = sure
    keep[unsure] = _near_duplicates(*_overlaps(texts, pairs[unsure, 0], pairs[unsure, 1]))
    return pairs[keep]


def _overlaps(texts: Sequence[str], a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, ...]:
    """``pair_overlaps`` of ``texts[a[k]]`` and ``texts[b[k]]``, a block of pairs at a time over only the texts
    the block names (bounded memory)."""
    out: tuple[list[np.ndarray], ...] = ([], [], [])
    for s in range(0, len(a), _PAIRS_BLOCK):
        block = np.concatenate((a[s:s + _PAIRS_BLOCK], b[s:s + _PAIRS_BLOCK]))
        named, at = np.unique(block, return_inverse=True)
        at = at.ravel()
        found = pair_overlaps([texts[u] for u in named.tolist()], at[:len(at) // 2], at[len(at) // 2:])
        for part, x in zip(out, found):
            part.append(x)
    return tuple(np.concatenate(part) if part else np.zeros(0, dtype=np.int64) for part in out)


def pair_overlaps(texts: Sequence[str], a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(|A|, |B|, |A ∩ B|) of the shingle sets (as ``shingle_sets`` makes them) of ``texts[a[k]]`` and
    ``texts[b[k]]`` for every k, with NumPy for all pairs at once instead of one Python set per text; every text
    at least ``SHINGLE`` characters long."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if len(texts) and lengths.min() < SHINGLE:
        raise ValueError("pair_overlaps needs texts of at least SHINGLE characters")
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    grams = (codes[:-2] << 42) | (codes[1:-1] << 21) | codes[2:] if len(codes) >= SHINGLE else codes[:0]
    counts = lengths - (SHINGLE - 1)
    text_of = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    # Each text's 3-grams (those straddling two texts left out), as dense ids, distinct and sorted per text.
    starts = np.cumsum(lengths) - lengths
    grams = grams[np.arange(len(text_of)) + np.repeat(starts - (np.cumsum(counts) - counts), counts)]
    ids = np.unique(grams, return_inverse=True)[1].astype(np.int64).ravel()
    keys = _unique((text_of << 32) | ids)
    size = np.bincount(keys >> 32, minlength=len(texts))
    first = np.cumsum(size) - size
    ids = keys & 0xFFFFFFFF

    def tagged(side: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(pair number << 32 | shingle id) of every shingle of each pair's text on one side (ascending), and
        the pair numbers."""
        n = size[side]
        pair = np.repeat(np.arange(len(side), dtype=np.int64), n)
        at = np.arange(len(pair)) + np.repeat(first[side] - (np.cumsum(n) - n), n)
        return (pair << 32) | ids[at], pair

    in_a, pair = tagged(np.asarray(a, dtype=np.int64))
    in_b = tagged(np.asarray(b, dtype=np.int64))[0]
    at = np.minimum(np.searchsorted(in_b, in_a), max(0, len(in_b) - 1))
    shared = in_b[at] == in_a if len(in_b) else np.zeros(len(in_a), dtype=bool)
    return size[a], size[b], np.bincount(pair[shared], minlength=len(a))


def _near_duplicates(len_a: np.ndarray, len_b: np.ndarray, inter: np.ndarray) -> np.ndarray:
    """``is_near_duplicate`` of many pairs from their set sizes and intersections (the same comparisons)."""
    small, large = np.minimum(len_a, len_b), np.maximum(len_a, len_b)
    near: np.ndarray = (len_a > 0) & (len_b > 0) & (
        (inter >= JACCARD * (len_a + len_b - inter))
        | ((small >= MIN_CONTAINED_SHINGLES) & (small >= MIN_CONTAINED_SHARE * large) & (inter >= CONTAINMENT * small)))
    return near


def _copies(len_text: np.ndarray, len_template: np.ndarray, inter: np.ndarray, *, parts: bool = True) -> np.ndarray:
    """``is_copy_of`` of many (text, template) pairs from their set sizes and intersections."""
    copies: np.ndarray = _near_duplicates(len_text, len_template, inter) | (
        (len_template >= MIN_CONTAINED_SHINGLES) & (len_text <= 2 * len_template) & (inter >= TEMPLATE_KEPT * len_template)
    ) | (  # inside a long wrapper of its own
        (len_template >= LONG_TEMPLATE_SHINGLES) & (len_text <= LONG_COPY_RATIO * len_template)
        & (inter >= LONG_COPY_KEPT * len_template)
    ) | (  # a part of the template
        parts & (len_text >= PART_SHINGLES) & (len_text >= PART_SHARE * len_template) & (inter >= PART_INSIDE * len_text))
    return copies


def near_duplicate_campaigns(uniques: Sequence[str], weight: np.ndarray,
                             random_state: int = 0) -> list[tuple[int, list[int]]]:
    """(template, members) per campaign over distinct canonical texts (``weight``: copies of each); a text of at
    least two copies that is near no other text is a campaign of its own."""
    weight = np.asarray(weight, dtype=np.int64)
    eligible = np.array([i for i, u in enumerate(uniques) if len(u) >= MIN_NEAR_CHARS], dtype=np.int64)
    found: list[tuple[int, list[int]]] = []
    grouped = np.zeros(len(uniques), dtype=bool)
    if len(eligible) >= 2:
        texts = [uniques[i] for i in eligible]
        sampled: list[tuple[np.ndarray, np.ndarray]] = []
        sig = minhash_signatures(texts, random_state, sampled)
        candidates = _band_pairs(sig)
        pairs = _confirmed_pairs(candidates, sig, texts)
        if len(pairs):
            labels, graph = _graph(len(eligible), pairs)
            w = weight[eligible]
            # Density: copies of the text plus those of its confirmed neighbours (campaign centres come first).
            density = w + np.asarray(graph @ w).ravel()
            linked = _unique(pairs.ravel())
            linked = np.sort(labels[linked].astype(np.int64) * len(eligible) + linked) % len(eligible)  # by component
            cuts = np.flatnonzero(np.diff(labels[linked])) + 1
            rng = np.random.default_rng(random_state)
            shingles = _Shingles(texts)
            local = np.zeros(len(eligible), dtype=np.int64)
            campaigns: list[tuple[int, list[int]]] = []
            for component in np.split(linked, cuts):
                campaigns += [(t, m.tolist()) for t, m in
                              _campaigns_in(component, density, graph, sig, w, shingles, rng, local)]
                shingles.cache.clear()
            _recover(campaigns, candidates, sig, texts)
            campaigns = _contained(campaigns, texts, np.concatenate([t for t, _ in sampled]),
                                   np.concatenate([h for _, h in sampled]))
            for template, members in campaigns:
                found.append((int(eligible[template]), eligible[members].tolist()))
                grouped[eligible[members]] = True
    for u in np.flatnonzero(~grouped & (weight >= 2)).tolist():
        found.append((u, [u]))
    return found


_SENTENCE = re.compile(r"(?<=[。！？；!?;…])|\n+")


def campaign_additions(jobs: Sequence[tuple[str, int]], templates: Sequence[tuple[Shingles, str]], *,
                       boilerplate: Boilerplate | None = None) -> list[list[str]]:
    """For each (member text, template number) of many campaigns at once, the text's sentences (as written) with
    less than half their shingles anywhere in its campaign's template (``templates``: (shingles, canonical text)),
    leaving out sentences that are mostly ``boilerplate`` (a greeting is no addition).
    The sentences of a block of texts are normalised and shingled together, each distinct sentence once, and judged
    once per template (most campaigns are a few texts)."""
    out = []
    for s in range(0, len(jobs), _ADDITIONS_BLOCK):
        block = jobs[s:s + _ADDITIONS_BLOCK]
        split = [[sentence for sentence in map(str.strip, _SENTENCE.split(text)) if sentence] for text, _ in block]
        distinct = list(dict.fromkeys(chain.from_iterable(split)))
        canon = dict(zip(distinct, canonical_many(distinct)))
        passages: list[list[str]] = [[] for _ in block]
        if boilerplate:  # a sentence at least half boilerplate counts as empty, and so does a piece of a cut passage
            forms = list(dict.fromkeys(canon.values()))
            wrapped = {c for c, share in zip(forms, boilerplate_share(forms, boilerplate)) if share >= 0.5}
            canon = {k: "" if c in wrapped else c for k, c in canon.items()}
            for m, cut in strip_boilerplate(canonical_many([text for text, _ in block]), boilerplate)[1].items():
                passages[m] = cut
        grams = [c for c in dict.fromkeys(canon.values()) if len(c) >= SHINGLE]
        sets = dict(zip(grams, shingle_sets(grams)))
        added: dict[tuple[int, str], bool] = {}
        for (_, t), sentences, cut in zip(block, split, passages):
            template_shingles, template_canon = templates[t]
            kept = []
            for sentence in sentences:
                c = canon[sentence]
                if not c or cut and any(c in p for p in cut):
                    continue
                if len(c) < SHINGLE:
                    is_added = c not in template_canon
                else:
                    if (t, c) not in added:
                        shingles = sets[c]
                        added[t, c] = len(shingles & template_shingles) < ADDITION_OVERLAP * len(shingles)
                    is_added = added[t, c]
                if is_added:
                    kept.append(sentence)
            out.append(kept)
    return out


@paused_gc()
def find_duplicates(texts: Sequence[str], *, random_state: int = 0,
                    canonical_texts: Sequence[str] | None = None,
                    contexts: Sequence[object] | None = None,
                    boilerplate: Boilerplate | bool = True,
                    unwrapped_texts: Sequence[str] | None = None) -> list[DuplicateGroup]:
    """Groups of two or more exact or near-duplicate texts, ordered by their first member.

    Texts that are empty after normalisation (only punctuation or emoji) are never grouped.
    ``canonical_texts`` (``canonical(t)`` for each text, or what the caller compares instead, e.g. the text
    without its quotations of the draft) saves normalising again. ``contexts`` (e.g. the clause key of each text):
    texts shorter than ``MIN_NEAR_CHARS`` are exact duplicates only within the same context.
    ``boilerplate``: True learns the greetings, self-introductions and sign-offs the texts share
    (:mod:`analysis.boilerplate`) and compares the texts without them, so different opinions in one wrapper are
    not a campaign; a :class:`Boilerplate` already learnt is cut out as given (or, with ``unwrapped_texts``, the
    canonical texts without it that the caller cut out already, compared instead); False compares the texts as
    given. Sentences that are boilerplate are never a member's additions.
    """
    canon = list(canonical_texts) if canonical_texts is not None else [canonical(t or "") for t in texts]
    if len(canon) != len(texts) or (contexts is not None and len(contexts) != len(texts)):
        raise ValueError("canonical_texts and contexts must match texts")
    as_given = canon  # additions are judged against the template as given (its own greeting is no addition)
    wrapper: Boilerplate | None = None
    if boilerplate is True:
        wrapper, canon = cut_boilerplate(canon, random_state)[:2]
    elif boilerplate:
        wrapper = boilerplate
        canon = list(unwrapped_texts) if unwrapped_texts is not None else strip_boilerplate(canon, boilerplate)[0]
        if len(canon) != len(texts):
            raise ValueError("unwrapped_texts must match texts")
    keys = canon if contexts is None else [c if len(c) >= MIN_NEAR_CHARS else (c, context)
                                           for c, context in zip(canon, contexts)]
    unique_index: dict[object, int] = {}
    ids = [unique_index.setdefault(key, len(unique_index)) if c else -1 for key, c in zip(keys, canon)]
    members_of: list[list[int]] = [[] for _ in range(len(unique_index))]
    for i, u in enumerate(ids):
        if u >= 0:
            members_of[u].append(i)
    uniques = [canon[m[0]] for m in members_of]
    weight = np.array([len(m) for m in members_of], dtype=np.int64)
    campaigns = near_duplicate_campaigns(uniques, weight, random_state)
    template_canon = [as_given[members_of[t][0]] for t, _ in campaigns]
    templates = list(zip(shingle_sets(template_canon), template_canon))
    copies = [[i for u in unique_ids if u != template_u for i in members_of[u]] for template_u, unique_ids in campaigns]
    added = iter(campaign_additions([(texts[i], c) for c, ids in enumerate(copies) for i in ids], templates,
                                    boilerplate=wrapper))
    groups = []
    for (template_u, unique_ids), ids in zip(campaigns, copies):
        members = sorted(i for u in unique_ids for i in members_of[u])
        template_index = members_of[template_u][0]
        additions = {i: sentences for i, sentences in zip(ids, added) if sentences}
        groups.append(DuplicateGroup(members=members, template_index=template_index, template=texts[template_index],
                                     additions=additions, exact=len(unique_ids) == 1))
    groups.sort(key=lambda g: g.members[0])
    return groups
