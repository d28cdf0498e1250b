"""Read the 公告 (notice) that announces a draft: title, department, contact, dates, window.

Window phrases understood (the second date may omit the year, which then carries over — and
rolls to the next year when the month goes backwards):
``时间为2024年9月25日至10月10日`` · ``2024年9月25日—2024年10月10日`` · ``自2024年9月25日起至10月10日止``
· ``截止日期为2024年10月10日`` / ``截至…`` (opens on the publication date) · ``自2024年9月25日起30日``
or ``自公告发布之日起30日`` (a start must be stated; N days count the first day, so 30 days from
9-25 close on 10-24). Working days (工作日) cannot be computed without a holiday calendar and are
reported as a warning instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .contacts import EMAIL
from .model import Notice
from .numbers import CN_NUMERAL_CHARS, to_int

_NUM = rf"[0-9０-９{CN_NUMERAL_CHARS}]"
_FULL_DATE = rf"({_NUM}{{4}})\s*年\s*({_NUM}{{1,3}})\s*月\s*({_NUM}{{1,3}})\s*[日号]"
_SHORT_DATE = rf"(?:({_NUM}{{4}})\s*年\s*)?({_NUM}{{1,3}})\s*月\s*({_NUM}{{1,3}})\s*[日号]"
_ISO_DATE = r"(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})"
_RANGE_SEP = r"\s*(?:至|到|—+|－|–|-|~|～)\s*"

_RANGE = re.compile(rf"{_FULL_DATE}(?:\s*[（(][^）)]*[）)])?\s*(?:起)?{_RANGE_SEP}{_SHORT_DATE}")
_ISO_RANGE = re.compile(rf"{_ISO_DATE}\s*(?:至|到|—+|－|–|~|～)\s*(?:(\d{{4}})\s*[-./／]\s*)?(\d{{1,2}})\s*[-./／]\s*(\d{{1,2}})")
_DEADLINE = re.compile(rf"(?:截止(?:日期|时间)?|截至|截止到|结束(?:日期|时间)?)\s*(?:为|是|到|至|[:：])?\s*{_FULL_DATE}")
_DEADLINE_BEFORE = re.compile(rf"(?:于|在){_FULL_DATE}(?:\s*\d{{1,2}}[:：]\d{{2}})?\s*(?:前|以前|之前)")
_DAYS_FROM_DATE = re.compile(rf"自{_FULL_DATE}起\s*(?:[，,]?\s*(?:为期|共|征求意见)?)?\s*({_NUM}{{1,3}})\s*(个工作日|日|天)")
_DAYS_FROM_PUBLISH = re.compile(rf"自[^。，,；]{{0,12}}?(?:发布|公布|公告|公示|刊登)之日起\s*({_NUM}{{1,3}})\s*(个工作日|日|天)")
_DATE_LINE = re.compile(rf"^(?:(?:发布|印发|公告|公布)(?:日期|时间)\s*[:：]\s*)?(?:{_FULL_DATE}|{_ISO_DATE})$")
_TITLE = re.compile(r"《([^《》]*(?:《[^《》]*》[^《》]*)*)》")
_CONTACT_LINE = re.compile(r"联系|电话|邮箱|电子信箱|传真|通讯地址|邮寄地址")
_CONTACT_PREFIX = re.compile(r"^联系方式\s*[:：]\s*")
_PERSON_PREFIX = re.compile(r"^(?:联系人(?:及电话)?|联系单位)\s*[:：]\s*")
_DEPARTMENT = re.compile(
    r"^([\u4e00-\u9fff（）()]{1,20}?(?:处|科|司|室|中心|局|委员会|委|厅|部|办|所|院))(?=[\s\u3000,，、:：;；（(]|$)"
)
_ADDRESS = re.compile(
    r"(?:(?:通讯|通信|邮寄|联系|寄送)地址|(?:邮寄|寄送|寄)至|地址)\s*(?:为|是)?\s*[:：]?\s*"
    r"([\u4e00-\u9fff0-9０-９A-Za-z#＃\-— ]{4,80}?)(?=\s*[（(]|\s*邮(?:政)?编|[，,；;。\n]|$)"
)
_POSTCODE = re.compile(r"邮(?:政)?编(?:码)?\s*(?:为|是)?\s*[:：]?\s*([0-9]{6})(?![0-9])")
_BARE_POSTCODE = re.compile(r"\s*[（(]\s*([0-9]{6})\s*[）)]")
_NOTICE_HEADING = re.compile(r"(?:公告|通知|公示|通告|的函|征求意见)$")
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:局|委员会|委|厅|办公室|政府|中心|院|部)$")


@dataclass
class NoticeResult:
    notice: Notice
    warnings: list[str] = field(default_factory=list)


def _date(y: str | None, m: str, d: str) -> date | None:
    year, month, day = (to_int(y) if y else None), to_int(m), to_int(d)
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _second(first: date, y: str | None, m: str, d: str) -> date | None:
    if y:
        return _date(y, m, d)
    second = _date(str(first.year), m, d)
    if second is not None and second < first:  # 2024年12月20日至1月5日 → next year
        second = _date(str(first.year + 1), m, d)
    return second


def parse_date(text: str) -> date | None:
    """The first date in ``text`` (2024年9月25日, 二〇二四年九月二十五日, 2024-09-25)."""
    m = re.search(_FULL_DATE, text)
    if m:
        return _date(*m.groups())
    m = re.search(_ISO_DATE, text)
    return _date(*m.groups()) if m else None


def _days(count: str, unit: str, start: date, warnings: list[str]) -> date | None:
    n = to_int(count)
    if n is None or n < 1:
        return None
    if "工作日" in unit:
        warnings.append(f"征求意见期限为{n}个工作日，无法自动推算截止日期，请手动指定。")
        return None
    return start + timedelta(days=n - 1)


def find_window(text: str, published_on: date | None = None) -> tuple[date | None, date | None, list[str]]:
    """(opens_on, closes_on, warnings) as stated in ``text``."""
    warnings: list[str] = []
    for regex in (_RANGE, _ISO_RANGE):
        m = regex.search(text)
        if m:
            opens = _date(*m.groups()[:3])
            if opens is not None:
                closes = _second(opens, *m.groups()[3:])
                if closes is not None and closes >= opens:
                    return opens, closes, warnings
    m = _DAYS_FROM_DATE.search(text)
    if m:
        opens = _date(*m.groups()[:3])
        if opens is not None:
            return opens, _days(m.group(4), m.group(5), opens, warnings), warnings
    m = _DAYS_FROM_PUBLISH.search(text)
    if m and published_on is not None:
        return published_on, _days(m.group(1), m.group(2), published_on, warnings), warnings
    m = _DEADLINE.search(text) or _DEADLINE_BEFORE.search(text)
    if m:
        closes = _date(*m.groups())
        if closes is not None:
            opens = published_on if published_on is not None and published_on <= closes else None
            return opens, closes, warnings
    return None, None, warnings


def find_title(lines: list[str]) -> str:
    """The 《…》 title, preferring one that names a draft (征求意见稿 / 草案 / 送审稿)."""
    titles = [m.group(1).strip() for line in lines for m in _TITLE.finditer(line)]
    for title in titles:
        if re.search(r"征求意见稿|草案|送审稿|讨论稿", title):
            return title
    return titles[0] if titles else ""


def _contact_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that give contact details (short lines naming 联系/电话/邮箱 …)."""
    return [i for i, line in enumerate(lines) if _CONTACT_LINE.search(line) and len(line) <= 120]


