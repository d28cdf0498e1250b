"""Draft policies (征求意见稿) as data: ``parse(text)`` / ``load(path)`` → :class:`Draft`.

Pure Python: no Flask, no database, no clock.

Clause kinds
    ``part``     一、… at the top of the draft or of an annex; also 第…编
    ``chapter``  第…章
    ``section``  第…节; or a numbered clause that is a heading line or has children ((一)强化…)
    ``article``  第…条 (its heading is the 【…】/（…） title if it has one, its text is the body)
    ``item``     a numbered clause with inline text and no children (1.加强…。积极…)
    ``paragraph`` an unnumbered paragraph that stands on its own after numbered items
    ``annex``    附件 / 附件1 / 附件：名称 — always top level

Keys (stable, URL-safe, unique within a draft; same text → same keys)
    A path of the numbers as written, joined by dots: 三、→``3``, (三)→``3.3``, 12.→``3.3.12``
    (numbers that run on across parents keep their value), 第三章→``3``, 第十二条 in it→``3.12``.
    Decimal headings are keyed as written (1.2.1→``1.2.1``). Annexes are ``a`` + their number, or
    their position when unnumbered (``a1``, ``a1.2.3``). Unnumbered paragraphs get ``p`` + their
    position among their parent's paragraphs (``a1.1.p1``; ``p1`` at top level). A key already
    used in the draft gets ``-2``, ``-3`` … appended, in document order. Editing the text of a
    clause never changes any key; inserting or renumbering clauses changes the keys after them.

Notice fields and the window phrases understood: see :mod:`draft.notice` (the 背景介绍 / 起草说明 printed after the
draft is read into ``Notice.background``).
Staff's corrections of the clause tree, replayable: :mod:`draft.fixes`. Working days and minimum windows:
:mod:`draft.calendar`, :mod:`draft.window_rules`.
Files: ``load(path)`` / ``load_bytes(data, name)`` read .txt, .docx (Word list numbers resolved,
:mod:`draft.word_numbering`) and .pdf (text layer); :mod:`draft.documents` reads the same formats
and .xlsx/images for comment attachments (``read_attachment``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import DraftError
from .loader import load, load_bytes, read_text
from .model import Clause, Draft, Notice
from .parser import parse

SEED_PATH: Path = Path(str(resources.files(__package__).joinpath("data", "tianjin_cbec_2024.txt")))


def load_seed() -> Draft:
    """The shipped seed draft (天津市跨境电子商务高质量发展三年倍增计划(征求意见稿))."""
    return load(SEED_PATH)


__all__ = ["SEED_PATH", "Clause", "Draft", "DraftError", "Notice", "load", "load_bytes", "load_seed", "parse", "read_text"]
