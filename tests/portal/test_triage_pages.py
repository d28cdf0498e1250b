"""Staff triage pages: queue filters and counts, comment status/note/clause/group, groups, entering and importing."""

from __future__ import annotations

import io
import json
import re

import pytest

import analysis
from comment_portal.db import get_db, rows
from tests.helpers import (
    FOREX,
    OVERSEAS,
    TALENT,
    add_comment,
    audit_rows,
    beijing,
    comment,
    csrf_token,
    group,
    login,
    run_analysis,
    seed_comments,
    staff_post,
)


def _count(app, sql: str, params=()) -> int:
    with app.app_context():
        return rows(get_db(), sql, params)[0]["n"]


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- the queue ---------------------------------------------------------------------------------------------


def test_queue_filters_and_counts(app, seeded, reviewer_client):
    ids = seed_comments(app)
    add_comment(app, "点击链接领取大奖，加微信号", status="spam")
    letter = add_comment(app, "来信：建议对跨境电商企业参加境外展会给予补贴。", "3.2.7", channel="letter", submitter_type="企业",
                         name="天津某某贸易有限公司")
    page = _text(reviewer_client.get("/staff/c/seed/queue"))
    assert "共 21 条符合条件" in page
    assert re.search(r"无效（1）", page) and re.search(r"待处理（20）", page)
    assert "信函（1）" in page and "企业（1）" in page
    # Each row shows its clause beside the text.
    assert re.search(r'queue-clause">10\.提升通关便利化水平</td>', page)
    assert 'queue-clause">整体</td>' in page

    by_clause = _text(reviewer_client.get("/staff/c/seed/queue?clause=3.3.10"))
    assert "共 3 条符合条件" in by_clause and OVERSEAS[:20] in by_clause and TALENT[:20] not in by_clause
    whole = _text(reviewer_client.get("/staff/c/seed/queue?clause=__whole__"))
    assert "共 16 条符合条件" in whole  # 12 campaign copies, 2 talent, forex, spam
    spam = _text(reviewer_client.get("/staff/c/seed/queue?status=spam"))
    assert "共 1 条符合条件" in spam
    channel = _text(reviewer_client.get("/staff/c/seed/queue?channel=letter&type=企业"))
    assert "共 1 条符合条件" in channel and f">{letter}</a>" in channel
    search = _text(reviewer_client.get("/staff/c/seed/queue?q=外汇"))
    assert "共 1 条符合条件" in search and FOREX[:20] in search
    # Facet counts take the other filters into account: within clause 3.3.10 all three are pending.
    assert "待处理（3）" in by_clause
    # Hostile input in the search box is escaped, and LIKE wildcards are literal.
    assert "共 0 条符合条件" in _text(reviewer_client.get("/staff/c/seed/queue?q=%25"))
    assert "<script>" not in _text(reviewer_client.get("/staff/c/seed/queue?q=<script>"))
    assert ids


def test_queue_group_and_new_filters_and_pagination(app, seeded, reviewer_client):
    ids = seed_comments(app)
    run_analysis(app)
    campaign_group = comment(app, ids["campaign"][0])["group_id"]
    page = _text(reviewer_client.get(f"/staff/c/seed/queue?group={campaign_group}"))
    assert "共 12 条符合条件" in page
    assert "共 0 条符合条件" in _text(reviewer_client.get("/staff/c/seed/queue?new=1"))
    late = add_comment(app, "新来的意见：建议延长征求意见时间，便于企业充分研究。")
    page = _text(reviewer_client.get("/staff/c/seed/queue?new=1"))
    assert "共 1 条符合条件" in page and 'badge-new">新' in page and f">{late}</a>" in page
    for i in range(45):
        add_comment(app, f"第{i}条测试意见：建议进一步明确相关支持政策的申报条件。")
    first = _text(reviewer_client.get("/staff/c/seed/queue"))
    assert "第 1 / 2 页" in first and "下一页" in first
    second = _text(reviewer_client.get("/staff/c/seed/queue?page=2"))
    assert "第 2 / 2 页" in second and "上一页" in second


