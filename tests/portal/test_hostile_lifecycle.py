"""A hostile tester's and a new user's pass over the pages of issues 9, 10 and 12 (drafts, notice, window, sign-off,
revised draft, archive, jobs, noise, letters split by clause, attachments, multi-clause forms, receipts, mail).

Each test here is a finding that was real when it was written; what was probed and found sound is in the
report of that pass, not repeated as tests (tests/portal/test_hostile_suite.py has the payload sweep)."""

from __future__ import annotations

import email

from comment_portal import mail
from comment_portal.db import get_db, rows
from tests.helpers import CSRF_RE, FORM_TOKEN_RE, comment_data, staff_post
from tests.portal.test_multi_clause import OPINIONS, _form, _post
from tests.portal.test_receipt_mail import _wait_for, inbox  # noqa: F401 (a fixture)

OFFICIAL = "https://yijian.example.gov.cn"


def test_a_forged_host_header_never_puts_its_address_into_official_mail(app, client, seeded, inbox):  # noqa: F811
    """Anyone could post a comment with a victim's e-mail and ``Host: evil.example`` (nginx passes ``$host`` on, as
    docs/deploy.md sets it up): the office's own mail server then sent the victim a receipt whose lookup link
    pointed at the attacker's site. With ``PUBLIC_URL`` set, mail links use it, whatever the request said."""
    app.config["PUBLIC_URL"] = OFFICIAL
    url, forged = "/c/seed/comment/3.4.14", "http://evil.example"
    page = client.get(url, base_url=forged).get_data(as_text=True)
    data = comment_data(CSRF_RE.search(page).group(1), FORM_TOKEN_RE.search(page).group(1),
                        contact="victim@example.com", email_receipt="y")
    assert client.post(url, data=data, base_url=forged).status_code == 303
    mail.wait(app)
    _wait_for(inbox, 1)
    [message] = inbox.messages
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    text = plain.get_payload(decode=True).decode("utf-8")
    assert "evil.example" not in text
    assert f"{OFFICIAL}/receipt" in text
    assert isinstance(message, email.message.Message)


def test_erasing_a_submitters_data_covers_every_part_of_their_submission(app, client, seeded, admin_client):
    """A multi-clause submission is one container (its receipt) and one part per clause, each part a copy of the
    name and contact. Erasing on request (个人信息保护法) from the container's page blanked the container only:
    the name, the phone number and the unmasked text stayed in every part (the opinions staff work with,
    export with contact details and archive). Withdrawing takes the parts along; erasing must too."""
    phone = "13912345678"
    data = _form(client) | {"submitter_type": "个人", "name": "张三", "contact": phone}
    data |= {f"body-{key}": f"{text}我的电话{phone}。" for key, text in OPINIONS.items()}
    assert _post(client, data).status_code == 303
    with app.app_context():
        container = rows(get_db(), "SELECT id FROM comments ORDER BY id")[0]
    url = f"/staff/c/seed/comments/{container['id']}/erase"
    response = staff_post(admin_client, url, {"reason": "提出人来电申请删除，已核实身份。", "confirm": "y"}, form_url=url)
    assert response.status_code == 303
    with app.app_context():
        stored = rows(get_db(), "SELECT id, name, contact, body, erased_at FROM comments ORDER BY id")
    assert len(stored) == 1 + len(OPINIONS)
    for row in stored:
        assert row["name"] is None and row["contact"] is None and row["erased_at"], row["id"]
        assert phone not in row["body"], row["id"]
