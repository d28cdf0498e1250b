"""Form bodies must be UTF-8: text that does not decode is refused, never stored altered.

Werkzeug keeps undecodable bytes of a urlencoded body as ``%XX`` text and decodes multipart text
fields with ``errors="replace"`` (U+FFFD), so either way a comment sent in another encoding (GBK from a
script, a mis-set page) would be stored as something the person never typed. Urlencoded bodies are
checked before anything parses them; multipart text fields are decoded through a strict codec while
they are parsed (files are not text and are not touched), so no body is buffered for the check.
"""

from __future__ import annotations

import codecs
import typing as t
from urllib.parse import unquote_to_bytes

from flask import Request, request
from werkzeug.datastructures import Headers
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser, MultiPartParser

NOT_UTF8 = ("提交的内容不是 UTF-8 编码，无法识别其中的文字，因此没有保存。请直接在本网站的页面上填写并提交；"
            "如通过其他软件或脚本提交，请改用 UTF-8 编码。")

#: A codec that decodes UTF-8 and refuses anything else, whatever error handler the caller names.
STRICT_UTF8 = "comment_portal_strict_utf_8"


class NotUTF8(BadRequest):
    description = NOT_UTF8


def _decode_strictly(data: bytes, errors: str = "strict") -> tuple[str, int]:
    try:
        return codecs.utf_8_decode(data, "strict", True)
    except UnicodeDecodeError:
        raise NotUTF8() from None


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name != STRICT_UTF8:
        return None
    return codecs.CodecInfo(codecs.utf_8_encode, _decode_strictly, name=STRICT_UTF8)  # type: ignore[arg-type]


codecs.register(_find_codec)


class _StrictMultiPartParser(MultiPartParser):
    def get_part_charset(self, headers: Headers) -> str:
        """Every text part is read as UTF-8 (a part's own ``charset`` is ignored: our pages send UTF-8)."""
        return STRICT_UTF8


class _StrictFormDataParser(FormDataParser):
    def _parse_multipart(
        self, stream: t.IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str]
    ) -> tuple[t.IO[bytes], t.Any, t.Any]:
        parser = _StrictMultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class PortalRequest(Request):
    form_data_parser_class = _StrictFormDataParser


def check_urlencoded() -> None:
    """``before_request``: a urlencoded form body must decode as UTF-8."""
    if request.method not in ("POST", "PUT", "PATCH") or request.mimetype != "application/x-www-form-urlencoded":
        return
    raw = request.get_data(cache=True)  # cached: the form parser (CSRF, the view) reads the same bytes
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise NotUTF8() from None
