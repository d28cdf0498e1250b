"""The draft as plain values: a clause tree plus the notice that announced it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator


@dataclass
class Notice:
    """What the 公告 (notice) states; every field is optional because real notices vary."""

    title: str = ""
    department: str = ""
    contact: str = ""
    published_on: date | None = None
    opens_on: date | None = None
    closes_on: date | None = None


@dataclass
class Clause:
    """One numbered (or unnumbered) part of the draft.

    ``key`` is a stable URL-safe path (``3``, ``3.1``, ``3.1.12``, annex ``a1.2.3``);
    ``label`` is the number exactly as written (``三、``, ``(一)``, ``12.``, ``第十二条``), empty
    for unnumbered parts; ``kind`` is one of ``part`` (一、/第一章…), ``section``, ``article``
    (第一条), ``item`` (numbered items), ``paragraph`` (an unnumbered part), ``annex``.
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
