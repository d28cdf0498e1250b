"""A 电商处 reviewer writes a careful 未采纳 reason or a note for forty minutes and presses 保存: the login had
ended after 30 idle minutes, and the post was answered with a redirect to the login page — the text gone (an
expired page, a CSRF failure, likewise). Now the login page (or the error page) shows every text box the post
carried, and logging in returns to the page it came from (session 8, new user and hostile tester of the forms)."""

from __future__ import annotations

import re

from comment_portal.db import get_db, one
from tests.helpers import CSRF_RE, TALENT, add_comment, login, make_group, staff_post

REASON = ("经研究，该建议涉及的人才培养补贴已在《天津市促进跨境电商发展若干措施》第五条中作出规定，"
          "本计划不再重复表述；我们将在实施细则中进一步明确申报条件和办理流程。")


def _note(app, cid: int) -> str | None:
    with app.app_context():
        return one(get_db(), "SELECT staff_note FROM comments WHERE id = ?", [cid])["staff_note"]


def _page_token(client, url: str) -> str:
    return CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)


def test_a_note_posted_after_the_login_ended_is_shown_back_with_the_login(app, seeded, reviewer_client, clock):
    cid = add_comment(app, TALENT)
    url = f"/staff/c/seed/comments/{cid}"
    token = _page_token(reviewer_client, url)
    clock.advance(minutes=40)  # writing
    response = reviewer_client.post(url + "/note", data={"csrf_token": token, "note": REASON},
                                    headers={"Referer": f"http://localhost{url}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 401 and "登录已过期" in page
    assert REASON in page and "备注" in page and "没有保存" in page
    assert _note(app, cid) is None  # nothing was saved without a login

    action = re.search(r'<form method="post" class="narrow" action="([^"]+)"', page).group(1).replace("&amp;", "&")
    login_token = CSRF_RE.search(page).group(1)
    back = reviewer_client.post(action, data={"csrf_token": login_token, "username": "reviewer1",
                                              "password": "Review-pass-2024"})
    assert back.status_code == 302 and back.headers["Location"].endswith(url)


def test_a_reason_with_an_expired_page_is_shown_back(app, seeded, reviewer_client):
    cid = add_comment(app, TALENT)
    response = reviewer_client.post(f"/staff/c/seed/comments/{cid}/decision",
                                    data={"csrf_token": "expired-token", "category": "未采纳", "reason": REASON})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "安全校验未通过" in page
    assert REASON in page and "理由" in page and "未采纳" not in page.split("您填写的内容")[1]  # a choice is no text


def test_a_password_is_never_shown_back(app, seeded, clock):
    client = app.test_client()
    from tests.helpers import make_staff

    make_staff(app, "jingban", "reviewer", "Right-pass-2024")
    assert login(client, "jingban", "Right-pass-2024").status_code == 302
    token = _page_token(client, "/staff/password")
    clock.advance(minutes=40)
    page = client.post("/staff/password", data={"csrf_token": token, "current": "Right-pass-2024",
                                                "new": "Brand-new-pass-2025", "confirm": "Brand-new-pass-2025"}
                       ).get_data(as_text=True)
    assert "登录已过期" in page
    assert "Right-pass-2024" not in page and "Brand-new-pass-2025" not in page and "您填写的内容" not in page


def test_a_get_after_the_login_ended_still_goes_to_the_login(app, seeded, reviewer_client, clock):
    clock.advance(minutes=40)
    response = reviewer_client.get("/staff/c/seed/queue")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]


# -- a staff form within its own limits is over the request cap ----------------------------------------------------

def test_a_notice_and_an_explanation_of_4000_characters_each_are_saved(app, seeded, admin_client):
    """Both within NOTICE_MAX (5,000), but urlencoded (9 bytes a character) 72 KB: the 64 KiB cap answered 413."""
    url = "/staff/c/seed/notice"
    announcement, background = "根据工作安排，现将征求意见稿公开。" * 235, "起草过程中，我们对本市跨境电商企业开展了调研。" * 174
    assert 3900 < len(announcement) <= 5000 and 3900 < len(background) <= 5000
    response = staff_post(admin_client, url, {"title": "关于公开征求意见的公告", "announcement": announcement,
                                              "background": background, "contact": "", "email": "",
                                              "postal_address": "", "postcode": ""}, form_url=url)
    assert response.status_code in (302, 303), response.status_code
    with app.app_context():
        row = one(get_db(), "SELECT announcement, background FROM consultations WHERE slug = 'seed'")
    assert row["announcement"] == announcement and row["background"] == background


def test_a_group_saved_at_its_limits_is_saved(app, seeded, reviewer_client):
    gid = make_group(app, [add_comment(app, TALENT, "3.4.16")], key="3.4.16", title="人才培养", summary="")
    url = f"/staff/c/seed/groups/{gid}"
    summary, reason = "建议支持高校与企业共建跨境电商实训基地。" * 250, "该建议属于具体操作层面的内容。" * 133
    revised = "支持高校开设跨境电商专业方向，" * 266
    response = staff_post(reviewer_client, url + "/update", {
        "title": "人才培养", "summary": summary[:5000], f"g{gid}-action": "save", f"g{gid}-category": "部分采纳",
        f"g{gid}-reason": reason[:2000], f"g{gid}-revised_text": revised[:4000]}, form_url=url)
    assert response.status_code == 303, response.status_code
    with app.app_context():
        assert one(get_db(), "SELECT summary FROM groups WHERE id = ?", [gid])["summary"] == summary[:5000]


def test_a_large_post_without_a_staff_login_is_not_read(app, seeded, client):
    token = CSRF_RE.search(client.get("/staff/login").get_data(as_text=True)).group(1)
    response = client.post("/staff/c/seed/notice", data={"csrf_token": token, "background": "背" * 8000})
    assert response.status_code == 413