# --- one comment -------------------------------------------------------------------------------------------


def test_comment_page_shows_clause_text_submitter_and_suggestions(app, seeded, reviewer_client):
    cid = add_comment(app, "海外仓补贴标准要明确，建议支持企业租赁海外仓。", "3.3.10", name="王某某", contact="13812345678")
    page = _text(reviewer_client.get(f"/staff/c/seed/comments/{cid}"))
    assert "条款原文" in page and "海外仓" in page
    assert "王某某" in page and "13812345678" not in page  # contact details are for admins only ...
    assert "已填写" in page  # ... reviewers see that there are some
    assert "系统建议的条款" in page and "（3.3.10）" in page
    assert re.search(r"<code>[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}</code>", page)
    assert reviewer_client.get("/staff/c/seed/comments/9999").status_code == 404


def test_status_changes_never_delete_and_are_audited(app, seeded, reviewer_client):
    first = add_comment(app, OVERSEAS, "3.3.10")
    second = add_comment(app, OVERSEAS + "（重复提交）", "3.3.10")
    url = f"/staff/c/seed/comments/{second}"
    response = staff_post(reviewer_client, url + "/status", {"status": "spam"}, form_url=url)
    assert response.status_code == 303
    assert comment(app, second)["status"] == "spam"
    # Duplicate needs the original's number, which must exist and not be itself.
    bad = staff_post(reviewer_client, url + "/status", {"status": "duplicate"}, form_url=url)
    assert bad.status_code == 400 and "请填写与之重复的意见编号" in _text(bad)
    self_dup = staff_post(reviewer_client, url + "/status", {"status": "duplicate", "duplicate_of": str(second)}, form_url=url)
    assert self_dup.status_code == 400 and "不能标为与自己重复" in _text(self_dup)
    missing = staff_post(reviewer_client, url + "/status", {"status": "duplicate", "duplicate_of": "999"}, form_url=url)
    assert missing.status_code == 400 and "没有编号为 999 的意见" in _text(missing)
    ok = staff_post(reviewer_client, url + "/status", {"status": "duplicate", "duplicate_of": str(first)}, form_url=url)
    assert ok.status_code == 303
    row = comment(app, second)
    assert row["status"] == "duplicate" and row["duplicate_of"] == first
    staff_post(reviewer_client, url + "/status", {"status": "pending"}, form_url=url)
    row = comment(app, second)
    assert row["status"] == "pending" and row["duplicate_of"] is None
    assert _count(app, "SELECT count(*) AS n FROM comments") == 2
    entries = audit_rows(app, "comment.status")
    assert [(e["before"]["status"], e["after"]["status"]) for e in entries] == [
        ("pending", "spam"), ("spam", "duplicate"), ("duplicate", "pending")]
    assert entries[1]["after"]["duplicate_of"] == first and entries[0]["actor"] == "reviewer1"


def test_restore_goes_back_to_grouped(app, seeded, reviewer_client):
    ids = seed_comments(app)
    run_analysis(app)
    target = ids["talent"][0]
    url = f"/staff/c/seed/comments/{target}"
    staff_post(reviewer_client, url + "/status", {"status": "spam"}, form_url=url)
    staff_post(reviewer_client, url + "/status", {"status": "pending"}, form_url=url)
    assert comment(app, target)["status"] == "grouped"


def test_private_note_is_saved_and_audited(app, seeded, reviewer_client):
    cid = add_comment(app, TALENT)
    url = f"/staff/c/seed/comments/{cid}"
    response = staff_post(reviewer_client, url + "/note", {"note": "已电话联系提交人<b>核实</b>"}, form_url=url)
    assert response.status_code == 303
    assert comment(app, cid)["staff_note"] == "已电话联系提交人核实"
    (entry,) = audit_rows(app, "comment.note")
    assert entry["before"] == {"staff_note": None} and entry["after"] == {"staff_note": "已电话联系提交人核实"}
    assert "已电话联系提交人核实" in _text(reviewer_client.get(url))
    audit_page = _text(reviewer_client.get("/staff/c/seed/audit"))
    assert "内部备注" in audit_page and "reviewer1" in audit_page
    # The note never shows on the public receipt page.
    receipt = comment(app, cid)["receipt_code"]
    assert "核实" not in _text(app.test_client().get(f"/receipt?code={receipt}"))


