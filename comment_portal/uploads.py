"""Files sent with a comment: how big a public request may be, what is accepted, where files are kept.

**Request size.** Every request body is capped by ``MAX_CONTENT_LENGTH`` (64 KiB). Only the public comment
forms take files, so only their POSTs get a larger cap, set here in one ``before_request`` that runs before
CSRF parses the body (:func:`lift_upload_limit`): ``ATTACHMENT_MAX_FILES`` × ``ATTACHMENT_MAX_BYTES`` plus
room for the typed text. Werkzeug streams file parts to temporary files (never more than 500 KB of a file
in memory) and stops reading at the cap; a text field is held to 512 KiB (:data:`TEXT_PART_MAX`)
and the number of fields to Flask's ``max_form_parts`` (1,000). A urlencoded post cannot carry files and
keeps the 64 KiB cap. A file over ``ATTACHMENT_MAX_BYTES`` that still fits the cap is
refused by :func:`read_uploads` with the typed text kept; a body over the cap is answered 413 without
being read, with the form again and a message saying the text could not be kept (``errors.py``).

**What is accepted** is decided by content (``draft.documents.read_attachment``: magic bytes and a parse),
never by the file's name.

**Text in the request, or later.** A .docx, .xlsx and a PDF of up to ``ATTACHMENT_INLINE_PAGES`` pages have
their text read while the request waits; a longer PDF is only opened and its pages counted, stored with its text
``pending`` (staff see 文字提取中), and a background job reads it (``comment_portal/attachment_text.py``).

**Where files live**: ``ATTACHMENT_FOLDER`` (default ``attachments`` beside the database, so
``instance/attachments``), outside the static folder,
under a random name without extension; nothing serves that folder. Staff download a file through
``staff/attachments.py`` (login, ``Content-Disposition: attachment``, ``nosniff``).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app, request

from draft.documents import Attachment, Limits, read_attachment

MiB = 1024 * 1024
#: Endpoints whose POST may carry files (the public comment forms).
UPLOAD_ENDPOINTS = frozenset({"public.comment", "public.comment_clause", "public.comment_many"})
#: Room for the typed text of a comment form beside its files (a multi-clause form with many long boxes).
TEXT_ROOM = 2 * MiB
#: Werkzeug's ``max_form_memory_size`` for a multipart comment form. It limits a text field, but Werkzeug
#: checks it against its parse buffer, which a file's data also passes through in 64 KiB chunks: at 64 KiB
#: every file over one chunk was answered 413. 512 KiB leaves room for the chunks; the text fields are
#: limited by the form's validators (a 5,000-character box is about 15 KB in UTF-8) and the whole body by
#: :func:`request_cap`.
TEXT_PART_MAX = 512 * 1024


@dataclass(frozen=True)
class Upload:
    """A file that was read and accepted (not yet stored)."""

    name: str
    data: bytes
    found: Attachment

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return int(current_app.config["ATTACHMENT_MAX_BYTES"])


def max_files() -> int:
    return int(current_app.config["ATTACHMENT_MAX_FILES"])


def inline_pages() -> int:
    return int(current_app.config["ATTACHMENT_INLINE_PAGES"])


def request_cap() -> int:
    return max_files() * max_bytes() + TEXT_ROOM


def lift_upload_limit() -> None:
    """``before_request`` (first in line): the comment forms' multipart POSTs may carry files; nothing else
    may (a urlencoded post cannot carry a file and keeps ``MAX_CONTENT_LENGTH``)."""
    if (request.method == "POST" and request.endpoint in UPLOAD_ENDPOINTS
            and request.mimetype == "multipart/form-data"):
        request.max_content_length = request_cap()
        request.max_form_memory_size = TEXT_PART_MAX


def size_label(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{max(1, n // 1024)} KB"


def read_uploads(files: list, *, limit: int, count: int,
                 inline_pages: int | None = None) -> tuple[list[Upload], list[str]]:
    """Read the files chosen on a form: (accepted, refusals in Chinese, one line per refused file).

    Empty file inputs are skipped. More than ``count`` files refuses the lot (nothing is half-taken). A PDF of
    more than ``inline_pages`` pages is checked (opened, pages counted) but its text is left to a background job.
    """
    chosen = [f for f in files if f is not None and (f.filename or "").strip()]
    if len(chosen) > count:
        return [], [f"最多可上传{count}个附件，您选择了{len(chosen)}个。"]
    accepted: list[Upload] = []
    refusals: list[str] = []
    for file in chosen:
        name = display_name(file.filename)
        size = _size_of(file.stream)
        if size > limit:
            refusals.append(f"附件“{name}”未能接收：文件过大（{size / MiB:.1f} MB），单个附件不能超过 "
                            f"{size_label(limit)}。")
            continue
        data = file.stream.read(limit + 1)
        found = read_attachment(name, data, Limits(max_bytes=limit), text_pages=inline_pages)
        if found.ok:
            accepted.append(Upload(name, data, found))
        else:
            refusals.append(f"附件“{name}”未能接收：{what_instead(data) or found.refusal}")
    return accepted, refusals


#: The brands an iPhone's (or a recent Android's) HEIF/HEIC photo declares right after ``ftyp``.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1")


def what_instead(data: bytes) -> str:
    """For two files people often send that no reader takes, what to do instead ('' for anything else; the caller
    then gives the reader's own refusal): a HEIC photo (an iPhone's default format, whatever the file is named) and
    a plain text file (its words belong in the form)."""
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return ("无法识别的文件类型：这是苹果手机默认的 HEIC 格式照片。请在手机相册中将照片导出或截图为 JPG/PNG 后重新选择"
                "（也可在“设置 → 相机 → 格式”中选“兼容性最佳”，以后拍的照片即为 JPG）。")
    sample = data[:4096]
    for encoding in ("utf-8", "gb18030"):
        try:  # incremental: a character cut at the sample's end is no reason to refuse the rest
            text = codecs.getincrementaldecoder(encoding)().decode(sample, final=len(data) <= len(sample))
        except UnicodeDecodeError:
            continue
        if text.strip() and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return ("无法识别的文件类型：这是纯文本文件，请把其中的文字直接粘贴到“意见内容”中，或另存为 Word（.docx）、Excel（.xlsx）"
                    "或 PDF 后上传。")
    return ""


def _size_of(stream) -> int:
    """Bytes in an uploaded file (Werkzeug keeps it in a seekable spooled file) without reading it."""
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def display_name(filename: str) -> str:
    """The name as the submitter's computer called it, without any folder part, at most 120 characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())
    return name[-120:] or "附件"


def folder(app: Flask | None = None) -> Path:
    app = app or current_app
    return Path(app.config["ATTACHMENT_FOLDER"] or Path(app.config["DATABASE"]).with_name("attachments"))


def save(upload: Upload) -> str:
    """Write the file under a fresh random name (fsynced: the comment that lists it is committed next);
    returns that name."""
    base = folder()
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored_name = secrets.token_hex(16)
    path = base / stored_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(upload.data)
        fh.flush()
        os.fsync(fh.fileno())
    return stored_name


def discard(stored_names: list[str]) -> None:
    """Remove files whose comment was not stored after all (a repeated form, a failed commit)."""
    for name in stored_names:
        try:
            (folder() / name).unlink()
        except OSError:
            pass


def path_of(stored_name: str) -> Path:
    if not stored_name or any(ch not in "0123456789abcdef" for ch in stored_name):
        raise FileNotFoundError(stored_name)
    return folder() / stored_name


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, lift_upload_limit)
