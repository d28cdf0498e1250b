"""Text copied from the draft (quotations): where it is, which clause it came from, and what is left without it.

Citizens paste the clause they comment on, often with the small edits of pasting or retyping (punctuation, spaces,
full/half width, traditional characters, a character changed, dropped or added). A quotation is evidence for the
clause (``suggest_clauses``) but says nothing about the opinion: two comments that quote the same clause and then
say different things are different opinions. So quoted text is recognised here and left out of duplicate
detection, clustering, keywords and group labels.

How: every text is compared in its canonical form (:func:`analysis.normalize.canonical`: normalised, letters and
digits only, so punctuation and spaces never matter). The draft's canonical text is cut into 6-character grams
(never across two clauses); a comment's grams are hashed with NumPy, all comments at once, and looked up in the
draft's sorted gram hashes. Consecutive hits are chained when they continue the same place in the draft (the
offset between comment and draft position moves by at most 2 characters: an inserted or dropped character, see
``_aligned``) and leave at most 2 characters between them uncovered (a changed character). A chain of at least ``MIN_QUOTE``
characters of which at least 80 % are covered by hits is a quotation of the clause most of its hits fall in.
Grams that occur in several places of the draft (跨境电商企业, 各区人民政府…) keep up to four of them.

What is left without the quotations is computed for all comments at once too (:func:`without_quotations`): the
quotations are cut out of the joined canonical texts with a coverage mask, and the draft's tokens they hold are
taken out of the comments' tokens by word id and rank within the comment.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from typing import Any, Literal, NamedTuple, overload

import numpy as np

from draft.model import Draft

from .collector import paused_gc
from .normalize import _to_simplified, canonical, canonical_many, chunks
from .tokenize import Tokenizer

#: Length of the grams looked up in the draft.
GRAM = 6
#: A quotation has at least this many letters and digits.
MIN_QUOTE = 12
#: Share of a quotation's characters that must lie inside matching grams.
MIN_COVERED = 0.8
#: Largest stretch of characters between two hits that still continues a quotation (a changed character or two).
MAX_GAP = 2
#: Largest change of the comment-to-draft offset within a quotation (characters inserted or dropped).
MAX_SHIFT = 2
#: Places of the draft kept per gram.
MAX_PLACES = 4
_BLOCK = 1_000_000  # grams hashed per block (bounded memory at a million comments)
_NONE = np.int64(-(1 << 40))


@dataclass(frozen=True)
class Quotation:
    """A quotation of the draft: ``text[start:end]`` of the comment was copied from clause ``clause_key``
    (None: the draft's title or preamble). ``draft_text`` is the passage it matches, as the draft has it."""

    clause_key: str | None
    start: int
    end: int
    text: str
    draft_text: str

    def to_dict(self) -> dict[str, Any]:
        return {"clause_key": self.clause_key, "start": self.start, "end": self.end, "text": self.text,
                "draft_text": self.draft_text}


class CanonicalQuote(NamedTuple):
    """A quotation in canonical coordinates: ``canon[start:end]`` of the comment matches ``draft_start:draft_end``
    of the index's canonical draft text, in unit ``unit`` (an index into :attr:`DraftIndex.keys`)."""

    start: int
    end: int
    unit: int
    draft_start: int
    draft_end: int


def gram_hashes(texts: Sequence[str], k: int = GRAM) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(64-bit hash of every k-character gram of every text, text index of each gram, position of each gram).

    Texts shorter than ``k`` have no grams. All arrays are aligned; grams are in text order. The hash is a
    multiply-xor chain over the characters' code points: its high bits are well mixed (they address
    :class:`DraftIndex`'s table)."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    counts = np.maximum(lengths - (k - 1), 0)
    total = int(counts.sum())
    if total == 0:
        empty = np.empty(0, dtype=np.int64)
        return np.empty(0, dtype=np.uint64), empty, empty
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    # Hash every position of the joined text with contiguous slices (no gathers), then keep the grams that lie
    # inside one text.
    h = _hash_windows(codes, k)
    doc = np.repeat(np.arange(len(texts), dtype=np.int64), counts)
    text_start = np.cumsum(lengths) - lengths
    pos = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    return h[text_start[doc] + pos], doc, pos


def _hash_windows(codes: np.ndarray, k: int = GRAM) -> np.ndarray:
    """The hash of :func:`gram_hashes` for every k-character window of ``codes`` (code points as uint64).

    Computed in pieces of ``_HASH_STEP`` windows: the piece's arrays stay in the CPU cache through the 2k passes
    over them (2.5 times faster than whole blocks of a million windows)."""
    span = max(0, len(codes) - (k - 1))
    out = np.empty(span, dtype=np.uint64)
    for start in range(0, span, _HASH_STEP):
        end = min(span, start + _HASH_STEP)
        h = out[start:end]
        np.multiply(codes[start:end], np.uint64(0x9E3779B97F4A7C15), out=h)
        for j in range(1, k):
            h ^= codes[start + j:end + j]
            h *= np.uint64(0xC2B2AE3D27D4EB4F)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
    return out


_HASH_STEP = 1 << 15


@dataclass
class DraftIndex:
    """The draft's canonical text, cut into units (the title + preamble, then every clause with text), with its
    grams and its tokens (for :meth:`quoted_tokens`)."""

    keys: list[str | None]  # unit → clause key (None: title and preamble)
    texts: list[str]  # unit → the text as the draft has it (heading。body)
    canon: str  # canonical units concatenated
    unit_starts: np.ndarray  # unit → offset in canon
    gram_keys: np.ndarray  # sorted distinct gram hashes
    gram_places: np.ndarray  # len(gram_keys) × MAX_PLACES offsets in canon (_NONE padding)
    gram_place0: np.ndarray  # the first of gram_places (contiguous)
    gram_count: np.ndarray  # number of places of each gram in the draft
    gram_wild: np.ndarray  # bool: the gram occurs in more than MAX_PLACES places
    table: np.ndarray  # open-addressing-free direct table: high bits of a hash → 1 + row in gram_keys (0: none)
    table_shift: np.uint64
    token_starts: list[int]  # kept tokens of the draft in canonical offsets, sorted by start
    token_ends: list[int]
    token_words: list[str]
    unit_offsets: list[list[int]]  # unit → for each canonical character, its offset in the unit's text
    token_start_array: np.ndarray  # token_starts, token_ends as arrays
    token_end_array: np.ndarray
    token_ids: np.ndarray  # token → its word's id in word_ids
    word_ids: dict[str, int]  # the distinct words of the tokens

    def unit_of(self, offset: int) -> int:
        return int(np.searchsorted(self.unit_starts, offset, side="right") - 1)

    def draft_text(self, q: CanonicalQuote) -> str:
        """The draft passage a quotation matches, as the draft writes it."""
        base = int(self.unit_starts[q.unit])
        offsets = self.unit_offsets[q.unit]
        if q.draft_end <= q.draft_start or not offsets:
            return ""
        lo = offsets[min(len(offsets) - 1, q.draft_start - base)]
        hi = offsets[min(len(offsets) - 1, q.draft_end - 1 - base)] + 1
        return self.texts[q.unit][lo:hi]

    def quoted_tokens(self, quotes: Sequence[CanonicalQuote]) -> list[str]:
        """The draft's tokens that lie wholly inside the draft passages the quotations match."""
        out: list[str] = []
        for q in quotes:
            i = bisect.bisect_left(self.token_starts, q.draft_start)
            while i < len(self.token_starts) and self.token_starts[i] < q.draft_end:
                if self.token_ends[i] <= q.draft_end:
                    out.append(self.token_words[i])
                i += 1
        return out


def _units(draft: Draft) -> tuple[list[str | None], list[str]]:
    keys: list[str | None] = [None]
    texts = [f"{draft.title}。{draft.preamble}"]
    for clause in draft.walk():
        if clause.heading or clause.body:
            keys.append(clause.key)
            texts.append(f"{clause.heading}。{clause.body}" if clause.body else clause.heading)
    return keys, texts


def _canonical_tokens(text: str, tokenizer: Tokenizer) -> list[tuple[int, int, str]]:
    """Kept tokens of ``text`` with their offsets in ``canonical(text)``."""
    from .normalize import normalize_light

    norm = normalize_light(text)
    alnum_before = np.concatenate(([0], np.cumsum([ch.isalnum() and ch != "_" for ch in norm])))
    out = []
    offset = 0
    kept = tokenizer.tokenize
    for raw in tokenizer._jieba.lcut(norm):
        start, end = offset, offset + len(raw)
        offset = end
        words = kept(raw)
        if len(words) == 1:
            out.append((int(alnum_before[start]), int(alnum_before[end]), words[0]))
    return out


_CACHE: OrderedDict[tuple[Any, ...], DraftIndex] = OrderedDict()


def draft_index(draft: Draft, tokenizer: Tokenizer | None = None) -> DraftIndex:
    """The draft's quotation index, built once per draft text (and tokenizer) and cached."""
    from .terms import tokenizer_for_draft

    tokenizer = tokenizer or tokenizer_for_draft(draft)
    keys, texts = _units(draft)
    fingerprint = (tuple(keys), tuple(texts), tokenizer.user_terms)
    cached = _CACHE.get(fingerprint)
    if cached is not None:
        _CACHE.move_to_end(fingerprint)
        return cached
    mapped = [canonical_offsets(t) for t in texts]
    canons = [c for c, _ in mapped]
    lengths = np.array([len(c) for c in canons], dtype=np.int64)
    unit_starts = np.cumsum(lengths) - lengths
    hashes, doc, pos = gram_hashes(canons)
    places = unit_starts[doc] + pos
    order = np.lexsort((places, hashes))
    hashes, places = hashes[order], places[order]
    keys_u, first, counts = np.unique(hashes, return_index=True, return_counts=True)
    table = np.full((len(keys_u), MAX_PLACES), _NONE, dtype=np.int64)
    for j in range(MAX_PLACES):
        has = counts > j
        table[has, j] = places[first[has] + j]
    tokens = []
    for u, text in enumerate(texts):
        tokens += [(s + int(unit_starts[u]), e + int(unit_starts[u]), w) for s, e, w in _canonical_tokens(text, tokenizer)]
    tokens.sort()
    bits = max(12, int(np.ceil(np.log2(max(1, len(keys_u))))) + 4)  # ~16 slots per gram: collisions are rare
    shift = np.uint64(64 - bits)
    slots = (keys_u >> shift).astype(np.int64)
    direct = np.zeros(1 << bits, dtype=np.int32)
    direct[slots] = np.arange(1, len(keys_u) + 1, dtype=np.int32)
    taken = np.bincount(slots, minlength=1 << bits)
    direct[taken > 1] = -1  # shared slot: those grams are looked up by binary search
    starts, ends, words = [t[0] for t in tokens], [t[1] for t in tokens], [t[2] for t in tokens]
    word_ids = {w: i for i, w in enumerate(dict.fromkeys(words))}
    index = DraftIndex(keys, texts, "".join(canons), unit_starts, keys_u, table, table[:, 0].copy(), counts,
                       counts > MAX_PLACES, direct, shift, starts, ends, words, [o for _, o in mapped],
                       np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64),
                       np.array([word_ids[w] for w in words], dtype=np.int64), word_ids)
    _CACHE[fingerprint] = index
    if len(_CACHE) > 8:
        _CACHE.popitem(last=False)
    return index


