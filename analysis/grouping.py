"""The whole chain the portal runs: duplicates → clusters per clause → groups staff review.

Word vectors are learnt once from every comment (a campaign once) and the draft's own sentences, so that even a
clause with a dozen comments is clustered in a space that knows which words go together. A campaign (exact or
near-duplicate copies) is clustered once, through its template, and keeps its size: the
cluster that takes it lists every copy among its members. Comments that cannot be processed (no text, nothing
but punctuation or emoji) are returned in ``Grouping.unprocessed`` with a reason, never dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from draft.model import Draft

from .clustering import cluster
from .duplicates import (
    ADDITION_OVERLAP,
    BANDS,
    JACCARD,
    NUM_PERM,
    SHINGLE,
    find_duplicates,
    shingle_set,
)
from .normalize import canonical, split_sentences
from .terms import tokenizer_for_draft
from .tokenize import Tokenizer, default_tokenizer
from .vectorize import fit_word_vectors
from .version import ANALYSIS_VERSION

#: Partitions with fewer units than this are not clustered (each unit stands alone).
MIN_UNITS_TO_CLUSTER = 3
CAMPAIGN_LABEL_TERMS = 8


@dataclass
class CommentIn:
    """One stored comment as the portal hands it over (``tokens`` as stored, so nothing is re-tokenised)."""

    id: int | str
    text: str
    clause_key: str | None = None
    tokens: list[str] | None = None


@dataclass
class Group:
    """A set of comments staff review as one opinion.

    ``kind``: ``campaign`` (copies of one template), ``cluster`` (comments on one topic; campaign copies
    included, see ``campaigns``) or ``singleton``. ``clause_key`` None means the whole draft. A campaign that
    sits inside a cluster names it in ``parent``. ``additions`` (campaigns only) maps a member id to the
    sentences it added to the template.
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

    @property
    def size(self) -> int:
        return len(self.member_ids)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "clause_key": self.clause_key, "member_ids": list(self.member_ids),
                "label_terms": list(self.label_terms), "representative_id": self.representative_id,
                "cohesion": self.cohesion, "size": self.size, "campaigns": list(self.campaigns),
                "parent": self.parent,
                "additions": [{"id": k, "sentences": list(v)} for k, v in self.additions.items()]}


@dataclass
class Unprocessed:
    id: int | str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "reason": self.reason}


