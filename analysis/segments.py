"""Letters split by clause: an association's letter or e-mail that comments on five clauses becomes five opinions.

:func:`segment_letter` cuts a comment at its own structure, then gives each part the clause it is about:

1. Structure. Lines and, inside a paragraph, the places after a sentence end where an enumeration marker starts a
   new point (or after the colon that opens a list: 1) 2)): 第X条 / 第X项, 一、二、, (一)(二), 1. 2. / 1、 / (1) / 1),
   ①②, A. B., 一是…二是…, 第一，第二，, 首先…其次…此外…最后, 建议一：, 意见1：, Q1：, 原文：… (a 原文 / 修改建议 / 理由 block), 条款：… (a row of a
   意见反馈表), a row of a table pasted as tab-separated lines, 人才方面，… (a paragraph led by its topic), and a
   short line 关于…的意见/建议 heading what follows.
   A marker may follow markdown at the start of its line (**一、…**, ## 1., - 第1条：). The style that occurs first
   and repeats is the letter's top level: deeper numbering (the 1. 2. under 一、) stays inside its point, unless the
   point is only a short heading (二、关于主要任务, 出口方面：) over sub-points on different clauses: then the heading is
   a remark and each sub-point an opinion (numbering may restart under each heading). A sub-point that names the
   letter's own earlier point (a memo's 二、分析 … 关于第（一）点：) takes that point's clause. A letter
   without any such structure is cut into its paragraphs, and a single paragraph at 另外 / 此外 / 还有 / 同时 where
   the clause evidence changes.
2. The greeting and introduction before the first point, and the closing (以上意见…, 此致, the signature block:
   the sender's name, the date, 联系人 / 电话 / 邮箱, and any short lines after 以上意见…) after the last one, are
   general remarks (``clause_key`` None); a greeting or a 谢谢。 on the same line as a point is cut from it. In a
   reply, the quoted earlier mail's separator (-----原始邮件-----), its headers and the reply's signature before it
   are remarks between the two mails' points. A chat export is cut at each sender-and-time line (群主-老周 20:02).
3. Each point gets the clause with the strongest evidence (:func:`analysis.clause_scores`: mentions such as
   第十二条 or a quoted heading, quotations of the clause's text, similarity), its own numbering removed first (the
   letter's 一、 is its first point, not the draft's part 一; a numbered heading without evidence takes the text
   under it). Below ``MIN_SCORE`` (``MIN_POINT_SCORE`` for a numbered point or a paragraph that proposes: 建议, 希望)
   the point is a general remark on
   the whole draft. A paragraph without a marker and without evidence of its own continues the point before it. A
   point that opens by pointing to the one before (同上，…) takes its clause; one that says it is on the whole draft
   (不涉及具体条款, 总体意见) is a general remark; either only without a mention or quotation of its own. 第一条意见：
   is the letter's own numbering, like 意见一：.

A comment that is not a letter comes back as one segment: the whole text, with its best clause or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from draft.model import Draft
from draft.numbers import to_int

from .clauses import clause_scores

#: Evidence below this makes a point a general remark (scores: a mention or a full quotation counts 1.0,
#: similarity at most about 1.0 for a copy of the clause).
MIN_SCORE = 0.3
#: The same for a numbered point of the letter (a numbered point is nearly always an opinion on some clause).
MIN_POINT_SCORE = 0.15
#: A paragraph without a marker needs this much more evidence for another clause than for the point before it to
#: start a point of its own.
SWITCH_MARGIN = 0.15

#: A paragraph that proposes something (建议…, 希望…) is a point of the letter, numbered or not: like a numbered
#: point it needs only ``MIN_POINT_SCORE`` (a point named by its topic: 参展的事情，…希望重点展会目录早点公布), and so
#: does a colloquial request (宣传也不要光是电视报纸…, 培训能不能多搞点线上的, 可否…).
_PROPOSES = re.compile(r"建议|希望|恳请|请求|呼吁|应当|应该|最好|不要|不应|能不能|能否|可否|可不可以")

#: A top-level point that is only a heading of up to this many characters (二、关于主要任务, 出口方面：) over numbered
#: sub-points on different clauses is split into them.
HEADING_CHARS = 30

#: A point that says it is on the draft as a whole (不涉及具体条款, 总体意见) is a general remark unless it names or
#: quotes a clause (a mention or a full quotation scores at least this much).
MENTIONED = 1.0
_ON_THE_WHOLE = re.compile(r"不涉及具体条[款文目]|不针对具体条[款文目]|不限于某一条|总体意见|整体意见|总体性意见|综合意见|"
                           r"总的来说|总的来看|总的看|总体上|总体而言|整体上|整体而言|"
                           r"对(?:计划|征求意见稿|文件)的?整体")

#: A point that opens by pointing to the one before (同上，也建议…; 上一条的…) is on its clause, unless it names or
#: quotes one of its own.
_SAME_AS_BEFORE = re.compile(r"\s*[:：，,]?\s*(?:同上|接上|续上|同前|上一[条点项]|上[条点]|前一[条点项])")

_CN = "一二三四五六七八九十"
# Marker styles at the start of a line or a sentence, with the style name. Order matters: longer forms first.
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    # 第一条意见：/ 第二点建议： number the letter's own points, not the draft's clauses
    ("proposal", re.compile(rf"第\s*[0-9{_CN}]+\s*[条点项]\s*(?:意见|看法|建议\s*[:：])")),
    # 关于第（一）点：/ 就第二点， — a point of the letter's own, named again (a memo's 二、分析 over its 一、问题)
    ("own_ref", re.compile(rf"(?:关于|就|对于?|针对)\s*(?:上述|前述)?\s*第\s*[(（]?\s*[0-9{_CN}]+\s*[)）]?\s*[点个]"
                           rf"\s*(?:问题|意见)?\s*[:：，,]")),
    ("article", re.compile(rf"第\s*[0-9{_CN}]+\s*[条项]")),
    ("ordinal_shi", re.compile(rf"[{_CN}]是")),
    ("ordinal_di", re.compile(rf"第[{_CN}]+\s*[，,、:：]")),
    ("cn_dun", re.compile(rf"[{_CN}]+\s*[、.．]")),
    ("cn_paren", re.compile(rf"[(（]\s*[{_CN}]+\s*[)）]")),
    ("num_paren", re.compile(r"[(（]\s*[0-9]+\s*[)）]")),
    # 1) 2) with only the closing bracket (a list typed inline: …意见：1) 附件里…；2) 第8条…)
    ("num_close", re.compile(r"[0-9]{1,2}\s*[)）](?![0-9])")),
    ("num_dot", re.compile(r"[0-9]+\s*(?:[.．、](?![0-9])|\s)")),
    ("circled", re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩⑪⑫]")),
    ("proposal", re.compile(rf"(?:建议|意见|问题|[Qq])\s*[0-9{_CN}]+\s*[:：、.]")),
    ("latin", re.compile(r"[A-H]\s*[.．、)）](?![0-9A-Za-z])")),
    ("original", re.compile(r"原文\s*[:：]")),
    ("row", re.compile(r"(?:条款|对应条款|条目)\s*[:：]")),
    ("sequence", re.compile(r"(?:首先|其次|再次|再者|此外|另外|最后|同时|还有)\s*[，,、:：]?")),
    ("aspect", re.compile(r"[\u4e00-\u9fff]{2,6}方面\s*[，,:：]")),
]
# What may come before a marker at the start of a line: indentation, markdown emphasis, headings, quotes, bullets
# and a table's first cell (**一、税收**, ## 1., > ①, - 第1条：, • , | 1 | 第10条 |).
_LINE_LEAD = re.compile(r"[ \t\u3000]*(?:(?:\*\*|__|#{1,6}\s|>\s?|[-*•·]\s|\|)[ \t\u3000]*)*")
_ABOUT = re.compile(r"(?:关于|对于|针对)[^。；;！!？?\n]{2,40}?的?(?:意见|建议|问题)[:：。]?\s*$")
_SENTENCE_END = re.compile(r"[。；;！!？?]\s*")
#: Where a marker may start a point inside a paragraph: after a sentence end, or after the colon that introduces a
#: list (提三点意见：1) …；2) …).
_INLINE_AT = re.compile(r"[。；;！!？?:：]\s*")
_CLOSING = re.compile(r"^\s*(?:以上|上述|特此|此致|敬礼|妥否|请予|恳请|再次感谢|谢谢|感谢|如需|如有|联系人|联系电话|电话|"
                      r"填表人|填报人|经办人|联系方式|[（(]\s*(?:个人意见|个人建议|不署名|匿名|此页无正文)|"
                      r"邮箱|电子邮箱|地址|附[:：]|[0-9〇零一二三四五六七八九]{4}\s*年|[（(]?盖章|就这些|"
                      r"(?i:thank you|thanks|best regards|kind regards|regards|sincerely|yours (?:sincerely|faithfully)))")
_GREETING = re.compile(r"^\s*(?:尊敬的|各位|您好|你好|(?i:dear\b|comments? on\b|re\s*:)|[^\n，,。]{0,16}(?:局|处|处室|领导|同志|委员会)[:：]|发件人|收件人|主题|"
                       r"关于[^\n]{0,60}(?:意见|建议|反馈)(?:表)?\s*$|[^\n]{0,40}(?:意见|建议)(?:反馈表)?\s*$|填报单位|"
                       r"\|?\s*序号|\|?[\s\-:|]+$)")  # a table's header row and its |---| line
_SIGNATURE = re.compile(r"^\s*[^\n。，,；;]{2,30}(?:协会|商会|联合会|联盟|委员会|公司|秘书处|中心|研究会|促进会)(?:\s*[（(]盖章[)）])?"
                        r"(?:\s*[，,]?\s*[0-9〇零一二三四五六七八九]{4}\s*年.*)?\s*$")
_INTRO_HINT = re.compile(r"如下|以下|几点|几条|意见建议|提出.{0,6}(?:意见|建议)|收悉|汇总|研读|研究了|学习")


@dataclass(frozen=True)
class Segment:
    """One part of a letter: ``text`` is ``letter[start:end]`` stripped; ``clause_key`` the clause it comments on
    (None: the whole draft, or no clause); ``kind`` ``opinion`` (a point to decide on) or ``remark`` (greeting,
    introduction, closing, signature: nothing to decide); ``score`` the clause evidence; ``marker`` the numbering it
    started with (``一、``, ``第10条``…; empty when none)."""

    text: str
    clause_key: str | None
    start: int
    end: int
    score: float = 0.0
    marker: str = ""
    kind: str = "opinion"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "clause_key": self.clause_key, "start": self.start, "end": self.end,
                "score": round(self.score, 4), "marker": self.marker, "kind": self.kind}


@dataclass
class _Piece:
    start: int
    end: int
    style: str | None  # the marker style it opens with (None: a plain paragraph or sentence run)
    marker: str
    new_line: bool  # starts at the beginning of a line
    sub: tuple[str, str] | None = None  # (style, marker) of a numbering under the top level it opens with


_STYLE_OF: dict[str, str] = {}  # marker text → style, filled as markers are found


def _style_at(text: str, at: int) -> tuple[str, str] | None:
    for name, pattern in _STYLES:
        m = pattern.match(text, at)
        if m:
            marker = m.group().strip()
            if len(_STYLE_OF) < 10_000:
                _STYLE_OF[marker] = name
            return name, marker
    return None


def _lead_end(text: str, at: int) -> int:
    """Where a line's marker may start: after its indentation and markdown lead (see ``_LINE_LEAD``)."""
    m = _LINE_LEAD.match(text, at)
    return m.end() if m else at


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer(r"\n", text) if m.end() < len(text)]
    return starts


