"""Input sanitising, in one place so the library choice lives in one file.

We use nh3 (Python binding of the Rust *ammonia* sanitiser). The design card named bleach, but
bleach's maintainers declared it unmaintained on 2026-06-05 (no further releases, security fixes
included); nh3 is its maintained successor.

Comments are stored as plain text: every HTML tag is removed (with the content of script/style
elements), everything else is kept exactly as typed (angle brackets around what is no tag of HTML are
text, their ``<`` made full-width so it never opens one: ``＜Temu>``, ``a＜b 且 c>d``), and these
invisible characters are dropped:
C0/C1 control characters except newline and tab, the zero-width space U+200B, line/paragraph
separators U+2028/U+2029, the byte-order mark U+FEFF, the soft hyphen U+00AD, and the bidi
embedding/override/isolate controls U+202A–U+202E and U+2066–U+2069 (they can make text read
differently from how it is stored, e.g. reverse a phone number). Output is always autoescaped by
Jinja, so what remains is displayed as text, never as markup.

Length limits count *visible* characters (:func:`visible_length`): a body made only of zero-width
joiners, combining marks or spaces is too short, however many code points it has.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u200b\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
#: Unicode categories that show nothing on their own: format characters (ZWJ, ZWNJ, LRM …), combining
#: marks, separators, controls, unassigned/private use are not counted as typed text.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Cn", "Mn", "Me", "Zs", "Zl", "Zp"}


#: Elements of HTML (with SVG's and MathML's roots, obsolete and parser-special ones): a tag with one of these
#: names is markup. ``<Temu>``, ``<SHEIN>``, ``<zhangsan@example.com>`` name none: a citizen typed them.
HTML_ELEMENTS = frozenset({
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont", "bdi",
    "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite",
    "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt",
    "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "image", "img", "input", "ins",
    "isindex", "kbd", "keygen", "label", "legend", "li", "link", "listing", "main", "map", "mark", "marquee", "math",
    "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed", "noframes", "noscript",
    "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "plaintext", "pre", "progress", "q",
    "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "script", "search", "section", "select", "slot", "small", "source",
    "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul", "var", "video",
    "wbr", "xmp",
})
#: A start or end tag as markup writes it: ``<`` or ``</``, a letter, up to the next ``>``.
_TAG = re.compile(r"</?([A-Za-z][^\s/<>]*)([^<>]*)>")
_TAG_START = re.compile(r"<(?=/?[A-Za-z])")
_VALUE = re.compile(r"=\s*(?:\"[^\"]*\"?|'[^']*'?|[^\s>]*)")
_ATTRIBUTE = re.compile(r"[A-Za-z_:][-A-Za-z0-9_:.]*")
#: What a ``<`` that only looks like a tag's becomes: the full-width ＜, which no reader of the text (a browser, a
#: Markdown viewer, a mail program) takes for the start of a tag, so the words after it stay.
TEXT_LT = "＜"


def _is_markup(text: str, at: int) -> bool:
    """A tag of an HTML element (or a custom element, ``x-y``), closed by ``>`` and with ASCII attribute names, as
    markup writes them, starts at ``at``. ``<b 且 c>`` in ``a<b 且 c>d`` is a comparison a citizen wrote, ``<Temu>``
    a platform's name, ``<x`` with no ``>`` after it (``如 x<y 时``) no tag at all."""
    tag = _TAG.match(text, at)
    if tag is None:
        return False
    name = tag.group(1).lower()
    if name not in HTML_ELEMENTS and "-" not in name:
        return False
    attributes = _VALUE.sub(" ", tag.group(2)).replace("/", " ").split()
    return all(_ATTRIBUTE.fullmatch(a) for a in attributes)


def _text_brackets(text: str) -> str:
    """Each ``<`` that would open a tag of no markup (:func:`_is_markup`) written as :data:`TEXT_LT`: the HTML
    parser would otherwise drop it with what follows (``a<b 且 c>d`` → ``ad``, ``额度<USD 5000 的部分…`` → ``额度``)."""
    return _TAG_START.sub(lambda m: m.group(0) if _is_markup(text, m.start()) else TEXT_LT, text)


def strip_html(text: str) -> str:
    """Remove every HTML tag; keep the rest as typed (``a < b & c``, even ``&lt;``, stay as they were). Angle
    brackets around anything that is no tag of HTML stay too, their ``<`` full-width (:func:`_text_brackets`).

    ``&`` is escaped first so that entities the person typed literally survive the final unescape.
    """
    # Repeat until stable: removing one tag can join the characters around it into a new one
    # (``<<b>script>`` → ``<script>``), which must not survive as "plain text".
    for _ in range(10):
        if "<" not in text:
            return text
        escaped = _text_brackets(text).replace("&", "&amp;")
        cleaned = html.unescape(nh3.clean(escaped, tags=set(), attributes={}, strip_comments=True))
        if cleaned == text:
            return text
        text = cleaned
    return text.replace("<", "＜").replace(">", "＞")  # pathological nesting: neutralise what is left


def clean_text(text: str | None, *, multiline: bool = True) -> str:
    """The one sanitiser applied to every field a visitor submits."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_html(text)
    text = _CONTROL.sub("", text)
    if not multiline:
        text = " ".join(text.split())
    return unicodedata.normalize("NFC", text).strip()


def visible_length(text: str | None) -> int:
    """Characters a reader can see: what length limits count (see the module docstring)."""
    return sum(1 for ch in text or "" if not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def clean_block(value: Any) -> Any:
    """WTForms filter for a multi-line text field (a comment, a note, a reason): :func:`clean_text`."""
    return clean_text(value) if isinstance(value, str) else value


def clean_line(value: Any) -> Any:
    """WTForms filter for a one-line field (a name, a title): :func:`clean_text`, whitespace collapsed."""
    return clean_text(value, multiline=False) if isinstance(value, str) else value
