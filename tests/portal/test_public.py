"""Public pages: list, draft page, comment form, receipt."""

from __future__ import annotations

import re

from comment_portal.db import get_db, one, scalar
from comment_portal.store import comments as comment_q
from tests.helpers import comment_data, csrf_token, post_comment


def item12_key(seed_draft) -> str:
    return next(c.key for c in seed_draft.walk() if c.heading == "创新外汇管理服务")


def test_index_lists_consultation_with_status_and_counts(client, seeded):
    post_comment(client)
    page = client.get("/").get_data(as_text=True)
    assert "天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)" in page
    assert "征求意见中" in page
    assert "2024年9月25日至10月10日" in page
    assert "已收到意见 1 条" in page


def test_index_empty(client):
    assert "目前没有征求意见稿" in client.get("/").get_data(as_text=True)


def test_draft_page_shows_notice_toc_and_every_clause(client, seeded, seed_draft):
    response = client.get("/c/seed")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers  # no per-visitor state: the page can be cached
    page = response.get_data(as_text=True)
    assert "电商处" in page and "022-63085581" in page
    assert "还剩9天" in page
    assert 'name="csrf_token"' not in page
    for clause in seed_draft.walk():
        assert f'id="clause-{clause.key}"' in page
        assert f'href="#clause-{clause.key}"' in page  # in the table of contents
        if clause.heading:
            assert clause.heading in page
    assert page.count(">对此条提意见<span") == sum(1 for _ in seed_draft.walk())
    assert "/c/seed/comment\"" in page  # 对整体提意见
    assert "为深入贯彻落实" in page  # preamble


def test_draft_page_counts_update_after_comment(client, seeded, seed_draft):
    key = item12_key(seed_draft)
    before = client.get("/c/seed").get_data(as_text=True)
    assert post_comment(client, key=key).status_code == 303
    after = client.get("/c/seed").get_data(as_text=True)
    assert before != after
    section = after.split(f'id="clause-{key}"', 1)[1]
    assert "意见 1 条" in section.split("</section>", 1)[0]


def test_unknown_consultation_and_clause_404(client, seeded):
    assert client.get("/c/nope").status_code == 404
    assert client.get("/c/seed/comment/99.99").status_code == 404
    assert "页面不存在" in client.get("/c/nope").get_data(as_text=True)


def test_comment_on_clause_commits_then_shows_receipt(app, client, seeded, seed_draft):
    key = item12_key(seed_draft)
    response = post_comment(client, key=key, body="建议将小微跨境电商企业免于名录登记的金额门槛提高到50万美元。",
                            submitter_type="企业", name="天津某某贸易有限公司", contact="022-12345678")
    assert response.status_code == 303
    # Committed before the receipt page is requested: a fresh connection already sees it.
    from comment_portal.db import open_database

    other = open_database(app.config["DATABASE"])
    row = other.execute("SELECT clause_key, body, submitter_type, name, contact, receipt_code, status, tokens "
                        "FROM comments").fetchone()
    other.close()
    assert row[0] == key and row[2] == "企业" and row[3] == "天津某某贸易有限公司" and row[4] == "022-12345678"
    assert row[6] == "pending"
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert row[5] in receipt
    assert "创新外汇管理服务" in receipt
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", row[5])


def test_comment_on_whole_draft(app, client, seeded):
    assert post_comment(client).status_code == 303
    with app.app_context():
        assert one(get_db(), "SELECT clause_key FROM comments")["clause_key"] is None


def test_receipt_lookup(client, seeded):
    response = post_comment(client, key=None)
    code = re.search(r'id="receipt-code">([^<]+)<', client.get(response.headers["Location"]).get_data(as_text=True))[1]
    token = csrf_token(client, "/receipt")
    found = client.post("/receipt", data={"csrf_token": token, "code": code.lower().replace("-", " ")})
    text = found.get_data(as_text=True)
    assert found.status_code == 200
    assert "已收到，待处理" in text and "对征求意见稿整体" in text and code in text
    missing = client.post("/receipt", data={"csrf_token": token, "code": "ZZZZ-ZZZZ-ZZZZ"})
    assert missing.status_code == 404 and "未找到" in missing.get_data(as_text=True)
    bad = client.post("/receipt", data={"csrf_token": token, "code": "0000-1111"})
    assert "格式不正确" in bad.get_data(as_text=True)


