"""What one public comment form sends, made ready for ``store.comments.submit_form``.

Shared by the one-clause form and the multi-clause form: the 建议修改为 (kept only when it differs from the
clause), the files (checked by content, saved under random names) and each opinion's analysis tokens,
made from the same analysable text the analysis reads (typed text, the words a proposal adds, the files'
text: ``store.attachments.analysable_text``).

A comment on the whole draft that is a position paper (a file, or a long typed letter) covering two or more clauses
becomes one submission with one part per opinion (:func:`letter_parts`), like the multi-clause form: the container
keeps what was typed and the files (their whole text), each part is an ordinary comment for triage, and the
receipt lists the parts. The greeting, introduction and closing are no part; they stay in the container.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.comment import LETTER_MIN_CHARS
from draft.revisions import diff

from . import comment_analysis, uploads
from .sanitize import clean_block
from .store import attachments
from .store.comments import FormPart
from .store.consultations import load_draft
from .store.rows import Clause, Consultation
from .tokens import tokenize, tokenize_many

#: Texts longer than this (typed and files' text together) are not split while the request waits: segmentation
#: costs 12-23 ms per 1,000 characters (``bench/letter_split.py``: 24,000 characters took 0.56 s). A background job splits
#: them (``attachment_text.py``), up to :data:`BACKGROUND_SPLIT_MAX_CHARS`.
SPLIT_MAX_CHARS = 20_000
#: The same bound for the background job (about 15 s of segmentation); a longer paper stays one comment, which
#: staff read whole.
BACKGROUND_SPLIT_MAX_CHARS = 400_000


def same_text(a: str, b: str) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def proposal_of(text: str | None, clause_text: str) -> str | None:
    """The proposed wording, or None when the box was left as pre-filled (or emptied)."""
    text = (text or "").strip()
    if not text or not clause_text or same_text(text, clause_text):
        return None
    return text


def proposal_words(clause_text: str, proposal: str | None) -> str:
    """What a proposal adds or replaces (the rest is the clause's own text, which says nothing about the
    opinion): the part of the proposal the analysis reads."""
    if not proposal:
        return ""
    return "\n".join(change.new for change in diff(clause_text, proposal) if change.op != "equal" and change.new)


@dataclass
class Prepared:
    """The files of a form, read and checked; saved only when :meth:`save` is called."""

    files: list[uploads.Upload] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    stored: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [f.found.text for f in self.files]

    def save(self) -> list[dict[str, Any]]:
        """Save every file; the rows for ``attachments.add``."""
        out = []
        for upload in self.files:
            name = uploads.save(upload)
            self.stored.append(name)
            found = upload.found
            out.append({"original_name": upload.name, "stored_name": name, "kind": found.kind,
                        "size": len(upload.data), "sha256": upload.sha256, "text": found.text,
                        "has_text_layer": not found.no_text_layer, "pages": found.pages,
                        "text_state": attachments.PENDING if found.text_deferred else attachments.DONE})
        return out

    @property
    def text_pending(self) -> bool:
        """A file's text is left to a background job (a PDF over ``ATTACHMENT_INLINE_PAGES`` pages)."""
        return any(f.found.text_deferred for f in self.files)

    def discard(self) -> None:
        uploads.discard(self.stored)
        self.stored = []


def read_files(files: list) -> Prepared:
    accepted, refusals = uploads.read_uploads(files, limit=uploads.max_bytes(), count=uploads.max_files(),
                                              inline_pages=uploads.inline_pages())
    return Prepared(accepted, refusals)


def tokens_for(consultation: Consultation, body: str, clause_text: str, proposal: str | None,
               file_texts: Sequence[str] = ()) -> list[str]:
    return tokenize(attachments.analysable_text(body, file_texts, proposal_words(clause_text, proposal)), consultation)


@dataclass(frozen=True)
class Entry:
    """One clause's boxes on the multi-clause form, as typed (cleaned)."""

    clause: Clause | None  # None: the draft as a whole
    body: str
    proposal_text: str  # as in the box (pre-filled with the clause's text)
    clause_text: str

    @property
    def key(self) -> str:
        return self.clause.key if self.clause else "whole"

    @property
    def proposal(self) -> str | None:
        return proposal_of(self.proposal_text, self.clause_text)

    @property
    def filled(self) -> bool:
        return bool(self.body.strip()) or self.proposal is not None


def entries(form: Any, clauses: list[Clause]) -> list[Entry]:
    """The whole-draft box and one per clause, read from ``body-<key>`` / ``proposal-<key>`` fields."""
    out = [Entry(None, clean_block(form.get("body-whole", "")), "", "")]
    for clause in clauses:
        before = clause.text
        typed = form.get(f"proposal-{clause.key}")
        out.append(Entry(clause, clean_block(form.get(f"body-{clause.key}", "")),
                         clean_block(typed) if typed is not None else before, before))
    return out


def parts_for(consultation: Consultation, filled: list[Entry]) -> list[FormPart]:
    return [FormPart(e.clause.key if e.clause else None, e.body, e.proposal,
                     tokens_for(consultation, e.body, e.clause_text, e.proposal)) for e in filled]


def container_text(filled: list[Entry], cite: Any) -> str:
    """A multi-clause submission as received: each opinion under its clause's citation."""
    blocks = []
    for e in filled:
        text = e.body
        if e.proposal:
            text = f"{text}\n建议修改为：{e.proposal}" if text else f"建议修改为：{e.proposal}"
        blocks.append(f"【{cite(e.clause.key if e.clause else None)}】\n{text}")
    return "\n\n".join(blocks)


def letter_parts(consultation: Consultation, body: str, file_texts: Sequence[str], *,
                 max_chars: int | None = None) -> list[FormPart] | None:
    """The parts of a whole-draft comment that covers two or more clauses: one per opinion
    (``comment_analysis.opinions``, as 按条款拆分 gives), or [] when it stays one comment: it covers fewer clauses, or
    it is short typed text without files. A file without
    text (a scan: 无文字层) adds nothing to split. None: the texts are longer than ``max_chars`` (default
    :data:`SPLIT_MAX_CHARS`), too long to split now."""
    texts = [t for t in file_texts if t.strip()]
    if not texts and len(body.strip()) < LETTER_MIN_CHARS:
        return []
    if len(body) + sum(len(t) for t in texts) > (SPLIT_MAX_CHARS if max_chars is None else max_chars):
        return None
    found = comment_analysis.opinions(body, texts, load_draft(consultation))
    if len({key for key, _ in found if key is not None}) < 2:
        return []
    tokens = tokenize_many([text for _, text in found], consultation)
    return [FormPart(key, text, None, words) for (key, text), words in zip(found, tokens, strict=True)]
