"""Boilerplate many comments share: a greeting, a self-introduction, a sign-off (learnt from the comments).

尊敬的天津市商务局电商处各位领导：您好！我是一名在天津从事跨境电商多年的从业者，… 以上意见仅代表个人观点，恳请领导们予以
考虑。 Wrapped around five different opinions, such a wrapper made them one campaign (most of each text was the same)
and pulled every comment that used it towards one cluster. It says nothing about the opinion, so, like a quotation of
the draft (:mod:`analysis.quotes`), it is left out of duplicate detection, clustering, keywords and labels.

What counts as boilerplate is learnt from the comments themselves, never from a list of phrases: a run of text that
several comments share at their START or END (a greeting, a self-introduction, a sign-off) while what they say in
between differs. Texts are compared in their canonical form (:func:`analysis.normalize.canonical`), as 6-character
grams hashed with NumPy for all comments at once. Learning looks at a seeded sample of ``LEARN_SAMPLE`` distinct
comments:

1. A gram is *shared* when at least ``MIN_DOCS`` comments hold it. A comment's prefix (suffix) run is the stretch
   from its start (to its end) covered by shared grams, when at least ``MIN_WRAP`` characters long. Its *own* text
   is what lies in neither run nor in a covered stretch of ``COPIED_RUN`` characters or more (a campaign copy has
   next to none: its other copies cover it between its edits; an opinion keeps the short phrases other opinions
   share as its own).
2. A comment *frames* its own text with its runs when that own text has at least ``MIN_OWN`` characters and either
   both runs exist (a wrapper around it; unless the gram joining the end of one to the start of the other is held
   by as many comments as that join frames: then the middle was inserted into copies) or the one run is at least
   ``MIN_ONE_SIDED`` characters and at most ``ONE_SIDED_RATIO`` times the own text. The ratio is the one guess this
   module makes: a text shared at one end only is ambiguous — a sign-off after different opinions, or a campaign
   template after different personal greetings — and the longer part is taken to be the message.
3. A shared gram is boilerplate when comments frame their own text with a run holding it — at least ``MIN_DOCS``
   around their text, or ``MIN_ONE_SIDED_DOCS`` in all — and those are at least ``MIN_SHARE`` of the comments with
   own text that hold it (where it sits in the middle of an opinion, or in a template a short greeting was added
   to, it votes against). A run stops voting where fewer than ``AS_COMMON`` of the comments holding its first gram
   hold the next (the opinions that follow a greeting may begin alike). Copies of a campaign (no own text) vote
   against once per fingerprint (their smallest gram: a campaign of 300 copies is one voice), and only when they
   are one campaign's (``COPIES_PER_VOICE`` or more per fingerprint): the copies of many campaigns that sit in one
   stock wrapper show it going on into many different texts. Such copies also vote FOR it, once per campaign: where
   a copy's runs stop being as common as they begin (``AS_COMMON``), a body of at least ``COPIED_RUN`` characters
   held by fewer texts is left, the campaign's own text, unless most of it is held as widely as the runs (a copy
   of a campaign whose copies were edited or shuffled) or its head and tail are one text elsewhere (a sentence
   inserted into copies); see :func:`_copies_around_bodies`.
4. Checked on every comment: a gram stays when at least ``MIN_EDGE_SHARE`` of all comments holding it hold it
   within ``MIN_OWN`` characters of their start or end (a sentence a few sampled comments happen to open with is,
   over all of them, mostly in the middle).

:func:`cut_boilerplate` then cuts every run of at least ``MIN_WRAP`` characters covered by boilerplate grams out of
each comment (a comment that would lose everything keeps its text), and :func:`without_passages` takes the tokens
of the cut passages out of a comment's tokens. Checking and cutting are one vectorised pass over all comments (every
6-character window hashed once and looked up in a bit table), O(n).

Known limits (strict xfails in tests/analysis/test_boilerplate.py and test_boilerplate_hostile.py): copies of a
campaign that replace the same phrase with different ones look like opinions in a wrapper, and leave the campaign;
the rules read only the shape of the texts, so a wrapper longer than every opinion after it (one-sided), opinions
under ``MIN_OWN`` characters in a wrapper no longer opinion shares, or two campaigns alone in one wrapper look like
one campaign, and a proposal several people open with before longer reasons looks like a greeting; a greeting
must be shared whole from the first character (variants one word apart are not learnt) and a sign-off must end
the comment (one followed by a company name and a date is not); one-sided runs under ``MIN_ONE_SIDED`` characters
(尊敬的各位领导您好) are never learnt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .quotes import OpinionTokens, _hash_windows, canonical_offsets, gram_hashes

#: Characters per gram.
GRAM = 6
#: A gram is shared by at least this many comments, and boilerplate when at least this many frame their own text
#: with it (two comments wrapped the same way are two opinions, not a campaign of two).
MIN_DOCS = 2
#: Shortest run of shared (or boilerplate) characters that counts as a wrapper, and is cut.
MIN_WRAP = 8
#: A comment's own text (between its runs) must hold this many characters for its runs to count as a wrapper.
MIN_OWN = 8
#: Covered runs at least this long are copied text (a campaign's template between two edits), not own text.
COPIED_RUN = 12
#: One-sided wrapper (only a prefix or only a suffix run): at most this many times the own text, at least this
#: many characters, and framing at least this many comments. A phrase that a few short comments end with
#: (…存在重大安全隐患 in 4 of 9,210 real titles) is one-sided too: wrappers around the text are surer evidence.
ONE_SIDED_RATIO = 1.0
MIN_ONE_SIDED = 10
MIN_ONE_SIDED_DOCS = 3
#: Of the comments holding a gram, at least this share must frame their own text with it.
MIN_SHARE = 0.4
#: A run stops being boilerplate where its grams are held by fewer than this share of the texts holding its first.
AS_COMMON = 0.5
#: Of all the texts holding a gram learnt from the sample, at least this share hold it at their start or end.
MIN_EDGE_SHARE = 0.8
_TABLE_BITS = 20
#: Copies holding a gram vote against it only when they are at least this many per fingerprint (one campaign's).
COPIES_PER_VOICE = 2.0
#: A campaign copy frames a body with its runs only when at most this share of the body's grams are held by as many
#: texts as the runs (common phrases such as 跨境电商企业 may be; the body of another campaign copy is mostly).
BODY_COMMON_SHARE = 0.2
_MARK_BLOCK = 20_000
#: Distinct comments the boilerplate is learnt from (a seeded sample of bigger consultations: a wrapper that one
#: comment in a thousand uses is in about 5 of them; real consultations have hundreds of comments, all looked at).
LEARN_SAMPLE = 5_000


@dataclass
class Boilerplate:
    """The consultation's boilerplate: the sorted hashes of its grams (see the module docstring)."""

    grams: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    def __bool__(self) -> bool:
        return bool(len(self.grams))


