"""What of a report may be published: citizen text redacted, submitters shown per identity mode.

Every public renderer (HTML, Markdown, DOCX, JSON) reads citizen-supplied text only through
:func:`public_view`, so redaction happens in one place and contact details are never read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .redact import Finding, NameIndex, mask_name, redact
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
    """How a submitter is shown: nothing (``none``), 张*祥 / organisation (``masked``), as given (``full``)."""
    if identity == "none":
        return ""
    organisation = comment.organisation.strip()
    is_org = comment.submitter_type in ORGANISATION_TYPES or (comment.submitter_type == "其他" and organisation)
    if is_org and organisation:
        shown = organisation
    elif comment.name.strip():
        shown = comment.name.strip() if identity == "full" else mask_name(comment.name)
    else:
        shown = organisation or "匿名"
    # A name field can hold anything: a phone number typed there must not survive either.
    return redact(shown, identity="full")[0]


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
    names = NameIndex(c.name for op in report.opinions for c in op.comments)
    opinions: list[PublicOpinion] = []
    comments: list[PublicComment] = []
    findings: list[tuple[int, Finding]] = []
    for number, op in report.ordered_opinions():
        displays = []
        members = []
        for c in op.comments:
            text, found = redact(c.text, names=names, identity=report.identity)
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
        submitters = _join_submitters(displays, op.submitter_count or 0) if report.identity != "none" else ""
        opinions.append(PublicOpinion(number, op, submitters, members))
    return PublicView(opinions, comments, findings)
