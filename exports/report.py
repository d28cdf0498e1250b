"""The 公众意见采纳情况反馈 as a plain value: what every renderer reads.

The portal builds a :class:`Report` from its rows; tests build one by hand. Everything here is a
plain dataclass with ``datetime.date`` dates and decisions as plain strings from a configurable
category list, so nothing needs the database or Flask.

Construction validates what can never be right (a decision outside the category list, a 未采纳
without a reason, an unknown identity mode) and raises :class:`ReportError` naming the opinion.
:meth:`Report.check` lists everything that should block *publication*, including what a caller
may have changed after construction.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import InitVar, dataclass, field
from datetime import date
from typing import Any

from .placeholders import find_placeholders
from .redact import find_personal_data

DEFAULT_CATEGORIES: tuple[str, ...] = ("采纳", "部分采纳", "未采纳", "已体现（已有相关规定）", "不属于征求意见范围")
"""The decision categories most published feedback pages use, in the order they are reported."""

REASON_REQUIRED: frozenset[str] = frozenset({"部分采纳", "未采纳"})
"""Categories that must carry a reason (重大行政决策: 未予采纳的，应当说明理由)."""

IDENTITY_MODES: tuple[str, ...] = ("none", "masked", "full")

CHANNELS: dict[str, str] = {
    "web": "网站在线提交",
    "email": "电子邮件",
    "letter": "信函",
    "phone": "电话",
    "meeting": "座谈会",
}
"""Channel codes stored by the portal and the words the report uses for them."""

SUBMITTER_TYPES: tuple[str, ...] = ("个人", "企业", "社会组织", "其他")
ORGANISATION_TYPES: frozenset[str] = frozenset({"企业", "社会组织"})

CORRECTION_KINDS: tuple[str, ...] = ("更正", "补充")
"""What a version published after another is: 更正 (something published was wrong) or 补充 (added)."""

SUPPORT_REPLY = "感谢您对我们工作的关心和支持。"
"""The answer given to an opinion that only expresses support and carries no decision."""


def short_category(category: str) -> str:
    """A category as running text and table cells cite it: the part before the first full-width
    bracket (``已体现（已有相关规定）`` → ``已体现``); a name without one is returned as is."""
    short = category.split("（", 1)[0].strip()
    return short or category


def category_explanation(category: str) -> str:
    """What the bracket of a category says (``已体现（已有相关规定）`` → ``已有相关规定``), or ``""``."""
    if "（" not in category:
        return ""
    inner = category.split("（", 1)[1]
    return inner.removesuffix("）")


class ReportError(ValueError):
    """A report that can never be valid, with a message (in Chinese, for staff) naming the opinion."""


@dataclass(frozen=True)
class ClauseRef:
    """The clause an opinion concerns: ``key`` as in ``draft.Clause.key``, ``label`` as written.

    ``citation`` optionally replaces the label where the label alone is ambiguous: the seed has
    ``(三)`` under 三、, under 四、 and in its annex, so ``exports.clause_refs`` cites 四、(三) as
    ``四(三)``.
    """

    key: str
    label: str = ""
    heading: str = ""
    citation: str = ""

    @property
    def title(self) -> str:
        """Citation (or label) and heading as a reader cites them, e.g. ``12.创新外汇管理服务``."""
        return f"{self.citation or self.label}{self.heading}".strip() or self.key

    @classmethod
    def of(cls, clause: Any) -> ClauseRef:
        """From anything with ``key``, ``label`` and ``heading`` (a ``draft.Clause``, a DB row object)."""
        return cls(clause.key, clause.label or "", clause.heading or "")


WHOLE_DRAFT_TITLE = "征求意见稿整体"
WHOLE_DRAFT_SECTION = "对征求意见稿的总体意见"
"""The heading (and chart bar) of the opinions on the draft as a whole."""


def section_title(clause_title: str | None) -> str:
    return clause_title if clause_title else WHOLE_DRAFT_SECTION


@dataclass
class MemberComment:
    """One comment a citizen or organisation submitted; ``contact`` is private and never public."""

    text: str
    name: str = ""
    organisation: str = ""
    submitter_type: str = "个人"
    channel: str = "web"
    contact: str = ""
    submitter_id: str = ""
    """Stable identity of the submitter (any opaque string) used to count distinct submitters."""
    ref: str = ""
    """The portal's own id or receipt code, shown only in staff tables."""
    received_on: date | None = None
    publish_organisation: bool = False
    """The submitter ticked 同意公开单位名称: only then may a public output name the organisation."""

    def submitter_key(self) -> tuple[str, ...]:
        if self.submitter_id:
            return ("id", self.submitter_id)
        if self.name or self.organisation or self.contact:
            return ("who", self.name.strip(), self.organisation.strip(), self.contact.strip())
        return ("anon", str(id(self)))


