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
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import Any

from flask import Flask, current_app

from .clock import parse_iso, to_local
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


def _receipt_notice(consultation: Consultation, receipt: receipts.SubmissionReceipt, office: str,
                    lookup: str) -> str:
    """The receipt mail: what the office itself knows of the submission, and nothing its sender typed.

    The mail goes, unconfirmed, to whatever address was typed as the contact, from the office's own sender: with
    the comment's text, the name or the attachments' file names in it (all typed by whoever filled in the form),
    anyone could send a lure and a link to anyone as the office's mail. The submitter reads the text on the
    receipt page (and downloads it as PDF or text there) with the receipt code."""
    from .citations import cite

    where = [cite(consultation, part.clause_key) for part in receipt.parts]
    lines = [f"您好！我们收到了一份对《{receipt.title}》提出的意见，联系方式填写的是本邮箱。", "",
             f"回执编号：{receipt.code}",
             f"提交时间：{to_local(parse_iso(receipt.created_at)):%Y年%m月%d日 %H:%M}（北京时间）"]
    if len(where) == 1:
        lines.append(f"涉及条款：{where[0]}")
    else:
        lines.append(f"涉及条款（共{len(where)}条意见）：")
        lines += [f"  {n}. {w}" for n, w in enumerate(where, 1)]
    if receipt.attachments:
        lines.append(f"附件：{len(receipt.attachments)}个")
    lines += ["", ("为防止他人冒用本邮件，邮件中不附意见原文。请凭回执编号查询意见内容、下载回执（PDF或文本），"
                   "征求意见截止前也可以撤回意见："), lookup, "",
              "采纳情况反馈发布时，我们会再发邮件通知您。",
              "如果您没有提交过意见，说明他人填写了您的邮箱，请忽略本邮件；给您带来打扰，敬请谅解。", "", office]
    return "\n".join(lines)


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
        message.set_content(_receipt_notice(consultation, receipt, office, lookup))
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


def _flooded(db, item: dict[str, Any], now: datetime) -> bool:
    """Whether the mail's address already got its day's mails: the form mails any address typed as the contact
    (a receipt now, a report notice at publication), so many comments naming someone else's address must not
    become as many mails from the office."""
    address = _address(item["contact"])
    return bool(address) and outbox.sent_to(db, address, since=now - timedelta(days=1)) >= \
        outbox.MAILS_PER_ADDRESS_PER_DAY


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
                if _flooded(db, item, clock.now()):
                    outbox.mark_skipped(db, item["id"], f"该邮箱24小时内已收到{outbox.MAILS_PER_ADDRESS_PER_DAY}封邮件，"
                                        "本封未发送（仍可凭回执编号在网站查询）", now=clock.now())
                    counts["skipped"] += 1
                    continue
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