def test_fix_clause(app, seeded, reviewer_client):
    cid = add_comment(app, "第10项的出口海外仓业务应当覆盖租赁的海外仓。")
    url = f"/staff/c/seed/comments/{cid}"
    assert staff_post(reviewer_client, url + "/clause", {"clause": "3.3.10"}, form_url=url).status_code == 303
    assert comment(app, cid)["clause_key"] == "3.3.10"
    assert staff_post(reviewer_client, url + "/clause", {"clause": "nope"}, form_url=url).status_code == 400
    assert staff_post(reviewer_client, url + "/clause", {"clause": "__whole__"}, form_url=url).status_code == 303
    assert comment(app, cid)["clause_key"] is None
    entries = audit_rows(app, "comment.clause")
    assert [(e["before"]["clause_key"], e["after"]["clause_key"]) for e in entries] == [(None, "3.3.10"), ("3.3.10", None)]


# --- groups ------------------------------------------------------------------------------------------------


@pytest.fixture
def analysed(app, seeded):
    ids = seed_comments(app)
    run_analysis(app)
    ids["groups"] = {name: comment(app, members[0])["group_id"] for name, members in ids.items() if members}
    return ids


def test_groups_page_lists_groups_by_clause_with_sizes(app, analysed, reviewer_client):
    page = _text(reviewer_client.get("/staff/c/seed/groups"))
    headings = re.findall(r'<h2 id="sec-\d+">(.*?)</h2>', page)
    # Whole draft first, then clauses in draft order: 5. (3.1.5) before 10. (3.3.10).
    assert headings == ["对征求意见稿整体", "5.推进跨境电商集聚发展", "10.提升通关便利化水平"]
    assert "集中意见" in page and re.search(r"<td[^>]*>12</td>", page)
    assert "上次分析" in page and "运行聚类分析需要管理员权限" in page
    assert "未决定" in page


def test_rename_and_summarise_group(app, analysed, reviewer_client):
    gid = analysed["groups"]["overseas"]
    url = f"/staff/c/seed/groups/{gid}"
    before = group(app, gid)["title"]
    response = staff_post(reviewer_client, url + "/update", {"title": "海外仓补贴标准", "summary": "建议明确海外仓认定和补贴标准。"},
                          form_url=url)
    assert response.status_code == 303
    row = group(app, gid)
    assert row["title"] == "海外仓补贴标准" and row["summary"] == "建议明确海外仓认定和补贴标准。" and row["edited"] == 1
    (entry,) = audit_rows(app, "group.update")
    assert entry["before"] == {"title": before, "summary": None}
    assert entry["after"]["title"] == "海外仓补贴标准"
    assert staff_post(reviewer_client, url + "/update", {"title": ""}, form_url=url).status_code == 400


def test_merge_keeps_the_merged_group(app, analysed, reviewer_client):
    source, target = analysed["groups"]["other"], analysed["groups"]["talent"]
    assert source != target
    moved = [i for i in analysed["other"] if comment(app, i)["group_id"] == source]
    assert moved
    url = f"/staff/c/seed/groups/{source}"
    response = staff_post(reviewer_client, url + "/merge", {"target": str(target)}, form_url=url)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/groups/{target}")
    assert group(app, source)["merged_into"] == target  # kept, not deleted
    assert all(comment(app, i)["group_id"] == target for i in moved)
    assert group(app, target)["edited"] == 1
    (entry,) = audit_rows(app, "group.merge")
    assert set(moved) <= set(entry["before"]["source"]["members"]) and entry["after"]["source"]["members"] == []
    assert set(moved) <= set(entry["after"]["target"]["members"])
    page = _text(reviewer_client.get(url))
    assert "该分组已并入" in page
    groups_page = _text(reviewer_client.get("/staff/c/seed/groups"))
    assert f"/groups/{source}\"" not in groups_page