#: A table pasted from Word or Excel comes as tab-separated lines (条款\t原文\t修改建议\t理由): each row with at least
#: ``TAB_ROW_CELLS`` cells is a point of its own (its first cell may be empty, 第五条, 附件一（四）, 保障措施（四）),
#: when the letter has at least ``TAB_ROWS`` of them; a header row of short cells without digits is not a point.
TAB_ROW_CELLS = 3
TAB_ROWS = 2
_TAB_HEADER_CELL = re.compile(r"[^\d]{1,8}")


#: A chat export (WeChat, QQ, DingTalk): each message under a line of its sender and time (群主-老周 20:02,
#: 2024-10-09 20:05:13 张海涛, [20:11] 王姐). Each message is a point.
_TIME = r"(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+)?\[?\d{1,2}:\d{2}(?::\d{2})?\]?"
_CHAT_HEADER = re.compile(rf"(?:[^\s\n：:。，,；;][^\n：:。，,；;]{{0,23}}[ \t\u3000]+{_TIME}|{_TIME}[ \t\u3000]+"
                          rf"[^\s\n：:。，,；;][^\n：:。，,；;]{{0,23}}?)[ \t\u3000]*[:：]?[ \t\u3000]*(?=\n|$)")
#: A reply's quoted earlier mail starts here: the separator line and the mail headers after it (and the signature
#: lines before it) are remarks, and the quoted mail's points are points of their own.
_QUOTED_MAIL = re.compile(r"\s*(?:-{2,}\s*(?:原始邮件|原邮件|转发邮件|Original Message|Forwarded message)\s*-{2,}|"
                          r"在\s*[^\n]{0,60}写道\s*[:：]|On [^\n]{0,120} wrote:)\s*$", re.IGNORECASE)