def _contact(lines: list[str], used: list[int]) -> str:
    parts = []
    for i in used:
        content = lines[i].strip()
        if content[:1] in "（(" and content[-1:] in "）)":
            content = content[1:-1].strip()
        content = _CONTACT_PREFIX.sub("", content)
        parts.append(content)
    return "；".join(parts)


def find_email(text: str) -> str:
    """The first e-mail address in ``text`` ('' if none)."""
    m = EMAIL.search(text)
    return m.group(0) if m else ""


def find_postal(text: str) -> tuple[str, str]:
    """(postal address, 邮编) as ``text`` states them, each '' when it does not."""
    address, code = "", ""
    m = _ADDRESS.search(text)
    if m:
        address = m.group(1).strip().rstrip("，,、")
        bare = _BARE_POSTCODE.match(text, m.end(1))   # 地址：…30号（300201）
        code = bare.group(1) if bare else ""
    found = _POSTCODE.search(text)
    return address, found.group(1) if found else code


def _announcement(lines: list[str], skip: set[int]) -> str:
    """The notice's own paragraphs: everything but its heading line, contact lines, signature and date."""
    kept = [line for i, line in enumerate(lines) if i not in skip]
    if kept and _NOTICE_HEADING.search(kept[0]) and not re.search(r"[。，,；;！!]", kept[0]):
        kept = kept[1:]
    return "\n".join(kept)


def read_notice(lines: list[str], page_title: str = "") -> NoticeResult:
    """Everything the notice lines state; fields the text does not state stay empty."""
    notice = Notice(title=find_title([page_title, *lines] if page_title else lines))
    date_lines = [i for i, line in enumerate(lines) if _DATE_LINE.match(line.replace(" ", ""))]
    if date_lines:
        notice.published_on = parse_date(lines[date_lines[-1]])
    contact_lines = _contact_lines(lines)
    notice.contact = _contact(lines, contact_lines)
    skip = set(contact_lines) | set(date_lines[-1:])
    m = _DEPARTMENT.match(_PERSON_PREFIX.sub("", notice.contact))
    if date_lines and date_lines[-1] > 0 and _SIGNATURE.match(lines[date_lines[-1] - 1]):
        skip.add(date_lines[-1] - 1)
    if m:
        notice.department = m.group(1)
    elif date_lines and date_lines[-1] > 0 and _SIGNATURE.match(lines[date_lines[-1] - 1]):
        notice.department = lines[date_lines[-1] - 1]
    text = "\n".join(lines)
    notice.announcement = _announcement(lines, skip)
    notice.email = find_email(text)
    notice.address, notice.postcode = find_postal(text)
    notice.opens_on, notice.closes_on, warnings = find_window(text, notice.published_on)
    if notice.closes_on is None and not warnings and lines:
        warnings.append("公告中未找到征求意见时间（截止日期），导入时请指定。")
    return NoticeResult(notice, warnings)