def test_split_and_move_comment(app, analysed, reviewer_client):
    gid = analysed["groups"]["campaign"]
    copies = analysed["campaign"]
    url = f"/staff/c/seed/groups/{gid}"
    all_out = staff_post(reviewer_client, url + "/split", {"comment_ids": [str(i) for i in copies]}, form_url=url)
    assert all_out.status_code == 400
    response = staff_post(reviewer_client, url + "/split",
                          {"comment_ids": [str(copies[0]), str(copies[1])], "title": "附带其他诉求的"}, form_url=url)
    assert response.status_code == 303
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert {comment(app, i)["group_id"] for i in copies[:2]} == {new_id}
    assert {comment(app, i)["group_id"] for i in copies[2:]} == {gid}
    assert group(app, new_id)["title"] == "附带其他诉求的" and group(app, gid)["edited"] == 1
    (entry,) = audit_rows(app, "group.split")
    assert entry["after"]["new_group"]["members"] == copies[:2]

    # Move one comment to another group, then into a brand-new group.
    talent_group = analysed["groups"]["talent"]
    curl = f"/staff/c/seed/comments/{copies[2]}"
    assert staff_post(reviewer_client, curl + "/group", {"group": str(talent_group)}, form_url=curl).status_code == 303
    assert comment(app, copies[2])["group_id"] == talent_group
    assert staff_post(reviewer_client, curl + "/group", {"group": "new", "new_title": "单独处理"}, form_url=curl).status_code == 303
    moved_to = comment(app, copies[2])["group_id"]
    assert group(app, moved_to)["title"] == "单独处理" and group(app, moved_to)["kind"] == "manual"
    moves = audit_rows(app, "comment.group")
    assert [(m["before"]["group_id"], m["after"]["group_id"]) for m in moves] == [(gid, talent_group), (talent_group, moved_to)]
    assert group(app, talent_group)["edited"] == 1
    assert audit_rows(app, "group.create")


def test_campaign_mark_keeps_size(app, analysed, reviewer_client):
    gid = analysed["groups"]["talent"]
    url = f"/staff/c/seed/groups/{gid}"
    size = _count(app, "SELECT count(*) AS n FROM comments WHERE group_id = ?", [gid])
    assert staff_post(reviewer_client, url + "/campaign", {"campaign": "1"}, form_url=url).status_code == 303
    assert group(app, gid)["kind"] == "campaign"
    page = _text(reviewer_client.get(url))
    assert f"反馈中按全部 {size} 条计数" in page
    entry = audit_rows(app, "group.update")[-1]
    assert entry["after"] == {"kind": "campaign"}
    staff_post(reviewer_client, url + "/campaign", {"campaign": "0"}, form_url=url)
    assert group(app, gid)["kind"] == "cluster"
    # A campaign found by the analysis lists every copy and counts them all.
    campaign_page = _text(reviewer_client.get(f"/staff/c/seed/groups/{analysed['groups']['campaign']}"))
    assert "12 条意见计入" in campaign_page


def test_create_group_from_queue(app, seeded, reviewer_client):
    a = add_comment(app, OVERSEAS, "3.3.10")
    b = add_comment(app, "海外仓建设成本高，希望给予支持。", "3.3.10")
    response = staff_post(reviewer_client, "/staff/c/seed/groups/new",
                          {"comment_ids": [str(a), str(b)], "title": "海外仓"}, form_url="/staff/c/seed/queue")
    assert response.status_code == 303
    gid = comment(app, a)["group_id"]
    assert gid and comment(app, b)["group_id"] == gid and comment(app, a)["status"] == "grouped"
    row = group(app, gid)
    assert row["kind"] == "manual" and row["clause_key"] == "3.3.10" and row["edited"] == 1
    (entry,) = audit_rows(app, "group.create")
    assert entry["after"]["members"] == [a, b]
    empty = staff_post(reviewer_client, "/staff/c/seed/groups/new", {"title": "x"}, form_url="/staff/c/seed/queue")
    assert empty.status_code == 303 and _count(app, "SELECT count(*) AS n FROM groups") == 1


