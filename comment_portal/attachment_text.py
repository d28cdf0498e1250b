"""What is left of a submission after its request: a long PDF's text, and a paper too long to split in the request.

The comment form reads a PDF's text while the request waits only up to ``ATTACHMENT_INLINE_PAGES`` pages (a 50-page
PDF in a font that is not embedded takes seconds): a longer one is stored with its text ``pending`` (staff see
文字提取中) and ``store.comments.submit_form`` queues a job of kind ``attachment_text`` in the same transaction.
Likewise a whole-draft paper whose text is longer than ``submission.SPLIT_MAX_CHARS``. The job (:func:`complete`,
run by the job runner, ``jobs.py``):

1. reads the pending files from the attachments folder and stores their text (``done``), or marks them ``failed``
   (需人工阅读) when they cannot be read;
2. stores the comment's analysis tokens again, now with the files' words;
3. splits a paper on the whole draft into one part per opinion, as the form would have
   (``submission.letter_parts``), unless staff already took it in hand (grouped, decided, marked) or it is spam or
   withdrawn.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlite_utils import Database

from draft.documents import Limits, read_attachment
from exports import redact

from . import store, submission, uploads
from .db import write
from .store.attachments import DONE, FAILED, PENDING
from .store.rows import Attachment
from .vocabulary import SPLIT

Progress = Any  # jobs.Progress: (stage, done, total) -> None


def _read(found: Attachment, max_bytes: int) -> tuple[str, bool, int | None, str]:
    """(text, has a text layer, pages, state) of one pending file."""
    try:
        data = uploads.path_of(found.stored_name).read_bytes()
    except OSError:
        return "", False, found.pages, FAILED
    read = read_attachment(found.original_name, data, Limits(max_bytes=max(max_bytes, len(data))))
    if not read.ok:
        return "", False, found.pages, FAILED
    return read.text, not read.no_text_layer, read.pages, DONE


def complete(app: Flask, db: Database, consultation_id: int, comment_id: int, progress: Progress) -> dict[str, Any]:
    """Read the pending files of a submission, store its tokens again and split a paper (see the module)."""
    consultation = store.consultations.get(db, consultation_id)
    comment = store.comments.get(db, consultation_id, comment_id)
    if consultation is None or comment is None:
        return {"comment_id": comment_id, "read": 0, "failed": 0, "parts": 0}
    files = store.attachments.of_comment(db, comment_id)
    pending = [a for a in files if a.text_state == PENDING]
    results: dict[int, tuple[str, bool, int | None, str]] = {}
    for n, found in enumerate(pending):
        progress("extract", n, len(pending))
        results[found.id] = _read(found, int(app.config["ATTACHMENT_MAX_BYTES"]))
    progress("extract", len(pending), len(pending))
    if comment.erased_at:
        # The submitter's personal data was erased while the file waited to be read: its text is masked as the
        # erasure masked everything else (``store.submitter_rights``), before it is stored, tokenised or split.
        results = {i: (redact(text, identity="masked")[0], layer, pages, state)
                   for i, (text, layer, pages, state) in results.items()}
    texts = [results[a.id][0] if a.id in results else a.text for a in files]
    clause = store.consultations.clause(db, consultation_id, comment.clause_key) if comment.clause_key else None
    tokens = submission.tokens_for(consultation, comment.body or "", clause.text if clause else "", comment.proposal,
                                   texts)
    with write(db):
        for attachment_id, (text, layer, pages, state) in results.items():
            store.attachments.set_text(db, attachment_id, text=text, has_text_layer=layer, pages=pages, state=state)
        if comment.status != SPLIT:  # a multi-clause form's parts carry their own tokens
            store.comments.store_tokens(db, [(comment_id, tokens)])
    parts = 0
    if comment.clause_key is None and comment.part_of is None and comment.status == "pending" and comment.group_id is None:
        progress("split", 0, 1)
        plan = submission.letter_parts(consultation, comment.body or "", texts,
                                       max_chars=submission.BACKGROUND_SPLIT_MAX_CHARS)
        if plan:
            try:
                parts = len(store.comments.split_into_parts(
                    db, consultation_id, comment_id, [(p.clause_key, p.body) for p in plan],
                    tokens=[p.tokens for p in plan], staff=None, now=app.extensions["clock"].now(),
                    actor=store.comments.LETTER_ACTOR))
            except store.comments.CommentError:
                parts = 0  # withdrawn or split meanwhile: left as it is
        progress("split", 1, 1)
    failed = sum(1 for r in results.values() if r[3] == FAILED)
    return {"comment_id": comment_id, "read": len(results) - failed, "failed": failed, "parts": parts}


def give_up(db: Database, comment_id: int) -> None:
    """The job broke: its files are marked ``failed`` (需人工阅读) rather than 文字提取中 for ever."""
    with write(db):
        for found in store.attachments.of_comment(db, comment_id):
            if found.text_state == PENDING:
                store.attachments.set_text(db, found.id, text="", has_text_layer=False, pages=found.pages,
                                           state=FAILED)
