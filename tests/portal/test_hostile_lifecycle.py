"""A hostile tester's and a new user's pass over the pages of issues 9, 10 and 12 (drafts, notice, window, sign-off,
revised draft, archive, jobs, noise, letters split by clause, attachments, multi-clause forms, receipts, mail).

Each test here is a finding that was real when it was written; what was probed and found sound is in the
report of that pass, not repeated as tests (tests/portal/test_hostile_suite.py has the payload sweep)."""

from __future__ import annotations

import email
import html
import re

from comment_portal import mail
from comment_portal.db import get_db, rows, write
from comment_portal.store import comments, draft_versions, noise
from comment_portal.vocabulary import REVISED_MAX
from tests.helpers import ASSOCIATION_LETTER as LETTER
from tests.helpers import (
    CSRF_RE,
    FORM_TOKEN_RE,
    OVERSEAS,
    add_comment,
    comment_data,
    consultation,
    decide,
    make_group,
    post_comment,
    sign_off,
    staff_post,
)
from tests.helpers import MANY_OPINIONS as OPINIONS
from tests.helpers import many_form as _form
from tests.helpers import post_many as _post
from tests.helpers import wait_for_mail as _wait_for

OFFICIAL = "https://yijian.example.gov.cn"


def test_a_forged_host_header_never_puts_its_address_into_official_mail(app, client, seeded, inbox):
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


def test_the_audit_page_of_the_new_steps_reads_in_chinese(app, seeded, admin_client):
    """A 处长 reading 操作记录 after the sign-off, a letter split by clause and a settled noise proposal met
    ``content_hash``, ``noise_review: confirmed``, ``outcome: spam`` and Python dictionaries
    (``{'id': 5, 'clause_key': …}``): every field and value of these steps must be in Chinese."""
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        letter = add_comment(app, "关于海外仓和人才培养的意见，详见各条。")
        parts = comments.split_into_parts(db, c.id, letter, [("3.3.10", "建议对海外仓给予补贴。"),
                                                             (None, "建议加强人才培养。")], staff=None, now=now)
        advert = add_comment(app, "加微信代办营业执照，代开发票，低价出售。")
        with write(db):
            db.execute("UPDATE comments SET noise_reason = 'advert' WHERE id = ?", [advert])
        noise.settle(db, c, [advert], "spam", staff=None, now=now)
    opinion = add_comment(app, OVERSEAS, "3.3.10")
    decide(app, group=make_group(app, [opinion, parts[0].id], key="3.3.10"), category="采纳",
           revised_text="对海外仓给予补贴。")
    decide(app, comment=parts[1].id, category="未采纳", reason="该建议涉及国家层面政策，超出本办法调整范围。")
    assert sign_off(app, correction="")
    page = admin_client.get("/staff/c/seed/audit").get_data(as_text=True)
    table = page[page.index('<table class="data audit">'):page.index("</table>")]
    text = html.unescape(re.sub(r"<[^>]+>", " ", table))
    assert "拆分为多条意见" in text and "处理疑似无效意见" in text and "审核通过采纳情况反馈" in text
    raw = sorted(set(re.findall(r"[a-z]+(?:_[a-z]+)+|\{'|\b(?:spam|confirmed|rejected|advert|none|system)\b", text)))
    assert raw == [], raw


def test_the_page_after_a_submission_does_not_keep_showing_its_receipt(app, client, seeded, clock):
    """The receipt pages are ``no-store`` so that a shared computer (a library, a 政务大厅 kiosk) shows no one's
    receipt, but the page after a submission read the receipt from the session as long as the browser stayed open:
    the next person going back in the history found the code (and with it could withdraw the comment). It is
    shown for a while after the submission; then the page sends to the lookup form."""
    assert post_comment(client).status_code == 303
    with app.app_context():
        code = rows(get_db(), "SELECT receipt_code FROM comments")[0]["receipt_code"]
    assert code in client.get("/c/seed/thanks").get_data(as_text=True)
    assert code in client.get("/c/seed/thanks").get_data(as_text=True)  # a reload still shows it
    clock.advance(minutes=31)
    later = client.get("/c/seed/thanks")
    assert later.status_code == 302 and later.headers["Location"].endswith("/receipt")
    assert code not in later.get_data(as_text=True)