@dataclass
class Grouping:
    groups: list[Group]
    unprocessed: list[Unprocessed]
    params: dict[str, Any]
    version: str = ANALYSIS_VERSION

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (ids stay int or str as given)."""
        return {"version": self.version, "params": dict(self.params), "groups": [g.to_dict() for g in self.groups],
                "unprocessed": [u.to_dict() for u in self.unprocessed]}

    def group_of(self, comment_id: int | str) -> Group | None:
        """The top-level group (cluster, singleton, or a campaign outside any cluster) holding a comment."""
        for g in self.groups:
            if g.parent is None and comment_id in g.member_ids:
                return g
        return None


@dataclass
class _Unit:
    """What clustering sees: one comment, or one campaign through its template."""

    index: int  # the comment (or the campaign template) in the processable list
    members: list[int]
    campaign: Group | None = None


def _majority_clause(keys: list[str | None]) -> str | None:
    counts = Counter(keys).most_common()
    top = counts[0][1]
    tied = sorted((k for k, c in counts if c == top), key=lambda k: (k is not None, k or ""))
    return tied[0]


def _top_terms(tokens: list[str], top: int) -> list[str]:
    counts = Counter(tokens)
    first = {t: i for i, t in reversed(list(enumerate(tokens)))}
    return sorted(counts, key=lambda t: (-counts[t], first[t]))[:top]


def group_comments(comments: Sequence[CommentIn], draft: Draft | None = None, *, k: int | None = None,
                   random_state: int = 0, tokenizer: Tokenizer | None = None,
                   progress: Callable[[str, int, int], None] | None = None) -> Grouping:
    """Group comments for review: campaigns first, then clusters within each clause and among whole-draft ones.

    Comments without ``tokens`` are tokenised with ``tokenizer`` (default: one built from the draft's terms).
    ``k`` is used in every partition (capped by its size); None lets each partition choose (see
    :func:`analysis.cluster`). Deterministic for the same comments in the same order. ``progress(stage, done,
    total)`` is called as stages finish (``tokenise``, ``duplicates``, ``vectors``, then ``cluster`` once per
    partition) so a CLI can draw a progress bar.
    """
    def report(stage: str, done: int, total: int) -> None:
        if progress is not None:
            progress(stage, done, total)

    ids = [c.id for c in comments]
    if len(set(ids)) != len(ids):
        raise ValueError("comment ids must be unique")
    if tokenizer is None:
        tokenizer = tokenizer_for_draft(draft) if draft is not None else default_tokenizer()
    unprocessed: list[Unprocessed] = []
    kept: list[CommentIn] = []
    kept_canon: list[str] = []
    for c in comments:
        if not isinstance(c.text, str) or not c.text.strip():
            unprocessed.append(Unprocessed(c.id, "empty"))
            continue
        canon = canonical(c.text)
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

    groups: list[Group] = []
    units: list[_Unit] = []
    in_campaign: set[int] = set()
    for n, dup in enumerate(find_duplicates(texts, random_state=random_state, canonical_texts=kept_canon), start=1):
        template = shingle_set(kept_canon[dup.template_index])
        sims = []
        for i in dup.members[:: max(1, len(dup.members) // 200)]:  # a sample of up to ~200 members
            s = shingle_set(kept_canon[i])
            sims.append(len(s & template) / max(1, len(s | template)))
        g = Group(id=f"campaign-{n}", kind="campaign",
                  clause_key=_majority_clause([kept[i].clause_key for i in dup.members]),
                  member_ids=[kept[i].id for i in dup.members],
                  label_terms=_top_terms(tokens[dup.template_index], CAMPAIGN_LABEL_TERMS),
                  representative_id=kept[dup.template_index].id, cohesion=round(sum(sims) / len(sims), 4),
                  additions={kept[i].id: s for i, s in dup.additions.items()})
        groups.append(g)
        units.append(_Unit(dup.template_index, list(dup.members), g))
        in_campaign.update(dup.members)
    report("duplicates", len(kept), len(kept))
    units.extend(_Unit(i, [i]) for i in range(len(kept)) if i not in in_campaign)
    units.sort(key=lambda u: u.members[0])

    partitions: dict[str | None, list[_Unit]] = {}
    for u in units:
        key = u.campaign.clause_key if u.campaign else kept[u.index].clause_key
        partitions.setdefault(key, []).append(u)
    order = sorted(partitions, key=lambda key: (key is not None, key or ""))
    if draft is not None:
        position: dict[str | None, int] = {c.key: i for i, c in enumerate(draft.walk())}
        order.sort(key=lambda key: (key is not None, position.get(key, len(position)), key or ""))

    background = [tokens[u.index] for u in units]
    if draft is not None:
        background += tokenizer.tokenize_many(
            [s for c in draft.walk() for s in split_sentences(f"{c.heading}。{c.body}")])
    word_vectors = fit_word_vectors(background, min_df=2 if len(background) >= 1000 else 1,
                                    random_state=random_state)
    report("vectors", len(background), len(background))
    counter: Counter[tuple[str, str]] = Counter()

    def new_id(prefix: str, clause_key: str | None) -> str:
        scope = clause_key if clause_key is not None else "draft"
        counter[(prefix, scope)] += 1
        return f"{scope}/{prefix}-{counter[(prefix, scope)]}"

    def alone(u: _Unit, clause_key: str | None) -> None:
        if u.campaign is None:
            groups.append(Group(id=new_id("singleton", clause_key), kind="singleton", clause_key=clause_key,
                                member_ids=[kept[u.index].id], label_terms=_top_terms(tokens[u.index], 5),
                                representative_id=kept[u.index].id, cohesion=1.0))

    for step, key in enumerate(order, start=1):
        part = partitions[key]
        report("cluster", step, len(order))
        if len(part) < MIN_UNITS_TO_CLUSTER:
            for u in part:
                alone(u, key)
            continue
        result = cluster([texts[u.index] for u in part], k=k, tokens=[tokens[u.index] for u in part],
                         random_state=random_state, word_vectors=word_vectors)
        for u, a in zip(part, result.assignments):
            if a < 0:
                alone(u, key)
        for found in result.clusters:
            members = [part[i] for i in found.members]
            if len(members) == 1:
                alone(members[0], key)
                continue
            gid = new_id("cluster", key)
            campaigns = [u.campaign for u in members if u.campaign is not None]
            for camp in campaigns:
                camp.parent = gid
            groups.append(Group(id=gid, kind="cluster", clause_key=key,
                                member_ids=[kept[i].id for u in members for i in u.members],
                                label_terms=list(found.label_terms),
                                representative_id=kept[part[found.representative].index].id,
                                cohesion=found.cohesion, campaigns=[camp.id for camp in campaigns]))
    params = {"analysis_version": ANALYSIS_VERSION, "k": k, "random_state": random_state,
              "min_units_to_cluster": MIN_UNITS_TO_CLUSTER, "shingle": SHINGLE, "num_perm": NUM_PERM, "bands": BANDS,
              "duplicate_jaccard": JACCARD, "addition_overlap": ADDITION_OVERLAP,
              "user_terms": len(tokenizer.user_terms), "comments": len(comments),
              "word_vectors": None if word_vectors is None else len(word_vectors.vocabulary)}
    return Grouping(groups=groups, unprocessed=unprocessed, params=params)
