"""Bodies compressed once and validated: what keeps the portal light on a phone network.

A body that many clients fetch unchanged (the draft page in one state, a static file) is compressed ONCE,
when it is made, with gzip and brotli (Google's maintained ``brotli`` bindings). Each client
gets the smallest encoding it accepts (``Vary: Accept-Encoding``), with an ETag and Last-Modified, so a
repeat visit is answered ``304 Not Modified`` without a body. Nothing is compressed per request.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

import brotli
from flask import Response, request

#: gzip level 9 costs ~2 ms on the 56 KB draft page. Brotli quality 8 costs ~15 ms and saves ~12 % over
#: gzip; quality 11 saves another 8 % but costs ~0.5 s, too much for a page that is re-rendered whenever a
#: comment arrives (measured on the seed draft, see bench/load.py for the bytes sent).
GZIP_LEVEL = 9
BROTLI_QUALITY = 8

#: Static files under a fingerprinted name never change: cached for a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Pages that change (new comments, the window's days left): kept, but revalidated on every use.
REVALIDATE = "no-cache"


@dataclass(frozen=True)
class Encoded:
    """One body in every encoding worth sending, its ETag (a hash of the uncompressed bytes) and its time."""

    mimetype: str
    last_modified: datetime
    bodies: dict[str, bytes] = field(repr=False)  # "identity", "gzip", "br"
    digest: str = ""

    @property
    def identity(self) -> bytes:
        return self.bodies["identity"]


def encode(body: bytes | str, mimetype: str, last_modified: datetime) -> Encoded:
    """Compress ``body`` once; an encoding is kept only when it is smaller than the body itself."""
    raw = body.encode() if isinstance(body, str) else body
    bodies = {"identity": raw}
    packed = gzip.compress(raw, GZIP_LEVEL, mtime=0)  # mtime=0: the same body always gives the same bytes
    if len(packed) < len(raw):
        bodies["gzip"] = packed
    packed = brotli.compress(raw, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    if len(packed) < len(raw):
        bodies["br"] = packed
    digest = hashlib.sha256(raw).hexdigest()[:20]
    return Encoded(mimetype=mimetype, last_modified=last_modified.replace(microsecond=0), bodies=bodies,
                   digest=digest)


def chosen_encoding(encoded: Encoded) -> str:
    """The smallest encoding this request accepts (``Accept-Encoding``, with q-values and ``*``)."""
    accepted = request.accept_encodings
    candidates = [name for name in ("br", "gzip") if name in encoded.bodies and accepted[name] > 0]
    return min(candidates, key=lambda name: len(encoded.bodies[name]), default="identity")


def respond(encoded: Encoded, cache_control: str, *, vary: tuple[str, ...] = ()) -> Response:
    """The body in the chosen encoding, with validators; ``304`` when the client's copy is current.

    Each encoding has its own strong ETag (the hash, suffixed ``-gzip``/``-br``), as HTTP asks of different
    representations. ``vary`` names request headers other than Accept-Encoding that chose this body.
    """
    name = chosen_encoding(encoded)
    response = Response(encoded.bodies[name], mimetype=encoded.mimetype)
    if name != "identity":
        response.headers["Content-Encoding"] = name
    response.set_etag(encoded.digest if name == "identity" else f"{encoded.digest}-{name}")
    response.last_modified = encoded.last_modified
    response.headers["Cache-Control"] = cache_control
    response.vary.update(("Accept-Encoding", *vary))
    response.make_conditional(request)
    return response
