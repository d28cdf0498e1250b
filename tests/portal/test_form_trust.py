"""A hostile tester and a new user at the public comment forms (session 8): what they typed must be kept, and
personal data they typed must not reach anyone else. The tests of each fix fail on the code before it, beside tests
of what must not change (real markup still removed, an untouched closed form); the strict xfails are failures found
and not fixed here (the owner is named in each reason)."""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db, rows
from tests.helpers import (
    CSRF_RE,
    OVERSEAS,
    beijing,
    comment_data,
    decide,
    form_tokens,
    make_group,
    post_comment,
    public_outputs,
    publish,
)


def rows_of(app, sql: str) -> list[dict]:
    with app.app_context():
        return rows(get_db(), sql)


def stored_bodies(app) -> list[str]:
    return [r["body"] for r in rows_of(app, "SELECT body FROM comments ORDER BY id")]


# -- angle brackets a citizen types are text, not markup ------------------------------------------------------

#: (typed, words that must all survive): comparisons, platform names in brackets, an address in brackets, a tag
#: left open. The HTML parser the sanitiser runs read each ``<`` + letter as a tag and dropped it with its words.
BRACKETED = [
    ("建议当月交易额 a<b 且 c>d 时给予补贴，具体标准另定。", ["a", "b 且 c", "d 时给予补贴"]),
    ("建议将 <Temu> 和 <SHEIN> 等平台的卖家纳入支持范围。", ["Temu", "和", "SHEIN", "等平台"]),
    ("如有疑问请联系 <wang.jianguo@example.com> ，建议简化备案流程。", ["wang.jianguo@example.com", "建议简化备案流程"]),
    ("单笔额度<USD 5000 的跨境电商零售进口应简化申报手续。", ["USD 5000", "应简化申报手续"]),
    ("建议第十二条中 if x<y then 的计算口径写清楚，避免误解。", ["x", "y then", "避免误解"]),
    ("建议补充<div 数据共享>平台的建设内容，明确牵头单位。", ["div 数据共享", "平台的建设内容"]),
]


@pytest.mark.parametrize("typed, words", BRACKETED, ids=[f"case{i}" for i in range(len(BRACKETED))])
def test_angle_brackets_that_are_not_markup_keep_their_words(app, client, seeded, typed, words):
    assert post_comment(client, body=typed).status_code == 303
    (body,) = stored_bodies(app)
    assert all(word in body for word in words), body
    assert not re.search(r"<[A-Za-z/!?]", body), body  # nothing a browser or Markdown viewer reads as a tag
    page = client.get("/c/seed/thanks").get_data(as_text=True)
    assert words[-1] in page and "<Temu>" not in page and "<SHEIN>" not in page


@pytest.mark.parametrize("typed, kept", [
    ("<b>粗体</b>意见很重要，请采纳", "粗体意见很重要，请采纳"),
    ('<img src=x onerror="alert(1)">建议补贴海外仓', "建议补贴海外仓"),
    ("<script>alert(1)</script>建议补贴海外仓", "建议补贴海外仓"),
    ("<scr<script>ipt>alert(1)</script>建议补贴海外仓", "＜scr"),
])
def test_real_markup_is_still_removed(app, client, seeded, typed, kept):
    post_comment(client, body=typed)
    bodies = stored_bodies(app)
    assert not bodies or (kept in bodies[0] and "alert" not in bodies[0] and "<" not in bodies[0])


# -- the window closes while the form is open ----------------------------------------------------------------

LONG = "建议对跨境电商海外仓建设给予分档补贴：自建海外仓按投资额的10%补贴，租赁海外仓按租金的20%补贴，" * 5


def test_a_comment_posted_just_after_the_window_closed_is_shown_back(app, client, seeded, clock):
    """A citizen opens the form at 23:40 on the last day and sends a long comment at 00:05: nothing is stored
    (the window is closed), and the page says so and gives back every word, so nothing is lost."""
    clock.set(beijing(2024, 10, 10, 23, 40))
    url = "/c/seed/comment/3.3.10"
    tokens = form_tokens(client, url)
    clock.set(beijing(2024, 10, 11, 0, 5))
    response = client.post(url, data=comment_data(*tokens, body=LONG, proposal="自建和租赁的海外仓均可申请补贴。"))
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "已截止" in page
    assert LONG.strip() in page and "自建和租赁的海外仓均可申请补贴。" in page
    assert "没有保存" in page
    assert stored_bodies(app) == []