_MAIL_HEADER = re.compile(r"\s*(?:发件人|发送时间|发送日期|时间|日期|收件人|抄送|密送|主题|From|Sent|Date|To|Cc|Subject)\s*[:：]",
                          re.IGNORECASE)


def _tab_rows(text: str) -> set[int]:
    """Line starts of the rows of a tab-separated table, its header row left out."""
    if "\t" not in text:
        return set()
    rows: list[int] = []
    for start in _line_starts(text):
        end = text.find("\n", start)
        cells = text[start:len(text) if end < 0 else end].split("\t")
        if len(cells) < TAB_ROW_CELLS:
            continue
        if not rows and all(_TAB_HEADER_CELL.fullmatch(c.strip()) for c in cells):
            continue  # the header row: 条款 原文 修改建议 理由
        rows.append(start)
    return set(rows) if len(rows) >= TAB_ROWS else set()


def _candidates(text: str) -> list[tuple[int, str, str, bool]]:
    """(position, style, marker, at a line start) of every marker at a line start or right after a sentence end."""
    found = []
    line_starts = set()
    rows = _tab_rows(text)
    for start in _line_starts(text):
        at = start + len(text[start:]) - len(text[start:].lstrip(" \t\u3000"))
        line_starts.add(at)
        if start in rows:
            found.append((at, "tab_row", "", True))
            continue
        chat = _CHAT_HEADER.match(text, at)
        if chat:  # the whole header line is the marker: a nickname is no evidence (静海五金-张海涛 is not 五金制品)
            found.append((at, "chat", chat.group().strip(), True))
            continue
        style = _style_at(text, _lead_end(text, start))
        if style:
            found.append((at, *style, True))
        elif _ABOUT.match(text[at:text.find("\n", at) if "\n" in text[at:] else len(text)]):
            found.append((at, "about", "关于", True))
    for m in _INLINE_AT.finditer(text):
        at = m.end()
        if at in line_starts or at >= len(text):
            continue
        style = _style_at(text, at)
        if style and m.group()[0] in ":：" and style[0] not in ("num_close", "num_paren", "circled"):
            continue  # after a colon only a list's own numbering starts a point
        if style and style[0] in ("ordinal_shi", "ordinal_di", "sequence", "circled", "article", "proposal",
                                  "cn_paren", "num_paren", "num_close"):
            found.append((at, *style, False))
    return sorted(found)


