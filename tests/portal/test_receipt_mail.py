"""Receipt mails (issue 12 §4) through a local SMTP server (aiosmtpd on 127.0.0.1): no mail leaves the machine.
The comment is committed first and the mail sent after; a failing server never loses or delays a comment."""

from __future__ import annotations

import email

from aiosmtpd.controller import Controller

from comment_portal import mail
from comment_portal.db import get_db, one, rows
from tests.helpers import Inbox, comment_data, decide, form_tokens, free_port, publish
from tests.helpers import wait_for_mail as _wait_for

ADDRESS = "zhangsan@example.com"


def _send(client, **fields):
    url = "/c/seed/comment/3.4.14"
    return client.post(url, data=comment_data(*form_tokens(client, url), **fields))


def _outbox(app):
    with app.app_context():
        return rows(get_db(), "SELECT * FROM outbox ORDER BY id")


def test_without_smtp_the_box_is_not_offered(client, seeded):
    assert "发送回执到邮箱" not in client.get("/c/seed/comment/3.4.14").get_data(as_text=True)


def test_the_receipt_is_mailed_after_the_commit(app, client, seeded, inbox):
    assert "发送回执到邮箱" in client.get("/c/seed/comment/3.4.14").get_data(as_text=True)
    body = "建议给海外仓租金补贴，我的手机13912345678。"
    assert _send(client, body=body, contact=ADDRESS, email_receipt="y").status_code == 303
    code = one_comment(app)["receipt_code"]
    assert "回执将发送到您填写的电子邮箱" in client.get("/c/seed/thanks").get_data(as_text=True)
    mail.wait(app)
    _wait_for(inbox, 1)
    [message] = inbox.messages
    assert message["To"] == ADDRESS and code in message["Subject"]
    parts = {part.get_content_type(): part for part in message.walk()}
    plain = parts["text/plain"].get_payload(decode=True).decode("utf-8")
    assert code in plain and "涉及条款：14.完善国际物流服务体系" in plain  # the clause as the draft cites it
    # Nothing the sender typed: the text (and its phone number) is read on the receipt page with the code.
    assert "海外仓" not in plain and "13912345678" not in plain and "不附意见原文" in plain
    assert set(parts) == {"text/plain"}  # no PDF copy of the text either
    assert _outbox(app)[0]["sent_at"] is not None


def test_the_receipt_mail_holds_nothing_the_sender_typed(app, client, seeded, inbox):
    """The mail goes, unconfirmed, to any address typed as the contact, from the office's sender: a name, a text or
    a file name typed by anyone must not reach anyone as the office's mail."""
    lure = "您的补贴已到账，请登录 http://tj-swj-gov.example/refund 领取"
    assert _send(client, body=lure, proposal=lure, name="天津市商务局财务处 http://tj-swj-gov.example",
                 contact="victim@example.com", email_receipt="y").status_code == 303
    mail.wait(app)
    _wait_for(inbox, 1)
    [message] = inbox.messages
    whole = message.as_string() + "".join(p.get_payload(decode=True).decode("utf-8", "replace")
                                          for p in message.walk() if not p.is_multipart())
    assert "tj-swj-gov" not in whole and "补贴已到账" not in whole and "财务处" not in whole
    assert "如果您没有提交过意见" in whole


def test_one_address_gets_at_most_a_days_receipts(app, client, seeded, inbox, clock, monkeypatch):
    """Comments naming someone else's address are stored with their receipts as ever; the address gets
    MAILS_PER_ADDRESS_PER_DAY mails a day (any case of it), the rest are closed unsent, and a day later it
    gets mail again."""
    from comment_portal.store import outbox

    monkeypatch.setattr(outbox, "MAILS_PER_ADDRESS_PER_DAY", 2)
    for n, address in enumerate(["victim@example.com", "Victim@Example.com", "victim@example.com"]):
        assert _send(client, body=f"第{n}条意见：建议加强物流。", contact=address, email_receipt="y").status_code == 303
        mail.wait(app)
    _wait_for(inbox, 2)
    with app.app_context():
        assert mail.deliver_due(app) == {"sent": 0, "failed": 0, "skipped": 0}
    items = _outbox(app)
    assert len(inbox.messages) == 2 and len(items) == 3
    assert items[2]["sent_at"] is not None and "24小时内已收到2封邮件" in items[2]["last_error"]
    assert len(rows_of_comments(app)) == 3  # every comment stored
    with app.app_context():  # report notices count too: three more to the same address the same day
        assert outbox.queue_report_notices(get_db(), one_comment(app)["consultation_id"], 1, now=clock.now()) == 3
        assert mail.deliver_due(app) == {"sent": 0, "failed": 0, "skipped": 3}
    clock.advance(hours=25)
    assert _send(client, body="第二天的意见。", contact="victim@example.com", email_receipt="y").status_code == 303
    mail.wait(app)
    _wait_for(inbox, 3)


