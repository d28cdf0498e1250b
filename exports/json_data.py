"""The feedback as open data: JSON following the versioned schema in ``docs/report-json.md``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from . import wording
from .public import channel_label, public_view
from .report import Report

SCHEMA = "comment-portal/feedback-report"
SCHEMA_VERSION = "1.0"


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
                "change": {"before": op.change.before, "after": op.change.after} if op.change else None,
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
            "closing": wording.CLOSING,
        },
        "comments_included": include_comments,
        "opinions": opinions,
    }


def render(report: Report) -> bytes:
    return (json.dumps(report_data(report), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