def _top_style(candidates: list[tuple[int, str, str, bool]]) -> str | None:
    """The letter's top-level numbering: the first style that occurs at least twice."""
    counts: dict[str, int] = {}
    for _, style, _, _ in candidates:
        counts[style] = counts.get(style, 0) + 1
    for _, style, _, _ in candidates:
        if counts[style] >= 2:
            return style
    return None


def _pieces(text: str) -> tuple[list[_Piece], str | None]:
    """The letter cut at its top-level markers, its lines, and (without a top level) at inline sequence markers;
    and the top-level style (None: the letter has no numbering of its own)."""
    candidates = _candidates(text)
    top = _top_style(candidates)
    cuts: list[tuple[int, str | None, str, bool]] = []
    if top is not None:
        cuts = [c for c in candidates if c[1] == top or (top == "about" and c[1] == "about")]
        # Lines the top level does not number still end a point when they are a closing or a signature.
    line_cuts: list[tuple[int, str | None, str, bool]] = []
    at_line = {c[0]: c for c in candidates if c[3]}
    for start in _line_starts(text):
        at = start + len(text[start:]) - len(text[start:].lstrip(" \t\u3000"))
        if at < len(text) and all(c[0] != at for c in cuts):
            found = at_line.get(at)
            line_cuts.append(found if found and found[1] == "sequence" else (at, None, "", True))
    if top is None:
        cuts = [c for c in candidates if c[1] in ("sequence", "ordinal_shi", "ordinal_di", "circled")]
    merged: list[tuple[int, str | None, str, bool]] = sorted({*cuts, *line_cuts}, key=lambda c: c[0])
    if not merged or merged[0][0] > 0:
        merged.insert(0, (0, None, "", True))
    pieces = []
    for i, (at, style, marker, new_line) in enumerate(merged):
        end = merged[i + 1][0] if i + 1 < len(merged) else len(text)
        if text[at:end].strip():
            found = at_line.get(at) if style is None else None
            pieces.append(_Piece(at, end, style, marker, new_line, found[1:3] if found else None))
    return pieces, top