def learn_boilerplate(canon_texts: Sequence[str], random_state: int = 0) -> Boilerplate:
    """The boilerplate of a consultation's comments, given as canonical texts (see the module docstring)."""
    return cut_boilerplate(canon_texts, random_state)[0]


def cut_boilerplate(canon_texts: Sequence[str], random_state: int = 0
                    ) -> tuple[Boilerplate, list[str], dict[int, list[str]]]:
    """(the boilerplate of these canonical texts, each text without it, the passages cut from each text that lost
    some): :func:`learn_boilerplate` and :func:`strip_boilerplate` in one pass over the texts.

    The grams learnt from the sample are checked on every text: a gram stays boilerplate when at least
    ``MIN_EDGE_SHARE`` of the texts holding it hold it in a run at their start or end (within ``MIN_OWN``
    characters of it); a sentence of an opinion that a few texts of the sample happen to open with is, over all
    texts, mostly in the middle of them."""
    candidates = _candidates(canon_texts, random_state)
    if not len(candidates):
        return Boilerplate(), list(canon_texts), {}
    marks = _Marks(canon_texts, candidates)
    at_edge, held = marks.edge_counts()
    verified = (at_edge >= MIN_DOCS) & (at_edge >= MIN_EDGE_SHARE * held)
    boilerplate = Boilerplate(candidates[verified])
    if not boilerplate:
        return boilerplate, list(canon_texts), {}
    stripped, cut = marks.strip(verified)
    return boilerplate, stripped, cut