def test_mark_new_comments_reviewed(app, analysed, reviewer_client):
    late = add_comment(app, OVERSEAS + "另外，海外仓补贴应尽快兑现。", "3.3.10")
    run_analysis(app)
    gid = comment(app, late)["group_id"]
    url = f"/staff/c/seed/groups/{gid}"
    assert "已查看新意见" in _text(reviewer_client.get(url))
    assert staff_post(reviewer_client, url + "/reviewed", {}, form_url=url).status_code == 303
    assert comment(app, late)["reviewed_at"]
    assert "已查看新意见" not in _text(reviewer_client.get(url))
    assert audit_rows(app, "comment.reviewed")[0]["before"] == {"new": [late]}


# --- analysis from the page (admin) --------------------------------------------------------------------------


def test_admin_runs_analysis_from_groups_page(app, seeded, admin_client):
    seed_comments(app)
    page = _text(admin_client.get("/staff/c/seed/groups"))
    assert "运行聚类分析" in page and "尚未运行聚类分析" in page
    response = staff_post(admin_client, "/staff/c/seed/analyze", {}, form_url="/staff/c/seed/groups")
    assert response.status_code == 303
    page = _text(admin_client.get("/staff/c/seed/groups"))
    assert "分析完成：19 条意见" in page and "上次分析" in page and "admin1" in page
    (entry,) = audit_rows(app, "analysis.run")
    assert entry["actor"] == "admin1"
    with app.app_context():
        (run,) = rows(get_db(), "SELECT created_by FROM analysis_runs")
    assert run["created_by"] == admin_client.staff["id"]


def test_reviewer_is_refused_analysis_and_import(app, seeded, reviewer_client):
    seed_comments(app)
    token = csrf_token(reviewer_client, "/staff/c/seed/groups")
    assert reviewer_client.post("/staff/c/seed/analyze", data={"csrf_token": token}).status_code == 403
    assert reviewer_client.get("/staff/c/seed/import").status_code == 403
    upload = {"csrf_token": token, "file": (io.BytesIO("意见内容\n建议建议建议建议\n".encode()), "x.csv")}
    assert reviewer_client.post("/staff/c/seed/import", data=upload,
                                content_type="multipart/form-data").status_code == 403
    assert _count(app, "SELECT count(*) AS n FROM analysis_runs") == 0
    assert "运行聚类分析需要管理员权限" in _text(reviewer_client.get("/staff/c/seed/groups"))


# --- comments from other channels ---------------------------------------------------------------------------


def _selected(page: str) -> str:
    select = re.search(r'<select[^>]*name="clause".*?</select>', page, re.DOTALL).group(0)
    return re.search(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select).group(1)