class _Hits(NamedTuple):
    """Grams of a block of comments found in the draft, sorted by comment, then position."""

    doc: np.ndarray  # comment of each hit
    pos: np.ndarray  # position of the gram in the comment's canonical text
    rows: np.ndarray  # row of the gram in DraftIndex.gram_keys
    off0: np.ndarray  # first place of the gram in the draft minus pos (the comment-to-draft offset)
    multi: np.ndarray  # the gram has several places


def _aligned(hits: _Hits, index: DraftIndex, a: np.ndarray | slice, b: np.ndarray | slice) -> np.ndarray:
    """Whether hits ``a`` and ``b`` (index arrays, or slices of one length) continue the same place in the draft.

    Compared as ``places - pos`` rows of ``MAX_PLACES`` offsets: some pair of places' offsets within ``MAX_SHIFT``
    (the rows' padding never agrees: two hits of grams found at two places of the draft do not continue each other
    because they are near in the comment). Most grams have one place: those pairs compare one offset each; the
    full comparison runs only for the few pairs with a gram found in several places."""
    off0, pos, multi = hits.off0, hits.pos, hits.multi
    out = np.abs(off0[b] - off0[a]) <= MAX_SHIFT
    other = np.flatnonzero(~out)
    if len(other):
        sa = other + a.start if isinstance(a, slice) else a[other]
        sb = other + b.start if isinstance(b, slice) else b[other]
        near = np.zeros(len(other), dtype=bool)
        rest = np.flatnonzero(multi[sa] | multi[sb])
        if len(rest):
            sa, sb = sa[rest], sb[rest]
            places_a, places_b = index.gram_places[hits.rows[sa]], index.gram_places[hits.rows[sb]]
            agree = np.abs((places_b - pos[sb, None])[:, :, None] - (places_a - pos[sa, None])[:, None, :]) <= MAX_SHIFT
            real = (places_b != _NONE)[:, :, None] & (places_a != _NONE)[:, None, :]
            near[rest] = (agree & real).any(axis=(1, 2))
        out[other] = near
    return np.asarray(out, dtype=bool)


