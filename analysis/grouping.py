"""The whole chain the portal runs: set noise and support aside → campaigns → clusters per clause → groups.

1. Quotations of the draft are found in every comment (:mod:`analysis.quotes`). They count as evidence for the
   clause, but everything below compares comments WITHOUT them: six comments that quote clause 12 and then say six
   different things are six opinions, and copies of one opinion that quote the clause are still one campaign.
2. Adverts and off-topic messages (:mod:`analysis.noise`) go to groups of kind ``noise`` (``noise_reason``
   ``advert`` / ``off_topic``), proposed to staff as 疑似广告 / 与征求意见无关 with the evidence; supportive
   comments (:mod:`analysis.support`) to a ``supportive`` group per clause, answered together with thanks. None of
   them is clustered with substantive comments, and none is dropped.
3. Campaigns (:mod:`analysis.duplicates`): copies near one template, never chains.
4. Word vectors are learnt once from every comment (a campaign once, quotations left out) and the draft's own
   sentences, so that even a clause with a dozen comments is clustered in a space that knows which words go
   together. A campaign is clustered once, through its template, and keeps its size: the cluster that takes it
   lists every copy among its members.
5. Every group gets keywords without contact fragments or numbers, a short readable title, a cohesion figure
   staff can sort by and a ``too_mixed`` flag when it is unlikely to be answerable with one decision.

Comments that cannot be processed (no text, nothing but punctuation or emoji) are returned in
``Grouping.unprocessed`` with a reason, never dropped.

From ``POOL_FROM`` comments, two worker processes share the work with this one, so that neither core waits
while the other works: they judge the noise while this process finds the quotations and the boilerplate; they
import scikit-learn while it finds the campaigns (below ``ONE_POOL_BELOW``); one of them computes the word
vectors' SVD while it works out the campaigns' cohesion and additions; both cluster the partitions while it
titles the campaigns. The result is the same as without workers (tests/analysis/test_grouping.py).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

import numpy as np
import scipy.sparse as sp

from draft.model import Draft

from .boilerplate import boilerplate_spans, cut_boilerplate, unwrapped, without_boilerplate_tokens
from .clustering import MIXED_MARGIN, Clustering, cluster_counts
from .collector import paused_gc, return_freed_memory
from .duplicates import (
    ADDITION_OVERLAP,
    BANDS,
    JACCARD,
    NUM_PERM,
    SHINGLE,
    campaign_additions,
    find_duplicates,
    shingle_sets,
)
from .labels import label_terms, readable_title
from .noise import LABELS, NoiseFlag, consultation_relatedness, flags_for, noise_flags
from .normalize import canonical_many, split_sentences
from .quotes import DraftIndex, OpinionTokens, draft_index, quotations_many, without_quotations
from .support import MAX_CHARS as SUPPORT_MAX_CHARS
from .support import is_supportive
from .terms import tokenizer_for_draft
from .tokenize import Tokenizer, default_tokenizer
from .vectorize import counts, pending_word_vectors, rows_of, svd_rows
from .version import ANALYSIS_VERSION

#: Partitions with fewer units than this are not clustered (each unit stands alone).
MIN_UNITS_TO_CLUSTER = 3
CAMPAIGN_LABEL_TERMS = 8
#: Campaign members shingled at a time for the cohesion figure.
SHINGLE_BLOCK = 5_000
#: Stages reported to ``progress``, in order (``cluster`` once per partition).
STAGES = ("tokenise", "quotes", "noise", "duplicates", "vectors", "cluster")


@dataclass
class CommentIn:
    """One stored comment as the portal hands it over (``tokens`` as stored, so nothing is re-tokenised).

    ``tokens`` are the tokens of the whole text (what :meth:`Tokenizer.tokenize` gives, and what
    :func:`analysis.analyse_comment` returns as ``tokens``): quotations are left out here, from the draft's own
    tokens of the quoted passage. A letter split into parts is handed over as one ``CommentIn`` per part (see
    :func:`analysis.letter_units`)."""

    id: int | str
    text: str
    clause_key: str | None = None
    tokens: list[str] | None = None


@dataclass
class Group:
    """A set of comments staff review as one opinion.

    ``kind``: ``campaign`` (copies of one template), ``cluster`` (comments on one topic; campaign copies
    included, see ``campaigns``), ``singleton``, ``supportive`` (comments that only agree, answered together with
    thanks) or ``noise`` (proposed as 疑似广告 / 与征求意见无关: ``noise_reason`` is ``advert`` or ``off_topic``;
    staff confirm or reject each). ``clause_key`` None means the whole draft. A campaign that sits inside a
    cluster names it in ``parent``. ``additions`` (campaigns only) maps a member id to the sentences it added to
    the template. ``title`` is a short readable phrase; ``cohesion`` (0–1, higher = more alike) lets staff sort
    groups; ``too_mixed`` flags a group unlikely to be answerable with one decision.
    """

    id: str
    kind: str
    clause_key: str | None
    member_ids: list[int | str]
    label_terms: list[str]
    representative_id: int | str
    cohesion: float
    campaigns: list[str] = field(default_factory=list)
    parent: str | None = None
    additions: dict[int | str, list[str]] = field(default_factory=dict)
    title: str = ""
    too_mixed: bool = False
    noise_reason: str | None = None

    @property
    def size(self) -> int:
        return len(self.member_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "clause_key": self.clause_key, "member_ids": list(self.member_ids),
                "label_terms": list(self.label_terms), "representative_id": self.representative_id,
                "cohesion": self.cohesion, "size": self.size, "campaigns": list(self.campaigns),
                "parent": self.parent, "title": self.title, "too_mixed": self.too_mixed,
                "noise_reason": self.noise_reason,
                "additions": [{"id": k, "sentences": list(v)} for k, v in self.additions.items()]}


@dataclass
class Unprocessed:
    id: int | str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason}


@dataclass
class Grouping:
    """The groups, what could not be processed, the parameters, and for comments proposed as noise the evidence
    staff are shown (``noise_evidence``: comment id → Chinese phrases such as 联系方式：微信号)."""

    groups: list[Group]
    unprocessed: list[Unprocessed]
    params: dict[str, Any]
    version: str = ANALYSIS_VERSION
    noise_evidence: dict[int | str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (ids stay int or str as given)."""
        return {"version": self.version, "params": dict(self.params), "groups": [g.to_dict() for g in self.groups],
                "unprocessed": [u.to_dict() for u in self.unprocessed],
                "noise_evidence": [{"id": k, "evidence": list(v)} for k, v in self.noise_evidence.items()]}

    def group_of(self, comment_id: int | str) -> Group | None:
        """The top-level group (cluster, singleton, supportive, noise, or a campaign outside any cluster)."""
        for g in self.groups:
            if g.parent is None and comment_id in g.member_ids:
                return g
        return None