def test_enter_comment_with_clause_suggestions(app, seeded, seed_draft, reviewer_client, clock):
    clock.set(beijing(2024, 10, 15, 9, 0))  # after the window: letters arrive late
    login(reviewer_client, reviewer_client.staff["username"], reviewer_client.staff["password"])
    url = "/staff/c/seed/enter"
    page = _text(reviewer_client.get(url))
    assert "征求意见期结束后仍可录入" in page and 'value="2024-10-15"' in page
    body = "来信反映：海外仓建设投入大，建议对租赁海外仓也给予补贴，并明确海外仓认定标准。"
    data = {"body": body, "clause": "__whole__", "channel": "letter", "received_on": "2024-10-14",
            "submitter_type": "企业", "name": "天津某某供应链公司", "contact": "022-23456789"}
    expected = analysis.suggest_clauses(body, seed_draft, top=3)
    assert len(expected) == 3
    suggested = staff_post(reviewer_client, url, dict(data, suggest="1"), form_url=url)
    text = _text(suggested)
    assert suggested.status_code == 200 and "系统建议的条款" in text
    assert all(f"（{key}）" in text for key in expected)
    assert _count(app, "SELECT count(*) AS n FROM comments") == 0  # suggesting stores nothing
    assert _selected(text) == expected[0]  # the first suggestion is preselected
    picked = staff_post(reviewer_client, url, dict(data, pick=expected[1]), form_url=url)
    assert picked.status_code == 200 and _selected(_text(picked)) == expected[1]
    saved = staff_post(reviewer_client, url, dict(data, clause="3.3.10", save="1"), form_url=url)
    assert saved.status_code == 303
    (row,) = rows_of(app)
    assert row["clause_key"] == "3.3.10" and row["channel"] == "letter" and row["received_on"] == "2024-10-14"
    assert row["entered_by"] == reviewer_client.staff["id"] and json.loads(row["tokens"])
    assert row["contact"] == "022-23456789" and row["status"] == "pending"
    landing = _text(reviewer_client.get(saved.headers["Location"]))
    assert row["receipt_code"] in landing and "请将回执编号告知提交人" in landing
    (entry,) = audit_rows(app, "comment.enter")
    assert entry["entity_id"] == str(row["id"]) and entry["after"]["receipt_code"] == row["receipt_code"]
    # The citizen can look the code up on the public receipt page.
    assert app.test_client().get(f"/receipt?code={row['receipt_code']}").status_code == 200


def rows_of(app):
    with app.app_context():
        return rows(get_db(), "SELECT * FROM comments ORDER BY id")


def test_enter_comment_validation(app, seeded, reviewer_client):
    url = "/staff/c/seed/enter"
    bad = staff_post(reviewer_client, url, {"body": "短", "clause": "__whole__", "channel": "fax", "received_on": "2024-12-01",
                                            "submitter_type": "个人", "contact": "not-a-phone", "save": "1"}, form_url=url)
    text = _text(bad)
    assert bad.status_code == 400 and "意见内容需在5至5000字之间" in text and "请填写有效的手机号" in text
    future = staff_post(reviewer_client, url, {"body": FOREX, "clause": "__whole__", "channel": "email",
                                               "received_on": "2024-12-01", "submitter_type": "个人", "save": "1"}, form_url=url)
    assert future.status_code == 400 and "晚于今天" in _text(future)
    assert _count(app, "SELECT count(*) AS n FROM comments") == 0