def test_the_multi_clause_form_holds_each_proposal_to_the_one_clause_limit(app, client, seeded):
    """The one-clause form refuses a 建议修改为 over REVISED_MAX characters; the multi-clause form stored any length
    (a text field may be 512 KiB, the body 30 MB): one anonymous post of a 150,000-character proposal took 4 s of
    differencing in the request and stored it whole, and the form has a box for every clause."""
    text = "建议修改为：" + "跨境电商企业" * 700  # 4,206 characters
    data = _form(client) | {"body-3.4.14": OPINIONS["3.4.14"], "proposal-3.3.12": text}
    response = _post(client, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"建议修改的表述不超过{REVISED_MAX}字。" in page and OPINIONS["3.4.14"] in page  # what was typed is kept
    with app.app_context():
        assert rows(get_db(), "SELECT id FROM comments") == []
    ok = _form(client) | {"proposal-3.3.12": text[:REVISED_MAX]}
    assert _post(client, ok).status_code == 303


def test_a_letter_others_duplicate_is_not_split_from_under_them(app, seeded, reviewer_client):
    """A comment that others are marked duplicates of must keep counting (a status change that would drop it is
    refused). 按条款拆分 did drop it: the letter became ``split`` (never counted or decided) while its copies still
    pointed at it, so their opinion was in no count and their receipts could never show a decision."""
    letter = add_comment(app, LETTER, channel="letter", name="天津市跨境电子商务协会", submitter_type="社会组织")
    copy = add_comment(app, LETTER + "\n（同上）", channel="letter", name="某会员企业", submitter_type="企业")
    with app.app_context():
        comments.set_status(get_db(), consultation(app).id, copy, "duplicate", duplicate_of=letter, staff=None,
                            now=app.extensions["clock"].now())
    url = f"/staff/c/seed/comments/{letter}"
    response = staff_post(reviewer_client, f"{url}/parts", form_url=url, follow_redirects=True)
    assert "有 1 条意见被标为与本条重复" in response.get_data(as_text=True)
    with app.app_context():
        stored = rows(get_db(), "SELECT id, status, duplicate_of FROM comments ORDER BY id")
    assert stored == [{"id": letter, "status": "pending", "duplicate_of": None},
                      {"id": copy, "status": "duplicate", "duplicate_of": letter}]


def test_a_bots_multi_clause_post_is_kept_whole_as_spam(app, client, seeded):
    """A post with the honeypot field filled is a bot's: the one-clause form keeps it as spam, and a position paper
    is not split for it. On the multi-clause form the container became ``split`` and each box a ``pending``
    opinion: a bot's opinions were counted on the public page and in the report, and sat in triage."""
    data = _form(client) | {f"body-{key}": text for key, text in OPINIONS.items()} | {"website": "http://spam.example"}
    assert _post(client, data).status_code == 303
    with app.app_context():
        stored = rows(get_db(), "SELECT status, part_of FROM comments")
    assert stored == [{"status": "spam", "part_of": None}]


def test_the_audit_row_of_a_revised_draft_reads_in_chinese(app, seeded, admin_client):
    """上传修改后的草案 was recorded as changed / added / removed / moved / removed_with_comments."""
    from draft import SEED_PATH

    revised = SEED_PATH.read_text(encoding="utf-8").replace("海外仓", "海外仓库", 1).encode("utf-8")
    with app.app_context():
        draft_versions.upload(get_db(), consultation(app), revised, "送审稿.txt", staff=None,
                              now=app.extensions["clock"].now())
    page = admin_client.get("/staff/c/seed/audit").get_data(as_text=True)
    [row] = [r for r in page.split("<tr>") if "上传修改后的草案" in r]
    text = html.unescape(re.sub(r"<[^>]+>", " ", row))
    assert "修改的条款数" in text
    assert re.findall(r"[A-Za-z_]{4,}", text) == []
