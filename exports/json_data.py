"""The feedback as open data: JSON following the versioned schema in ``docs/report-json.md``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from . import comparison, wording
from .public import channel_label, public_view
from .report import CHANNELS, ClauseChange, ClauseRef, Counts, MemberComment, Opinion, Report, Topic

SCHEMA = "comment-portal/feedback-report"
SCHEMA_VERSION = "1.2"
"""1.2 added ``correction`` and ``revision_table``; 1.1 added ``opinions[].numbered``,
``counts.submitters_known`` and ``text.support``; 1.0 and 1.1 documents load."""


def _date(d: date | None) -> str | None:
    return d.isoformat() if d else None


def report_data(report: Report) -> dict[str, Any]:
    """The JSON document as Python values (no contact details, citizen text redacted)."""
    counts = report.counts
    assert counts is not None
    view = public_view(report)
    show_submitter = report.identity != "none"
    include_comments = report.include_comment_annex
    opinions = []
    for po in view.opinions:
        op = po.opinion
        opinions.append(
            {
                "number": po.number,
                "numbered": po.numbered,
                "clause": (
                    {"key": op.clause.key, "label": op.clause.label, "heading": op.clause.heading, "title": op.clause.title}
                    if op.clause
                    else None
                ),
                "summary": op.summary,
                "decision": op.decision or None,
                "supportive": op.supportive,
                "reason": op.reason or None,
                "reply": op.reply or None,
                "comment_count": op.comment_count,
                "submitter_count": op.submitter_count,
                "submitters": po.submitters if show_submitter else None,
                "change": ({"before": op.change.before, "after": op.change.after}
                           | ({"proposed": True} if op.change.proposed else {})) if op.change else None,
                "comments": [
                    {
                        "number": c.number,
                        "text": c.text,
                        "submitter": c.submitter if show_submitter else None,
                        "submitter_type": c.submitter_type,
                        "channel": c.channel,
                    }
                    for c in po.comments
                ]
                if include_comments
                else [],
            }
        )
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "title": report.title,
        "draft_title": report.draft_title,
        "issuer": report.issuer,
        "window": {"opens_on": _date(report.opens_on), "closes_on": _date(report.closes_on)},
        "report_date": _date(report.report_date),
        "version": report.version,
        "published_where": report.published_where or None,
        "legal_basis": report.legal_basis or None,
        "channels": [{"code": ch, "label": channel_label(ch)} for ch in report.channels],
        "identity": report.identity,
        "categories": list(report.categories),
        "counts": {
            "received": counts.received,
            "valid": counts.valid,
            "excluded_spam": counts.excluded_spam,
            "excluded_duplicate": counts.excluded_duplicate,
            "submitters": counts.submitters,
            "submitters_known": counts.submitters_known,
            "supportive": counts.supportive,
            "undecided": counts.undecided,
            "by_category": [{"category": k, "count": counts.by_category.get(k, 0)} for k in report.categories],
            "by_channel": [{"code": k, "label": channel_label(k), "count": n} for k, n in counts.by_channel.items()],
            "by_submitter_type": [{"type": k, "count": n} for k, n in counts.by_submitter_type.items()],
        },
        "topics": [
            {"label": t.label, "count": t.count, "share": round(report.topic_share(t), 4)} for t in report.topics
        ],
        "text": {
            "process": wording.process_paragraph(report),
            "counts": wording.counts_paragraph(report),
            "topics": wording.topics_sentence(report) or None,
            "support": wording.support_sentence(report) or None,
            "closing": wording.CLOSING,
        },
        "comments_included": include_comments,
        "opinions": opinions,
        "correction": {"kind": report.correction_kind, "text": report.correction}
        if report.correction.strip() else None,
        "revision_table": comparison.table_data(report.revisions) if report.revisions is not None else None,
    }


def render(report: Report) -> bytes:
    return (json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _clause_ref(clause: dict[str, Any]) -> ClauseRef:
    """The title is citation-or-label + heading; recover a citation that differs from the label."""
    title, heading, label = clause.get("title") or "", clause["heading"] or "", clause["label"] or ""
    cited = title[: len(title) - len(heading)] if heading and title.endswith(heading) else ""
    return ClauseRef(clause["key"], label, heading, citation=cited if cited and cited != label else "")


def load(data: bytes | str | dict[str, Any]) -> Report:
    """Rebuild the Report a document made by :func:`render` came from (the inverse of ``render``).

    Used to render other formats from a stored, published JSON snapshot.

    Comment text in the document is already redacted and submitters are already displayed per
    identity mode (individuals as 个人, organisations named only with consent); they are put back so
    that ``exports`` renders exactly the same documents.
    """
    if isinstance(data, (bytes, str)):
        data = json.loads(data)
    if (not isinstance(data, dict) or data.get("schema") != SCHEMA
            or str(data.get("schema_version", "")).split(".")[0] != SCHEMA_VERSION.split(".")[0]):
        raise ValueError(f"not a {SCHEMA} {SCHEMA_VERSION} document")
    code_of = {label: code for code, label in CHANNELS.items()}
    opinions: list[Opinion] = []
    clause_order: list[str] = []
    for o in data["opinions"]:
        clause = o["clause"]
        ref = _clause_ref(clause) if clause else None
        if ref and ref.key not in clause_order:
            clause_order.append(ref.key)
        members = [
            MemberComment(
                text=c["text"],
                organisation=c["submitter"] or "",
                submitter_type=c["submitter_type"],
                channel=code_of.get(c["channel"], c["channel"]),
                submitter_id=f"{o['number']}.{c['number']}",
                publish_organisation=True,  # the document already shows only what may be shown
            )
            for c in o["comments"]
        ]
        opinions.append(Opinion(
            summary=o["summary"],
            clause=ref,
            decision=o["decision"] or "",
            reason=o["reason"] or "",
            comments=members,
            comment_count=o["comment_count"],
            submitter_count=o["submitter_count"],
            change=ClauseChange(o["change"]["before"], o["change"]["after"], bool(o["change"].get("proposed")))
            if o["change"] else None,
            supportive=o["supportive"],
            shown_submitters=o.get("submitters") or "",
        ))
    c = data["counts"]
    counts = Counts(
        received=c["received"], valid=c["valid"], excluded_spam=c["excluded_spam"],
        excluded_duplicate=c["excluded_duplicate"], submitters=c["submitters"],
        by_category={x["category"]: x["count"] for x in c["by_category"]},
        supportive=c["supportive"], undecided=c["undecided"],
        by_channel={x["code"]: x["count"] for x in c["by_channel"]},
        by_submitter_type={x["type"]: x["count"] for x in c["by_submitter_type"]},
        submitters_known=c.get("submitters_known", True),  # absent before schema 1.1
    )
    window = data["window"]
    return Report(
        draft_title=data["draft_title"],
        issuer=data["issuer"],
        opens_on=date.fromisoformat(window["opens_on"]) if window["opens_on"] else None,
        closes_on=date.fromisoformat(window["closes_on"]) if window["closes_on"] else None,
        report_date=date.fromisoformat(data["report_date"]) if data["report_date"] else None,
        opinions=opinions,
        published_where=data["published_where"] or "",
        channels=[ch["code"] for ch in data["channels"]],
        legal_basis=data["legal_basis"] or "",
        version=data["version"],
        identity=data["identity"],
        categories=tuple(data["categories"]),
        clause_order=clause_order,
        topics=[Topic(t["label"], t["count"], t["share"]) for t in data["topics"]],
        counts=counts,
        title=data["title"],
        include_comment_annex=data["comments_included"],
        correction=(data.get("correction") or {}).get("text", ""),  # absent before schema 1.2
        correction_kind=(data.get("correction") or {}).get("kind", ""),
        revisions=comparison.load_table(data["revision_table"]) if data.get("revision_table") else None,
        validate=False,
    )
