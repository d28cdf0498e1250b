"""Build the 公众意见采纳情况反馈 (an ``exports.Report``) from the database.

``build`` reads the consultation, its clauses, groups (merged ones resolved to the group they went
into), decisions and comments, and turns them into opinions:

* a group becomes one opinion standing for its valid members, with the group's decision;
* a comment with its own decision (an override), or one in no group, becomes its own opinion
  (an undecided ungrouped comment is listed too, so ``Report.check()`` blocks publication
  until someone decides it: no comment is silently left out of the counts).

A published version is stored as the exports JSON document (``exports.report_data``); ``exports.load``
rebuilds the ``Report`` from it, so every published format is rendered from that one snapshot
(``published.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlite_utils import Database

from exports import (
    ClauseChange,
    ClauseRef,
    Counts,
    MemberComment,
    NameIndex,
    Opinion,
    Problem,
    Report,
    Topic,
    clause_refs,
    looks_like_personal_name,
    redact,
    redact_comment,
)

from ..clock import parse_iso, to_local
from ..vocabulary import NOISE_LABELS, ORGANISATION_TYPES, SPLIT, SUPPORT, WITHDRAWN
from . import attachments as attachment_q
from . import consultations as consultation_q
from . import decisions as decision_q
from . import draft_versions, site_settings
from .rows import Comment, Consultation, Decision, Group, all_as

#: Offices of departments whose notice names only the department (the seed: 电商处 of 天津市商务局).
KNOWN_OFFICES = {"电商处": "天津市商务局"}
TOPIC_COUNT = 5


@dataclass
class Built:
    """A report with where each opinion came from, for links on the preview and the receipts."""

    report: Report
    sources: list[tuple[str, int]] = field(default_factory=list)
    """Per opinion index: ("group", group id) or ("comment", comment id)."""
    comment_opinion: dict[int, int] = field(default_factory=dict)
    """Comment id → opinion index (in ``report.opinions``)."""
    names: NameIndex = field(default_factory=lambda: NameIndex(()))
    """Individual submitters' names that look like personal names (staff wording must not use them)."""
    organisations: NameIndex = field(default_factory=lambda: NameIndex(()))
    """Names of organisations that did not tick 同意公开单位名称 (:func:`_private_organisations`)."""
    topic_groups: list[int] = field(default_factory=list)
    """Per topic (indexed like ``report.topics``): a group it was formed from, to link a problem to."""
    quoted: list[int | None] = field(default_factory=list)
    """Per opinion index: the comment whose (redacted) text the report prints as the opinion (None: staff's
    summary)."""
    from_files: set[int] = field(default_factory=set)
    noise_pending: dict[int, str] = field(default_factory=dict)
    """Opinion index → 疑似广告 / 与征求意见无关: opinions made of noise proposals staff have not settled yet."""
    parts: dict[int, tuple[int, int]] = field(default_factory=dict)
    """A split letter's part → (the letter's id, the part's number), to name it in problems as staff pages do."""
    """Parts of web submissions whose text came from a file the form promised not to publish (:func:`_from_files`)."""

    def comment_numbers(self) -> dict[int, int]:
        """Comment id → the opinion's number as presented (意见N)."""
        number_of = {id(op): n for n, op in self.report.ordered_opinions()}
        return {cid: number_of[id(self.report.opinions[i])] for cid, i in self.comment_opinion.items()}


# -- settings ----------------------------------------------------------------------------------------
def derive_issuer(department: str | None) -> str:
    """The issuing body from the drafting department: 天津市商务局电商处 → 天津市商务局."""
    department = (department or "").strip()
    if department in KNOWN_OFFICES:
        return KNOWN_OFFICES[department]
    match = re.match(r"^(.+?(?:人民政府办公厅|人民政府|委员会|局|厅|委|办公室))", department)
    return match.group(1) if match else department