def test_admin_imports_csv_from_the_page(app, seeded, admin_client):
    csv_text = ("意见内容,对应条款,身份,姓名或单位,联系方式,渠道,收到日期\n"
                f"{OVERSEAS},10.,企业,某公司,,信函,2024-09-30\n"
                ",,个人,,,信函,2024-09-30\n"
                f"{TALENT},第九十九条,个人,,,电话,2024-09-30\n")
    token = csrf_token(admin_client, "/staff/c/seed/import")
    response = admin_client.post("/staff/c/seed/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(csv_text.encode("utf-8")), "letters.csv")})
    # A background job (done within the request in tests); the page it redirects to shows how it ended.
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/c/seed/import")
    text = _text(admin_client.get("/staff/c/seed/import"))
    assert "已导入 1 条意见" in text and "letters.csv" in text
    assert "第3行" in text and "意见内容为空" in text and "第4行" in text and "找不到条款" in text
    (row,) = rows_of(app)
    assert row["clause_key"] == "3.3.10" and row["entered_by"] == admin_client.staff["id"]
    (entry,) = audit_rows(app, "comment.import")
    assert entry["actor"] == "admin1" and len(entry["after"]["bad_rows"]) == 2
    wrong = admin_client.post("/staff/c/seed/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(b"x"), "letters.doc")})
    assert wrong.status_code == 400 and ".csv" in _text(wrong)
    template = admin_client.get("/staff/c/seed/import/template.csv")
    assert template.status_code == 200 and "意见内容" in template.get_data().decode("utf-8-sig")


def test_import_accepts_files_larger_than_a_comment_form(app, seeded, admin_client):
    line = f"{OVERSEAS},10.,企业,,,信函,2024-09-30\n"
    csv_text = "意见内容,对应条款,身份,姓名或单位,联系方式,渠道,收到日期\n" + line * 1500  # ~ 150 KB
    assert len(csv_text.encode()) > app.config["MAX_CONTENT_LENGTH"]
    token = csrf_token(admin_client, "/staff/c/seed/import")
    response = admin_client.post("/staff/c/seed/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(csv_text.encode("utf-8")), "big.csv")}, follow_redirects=True)
    assert response.status_code == 200 and "已导入 1500 条意见" in _text(response)
    # The larger limit applies to the import only.
    url = "/c/seed/comment"
    ctoken = csrf_token(app.test_client(), url)
    assert app.test_client().post(url, data={"csrf_token": ctoken, "body": "x" * 70000}).status_code == 413


def test_opening_a_new_comment_marks_it_seen(app, analysed, reviewer_client):
    late = add_comment(app, "新收到：建议对跨境电商企业参加境外展会给予补贴。")
    queue = _text(reviewer_client.get("/staff/c/seed/queue?new=1"))
    assert 'badge-new">新' in queue
    first = _text(reviewer_client.get(f"/staff/c/seed/comments/{late}"))
    assert 'badge-new">新' in first
    assert comment(app, late)["reviewed_at"]
    assert 'badge-new">新' not in _text(reviewer_client.get("/staff/c/seed/queue?new=1"))


def test_campaign_page_shows_what_copies_added(app, seeded, reviewer_client):
    from tests.helpers import CAMPAIGN

    for _ in range(6):
        add_comment(app, CAMPAIGN)
    extra = add_comment(app, CAMPAIGN + "另外，建议在东疆综保区设立跨境电商退货中心仓，解决退货难问题。")
    run_analysis(app)
    gid = comment(app, extra)["group_id"]
    assert group(app, gid)["kind"] == "campaign"
    page = _text(reviewer_client.get(f"/staff/c/seed/groups/{gid}"))
    assert "比模板多出的内容" in page and "退货中心仓" in page.split("比模板多出的内容")[1]
    assert "其中 1 份在模板之外另有内容" in page


def test_bulk_actions_from_the_queue(app, analysed, reviewer_client):
    queue = "/staff/c/seed/queue"
    page = _text(reviewer_client.get(queue))
    assert 'formaction="/staff/c/seed/queue/bulk"' in page
    copies = analysed["campaign"][:3]
    spam = staff_post(reviewer_client, queue + "/bulk", {"comment_ids": [str(i) for i in copies], "action": "spam",
                                                         "back": queue + "?status=pending"}, form_url=queue)
    assert spam.status_code == 303 and spam.headers["Location"].endswith("/queue?status=pending")
    assert {comment(app, i)["status"] for i in copies} == {"spam"}
    restore = staff_post(reviewer_client, queue + "/bulk", {"comment_ids": [str(copies[0])], "action": "pending"},
                         form_url=queue)
    assert restore.status_code == 303 and comment(app, copies[0])["status"] == "grouped"
    target = analysed["groups"]["talent"]
    moved = staff_post(reviewer_client, queue + "/bulk", {"comment_ids": [str(i) for i in copies[1:]], "action": "move",
                                                          "target": str(target)}, form_url=queue)
    assert moved.status_code == 303
    assert {comment(app, i)["group_id"] for i in copies[1:]} == {target}
    assert {comment(app, i)["status"] for i in copies[1:]} == {"spam"}  # moving never changes spam back
    assert group(app, target)["edited"] == 1 and group(app, analysed["groups"]["campaign"])["edited"] == 1
    assert len(audit_rows(app, "comment.status")) == 4 and len(audit_rows(app, "comment.group")) == 2
    assert _count(app, "SELECT count(*) AS n FROM comments") == 19
    nothing = staff_post(reviewer_client, queue + "/bulk", {"action": "spam"}, form_url=queue)
    assert nothing.status_code == 303 and len(audit_rows(app, "comment.status")) == 4
    no_target = staff_post(reviewer_client, queue + "/bulk", {"comment_ids": [str(copies[0])], "action": "move"},
                           form_url=queue)
    assert no_target.status_code == 303 and comment(app, copies[0])["group_id"] == analysed["groups"]["campaign"]


def test_duplicates_cannot_hide_every_copy_of_an_opinion(app, seeded, reviewer_client):
    """A duplicate must point at a comment that counts; the original cannot leave while copies point at it."""
    first = add_comment(app, OVERSEAS, "3.3.10")
    second = add_comment(app, OVERSEAS + "（再次提交）", "3.3.10")
    url1, url2 = f"/staff/c/seed/comments/{first}", f"/staff/c/seed/comments/{second}"
    assert staff_post(reviewer_client, url2 + "/status", {"status": "duplicate", "duplicate_of": str(first)},
                      form_url=url2).status_code == 303
    cycle = staff_post(reviewer_client, url1 + "/status", {"status": "duplicate", "duplicate_of": str(second)},
                       form_url=url1)
    assert cycle.status_code == 400 and "本身已标为重复或无效" in _text(cycle)
    spam = staff_post(reviewer_client, url1 + "/status", {"status": "spam"}, form_url=url1)
    assert spam.status_code == 400 and "被标为与本条重复" in _text(spam)
    assert comment(app, first)["status"] == "pending"


def test_merging_a_decided_group_is_refused_until_its_decision_is_cleared(app, analysed, reviewer_client):
    from comment_portal.store import decisions as decision_q

    source, target = analysed["groups"]["other"], analysed["groups"]["talent"]
    with app.app_context():
        db = get_db()
        from comment_portal.store import consultations as consultation_q

        c = consultation_q.get_by_slug(db, "seed")
        decision_q.set_group_decision(db, c, source, category="未采纳", reason="超出本计划范围。", staff=None,
                                      now=app.extensions["clock"].now())
    url = f"/staff/c/seed/groups/{source}"
    response = staff_post(reviewer_client, url + "/merge", {"target": str(target)}, form_url=url)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/groups/{source}")
    assert group(app, source)["merged_into"] is None
    assert "请先在本页撤销决定" in _text(reviewer_client.get(url))


def test_staff_pages_cite_same_labelled_clauses_unambiguously(app, seeded, reviewer_client):
    """The seed has four clauses labelled (三): the queue names 四(三), not a bare (三)."""
    add_comment(app, "建议各区配套资金政策明确申报流程和兑现时限。", "4.3")
    page = _text(reviewer_client.get("/staff/c/seed/queue"))
    assert "四(三)强化政策引导" in page


def test_enter_comment_twice_from_one_form_load_stores_one_row(app, seeded, reviewer_client):
    """A double click on 保存 (the same form load sent twice) stores one comment; a new load stores another."""
    url = "/staff/c/seed/enter"
    page = _text(reviewer_client.get(url))
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf, "form_token": token, "body": FOREX, "clause": "__whole__", "channel": "letter",
            "received_on": "2024-09-30", "submitter_type": "个人", "save": "1"}
    first, second = reviewer_client.post(url, data=data), reviewer_client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert "没有重复录入" in _text(reviewer_client.get(second.headers["Location"]))
    assert _count(app, "SELECT count(*) AS n FROM comments") == 1
    # Without the token (a forged or stale page) nothing is stored and the text stays on the page.
    refused = reviewer_client.post(url, data={k: v for k, v in data.items() if k != "form_token"})
    assert refused.status_code == 400 and FOREX in _text(refused)
    assert staff_post(reviewer_client, url, data | {"form_token": ""}, form_url=url).status_code == 400
    assert staff_post(reviewer_client, url, {k: v for k, v in data.items() if k not in ("form_token", "csrf_token")},
                      form_url=url).status_code == 303
    assert _count(app, "SELECT count(*) AS n FROM comments") == 2