class _Found(NamedTuple):
    """Quotations of a block of comments as arrays, sorted by comment, then start (see :class:`CanonicalQuote`)."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray
    unit: np.ndarray
    draft_start: np.ndarray
    draft_end: np.ndarray


def _chains(hits: _Hits, index: DraftIndex, codes: np.ndarray | None = None,
            lengths: np.ndarray | None = None) -> _Found:
    """Quotations from the hits of one block (``codes``, ``lengths``: the block's canonical texts joined, as
    :func:`_hits` took them; without them a voted chain is not extended, see below).

    A hit of a gram found in more than ``MAX_PLACES`` places (``wild``) continues any chain; the hits around it
    must still agree with each other. A chain's place in the draft comes from its first and last hits of a gram
    found once in the draft, else not wild, else any; when their first places are more than ``MAX_SHIFT`` apart,
    from the place most of its hits agree on (:func:`_voted_place`), and the quotation then runs from the first hit
    agreeing with that place to the last one, extended over the characters that still match the draft there (see
    :func:`_extend`): a hit of another place at an end of the chain is the comment's own words spelling a gram
    found elsewhere (小微跨境电商企业 + the comment's 建议 = 境电商企业建, a gram of 3.1.2), not quoted text."""
    doc, pos = hits.doc, hits.pos
    n = len(doc)
    if n == 0:
        empty = np.empty(0, dtype=np.int64)
        return _Found(empty, empty, empty, empty, empty, empty)
    wild = index.gram_wild[hits.rows]
    gap = pos[1:] - pos[:-1]
    link = (doc[1:] == doc[:-1]) & (gap <= GRAM + MAX_GAP)
    # A wild hit continues a chain only where the text runs on without a break (跨境电商 right after the last
    # hit); across an edit the hits on both sides must agree on the place in the draft. Most neighbours continue
    # the same place exactly (the same offset): only the others go through _aligned.
    undecided = link & (np.abs(hits.off0[1:] - hits.off0[:-1]) > MAX_SHIFT)
    undecided &= ~((wild[:-1] | wild[1:]) & (gap == 1))
    pairs = np.flatnonzero(undecided)
    link[pairs] = _aligned(hits, index, pairs, pairs + 1)
    chain_start = np.concatenate(([True], ~link))
    # Consecutive hits that are not wild must agree too (across the wild ones between them: next neighbours
    # were compared above).
    definite = np.flatnonzero(~wild)
    if len(definite) > 1:
        chain_id = np.cumsum(chain_start)
        a, b = definite[:-1], definite[1:]
        apart = np.flatnonzero((b - a > 1) & (chain_id[a] == chain_id[b]))
        a, b = a[apart], b[apart]
        chain_start[b[~_aligned(hits, index, a, b)]] = True
    starts = np.flatnonzero(chain_start)
    ends = np.concatenate((starts[1:], [n])) - 1  # last hit of each chain
    c_start = pos[starts]
    c_end = pos[ends] + GRAM
    length = c_end - c_start
    # Characters covered by the chain's grams: GRAM for the first, then what each next hit adds.
    running = np.zeros(n, dtype=np.int64)
    np.cumsum(np.minimum(gap, GRAM), out=running[1:])
    covered = running[ends] - running[starts] + GRAM
    good = np.flatnonzero((length >= MIN_QUOTE) & (covered >= MIN_COVERED * length))
    starts, ends, c_start, c_end = starts[good], ends[good], c_start[good], c_end[good]
    # Per chain, its first (and last) hit of the best kind: found once in the draft, else not wild, else any.
    first, last = starts, ends
    for best in (definite, np.flatnonzero(~hits.multi)):  # (a gram found once is never wild)
        if not len(best):
            continue
        at = np.searchsorted(best, starts)
        found = best[np.minimum(at, len(best) - 1)]
        first = np.where((at < len(best)) & (found <= ends), found, first)
        at = np.searchsorted(best, ends, side="right") - 1
        found = best[np.maximum(at, 0)]
        last = np.where((at >= 0) & (found >= starts), found, last)
    # The passage in the draft: from the first hit's place to the last hit's (an edit may shift them). When those
    # are two places (a gram found elsewhere in the draft too, hits that agree only through a gram's other place),
    # from the place most of the chain's hits agree on.
    off_first, off_last = hits.off0[first], hits.off0[last]
    mixed = np.flatnonzero(np.abs(off_last - off_first) > MAX_SHIFT)
    if len(mixed):
        off_first[mixed], off_last[mixed], hit_first, hit_last = _voted_place(
            hits, index, starts[mixed], ends[mixed], c_end[mixed] - c_start[mixed])
        c_start[mixed], c_end[mixed] = pos[hit_first], pos[hit_last] + GRAM
        covered = running[hit_last] - running[hit_first] + GRAM - (c_end[mixed] - c_start[mixed])
        if codes is not None and lengths is not None:
            _extend(codes, lengths, index, doc[starts[mixed]], mixed, c_start, c_end, off_first, off_last)
        length = c_end[mixed] - c_start[mixed]
        covered += length  # the characters an extension adds match the draft
        short = mixed[(length < MIN_QUOTE) | (covered < MIN_COVERED * length)]
        if len(short):
            keep = np.ones(len(starts), dtype=bool)
            keep[short] = False
            starts, c_start, c_end, off_first, off_last = (
                starts[keep], c_start[keep], c_end[keep], off_first[keep], off_last[keep])
    d_start, d_end = c_start + off_first, c_end + off_last
    unit = np.searchsorted(index.unit_starts, np.maximum(0, (d_start + d_end) // 2), side="right") - 1
    bounds = np.append(index.unit_starts, len(index.canon))
    d_start = np.maximum(d_start, bounds[unit])
    d_end = np.minimum(d_end, bounds[unit + 1])
    return _Found(doc[starts], c_start, c_end, unit, d_start, d_end)


def _voted_place(hits: _Hits, index: DraftIndex, starts: np.ndarray, ends: np.ndarray,
                 length: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(Offset of the first hit, of the last hit, the first hit, the last hit) of chains of hits
    ``starts[i]..ends[i]`` at the place of the draft most of their hits agree on.

    Every place of every hit not wild (of every hit in a chain of wild hits only) votes for the places within
    ``MAX_SHIFT`` of it; the place with most votes wins (the first in the draft on a tie). The chain's first and last
    hits with a place within ``(length - 1) // 2`` of it are the hits returned, and give the offsets (the place of
    theirs nearest to it), so the passage in the draft is never empty."""
    counts = ends - starts + 1
    chain = np.repeat(np.arange(len(starts)), counts)
    member = starts[chain] + np.arange(len(chain)) - np.repeat(np.cumsum(counts) - counts, counts)
    places = index.gram_places[hits.rows[member]]
    wild = index.gram_wild[hits.rows[member]]
    definite = np.bincount(chain, weights=~wild, minlength=len(starts)) > 0
    entry = np.flatnonzero((places != _NONE).ravel())  # every place of every member
    e_hit, e_chain = entry // MAX_PLACES, chain[entry // MAX_PLACES]
    e_off = places.ravel()[entry] - hits.pos[member[e_hit]]
    lowest = int(e_off.min()) - MAX_SHIFT
    span = int(e_off.max()) - lowest + MAX_SHIFT + 1
    key = e_chain * span + (e_off - lowest)
    voters = np.flatnonzero(~wild[e_hit] | ~definite[e_chain])
    ballots = np.sort(key[voters])
    votes = (np.searchsorted(ballots, key[voters] + MAX_SHIFT, side="right")
             - np.searchsorted(ballots, key[voters] - MAX_SHIFT))
    # Per chain, its voter with most votes (lowest offset on a tie).
    order = np.lexsort((e_off[voters], -votes, e_chain[voters]))
    head = np.flatnonzero(np.diff(e_chain[voters][order], prepend=-1))
    anchor = np.empty(len(starts), dtype=np.int64)
    anchor[e_chain[voters][order[head]]] = e_off[voters][order[head]]
    distance = np.abs(e_off - anchor[e_chain])
    near = np.flatnonzero(distance <= (length[e_chain] - 1) // 2)
    out = []
    for hit_order in (e_hit[near], -e_hit[near]):  # the first agreeing hit, then the last
        order = np.lexsort((distance[near], hit_order, e_chain[near]))
        head = np.flatnonzero(np.diff(e_chain[near][order], prepend=-1))
        got, hit = np.empty(len(starts), dtype=np.int64), np.empty(len(starts), dtype=np.int64)
        got[e_chain[near][order[head]]] = e_off[near][order[head]]
        hit[e_chain[near][order[head]]] = member[e_hit[near][order[head]]]
        out += [got, hit]
    return out[0], out[2], out[1], out[3]


def _extend(codes: np.ndarray, lengths: np.ndarray, index: DraftIndex, docs: np.ndarray, chains: np.ndarray,
            c_start: np.ndarray, c_end: np.ndarray, off_first: np.ndarray, off_last: np.ndarray) -> None:
    """Extend the comment spans ``c_start[chains]``, ``c_end[chains]`` (in place) over the characters before and
    after them that are the draft's at their place (offsets ``off_first`` / ``off_last``), never past the text or
    the draft's unit: a chain trimmed to its agreeing hits may end inside quoted text whose next grams are wild
    ones, found in too many places to agree with any (跨境电商企业, 各区人民政府及滨海新区各功能区管委会)."""
    text_start = (np.cumsum(lengths) - lengths).tolist()
    text_len = lengths.tolist()
    canon, units = index.canon, index.unit_starts
    for d, c in zip(docs.tolist(), chains.tolist()):
        base, size = text_start[d], text_len[d]
        a, b = int(c_start[c]), int(c_end[c])
        lo, hi = a + int(off_first[c]), b + int(off_last[c])
        unit = int(np.searchsorted(units, lo, side="right")) - 1
        first = int(units[unit])
        last = int(units[unit + 1]) if unit + 1 < len(units) else len(canon)
        k = 0
        while a - k > 0 and lo - k > first and int(codes[base + a - k - 1]) == ord(canon[lo - k - 1]):
            k += 1
        c_start[c] = a - k
        k = 0
        while b + k < size and hi + k < last and int(codes[base + b + k]) == ord(canon[hi + k]):
            k += 1
        c_end[c] = b + k


def _blocks(canon_texts: Sequence[str], index: DraftIndex) -> Iterator[tuple[int, np.ndarray, np.ndarray, _Found]]:
    """Per block of texts (bounded memory at a million comments): (its first text, the canonical texts' lengths,
    their code points joined, their quotations with block-local ``doc``)."""
    lengths = np.fromiter(map(len, canon_texts), dtype=np.int64, count=len(canon_texts))
    cum = np.cumsum(np.maximum(lengths - (GRAM - 1), 0))
    start = 0
    while start < len(canon_texts):
        before = cum[start - 1] if start else 0
        end = max(start + 1, int(np.searchsorted(cum, before + _BLOCK)))
        block = lengths[start:end]
        codes = np.frombuffer("".join(canon_texts[start:end]).encode("utf-32-le"), dtype=np.uint32)
        yield start, block, codes, _chains(_hits(codes, block, index), index, codes, block)
        start = end


def _hits(codes: np.ndarray, lengths: np.ndarray, index: DraftIndex) -> _Hits:
    """Every gram of the texts (``codes`` joined, of ``lengths``) found in the draft."""
    empty = np.empty(0, dtype=np.int64)
    if len(codes) < GRAM or not len(index.gram_keys):
        return _Hits(empty, empty, empty, empty, empty.astype(bool))
    # Hashes of every window of the joined text, looked up in the direct table (a shared slot: binary search).
    h = _hash_windows(codes.astype(np.uint64))
    slot = index.table[(h >> index.table_shift).view(np.int64)]  # (below 2**bits: the same numbers)
    # Windows that run into the next text (the last GRAM - 1 starts of each text) are no grams: dropped here.
    text_end = np.cumsum(lengths)
    across = (text_end[:, None] - np.arange(1, GRAM)).ravel()
    slot[across[(across >= 0) & (across < len(slot))]] = 0
    at = np.flatnonzero(slot)
    row = slot[at].astype(np.int64) - 1
    shared = np.flatnonzero(row == -2)
    if len(shared):
        row[shared] = np.minimum(np.searchsorted(index.gram_keys, h[at[shared]]), len(index.gram_keys) - 1)
    match = index.gram_keys[row] == h[at]
    at, rows = at[match], row[match]
    doc = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)[at].astype(np.int64)
    pos = at - (text_end - lengths)[doc]
    count = index.gram_count[rows]
    return _Hits(doc, pos, rows, index.gram_place0[rows] - pos, count > 1)


def find_canonical_quotes(canon_texts: Sequence[str], index: DraftIndex) -> list[list[CanonicalQuote]]:
    """Quotations in every canonical text (vectorised over all texts; bounded memory per block)."""
    out: list[list[CanonicalQuote]] = [[] for _ in canon_texts]
    with paused_gc():
        for start, _, _, found in _blocks(canon_texts, index):
            quotes = list(map(CanonicalQuote._make, zip(found.start.tolist(), found.end.tolist(),
                                                         found.unit.tolist(), found.draft_start.tolist(),
                                                         found.draft_end.tolist())))
            at = np.flatnonzero(np.diff(found.doc, prepend=-1))  # each text's first quotation
            bounds = np.append(at, len(quotes)).tolist()
            for d, lo, hi in zip(found.doc[at].tolist(), bounds, bounds[1:]):
                out[start + d] = quotes[lo:hi]
    return out


def strip_quotes(canon: str, quotes: Sequence[CanonicalQuote]) -> str:
    """The canonical text without its quotations."""
    if not quotes:
        return canon
    parts, at = [], 0
    for q in sorted(quotes, key=lambda q: q.start):
        parts.append(canon[at:q.start])
        at = max(at, q.end)
    parts.append(canon[at:])
    return "".join(parts)


@overload
def without_quotations(canon_texts: Sequence[str], tokens: Sequence[list[str]], index: DraftIndex, *,
                       token_lists: Literal[True] = ...) -> tuple[list[str], list[list[str]], np.ndarray]: ...


@overload
def without_quotations(canon_texts: Sequence[str], tokens: Sequence[list[str]], index: DraftIndex, *,
                       token_lists: Literal[False]) -> tuple[list[str], OpinionTokens, np.ndarray]: ...


def without_quotations(canon_texts: Sequence[str], tokens: Sequence[list[str]], index: DraftIndex, *,
                       token_lists: bool = True) -> tuple[list[str], Sequence[list[str]], np.ndarray]:
    """For every comment at once: (its canonical text without its quotations, its tokens without the draft's
    tokens those quotations hold, whether it quotes the draft).

    ``token_lists=False``: the tokens come as an :class:`OpinionTokens` (the same lists, made when asked) instead
    of a new list per quoting comment: a quarter of the memory where most comments quote the draft.

    The result of :func:`find_canonical_quotes`, then per comment :func:`strip_quotes` and
    :func:`without_quoted_tokens` of :meth:`DraftIndex.quoted_tokens`; a comment that is nothing but quotations
    keeps its canonical text and tokens (it still says which clause it is about), and tokens nothing would be
    left of are kept too. Vectorised over all comments: the quotations are cut out of the joined canonical texts
    with a coverage mask, and tokens are matched to the quoted ones by word id and rank within the comment."""
    with paused_gc():
        return _without_quotations(canon_texts, tokens, index, token_lists)


def _without_quotations(canon_texts: Sequence[str], tokens: Sequence[list[str]], index: DraftIndex,
                        token_lists: bool) -> tuple[list[str], Sequence[list[str]], np.ndarray]:
    opinion_canon = list(canon_texts)
    opinion_tokens = list(tokens) if token_lists else None
    kept_tokens: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    has_quotes = np.zeros(len(canon_texts), dtype=bool)
    for start, lengths, codes, found in _blocks(canon_texts, index):
        if not len(found.doc):
            continue
        has_quotes[start + found.doc] = True
        text_start = np.cumsum(lengths) - lengths
        # Characters inside some quotation: coverage count > 0 (quotations may overlap).
        cover = (np.bincount(text_start[found.doc] + found.start, minlength=len(codes) + 1)
                 - np.bincount(text_start[found.doc] + found.end, minlength=len(codes) + 1))
        kept = np.cumsum(cover[:-1]) == 0
        kept_before = np.concatenate(([0], np.cumsum(kept)))
        left = kept_before[text_start + lengths] - kept_before[text_start]
        stripped = codes[kept].tobytes().decode("utf-32-le")
        docs = found.doc[np.flatnonzero(np.diff(found.doc, prepend=-1))]  # found.doc is sorted
        docs = docs[left[docs] > 0]  # nothing but quotations: unchanged
        at = kept_before[text_start]
        for d, lo, hi in zip(docs.tolist(), at[docs].tolist(), (at[docs] + left[docs]).tolist()):
            opinion_canon[start + d] = stripped[lo:hi]
        stripping = _strip_tokens(tokens, start, docs, found, index)
        if stripping is None:
            continue
        if opinion_tokens is None:
            kept_tokens.append(stripping)
            continue
        changed, sizes, keep = stripping
        remaining = list(compress(chain.from_iterable([tokens[d] for d in changed.tolist()]), keep.tolist()))
        bounds = np.concatenate(([0], np.cumsum(np.add.reduceat(keep, np.cumsum(sizes) - sizes, dtype=np.int64))))
        for d, a, b in zip(changed.tolist(), bounds[:-1].tolist(), bounds[1:].tolist()):
            opinion_tokens[d] = remaining[a:b]
    if opinion_tokens is None:
        return opinion_canon, OpinionTokens.of(tokens, kept_tokens), has_quotes
    return opinion_canon, opinion_tokens, has_quotes


#: Comments per block in :meth:`OpinionTokens.kept`.
_KEPT_BLOCK = 20_000


class OpinionTokens(Sequence[list[str]]):
    """The comments' tokens without the draft's tokens their quotations hold (what :func:`without_quotations`
    gives with ``token_lists=False``), each list made when asked from the tokens as given and one byte per token
    of the comments that lose some (whether it stays): the new lists held 4x the memory (26.5 MB against 6.6 MB for
    the 100k comments of bench/analysis_scale.py, 93 % of which lose some tokens; 265 MB against 66 MB at 1M), and
    making them cost a fifth of :func:`without_quotations` at 1M (43 s CPU against 34 s)."""

    def __init__(self, tokens: Sequence[list[str]], changed: np.ndarray, bounds: np.ndarray, keep: np.ndarray):
        self.tokens = tokens
        self._slot = np.full(len(tokens), -1, dtype=np.int32)  # comment → its row in bounds (-1: as given)
        self._slot[changed] = np.arange(len(changed), dtype=np.int32)
        self._bounds, self._keep = bounds, keep

    @classmethod
    def of(cls, tokens: Sequence[list[str]], parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> OpinionTokens:
        changed = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        sizes = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        keep = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=bool)
        return cls(tokens, changed, np.concatenate(([0], np.cumsum(sizes))), keep)

    def __len__(self) -> int:
        return len(self.tokens)

    @overload
    def __getitem__(self, i: int) -> list[str]: ...

    @overload
    def __getitem__(self, i: slice) -> list[list[str]]: ...

    def __getitem__(self, i: int | slice) -> list[str] | list[list[str]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        row = int(self._slot[i])
        if row < 0:
            return self.tokens[i]
        return list(compress(self.tokens[i], self._keep[self._bounds[row]:self._bounds[row + 1]].tolist()))

    def __iter__(self) -> Iterator[list[str]]:
        return map(self.__getitem__, range(len(self)))

    def lengths(self) -> np.ndarray:
        """The number of tokens of each comment's list (without making the lists)."""
        out = np.fromiter(map(len, self.tokens), dtype=np.int64, count=len(self.tokens))
        rows = np.flatnonzero(self._slot >= 0)
        kept = np.add.reduceat(self._keep, self._bounds[:-1], dtype=np.int64) if len(self._keep) else out[:0]
        out[rows] = kept[self._slot[rows]]
        return out

    def kept(self, rows: Sequence[int]) -> np.ndarray:
        """Whether each token of the given comments' lists as given (``tokens[r]`` for ``r`` in ``rows``, one after
        the other) stays: a consumer that maps the tokens as given to ids (a term count) can drop the others
        with this mask instead of having the lists made."""
        which = np.asarray(rows, dtype=np.int64)
        sizes = np.fromiter(map(len, map(self.tokens.__getitem__, which.tolist())), dtype=np.int64, count=len(which))
        out = np.ones(int(sizes.sum()), dtype=bool)
        begin = np.cumsum(sizes) - sizes
        slot = self._slot[which]
        changed = np.flatnonzero(slot >= 0)
        # A block of comments at a time: index arrays over every token of a million comments held ~1 GB.
        for s in range(0, len(changed), _KEPT_BLOCK):
            part = changed[s:s + _KEPT_BLOCK]
            starts = self._bounds[slot[part]]
            lengths = sizes[part]
            offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            out[np.repeat(begin[part], lengths) + offsets] = self._keep[np.repeat(starts, lengths) + offsets]
        return out

    def nbytes(self) -> int:
        """Memory held besides the tokens as given."""
        return int(self._slot.nbytes + self._bounds.nbytes + self._keep.nbytes)


def _strip_tokens(tokens: Sequence[list[str]], start: int, docs: np.ndarray, found: _Found,
                  index: DraftIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """What goes from ``tokens[start + d]`` for ``d`` in ``docs``: the draft's tokens of the passages quoted in it,
    as :func:`without_quoted_tokens` removes them (one occurrence per quoted token, the first ones), unless nothing
    would be left: (the comments that lose some, their number of tokens, whether each of their tokens stays), or
    None when none does.

    Tokens are compared as word ids of the draft's vocabulary, grouped in runs of one word in one comment: an
    occurrence goes when its rank in its run is below the number of that word the comment's quotations hold."""
    if not len(docs) or not len(index.token_ids):
        return None
    # The draft's tokens of each quotation: those starting in the passage and ending in it (sorted by start).
    listed = np.zeros(int(found.doc[-1]) + 1, dtype=bool)  # found.doc is sorted
    listed[docs] = True
    quote = np.flatnonzero(listed[found.doc])
    d_start, d_end = found.draft_start[quote], found.draft_end[quote]
    lo = np.searchsorted(index.token_start_array, d_start, side="left")
    span = np.maximum(np.searchsorted(index.token_start_array, d_end, side="left") - lo, 0)
    draft_token = np.repeat(lo - (np.cumsum(span) - span), span) + np.arange(int(span.sum()))
    inside = index.token_end_array[draft_token] <= np.repeat(d_end, span)
    owner_of = np.zeros(int(docs[-1]) + 1, dtype=np.int64)
    owner_of[docs] = np.arange(len(docs))
    _, _, quoted_keys, quoted_starts = _runs(index.token_ids[draft_token[inside]],
                                             np.repeat(owner_of[found.doc[quote]], span)[inside], len(docs))
    if not len(quoted_keys):
        return None
    quoted_counts = np.diff(np.append(quoted_starts, int(inside.sum())))
    # The comments' tokens as word ids (-1: a word the draft does not have, never quoted).
    lists = [tokens[start + d] for d in docs.tolist()]
    sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    n_tokens = int(sizes.sum())
    word = np.fromiter(map(index.word_ids.get, chain.from_iterable(lists), repeat(-1)), dtype=np.int64,
                       count=n_tokens)
    owner = np.repeat(np.arange(len(docs)), sizes)
    known = np.flatnonzero(word >= 0)
    order, run, keys, starts = _runs(word[known], owner[known], len(docs))
    at = np.minimum(np.searchsorted(quoted_keys, keys), len(quoted_keys) - 1)
    quoted = np.where(quoted_keys[at] == keys, quoted_counts[at], 0)
    removed = np.zeros(n_tokens, dtype=bool)
    removed[known[order[np.arange(len(order)) - starts[run] < quoted[run]]]] = True
    left = sizes - np.bincount(owner[removed], minlength=len(docs))
    change = np.flatnonzero((left < sizes) & (left > 0))
    if not len(change):
        return None
    changed = np.zeros(len(docs), dtype=bool)
    changed[change] = True
    return start + docs[change], sizes[change], ~removed[np.repeat(changed, sizes)]


def _runs(word: np.ndarray, owner: np.ndarray, owners: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                     np.ndarray]:
    """(word, owner) pairs given in owner order, sorted by word stably, so by (word, owner, given order): (the
    order, the run of equal pairs of each sorted pair, each run's key word × owners + owner, each run's start)."""
    small = np.int16 if len(word) and word.max() < (1 << 15) else np.int64  # 16 bits: a radix sort
    order = np.argsort(word.astype(small), kind="stable")
    key = word[order] * owners + owner[order]
    new = np.concatenate(([True], key[1:] != key[:-1])) if len(key) else np.zeros(0, dtype=bool)
    starts = np.flatnonzero(new)
    return order, np.cumsum(new) - 1, key[starts], starts


def without_quoted_tokens(tokens: list[str], quoted: Sequence[str]) -> list[str]:
    """``tokens`` with one occurrence removed per quoted token (tokens the quotation does not hold stay)."""
    if not quoted:
        return tokens
    remaining = Counter(quoted)
    out = []
    for t in tokens:
        n = remaining.get(t)
        if n:
            remaining[t] = n - 1
        else:
            out.append(t)
    return out


_ALNUM = re.compile(r"[^\W_]")


_ALNUM_RUN = re.compile(r"[^\W_]+")


def canonical_offsets(text: str) -> tuple[str, list[int]]:
    """(canonical text, for each of its characters the offset of the character of ``text`` it came from).

    When neither NFKC nor the traditional → simplified conversion changes the text, the canonical text is its
    letters and digits in lower case and the offsets come from the runs of them; otherwise the text is converted
    one character at a time (when that differs in length from :func:`canonical` of the whole text — a character
    whose conversion depends on its neighbours — the offsets are spread in proportion)."""
    from .normalize import _NEEDS_NFKC, _traditional

    if not _NEEDS_NFKC.search(text) and not _traditional().search(text):
        offsets: list[int] = []
        for m in _ALNUM_RUN.finditer(text):
            offsets.extend(range(m.start(), m.end()))
        return canonical(text), offsets
    chars, offsets = [], []
    convert = _to_simplified().convert
    for i, ch in enumerate(text):
        for c in convert(unicodedata.normalize("NFKC", ch)).lower():
            if _ALNUM.match(c):
                chars.append(c)
                offsets.append(i)
    whole = canonical(text)
    if len("".join(chars)) == len(whole):
        return whole, offsets
    ratio = len(offsets) / max(1, len(whole))
    return whole, [offsets[min(len(offsets) - 1, int(i * ratio))] for i in range(len(whole))]


def _char_offsets(texts: Sequence[str], doc: np.ndarray, pos: np.ndarray) -> list[int]:
    """For each (``doc``, ``pos``): the offset in ``texts[doc]`` of the character its canonical character ``pos``
    came from, as :func:`canonical_offsets` gives it, without making every text's list of offsets.

    A text without a character NFKC, t2s or lower case treats specially (see
    :func:`analysis.normalize.canonical_many`) has one canonical character per letter or digit: the offset is that
    of its ``pos``-th letter or digit, found in one pass over the joined texts. The others (rare) go through
    :func:`canonical_offsets`."""
    from .normalize import _KEEP, _LETTER, _SLOW, _code_point_tables

    _, flags = _code_point_tables()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.cumsum(lengths) - lengths
    text_flags = flags[np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)]
    letters = np.flatnonzero(text_flags & _LETTER)
    first_letter = np.searchsorted(letters, starts)
    # A character the tables do not settle, or whose lower case is a letter and it is not (or the reverse).
    odd_chars = np.flatnonzero((text_flags & _SLOW) | ((text_flags & _KEEP) ^ ((text_flags & _LETTER) >> 2)))
    odd = np.zeros(len(texts), dtype=bool)
    odd[np.searchsorted(starts + lengths, odd_chars, side="right")] = True
    out = np.zeros(len(doc), dtype=np.int64)
    fast = np.flatnonzero(~odd[doc])
    out[fast] = letters[first_letter[doc[fast]] + pos[fast]] - starts[doc[fast]]
    result = out.tolist()
    slow = np.flatnonzero(odd[doc]).tolist()
    offsets = {d: canonical_offsets(texts[d])[1] for d in set(doc[slow].tolist())}
    for i, d, p in zip(slow, doc[slow].tolist(), pos[slow].tolist()):
        result[i] = offsets[d][p]
    return result


def find_quotations(text: str, draft: Draft, *, tokenizer: Tokenizer | None = None) -> list[Quotation]:
    """Quotations of the draft in one comment, with spans in the comment as written (for greying them out)."""
    if not text:
        return []
    index = draft_index(draft, tokenizer)
    canon, offsets = canonical_offsets(text)
    return to_quotations(text, offsets, find_canonical_quotes([canon], index)[0], index)


def find_quotations_many(texts: Sequence[str], draft: Draft, *,
                          tokenizer: Tokenizer | None = None) -> list[list[Quotation]]:
    """:func:`find_quotations` for many comments in one vectorised pass (the portal records them per comment)."""
    return quotations_many(texts, draft_index(draft, tokenizer))


def quotations_many(texts: Sequence[str | None], index: DraftIndex | None) -> list[list[Quotation]]:
    """The quotations of several texts against an index already built, in one vectorised pass per run of texts
    (bounded memory at a million comments): the same as :func:`to_quotations` of :func:`canonical_offsets` of each
    text, but only the offsets of the quotations' first and last characters are looked up."""
    out: list[list[Quotation]] = [[] for _ in texts]
    if index is None:
        return out
    passages: dict[tuple[int, int, int], str] = {}  # the draft passage of each (unit, start, end), made once
    with paused_gc():
        plain = [t or "" for t in texts]
        for start, end in chunks(plain):
            part = plain[start:end]
            found = find_canonical_quotes(canonical_many(part), index)
            quoted = [(d, q) for d, quotes in enumerate(found) for q in quotes]
            if not quoted:
                continue
            doc = np.array([d for d, _ in quoted], dtype=np.int64)
            first_last = np.array([q.start for _, q in quoted] + [q.end - 1 for _, q in quoted], dtype=np.int64)
            offsets = _char_offsets(part, np.concatenate((doc, doc)), first_last)
            for (d, q), a, b in zip(quoted, offsets, offsets[len(quoted):]):
                passage = passages.get(q[2:])
                if passage is None:
                    passage = passages[q[2:]] = index.draft_text(q)
                out[start + d].append(Quotation(index.keys[q.unit], a, b + 1, part[d][a:b + 1], passage))
    return out


def to_quotations(text: str, offsets: list[int], quotes: Sequence[CanonicalQuote], index: DraftIndex) -> list[Quotation]:
    out = []
    for q in quotes:
        start = offsets[q.start]
        end = offsets[q.end - 1] + 1
        out.append(Quotation(index.keys[q.unit], start, end, text[start:end], index.draft_text(q)))
    return out