@dataclass
class ClauseChange:
    """The clause text before and after the change an adopted opinion caused."""

    before: str = ""
    after: str = ""
    proposed: bool = False
    """``after`` is the wording a submitter proposed (建议修改为), adopted as they wrote it."""

    @property
    def after_label(self) -> str:
        return "修改后（采纳提出人建议的表述）" if self.proposed else "修改后"


@dataclass
class Opinion:
    """One opinion entry: a group of comments summarised in staff wording, with its decision.

    ``clause`` may be given as a :class:`ClauseRef`, a ``(key, label, heading)`` tuple, or ``None``
    for the whole draft. ``comment_count`` and ``submitter_count`` default to what ``comments``
    holds. ``decision`` is ``""`` while undecided; an opinion marked ``supportive`` (同意/支持)
    may stay without a decision and is answered with thanks.
    """

    summary: str
    clause: ClauseRef | None = None  # a (key, label, heading) tuple is accepted too (see __post_init__)
    decision: str = ""
    reason: str = ""
    comments: list[MemberComment] = field(default_factory=list)
    comment_count: int | None = None
    submitter_count: int | None = None
    change: ClauseChange | None = None
    supportive: bool = False
    group: str = ""
    """The analysis group or staff label this opinion came from (staff tables only)."""
    summary_is_comment: bool = False
    """The summary is a submitter's own (redacted) words standing in for staff wording: a citizen may
    write XXX or …… and that is no unfilled template, so it is not checked for placeholders."""
    shown_submitters: str = ""
    """The 提出人 a published document printed for this opinion (set by ``json_data.load``, whose
    documents list no comments when the comment annex was left out)."""

    def __post_init__(self) -> None:
        if isinstance(self.clause, (tuple, list)):
            self.clause = ClauseRef(*self.clause)
        if self.comment_count is None:
            self.comment_count = len(self.comments)
        if self.submitter_count is None:
            self.submitter_count = len({c.submitter_key() for c in self.comments})

    @property
    def clause_title(self) -> str:
        return self.clause.title if self.clause else WHOLE_DRAFT_TITLE

    @property
    def reply(self) -> str:
        """The reason, or the thanks given to a supportive opinion that has none."""
        if self.reason.strip():
            return self.reason
        if self.supportive:
            return SUPPORT_REPLY
        return ""

    @property
    def support_only(self) -> bool:
        """Only expresses support and carries no decision: thanked, not numbered in the report."""
        return self.supportive and not self.decision

    @property
    def decision_label(self) -> str:
        """The decision as printed: the category's short form (已体现（已有相关规定） → 已体现)."""
        if self.decision:
            return short_category(self.decision)
        return "表示支持" if self.supportive else "待定"

    def name_for_errors(self, number: int | None = None) -> str:
        """How staff recognise this opinion in a message: its report number, clause and summary start.

        ``number`` is the number the opinion has in the report (``Report.number_of``), printed as the
        public report prints it, e.g. ``意见5（12.创新外汇管理服务：“建议提高…”）``; ``None`` names a
        support-only opinion, which is not numbered.
        """
        summary = self.summary.strip().replace("\n", " ")
        if len(summary) > 24:
            summary = summary[:24] + "…"
        what = f"意见{number}" if number is not None and not self.support_only else "表示支持的意见"
        return f"{what}（{self.clause_title}：“{summary}”）"


@dataclass
class Topic:
    """A topic the opinions concentrate on (fed by clustering): label, comment count, share of valid."""

    label: str
    count: int
    share: float | None = None


