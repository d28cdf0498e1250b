"""How staff pages cite a clause: unambiguously (四(三)强化政策引导, not a bare (三)强化政策引导).

The seed alone has four clauses labelled (三); ``exports.clause_refs`` prefixes parents' labels until
a citation is unique. Computed once per consultation text and worker (cached by id and last update).
"""

from __future__ import annotations

import threading

from exports import ClauseRef, clause_refs

from .store.consultations import load_draft
from .store.rows import Consultation, Group
from .vocabulary import WHOLE_DRAFT

_lock = threading.Lock()
_cache: dict[tuple[int, str], dict[str, ClauseRef]] = {}


def refs_for(consultation: Consultation) -> dict[str, ClauseRef]:
    key = (consultation.id, consultation.updated_at)
    found = _cache.get(key)
    if found is None:
        found = clause_refs(load_draft(consultation).clauses)
        with _lock:
            _cache[key] = found
    return found


def cite(consultation: Consultation, clause_key: str | None, whole: str = WHOLE_DRAFT) -> str:
    """Citation and heading of a clause, or ``whole`` for comments on the draft as a whole."""
    if not clause_key:
        return whole
    ref = refs_for(consultation).get(clause_key)
    return ref.title if ref else clause_key


def group_choice(consultation: Consultation, group: Group) -> str:
    """How a group is offered in a select list (merge into, move to): 名称（四(三)强化政策引导，N条）. The clause is
    cited as above: the seed has four clauses labelled (三), and a bare label does not say which."""
    return f"{group.name}（{cite(consultation, group.clause_key, '整体')}，{group.size}条）"