def _without_marker(text: str, marker: str) -> str:
    stripped = text.lstrip()
    stripped = stripped[_lead_end(stripped, 0):]
    return stripped[len(marker):] if marker and stripped.startswith(marker) else stripped


def _is_closing(piece_text: str) -> bool:
    first = piece_text.strip()
    return bool(_CLOSING.match(first) or _SIGNATURE.match(first.split("\n", 1)[0]))


def _is_opening(piece_text: str) -> bool:
    first = piece_text.strip()
    return bool(_GREETING.match(first)) or (len(first) < 120 and _INTRO_HINT.search(first) is not None
                                              and "建议" not in first[:2])


_Best = tuple[str | None, float, dict[str, float]]


def _best(text: str, marker: str, draft: Draft, memo: dict[tuple[str, str], _Best] | None = None) -> _Best:
    """(best clause, its score, every clause's score) for one piece, without the letter's own numbering (a 第X条
    marker is a mention of the draft's clause and stays, and so does 人才方面, the point's topic). ``memo`` keeps the
    answers of one letter: a heading and its sub-points are scored to decide the split, then again to place them."""
    if memo is not None:
        found = memo.get((text, marker))
        if found is None:
            found = memo[(text, marker)] = _best(text, marker, draft)
        return found
    own = "" if _STYLE_OF.get(marker) in ("article", "row", "aspect") else marker
    scores = dict(clause_scores(_without_marker(text, own), draft))
    if not scores:
        return None, 0.0, {}
    key = max(scores, key=lambda k: scores[k])
    return key, scores[key], scores


_NUMBER = re.compile(rf"[0-9]+|[{_CN}]+")


def _own_number(marker: str) -> int | None:
    """The number of a letter's own marker: （二） → 2, 2. → 2, 关于第（二）点： → 2."""
    m = _NUMBER.search(marker)
    return to_int(m.group()) if m else None


def _within(key: str, head: str | None) -> bool:
    return head is None or key == head or key.startswith(head + ".")


def _headings(pieces: list[_Piece], top: str | None, bodies: list[str], general: list[bool], draft: Draft,
              memo: dict[tuple[str, str], _Best]) -> dict[int, tuple[str, str | None, float]]:
    """{index of a top-level point that is a heading over sub-points: (their style, its clause, its score)}.

    A heading (one short line: 二、关于主要任务, 三、对附件的建议, 出口方面：) over two or more sub-points of one numbering
    ((一)(二) or 1. 2., restarting under each heading) that would be given different clauses (a weak one the
    heading's), all within the heading's own clause when it names one, stands over several opinions: 二、关于主要任务
    over (一) on item 1 and (二) on item 4; not 二、外汇 over two points on item 12."""
    out = {}
    for i, piece in enumerate(pieces):
        head = bodies[i].strip()
        if top is None or piece.style != top or general[i] or len(head) > HEADING_CHARS or "\n" in head:
            continue
        styles: dict[str, list[int]] = {}
        for j in range(i + 1, len(pieces)):
            if pieces[j].style == top or general[j]:
                break
            sub = pieces[j].sub
            if sub is not None and pieces[j].new_line:
                styles.setdefault(sub[0], []).append(j)
        style = next((st for st, js in styles.items() if len(js) >= 2), None)
        if style is None:
            continue
        children = styles[style]
        key, score, _ = _best(bodies[i], piece.marker, draft, memo)
        head_key = key if score >= MIN_POINT_SCORE else None
        keys = set()  # each sub-point's clause as it will be given (its own, or the heading's when weak)
        for j in children:
            sub = pieces[j].sub
            k, sc, _ = _best(bodies[j], sub[1] if sub else "", draft, memo)
            keys.add(k if sc >= MIN_POINT_SCORE else head_key)
        named = {_own_number(sub[1]) for sub in (pieces[j].sub for j in children) if sub is not None}
        if style == "own_ref" and len(named) >= 2:
            out[i] = (style, head_key, score)  # 关于第（一）点 / 关于第（二）点: the points they name are on their clauses
        elif len(keys) >= 2 and (score < MENTIONED or all(k is not None and _within(k, head_key) for k in keys)):
            out[i] = (style, head_key, score)
    return out