def test_receipt_codes_are_unguessable_and_distinct():
    codes = {comment_q.new_receipt_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(set(c.replace("-", "")) <= set(comment_q.RECEIPT_ALPHABET) for c in codes)
    assert len(comment_q.RECEIPT_ALPHABET) == 32 and not set("01OI") & set(comment_q.RECEIPT_ALPHABET)
    assert comment_q.RECEIPT_GROUPS * comment_q.RECEIPT_GROUP_LEN * 5 >= 40


def _errors_page(client, **fields):
    response = post_comment(client, **fields)
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_validation_errors_in_chinese_keep_what_was_typed(app, client, seeded):
    page = _errors_page(client, body="短", name="张三", contact="not-a-phone", consent="")
    assert "意见内容需在5至5000字之间" in page
    assert "请填写有效的手机号" in page
    assert "勾选同意" in page
    assert re.search(r">\s*短</textarea>", page)
    assert 'value="张三"' in page and 'value="not-a-phone"' in page
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 0


def test_empty_and_too_long_bodies(client, seeded):
    assert "请填写意见内容" in _errors_page(client, body="   \n  ")
    assert "当前5001字" in _errors_page(client, body="意" * 5001)
    assert "请填写意见内容" in _errors_page(client, body="<b></b><script>x</script>")


def test_body_length_counted_after_trimming(client, seeded):
    assert _errors_page(client, body="   四个字啊   ")  # 4 characters after trimming: too short
    assert post_comment(client, body="   五个字正好   ").status_code == 303


def test_control_characters_are_removed_not_stored(app, client, seeded):
    assert post_comment(client, body="建议\x00明确\x07标准\u200b和流程。\n第二段。").status_code == 303
    with app.app_context():
        assert one(get_db(), "SELECT body FROM comments")["body"] == "建议明确标准和流程。\n第二段。"


def test_valid_contacts_accepted(client, seeded):
    for contact in ["13812345678", "+86 138-1234-5678", "022-63085581", "(022)63085581", "a.b@example.com.cn"]:
        assert post_comment(client, contact=contact, body=f"关于联系方式{contact}的测试意见。").status_code == 303


def test_submitter_type_must_be_known(client, seeded):
    page = _errors_page(client, submitter_type="外星人")
    assert "请从列出的身份中选择一项" in page
    assert "Not a valid choice" not in page


def test_max_content_length(client, seeded):
    token = csrf_token(client, "/c/seed/comment")
    response = client.post("/c/seed/comment", data=comment_data(token, body="意" * 40000))
    assert response.status_code == 413
    assert "提交内容过大" in response.get_data(as_text=True)


def test_draft_page_counts_follow_staff_clause_changes(app, client, seeded):
    """The page is cached per state; moving a comment to another clause is a change of state."""
    from comment_portal import store

    assert post_comment(client, key="3.3.10").status_code == 303

    def count_on(page: str, key: str) -> str:
        return re.search(r"意见 (\d+) 条", page.split(f'id="clause-{key}"', 1)[1]).group(1)

    page = client.get("/c/seed").get_data(as_text=True)
    assert count_on(page, "3.3.10") == "1" and count_on(page, "3.3.9") == "0"
    with app.app_context():
        db = get_db()
        comment_id = one(db, "SELECT id FROM comments")["id"]
        store.comments.set_clause(db, 1, comment_id, "3.3.9", staff=None, now=app.extensions["clock"].now())
    page = client.get("/c/seed").get_data(as_text=True)
    assert count_on(page, "3.3.10") == "0" and count_on(page, "3.3.9") == "1"
