"""What of a report may be published: citizen text redacted, submitters shown per identity mode.

Every public renderer (HTML, Markdown, DOCX, JSON) reads citizen-supplied text only through
:func:`public_view`, so redaction happens in one place and contact details are never read.

Individuals are never named, not even masked: the comment form promises 姓名 is never published. An
organisation is named only when it ticked 同意公开单位名称 (``MemberComment.publish_organisation``);
otherwise it is shown by its type (企业, 社会组织).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .redact import Finding, looks_like_personal_name, redact
from .report import CHANNELS, ORGANISATION_TYPES, MemberComment, Opinion, Report


@dataclass
class PublicComment:
    number: int
    opinion_number: int
    clause_title: str
    text: str
    submitter: str
    submitter_type: str
    channel: str
    decision: str
    numbered: bool = True
    """False for a comment in a support-only opinion, which has no 意见N in the report."""

    @property
    def opinion_ref(self) -> str:
        """The annex's 对应意见 cell: ``意见3``, or ``—`` for a support-only opinion."""
        return f"意见{self.opinion_number}" if self.numbered else "—"


@dataclass
class PublicOpinion:
    number: int
    opinion: Opinion
    submitters: str
    comments: list[PublicComment] = field(default_factory=list)

    @property
    def numbered(self) -> bool:
        """Printed as 意见N (False for a support-only opinion, thanked in one sentence)."""
        return not self.opinion.support_only


@dataclass
class PublicView:
    opinions: list[PublicOpinion]
    comments: list[PublicComment]
    findings: list[tuple[int, Finding]]
    """(comment number, finding) for every piece of personal data masked: for staff, never published."""


def submitter_display(comment: MemberComment, identity: str) -> str:
    """How a submitter is shown: nothing (``none``); otherwise (``masked``, and ``full`` of older
    versions) 个人 for every individual, and an organisation's name only if it agreed to it, else its type."""
    if identity == "none":
        return ""
    organisation = comment.organisation.strip()
    is_org = comment.submitter_type in ORGANISATION_TYPES or (comment.submitter_type == "其他" and organisation)
    if not is_org:
        return "个人"
    if not (comment.publish_organisation and organisation):
        return comment.submitter_type or "单位"
    # A name field can hold anything: a phone number typed there must not survive either.
    return redact(organisation, identity="full")[0]


def redact_comment(comment: MemberComment, vocabulary: str = "") -> tuple[str, list[Finding]]:
    """A comment's text as it may be published: personal data masked, and the submitter's own name
    too when it looks like a personal name (never someone else's; ``vocabulary``: the draft's text)."""
    own = [comment.name] if comment.name and looks_like_personal_name(comment.name, vocabulary) else []
    return redact(comment.text, names=own)


def _join_submitters(displays: list[str], total: int) -> str:
    unique = list(dict.fromkeys(d for d in displays if d))
    if not unique:
        return ""
    shown = "、".join(unique[:5])
    if total > len(unique[:5]):
        shown += f"等{total}个提出人"
    return shown


def channel_label(code: str) -> str:
    return CHANNELS.get(code, code)


def public_view(report: Report) -> PublicView:
    """Opinions in presentation order with their comments redacted and submitters displayed."""
    opinions: list[PublicOpinion] = []
    comments: list[PublicComment] = []
    findings: list[tuple[int, Finding]] = []
    for number, op in report.ordered_opinions():
        displays = []
        members = []
        for c in op.comments:
            text, found = redact_comment(c, report.draft_text)
            display = submitter_display(c, report.identity)
            displays.append(display)
            pc = PublicComment(
                number=len(comments) + 1,
                opinion_number=number,
                clause_title=op.clause_title,
                text=text,
                submitter=display,
                submitter_type=c.submitter_type,
                channel=channel_label(c.channel),
                decision=op.decision_label,
                numbered=not op.support_only,
            )
            findings += [(pc.number, f) for f in found]
            comments.append(pc)
            members.append(pc)
        submitters = ""
        if report.identity != "none":
            submitters = _join_submitters(displays, op.submitter_count or 0) if op.comments else op.shown_submitters
        opinions.append(PublicOpinion(number, op, submitters, members))
    return PublicView(opinions, comments, findings)