#: A closing that opens the letter's last lines: what follows it is only short lines (the signature block: 经办律师：…).
_CLOSING_START = re.compile(r"^\s*(?:以上|上述意见|特此|此致|妥否|附件\s*[:：]\s*(?:[0-9]+\s*[.、．]\s*)?"
                            r"[^，。；;\n]{0,30}?(?:数据表|统计表|情况表|调查表|名单|名录|说明|报告|材料|清单|问卷|汇总表|证明))")
SIGNATURE_LINE_CHARS = 30


def _split_ends(text: str, pieces: list[_Piece], draft: Draft) -> list[_Piece]:
    """A greeting glued to the first point (商务局的同志好，我是…卖家，简单说几句。计划里说…，希望…) and, in a letter of
    several pieces, a closing glued to its last point (…希望多办实务培训。谢谢。) become pieces of their own."""
    if not pieces:
        return pieces
    first = pieces[0]
    for m in _SENTENCE_END.finditer(text, first.start, first.end):
        head, tail = text[first.start:m.end()], text[m.end():first.end]
        if "\n" in head.strip() or _PROPOSES.search(head) or not tail.strip():
            break
        if _PROPOSES.search(tail) and not _INTRO_HINT.search(tail) and _best(tail, "", draft)[1] >= MIN_POINT_SCORE:
            pieces = [_Piece(first.start, m.end(), None, "", True),
                      _Piece(m.end(), first.end, None, "", False), *pieces[1:]]
            break
    last = pieces[-1]
    for m in _SENTENCE_END.finditer(text, last.start, last.end) if len(pieces) > 1 else ():
        rest = text[m.end():last.end]
        if rest.strip() and len(rest.strip()) <= SIGNATURE_LINE_CHARS and _CLOSING.match(rest):
            pieces[-1:] = [_Piece(last.start, m.end(), last.style, last.marker, last.new_line, last.sub),
                           _Piece(m.end(), last.end, None, "", False)]
            break
    return pieces


