"""Turn raw text (pasted, .txt, PDF-extracted) into clean logical lines.

Steps: normalise line ends and invisible characters, drop blank and bare page-number lines,
drop a 目录 (table of contents) that repeats the headings, and re-join lines that a PDF broke
mid-sentence. Tables kept as text (tab- or wide-space-separated rows) are never joined.
"""

from __future__ import annotations

import re
import unicodedata

from .markers import TERMINAL, match_annex, match_marker

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_EDGE_SPACE = " \t\u3000\u00a0\u2002\u2003\u2009"

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－·•\s]*[0-9０-９]{1,3}[-—–－·•\s]*"
    r"|第\s*[0-9]{1,3}\s*页(?:\s*[,，/／]?\s*共\s*[0-9]{1,3}\s*页)?"
    r"|[0-9]{1,3}\s*[/／]\s*[0-9]{1,3}"
    r"|[Pp]age\s*[0-9]{1,3}(?:\s*of\s*[0-9]{1,3})?)$"
)
_TOC_TITLE = re.compile(r"^目\s*录$")
_TOC_LEADER_TAIL = re.compile(r"[\s.．·…_\-—]*[0-9０-９]*$")
_TABLE_CELLS = re.compile(r"\t|[│┃|]| {2,}\S.* {2,}")
_SENTENCE_END = re.compile(r"[。！？!?]")

# A paragraph never ends on these: the line was broken mid-sentence.
_OPEN_ENDINGS = "，,、（(《“‘【"


def is_table_row(line: str) -> bool:
    return bool(_TABLE_CELLS.search(line))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def raw_lines(text: str) -> list[str]:
    """Non-blank lines, edges trimmed (inner spacing of tables kept), no page numbers."""
    text = text.translate(_INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\f", "\n")
    lines = []
    for line in text.split("\n"):
        line = line.strip(_EDGE_SPACE + "\v")
        if not line or _PAGE_NUMBER.match(line):
            continue
        lines.append(line)
    return lines


def _toc_entry(line: str) -> str:
    return re.sub(r"\s+", "", _TOC_LEADER_TAIL.sub("", line))


def drop_table_of_contents(lines: list[str]) -> list[str]:
    """Remove ``目录`` and the entries after it, up to the line where the first entry repeats
    as the real heading (or, failing that, the first line that reads like body text)."""
    start = next((i for i, line in enumerate(lines) if _TOC_TITLE.match(line.replace("\u3000", " "))), None)
    if start is None or start + 1 >= len(lines):
        return lines
    first = _toc_entry(lines[start + 1])
    end = len(lines)
    for k in range(start + 2, len(lines)):
        line = lines[k]
        if first and _toc_entry(line) == first and _toc_entry(line) == re.sub(r"\s+", "", line):
            end = k
            break
        if display_width(line) > 80 or _SENTENCE_END.search(line):
            end = k
            break
    return lines[:start] + lines[end:]


def _wrap_width(lines: list[str]) -> int | None:
    """The width at which a PDF wrapped its lines, if the text looks wrapped at all: at least
    a quarter of the lines end without punctuation at nearly the same (maximal) width."""
    open_widths = sorted(
        (display_width(line) for line in lines if line[-1] not in TERMINAL and not is_table_row(line)),
        reverse=True,
    )
    for width in open_widths:
        if width < 30:
            break
        band = sum(1 for w in open_widths if width - 4 <= w <= width)
        if band >= 3 and band >= len(lines) / 4:
            return width
    return None


def is_page_number(line: str) -> bool:
    """A bare page number as printed in a header or footer (``- 3 -``, ``第 3 页``, ``3/12``)."""
    return bool(_PAGE_NUMBER.match(line.strip(_EDGE_SPACE)))


def _starts_clause(line: str) -> bool:
    return match_marker(line, decimal_headings=True) is not None or match_annex(line) is not None


def _glue(left: str, right: str) -> str:
    if left[-1].isascii() and left[-1].isalnum() and right[0].isascii() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def join_broken_lines(lines: list[str]) -> list[str]:
    """Re-join lines broken mid-sentence (by PDF extraction or hard wrapping)."""
    wrap = _wrap_width(lines)
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            broken = prev[-1] in _OPEN_ENDINGS or (
                wrap is not None and prev[-1] not in TERMINAL and display_width(prev) >= wrap - 4
            )
            if broken and not is_table_row(prev) and not is_table_row(line) and not _starts_clause(line):
                out[-1] = _glue(prev, line)
                continue
        out.append(line)
    return out


def clean_lines(text: str) -> list[str]:
    return join_broken_lines(drop_table_of_contents(raw_lines(text)))