@dataclass(slots=True)
class _Unit:
    """What clustering sees: one comment, or one campaign through its template. Slots, and a tuple for a lone
    comment: a million comments make about a million units (~110 MB less than with a dict and a list each)."""

    index: int  # the comment (or the campaign template) in the processable list
    members: Sequence[int]
    campaign: Group | None = None


def _majority_clause(keys: list[str | None]) -> str | None:
    counts = Counter(keys).most_common()
    top = counts[0][1]
    tied = sorted((k for k, c in counts if c == top), key=lambda k: (k is not None, k or ""))
    return tied[0]


def _top_terms(tokens: list[str], top: int, allowed_latin: frozenset[str]) -> list[str]:
    counts = Counter(tokens)
    first = {t: i for i, t in reversed(list(enumerate(tokens)))}
    return label_terms(sorted(counts, key=lambda t: (-counts[t], first[t])), allowed_latin, top)


@paused_gc()
def group_comments(comments: Sequence[CommentIn], draft: Draft | None = None, *, k: int | None = None,
                   random_state: int = 0, tokenizer: Tokenizer | None = None,
                   progress: Callable[[str, int, int], None] | None = None,
                   not_noise: Collection[int | str] = ()) -> Grouping:
    """Group comments for review (see the module docstring).

    Comments without ``tokens`` are tokenised with ``tokenizer`` (default: one built from the draft's terms).
    ``k`` is used in every partition (capped by its size); None lets each partition choose (see
    :func:`analysis.cluster`). Deterministic for the same comments in the same order. ``progress(stage, done,
    total)`` is called as stages finish (:data:`STAGES`; ``cluster`` once per partition) so a CLI can draw a
    progress bar. Without a draft there are no quotations and off-topic detection knows only the comments.
    ``not_noise``: ids staff judged not to be noise (a rejected proposal): never set aside as noise again.
    """
    ids = [c.id for c in comments]
    if len(set(ids)) != len(ids):
        raise ValueError("comment ids must be unique")
    # The worker pools are ended however the analysis ends: an exception must not leave processes behind.
    with ExitStack() as pools:
        return _grouped(comments, draft, k=k, random_state=random_state, tokenizer=tokenizer,
                        progress=progress, not_noise=not_noise, pools=pools)


