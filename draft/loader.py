"""``load(path) -> Draft``: read a .txt (UTF-8 with or without BOM, else GB18030) or .docx file.

Every failure is a :class:`DraftError` whose message is one Chinese line the CLI prints as is.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .errors import DraftError
from .model import Draft
from .parser import parse

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


def decode(data: bytes, name: str = "文件") -> str:
    """UTF-8 (BOM optional), UTF-16 with a BOM (Notepad's "Unicode"), then GB18030 (a superset
    of GBK and GB2312). Bytes that decode but are mostly control characters are not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8", data[3:])]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data)]
    else:
        candidates = [("utf-8", data), ("gb18030", data)]
    for encoding, payload in candidates:
        try:
            text = payload.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise DraftError(f"无法识别文件编码：{name}（请另存为 UTF-8 或 GB18030/GBK 编码的文本）。")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return "\x00" in text or controls > max(2, len(text) // 100)


def docx_text(path: Path) -> str:
    """Paragraphs in document order; each table row becomes one tab-separated line in place."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
    except OSError as exc:
        raise DraftError(f"无法读取文件：{path}（{exc.strerror or exc}）。") from exc
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError) as exc:
        raise DraftError(f"无法读取 Word 文件：{path}（文件已损坏或不是 .docx 格式）。") from exc
    lines: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            for row in Table(element, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:   # merged cells repeat their text
                        cells.append(text)
                lines.append("\t".join(cells))
    return "\n".join(lines)


def load(path: str | Path) -> Draft:
    """Read and parse a draft file; raises :class:`DraftError` with a one-line Chinese message."""
    path = Path(path)
    if not path.exists():
        raise DraftError(f"文件不存在：{path}")
    if path.is_dir():
        raise DraftError(f"这是一个文件夹，不是文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return parse(docx_text(path))
    if suffix not in TEXT_SUFFIXES:
        raise DraftError(f"不支持的文件类型“{path.suffix}”：{path}（请使用 .txt 或 .docx）。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DraftError(f"无法读取文件：{path}（{exc.strerror or exc}）。") from exc
    return parse(decode(data, str(path)))
