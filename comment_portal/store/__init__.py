"""The query modules: the only SQL outside ``db.py``, one module per table or task.

Reads return rows; every state change is one function that opens the write (``db.write``: BEGIN
IMMEDIATE), changes the rows and records the audit row in the same transaction. Views call these and
never write SQL, open a transaction or record an audit row themselves.

- ``attachments`` — files sent with a comment: names, kinds, extracted text
- ``consultations`` — drafts as consultations and their clauses
- ``comments`` — storing, looking up and counting comments; staff's changes to one (status, note, clause)
- ``queue`` — the triage queue: filters, pages and facet counts (read-only)
- ``groups`` — groups of comments: reads, and staff's changes (new, move, rename, merge, split, campaign)
- ``decisions`` — decisions per group and per comment, categories, bulk thanks
- ``analysis_runs`` — running the analysis and saving its run and groups (through ``groups``)
- ``noise`` — noise proposals of the analysis (疑似广告 / 与征求意见无关): staff confirm or reject each
- ``reports`` — the 公众意见采纳情况反馈 built from the database (an ``exports.Report``)
- ``published`` — published versions: immutable snapshots and their downloads
- ``signoff`` — review and sign-off of the report (提交审核, 审核通过 / 退回修改, 签发发布), bound to its content
- ``draft_versions`` — the revised draft (送审稿) and the 修改对照表 it gives
- ``archive`` — the record: the 归档包 and the 意见采纳情况报告（报审稿）
- ``feedback_settings`` — per-consultation report settings
- ``submitter_rights`` — withdrawal by the submitter, erasure of personal data on request
- ``receipts`` — what a submitter's receipt shows (masked text, parts, attachments, published outcome)
- ``outbox`` — receipt and report mails to send, and their attempts
- ``staff`` — staff accounts, passwords, sessions
- ``audit`` — the audit log and how the audit page shows it
- ``drafts`` — consultations made from an uploaded file before they are public; fixes of the clause tree; the notice
- ``windows`` — publishing, scheduling, extending, closing early and reopening a window, within the rules
- ``holidays`` — the working-day calendar
- ``site_settings`` — who runs the portal (footer, report signature) and the feedback deadline
"""

from . import (
    analysis_runs,
    archive,
    attachments,
    audit,
    comments,
    consultations,
    decisions,
    draft_versions,
    drafts,
    feedback_settings,
    groups,
    holidays,
    noise,
    outbox,
    published,
    queue,
    receipts,
    reports,
    signoff,
    site_settings,
    staff,
    submitter_rights,
    windows,
)

__all__ = [
    "analysis_runs",
    "archive",
    "attachments",
    "audit",
    "comments",
    "consultations",
    "decisions",
    "draft_versions",
    "drafts",
    "feedback_settings",
    "groups",
    "holidays",
    "noise",
    "outbox",
    "published",
    "queue",
    "receipts",
    "reports",
    "signoff",
    "site_settings",
    "staff",
    "submitter_rights",
    "windows",
]
