"""A stored submission's receipt as a document: the ``exports.Receipt`` value (clauses cited as the draft
reads, time in Beijing time) and its .txt / .pdf bytes, for the download buttons and the receipt mail."""

from __future__ import annotations

from exports import DOCUMENT_MEDIA_TYPES, RECEIPT_FORMATS, Receipt, ReceiptPart

from .citations import cite
from .clock import parse_iso, to_local
from .store.receipts import SubmissionReceipt
from .store.rows import Consultation

#: ``RECEIPT_FORMATS`` keys offered for download.
FORMATS = ("txt", "pdf")
MEDIA_TYPES = {fmt: DOCUMENT_MEDIA_TYPES[fmt] for fmt in FORMATS}


def _part_text(text: str, proposal: str) -> str:
    if not proposal:
        return text
    return f"{text}\n建议修改为：{proposal}" if text else f"建议修改为：{proposal}"


def as_export(consultation: Consultation, receipt: SubmissionReceipt, *, office: str = "",
              lookup: str = "") -> Receipt:
    single = len(receipt.parts) == 1
    parts = [ReceiptPart(cite(consultation, p.clause_key, "") if p.clause_key else "",
                         _part_text(p.text, p.proposal) or "（以附件形式提交）",
                         tuple(receipt.attachments) if single else ())
             for p in receipt.parts]
    extra = [] if single or not receipt.attachments else [("附件", "、".join(receipt.attachments))]
    return Receipt(code=receipt.code, consultation=f"《{receipt.title}》",
                   submitted_at=to_local(parse_iso(receipt.created_at)), parts=parts, office=office,
                   lookup=lookup, extra=tuple(extra))


def render(consultation: Consultation, receipt: SubmissionReceipt, fmt: str, **kwargs: str) -> bytes:
    return RECEIPT_FORMATS[fmt](as_export(consultation, receipt, **kwargs))


def filename(receipt: SubmissionReceipt, fmt: str) -> str:
    return f"回执-{receipt.code}.{fmt}"
