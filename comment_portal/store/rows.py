"""Typed rows: what the query modules return, one class per table.

A class names its table's columns first, then what some queries join in (a comment's clause label, a group's
size), which default to ``None``/0 where a query does not. :func:`from_row` builds one from a row mapping and
ignores columns the class does not name, so a migration that adds a column changes nothing until the class
names it. Templates read the same attributes (``c.slug``, ``comment.body``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

from sqlite_utils import Database

from ..db import rows
from ..vocabulary import GROUP_KINDS, NOISE_LABELS, WINDOW_CHANGES

T = TypeVar("T")


_NAMES: dict[type, frozenset[str]] = {}


def from_row(cls: type[T], row: Mapping[str, Any]) -> T:
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = frozenset(f.name for f in fields(cls))  # type: ignore[arg-type]
    return cls(**{k: v for k, v in row.items() if k in names})


def all_as(cls: type[T], db: Database, sql: str, params: Any = ()) -> list[T]:
    """Run a read and return its rows as ``cls``."""
    return [from_row(cls, row) for row in rows(db, sql, params)]


def one_as(cls: type[T], db: Database, sql: str, params: Any = ()) -> T | None:
    """The first row of a read as ``cls``, or None."""
    found = all_as(cls, db, sql, params)
    return found[0] if found else None


@dataclass
class Consultation:
    id: int
    slug: str
    title: str
    notice_title: str | None
    department: str | None
    issuing_body: str | None
    contact: str | None
    published_on: str | None  # ISO date, as the notice states
    opens_on: str  # ISO local date (Asia/Shanghai): the first day comments are taken
    closes_on: str  # ISO local date: comments are taken until the END of this day
    original_opens_on: str | None  # a demo consultation: the window the notice states
    original_closes_on: str | None
    is_demo: int
    preamble: str | None
    draft_json: str  # draft.Draft.to_dict(), the parsed draft as imported
    source_name: str | None
    created_at: str
    updated_at: str
    categories_json: str | None = None  # None: the default categories
    reason_templates_json: str | None = None
    published_where: str | None = None
    publish_comment_text: int = 0  # 附意见原文
    # its life in the staff area (m011): a draft until staff open it; the notice as the office wrote it; the
    # window's 文件类型 and 缩短理由; the uploaded file it was read from (for 原文下载)
    state: str = "public"  # vocabulary.CONSULTATION_STATES
    opened_at: str | None = None
    doc_type: str = "other"  # draft.window_rules.DOC_TYPES
    short_reason: str = ""  # 缩短理由 of a window shorter than the doc_type's minimum, shown publicly
    closed_at: str | None = None  # closed early (提前截止): no comment is taken from this moment
    announcement: str = ""  # 公告
    background: str = ""  # 背景介绍 / 起草说明
    email: str = ""
    postal_address: str = ""
    postcode: str = ""
    source_file: str | None = None  # random name under DRAFT_FILES (draft_files.py)
    source_sha256: str | None = None
    source_kind: str | None = None  # txt / docx / pdf
    source_size: int | None = None
    comment_count: int = 0  # joined in by consultations.list_with_counts


@dataclass
class Clause:
    key: str
    parent_key: str | None
    position: int
    label: str | None
    heading: str | None
    body: str | None
    level: int | None
    kind: str | None

    @property
    def text(self) -> str:
        """The clause's current wording: its body, or its heading when it has none (the 修改前 of a revision)."""
        return (self.body or self.heading or "").strip()


@dataclass
class Comment:
    id: int
    consultation_id: int
    clause_key: str | None  # None: on the draft as a whole
    body: str
    submitter_type: str | None
    name: str | None
    contact: str | None  # PRIVATE: never on a public page or in a public output
    channel: str
    received_on: str | None
    created_at: str
    receipt_code: str
    status: str
    body_hash: str | None = None  # of the whitespace-normalised text: finds the same text again
    form_token: str | None = None  # the form load it came from (web comments)
    group_id: int | None = None
    duplicate_of: int | None = None
    staff_note: str | None = None
    reviewed_at: str | None = None
    entered_by: int | None = None
    tokens: str | None = None  # JSON list, computed once when stored
    publish_organisation: int = 0
    withdrawn_at: str | None = None
    erased_at: str | None = None
    part_of: int | None = None  # a part of a submission with several opinions: its container's id
    part_no: int | None = None
    proposal: str | None = None  # 建议修改为: the wording the submitter proposed for the clause (m014)
    email_receipt: int = 0  # the submitter ticked 发送回执到邮箱 (the address is the contact)
    # what the analysis found (m015): quotations of the draft (JSON), a noise proposal and staff's review of it
    quotations: str | None = None
    noise_reason: str | None = None  # advert | off_topic: proposed as 疑似广告 / 与征求意见无关
    noise_evidence: str | None = None  # JSON list of phrases shown to staff
    noise_review: str | None = None  # confirmed | rejected
    # joined in by some queries
    clause_label: str | None = None
    clause_heading: str | None = None
    clause_body: str | None = None
    group_title: str | None = None
    entered_by_name: str | None = None
    is_new: bool = False  # arrived after the first analysis run and not yet seen by staff
    has_contact: bool = False  # set with the contact hidden from reviewers (staff/access.contact_for_role)

    @property
    def noise_proposed(self) -> bool:
        """Proposed as noise by the analysis and not yet confirmed or rejected by staff."""
        return bool(self.noise_reason) and self.noise_review is None and self.status in ("pending", "grouped")

    @property
    def noise_label(self) -> str:
        return NOISE_LABELS.get(self.noise_reason or "", self.noise_reason or "")

    @property
    def evidence(self) -> list[str]:
        return list(json.loads(self.noise_evidence)) if self.noise_evidence else []

    @property
    def quoted(self) -> list[dict[str, Any]]:
        """The stored quotations of the draft: clause_key, start, end, draft_text."""
        return list(json.loads(self.quotations)) if self.quotations else []

    @property
    def pieces(self) -> list[tuple[str, bool]]:
        """The text cut into (piece, is quoted from the draft), for showing quotations greyed."""
        out: list[tuple[str, bool]] = []
        at = 0
        for q in sorted(self.quoted, key=lambda q: q["start"]):
            start, end = max(at, int(q["start"])), min(len(self.body), int(q["end"]))
            if start >= end:
                continue
            if start > at:
                out.append((self.body[at:start], False))
            out.append((self.body[start:end], True))
            at = end
        if at < len(self.body) or not out:
            out.append((self.body[at:], False))
        return out


