"""The sentences of the feedback, shared by every format so HTML, Word and Markdown say the same.

All functions return plain (unescaped) text; each renderer escapes for its own format.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from .public import channel_label
from .report import Opinion, Report, category_explanation, short_category

CLOSING = "感谢社会各界对我们工作的关心和支持！"
NO_COMMENTS = "征求意见期间未收到意见。"


def format_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def window_text(opens: date | None, closes: date | None) -> str:
    """``2024年9月25日至10月10日`` (the year is not repeated within one year)."""
    if opens and closes:
        end = f"{closes.month}月{closes.day}日" if closes.year == opens.year else format_date(closes)
        return f"{format_date(opens)}至{end}"
    return format_date(opens or closes)


def percent(share: float) -> str:
    """0.25 → ``25%``, 1/3 → ``33.3%``."""
    value = round(share * 100, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def via(channel_label_text: str) -> str:
    """``通过网站在线提交`` / ``通过电子邮件提交``: a channel as the way a comment was submitted."""
    return f"通过{channel_label_text}" if channel_label_text.endswith("提交") else f"通过{channel_label_text}提交"


def process_paragraph(report: Report) -> str:
    basis = f"根据{report.legal_basis}有关规定，" if report.legal_basis.strip() else ""
    window = window_text(report.opens_on, report.closes_on)
    when = f"于{window}" if window else ""
    where = f"在{report.published_where}" if report.published_where.strip() else ""
    text = f"{basis}{report.issuer}{when}{where}公开征求社会各界对《{report.draft_title}》的意见建议。"
    if len(report.channels) == 1:
        text += f"征求意见期间，社会公众可{via(channel_label(report.channels[0]))}意见建议。"
    elif report.channels:
        labels = "、".join(channel_label(ch) for ch in report.channels)
        text += f"征求意见期间，社会公众可通过{labels}等方式提出意见建议。"
    assert report.counts is not None
    return text + ("现将意见采纳情况反馈如下。" if report.counts.received else "现将有关情况反馈如下。")


def _counted(items: dict[str, int], label: Callable[[str], str] = lambda k: k) -> str:
    return "、".join(f"{label(k)}{n}条" for k, n in items.items())


def category_legend(report: Report) -> str:
    """``“已体现”指已有相关规定。``: the full name of each category cited by its short form."""
    parts = [
        f"“{short_category(k)}”指{category_explanation(k)}"
        for k in report.categories
        if category_explanation(k) and short_category(k) != k
    ]
    return "；".join(parts) + "。" if parts else ""


def submitters_phrase(n: int) -> str:
    """``20位个人和单位``, but ``1位提出人`` for one (a single company is not 个人和单位)."""
    return "1位提出人" if n == 1 else f"{n}位个人和单位"


def counts_paragraph(report: Report) -> str:
    """共收到意见X条（来自X位个人和单位），其中采纳X条、部分采纳X条…; zeros shown.

    Categories are cited by their short form (已体现), with a legend sentence for the full name;
    a single channel is named plainly instead of a by-channel breakdown; the 来自… clause is left
    out when ``counts.submitters_known`` is False.
    """
    c = report.counts
    assert c is not None
    if c.received == 0:
        return NO_COMMENTS
    who = f"（来自{submitters_phrase(c.submitters)}）" if c.submitters and c.submitters_known else ""
    if c.valid == 0:
        return f"征求意见期间共收到意见{c.received}条{who}，经核实均为与征求意见内容无关的信息或重复提交，未收到有效意见。"
    categories = {short_category(k): c.by_category.get(k, 0) for k in report.categories}
    decided = _counted(categories)
    support = f"，另有{c.supportive}条表示赞同和支持" if c.supportive else ""
    excluded = []
    if c.excluded_spam:
        excluded.append(f"{c.excluded_spam}条与征求意见内容无关")
    if c.excluded_duplicate:
        excluded.append(f"{c.excluded_duplicate}条为重复提交")
    if excluded:
        text = (
            f"征求意见期间，共收到意见{c.received}条{who}，其中有效意见{c.valid}条"
            f"（另有{'、'.join(excluded)}，未纳入统计）。有效意见中，{decided}{support}。"
        )
    else:
        text = f"征求意见期间，共收到意见{c.received}条{who}，其中{decided}{support}。"
    legend = category_legend(report)
    if legend:
        text += legend
    numbered = len(report.numbered_opinions())
    if numbered:
        text += f"经归纳整理，形成意见{numbered}项。"
    channels = {k: n for k, n in c.by_channel.items() if n}
    if len(channels) > 1:
        text += f"按提交渠道分，{_counted(channels, channel_label)}。"
    elif channels and len(report.channels) > 1:
        # Several channels were offered but every comment came through one: say so plainly.
        text += f"意见均{via(channel_label(next(iter(channels))))}。"
    if c.by_submitter_type:
        text += f"按提出人类型分，{_counted(c.by_submitter_type)}。"
    return text


def topics_sentence(report: Report) -> str:
    """意见主要集中在A（X条，占X%）、B（…）等方面; empty when no topics are given."""
    topics = [t for t in report.topics if t.count > 0]
    if not topics:
        return ""
    parts = "、".join(f"{t.label}（{t.count}条，占{percent(report.topic_share(t))}）" for t in topics)
    more = "等" if len(topics) > 1 else ""
    return f"意见主要集中在{parts}{more}方面。"


def basic_facts(report: Report) -> list[str]:
    """The paragraphs under 一、征求意见基本情况 in every format: the process, the counts, the topics (if any)."""
    topics = topics_sentence(report)
    return [process_paragraph(report), counts_paragraph(report)] + ([topics] if topics else [])


def opinion_meta(op: Opinion, submitters_known: bool = True) -> str:
    """``3条意见归纳，涉及2个提出人`` (or ``3条意见归纳``) for an opinion standing for several
    comments; ``""`` for an opinion that is one comment."""
    comments = op.comment_count or 0
    if comments <= 1:
        return ""
    submitters = op.submitter_count or 0
    if submitters_known and 0 < submitters < comments:
        return f"{comments}条意见归纳，涉及{submitters}个提出人"
    return f"{comments}条意见归纳"


def support_sentence(report: Report) -> str:
    """Closes section 二: 另有N条意见对征求意见稿表示赞同和支持，在此一并致谢。 (``""`` when none)."""
    n = report.support_only_comments
    if not n:
        return ""
    if not report.numbered_opinions():
        return f"收到的{n}条意见均对征求意见稿表示赞同和支持，在此一并致谢。"
    return f"另有{n}条意见对征求意见稿表示赞同和支持，在此一并致谢。"


def identity_note(report: Report) -> str:
    if report.identity == "none":
        return ""
    return "个人提出人不列示姓名；单位提出人仅在其同意公开单位名称时列示名称。"


REDACTION_NOTE = "意见原文中的电话号码、电子邮箱、身份证号码等个人信息已隐去。"


def correction_heading(report: Report) -> str:
    """``更正说明`` / ``补充说明`` of a later version; ``""`` when the report has none."""
    if not report.correction.strip():
        return ""
    return f"{report.correction_kind or '更正'}说明"