@dataclass
class Counts:
    """The numbers the counts sentence states; see :meth:`derive` to compute them from opinions.

    ``by_category`` counts *valid comments* per decision (every category present, zeros
    included); ``supportive`` counts comments in supportive opinions that carry no decision,
    ``undecided`` those in opinions not yet decided (a report with any is not publishable);
    ``by_channel`` and ``by_submitter_type`` count valid comments. ``submitters_known=False``
    (e.g. some comments are anonymous) leaves the number of submitters out of the counts sentence.
    """

    received: int = 0
    valid: int = 0
    excluded_spam: int = 0
    excluded_duplicate: int = 0
    submitters: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    supportive: int = 0
    undecided: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_submitter_type: dict[str, int] = field(default_factory=dict)
    submitters_known: bool = True

    @classmethod
    def derive(
        cls,
        opinions: Iterable[Opinion],
        categories: Sequence[str] = DEFAULT_CATEGORIES,
        *,
        excluded_spam: int = 0,
        excluded_duplicate: int = 0,
        submitters: int | None = None,
        submitters_known: bool = True,
    ) -> Counts:
        """Counts implied by the opinions (their ``comment_count`` and member comments)."""
        opinions = list(opinions)
        by_category = {c: 0 for c in categories}
        supportive = undecided = 0
        for op in opinions:
            if op.decision:
                by_category[op.decision] = by_category.get(op.decision, 0) + (op.comment_count or 0)
            elif op.supportive:
                supportive += op.comment_count or 0
            else:
                undecided += op.comment_count or 0
        members = [c for op in opinions for c in op.comments]
        valid = sum(op.comment_count or 0 for op in opinions)
        # Channel and submitter-type splits are only known when every comment is listed.
        complete = len(members) == valid
        by_channel = Counter(c.channel for c in members) if complete else Counter()
        by_type = Counter(c.submitter_type for c in members) if complete else Counter()
        if submitters is None:
            # Opinions that do not list their comments add their own submitter count: an upper
            # bound, since one person may stand behind opinions of both kinds.
            submitters = len({c.submitter_key() for c in members}) + sum(
                op.submitter_count or 0 for op in opinions if not op.comments
            )
        return cls(
            received=valid + excluded_spam + excluded_duplicate,
            valid=valid,
            excluded_spam=excluded_spam,
            excluded_duplicate=excluded_duplicate,
            submitters=submitters,
            by_category=by_category,
            supportive=supportive,
            undecided=undecided,
            by_channel=dict(sorted(by_channel.items(), key=_channel_order)),
            by_submitter_type=dict(sorted(by_type.items(), key=_type_order)),
            submitters_known=submitters_known,
        )


def _channel_order(item: tuple[str, int]) -> tuple[int, str]:
    keys = list(CHANNELS)
    return (keys.index(item[0]) if item[0] in keys else len(keys), item[0])


def _type_order(item: tuple[str, int]) -> tuple[int, str]:
    keys = list(SUBMITTER_TYPES)
    return (keys.index(item[0]) if item[0] in keys else len(keys), item[0])


@dataclass
class Problem:
    """One reason a report may not be published yet. ``opinion`` is an index into ``opinions``.

    Messages name an opinion by the number the public report prints for it, e.g.
    ``意见5（12.创新外汇管理服务：“建议提高…”）尚未作出采纳决定`` (not by its index). ``field`` says
    which text the problem is in (``summary``, ``reason``, ``change``, ``title``, ``issuer``,
    ``published_where``, ``legal_basis``, ``topic``) and ``topic`` indexes ``topics``, so a caller can
    link to the place to fix it.
    """

    code: str
    message: str
    opinion: int | None = None
    field: str = ""
    topic: int | None = None