def default_issuer(db: Database, configured: str = "") -> str:
    """Who signs a report whose consultation names no issuer: the site's 机关全称 (网站设置), else ``configured``
    (the ``ISSUING_BODY`` setting), else (in :func:`issuer`) the drafting department's office."""
    return site_settings.get(db).office_name or configured


def issuer(consultation: Consultation, default: str = "") -> str:
    return (consultation.issuing_body or "").strip() or default.strip() or derive_issuer(
        consultation.department)


def published_where(consultation: Consultation, default: str = "", issuing_body: str = "") -> str:
    where = (consultation.published_where or "").strip() or default.strip()
    if not where and issuing_body:
        where = f"{issuing_body}网站"
    return where


# -- building ----------------------------------------------------------------------------------------
def _squashed(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _from_files(db: Database, comments: list[Comment]) -> set[int]:
    """The parts of web submissions that carry text of the files sent with them. The form says 附件仅供工作人员阅读，
    不会公开, but a paper split by clause (``submission.letter_parts``) makes each clause's passage of the file an
    ordinary comment, whose text the report would print. A line of a part that is not in what was typed (the
    container's body) came from a file."""
    containers = {c.id: c for c in comments if c.status == SPLIT and c.channel == "web"}
    files = attachment_q.of_comments(db, containers)
    found = set()
    for row in comments:
        if row.part_of not in containers or not any(a.text.strip() for a in files[row.part_of]):
            continue
        typed = _squashed(containers[row.part_of].body)
        if any(line not in typed for line in map(_squashed, row.body.splitlines()) if line):
            found.add(row.id)
    return found


def _local_date(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _member(row: Comment) -> MemberComment:
    name = (row.name or "").strip()
    is_org = row.submitter_type in ORGANISATION_TYPES
    contact = (row.contact or "").strip()
    if contact:
        submitter = "contact:" + re.sub(r"\s+", "", contact).lower()
    elif name:
        submitter = "name:" + name
    else:  # anonymous: the parts of one submission are one submitter
        submitter = f"comment:{row.part_of or row.id}"
    received = _local_date(row.received_on) or to_local(parse_iso(row.created_at)).date()
    return MemberComment(
        text=row.body,
        name="" if is_org else name,
        organisation=name if is_org else "",
        submitter_type=row.submitter_type or "个人",
        channel=row.channel or "web",
        contact=contact,
        submitter_id=submitter,
        ref=f"#{row.id} {row.receipt_code}",
        received_on=received,
        publish_organisation=bool(row.publish_organisation),
    )


def draft_vocabulary(consultation: Consultation) -> str:
    """The draft's words (title, preamble, headings, bodies): a "name" found in them is not a personal name."""
    draft = consultation_q.load_draft(consultation)
    return "\n".join([draft.title, draft.preamble] + [f"{clause.heading}\n{clause.body}" for clause in draft.walk()])


def _personal_names(comments: list[Comment], vocabulary: str) -> list[str]:
    """The names individuals gave that look like personal names (see ``exports.redact.looks_like_personal_name``)."""
    names = ((row.name or "").strip() for row in comments if row.submitter_type not in ORGANISATION_TYPES)
    return [n for n in names if n and looks_like_personal_name(n, vocabulary)]


#: Shorter organisation "names" (商务局, 协会) are words of ordinary text, not names staff could cite by mistake.
ORGANISATION_NAME_MIN = 5


def _private_organisations(comments: list[Comment], public_text: str) -> list[str]:
    """Names organisations gave without ticking 同意公开单位名称: the form promises they are not published (staff
    wording that names one would publish it). A name the published text itself contains (the issuing office, the
    draft's title) is no secret."""
    names = {(row.name or "").strip() for row in comments
             if row.submitter_type in ORGANISATION_TYPES and not row.publish_organisation}
    return [n for n in names if len(n) >= ORGANISATION_NAME_MIN and n not in public_text]


def _redacted(text: str, names: list[str]) -> str:
    """Text made from these submitters' own words (their comment, a group title of their terms), redacted."""
    return redact(text or "", names=names)[0]


def topic_label(group: Group, clause: ClauseRef | None) -> str:
    """What a topic is called in 意见主要集中在…方面: the title staff gave the group; otherwise the clause's
    heading (a natural topic name); for whole-draft groups, the analysis's first terms."""
    if group.edited and group.title and group.title.strip():
        return group.title.strip()
    if clause is not None:
        return (clause.heading or clause.title).strip()
    terms = group.terms
    return "“" + "、".join(terms[:3]) + "”" if terms else "征求意见稿整体"


def _outcome(decision: Decision | None) -> dict[str, Any]:
    """Opinion fields from a stored decision; 表示支持 is exports' supportive opinion, not a category."""
    if not decision:
        return {"decision": "", "reason": ""}
    if decision.category == SUPPORT:
        return {"decision": "", "reason": decision.reason or "", "supportive": True}
    return {"decision": decision.category, "reason": decision.reason or ""}


def build(
    db: Database,
    consultation: Consultation,
    *,
    identity: str = "none",
    version: int = 1,
    report_date: date | None = None,
    issuer_default: str = "",
    published_where_default: str = "",
    correction: tuple[str, str] = ("", ""),
) -> Built:
    """The report as it stands now (never raises for undecided opinions: see ``Report.check``), with the
    修改对照表 when a revised draft was uploaded; ``correction`` is a later version's (kind, 更正说明)."""
    cid = consultation.id
    categories = decision_q.categories(consultation)
    clauses = {clause.key: clause for clause in consultation_q.clauses_of(db, cid)}
    groups = {group.id: group for group in all_as(Group, db, "SELECT * FROM groups WHERE consultation_id = ? ORDER BY id",
                                                  [cid])}
    by_group, by_comment = decision_q.all_for(db, cid)
    comments = all_as(Comment, db, "SELECT * FROM comments WHERE consultation_id = ? ORDER BY id", [cid])
    # A part's own receipt code opens nothing: staff tables show the code on the submitter's receipt (its letter's).
    codes = {c.id: c.receipt_code for c in comments}
    comments = [replace(c, receipt_code=codes.get(c.part_of, c.receipt_code)) if c.part_of else c for c in comments]
    vocabulary = draft_vocabulary(consultation)

    def root(group_id: int | None) -> int | None:
        seen = set()
        while group_id is not None and group_id in groups and groups[group_id].merged_into and group_id not in seen:
            seen.add(group_id)
            group_id = groups[group_id].merged_into
        return group_id if group_id in groups else None

    # Citations that tell same-labelled clauses apart (the seed's (三) under 三、, 四、 and the annex).
    cited = clause_refs(consultation_q.load_draft(consultation).clauses)

    def clause_ref(key: str | None) -> ClauseRef | None:
        if not key:
            return None
        if key in cited:
            return cited[key]
        found = clauses.get(key)
        return ClauseRef(key, found.label or "", found.heading or "") if found else ClauseRef(key)

    def change(key: str | None, decision: Decision | None) -> ClauseChange | None:
        if not decision or not (decision.revised_text or "").strip():
            return None
        found = clauses.get(key or "")
        return ClauseChange(before=found.text if found else "", after=(decision.revised_text or "").strip(),
                            proposed=decision.proposal_of is not None)

    excluded = {"spam": 0, "duplicate": 0}
    members_of: dict[int, list[Comment]] = {}
    singles: list[Comment] = []
    for row in comments:
        if row.status in (WITHDRAWN, SPLIT):
            continue  # withdrawn by the submitter (not received, as far as the report is concerned), or a
            # container whose parts are the opinions
        if row.status in excluded:
            excluded[row.status] += 1
            continue
        group_id = root(row.group_id)
        if row.id in by_comment or group_id is None:
            singles.append(row)
        else:
            members_of.setdefault(group_id, []).append(row)

    built = Built(report=None, names=NameIndex(_personal_names(comments, vocabulary)),  # type: ignore[arg-type]
                  organisations=NameIndex(_private_organisations(comments, vocabulary)),
                  from_files=_from_files(db, comments),
                  parts={c.id: (c.part_of, c.part_no or 0) for c in comments if c.part_of})
    opinions: list[Opinion] = []
    group_titles: dict[int, str] = {}
    for group_id, members in members_of.items():
        group = groups[group_id]
        decision = by_group.get(group_id)
        member_names = _personal_names(members, vocabulary)
        summary = (group.summary or "").strip()
        from_comment = not summary
        rep = next((m for m in members if m.id == group.representative_id), members[0])
        built.quoted.append(rep.id if from_comment else None)
        if from_comment:
            summary = redact_comment(_member(rep), vocabulary)[0]
        for m in members:
            built.comment_opinion[m.id] = len(opinions)
        built.sources.append(("group", group_id))
        opinions.append(Opinion(
            summary=summary,
            clause=clause_ref(group.clause_key),
            **_outcome(decision),
            comments=[_member(m) for m in members],
            change=change(group.clause_key, decision),
            group=_redacted(group.title or f"分组{group_id}", member_names),
            summary_is_comment=from_comment,
        ))
        group_titles[group_id] = _redacted(topic_label(group, opinions[-1].clause), member_names)
    for row in singles:
        decision = by_comment.get(row.id) or by_group.get(root(row.group_id) or -1)
        built.comment_opinion[row.id] = len(opinions)
        built.sources.append(("comment", row.id))
        built.quoted.append(row.id)
        group_id = root(row.group_id)
        opinions.append(Opinion(
            summary=redact_comment(_member(row), vocabulary)[0],
            clause=clause_ref(row.clause_key),
            **_outcome(decision),
            comments=[_member(row)],
            change=change(row.clause_key, decision),
            group=_redacted(groups[group_id].title or f"分组{group_id}", _personal_names([row], vocabulary))
            if group_id else "",
            summary_is_comment=True,
        ))

    valid = sum(len(op.comments) for op in opinions)
    submitters = len({member.submitter_key() for op in opinions for member in op.comments})
    # Anonymous comments cannot be told apart by who sent them: then the report does not claim a number
    # of submitters (来自X位…) at all.
    anonymous = any(m.submitter_id.startswith("comment:") for op in opinions for m in op.comments)
    counts = Counts.derive(opinions, categories, excluded_spam=excluded["spam"],
                           excluded_duplicate=excluded["duplicate"], submitters=submitters,
                           submitters_known=not anonymous)
    for row in comments:
        if row.noise_proposed and row.id in built.comment_opinion:
            built.noise_pending[built.comment_opinion[row.id]] = NOISE_LABELS.get(row.noise_reason or "", "疑似无效")
    ranked = _topics(opinions, built.sources, group_titles)
    topics = [Topic(label=label, count=n, share=round(n / valid, 4)) for n, label, _ in ranked[:TOPIC_COUNT]]
    built.topic_groups = [group_id for _, _, group_id in ranked[:TOPIC_COUNT]]
    channels = ["web"] + [ch for ch, n in counts.by_channel.items() if n and ch != "web"]
    issuing_body = issuer(consultation, default_issuer(db, issuer_default))
    built.report = Report(
        draft_title=consultation.title,
        issuer=issuing_body,
        opens_on=_local_date(consultation.opens_on),
        closes_on=_local_date(consultation.closes_on),
        report_date=report_date,
        opinions=opinions,
        # The website is the sponsor's (主办单位 天津市商务局), not the signing division's (电商处 has no site of its own).
        published_where=published_where(consultation, published_where_default,
                                        site_settings.get(db).sponsor or issuing_body),
        channels=channels,
        version=version,
        identity=identity,
        categories=categories,
        reason_required=frozenset(category for category in categories if decision_q.reason_required(category)),
        clause_order=list(clauses),
        topics=topics,
        counts=counts,
        include_comment_annex=bool(consultation.publish_comment_text),
        draft_text=vocabulary,
        correction_kind=correction[0] if correction[1].strip() else "",
        correction=correction[1].strip(),
        validate=False,
    )
    # The table cites the report's numbers, and the opinions whose 建议修改为 a decision adopted.
    proposed = {built.comment_opinion[comment_id] for ids in decision_q.adopted_proposals(db, cid).values()
                for comment_id in ids if comment_id in built.comment_opinion}
    built.report.revisions = draft_versions.table(db, consultation, built.report, proposed)
    return built


def _topics(opinions: list[Opinion], sources: list[tuple[str, int]],
            group_titles: dict[int, str]) -> list[tuple[int, str, int]]:
    """(comments, label, a group id) per topic of 意见主要集中在…, largest first (ties in draft order).

    A topic counts what the chart next to it counts. A clause whose groups staff did not name is one
    topic under its heading, counting *every* comment on it, as its bar in 图1 does: grouped or
    decided one by one. A group staff named is a topic of its own (its members); the clause it is on
    then forms no heading topic, so no topic carries a clause's heading with a smaller count than its
    bar. Whole-draft groups the analysis formed are topics under their terms; lone whole-draft
    comments are no topic, nor is a clause without any group (topics come from the grouping).
    """
    titled_clauses = set()
    for op, (kind, source_id) in zip(opinions, sources):
        heading = (op.clause.heading or op.clause.title).strip() if op.clause else None
        if kind == "group" and op.clause is not None and group_titles[source_id] != heading:
            titled_clauses.add(op.clause.key)
    counts: dict[str, int] = {}
    first_group: dict[str, int] = {}
    for op, (kind, source_id) in zip(opinions, sources):
        if op.clause is not None and op.clause.key not in titled_clauses:
            label = (op.clause.heading or op.clause.title).strip()
        elif kind == "group":
            label = group_titles[source_id]
        else:
            continue
        counts[label] = counts.get(label, 0) + (op.comment_count or 0)
        if kind == "group":
            first_group.setdefault(label, source_id)
    # Dicts keep draft order and sorted() is stable: ties stay in draft order.
    return sorted(((n, label, first_group[label]) for label, n in counts.items() if n > 1 and label in first_group),
                  key=lambda x: -x[0])


def _names_in_staff_text(built: Built) -> list[Problem]:
    """Staff wording (summaries, reasons, revised text, and group titles where they name a topic of 意见主要集中在…)
    must not name individual submitters, nor organisations that did not agree to be named.

    Only names that look like personal names count: someone who typed 跨境电商 as a name blocks nothing.
    """
    def named(text: str | None) -> list[str]:
        return [what for index, what in ((built.names, "提出人的姓名"), (built.organisations, "未同意公开名称的单位的名称"))
                if any(True for _ in index.finditer(text or ""))]

    if not built.names and not built.organisations:
        return []
    found = []
    numbers = built.report.number_of()
    for index, op in enumerate(built.report.opinions):
        whats = {what for t in (op.summary, op.reason, op.change.after if op.change else "") for what in named(t)}
        if whats:
            found.append(Problem("personal_data", f"{op.name_for_errors(numbers[index])}的归纳意见、理由或修改后表述中"
                                                  f"含有{'和'.join(sorted(whats))}，请改写后再发布。", index))
    for index, topic in enumerate(built.report.topics):
        if in_title := named(topic.label):
            found.append(Problem("personal_data", f"“意见主要集中在……”一句中的“{topic.label}”（分组名称）含有"
                                                  f"{'和'.join(in_title)}，请修改分组名称后再发布。", field="topic", topic=index))
    return found


def _cut_titles(built: Built) -> list[Problem]:
    """A topic named by a title the analysis cut off (…): staff saved the group's 归纳意见 and kept its title, which
    then names a topic of the public 意见主要集中在… sentence."""
    return [Problem("cut_title", f"“意见主要集中在……”一句中的“{topic.label}”是系统截断的分组名称，请修改分组名称为"
                                 "简短的主题（如“中小企业房租减免”）后再发布。", field="topic", topic=index)
            for index, topic in enumerate(built.report.topics) if topic.label.rstrip("”").endswith("…")]


def _unknown_clauses(built: Built) -> list[Problem]:
    """Opinions tied to a clause the current text no longer has (a re-import dropped it)."""
    known = set(built.report.clause_order)
    numbers = built.report.number_of()
    return [
        Problem("unknown_clause", f"{op.name_for_errors(numbers[index])}对应的条款 {op.clause.key} 已不在征求意见稿中，"
                                  "请为其中的意见调整对应条款。", index)
        for index, op in enumerate(built.report.opinions)
        if op.clause is not None and op.clause.key not in known
    ]


def _file_text(built: Built) -> list[Problem]:
    """Text of a file sent with the comment form must not be published (the form promises it): an opinion the report
    would print as such a part's own words needs staff's 归纳意见, and 附意见原文 would print every such part."""
    numbers = built.report.number_of()
    found = []
    for index, op in enumerate(built.report.opinions):
        if built.quoted[index] in built.from_files:
            found.append(Problem("attachment_text", f"{op.name_for_errors(numbers[index])}的内容取自提出人上传的附件，"
                                 "而意见表承诺附件不公开：请为它填写归纳意见（单条意见可在意见队列中勾选后新建分组）。",
                                 index, field="summary"))
    annexed = sorted({built.comment_opinion[c] for c in built.from_files if c in built.comment_opinion})
    if built.report.include_comment_annex and annexed:
        names = "、".join(f"意见{n}" for n in sorted(numbers[i] for i in annexed))
        found.append(Problem("attachment_text", f"附意见原文会公开{names}中取自附件的文字，而意见表承诺附件不公开："
                             "请在“反馈设置”中改为不附原文。", field="annex"))
    return found


def _noise_pending(built: Built, problem: Problem) -> Problem:
    """An undecided opinion that is an unsettled noise proposal: say so, and what to do (not 采纳 or 未采纳)."""
    label = built.noise_pending.get(problem.opinion) if problem.code == "undecided" and problem.opinion is not None \
        else None
    if label is None:
        return problem
    name = problem.message.removesuffix("尚未作出采纳决定")
    return Problem("noise_pending", f"{name}是系统提出的“{label}”意见，尚待确认：请确认为无效（不计入）或不属于征求意见范围，"
                                    "或退回正常处理后再作决定", problem.opinion)


def _part_named(built: Built, problem: Problem) -> Problem:
    """A problem of an opinion that is one part of a split letter: the report's number (意见1) is no comment id, and
    意见 1 on the staff pages may well be the letter itself, which takes no decision: name the part as staff pages
    do, and its letter."""
    source = built.sources[problem.opinion] if problem.opinion is not None and problem.opinion < len(built.sources) \
        else None
    if source is None or source[0] != "comment" or source[1] not in built.parts:
        return problem
    letter, number = built.parts[source[1]]
    return replace(problem, message=f"{problem.message}（处理页面上为意见 {source[1]}：意见 {letter} 按条款拆分出的第{number}条）")


def problems(built: Built) -> list[Problem]:
    """``Report.check()`` plus what the portal needs before publishing."""
    found = [_part_named(built, _noise_pending(built, problem)) for problem in built.report.check()]
    found.extend(_names_in_staff_text(built))
    found.extend(_cut_titles(built))
    found.extend(_file_text(built))
    found.extend(_unknown_clauses(built))
    if not built.report.issuer.strip():
        found.append(Problem("missing_issuer", "尚未设置发布单位，请在“反馈设置”中填写。"))
    return found

