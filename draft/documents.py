"""Uploaded documents as text: PDF text layer, Word paragraphs and tables, Excel cells, images.

Two callers share these readers: :func:`draft.load` (a draft to import) and
:func:`read_attachment` (a file attached to a comment). Files are recognised by their content —
magic bytes, then a successful parse — never by their name, and everything a caller needs to
show is in plain values with Chinese messages.

PDF library: **pypdfium2** (Google's PDFium, the engine of Chrome's PDF viewer, in prebuilt
wheels). Compared once here on plain text extraction (warm, median of 3): a LibreOffice export of
the seed repeated to 64 pages took 71 ms with pypdfium2 5.15, 2.4 s with pypdf 7.1 and 3.9 s with
pdfminer.six 20260107; a 15-page reportlab PDF in the non-embedded CID font STSong-Light took
pypdf 91 ms, pypdfium2 284 ms, pdfminer.six 683 ms. All three returned every Chinese character
of the seed exactly in both. pypdfium2 also gives each character's position, which
:func:`paragraphs` needs to join printed lines back into paragraphs. On maintenance, PDFium is
the engine Chrome uses on untrusted PDFs (continuously fuzzed, patched with Chrome), and the
binding is actively released (5.15 here); pypdf is pure Python and well kept but 30x slower on
real exports; pdfminer.six is slower still. PDFium is not thread-safe, so every call holds one
process-wide lock.
``bench/pdf_extract.py`` measures the reader as used here.

Limits (:class:`Limits`) bound the work a hostile file can cause: size, pages, characters,
cells, pixels, and for .docx/.xlsx (ZIP containers) the declared uncompressed size, member count
and compression ratio. Python's ``zipfile`` never inflates a member past its declared size (it
fails the CRC check instead), so checking the declared sizes before opening is enough.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from itertools import pairwise
from typing import Any

from .cleanup import is_page_number
from .markers import has_decimal_headings, match_marker
from .word_numbering import WordNumbering, w

MiB = 1024 * 1024


class DocumentError(ValueError):
    """A file could not be read; the message is one line of Chinese for the user."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 10 * MiB
    max_pages: int = 500               # PDF pages read (more are skipped, and said so)
    max_chars: int = 1_000_000         # extracted characters kept
    max_cells: int = 200_000           # spreadsheet cells visited
    max_pixels: int = 60_000_000       # image width × height
    max_unzipped: int = 200 * MiB      # declared uncompressed size of a .docx/.xlsx
    max_members: int = 5_000           # files inside a .docx/.xlsx
    max_ratio: int = 200               # compression ratio of any large member


DEFAULT_LIMITS = Limits()

KINDS = ("pdf", "docx", "xlsx", "jpg", "png")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
}
KIND_LABELS = {"pdf": "PDF 文件", "docx": "Word 文档", "xlsx": "Excel 表格", "jpg": "JPG 图片", "png": "PNG 图片"}
ACCEPTED = "PDF、Word（.docx）、Excel（.xlsx）、JPG 或 PNG"

NO_TEXT_LAYER = "无文字层，需人工阅读"
#: A PDF accepted without reading its text yet (``read_attachment(..., text_pages=...)``).
TEXT_DEFERRED = "文字提取中"


# -- recognising content ----------------------------------------------------------------------

_MAGIC = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\xff\xd8\xff", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"MZ", "exe"),
    (b"\x7fELF", "exe"),
    (b"\xca\xfe\xba\xbe", "exe"),
    (b"\xcf\xfa\xed\xfe", "exe"),
    (b"GIF8", "gif"),
    (b"BM", "bmp"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"{\\rtf", "rtf"),
    (b"PK\x05\x06", "zip"),
]

