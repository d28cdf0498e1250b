"""``load(path) -> Draft``: read a .txt (UTF-8 with or without BOM, else GB18030), .docx or .pdf file.

The .docx and .pdf readers live in :mod:`draft.documents` (shared with comment attachments).

Every failure is a :class:`DraftError` whose message is one Chinese line the CLI prints as is.
"""

from __future__ import annotations

from pathlib import Path

from .documents import DEFAULT_LIMITS, DocumentError, Limits, docx_lines, read_pdf, sniff
from .errors import DraftError
from .model import Draft
from .parser import parse

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
DOCUMENT_SUFFIXES = {".docx", ".pdf"}


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


def _read_document(data: bytes, name: str, limits: Limits) -> str:
    """The text of a .pdf or .docx draft, recognised by content; ``DraftError`` otherwise."""
    kind = sniff(data)
    try:
        if kind == "pdf":
            pdf = read_pdf(data, limits)
            if not pdf.has_text:
                raise DraftError(f"PDF 文件没有文字层（可能是扫描件），无法导入：{name}（请上传 Word 或文本文件）。")
            if pdf.truncated:
                raise DraftError(f"PDF 文件超过 {limits.max_pages} 页，无法导入：{name}。")
            return pdf.text
        if kind == "zip":
            return "\n".join(docx_lines(data, limits))
    except DocumentError as exc:
        raise DraftError(f"无法读取文件：{name}（{str(exc).rstrip('。')}）。") from exc
    if kind == "ole":
        raise DraftError(f"无法读取文件：{name}（这是旧版 Word 文件 .doc，请另存为 .docx 后上传）。")
    raise DraftError(f"无法读取文件：{name}（文件已损坏或不是 {Path(name).suffix or '所需'} 格式）。")


def read_text(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The text of an uploaded draft, as the parser reads it (shown beside the clause tree in the preview):
    .pdf and .docx are recognised by their content (a PDF named .txt is still read as PDF), anything else
    named .txt/.md/no suffix is decoded as text."""
    suffix = Path(name).suffix.lower()
    if sniff(data) in ("pdf", "zip", "ole") or suffix in DOCUMENT_SUFFIXES:
        return _read_document(data, name, limits)
    if suffix not in TEXT_SUFFIXES:
        raise DraftError(f"不支持的文件类型“{Path(name).suffix}”：{name}（请使用 .txt、.docx 或 .pdf）。")
    return decode(data, name)


def source_kind(data: bytes) -> str:
    """``pdf``, ``docx`` or ``txt``: what an accepted draft file is, by its content."""
    kind = sniff(data)
    return {"pdf": "pdf", "zip": "docx"}.get(kind, "txt")


def load_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> Draft:
    """Parse an uploaded draft (see :func:`read_text` for how the file is read)."""
    return parse(read_text(data, name, limits))


def load(path: str | Path) -> Draft:
    """Read and parse a draft file; raises :class:`DraftError` with a one-line Chinese message."""
    return load_bytes(read_file(path), str(path))


def read_file(path: str | Path) -> bytes:
    """The bytes of a draft file; :class:`DraftError` (one Chinese line) when it is missing, a folder, of a
    kind drafts never are, or unreadable."""
    path = Path(path)
    if not path.exists():
        raise DraftError(f"文件不存在：{path}")
    if path.is_dir():
        raise DraftError(f"这是一个文件夹，不是文件：{path}")
    if path.suffix.lower() not in TEXT_SUFFIXES | DOCUMENT_SUFFIXES:
        raise DraftError(f"不支持的文件类型“{path.suffix}”：{path}（请使用 .txt、.docx 或 .pdf）。")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DraftError(f"无法读取文件：{path}（{exc.strerror or exc}）。") from exc