def _candidates(canon_texts: Sequence[str], random_state: int) -> np.ndarray:
    """The sorted hashes of the grams that are boilerplate in a sample of the texts (see the module docstring)."""
    n = len(canon_texts)
    if n > LEARN_SAMPLE:  # a seeded sample (twice the size: exact copies go next)
        chosen = np.sort(np.random.default_rng(random_state).choice(n, min(n, 2 * LEARN_SAMPLE), replace=False))
        canon_texts = [canon_texts[i] for i in chosen.tolist()]
    texts = list(dict.fromkeys(t for t in canon_texts if t))[:LEARN_SAMPLE]  # each distinct text once: one voice
    hashes, doc, pos = gram_hashes(texts, GRAM)
    none = np.zeros(0, dtype=np.uint64)
    if len(hashes) < 2:
        return none
    grams, gid = np.unique(hashes, return_inverse=True)
    gid = gid.ravel().astype(np.int64)
    held = _unique(doc * len(grams) + gid)  # each (text, gram) once
    df = np.bincount(held % len(grams), minlength=len(grams))
    shared = df[gid] >= MIN_DOCS
    if not shared.any():
        return none
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    prefix, suffix, own = _edge_runs(lengths, doc[shared], pos[shared])
    two_sided = (prefix > 0) & (suffix > 0) & (own >= MIN_OWN)
    two_sided[np.flatnonzero(two_sided)[_joined_elsewhere(texts, np.flatnonzero(two_sided), prefix, suffix,
                                                          grams, df)]] = False
    one_sided = ~two_sided & (prefix + suffix >= MIN_ONE_SIDED) & (prefix + suffix <= ONE_SIDED_RATIO * own)
    frames = (own >= MIN_OWN) & (two_sided | one_sided)
    s_doc, s_pos, s_gid = doc[shared], pos[shared], gid[shared]
    in_prefix = s_pos + GRAM <= prefix[s_doc]
    in_suffix = (suffix[s_doc] > 0) & (s_pos >= lengths[s_doc] - suffix[s_doc])
    s_df = df[s_gid]
    head = in_prefix & _as_common(s_doc, s_df, in_prefix)
    tail = in_suffix & _as_common(s_doc[::-1], s_df[::-1], in_suffix[::-1])[::-1]
    votes = frames[s_doc] & (head | tail)
    for_count = np.bincount(_unique(s_doc[votes] * len(grams) + s_gid[votes]) % len(grams), minlength=len(grams))
    wrapped = votes & two_sided[s_doc]
    around = np.bincount(_unique(s_doc[wrapped] * len(grams) + s_gid[wrapped]) % len(grams), minlength=len(grams))
    body_for, body_around, body_voting = _copies_around_bodies(
        len(texts), len(grams), s_doc, s_pos, s_gid, s_df, head, tail, own,
        lambda d, p, s: _joined_elsewhere(texts, d, p, s, grams, df))
    for_count += body_for
    around += body_around
    # Against: the texts with own text that hold the gram but do not frame their text with it (in the middle of an
    # opinion; a campaign template a short greeting was added to), and the texts without own text (campaign copies,
    # whose grams their other copies share) once per fingerprint (their smallest gram): a campaign of 300 copies
    # that opens with a stock greeting is one voice, not 300. Without these votes the copies of a bench campaign
    # that had a sentence inserted or edited taught the template's head and tail as boilerplate (pair recall of
    # bench/cluster_quality.py's title campaigns 0.974 -> 0.905).
    against = ~votes & (own[s_doc] >= MIN_OWN)
    against_count = np.bincount(_unique(s_doc[against] * len(grams) + s_gid[against]) % len(grams),
                                minlength=len(grams))
    copy = ~votes & ~body_voting & (own[s_doc] < MIN_OWN)
    fingerprint = np.full(len(texts), -1, dtype=np.int64)
    firsts = np.flatnonzero(np.diff(doc, prepend=-1))
    fingerprint[doc[firsts]] = np.minimum.reduceat(gid, firsts)
    voice = fingerprint[s_doc[copy]]
    voices = np.bincount(_unique(voice * len(grams) + s_gid[copy]) % len(grams), minlength=len(grams))
    copies = np.bincount(_unique(s_doc[copy] * len(grams) + s_gid[copy]) % len(grams), minlength=len(grams))
    # Copies of ONE campaign share fingerprints (several per voice); copies of many campaigns in one stock wrapper
    # hardly do, and are no evidence against it: the wrapper goes on into many different texts.
    against_count += np.where(copies >= COPIES_PER_VOICE * voices, voices, 0)
    boiler = (((around >= MIN_DOCS) | (for_count >= MIN_ONE_SIDED_DOCS))
              & (for_count >= MIN_SHARE * (for_count + against_count)))
    found: np.ndarray = grams[boiler]
    return found