@dataclass
class Report:
    """The 公众意见采纳情况反馈 for one consultation.

    ``clause_order`` lists clause keys in document order (``[c.key for c in draft.walk()]``);
    opinions are presented whole-draft first, then clause by clause in that order. When ``counts``
    is ``None`` it is derived from the opinions. Pass ``validate=False`` to build a report that is
    still being worked on and let :meth:`check` list its problems.
    """

    draft_title: str
    issuer: str
    opens_on: date | None = None
    closes_on: date | None = None
    report_date: date | None = None
    opinions: list[Opinion] = field(default_factory=list)
    published_where: str = ""
    channels: list[str] = field(default_factory=list)
    legal_basis: str = ""
    version: int = 1
    identity: str = "none"
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    reason_required: frozenset[str] = REASON_REQUIRED
    clause_order: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    counts: Counts | None = None
    title: str = ""
    """Defaults to 关于《draft_title》公开征求意见采纳情况的反馈."""
    include_comment_annex: bool = False
    """Whether public documents end with an annex listing every (redacted) comment (附意见原文)."""
    draft_text: str = ""
    """The draft's own text: a submitter "name" that is a word of the draft is not a personal name
    (see ``redact.looks_like_personal_name``). Never published."""
    correction: str = ""
    """The 更正说明 of a version published after another: why it replaces the one before (shown above
    the report in every format); "" for a first version."""
    correction_kind: str = ""
    """``更正`` (something published was wrong) or ``补充`` (something is added); with ``correction``."""
    revisions: Any = None
    """The 修改对照表 published with the report (a ``draft.revisions.RevisionTable``, duck-typed as in
    ``comparison``), or None."""
    validate: InitVar[bool] = True

    def __post_init__(self, validate: bool) -> None:
        self.categories = tuple(self.categories)
        self.reason_required = frozenset(self.reason_required)
        if not self.title:
            self.title = f"关于《{self.draft_title}》公开征求意见采纳情况的反馈"
        if self.counts is None:
            self.counts = Counts.derive(self.opinions, self.categories)
        else:
            for category in self.categories:
                self.counts.by_category.setdefault(category, 0)
        if not self.channels:
            self.channels = [ch for ch, n in self.counts.by_channel.items() if n]
        if validate:
            self._validate()

    # -- construction-time validation -------------------------------------------------------
    def _validate(self) -> None:
        if self.identity not in IDENTITY_MODES:
            raise ReportError(f"未知的提出人显示方式“{self.identity}”，应为 {' / '.join(IDENTITY_MODES)} 之一")
        if not self.categories:
            raise ReportError("采纳情况分类不能为空")
        if self.correction.strip() and self.correction_kind not in CORRECTION_KINDS:
            raise ReportError(f"更正说明的类型应为 {' / '.join(CORRECTION_KINDS)} 之一")
        numbers = self.number_of()
        for i, op in enumerate(self.opinions):
            if op.decision and op.decision not in self.categories:
                raise ReportError(
                    f"{op.name_for_errors(numbers[i])}的采纳情况“{op.decision}”不在分类中（{'、'.join(self.categories)}）"
                )
            if op.decision in self.reason_required and not op.reason.strip():
                raise ReportError(f"{op.name_for_errors(numbers[i])}的采纳情况为“{op.decision}”，必须填写理由说明")

    # -- ordering -----------------------------------------------------------------------------
    def sections(self, *, numbered_only: bool = False) -> list[tuple[ClauseRef | None, list[tuple[int, Opinion]]]]:
        """Opinions grouped by clause: whole draft first, then in ``clause_order``, then the rest.

        Each opinion comes with its number as the first element: the opinions printed as 反馈意见
        are numbered 1…N in the order presented; support-only opinions (:attr:`Opinion.support_only`,
        thanked in one sentence, not numbered in the report) get N+1… in the same order, so every
        opinion keeps a distinct number (the JSON ``number``). ``numbered_only=True`` leaves
        support-only opinions, and sections left empty by that, out.
        """
        position = {key: i for i, key in enumerate(self.clause_order)}
        groups: dict[str | None, list[Opinion]] = {}
        refs: dict[str | None, ClauseRef | None] = {}
        for op in self.opinions:
            key = op.clause.key if op.clause else None
            groups.setdefault(key, []).append(op)
            refs.setdefault(key, op.clause)

        def order(key: str | None) -> tuple[int, int, list[tuple[int, int, str]]]:
            if key is None:
                return (0, 0, [])
            if key in position:
                return (1, position[key], [])
            # Unknown keys last, in natural order (3.2 before 3.10; annex keys a1.… after numbers).
            parts = re.findall(r"\d+|\D+", key)
            return (2, 0, [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts])

        keys = sorted(groups, key=order)
        presented = [op for key in keys for op in groups[key]]
        listed = [op for op in presented if not op.support_only]
        thanked = [op for op in presented if op.support_only]
        number_of = {id(op): n for n, op in enumerate(listed + thanked, start=1)}
        sections = []
        for key in keys:
            pairs = [(number_of[id(op)], op) for op in groups[key] if not (numbered_only and op.support_only)]
            if pairs or not numbered_only:
                sections.append((refs[key], pairs))
        return sections

    def ordered_opinions(self) -> list[tuple[int, Opinion]]:
        """Every opinion with its number, in the order presented (support-only ones included)."""
        return [pair for _, pairs in self.sections() for pair in pairs]

    def number_of(self) -> list[int]:
        """The number of each opinion (indexed like ``opinions``), as :meth:`sections` gives it."""
        by_id = {id(op): n for n, op in self.ordered_opinions()}
        return [by_id[id(op)] for op in self.opinions]

    def numbered_opinions(self) -> list[tuple[int, Opinion]]:
        """The opinions printed as 反馈意见1…N, in order."""
        return [pair for _, pairs in self.sections(numbered_only=True) for pair in pairs]

    def support_only_opinions(self) -> list[Opinion]:
        """Opinions that only express support: left out of the numbered list, thanked in one sentence."""
        return [op for _, op in self.ordered_opinions() if op.support_only]

    @property
    def support_only_comments(self) -> int:
        """How many comments the support-only opinions stand for (the N of 另有N条意见…表示赞同和支持)."""
        return sum(op.comment_count or 0 for op in self.opinions if op.support_only)

    # -- publication check --------------------------------------------------------------------
    def check(self) -> list[Problem]:
        """Every problem that should block publication (empty list: ready to publish)."""
        problems: list[Problem] = []
        numbers = self.number_of()
        for i, op in enumerate(self.opinions):
            name = op.name_for_errors(numbers[i])
            if not op.decision and not op.supportive:
                problems.append(Problem("undecided", f"{name}尚未作出采纳决定", i))
            elif op.decision and op.decision not in self.categories:
                problems.append(Problem("unknown_category", f"{name}的采纳情况“{op.decision}”不在分类中", i))
            if op.decision in self.reason_required and not op.reason.strip():
                problems.append(Problem("missing_reason", f"{name}为“{op.decision}”，缺少理由说明", i, "reason"))
            if not op.summary.strip():
                problems.append(Problem("missing_summary", f"{name}缺少意见内容摘要", i, "summary"))
            for field_name, where, text in _staff_texts(op):
                problems += _text_problems(f"{name}的{where}", text, opinion=i, field=field_name,
                                           personal_data=field_name != "change",
                                           placeholders=not (field_name == "summary" and op.summary_is_comment))
        problems.extend(self._count_problems())
        problems.extend(self._topic_problems())
        for field_name, where, text in (("title", "标题", self.title), ("issuer", "发布单位", self.issuer),
                                        ("published_where", "发布渠道", self.published_where),
                                        ("legal_basis", "依据", self.legal_basis),
                                        ("correction", "更正说明", self.correction)):
            problems += _text_problems(f"报告{where}", text, field=field_name)
        for t, topic in enumerate(self.topics):
            problems += _text_problems(f"主题“{topic.label}”", topic.label, field="topic", topic=t)
        return problems

    def _topic_problems(self) -> list[Problem]:
        """A topic named like a bar of the per-clause chart must state the count that bar shows."""
        bars: dict[str, set[int]] = {}
        for clause, pairs in self.sections():
            total = sum(op.comment_count or 0 for _, op in pairs)
            labels = {section_title(clause.title if clause else None)}
            if clause is not None:
                labels |= {clause.title, clause.heading.strip()}
            for label in labels - {""}:
                bars.setdefault(label, set()).add(total)
        problems = []
        for t, topic in enumerate(self.topics):
            shown = bars.get(topic.label.strip())
            if shown and topic.count not in shown:
                problems.append(Problem(
                    "topic_count",
                    f"概述中“{topic.label}”为{topic.count}条，与图1“各条款收到意见条数”中该条款的"
                    f"{'、'.join(str(n) for n in sorted(shown))}条不一致",
                    field="topic", topic=t,
                ))
        return problems

    def _count_problems(self) -> list[Problem]:
        c = self.counts
        assert c is not None
        problems = []

        def add(message: str) -> None:
            problems.append(Problem("counts_mismatch", message))

        if c.received != c.valid + c.excluded_spam + c.excluded_duplicate:
            add(
                f"收到意见数（{c.received}）不等于有效意见（{c.valid}）、垃圾信息（{c.excluded_spam}）"
                f"与重复提交（{c.excluded_duplicate}）之和"
            )
        categorised = sum(c.by_category.values()) + c.supportive + c.undecided
        if categorised != c.valid:
            add(f"各采纳情况、表示支持与待定条数之和（{categorised}）不等于有效意见数（{c.valid}）")
        implied = Counts.derive(self.opinions, self.categories)
        for category in self.categories:
            stated = c.by_category.get(category, 0)
            if stated != implied.by_category.get(category, 0):
                add(f"“{category}”统计为{stated}条，但意见条目合计为{implied.by_category.get(category, 0)}条")
        for category, n in c.by_category.items():
            if category not in self.categories and n:
                add(f"统计中出现未定义的采纳情况“{category}”（{n}条）")
        if c.supportive != implied.supportive:
            add(f"表示支持统计为{c.supportive}条，但意见条目合计为{implied.supportive}条")
        if c.valid != implied.valid:
            add(f"有效意见统计为{c.valid}条，但意见条目合计为{implied.valid}条")
        if c.by_channel and sum(c.by_channel.values()) != c.valid:
            add(f"按渠道统计之和（{sum(c.by_channel.values())}）不等于有效意见数（{c.valid}）")
        if c.by_submitter_type and sum(c.by_submitter_type.values()) != c.valid:
            add(f"按提出人类型统计之和（{sum(c.by_submitter_type.values())}）不等于有效意见数（{c.valid}）")
        if c.submitters > c.valid:
            add(f"提出人数（{c.submitters}）多于有效意见数（{c.valid}）")
        numbers = self.number_of()
        for op_index, op in enumerate(self.opinions):
            if op.comments and op.comment_count is not None and op.comment_count < len(op.comments):
                add(f"{op.name_for_errors(numbers[op_index])}的意见条数（{op.comment_count}）少于其包含的原始意见（{len(op.comments)}）")
        for topic in self.topics:
            if topic.count > c.valid:
                add(f"主题“{topic.label}”的条数（{topic.count}）多于有效意见数（{c.valid}）")
        return problems

    # -- helpers for renderers ----------------------------------------------------------------
    def topic_share(self, topic: Topic) -> float:
        if topic.share is not None:
            return topic.share
        valid = self.counts.valid if self.counts else 0
        return topic.count / valid if valid else 0.0


def _staff_texts(op: Opinion) -> list[tuple[str, str, str]]:
    """Staff wording published as is: (field, what it is called, text).

    Citizen text is redacted at render time; the quoted revised clause text (``change``) is the
    draft's own wording and may rightly contain an office telephone number, so it is checked for
    placeholders only.
    """
    return [("summary", "意见内容摘要", op.summary), ("reason", "理由说明", op.reason),
            ("change", "修改后表述", op.change.after if op.change else "")]


def _text_problems(where: str, text: str, *, opinion: int | None = None, field: str = "",
                   topic: int | None = None, personal_data: bool = True, placeholders: bool = True) -> list[Problem]:
    """Personal data and unfilled placeholders in one piece of published staff wording."""
    problems = []
    found = sorted({f.kind_label for f in find_personal_data(text)}) if personal_data else []
    if found:
        problems.append(Problem("personal_data", f"{where}中含有个人信息（{'、'.join(found)}）", opinion, field, topic))
    gaps = find_placeholders(text) if placeholders else []
    if gaps:
        quoted = "、".join(f"“{g}”" for g in gaps)
        problems.append(Problem("placeholder", f"{where}中有未填写的模板占位符{quoted}，请补全后再发布",
                                opinion, field, topic))
    return problems