def test_no_tick_or_no_email_address_sends_nothing(app, client, seeded, inbox):
    assert _send(client, contact=ADDRESS).status_code == 303
    response = _send(client, contact="13912345678", email_receipt="y")
    assert response.status_code == 400 and "请在“联系方式”中填写电子邮箱" in response.get_data(as_text=True)
    mail.wait(app)
    assert _outbox(app) == [] and inbox.messages == []


def test_a_dead_mail_server_never_costs_the_comment(app, client, seeded, clock):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_FROM="noreply@portal.example.cn",
                      MAIL_TIMEOUT=2)
    assert _send(client, contact=ADDRESS, email_receipt="y").status_code == 303
    assert one_comment(app)["receipt_code"] in client.get("/c/seed/thanks").get_data(as_text=True)
    mail.wait(app)
    [item] = _outbox(app)
    assert item["sent_at"] is None and item["attempts"] == 1 and "ConnectionRefused" in item["last_error"]
    with app.app_context():
        assert mail.deliver_due(app)["failed"] == 0  # not due again yet ...
    # ... staff see it on the dashboard ...
    from tests.helpers import login, make_staff
    staff = make_staff(app, "reader1", "reviewer")
    login(client, staff["username"], staff["password"])
    assert "1 封发送失败，将自动重试" in client.get("/staff/c/seed/").get_data(as_text=True)
    # ... and when the server is back, the retry goes out.
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=app.config["MAIL_PORT"])
    controller.start()
    try:
        clock.advance(minutes=2)
        assert mail.deliver_due(app)["sent"] == 1
        _wait_for(handler, 1)
        assert len(handler.messages) == 1 and _outbox(app)[0]["attempts"] == 2
    finally:
        controller.stop()


def test_publication_sends_each_submitter_the_decisions(app, client, seeded, inbox, admin_client):
    assert _send(client, body="建议对海外仓给予租金补贴。", contact=ADDRESS, email_receipt="y").status_code == 303
    assert _send(client, body="建议完善国际物流服务体系。", contact="other@example.com").status_code == 303
    mail.wait(app)
    _wait_for(inbox, 1)
    first = one_comment(app)
    with app.app_context():
        ids = [row["id"] for row in rows(get_db(), "SELECT id FROM comments")]
    for comment_id in ids:
        decide(app, comment=comment_id, category="未采纳", reason="超出本计划调整范围。")
    assert publish(admin_client).status_code == 303
    mail.wait(app)
    _wait_for(inbox, 2)
    assert len(inbox.messages) == 2  # the receipt, then the notice; nothing to the one who did not ask
    notice = inbox.messages[1]
    assert notice["To"] == ADDRESS and "采纳情况反馈已发布" in str(email.header.make_header(
        email.header.decode_header(notice["Subject"])))
    text = notice.get_payload(decode=True).decode("utf-8")
    assert first["receipt_code"] in text and "未采纳" in text and "超出本计划调整范围。" in text
    assert "/c/seed/feedback" in text
    # Publishing again (a new version) sends a new notice; the same version never twice.
    with app.app_context():
        assert rows(get_db(), "SELECT kind, version FROM outbox ORDER BY id") == [
            {"kind": "receipt", "version": 0}, {"kind": "report", "version": 1}]


def one_comment(app) -> dict:
    with app.app_context():
        return one(get_db(), "SELECT * FROM comments ORDER BY id LIMIT 1")


def rows_of_comments(app):
    with app.app_context():
        return rows(get_db(), "SELECT id FROM comments")