def segment_letter(text: str, draft: Draft) -> list[Segment]:
    """The parts of a letter, in order, each with the clause it comments on (see the module docstring).

    The segments are contiguous and cover ``text`` (``start``/``end`` index into it); their texts are stripped of
    surrounding whitespace.
    """
    if not text or not text.strip():
        return []
    pieces, top = _pieces(text)
    pieces = _split_ends(text, pieces, draft)
    numbered = top is not None
    bodies = [text[p.start:p.end] for p in pieces]
    general = [False] * len(pieces)
    # The opening: pieces before the first numbered point, or greeting/introducing pieces at the top.
    for i, piece in enumerate(pieces):
        if piece.style == top and numbered or not (numbered or _is_opening(bodies[i])) or (
                piece.style is None and not piece.new_line):  # the first point, cut from its greeting
            break
        general[i] = True
    # The closing: trailing pieces that close or sign (and a 最后… that carries no clause evidence).
    for i in range(len(pieces) - 1, -1, -1):
        closing = _is_closing(bodies[i]) or (
            pieces[i].style == "sequence" and pieces[i].marker.startswith("最后")
            and _best(bodies[i], pieces[i].marker, draft)[1] < MIN_SCORE)
        if not closing or general[i]:
            break
        general[i] = True
    # 以上意见仅供参考。/ XX律师事务所 / 经办律师：王律师 / 2024年10月10日: a closing and the short lines after it.
    for i in range(len(pieces) - 1, -1, -1):
        body = bodies[i].strip()
        if general[i] and i < len(pieces) - 1 and not general[i + 1]:
            break
        if _CLOSING_START.match(body):
            for j in range(i, len(pieces)):
                general[j] = True
            break
        if len(body) > SIGNATURE_LINE_CHARS or "\n" in body or _PROPOSES.search(body):
            break
    # A reply's quoted earlier mail: -----原始邮件-----, the headers after it and a greeting, and the sender's short
    # signature lines before it, are remarks between the two mails' points.
    for i, body in enumerate(bodies):
        if not _QUOTED_MAIL.match(body.strip()):
            continue
        general[i] = True
        j = i - 1
        while j >= 0 and not general[j] and pieces[j].style is None and (_is_closing(bodies[j]) or (
                len(bodies[j].strip()) <= SIGNATURE_LINE_CHARS and "\n" not in bodies[j].strip()
                and not _PROPOSES.search(bodies[j]))):
            general[j] = True
            j -= 1
        j = i + 1
        while j < len(pieces) and (_MAIL_HEADER.match(bodies[j]) or (
                _is_opening(bodies[j]) and len(bodies[j].strip()) <= SIGNATURE_LINE_CHARS)):
            general[j] = True
            j += 1
    parts: list[list[Any]] = []  # [start, end, key, score, marker, kind]
    memo: dict[tuple[str, str], _Best] = {}
    headings = _headings(pieces, top, bodies, general, draft, memo)
    heading: tuple[str, str | None, float] | None = None  # the heading the pieces are under
    unplaced: list[list[Any]] = []  # numbered points whose heading line had no evidence, with text under it
    own_points: dict[int | None, str] = {}  # the clause of the letter's first sub-point of each number
    for i, piece in enumerate(pieces):
        if piece.style == top and numbered:
            heading = headings.get(i)
        if general[i] or i in headings:
            parts.append([piece.start, piece.end, None, 0.0, piece.marker, "remark"])
            continue
        if heading is not None and piece.sub is not None and piece.sub[0] == heading[0] and piece.new_line:
            key, score, _ = _best(bodies[i], piece.sub[1], draft, memo)
            key = key if score >= MIN_POINT_SCORE else heading[1]
            if piece.sub[0] == "own_ref" and score < MENTIONED:
                key = own_points.get(_own_number(piece.sub[1]), key)  # 关于第（一）点：the clause of its (一)
            elif key is not None:
                own_points.setdefault(_own_number(piece.sub[1]), key)
            parts.append([piece.start, piece.end, key, score, piece.sub[1], "opinion"])  # a sub-point: its own opinion
            continue
        previous = parts[-1] if parts and parts[-1][5] == "opinion" else None
        if previous is not None and piece.style != top and numbered and piece.style != "sequence":
            previous[1] = piece.end  # text under a numbered point belongs to it
            if previous[2] is None:
                unplaced.append(previous)
            continue
        key, score, scores = _best(bodies[i], piece.marker, draft, memo)
        point = (numbered and piece.style == top) or _PROPOSES.search(_without_marker(bodies[i], piece.marker))
        if score < (MIN_POINT_SCORE if point else MIN_SCORE) or (
                score < MENTIONED and _ON_THE_WHOLE.search(bodies[i])):
            key = None
        last = next((p for p in reversed(parts) if p[5] == "opinion"), None)
        if (score < MENTIONED and last is not None and last[2] is not None
                and _SAME_AS_BEFORE.match(_without_marker(bodies[i], piece.marker))):
            key = last[2]  # 二、同上，也建议…: the clause of the point before (its own score kept)
        if previous is not None and previous[5] == "opinion" and piece.style != top and (
                key is None or key == previous[2] or scores.get(previous[2], 0.0) + SWITCH_MARGIN >= score):
            previous[1] = piece.end  # a paragraph without its own evidence continues the point before it
            continue
        parts.append([piece.start, piece.end, key, score, piece.marker, "opinion"])
    for part in {id(p): p for p in unplaced}.values():  # 四、关于“无票免征”: the point's text says more
        key, score, _ = _best(text[part[0]:part[1]], part[4], draft)
        # a chat message is all under its sender's line: a numbered point's bar
        chat = bool(part[4] and _CHAT_HEADER.fullmatch(part[4]))
        bar = MIN_POINT_SCORE if chat else MIN_SCORE
        if part[2] is None and score >= bar and not _ON_THE_WHOLE.search(text[part[0]:part[1]]):
            part[2], part[3] = key, score
        if part[2] is None and chat and not _PROPOSES.search(text[part[0]:part[1]]):
            part[5] = "remark"  # 收到 / [强] / 好的，我整理一下: a chat's chatter, nothing to decide
    merged: list[list[Any]] = []
    for part in parts:  # adjacent remarks are one segment
        if merged and part[5] == "remark" and merged[-1][5] == "remark":
            merged[-1][1] = part[1]
        else:
            merged.append(part)
    return [Segment(text[s:e].strip(), key, s, e, score, marker, kind) for s, e, key, score, marker, kind in merged]