_REFUSALS = {
    "exe": "这是一个可执行程序，不能作为附件上传。",
    "ole": "这是旧版 Office 文件（.doc/.xls）或加密的 Office 文件，无法读取，请另存为 .docx 或 .xlsx 后上传。",
    "gif": "不支持 GIF 图片，请上传 JPG 或 PNG 图片。",
    "bmp": "不支持 BMP 图片，请上传 JPG 或 PNG 图片。",
    "rar": "不能上传压缩包，请直接上传其中的文件。",
    "7z": "不能上传压缩包，请直接上传其中的文件。",
    "gzip": "不能上传压缩包，请直接上传其中的文件。",
    "rtf": "不支持 RTF 文件，请在 Word 中另存为 .docx 后上传。",
}


def sniff(data: bytes) -> str:
    """The container the bytes start with: ``pdf``, ``zip``, ``jpg``, ``png``, ``ole``, ``exe``,
    ``gif``, ``bmp``, ``rar``, ``7z``, ``gzip``, ``rtf`` or ``unknown``. A PDF may be preceded
    by up to 1 KB of junk, as readers accept."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:1024]:
        return "pdf"
    return "unknown"


def open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    """An opened ZIP whose declared contents stay within ``limits`` (a zip bomb is refused)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise DocumentError("文件已损坏，无法打开。") from exc
    if len(members) > limits.max_members:
        raise DocumentError("文件内部结构异常（包含的部件过多），无法读取。")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > limits.max_unzipped or (member.file_size > MiB and ratio > limits.max_ratio):
            raise DocumentError("文件解压后过大（疑似压缩炸弹），无法读取。")
    return archive


def office_kind(archive: zipfile.ZipFile) -> str:
    """``docx``, ``xlsx``, or a refusal message for any other ZIP (a .zip renamed .docx)."""
    names = set(archive.namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise DocumentError("不支持 PowerPoint 演示文稿，请另存为 PDF 后上传。")
    if "mimetype" in names and "content.xml" in names:
        raise DocumentError("不支持 OpenDocument（WPS/LibreOffice）格式，请另存为 .docx、.xlsx 或 PDF 后上传。")
    raise DocumentError("这是一个压缩包，不是 Word 或 Excel 文件；请直接上传文档本身。")


# -- PDF --------------------------------------------------------------------------------------

_PDFIUM = threading.Lock()
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffe\uffff\x7f]")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# PDF layout puts a gap between Chinese and Latin/digits ("2024 年"); extraction turns it into a space
_CJK_WIDE = rf"{_CJK}\u3000-\u303f\uff00-\uffef\u2018-\u201d"
_CJK_LATIN_GAP = re.compile(rf"(?<=[{_CJK_WIDE}])[ \u00a0]+(?=[!-~])|(?<=[!-~])[ \u00a0]+(?=[{_CJK_WIDE}])")
# justified lines spread Chinese characters apart; PDFium reports the gaps as spaces
_CJK_PAIR_GAP = re.compile(rf"(?<=[{_CJK_WIDE}]) (?=[{_CJK_WIDE}])")
_VISIBLE = re.compile(rf"[0-9A-Za-z{_CJK}]")
_NO_LINE_START = set("。，、；：！？）》」』】〕”’,.;:!?)]%")
_NO_LINE_END = set("（《「『【〔“‘([")
_WORD_CHAR = re.compile(r"[!-~]")   # a Latin word or number runs to the next space
_TERMINAL = set("。！？!?；;：:")
TAB_GAP = 0.8        # a gap this many character heights wide or more separates table cells
MIN_PAGE_CHARS = 10   # fewer visible characters: an image page (a scan), not a text page


@dataclass
class PdfLine:
    """One printed line: its text and where it sits (PDF points, y upwards)."""

    text: str
    left: float = 0.0
    right: float = 0.0
    bottom: float = 0.0
    height: float = 0.0
    first: float = 0.0      # width of its first word (or first character and the punctuation after it)
    page: int = 0


