"""``parse(text) -> Draft``: split the page into notice and draft body, then build the tree."""

from __future__ import annotations

import re

from .cleanup import clean_lines
from .errors import DraftError
from .markers import has_decimal_headings, match_annex, match_marker
from .model import Clause, Draft, Notice
from .notice import find_title, read_notice
from .tree import (
    DRAFT_TITLE_LINE,
    MAX_TITLE,
    build_tree,
    drop_annex_listing,
    is_title_line,
)

_BANNER = re.compile(r"^【[^】]{1,8}】\s*")
_NOTICE_MARKER = re.compile(r"^(?:公告|通知|公示|征求意见公告)$")
_BODY_MARKER = re.compile(r"^(?:草案正文|正文|征求意见稿正文|草案全文|全文|文件正文|征求意见稿全文)$")
_TRAILER = re.compile(r"^(?:背景介绍|起草说明|编制说明|关于.{2,60}的(?:起草|编制)说明|公众意见采纳情况反馈|意见采纳情况反馈"
                      r"|征求意见反馈|相关附件|相关文件)$")
_BACKGROUND = re.compile(r"^(?:背景介绍|起草说明|编制说明|关于.{2,60}的(?:起草|编制)说明)$")
_NOTICE_SIGNAL = re.compile(r"征求意见|征求.{0,6}意见|意见建议|提出意见|反馈意见|联系方式|联系电话|联系人")
_TITLE_ENDING = re.compile(
    r"(?:办法|方案|条例|规定|计划|细则|意见|措施|规划|指引|标准|规则|纲要|准则|决定|通知|政策|若干规定)"
    r"(?:[（(](?:征求意见稿|草案|送审稿|讨论稿|试行|修订稿|修订草案)[）)])?$"
)

NO_STRUCTURE = "未识别到条款编号，全文作为一个条款导入，请核对。"
NO_TITLE = "未识别到草案标题，请在导入后补充。"


def _compact(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _is_draft_title(line: str) -> bool:
    return (len(line) <= MAX_TITLE and "《" not in line and match_marker(line, True) is None
            and bool(_TITLE_ENDING.search(_compact(line))))


def _split_notice(lines: list[str]) -> tuple[list[str], list[str]]:
    """(notice lines, body lines). An explicit 草案正文 marker wins; otherwise the leading lines
    before the draft's own title or first numbered line are a notice only if they read like one."""
    marker = next((i for i, line in enumerate(lines) if _BODY_MARKER.match(_compact(line))), None)
    if marker is not None:
        return lines[:marker], lines[marker + 1:]
    # the notice names the draft in 《…》 and the draft starts by repeating that name
    named = find_title(lines[:40])
    if named:
        for i, line in enumerate(lines[1:], start=1):
            if "《" not in line and _same_title(named, line) and any(_NOTICE_SIGNAL.search(x) for x in lines[:i]):
                return lines[:i], lines[i:]
    end = len(lines)
    for i, line in enumerate(lines):
        if (i > 0 and _is_draft_title(line)) or match_marker(line, True) is not None:
            end = i
            break
    head = lines[:end]
    if head and any(_NOTICE_SIGNAL.search(line) for line in head) and any(
        _NOTICE_MARKER.match(_compact(line)) or "《" in line for line in head
    ):
        return head, lines[end:]
    return [], lines


def _split_trailer(lines: list[str]) -> tuple[list[str], list[str]]:
    """(the draft, the page furniture after it): 背景介绍 / 起草说明, the empty 公众意见采纳情况反馈 heading …"""
    for i, line in enumerate(lines):
        if i > 0 and _TRAILER.match(_compact(line)):
            return lines[:i], lines[i:]
    return lines, []


def _background(trailer: list[str]) -> str:
    """The text under a 背景介绍 / 起草说明 heading of the trailer, up to the next heading."""
    out: list[str] = []
    inside = False
    for line in trailer:
        if _TRAILER.match(_compact(line)):
            if out:
                break
            inside = bool(_BACKGROUND.match(_compact(line)))
        elif inside:
            out.append(line)
    return "\n".join(out)


def _same_title(a: str, b: str) -> bool:
    strip = re.compile(r"[（(](?:征求意见稿|草案|送审稿|讨论稿)[）)]|[《》\s\u3000]")
    return bool(a) and strip.sub("", a) == strip.sub("", b)


def _takes_title(title: str, body: list[str]) -> bool:
    """Is the first body line the draft's title (a repeat of the notice's, or its own)?"""
    first = body[0]
    if match_marker(first, True) or match_annex(first):
        return False
    if title:
        return _same_title(title, first)
    if _is_draft_title(first) or (len(body) > 1 and DRAFT_TITLE_LINE.match(_compact(body[1]))):
        return True
    # a short unpunctuated first line counts when numbered clauses follow it
    return is_title_line(first) and any(match_marker(line, True) for line in body[1:])


def parse(text: str) -> Draft:
    """Parse a draft (notice and body, as pasted or extracted) into a :class:`Draft`."""
    if text is None or not text.strip():
        raise DraftError("文本为空，没有可导入的内容。")
    lines = clean_lines(text)
    page_title = ""
    if lines and _BANNER.match(lines[0]):
        page_title = _BANNER.sub("", lines[0])
        lines = lines[1:]
    lines = [line for line in lines if not _NOTICE_MARKER.match(_compact(line)) or len(line) > 6]
    if not lines:
        raise DraftError("文本中没有可导入的正文。")
    notice_lines, body = _split_notice(lines)
    warnings: list[str] = []
    notice = Notice()
    if notice_lines or page_title:
        result = read_notice(notice_lines, page_title)
        notice, warnings = result.notice, list(result.warnings)
    body, trailer = _split_trailer(body)
    notice.background = _background(trailer)

    title = notice.title
    if body and _takes_title(title, body):
        title = title or body[0]
        body = body[1:]
        if body and DRAFT_TITLE_LINE.match(_compact(body[0])):
            title = title if title.endswith(body[0]) else title + body[0]
            body = body[1:]

    body = drop_annex_listing(body)
    tree = build_tree(body, has_decimal_headings(body))
    preamble, clauses = "\n".join(tree.preamble), tree.clauses
    if not clauses:
        if not preamble:
            raise DraftError("文本中没有可导入的正文。")
        clauses = [Clause(key="p1", label="", heading="", body=preamble, level=1, kind="paragraph")]
        preamble = ""
        warnings.append(NO_STRUCTURE)
    if not title:
        warnings.append(NO_TITLE)
    return Draft(title=title, notice=notice, preamble=preamble, clauses=clauses, warnings=warnings)