def _copies_around_bodies(n_texts: int, n_grams: int, doc: np.ndarray, pos: np.ndarray, gid: np.ndarray,
                          df: np.ndarray, head: np.ndarray, tail: np.ndarray, own: np.ndarray,
                          joined: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Campaign copies (no own text) in a wrapper that copies of OTHER campaigns share: (votes for each gram, votes
    around a body for each gram, whether each shared gram of ``doc``/``pos``/``gid`` is such a vote).

    A copy is covered whole by grams other texts share, but where its head run (``head``: the grams from its start
    held by as many texts as its first gram, see :func:`_as_common`) and its tail run (``tail``) stop, a body of at
    least ``COPIED_RUN`` characters is left whose grams are nearly all (but ``BODY_COMMON_SHARE``) held by fewer than
    ``AS_COMMON`` of the texts holding the runs: the campaign's own text. (A copy of a campaign whose copies were
    edited, shuffled or shortened has dips there, but most of its body is held as widely as its head: no vote, or
    the template's first and last sentences were learnt: title campaigns' pair recall 0.969 -> 0.881.) Such copies
    vote for the grams of their head and tail runs once per body (the smallest gram of the body is its fingerprint:
    a campaign's copies are one voice), as a comment with own text does, under the same one-sided rule. Without these
    votes a stock wrapper that every opinion copied a few times sits in was learnt only from the opinions said once
    (bench/cluster_quality.py, opinions in greetings/sign-offs: pair recall dev 0.686, held-out 0.363)."""
    none = np.zeros(n_grams, dtype=np.int64)
    if not (own < MIN_OWN).any():
        return none, none, np.zeros(len(doc), dtype=bool)
    head_end = np.zeros(n_texts, dtype=np.int64)
    np.maximum.at(head_end, doc[head], pos[head] + GRAM)
    tail_start = np.full(n_texts, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(tail_start, doc[tail], pos[tail])
    text_end = np.zeros(n_texts, dtype=np.int64)
    np.maximum.at(text_end, doc, pos + GRAM)
    tail_start = np.minimum(tail_start, text_end)
    head_len = np.where(head_end >= MIN_WRAP, head_end, 0)
    tail_len = np.where(text_end - tail_start >= MIN_WRAP, text_end - tail_start, 0)
    body = tail_start - head_end
    in_body = (pos >= head_end[doc]) & (pos + GRAM <= tail_start[doc])
    fingerprint = np.full(n_texts, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(fingerprint, doc[in_body], gid[in_body])
    two = (head_len > 0) & (tail_len > 0)
    # A body between a head and a tail that are one text elsewhere was inserted into copies of that text (a
    # campaign copy with a sentence other copies inserted too), as :func:`_joined_elsewhere` tells for own text.
    maybe = np.flatnonzero(two & (own < MIN_OWN) & (body >= COPIED_RUN))
    two[maybe[joined(maybe, head_len, tail_len)]] = False
    inserted = np.zeros(n_texts, dtype=bool)
    inserted[maybe] = ~two[maybe]
    one = ~two & ~inserted & (head_len + tail_len >= MIN_ONE_SIDED) & (head_len + tail_len <= ONE_SIDED_RATIO * body)
    run = head | tail

    def mean_df(which: np.ndarray) -> np.ndarray:
        total = np.bincount(doc[which], weights=df[which], minlength=n_texts)
        return np.where(total > 0, total / np.maximum(np.bincount(doc[which], minlength=n_texts), 1), np.inf)

    # Held as widely as the less common of the runs (a stock opening before a campaign's own last sentence: the
    # body is as common as that sentence, so the copy is no opinion in a wrapper).
    run_df = np.minimum(np.where(head_len > 0, mean_df(head), np.inf), np.where(tail_len > 0, mean_df(tail), np.inf))
    common = in_body & (df >= AS_COMMON * run_df[doc])  # body grams held as widely as the runs
    rare_body = np.bincount(doc[common], minlength=n_texts) <= BODY_COMMON_SHARE * np.bincount(
        doc[in_body], minlength=n_texts)
    framing = ((own < MIN_OWN) & (body >= COPIED_RUN) & (two | one) & (fingerprint < np.iinfo(np.int64).max)
               & rare_body)
    voting = framing[doc] & run
    key = fingerprint[doc[voting]] * n_grams + gid[voting]
    votes = np.bincount(_unique(key) % n_grams, minlength=n_grams)
    around = voting & two[doc]
    around_votes = np.bincount(_unique(fingerprint[doc[around]] * n_grams + gid[around]) % n_grams,
                               minlength=n_grams)
    return votes, around_votes, voting


def _as_common(doc: np.ndarray, df: np.ndarray, in_run: np.ndarray) -> np.ndarray:
    """For grams in text order (``doc`` ascending, each text's grams together): whether a gram of a run and every
    gram before it in the run are held by at least ``AS_COMMON`` of the texts holding the run's first gram. A
    greeting is held by every comment that opens with it; where the run goes on into the opinion (several opinions
    that begin 跨境电商…) far fewer texts hold it, and from there on the run is no longer the greeting."""
    first = np.flatnonzero(np.diff(doc, prepend=-1))
    reference = np.repeat(df[first], np.diff(np.append(first, len(doc))))
    fallen = (in_run & (df < AS_COMMON * reference)).astype(np.int64)
    before = np.cumsum(fallen)
    fallen_so_far = before - np.repeat(before[first] - fallen[first], np.diff(np.append(first, len(doc))))
    kept: np.ndarray = fallen_so_far == 0
    return kept


def _joined_elsewhere(texts: Sequence[str], docs: np.ndarray, prefix: np.ndarray, suffix: np.ndarray,
                      grams: np.ndarray, df: np.ndarray) -> np.ndarray:
    """For texts with a prefix and a suffix run: whether the two runs are one text elsewhere, so that what lies
    between is something inserted into copies of it (a campaign copy with a sentence of its own), not an opinion in
    a wrapper. Told by the gram joining the end of the prefix run to the start of the suffix run: it is held by at
    least as many texts (``df`` of ``grams``, the sorted hashes of every gram learnt from) as there are texts with
    that join. A lone comment that is nothing but the greeting and the sign-off does not make every comment in that
    wrapper a copy with an insertion; a campaign's untouched copies do."""
    half = GRAM // 2
    joins = [texts[d][p - half:p] + texts[d][len(texts[d]) - s:len(texts[d]) - s + GRAM - half]
             for d, p, s in zip(docs.tolist(), prefix[docs].tolist(), suffix[docs].tolist())]
    if not joins:
        return np.zeros(0, dtype=bool)
    hashes = gram_hashes(joins, GRAM)[0]
    at = np.minimum(np.searchsorted(grams, hashes), len(grams) - 1)
    held = np.where(grams[at] == hashes, df[at], 0)
    _, which, framed = np.unique(hashes, return_inverse=True, return_counts=True)
    found: np.ndarray = (held > 0) & (held >= framed[which.ravel()])
    return found


def _unique(x: np.ndarray) -> np.ndarray:
    x = np.sort(x)
    return x[np.concatenate(([True], x[1:] != x[:-1]))] if len(x) else x


def _covered(lengths: np.ndarray, doc: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether each character of the texts, joined with one uncovered separator after each, lies in one of the
    grams (doc, pos); the start of each text in that joined string)."""
    starts = np.cumsum(lengths + 1) - (lengths + 1)
    total = int(lengths.sum()) + len(lengths)
    at = starts[doc] + pos
    cover = np.bincount(at, minlength=total + 1) - np.bincount(at + GRAM, minlength=total + 1)
    return np.cumsum(cover[:-1]) > 0, starts


def _edge_runs(lengths: np.ndarray, doc: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(prefix run, suffix run, own characters) of each text: the characters from its start (to its end) covered by
    the grams (doc, pos), 0 when fewer than ``MIN_WRAP``; and the characters in neither run nor in a covered run of
    at least ``COPIED_RUN`` characters (a text covered whole has prefix and suffix equal to its length and no own
    character; a copy of a campaign with a few characters edited has about as many own characters as edits; an
    opinion keeps as its own the short phrases other opinions share, 跨境电商企业 …)."""
    covered, starts = _covered(lengths, doc, pos)
    edges = np.diff(np.concatenate(([0], covered.view(np.int8), [0])))
    run_start, run_end = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    copied = run_end - run_start >= COPIED_RUN
    owner = np.searchsorted(starts, run_start[copied], side="right") - 1
    in_copied = np.bincount(owner, weights=(run_end - run_start)[copied], minlength=len(lengths)).astype(np.int64)
    gaps = np.flatnonzero(~covered)  # every text's separator is one, so each text has a gap at its end
    first = gaps[np.searchsorted(gaps, starts)]
    before_end = np.searchsorted(gaps, starts + lengths) - 1  # the separator's own index is starts + length
    last = np.where(before_end >= 0, gaps[np.maximum(before_end, 0)], -1)
    prefix = first - starts
    suffix = np.where(last >= starts, starts + lengths - 1 - last, lengths)
    prefix = np.where(prefix >= MIN_WRAP, prefix, 0)
    suffix = np.where(suffix >= MIN_WRAP, suffix, 0)
    whole = prefix >= lengths
    own = lengths - in_copied - np.where(prefix < COPIED_RUN, prefix, 0) - np.where(suffix < COPIED_RUN, suffix, 0)
    return prefix, suffix, np.where(whole, 0, np.maximum(own, 0))


class _Marks:
    """Where the grams ``grams`` (sorted hashes) occur in the texts: every 6-character window of the texts joined
    with a separator is hashed once (no per-gram text and position arrays), looked up in a bit table of the grams'
    top bits and only then compared exactly; the runs they cover (never across two texts)."""

    def __init__(self, canon_texts: Sequence[str], grams: np.ndarray) -> None:
        self.texts, self.grams = canon_texts, grams
        self.lengths = np.fromiter(map(len, canon_texts), dtype=np.int64, count=len(canon_texts))
        self.starts = np.cumsum(self.lengths + 1) - (self.lengths + 1)  # text i starts here in the joined string
        self.pos = np.zeros(0, dtype=np.int64)
        self.gram = np.zeros(0, dtype=np.int64)
        if not len(grams) or not len(canon_texts):
            return
        table = np.zeros(1 << _TABLE_BITS, dtype=bool)
        table[grams >> np.uint64(64 - _TABLE_BITS)] = True
        found: list[tuple[np.ndarray, np.ndarray]] = []
        # A block of texts at a time: the windows of a million comments' characters held a GB each.
        for b in range(0, len(canon_texts), _MARK_BLOCK):
            joined = "\x00".join(canon_texts[b:b + _MARK_BLOCK]).encode("utf-32-le")
            windows = _hash_windows(np.frombuffer(joined, dtype=np.uint32).astype(np.uint64), GRAM)  # gram_hashes'
            maybe = np.flatnonzero(table[windows >> np.uint64(64 - _TABLE_BITS)])  # (none holds the separator \x00)
            at = np.minimum(np.searchsorted(grams, windows[maybe]), len(grams) - 1)
            hit = grams[at] == windows[maybe]
            found.append((maybe[hit] + self.starts[b], at[hit]))
        self.pos = np.concatenate([p for p, _ in found])
        self.gram = np.concatenate([g for _, g in found])

    def runs(self, which: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start, end, text) of the runs of at least ``MIN_WRAP`` characters covered by the grams (those flagged in
        ``which``, or all), in the joined string, in order."""
        pos = self.pos if which is None else self.pos[which[self.gram]]
        # The grams' windows in order: a run goes on while the next window starts at most GRAM characters on
        # (windows of two texts are at least GRAM + 1 apart: the separator is in no window).
        if not len(pos):
            return pos, pos, pos
        first = np.flatnonzero(np.diff(pos, prepend=-(GRAM + 1)) > GRAM)
        start, end = pos[first], pos[np.append(first[1:], len(pos)) - 1] + GRAM
        long = end - start >= MIN_WRAP
        start, end = start[long], end[long]
        return start, end, np.searchsorted(self.starts, start, side="right") - 1

    def edge_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """(texts holding each gram in a run at their start or end, texts holding it at all)."""
        start, end, text = self.runs()
        edge = (start - self.starts[text] < MIN_OWN) | (self.starts[text] + self.lengths[text] - end < MIN_OWN)
        run = np.searchsorted(start, self.pos, side="right") - 1
        inside = (run >= 0) & (self.pos < end[np.maximum(run, 0)])
        owner = np.searchsorted(self.starts, self.pos, side="right") - 1
        n = len(self.grams)
        held = np.bincount(_unique(owner * n + self.gram) % n, minlength=n)
        at_edge = inside & edge[np.maximum(run, 0)]
        return np.bincount(_unique(owner[at_edge] * n + self.gram[at_edge]) % n, minlength=n), held

    def spans(self, which: np.ndarray | None = None) -> list[list[tuple[int, int]]]:
        """For each text, the (start, end) of its runs (see :meth:`runs`)."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.texts]
        start, end, text = self.runs(which)
        for d, a, b in zip(text.tolist(), (start - self.starts[text]).tolist(), (end - self.starts[text]).tolist()):
            out[d].append((a, b))
        return out

    def strip(self, which: np.ndarray | None = None) -> tuple[list[str], dict[int, list[str]]]:
        """(each text without its runs, the passages cut from each text that lost some); a text that would lose
        everything keeps its text (it is nothing but a greeting: there is nothing else to compare it by)."""
        stripped = list(self.texts)
        cut: dict[int, list[str]] = {}
        start, end, text = self.runs(which)
        if not len(start):
            return stripped, cut
        firsts = np.flatnonzero(np.diff(text, prepend=-1))
        for f, g in zip(firsts.tolist(), np.append(firsts[1:], len(text)).tolist()):
            d = int(text[f])
            t = self.texts[d]
            runs = list(zip((start[f:g] - self.starts[d]).tolist(), (end[f:g] - self.starts[d]).tolist()))
            kept, at = [], 0
            for a, b in runs:
                kept.append(t[at:a])
                at = b
            left = "".join(kept) + t[at:]
            if left:
                stripped[d] = left
                cut[d] = [t[a:b] for a, b in runs]
        return stripped, cut


def boilerplate_runs(canon_texts: Sequence[str], boilerplate: Boilerplate) -> list[list[tuple[int, int]]]:
    """For each canonical text, the (start, end) of its runs of at least ``MIN_WRAP`` characters covered by
    boilerplate grams (empty for most texts)."""
    return _Marks(canon_texts, boilerplate.grams).spans()


def strip_boilerplate(canon_texts: Sequence[str], boilerplate: Boilerplate
                      ) -> tuple[list[str], dict[int, list[str]]]:
    """(each canonical text without its boilerplate runs, the passages cut out of each text that lost some).

    A text that would lose everything keeps its text (it is nothing but a greeting: there is nothing else to
    compare it by)."""
    if not boilerplate:
        return list(canon_texts), {}
    return _Marks(canon_texts, boilerplate.grams).strip()


def boilerplate_share(canon_texts: Sequence[str], boilerplate: Boilerplate) -> list[float]:
    """The share of each canonical text covered by its boilerplate runs."""
    return [sum(b - a for a, b in runs) / max(1, len(t))
            for t, runs in zip(canon_texts, boilerplate_runs(canon_texts, boilerplate))]


def without_passages(tokens: Sequence[list[str]], cut: dict[int, list[str]],
                     tokenize_many: Callable[[list[str]], list[list[str]]]) -> dict[int, list[bool]]:
    """For each text that lost boilerplate passages, whether each of its tokens stays: one occurrence of each token
    of its passages (tokenised once per distinct passage) goes."""
    distinct = list(dict.fromkeys(p for passages in cut.values() for p in passages))
    passage_tokens = dict(zip(distinct, tokenize_many(distinct))) if distinct else {}
    out: dict[int, list[bool]] = {}
    for d, passages in cut.items():
        remaining = Counter(t for p in passages for t in passage_tokens[p])
        keep = []
        for t in tokens[d]:
            if remaining.get(t, 0) > 0:
                remaining[t] -= 1
                keep.append(False)
            else:
                keep.append(True)
        if not all(keep) and any(keep):  # tokens nothing would be left of are kept (as with quotations)
            out[d] = keep
    return out


def without_boilerplate_tokens(tokens: Sequence[list[str]], cut: dict[int, list[str]],
                               tokenize_many: Callable[[list[str]], list[list[str]]]) -> Sequence[list[str]]:
    """``tokens`` (lists, or an :class:`analysis.quotes.OpinionTokens` of them) without the tokens of the passages
    :func:`strip_boilerplate` cut out (``cut``), as an OpinionTokens over the lists as given (its masks drop the
    quotations' tokens and the boilerplate's), so term counts need not make the lists; ``tokens`` itself when
    nothing was cut."""
    if not cut:
        return tokens
    masks = without_passages(tokens, cut, tokenize_many)
    given = tokens.tokens if isinstance(tokens, OpinionTokens) else tokens
    sizes = np.fromiter(map(len, given), dtype=np.int64, count=len(given))
    changed = np.isin(np.arange(len(given)), list(masks))
    if isinstance(tokens, OpinionTokens):
        changed |= tokens.lengths() != sizes
    rows = np.flatnonzero(changed)
    keep = tokens.kept(rows.tolist()) if isinstance(tokens, OpinionTokens) else np.ones(int(sizes[rows].sum()), bool)
    begin = np.cumsum(sizes[rows]) - sizes[rows]
    for r, d in enumerate(rows.tolist()):
        if d in masks:  # the boilerplate's flags are over the list without quotations: the tokens still kept
            at = begin[r] + np.flatnonzero(keep[begin[r]:begin[r] + sizes[d]])
            keep[at[~np.asarray(masks[d], dtype=bool)]] = False
    return OpinionTokens.of(given, [(rows, sizes[rows], keep)])


def boilerplate_spans(texts: Sequence[str], boilerplate: Boilerplate) -> list[list[tuple[int, int]]]:
    """For each text as written, the (start, end) of its boilerplate (to leave out of a title, as quotations are)."""
    if not boilerplate:
        return [[] for _ in texts]
    forms = [canonical_offsets(t) for t in texts]
    return [[(offsets[a], offsets[b - 1] + 1) for a, b in runs]
            for (_, offsets), runs in zip(forms, boilerplate_runs([c for c, _ in forms], boilerplate))]


def unwrapped(texts: Sequence[str], boilerplate: Boilerplate) -> list[str]:
    """The texts as written without their boilerplate (尊敬的领导：您好！…同意。以上意见请考虑 → ！…同意。), for the
    checks that read a comment as written, such as whether it only agrees."""
    out = []
    for text, spans in zip(texts, boilerplate_spans(texts, boilerplate)):
        parts, at = [], 0
        for a, b in spans:
            parts.append(text[at:a])
            at = b
        out.append("".join(parts) + text[at:])
    return out