@dataclass
class PdfText:
    pages: list[str]            # text per page read (at most Limits.max_pages), as extracted
    page_count: int             # pages in the file
    text: str = ""              # paragraphs rebuilt from the layout, one per line
    truncated: bool = False
    deferred: bool = False      # more pages than ``text_pages``: opened and counted, text not read

    @property
    def pages_without_text(self) -> list[int]:
        """1-based numbers of the pages read that have (almost) no text layer."""
        return [i for i, page in enumerate(self.pages, 1) if len(_VISIBLE.findall(page)) < MIN_PAGE_CHARS]

    @property
    def has_text(self) -> bool:
        return len(self.pages_without_text) < len(self.pages)


def _tidy(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_DECIMAL_LEAD = re.compile(rf"^[0-9]{{1,2}}(?:\.[0-9]{{1,2}}){{0,3}}[ \u00a0]+(?=[{_CJK}])")
_CJK_PAIR = re.compile(rf"[{_CJK_WIDE}](?=[{_CJK_WIDE}])")


def _line_text(raw: str) -> str:
    """One extracted line without the spaces layout put in: between Chinese and Latin text, and
    between all Chinese characters of a line set letter-spaced (a justified line)."""
    text = _tidy(raw).strip()
    spaced = len(_CJK_PAIR_GAP.findall(text))
    if spaced >= 3 and spaced >= len(_CJK_PAIR.findall(text)):
        text = _CJK_PAIR_GAP.sub("", text)
    lead = _DECIMAL_LEAD.match(text)   # "1 范围", "2.1 基本要求": a heading's own space stays
    cut = lead.end() if lead else 0
    return text[:cut] + _CJK_LATIN_GAP.sub("", text[cut:])


def _page_lines(textpage: Any, page: int) -> tuple[str, list[PdfLine]]:
    """The page's text and its lines with their positions (no positions if PDFium's character
    index does not line up with the text, which only odd fonts cause)."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:
        text = textpage.get_text_bounded()
        return _tidy(text), [PdfLine(_line_text(line), page=page) for line in _tidy(text).split("\n") if line.strip()]
    lines = []
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group()
        if not raw.strip():
            continue
        i = m.start() + len(raw) - len(raw.lstrip())
        j = m.start() + len(raw.rstrip()) - 1
        k = i   # the first unbreakable unit: a Latin word, or a character with the punctuation
        if _WORD_CHAR.match(text[i]):   # that may not end or start a line glued to it (禁则)
            while k + 1 <= j and _WORD_CHAR.match(text[k + 1]):
                k += 1
        while k + 1 <= j and (text[k + 1] in _NO_LINE_START or text[k] in _NO_LINE_END or text[k + 1] in "“”‘’"):
            k += 1
        left, bottom, _, top = textpage.get_charbox(i, loose=True)
        right = textpage.get_charbox(j, loose=True)[2]
        first = textpage.get_charbox(k, loose=True)[2] - left
        height = top - bottom
        lines.append(PdfLine(_line_text(_cells(textpage, text, i, j, height)), left, right, bottom, height, first, page))
    return _tidy(text), lines


def _cells(textpage: Any, text: str, i: int, j: int, height: float) -> str:
    """``text[i:j+1]`` with each gap of about a character's width or more as a tab: table cells
    printed side by side. Not in a clause's opening line (``第一章　总　　则``) nor in a line
    set letter-spaced (justified), where gaps fall between most characters."""
    line = text[i:j + 1]
    gaps = list(re.finditer(r" +", line))
    if not gaps or len(gaps) * 3 > len(line) - len(gaps) or match_marker(line.strip()) is not None:
        return line
    for gap in reversed(gaps):
        before, after = i + gap.start() - 1, i + gap.end()
        if textpage.get_charbox(after)[0] - textpage.get_charbox(before)[2] >= TAB_GAP * height:
            line = line[:gap.start()] + "\t" + line[gap.end():]
    return line


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


def _glue(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"
    return left + right


def paragraphs(lines: list[PdfLine]) -> list[str]:
    """Printed lines joined back into paragraphs by their layout.

    A line continues the one before unless: either is a table row (cells apart); it opens a clause (一、 第三条 1. …, and 1.1 headings
    when the text has them, as :func:`draft.markers.has_decimal_headings` decides); or the line
    before stopped short of the right margin although this line's first word would have fitted
    there; or it is indented like a first line (the 2-character indent of Chinese documents)
    while the line before was not; or a wider gap than the usual line spacing separates them.
    Two centred lines (a title set on two lines) are joined unless the first ends a sentence.
    """
    decimal = has_decimal_headings([line.text for line in lines])
    placed = [line for line in lines if line.height > 0]
    if not placed:
        return [line.text for line in lines]
    em = _quantile([line.height for line in placed], 0.5)
    # most lines of a text page run from margin to margin; a tenth may stick out (a URL, a wide row)
    left_margin = _quantile([line.left for line in placed], 0.1)
    right_margin = _quantile([line.right for line in placed], 0.9)
    pitches = [a.bottom - b.bottom for a, b in pairwise(placed) if a.page == b.page and a.bottom > b.bottom]
    pitch = _quantile(pitches, 0.5) or 2 * em

    def centred(line: PdfLine) -> bool:
        """Set in the middle: a short centred line, or a centred title in larger type."""
        gap_left, gap_right = line.left - left_margin, right_margin - line.right
        return abs(gap_left - gap_right) < em and (gap_left > 1.5 * em or line.height > 1.2 * em)

    out: list[str] = []
    prev: PdfLine | None = None
    continued = False    # was ``prev`` itself a continuation line?
    for line in lines:
        if "\t" in line.text and line.height > 0 and abs(right_margin - line.right) < 0.3 * em:
            line = replace(line, text=_line_text(line.text.replace("\t", " ")))   # justified, not a table
        joined = False
        if (prev is not None and prev.height > 0 and line.height > 0 and match_marker(line.text, decimal) is None
                and "\t" not in prev.text and "\t" not in line.text):   # table rows stand alone
            if centred(prev) and centred(line):
                joined = prev.text[-1] not in _TERMINAL
            else:
                room = right_margin - prev.right
                # a first-line indent; in a block indented as a whole, continuation lines line up
                indented = line.left - left_margin > 0.75 * em and not (
                    continued and abs(line.left - prev.left) < 0.5 * em)
                gap = prev.page == line.page and prev.bottom - line.bottom > 1.6 * pitch
                joined = room < line.first + 0.3 * em and not indented and not gap
        if joined:   # inside a paragraph, a number that began the line is no heading: close its gap
            out[-1] = _glue(out[-1], _CJK_LATIN_GAP.sub("", line.text))
        else:
            out.append(line.text)
        prev, continued = line, joined
    return out


def read_pdf(data: bytes, limits: Limits = DEFAULT_LIMITS, *, text_pages: int | None = None) -> PdfText:
    """The text layer of every page (up to ``limits.max_pages``). A PDF that needs a password
    to open is refused; one encrypted only against copying or printing opens and is read.
    With more pages than ``text_pages`` the file is only opened and its pages counted (milliseconds):
    ``deferred`` is set and the text is left for later (a background job)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    with _PDFIUM:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise DocumentError("PDF 文件设有打开密码，无法读取；请去掉密码后再上传。") from exc
            if code == pdfium_c.FPDF_ERR_SECURITY:
                raise DocumentError("PDF 文件使用了不支持的加密方式，无法读取；请去掉加密后再上传。") from exc
            raise DocumentError("PDF 文件已损坏，无法读取。") from exc
        texts: list[str] = []
        lines: list[list[PdfLine]] = []
        try:
            count = len(document)
            if text_pages is not None and count > text_pages:
                return PdfText([], count, deferred=True)
            for index in range(min(count, limits.max_pages)):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    text, page_lines = _page_lines(textpage, index)
                finally:
                    textpage.close()
                    page.close()
                texts.append(text)
                lines.append(page_lines)
        except pdfium.PdfiumError as exc:
            raise DocumentError("PDF 文件已损坏，无法读取。") from exc
        finally:
            document.close()
    if count == 0:
        raise DocumentError("PDF 文件没有页面。")
    numbered = [[line for line in page if not is_page_number(line.text)] for page in lines]
    body = [line for page in drop_running_lines(numbered) for line in page]
    return PdfText(texts, count, "\n".join(paragraphs(body)), truncated=count > limits.max_pages)


_DIGITS = re.compile(r"[0-9０-９]+")


def drop_running_lines(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Pages without their running header and footer: the top- or bottom-most line that repeats
    (digits aside, so “第 3 页” matches “第 4 页”) on at least half of the pages, and on three
    or more. Position decides (a header may come anywhere in the content stream)."""
    if len(pages) < 3:
        return pages

    def edges(lines: list[PdfLine]) -> list[PdfLine]:
        placed = [line for line in lines if line.height > 0]
        if placed:
            return [max(placed, key=lambda x: x.bottom), min(placed, key=lambda x: x.bottom)]
        return [lines[0], lines[-1]] if lines else []

    def key(line: PdfLine) -> str:
        return _DIGITS.sub("#", line.text)

    seen: dict[str, int] = {}
    for lines in pages:
        for k in {key(line) for line in edges(lines)}:
            seen[k] = seen.get(k, 0) + 1
    running = {k for k, n in seen.items() if n >= 3 and n * 2 >= len(pages)}
    return [[line for line in lines if not (key(line) in running and any(line is e for e in edges(lines)))]
            for lines in pages]


# -- Word -------------------------------------------------------------------------------------

_SKIP_IN_PARAGRAPH = {w("del"), w("moveFrom"), w("pPr"), w("rPr"), w("commentRangeStart")}
_CONTAINERS = {w("hyperlink"), w("ins"), w("moveTo"), w("smartTag"), w("fldSimple"), w("customXml"),
               w("sdt"), w("sdtContent"), w("bdo"), w("dir")}


def paragraph_text(p: Any) -> str:
    """A ``w:p`` as Word shows it with tracked changes accepted: inserted text kept, deleted
    text dropped, tabs and line breaks kept, field codes left out (their results kept)."""
    out: list[str] = []

    def runs(parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == w("r"):
                for item in child:
                    t = item.tag
                    if t == w("t"):
                        out.append(item.text or "")
                    elif t in (w("tab"), w("ptab")):
                        out.append("\t")
                    elif t in (w("br"), w("cr")):
                        if item.get(w("type")) in (None, "textWrapping"):
                            out.append("\n")
                    elif t == w("noBreakHyphen"):
                        out.append("-")
            elif tag in _CONTAINERS:
                runs(child)

    runs(p)
    return "".join(out)


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables in document order, looking through content controls."""
    for child in parent:
        if child.tag in (w("p"), w("tbl")):
            yield child
        elif child.tag in (w("sdt"), w("customXml")):
            content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
            if content is not None:
                yield from _blocks(content)


def _table_rows(tbl: Any, numbering: WordNumbering) -> Iterator[list[str]]:
    """Each row as its cells' texts; a cell merged across rows is given in its first row only."""
    for tr in tbl.findall(w("tr")):
        cells: list[str] = []
        for tc in tr.findall(w("tc")):
            merge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            if merge is not None and merge.get(w("val")) in (None, "continue"):
                continue   # continues the cell above
            parts = []
            for block in _blocks(tc):
                if block.tag == w("p"):
                    parts.append(numbering.label(block) + paragraph_text(block))
                else:
                    parts.extend(" ".join(row) for row in _table_rows(block, numbering))
            cells.append(" ".join(" ".join(parts).split()))
        yield cells


def _open_docx(data: bytes, limits: Limits) -> Any:
    import docx

    if office_kind(open_zip(data, limits)) != "docx":   # a zip bomb or another ZIP is refused unparsed
        raise DocumentError("这不是 Word 文档（.docx）。")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many types on broken parts (KeyError, AttributeError…)
        raise DocumentError("Word 文件已损坏，无法读取。") from exc


def _part_element(document: Any, reltype: str) -> Any | None:
    try:
        return document.part.part_related_by(reltype).element
    except (KeyError, AttributeError):
        return None


def docx_lines(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """A .docx as lines of text: every paragraph in document order with its automatic list
    number resolved (:mod:`draft.word_numbering`); each table row one tab-separated line."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = _open_docx(data, limits)
    numbering = WordNumbering(_part_element(document, RT.NUMBERING), _part_element(document, RT.STYLES))
    lines: list[str] = []
    for block in _blocks(document.element.body):
        if block.tag == w("p"):
            text = paragraph_text(block)
            label = numbering.label(block)
            lines.append(label + text if text.strip() else text)
        else:
            lines.extend("\t".join(cells) for cells in _table_rows(block, numbering))
    return lines


# -- Excel ------------------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return " ".join(str(value).split())


def xlsx_text(data: bytes, limits: Limits = DEFAULT_LIMITS) -> tuple[str, bool, list[str]]:
    """(text, truncated, sheet names): each sheet as ``工作表：名称`` and its rows, cells that
    have text joined by tabs. Formulas give their saved results. Reading stops at
    ``limits.max_cells`` cells or ``limits.max_chars`` characters."""
    from openpyxl import load_workbook

    if office_kind(open_zip(data, limits)) != "xlsx":
        raise DocumentError("这不是 Excel 表格（.xlsx）。")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on broken files (KeyError, TypeError…)
        raise DocumentError("Excel 文件已损坏，无法读取。") from exc
    lines: list[str] = []
    names: list[str] = []
    cells = chars = 0
    truncated = False
    try:
        for sheet in book.worksheets:
            names.append(sheet.title)
            lines.append(f"工作表：{sheet.title}")
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # read-only mode trusts a <dimension> that may be stale
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                values = [text for text in map(_cell_text, row) if text]
                if values:
                    line = "\t".join(values)
                    lines.append(line)
                    chars += len(line) + 1
                if cells > limits.max_cells or chars > limits.max_chars:
                    truncated = True
                    break
            if truncated:
                break
    except Exception as exc:
        raise DocumentError("Excel 文件已损坏，无法读取。") from exc
    finally:
        book.close()
    return "\n".join(lines), truncated, names


# -- images -----------------------------------------------------------------------------------

def image_size(data: bytes, kind: str, limits: Limits = DEFAULT_LIMITS) -> tuple[int, int]:
    """(width, height) of a JPG/PNG that decodes completely within ``limits.max_pixels``."""
    from PIL import Image

    expected = {"jpg": "JPEG", "png": "PNG"}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > limits.max_pixels:
                    raise DocumentError(f"图片尺寸过大（{width}×{height} 像素），请缩小后上传。")
                image.load()
        except DocumentError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DocumentError("图片尺寸过大，请缩小后上传。") from exc
        except Exception as exc:  # Pillow: OSError (truncated), SyntaxError (bad PNG chunk), ValueError…
            raise DocumentError("图片已损坏，无法打开。") from exc
    return width, height


# -- attachments ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attachment:
    """What :func:`read_attachment` found. ``kind`` is ``None`` when refused (``refusal`` says
    why, in Chinese); otherwise one of :data:`KINDS`."""

    filename: str
    size: int
    kind: str | None = None
    refusal: str = ""
    text: str = ""
    pages: int | None = None          # PDF only
    no_text_layer: bool = False       # a PDF (a scan) with no text to read: 无文字层，需人工阅读
    truncated: bool = False           # text stops early (limits); ``notes`` says where
    notes: tuple[str, ...] = field(default_factory=tuple)
    text_deferred: bool = False       # a PDF over ``text_pages``: accepted, its text to be read later

    @property
    def ok(self) -> bool:
        return self.kind is not None

    @property
    def media_type(self) -> str | None:
        return MEDIA_TYPES.get(self.kind or "")


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MB" if n >= MiB / 10 else f"{max(1, round(n / 1024))} KB"


def _clip(text: str, limits: Limits) -> tuple[str, bool]:
    return (text[: limits.max_chars], True) if len(text) > limits.max_chars else (text, False)


def read_attachment(filename: str, data: bytes, limits: Limits = DEFAULT_LIMITS, *,
                    text_pages: int | None = None) -> Attachment:
    """Recognise an uploaded file by its content and extract its text.

    ``text_pages``: a PDF with more pages is recognised (opened, its pages counted) but its text is not read:
    ``text_deferred`` is set, for the caller to read it later with ``text_pages=None`` (the request stays short;
    a 50-page PDF in a font that is not embedded takes seconds).

    Accepted: PDF (text layer; ``no_text_layer`` for a scan), .docx (paragraphs with list
    numbers, and tables), .xlsx (cells, with sheet names), JPG and PNG (stored, no text: no OCR).
    Anything else — a program renamed .pdf, a ZIP renamed .docx, a damaged file, a file over
    ``limits.max_bytes``, a PDF that needs a password — is refused with a reason.
    """
    size = len(data)

    def refuse(reason: str) -> Attachment:
        return Attachment(filename, size, refusal=reason)

    if size == 0:
        return refuse("文件是空的。")
    if size > limits.max_bytes:
        return refuse(f"文件过大（{_size(size)}），单个附件不能超过 {_size(limits.max_bytes)}。")
    container = sniff(data)
    try:
        if container == "pdf":
            pdf = read_pdf(data, limits, text_pages=text_pages)
            if pdf.deferred:
                return Attachment(filename, size, "pdf", pages=pdf.page_count, text_deferred=True,
                                  notes=(TEXT_DEFERRED,))
            text, clipped = _clip(pdf.text, limits)
            notes = []
            if pdf.truncated:
                notes.append(f"共 {pdf.page_count} 页，只读取了前 {limits.max_pages} 页的文字。")
            blank = pdf.pages_without_text
            no_layer = not pdf.has_text
            if no_layer:
                notes.append(NO_TEXT_LAYER)
            elif blank and len(blank) <= 20:
                notes.append(f"第 {'、'.join(map(str, blank))} 页没有文字层，需人工阅读。")
            elif blank:
                notes.append(f"有 {len(blank)} 页没有文字层，需人工阅读。")
            if clipped:
                notes.append(f"文字过长，只保留了前 {limits.max_chars} 个字符。")
            return Attachment(filename, size, "pdf", text=text if not no_layer else "", pages=pdf.page_count,
                              no_text_layer=no_layer, truncated=pdf.truncated or clipped, notes=tuple(notes))
        if container == "zip":
            kind = office_kind(open_zip(data, limits))
            if kind == "docx":
                text, clipped = _clip("\n".join(line for line in docx_lines(data, limits) if line.strip()), limits)
                clip_note = (f"文字过长，只保留了前 {limits.max_chars} 个字符。",) if clipped else ()
                return Attachment(filename, size, "docx", text=text, truncated=clipped, notes=clip_note)
            text, truncated, _ = xlsx_text(data, limits)
            cut_note = ("表格过大，只读取了前面部分单元格的文字。",) if truncated else ()
            return Attachment(filename, size, "xlsx", text=text, truncated=truncated, notes=cut_note)
        if container in ("jpg", "png"):
            image_size(data, container, limits)
            return Attachment(filename, size, container, notes=("图片不做文字识别，需人工阅读。",))
    except DocumentError as exc:
        return refuse(str(exc))
    if container in _REFUSALS:
        return refuse(_REFUSALS[container])
    return refuse(f"无法识别的文件类型，请上传 {ACCEPTED} 文件。")
