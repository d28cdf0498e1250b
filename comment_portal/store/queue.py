"""The triage queue of a consultation: the comments matching staff's filters, a page at a time, with a count
for every value of every filter (facets). Read-only; the changes staff make to a comment are in
``comments.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from ..db import rows, scalar, sql_list
from ..vocabulary import IGNORED
from .analysis_runs import first_run_max, last_run
from .comments import is_new
from .rows import Comment, all_as

#: A noise proposal of the analysis that staff have not confirmed or rejected yet.
NOISE_PROPOSED = "(m.noise_reason IS NOT NULL AND m.noise_review IS NULL AND m.status IN ('pending', 'grouped'))"
WHOLE = "__whole__"  # the clause filter value for comments on the draft as a whole
PAGE_SIZE = 50


@dataclass
class Filters:
    clause: str = ""  # clause key, WHOLE, or "" for all
    status: str = ""
    channel: str = ""
    submitter_type: str = ""
    group: str = ""  # group id, "none" for comments in no group, "" for all
    q: str = ""
    new: bool = False  # only comments that arrived after the last analysis run
    noise: bool = False  # only noise proposals of the analysis awaiting staff (疑似广告 / 与征求意见无关)

    def active(self) -> dict[str, Any]:
        values = {"clause": self.clause, "status": self.status, "channel": self.channel,
                  "type": self.submitter_type, "group": self.group, "q": self.q, "new": "1" if self.new else "",
                  "noise": "1" if self.noise else ""}
        return {k: v for k, v in values.items() if v}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(consultation_id: int, f: Filters, last_max: int | None, skip: str = "") -> tuple[str, list[Any]]:
    clauses = ["m.consultation_id = ?"]
    params: list[Any] = [consultation_id]
    group = (int(f.group) if f.group.isdigit() else -1) if f.group != "none" else None
    # (filter name, column, value to match (None: IS NULL), the filter as given): each facet is left out when
    # counting its own values.
    facets = (("clause", "m.clause_key", None if f.clause == WHOLE else f.clause, f.clause),
              ("status", "m.status", f.status, f.status), ("channel", "m.channel", f.channel, f.channel),
              ("type", "m.submitter_type", f.submitter_type, f.submitter_type), ("group", "m.group_id", group, f.group))
    for name, column, value, given in facets:
        if given and skip != name:
            clauses.append(f"{column} IS NULL" if value is None else f"{column} = ?")
            params.extend([] if value is None else [value])
    if f.q:
        like = f"%{_escape_like(f.q)}%"
        clauses.append("(m.body LIKE ? ESCAPE '\\' OR m.name LIKE ? ESCAPE '\\' OR m.receipt_code LIKE ? ESCAPE '\\')")
        params += [like, like, like]
    if f.noise and skip != "noise":
        clauses.append(NOISE_PROPOSED)
    if f.new and skip != "new":
        clauses.append("m.id > ?")
        params.append(last_max or 0)
    return " AND ".join(clauses), params


def counts(db: Database, consultation_id: int, f: Filters) -> dict[str, dict[Any, int]]:
    """For each filter, the number of comments per value given all the OTHER filters (facet counts)."""
    last = last_run(db, consultation_id)
    last_max = last["max_comment_id"] if last else None
    out: dict[str, dict[Any, int]] = {}
    for name, column in (("clause", "m.clause_key"), ("status", "m.status"), ("channel", "m.channel"),
                         ("type", "m.submitter_type"), ("group", "m.group_id")):
        where, params = _where(consultation_id, f, last_max, skip=name)
        out[name] = {r["v"]: r["n"] for r in rows(db, f"SELECT {column} AS v, count(*) AS n FROM comments m "
                                                      f"WHERE {where} GROUP BY 1", params)}
    where, params = _where(consultation_id, f, last_max, skip="new")
    out["new"] = {
        "1": scalar(db, f"SELECT count(*) FROM comments m WHERE {where} AND m.id > ?", [*params, last_max or 0]) or 0
    }
    where, params = _where(consultation_id, f, last_max, skip="noise")
    out["noise"] = {"1": scalar(db, f"SELECT count(*) FROM comments m WHERE {where} AND {NOISE_PROPOSED}", params) or 0}
    return out


def page(db: Database, consultation_id: int, f: Filters, page_no: int = 1,
         page_size: int = PAGE_SIZE) -> tuple[list[Comment], int]:
    """One page of the queue (oldest first) and the total number of matching comments."""
    last = last_run(db, consultation_id)
    last_max = last["max_comment_id"] if last else None
    new_after = first_run_max(db, consultation_id)
    where, params = _where(consultation_id, f, last_max)
    total = scalar(db, f"SELECT count(*) FROM comments m WHERE {where}", params) or 0
    found = all_as(
        Comment,
        db,
        f"""
        SELECT m.*, cl.label AS clause_label, cl.heading AS clause_heading, g.title AS group_title
        FROM comments m
        LEFT JOIN clauses cl ON cl.consultation_id = m.consultation_id AND cl.key = m.clause_key
        LEFT JOIN groups g ON g.id = m.group_id
        WHERE {where} ORDER BY m.id LIMIT ? OFFSET ?
        """,
        [*params, page_size, max(0, page_no - 1) * page_size],
    )
    for comment in found:
        comment.is_new = is_new(comment, new_after)
    return found, total


def new_since_last_run(db: Database, consultation_id: int) -> int:
    last = last_run(db, consultation_id)
    return scalar(db, "SELECT count(*) FROM comments WHERE consultation_id = ? AND id > ? "
                  f"AND status NOT IN {sql_list(IGNORED)}",
                  [consultation_id, last["max_comment_id"] or 0 if last else 0]) or 0