def test_the_multi_clause_form_after_closing_gives_back_each_box(app, client, seeded, clock):
    clock.set(beijing(2024, 10, 10, 23, 50))
    tokens = form_tokens(client, "/c/seed/comment-many")
    clock.set(beijing(2024, 10, 11, 0, 1))
    data = comment_data(*tokens, body="")
    data.update({"body-whole": "整体上建议增加量化考核指标，便于评估。", "body-3.3.10": LONG})
    response = client.post("/c/seed/comment-many", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "整体上建议增加量化考核指标，便于评估。" in page and LONG.strip() in page
    assert stored_bodies(app) == []


def test_a_closed_form_that_carried_nothing_shows_no_empty_box(client, seeded, clock):
    clock.set(beijing(2024, 10, 10, 23, 50))
    url = "/c/seed/comment/3.3.10"
    tokens = form_tokens(client, url)
    clock.set(beijing(2024, 10, 11, 0, 1))
    page = client.post(url, data=comment_data(*tokens, body="")).get_data(as_text=True)  # 建议修改为 left pre-filled
    assert "已截止" in page and "您填写的内容" not in page


# -- personal data typed inside the comment ------------------------------------------------------------------

def test_a_home_address_typed_in_the_comment_is_masked_on_the_receipt(app, client, seeded):
    post_comment(client, body="我叫王建国，住在河西区友谊路35号3门401，建议在社区设立跨境电商服务站。", name="王建国")
    page = client.get("/c/seed/thanks").get_data(as_text=True)
    assert "建议在社区设立跨境电商服务站" in page
    assert "友谊路35号" not in page and "3门401" not in page


def test_a_contact_person_inside_a_published_organisation_name_is_masked(app, client, seeded, admin_client):
    post_comment(client, key="3.1", body=OVERSEAS, submitter_type="企业", name="天津某某跨境电商有限公司 联系人王建国 13902211234",
                 publish_organisation="y")
    gid = make_group(app, [1], key="3.1", title="海外仓建设", summary="建议加大对海外仓建设的资金支持。")
    decide(app, group=gid, category="采纳")
    assert publish(admin_client, identity="masked").status_code == 303
    for where, text in public_outputs(client).items():
        assert "天津某某跨境电商有限公司" in text and "13902211234" not in text, where
        assert "王建国" not in text, where


# -- a form page served to someone else --------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/c/seed/comment", "/c/seed/comment/3.3.10", "/c/seed/comment-many"])
def test_comment_form_pages_are_never_stored_by_a_cache(client, seeded, url):
    assert client.get(url).headers.get("Cache-Control") == "no-store"
    assert post_comment(client, body="太短").headers.get("Cache-Control") == "no-store"  # given back with the text


def test_someone_else_holding_a_sent_form_never_learns_its_receipt_code(app, seeded):
    """A's form page reaches B (a shared cache, a kiosk's history) with A's form token. B's post fails the CSRF
    check and comes back with that token; B sends again, the token is taken: B's words are kept and offered a fresh
    form, but the page must not hand B the code that views, and withdraws, A's comment."""
    a, b = app.test_client(), app.test_client()
    a.environ_base["REMOTE_ADDR"], b.environ_base["REMOTE_ADDR"] = "10.7.0.1", "10.7.0.2"
    csrf, token = form_tokens(a, "/c/seed/comment")
    assert a.post("/c/seed/comment", data=comment_data(csrf, token, body="甲的意见：建议简化跨境电商备案流程。")).status_code == 303
    code = rows_of(app, "SELECT receipt_code FROM comments")[0]["receipt_code"]
    b.get("/c/seed")  # B's own session
    first = b.post("/c/seed/comment", data=comment_data(csrf, token, body="乙的意见：建议增加海外仓补贴。"))
    assert first.status_code == 400
    again = b.post("/c/seed/comment", data=comment_data(CSRF_RE.search(first.get_data(as_text=True)).group(1), token,
                                                         body="乙的意见：建议增加海外仓补贴。"))
    page = again.get_data(as_text=True)
    assert again.status_code == 409 and "乙的意见：建议增加海外仓补贴。" in page
    assert code not in page and code[-4:] in page


# -- the receipt mail as a way to send the office's mail to anyone ------------------------------------------------

def test_a_receipt_mail_carries_no_link_its_sender_typed(app, client, seeded, inbox):
    from comment_portal import mail
    from tests.helpers import wait_for_mail

    lure = "您的跨境电商补贴已到账，请登录 http://tj-swj-gov.example/refund 领取，逾期作废。"
    url = "/c/seed/comment/3.4.14"
    response = client.post(url, data=comment_data(*form_tokens(client, url), body=lure, contact="victim@example.com",
                                                  email_receipt="y"))
    assert response.status_code == 303
    mail.wait(app)
    wait_for_mail(inbox, 1)
    (message,) = inbox.messages
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert message["To"] == "victim@example.com"
    assert "tj-swj-gov.example" not in plain
