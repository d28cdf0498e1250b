"""Exact and near-duplicate comments (mass campaigns), without comparing all pairs.

Exact duplicates share the same canonical text (normalised, letters and digits only). Near-duplicates are found
by MinHash over character 3-gram shingles of the canonical text, computed with NumPy for all documents at once,
and locality-sensitive hashing (16 bands × 4 rows): documents sharing a band bucket become candidate pairs,
linked as a star to the bucket's first member plus a chain through the bucket, so a bucket of m copies costs
O(m) pairs, never O(m²). Candidates are confirmed on the exact shingle sets (Jaccard ≥ 0.45, or ≥ 0.8 of the
smaller text contained in the larger when it is at least half its size) and joined with union-find; a pair whose ends are already joined is not
checked again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .normalize import canonical

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
#: Candidates whose signature agreement is below this are not worth an exact check.
MIN_ESTIMATE = 0.3
#: An added sentence is one with less than this share of its shingles anywhere in the template.
ADDITION_OVERLAP = 0.5
_SHINGLES_PER_BLOCK = 2_000_000
_TEMPLATE_SAMPLE = 200
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
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    counts = lengths - (SHINGLE - 1)
    starts = np.cumsum(lengths) - lengths
    total = int(counts.sum())
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(starts, counts) + offsets
    h = codes[pos] * np.uint64(0x9E3779B97F4A7C15)
    for j in range(1, SHINGLE):
        h = (h ^ codes[pos + j]) * np.uint64(0xC2B2AE3D27D4EB4F)
    return _mix64(h), counts


def minhash_signatures(texts: Sequence[str], random_state: int = 0) -> np.ndarray:
    """(len(texts) × 64) uint32 MinHash signatures over character 3-grams; every text needs ≥ 3 characters.

    Each of the 64 permutations is ``a·h + b mod 2³²`` (a odd) of the shingle's mixed 32-bit hash, in uint32
    arithmetic over all shingles of a block of documents at once.
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
        tmp = np.empty_like(hashes)
        for p in range(NUM_PERM):
            np.multiply(hashes, mult[p], out=tmp)
            tmp += add[p]
            out[start:end, p] = np.minimum.reduceat(tmp, seg)
        start = end
    return out


def _band_pairs(sig: np.ndarray) -> np.ndarray:
    """Candidate pairs (i < j) sharing a band bucket: star to the bucket's first member plus a chain."""
    pairs = []
    idx = np.arange(len(sig), dtype=np.int64)
    for b in range(BANDS):
        block = sig[:, b * ROWS:(b + 1) * ROWS].astype(np.uint64)
        key = np.zeros(len(sig), dtype=np.uint64)
        for r in range(ROWS):
            key = _mix64(key * np.uint64(0x100000001B3) + block[:, r])
        order = np.lexsort((idx, key))
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
    return np.unique(allp, axis=0)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        parent = self.parent
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def shingle_set(text: str) -> frozenset[str]:
    if len(text) < SHINGLE:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i:i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def is_near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    """Exact confirmation on shingle sets: Jaccard ≥ 0.45, or the smaller (≥ half the larger) ≥ 0.8 inside it."""
    if not a or not b:
        return False
    inter = len(a & b)
    if inter >= JACCARD * (len(a) + len(b) - inter):
        return True
    small, large = sorted((len(a), len(b)))
    return small >= MIN_CONTAINED_SHINGLES and small >= MIN_CONTAINED_SHARE * large and inter >= CONTAINMENT * small


def near_duplicate_components(uniques: Sequence[str], random_state: int = 0) -> tuple[list[int], np.ndarray | None,
                                                                                          np.ndarray]:
    """Union-find roots over distinct canonical texts (+ signatures and the indices that have them)."""
    uf = _UnionFind(len(uniques))
    eligible = np.array([i for i, u in enumerate(uniques) if len(u) >= MIN_NEAR_CHARS], dtype=np.int64)
    sig = None
    if len(eligible) >= 2:
        sig = minhash_signatures([uniques[i] for i in eligible], random_state)
        pairs = _band_pairs(sig)
        if len(pairs):
            estimate = np.empty(len(pairs), dtype=np.float32)
            for s in range(0, len(pairs), 200_000):
                p = pairs[s:s + 200_000]
                estimate[s:s + 200_000] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
            keep = estimate >= MIN_ESTIMATE
            pairs, estimate = pairs[keep], estimate[keep]
            order = np.lexsort((pairs[:, 1], pairs[:, 0], -estimate))
            # Shingle sets are rebuilt per check (about 15 µs each): caching them all costs gigabytes at 1M.
            for a, b in eligible[pairs[order]].tolist():
                if uf.find(a) != uf.find(b) and is_near_duplicate(shingle_set(uniques[a]), shingle_set(uniques[b])):
                    uf.union(a, b)
    return [uf.find(i) for i in range(len(uniques))], sig, eligible


