"""Versions of the feedback report: the content an approval is bound to, and what changed between two.

An approval (审核通过) is bound to the exact content of the report: :func:`content_hash` is the SHA-256 of
its JSON document (``json_data.report_data``) without the fields that change with every rendering (the
version number and the report's date), so any change to a decision, reason, summary, count, setting,
更正说明 or 修改对照表 gives another hash.

:func:`differences` lists what a reader would see change from one version's document to the next,
opinion by opinion. Opinion numbers shift when an opinion is added before another, so opinions are
paired by the comments they stand for when the caller knows them (``members``: opinion number → ids),
else by clause and summary.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from .json_data import report_data
from .report import Report

VOLATILE: tuple[str, ...] = ("version", "report_date")
"""Keys of the JSON document that differ between two renderings of the same content."""


def content_document(report: Report | Mapping[str, Any]) -> dict[str, Any]:
    """The report's JSON document without its volatile keys (and without any private key ``x-…``)."""
    data = report_data(report) if isinstance(report, Report) else dict(report)
    # Through JSON once, so dates and tuples compare as a stored document's would.
    data = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    return {k: v for k, v in data.items() if k not in VOLATILE and not k.startswith("x-")}


def content_hash(report: Report | Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of :func:`content_document`."""
    canonical = json.dumps(content_document(report), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Difference:
    """One visible change: ``where`` (报告, 意见3, a clause of the 修改对照表), ``what`` changed, and the
    text before and after ("" for something added or removed)."""

    where: str
    what: str
    before: str
    after: str


_REPORT_FIELDS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("标题", lambda d: d.get("title")),
    ("发布单位", lambda d: d.get("issuer")),
    ("发布渠道", lambda d: d.get("published_where")),
    ("依据", lambda d: d.get("legal_basis")),
    ("提出人显示方式", lambda d: d.get("identity")),
    ("附意见原文", lambda d: "是" if d.get("comments_included") else "否"),
    ("征求意见时间", lambda d: "{opens_on} 至 {closes_on}".format(**d["window"]) if d.get("window") else ""),
    ("意见统计", lambda d: (d.get("text") or {}).get("counts")),
    ("主要意见", lambda d: (d.get("text") or {}).get("topics")),
    ("致谢", lambda d: (d.get("text") or {}).get("support")),
    ("更正说明", lambda d: (d.get("correction") or {}).get("text")),
)

_OPINION_FIELDS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("对应条款", lambda o: (o.get("clause") or {}).get("title") or "征求意见稿整体"),
    ("意见内容", lambda o: o.get("summary")),
    ("采纳情况", lambda o: o.get("decision") or ("表示支持" if o.get("supportive") else "待定")),
    ("理由说明", lambda o: o.get("reply") or o.get("reason")),
    ("修改后表述", lambda o: (o.get("change") or {}).get("after")),
    ("意见条数", lambda o: o.get("comment_count")),
)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _field_changes(where: str, fields: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...],
                   old: dict[str, Any], new: dict[str, Any]) -> list[Difference]:
    out = []
    for what, get in fields:
        before, after = _text(get(old)), _text(get(new))
        if before != after:
            out.append(Difference(where, what, before, after))
    return out


def _name(opinion: dict[str, Any]) -> str:
    return f"意见{opinion['number']}" if opinion.get("numbered", True) else "表示支持的意见"


def pair_opinions(old: list[dict[str, Any]], new: list[dict[str, Any]], *,
                  old_members: Mapping[int, AbstractSet[int]] | None = None,
                  new_members: Mapping[int, AbstractSet[int]] | None = None) -> list[tuple[int | None, int | None]]:
    """(old index, new index) for every opinion of both lists, paired; None where one side has none.

    First by the comments two opinions share (most shared first), then by clause and summary, then by
    clause alone when a clause has exactly one opinion left on each side. In the new list's order, with
    removed opinions last."""
    pairs: dict[int, int] = {}   # new index → old index
    if old_members is not None and new_members is not None:
        scored = sorted(
            ((len(new_members.get(n["number"], set()) & old_members.get(o["number"], set())), j, i)
             for j, n in enumerate(new) for i, o in enumerate(old)),
            key=lambda x: (-x[0], x[1], x[2]),
        )
        for shared, j, i in scored:
            if shared and j not in pairs and i not in pairs.values():
                pairs[j] = i

    def clause_key(o: dict[str, Any]) -> str | None:
        return (o.get("clause") or {}).get("key")

    for same in (lambda a, b: clause_key(a) == clause_key(b) and a.get("summary") == b.get("summary"), None):
        for j, n in enumerate(new):
            if j in pairs:
                continue
            left = [i for i, o in enumerate(old) if i not in pairs.values() and clause_key(o) == clause_key(n)]
            if same is not None:
                match = [i for i in left if same(old[i], n)]
            else:  # one opinion left on this clause on each side: the same opinion, reworded
                others = [k for k, m in enumerate(new) if k not in pairs and clause_key(m) == clause_key(n)]
                match = left if len(left) == 1 and len(others) == 1 else []
            if match:
                pairs[j] = match[0]
    out: list[tuple[int | None, int | None]] = [(pairs.get(j), j) for j in range(len(new))]
    out += [(i, None) for i in range(len(old)) if i not in pairs.values()]
    return out


def _revision_changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Difference]:
    if old == new:
        return []
    if old is None or new is None:
        return [Difference("修改对照表", "", "" if old is None else f"{len(old['rows'])}处修改",
                           "" if new is None else f"{len(new['rows'])}处修改")]
    before = {r["clause"]: r for r in old["rows"]}
    after = {r["clause"]: r for r in new["rows"]}
    out = []
    for clause in dict.fromkeys([*after, *before]):
        a, b = before.get(clause), after.get(clause)
        where = f"修改对照表·{clause}"
        if a is None or b is None:
            out.append(Difference(where, "", "" if a is None else a["after"] or a["before"],
                                  "" if b is None else b["after"] or b["before"]))
            continue
        if a["after"] != b["after"]:
            out.append(Difference(where, "修改后", a["after"], b["after"]))
        if a["basis"] != b["basis"]:
            out.append(Difference(where, "修改依据", "、".join(map(str, a["basis"])), "、".join(map(str, b["basis"]))))
    return out


def differences(old: Mapping[str, Any], new: Mapping[str, Any], *,
                old_members: Mapping[int, AbstractSet[int]] | None = None,
                new_members: Mapping[int, AbstractSet[int]] | None = None) -> list[Difference]:
    """What changed from the JSON document ``old`` to ``new`` (report settings and sentences, each opinion,
    the 修改对照表). An opinion added or removed is one difference with an empty side."""
    a, b = content_document(old), content_document(new)
    out = _field_changes("报告", _REPORT_FIELDS, a, b)
    olds, news = a.get("opinions", []), b.get("opinions", [])
    for i, j in pair_opinions(olds, news, old_members=old_members, new_members=new_members):
        if i is None:
            assert j is not None
            out.append(Difference(_name(news[j]), "新增意见", "", news[j]["summary"]))
        elif j is None:
            out.append(Difference(_name(olds[i]), "删除意见", olds[i]["summary"], ""))
        else:
            where = _name(news[j]) + (f"（原{_name(olds[i])}）" if olds[i]["number"] != news[j]["number"] else "")
            out += _field_changes(where, _OPINION_FIELDS, olds[i], news[j])
    return out + _revision_changes(a.get("revision_table"), b.get("revision_table"))