@dataclass
class Group:
    id: int
    consultation_id: int
    clause_key: str | None
    title: str | None
    summary: str | None  # 归纳意见
    kind: str  # vocabulary.GROUP_KINDS
    label_terms: str | None  # JSON list from the analysis
    representative_id: int | None
    run_id: int | None
    merged_into: int | None
    edited: int
    created_at: str
    updated_at: str | None
    cohesion: float | None = None  # 0-1 from the analysis (m015): how alike the members are
    too_mixed: int = 0  # probably not answerable with one decision
    noise_reason: str | None = None  # a noise group: advert | off_topic
    # joined in by some queries
    size: int = 0  # members that count (see vocabulary.NOT_COUNTED)
    member_count: int = 0
    clause_label: str | None = None
    clause_heading: str | None = None
    representative_text: str | None = None
    decision_category: str | None = None

    @property
    def terms(self) -> list[str]:
        return list(json.loads(self.label_terms)) if self.label_terms else []

    @property
    def kind_label(self) -> str:
        return GROUP_KINDS.get(self.kind, self.kind)

    @property
    def name(self) -> str:
        """The title, or 分组N while it has none."""
        return self.title or f"分组{self.id}"


@dataclass
class Decision:
    id: int
    consultation_id: int
    group_id: int | None
    comment_id: int | None
    category: str
    reason: str | None
    revised_text: str | None
    decided_by: int | None
    decided_at: str
    proposal_of: int | None = None  # the comment whose 建议修改为 this 修改后表述 adopts (m014)
    decided_by_name: str | None = None  # joined in


@dataclass
class Attachment:
    """A file sent with a comment (the container of a multi-clause submission, or a single comment). The file
    is under ``ATTACHMENT_FOLDER`` as ``stored_name``; ``text`` is what was extracted (never public)."""

    id: int
    comment_id: int
    original_name: str
    stored_name: str
    kind: str  # pdf / docx / xlsx / jpg / png
    size: int
    sha256: str
    text: str
    has_text_layer: int
    pages: int | None
    created_at: str
    text_state: str = "done"  # done / pending (文字提取中: a background job reads it) / failed (m016)


@dataclass
class StaffAccount:
    id: int
    username: str
    must_change_password: int
    disabled: int
    created_at: str
    last_login_at: str | None
    session_generation: int = 0
    password_hash: str = field(default="", repr=False)
    roles: tuple[str, ...] = ()  # vocabulary.ROLES held (table staff_roles), in that order


@dataclass(frozen=True)
class WindowChange:
    """A change of a consultation's window (``window_changes``): scheduled, opened, extended, closed early or
    reopened, with its reason (store/windows.py)."""

    id: int
    consultation_id: int
    kind: str
    opens_on_before: str | None
    closes_on_before: str | None
    opens_on: str
    closes_on: str
    reason: str
    staff_id: int | None
    actor: str
    created_at: str

    @property
    def label(self) -> str:
        return WINDOW_CHANGES.get(self.kind, self.kind)


@dataclass
class Review:
    """One submission of the feedback report for review (table report_reviews, ``store.signoff``)."""

    id: int
    consultation_id: int
    version: int
    identity: str
    content_hash: str  # exports.content_hash of the report as submitted: what an approval is bound to
    report_json: str = field(repr=False)
    correction_kind: str
    correction: str  # 更正说明 of a version after the first
    state: str  # signoff.SUBMITTED / APPROVED / RETURNED / VOIDED / PUBLISHED
    submitted_by: int | None
    submitted_at: str
    reviewed_by: int | None
    reviewed_at: str | None
    review_comment: str
    voided_at: str | None
    published_report_id: int | None
    # joined in
    submitted_by_name: str | None = None
    reviewed_by_name: str | None = None


@dataclass
class DraftVersion:
    """A revised draft (送审稿) uploaded as version 2, 3 … (table draft_versions, ``store.draft_versions``)."""

    id: int
    consultation_id: int
    version: int
    kind: str
    source_name: str
    source_sha256: str
    uploaded_by: int | None
    uploaded_at: str
    draft_json: str = field(default="", repr=False)  # not read by the version lists
    source: bytes = field(default=b"", repr=False)  # the uploaded file
    # joined in
    size: int = 0
    uploaded_by_name: str | None = None
