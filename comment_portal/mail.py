"""Receipt mails: the receipt when a comment is stored, and a notice when the report is published.

Only when the submitter gave an e-mail address and ticked 发送回执到邮箱, and only when SMTP is configured
(``MAIL_SERVER`` in ``instance/config.py``; without it the box is not on the form).

Sending never blocks or endangers a comment: the mail is queued in the comment's own transaction
(``store.outbox``), and sent after the commit by a background thread (:func:`kick`), which opens its own
database connection. A failure is logged and the mail retried later (1, 2, 4 … minutes), on the next
comment or publication, or by ``comment-portal send-mail`` (cron); mails still failing are counted on the
staff dashboard.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import Flask, current_app

from . import receipt_documents
from .db import open_database
from .store import consultations, outbox, receipts, reports
from .store.rows import Consultation

_state_lock = threading.Lock()


def this_app() -> Flask:
    """The app behind ``current_app``: a background thread needs the object itself, not the request's proxy."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def enabled(app: Flask) -> bool:
    return bool(app.config.get("MAIL_SERVER")) and bool(app.config.get("MAIL_FROM"))


def _address(contact: str | None) -> str:
    """The contact, when it is an e-mail address (the form accepts phones too)."""
    from .public.forms import is_email

    value = (contact or "").strip()
    return value if is_email(value) else ""


def _outcome_lines(receipt: receipts.SubmissionReceipt, consultation: Consultation) -> list[str]:
    from .citations import cite

    lines = []
    for n, part in enumerate(receipt.parts, 1):
        o = part.outcome
        where = cite(consultation, part.clause_key)
        head = f"{n}. {where}：" if len(receipt.parts) > 1 else f"{where}："
        if not o or not o.get("listed"):
            lines.append(head + "未单独列入采纳情况反馈（例如与其他意见合并或重复）。")
            continue
        lines.append(head + (o.get("decision") or "待定"))
        if o.get("reply"):
            lines.append(f"   理由说明：{o['reply']}")
        if o.get("change") and o["change"].get("after"):
            lines.append(f"   修改后表述：{o['change']['after']}")
    return lines


def compose(app: Flask, db, item: dict[str, Any], base_url: str) -> EmailMessage | None:
    """The message for one outbox row (None: nothing to send any more)."""
    to = _address(item["contact"])
    receipt = receipts.of_comment(db, item["comment_id"])
    if not to or receipt is None or receipt.withdrawn:
        return None
    consultation = consultations.get(db, receipt.consultation_id)
    assert consultation is not None
    office = reports.issuer(consultation, app.config.get("ISSUING_BODY", ""))
    lookup = f"{base_url.rstrip('/')}/receipt" if base_url else "本网站“回执查询”页"
    message = EmailMessage()
    message["From"] = formataddr((office or "意见征集", app.config["MAIL_FROM"]))
    message["To"] = to
    message["Message-ID"] = make_msgid(domain=app.config["MAIL_FROM"].rsplit("@", 1)[-1])
    if item["kind"] == outbox.RECEIPT:
        message["Subject"] = f"意见提交回执 {receipt.code}"
        text = receipt_documents.render(consultation, receipt, "txt", office=office, lookup=lookup)
        message.set_content(text.decode("utf-8-sig").replace("\r\n", "\n"))
        message.add_attachment(receipt_documents.render(consultation, receipt, "pdf", office=office, lookup=lookup),
                               maintype="application", subtype="pdf",
                               filename=receipt_documents.filename(receipt, "pdf"))
        return message
    message["Subject"] = f"《{receipt.title}》公众意见采纳情况反馈已发布"
    page = f"{base_url.rstrip('/')}/c/{receipt.slug}/feedback" if base_url else "本网站"
    lines = [f"您好！您对《{receipt.title}》提出的意见（回执编号 {receipt.code}）的采纳情况反馈已发布。", "",
             *_outcome_lines(receipt, consultation), "",
             f"完整的采纳情况反馈：{page}", f"凭回执编号查询：{lookup}", "", "感谢您对我们工作的关心和支持！",
             office]
    message.set_content("\n".join(lines))
    return message


def _send(app: Flask, message: EmailMessage) -> None:
    config = app.config
    host, port, timeout = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), float(config["MAIL_TIMEOUT"])
    if config.get("MAIL_USE_SSL"):
        client: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(host, port, timeout=timeout)
    with client:
        if config.get("MAIL_USE_STARTTLS"):
            client.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            client.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        client.send_message(message)


def deliver_due(app: Flask, base_url: str = "") -> dict[str, int]:
    """Send every mail that is due, once; returns counts (``sent``, ``failed``, ``skipped``)."""
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    if not enabled(app):
        return counts
    clock = app.extensions["clock"]
    # The configured address wins: a request's own root comes from its Host header, which the sender chooses.
    base_url = app.config.get("PUBLIC_URL") or base_url or ""
    db = open_database(app.config["DATABASE"])
    try:
        with app.app_context():
            for item in outbox.due(db, clock.now()):
                try:
                    message = compose(app, db, item, base_url)
                    if message is None:
                        outbox.mark_skipped(db, item["id"], "无可用的电子邮箱或意见已撤回", now=clock.now())
                        counts["skipped"] += 1
                        continue
                    _send(app, message)
                except (OSError, smtplib.SMTPException) as exc:
                    app.logger.warning("receipt mail %s (%s) not sent: %s", item["id"], item["kind"], exc)
                    outbox.mark_failed(db, item["id"], f"{type(exc).__name__}: {exc}", now=clock.now())
                    counts["failed"] += 1
                else:
                    outbox.mark_sent(db, item["id"], now=clock.now())
                    counts["sent"] += 1
    finally:
        db.close()
    return counts


def kick(app: Flask, base_url: str = "") -> None:
    """Send due mails in a background thread (one at a time per app; a kick during a pass runs another)."""
    if not enabled(app):
        return
    state = app.extensions.setdefault("mail", {"thread": None, "again": False})
    with _state_lock:
        thread = state["thread"]
        if thread is not None and thread.is_alive():
            state["again"] = True
            return
        state["again"] = False

        def run() -> None:
            while True:
                try:
                    deliver_due(app, base_url)
                except Exception:  # never let a mail problem escape a thread unseen
                    app.logger.exception("receipt mail delivery failed")
                with _state_lock:
                    if not state["again"]:
                        state["thread"] = None
                        return
                    state["again"] = False

        state["thread"] = threading.Thread(target=run, name="receipt-mail", daemon=True)
        state["thread"].start()


def report_published(app: Flask, consultation_id: int, version: int, base_url: str = "") -> None:
    """Queue a notice of the new report to every submitter who asked for mail, then send (in the background)."""
    if not enabled(app):
        return
    from .db import get_db

    outbox.queue_report_notices(get_db(app), consultation_id, version, now=app.extensions["clock"].now())
    kick(app, base_url)


def wait(app: Flask, timeout: float = 10.0) -> None:
    """Wait for the background pass (tests, the CLI)."""
    thread = app.extensions.get("mail", {}).get("thread")
    if thread is not None:
        thread.join(timeout)