_SENTENCE = re.compile(r"(?<=[。！？；!?;…])|\n+")


def _additions(text: str, template_shingles: frozenset[str], template_canon: str) -> list[str]:
    """The member's sentences (as written) with less than half their shingles anywhere in the template."""
    added = []
    for sentence in _SENTENCE.split(text):
        sentence = sentence.strip()
        canon = canonical(sentence) if sentence else ""
        if not canon:
            continue
        if len(canon) < SHINGLE:
            if canon not in template_canon:
                added.append(sentence)
            continue
        shingles = shingle_set(canon)
        if len(shingles & template_shingles) < ADDITION_OVERLAP * len(shingles):
            added.append(sentence)
    return added


def find_duplicates(texts: Sequence[str], *, random_state: int = 0,
                    canonical_texts: Sequence[str] | None = None) -> list[DuplicateGroup]:
    """Groups of two or more exact or near-duplicate texts, ordered by their first member.

    Texts that are empty after normalisation (only punctuation or emoji) are never grouped.
    ``canonical_texts`` (``canonical(t)`` for each text) saves normalising again when the caller has them.
    """
    canon = list(canonical_texts) if canonical_texts is not None else [canonical(t or "") for t in texts]
    if len(canon) != len(texts):
        raise ValueError("canonical_texts must match texts")
    unique_index: dict[str, int] = {}
    members_of: list[list[int]] = []
    for i, c in enumerate(canon):
        if not c:
            continue
        u = unique_index.setdefault(c, len(unique_index))
        if u == len(members_of):
            members_of.append([])
        members_of[u].append(i)
    uniques = list(unique_index)
    roots, sig, eligible = near_duplicate_components(uniques, random_state)
    sig_row = {int(g): r for r, g in enumerate(eligible)} if sig is not None else {}
    components: dict[int, list[int]] = {}
    for u, root in enumerate(roots):
        components.setdefault(root, []).append(u)
    groups = []
    for unique_ids in components.values():
        members = sorted(i for u in unique_ids for i in members_of[u])
        if len(members) < 2:
            continue
        template_u = _template(unique_ids, members_of, sig, sig_row)
        template_index = members_of[template_u][0]
        template_canon = uniques[template_u]
        template_shingles = shingle_set(template_canon)
        additions = {}
        for u in unique_ids:
            if u == template_u:
                continue
            for i in members_of[u]:
                added = _additions(texts[i], template_shingles, template_canon)
                if added:
                    additions[i] = added
        groups.append(DuplicateGroup(members=members, template_index=template_index, template=texts[template_index],
                                     additions=additions, exact=len(unique_ids) == 1))
    groups.sort(key=lambda g: g.members[0])
    return groups


def _template(unique_ids: list[int], members_of: list[list[int]], sig: np.ndarray | None,
              sig_row: dict[int, int]) -> int:
    """The distinct text with the highest copy-weighted signature agreement with (a sample of) the others."""
    if len(unique_ids) == 1:
        return unique_ids[0]
    with_sig = [u for u in unique_ids if u in sig_row]
    if sig is None or len(with_sig) < 2:
        return max(unique_ids, key=lambda u: (len(members_of[u]), -u))
    reference = sorted(with_sig)[:: max(1, len(with_sig) // _TEMPLATE_SAMPLE)][:_TEMPLATE_SAMPLE]
    ref_sig = sig[[sig_row[u] for u in reference]]
    weights = np.array([len(members_of[u]) for u in reference], dtype=np.float64)
    best, best_score = with_sig[0], -1.0
    for u in sorted(with_sig):
        agreement = (sig[sig_row[u]][None, :] == ref_sig).mean(axis=1)
        score = float((agreement * weights).sum() + len(members_of[u]))
        if score > best_score + 1e-9:
            best, best_score = u, score
    return best