def _grouped(comments: Sequence[CommentIn], draft: Draft | None, *, k: int | None, random_state: int,
             tokenizer: Tokenizer | None, progress: Callable[[str, int, int], None] | None,
             not_noise: Collection[int | str], pools: ExitStack) -> Grouping:
    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    # Big consultations are judged for noise (while this process finds the quotations) and clustered in worker
    # processes. From ONE_POOL_BELOW comments up, the noise workers stop once the flags are in and the clustering
    # ones start after the campaigns are found, so no idle worker holds memory through that stage (the peak at a
    # million comments); below it one pool does both (starting a worker costs it ~1 s of CPU, a tenth of noise).
    pool = _pool(len(comments), pools)
    one_pool = len(comments) < ONE_POOL_BELOW
    if tokenizer is None:
        tokenizer = tokenizer_for_draft(draft) if draft is not None else default_tokenizer()
    latin = frozenset(tokenizer.user_terms)
    unprocessed: list[Unprocessed] = []
    kept: list[CommentIn] = []
    kept_canon: list[str] = []
    for c, canon in zip(comments, canonical_many([c.text if isinstance(c.text, str) else "" for c in comments])):
        if not isinstance(c.text, str) or not c.text.strip():
            unprocessed.append(Unprocessed(c.id, "empty"))
            continue
        if not canon:
            unprocessed.append(Unprocessed(c.id, "no letters or digits"))
        else:
            kept.append(c)
            kept_canon.append(canon)
    texts = [c.text for c in kept]
    missing = [i for i, c in enumerate(kept) if c.tokens is None]
    computed = tokenizer.tokenize_many([texts[i] for i in missing]) if missing else []
    tokens: list[list[str]] = [c.tokens if c.tokens is not None else [] for c in kept]  # read, never copied
    for i, toks in zip(missing, computed):
        tokens[i] = toks
    report("tokenise", len(kept), len(kept))

    # Noise is judged in the worker processes (in chunks) while this one finds the quotations.
    pending_noise = None
    if pool is not None:
        relatedness = consultation_relatedness(tokens, draft, tokenizer)
        pending_noise = pool.imap(_noise_chunk, ((texts[i:i + NOISE_CHUNK], _packed(tokens[i:i + NOISE_CHUNK]),
                                                  relatedness) for i in range(0, len(texts), NOISE_CHUNK)), chunksize=1)

    # Quotations: compared without them from here on (canonical text and tokens); a comment that is nothing but
    # a quotation keeps its text (it still says which clause it is about).
    opinion_canon: list[str] = kept_canon
    opinion_tokens: Sequence[list[str]] = tokens  # each list made when asked (OpinionTokens): see the term counts
    quoted_count = 0
    has_quotes = np.zeros(len(kept), dtype=bool)  # the quotations themselves are found again when needed
    index = None
    if draft is not None:
        index = draft_index(draft, tokenizer)
        opinion_canon, opinion_tokens, has_quotes = without_quotations(kept_canon, tokens, index, token_lists=False)
        quoted_count = int(has_quotes.sum())
    del kept_canon  # (a million comments' canonical texts: hundreds of MB)
    # Greetings, self-introductions and sign-offs many comments share: left out like the quotations (boilerplate.py).
    wrapper, unwrapped_canon, passages = cut_boilerplate(opinion_canon, random_state)
    opinion_tokens = without_boilerplate_tokens(opinion_tokens, passages, tokenizer.tokenize_many)
    short = [i for i in passages if len(unwrapped_canon[i]) <= SUPPORT_MAX_CHARS]  # 尊敬的领导：您好！…同意。…: support
    plain = dict(zip(short, unwrapped([texts[i] for i in short], wrapper)))
    del passages
    return_freed_memory()
    report("quotes", len(kept), len(kept))

    groups: list[Group] = []
    noise_evidence: dict[int | str, list[str]] = {}
    flags = list(chain.from_iterable(pending_noise)) if pending_noise is not None else noise_flags(
        texts, draft, tokens=tokens, tokenizer=tokenizer)
    if pool is not None and not one_pool:
        pool.close()
        pool.join()
    elif pool is not None:
        _warm_up(pool)
    aside: dict[tuple[str, str | None], list[int]] = {}
    keep = frozenset(not_noise)
    # A short comment's quotations are the draft's words, not the writer's (鼓励OEM、ODM企业注册自有品牌——赞成！ proposes
    # nothing): found again on the text support is judged on, for the few short comments that hold some.
    short_quoted = [i for i in np.flatnonzero(has_quotes).tolist() if len(plain.get(i, texts[i])) <= SUPPORT_MAX_CHARS]
    quoted_in = dict(zip(short_quoted, quotations_many([plain.get(i, texts[i]) for i in short_quoted], index)))
    for i, flag in enumerate(flags):
        if flag is not None and kept[i].id in keep:
            flags[i] = flag = None
        if flag is not None:
            aside.setdefault((flag.reason, None), []).append(i)
            noise_evidence[kept[i].id] = list(flag.evidence)
        elif len(plain.get(i, texts[i])) <= SUPPORT_MAX_CHARS and is_supportive(plain.get(i, texts[i]),
                                                                                 quotations=quoted_in.get(i)):
            aside.setdefault(("supportive", kept[i].clause_key), []).append(i)
    set_aside = {i for members in aside.values() for i in members}
    report("noise", len(kept), len(kept))

    for (reason, clause_key), members in sorted(aside.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        scope = clause_key if clause_key is not None else "draft"
        is_noise = reason in LABELS
        rep = members[0]
        groups.append(Group(
            id=f"{scope}/{reason if is_noise else 'supportive'}", kind="noise" if is_noise else "supportive",
            clause_key=clause_key, member_ids=[kept[i].id for i in members],
            label_terms=[LABELS[reason]] if is_noise else ["支持"], representative_id=kept[rep].id, cohesion=1.0,
            title=LABELS[reason] if is_noise else "表示支持", noise_reason=reason if is_noise else None))

    titled: list[tuple[Group, int]] = []  # groups and the comment their title comes from, titled at the end

    active = [i for i in range(len(kept)) if i not in set_aside]
    units: list[_Unit] = []
    in_campaign: set[int] = set()
    duplicates = find_duplicates([texts[i] for i in active], random_state=random_state,
                                 canonical_texts=[opinion_canon[i] for i in active],
                                 contexts=[kept[i].clause_key for i in active], boilerplate=wrapper,
                                 unwrapped_texts=[unwrapped_canon[i] for i in active])
    # The campaigns' groups are made now (the clustering needs only their members and templates); their cohesion
    # and additions are worked out later, while another process learns the word vectors (_CampaignDetails).
    details = _CampaignDetails(duplicates, active, opinion_canon, texts, has_quotes, index, wrapper)
    for n, dup in enumerate(duplicates, start=1):
        members = [active[i] for i in dup.members]
        template_index = active[dup.template_index]
        g = Group(id=f"campaign-{n}", kind="campaign",
                  clause_key=_majority_clause([kept[i].clause_key for i in members]),
                  member_ids=[kept[i].id for i in members],
                  label_terms=_top_terms(opinion_tokens[template_index], CAMPAIGN_LABEL_TERMS, latin),
                  representative_id=kept[template_index].id, cohesion=0.0, additions={}, title="")
        titled.append((g, template_index))
        groups.append(g)
        units.append(_Unit(template_index, members, g))
        in_campaign.update(members)
    campaign_groups = [g for g, _ in titled]
    del opinion_canon, unwrapped_canon  # only campaigns compare canonical texts: freed before the term counts are made
    return_freed_memory()
    report("duplicates", len(kept), len(kept))
    units.extend(_Unit(i, (i,)) for i in active if i not in in_campaign)
    units.sort(key=lambda u: u.members[0])
    if not one_pool:
        # The clustering workers load their libraries while the word vectors are counted (not scikit-learn: only
        # the one doing the SVD needs it, and its import hides behind this process's work at this size).
        pool = _pool(len(comments), pools)

    partitions: dict[str | None, list[_Unit]] = {}
    rows: dict[str | None, list[int]] = {}  # each partition's units as rows of the term counts below
    for row, u in enumerate(units):
        key = u.campaign.clause_key if u.campaign else kept[u.index].clause_key
        partitions.setdefault(key, []).append(u)
        rows.setdefault(key, []).append(row)
    order = sorted(partitions, key=lambda key: (key is not None, key or ""))
    if draft is not None:
        position: dict[str | None, int] = {c.key: i for i, c in enumerate(draft.walk())}
        order.sort(key=lambda key: (key is not None, position.get(key, len(position)), key or ""))

    # The tokens are counted once: for the word vectors and for every partition's clustering. The quoted tokens
    # are dropped from the lists as given with a mask (a million comments' lists without them held ~200 MB more).
    background = [tokens[u.index] for u in units]
    counted = opinion_tokens.kept([u.index for u in units]) if isinstance(opinion_tokens, OpinionTokens) else None
    if draft is not None:
        draft_tokens = tokenizer.tokenize_many(
            [s for c in draft.walk() for s in split_sentences(f"{c.heading}。{c.body}")])
        background += draft_tokens
        if counted is not None:
            counted = np.concatenate((counted, np.ones(sum(map(len, draft_tokens)), dtype=bool)))
    every_term, all_terms = counts(background, keep=counted) if any(background) else (
        sp.csr_matrix((len(background), 0)), np.array([], dtype=object))
    del counted
    pending = pending_word_vectors(every_term, all_terms, min_df=2 if len(background) >= 1000 else 1,
                                   random_state=random_state)
    # The SVD (and the import of scikit-learn, a second of CPU) runs in a worker process, idle at this point,
    # while this one works out the campaigns' cohesion and additions.
    svd = pool.apply_async(svd_rows, pending.svd_args) if pool is not None and pending is not None else None
    details.fill(campaign_groups, [c.id for c in kept])
    del details
    word_vectors = None if pending is None else pending.finish(
        svd.get() if svd is not None else svd_rows(*pending.svd_args))
    del pending, svd
    return_freed_memory()
    report("vectors", len(background), len(background))
    counter: Counter[tuple[str, str]] = Counter()

    def new_id(prefix: str, clause_key: str | None) -> str:
        scope = clause_key if clause_key is not None else "draft"
        counter[(prefix, scope)] += 1
        return f"{scope}/{prefix}-{counter[(prefix, scope)]}"

    def alone(u: _Unit, clause_key: str | None) -> None:
        if u.campaign is None:
            groups.append(Group(id=new_id("singleton", clause_key), kind="singleton", clause_key=clause_key,
                                member_ids=[kept[u.index].id], label_terms=_top_terms(opinion_tokens[u.index], 5, latin),
                                representative_id=kept[u.index].id, cohesion=1.0))
            titled.append((groups[-1], u.index))

    jobs = [(key, partitions[key]) for key in order if len(partitions[key]) >= MIN_UNITS_TO_CLUSTER]
    results = _cluster_partitions((rows_of(every_term, all_terms, np.array(rows[key])) for key, _ in jobs), len(jobs),
                                  pool, k=k, random_state=random_state, word_vectors=word_vectors, allowed_latin=latin)
    clustered = dict(zip((key for key, _ in jobs), results))

    def title(pairs: list[tuple[Group, int]]) -> None:
        """Title each group from its comment's text, without quotations and boilerplate (labels.readable_title)."""
        reps = [i for _, i in pairs]
        quoted_reps = [i for i in reps if has_quotes[i]]
        spans = dict(zip(quoted_reps, ([(q.start, q.end) for q in qs]
                                       for qs in quotations_many([texts[i] for i in quoted_reps], index))))
        cut_out = dict(zip(reps, boilerplate_spans([texts[i] for i in reps], wrapper)))
        for group, i in pairs:
            group.title = readable_title(texts[i], [*spans.get(i, ()), *cut_out[i]],
                                         _top_terms(opinion_tokens[i], 3, latin))

    title(titled)  # the campaigns' titles, while the worker processes cluster
    campaigns_titled = len(titled)
    for step, key in enumerate(order, start=1):
        part = partitions[key]
        report("cluster", step, len(order))
        if key not in clustered:
            for u in part:
                alone(u, key)
            continue
        result = next(clustered[key])
        for u, a in zip(part, result.assignments):
            if a < 0:
                alone(u, key)
        for found in result.clusters:
            in_cluster = [part[i] for i in found.members]
            if len(in_cluster) == 1:
                alone(in_cluster[0], key)
                continue
            gid = new_id("cluster", key)
            campaigns = [u.campaign for u in in_cluster if u.campaign is not None]
            for camp in campaigns:
                camp.parent = gid
            rep = part[found.representative].index
            groups.append(Group(id=gid, kind="cluster", clause_key=key,
                                member_ids=[kept[i].id for u in in_cluster for i in u.members],
                                label_terms=list(found.label_terms), representative_id=kept[rep].id,
                                cohesion=found.cohesion, campaigns=[camp.id for camp in campaigns],
                                too_mixed=found.too_mixed))
            titled.append((groups[-1], rep))
    if pool is not None:
        pool.close()
        pool.join()
    title(titled[campaigns_titled:])
    params = {"analysis_version": ANALYSIS_VERSION, "k": k, "random_state": random_state,
              "min_units_to_cluster": MIN_UNITS_TO_CLUSTER, "shingle": SHINGLE, "num_perm": NUM_PERM, "bands": BANDS,
              "duplicate_jaccard": JACCARD, "addition_overlap": ADDITION_OVERLAP, "mixed_margin": MIXED_MARGIN,
              "user_terms": len(tokenizer.user_terms), "comments": len(comments), "quoted": quoted_count,
              "noise": sum(1 for f in flags if f is not None), "supportive": len(set_aside) - len(noise_evidence),
              "word_vectors": None if word_vectors is None else len(word_vectors.vocabulary)}
    return Grouping(groups=groups, unprocessed=unprocessed, params=params, noise_evidence=noise_evidence)


#: From this many comments the partitions are clustered in a pool of worker processes (one per core, at most 2).
POOL_FROM = 20_000
#: Below this many comments one pool judges the noise and clusters; from it up, two (see _grouped).
ONE_POOL_BELOW = 300_000


def _pool(n: int, pools: ExitStack) -> Any:
    """A pool of fresh worker processes (spawned: they hold only the partitions they are sent, so memory is not
    shared copy-on-write with this process), or None for small consultations or a single core. ``pools``
    terminates it when the analysis ends (after a normal ``close``/``join`` that does nothing)."""
    workers = min(2, os.cpu_count() or 1)
    if n < POOL_FROM or workers < 2:
        return None
    return pools.enter_context(multiprocessing.get_context("spawn").Pool(workers, initializer=_one_thread_each))


_LIMITS: list[Any] = []


def _warm_up(pool: Any) -> None:
    """Each worker imports scikit-learn's SVD (a second of CPU) now, while it has nothing else to do, so the word
    vectors' SVD sent to one of them later (see _grouped) does not wait for the import. Only with one pool: from
    ONE_POOL_BELOW comments up, a second worker holding scikit-learn would raise the peak memory."""
    for _ in range(2):
        pool.apply_async(_import_svd)


def _import_svd() -> None:
    import sklearn.decomposition  # noqa: F401


def _one_thread_each() -> None:
    """Worker processes run their linear algebra on one thread: the pool already keeps every core busy, and a
    multi-threaded BLAS in each worker only makes the processes wait for each other's threads."""
    from threadpoolctl import threadpool_limits

    _LIMITS.append(threadpool_limits(1))


#: Comments per noise job in the worker processes (small enough that the two workers finish within a short job
#: of each other: with 20,000, a 100,000-comment consultation's five jobs left one worker a whole job behind).
NOISE_CHUNK = 10_000


def _noise_chunk(job: tuple[list[str], list[str | list[str]], Any]) -> list[NoiseFlag | None]:
    texts, packed, relatedness = job
    return flags_for(texts, [_unpacked(p) for p in packed], relatedness)


#: Joins a comment's tokens into one string for the worker processes: pickling 100,000 strings instead of three
#: million token strings took most of the cost of handing the noise chunks over.
_SEPARATOR = "\x1f"


def _packed(tokens: Sequence[list[str]]) -> list[str | list[str]]:
    """Each token list as one string (an empty list, or one with a token holding the separator, stays a list)."""
    out: list[str | list[str]] = []
    for toks in tokens:
        joined = _SEPARATOR.join(toks)
        out.append(joined if toks and joined.count(_SEPARATOR) == len(toks) - 1 else toks)
    return out


def _unpacked(packed: str | list[str]) -> list[str]:
    return packed if isinstance(packed, list) else packed.split(_SEPARATOR)


_Counts = tuple[sp.csr_matrix, np.ndarray]  # a partition's term counts and their terms (vectorize.rows_of)


def _cluster_job(job: tuple[_Counts, int | None, int, Any, frozenset[str]]) -> Clustering:
    (matrix, terms), k, random_state, word_vectors, allowed_latin = job
    return cluster_counts(matrix, terms, k=k, random_state=random_state, word_vectors=word_vectors,
                          allowed_latin=allowed_latin)


def _cluster_partitions(partitions: Iterable[_Counts], count: int, pool: Any, *, k: int | None, random_state: int,
                        word_vectors: Any, allowed_latin: frozenset[str]) -> list[Iterator[Clustering]]:
    """An iterator per partition yielding its Clustering, in order, as each finishes (from the pool, or computed
    here when asked). ``partitions`` is consumed lazily: a partition's count matrix is made only when its job is
    sent (not a second copy of the whole consultation's counts up front)."""
    jobs = ((part, k, random_state, word_vectors, allowed_latin) for part in partitions)
    results = pool.imap(_cluster_job, jobs, chunksize=1) if pool is not None else map(_cluster_job, jobs)
    return [_Next(results) for _ in range(count)]


class _Next:
    """Takes the next result from a shared ordered iterator when asked (so results are consumed in order)."""

    def __init__(self, results: Iterator[Clustering]) -> None:
        self.results = results

    def __iter__(self) -> _Next:
        return self

    def __next__(self) -> Clustering:
        return next(self.results)


class _CampaignDetails:
    """Each campaign's cohesion (the mean Jaccard similarity of a sample of ~200 members to its template) and its
    members' additions (members with quotations judged again without them: a quotation is not an addition).

    Holds only the canonical texts it needs (templates and sampled members), so the consultation's are freed
    before the term counts are made; :meth:`fill` works for all campaigns in one vectorised pass each (one call per
    campaign cost seconds at 100k; a million comments hold ~18,000 campaigns, most of them a few copies)."""

    def __init__(self, duplicates: list[Any], active: list[int], canon: list[str], texts: list[str],
                 has_quotes: np.ndarray, index: DraftIndex | None, boilerplate: Any) -> None:
        self.duplicates, self.active, self.texts, self.index, self.boilerplate = (
            duplicates, active, texts, index, boilerplate)
        self.requoted = [active[i] for dup in duplicates for i in dup.additions if has_quotes[active[i]]]
        self.template_canon = [canon[active[dup.template_index]] for dup in duplicates]
        self.sampled = [dup.members[:: max(1, len(dup.members) // 200)] for dup in duplicates]
        self.flat = [canon[active[i]] for chosen in self.sampled for i in chosen]

    def fill(self, groups: list[Group], ids: list[int | str]) -> None:
        """Set the cohesion and additions of ``groups`` (the campaigns' groups, in order); ``ids``: the comment id
        of each kept comment."""
        active = self.active
        cut = dict(zip(self.requoted, _without_quotes_many([self.texts[m] for m in self.requoted], self.index)))
        templates = shingle_sets(self.template_canon)
        flat = self.flat
        # Shingled a block at a time as the loop takes them: sets of Python ints for every sampled member at once
        # (~300,000 at 1M) would hold gigabytes.
        samples = chain.from_iterable(shingle_sets(flat[at:at + SHINGLE_BLOCK]) for at in range(0, len(flat), SHINGLE_BLOCK))
        recut = [[active[i] for i in dup.additions if active[i] in cut] for dup in self.duplicates]
        readded = iter(campaign_additions([(cut[m], n) for n, ms in enumerate(recut) for m in ms],
                                          list(zip(templates, self.template_canon)), boilerplate=self.boilerplate))
        for n, (dup, g) in enumerate(zip(self.duplicates, groups)):
            template = templates[n]
            sims = [len(s & template) / max(1, len(s | template)) for s in (next(samples) for _ in self.sampled[n])]
            again = {m: next(readded) for m in recut[n]}
            additions = {}
            for i, sentences in dup.additions.items():
                sentences = again.get(active[i], sentences)
                if sentences:
                    additions[ids[active[i]]] = sentences
            g.cohesion = round(sum(sims) / len(sims), 4)
            g.additions = additions


def _without_quotes_many(texts: list[str], index: DraftIndex | None) -> list[str]:
    """The texts as written with their quotations of the draft cut out (each replaced by a comma)."""
    out = []
    for text, quotations in zip(texts, quotations_many(texts, index)):
        parts, at = [], 0
        for q in sorted(quotations, key=lambda q: q.start):
            parts.append(text[at:q.start])
            parts.append("，")
            at = max(at, q.end)
        parts.append(text[at:])
        out.append("".join(parts))
    return out


def flag_of(grouping: Grouping, comment_id: int | str) -> NoiseFlag | None:
    """The noise flag of one comment in a grouping (None when it was not proposed as noise)."""
    group = grouping.group_of(comment_id)
    if group is None or group.noise_reason is None:
        return None
    return NoiseFlag(group.noise_reason, tuple(grouping.noise_evidence.get(comment_id, ())))


def mixed_share(grouping: Grouping) -> float:
    """Share of clustered comments that sit in groups flagged too mixed (a figure for benchmarks)."""
    sizes = np.array([g.size for g in grouping.groups if g.kind == "cluster"])
    mixed = np.array([g.size for g in grouping.groups if g.kind == "cluster" and g.too_mixed])
    return float(mixed.sum() / sizes.sum()) if sizes.sum() else 0.0
