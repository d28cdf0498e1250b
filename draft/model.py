"""The draft as plain values: a clause tree plus the notice that announced it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass
class Notice:
    """What the 公告 (notice) states; every field is optional because real notices vary.

    ``announcement`` is the notice's own text (日前，我局草拟了…欢迎社会各界人士和有关单位提出宝贵建议…) without its
    heading, contact lines, signature and date; ``background`` the 背景介绍 / 起草说明 printed with the draft;
    ``email``, ``address`` and ``postcode`` say where comments may be sent by e-mail or post.
    """

    title: str = ""
    department: str = ""
    contact: str = ""
    published_on: date | None = None
    opens_on: date | None = None
    closes_on: date | None = None
    announcement: str = ""
    background: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""

    TEXTS: ClassVar[tuple[str, ...]] = ("title", "department", "contact", "announcement", "background", "email", "address", "postcode")

    def to_dict(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in self.TEXTS}, "published_on": _iso(self.published_on),
                "opens_on": _iso(self.opens_on), "closes_on": _iso(self.closes_on)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Notice:
        return cls(**{name: d.get(name, "") or "" for name in cls.TEXTS}, published_on=_day(d.get("published_on")),
                   opens_on=_day(d.get("opens_on")), closes_on=_day(d.get("closes_on")))


HEADING_KINDS = ("part", "chapter", "section", "annex")
"""Kinds whose label and heading stand on a line of their own, the body following."""


@dataclass
class Clause:
    """One numbered (or unnumbered) part of the draft.

    ``key`` is a stable URL-safe path (``3``, ``3.1``, ``3.1.12``, annex ``a1.2.3``);
    ``label`` is the number exactly as written (``三、``, ``(一)``, ``12.``, ``第十二条``), empty
    for unnumbered parts; ``kind`` is one of ``part`` (一、 at the top, 第一编), ``chapter``
    (第一章), ``section`` (第一节, or a numbered heading line / clause with children), ``article``
    (第一条), ``item`` (an inline numbered leaf), ``paragraph`` (an unnumbered part), ``annex``.
    The full scheme for keys and kinds is in the ``draft`` package docstring.
    """

    key: str
    label: str
    heading: str
    body: str = ""
    level: int = 1
    kind: str = "part"
    children: list[Clause] = field(default_factory=list)

    def walk(self) -> Iterator[Clause]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def title(self) -> str:
        """Label and heading as a reader would cite them, e.g. ``12.创新外汇管理服务``."""
        return f"{self.label}{self.heading}".strip()

    def written_lines(self) -> list[str]:
        """The clause's own text as lines of the draft (children not included), so that
        :func:`draft.parse` reads them back into the same clause: a heading line and its body
        (``一、指导思想`` / ``附件`` + name), an inline item (``1.加强…。积极…``), an article
        (``第一条　为了…``, a heading as ``【…】``), or a paragraph. The punctuation that ended an
        inline heading is not kept by the parser; ``。`` stands in for it."""
        body = self.body.split("\n") if self.body else []
        if self.kind == "paragraph":
            return body
        last = self.label[-1:]   # 2.1 基本要求, 第一章　总则, 一、指导思想
        gap = (" " if last.isascii() else "\u3000") if last.isalnum() else ""
        if self.kind in HEADING_KINDS:
            if self.kind == "annex":
                return [self.label, *([self.heading] if self.heading else []), *body]
            return [f"{self.label}{gap}{self.heading}", *body]
        if self.kind == "article":
            lead = f"{self.label}\u3000" + (f"【{self.heading}】" if self.heading else "")
        else:
            heading = self.heading
            if heading and heading[-1] not in "。！？!?":
                heading += "。"
            lead = f"{self.label}{gap if heading else ''}{heading}"
        return [lead + (body[0] if body else ""), *body[1:]] if body or lead else []

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "heading": self.heading, "body": self.body,
                "level": self.level, "kind": self.kind, "children": [c.to_dict() for c in self.children]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Clause:
        return cls(key=d["key"], label=d.get("label", ""), heading=d.get("heading", ""), body=d.get("body", ""),
                   level=d.get("level", 1), kind=d.get("kind", "part"),
                   children=[cls.from_dict(c) for c in d.get("children", [])])


@dataclass
class Draft:
    title: str
    notice: Notice = field(default_factory=Notice)
    preamble: str = ""
    clauses: list[Clause] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def walk(self) -> Iterator[Clause]:
        """Every clause in document order (depth first)."""
        for clause in self.clauses:
            yield from clause.walk()

    def find(self, key: str) -> Clause | None:
        return next((c for c in self.walk() if c.key == key), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (dates as ISO strings); :meth:`from_dict` restores an equal ``Draft``."""
        return {"title": self.title, "notice": self.notice.to_dict(), "preamble": self.preamble,
                "clauses": [c.to_dict() for c in self.clauses], "warnings": list(self.warnings)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Draft:
        return cls(title=d.get("title", ""), notice=Notice.from_dict(d.get("notice") or {}),
                   preamble=d.get("preamble", ""), clauses=[Clause.from_dict(c) for c in d.get("clauses", [])],
                   warnings=list(d.get("warnings", [])))
