"""Issue 10 in the portal, through the staff pages: the engine's groups in a run (supportive, noise, cohesion),
noise proposals confirmed or rejected in the queue, quotations greyed, letters split by clause."""

from __future__ import annotations

import json

from comment_portal.db import get_db, rows, write
from comment_portal.store import groups as group_q
from tests.helpers import (
    ASSOCIATION_LETTER as LETTER,
)
from tests.helpers import (
    FOREX,
    OVERSEAS,
    TALENT,
    add_comment,
    audit_rows,
    comment,
    group,
    run_analysis,
    staff_post,
)

ADVERT = "代开各类发票，税点低，加微信 fp8866"
OFF_TOPIC = "我家楼下的快递驿站天天把包裹堆在路上，老人出门都没法走，谁来管管？"
SUPPORT = "支持！希望早日落地。"


def _mix(app) -> dict[str, int]:
    ids = {
        "overseas": add_comment(app, OVERSEAS, "3.3.10"),
        "overseas2": add_comment(app, "海外仓建设投入大，建议市里出台海外仓专项补贴政策并明确认定标准。", "3.3.10"),
        "talent": add_comment(app, TALENT),
        "forex": add_comment(app, FOREX),
        "advert": add_comment(app, ADVERT),
        "off_topic": add_comment(app, OFF_TOPIC),
        "support": add_comment(app, SUPPORT, "3.3.10"),
        "support2": add_comment(app, "非常支持，尽快出台", "3.3.10"),
    }
    return ids


def _analyse_through_the_page(admin_client) -> str:
    response = staff_post(admin_client, "/staff/c/seed/analyze", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kinds(app) -> dict[int, str]:
    with app.app_context():
        return {r["id"]: r["kind"] for r in rows(get_db(), "SELECT id, kind FROM groups WHERE merged_into IS NULL")}


def test_a_run_keeps_noise_and_support_apart_with_titles_and_cohesion(app, seeded, admin_client):
    ids = _mix(app)
    page = _analyse_through_the_page(admin_client)
    assert "2 条疑似无效意见待确认" in page and "2 条仅表示支持" in page
    kinds = _kinds(app)
    placed = {name: comment(app, i) for name, i in ids.items()}
    assert kinds[placed["advert"]["group_id"]] == "noise" and kinds[placed["off_topic"]["group_id"]] == "noise"
    assert placed["advert"]["noise_reason"] == "advert" and placed["off_topic"]["noise_reason"] == "off_topic"
    assert "微信" in placed["advert"]["noise_evidence"]
    assert placed["support"]["group_id"] == placed["support2"]["group_id"]
    assert kinds[placed["support"]["group_id"]] == "supportive"
    substantive = {placed[n]["group_id"] for n in ("overseas", "overseas2", "talent", "forex")}
    assert all(kinds[g] in ("cluster", "singleton", "campaign") for g in substantive)
    for name in ("overseas", "talent", "advert", "support"):
        stored = group(app, placed[name]["group_id"])
        assert stored["cohesion"] is not None and 0 <= stored["cohesion"] <= 1 and stored["title"]
    assert group(app, placed["advert"]["group_id"])["noise_reason"] == "advert"
    assert group(app, placed["support"]["group_id"])["title"] == "表示支持"
    groups_page = admin_client.get("/staff/c/seed/groups").get_data(as_text=True)
    assert "疑似无效（待确认）" in groups_page and "表示支持" in groups_page


def test_the_queue_proposes_noise_with_its_evidence(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    _analyse_through_the_page(admin_client)
    page = reviewer_client.get("/staff/c/seed/queue?noise=1").get_data(as_text=True)
    assert "只看待确认的疑似无效意见（2）" in page
    assert ADVERT in page and "疑似广告（待确认）" in page and "联系方式" in page
    assert OFF_TOPIC in page and "与征求意见无关（待确认）" in page
    assert OVERSEAS not in page and SUPPORT not in page
    detail = reviewer_client.get(f"/staff/c/seed/comments/{ids['advert']}").get_data(as_text=True)
    assert "系统提示：疑似广告（待确认）" in detail and "确认为无效" in detail


def test_confirming_noise_as_spam_or_out_of_scope_is_audited(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    _analyse_through_the_page(admin_client)
    url = f"/staff/c/seed/comments/{ids['advert']}"
    response = staff_post(reviewer_client, f"{url}/noise", {"outcome": "spam"}, form_url=url)
    assert response.status_code == 303
    assert comment(app, ids["advert"])["status"] == "spam" and comment(app, ids["advert"])["noise_review"] == "confirmed"
    response = staff_post(reviewer_client, "/staff/c/seed/queue/noise",
                          {"comment_ids": [ids["off_topic"], ids["overseas"]], "outcome": "out_of_scope",
                           "back": "/staff/c/seed/queue?noise=1"}, form_url="/staff/c/seed/queue?noise=1")
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/c/seed/queue?noise=1")
    off = comment(app, ids["off_topic"])
    assert off["status"] == "decided" and off["noise_review"] == "confirmed"
    with app.app_context():
        (decision,) = rows(get_db(), "SELECT category FROM decisions WHERE comment_id = ?", [ids["off_topic"]])
    assert decision["category"] == "不属于征求意见范围"
    assert comment(app, ids["overseas"])["noise_review"] is None  # not a proposal: left alone
    entries = audit_rows(app, "comment.noise")
    assert [(e["entity_id"], e["after"]["outcome"]) for e in entries] == [
        (str(ids["advert"]), "spam"), (str(ids["off_topic"]), "out_of_scope")]
    assert all(e["staff_id"] for e in entries)
    page = reviewer_client.get("/staff/c/seed/queue?noise=1").get_data(as_text=True)
    assert "只看待确认的疑似无效意见（0）" in page


def test_a_rejected_proposal_goes_back_into_the_analysis(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    _analyse_through_the_page(admin_client)
    url = f"/staff/c/seed/comments/{ids['off_topic']}"
    staff_post(reviewer_client, f"{url}/noise", {"outcome": "reject"}, form_url=url)
    rejected = comment(app, ids["off_topic"])
    assert rejected["noise_review"] == "rejected" and rejected["group_id"] is None and rejected["status"] == "pending"
    (entry,) = audit_rows(app, "comment.noise")
    assert entry["after"] == {"noise_review": "rejected", "outcome": "reject"}
    _analyse_through_the_page(admin_client)
    again = comment(app, ids["off_topic"])
    assert again["group_id"] is not None and _kinds(app)[again["group_id"]] != "noise"
    assert again["noise_review"] == "rejected"  # never proposed again
    assert "工作人员已退回" in reviewer_client.get(url).get_data(as_text=True)


def test_nothing_to_settle_is_refused_with_a_message(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    _analyse_through_the_page(admin_client)
    url = f"/staff/c/seed/comments/{ids['overseas']}"
    response = staff_post(reviewer_client, f"{url}/noise", {"outcome": "spam"}, form_url=url, follow_redirects=True)
    assert "没有待确认的疑似无效意见" in response.get_data(as_text=True)
    assert comment(app, ids["overseas"])["status"] != "spam" and not audit_rows(app, "comment.noise")


def test_supportive_comments_are_offered_for_thanks(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    run_analysis(app)
    page = reviewer_client.get("/staff/c/seed/supportive").get_data(as_text=True)
    assert SUPPORT in page and "非常支持，尽快出台" in page and OVERSEAS not in page
    with app.app_context():
        supportive = [g for g in group_q.active(get_db(), 1) if g.kind == "supportive"]
    assert [g.size for g in supportive] == [2] and comment(app, ids["support"])["group_id"] == supportive[0].id


QUOTE = "建立重点跨境电商服务商名录,引进培育壮大一批具有竞争力的品牌营销"
QUOTING = f"原文“{QUOTE}”，我认为名录应当每年向社会公开一次。"


def test_quotations_are_recorded_and_shown_greyed_as_clause_evidence(app, seeded, admin_client, reviewer_client):
    quoting = add_comment(app, QUOTING)
    other = add_comment(app, OVERSEAS, "3.3.10")
    _analyse_through_the_page(admin_client)
    (found,) = json.loads(comment(app, quoting)["quotations"])
    assert found["clause_key"] == "3.1.4" and QUOTING[found["start"]:found["end"]] == QUOTE
    assert json.loads(comment(app, other)["quotations"]) == []
    page = reviewer_client.get(f"/staff/c/seed/comments/{quoting}").get_data(as_text=True)
    assert f'<span class="visually-hidden">［引用原文：</span>{QUOTE}<span class="visually-hidden">］</span>' in page
    assert "灰色文字是引用的征求意见稿原文" in page and "我认为名录应当每年向社会公开一次" in page
    suggestions = page[page.index("系统建议的条款"):]
    assert suggestions.index("（3.1.4）") < suggestions.index("</ol>")
    group_page = reviewer_client.get(f"/staff/c/seed/groups/{comment(app, quoting)['group_id']}").get_data(as_text=True)
    assert f"［引用原文：</span>{QUOTE}" in group_page
    # A comment that arrived after the run is shown with its quotations too (found when the page shows it).
    late = add_comment(app, f"关于“{QUOTE}”这一条，建议删除。")
    assert comment(app, late)["quotations"] is None
    assert f"［引用原文：</span>{QUOTE}" in reviewer_client.get(f"/staff/c/seed/comments/{late}").get_data(as_text=True)
    assert "引用原文" not in reviewer_client.get(f"/staff/c/seed/comments/{other}").get_data(as_text=True)


def test_a_letter_is_split_by_clause_with_one_click(app, seeded, reviewer_client):
    letter = add_comment(app, LETTER, channel="letter", name="天津市跨境电子商务协会", submitter_type="社会组织")
    url = f"/staff/c/seed/comments/{letter}"
    page = reviewer_client.get(url).get_data(as_text=True)
    assert "按条款拆分" in page and "系统识别出 3 条意见" in page
    response = staff_post(reviewer_client, f"{url}/parts", form_url=url, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "已按条款拆分为 3 条意见" in page and "拆分后的3条意见" in page
    container = comment(app, letter)
    assert container["status"] == "split" and container["body"] == LETTER
    with app.app_context():
        parts = rows(get_db(), "SELECT * FROM comments WHERE part_of = ? ORDER BY part_no", [letter])
    assert [p["clause_key"] for p in parts] == ["2", "3.1.5", "3.4.16"]
    assert all(p["status"] == "pending" and p["name"] == "天津市跨境电子商务协会" and p["tokens"] for p in parts)
    assert "发展目标" in parts[0]["body"] and "人才" in parts[2]["body"] and "供参考" not in parts[2]["body"]
    (entry,) = audit_rows(app, "comment.split")
    assert entry["entity_id"] == str(letter) and entry["staff_id"]
    # Each part is an ordinary comment in triage, linked to its letter; the letter cannot be split twice.
    part_page = reviewer_client.get(f"/staff/c/seed/comments/{parts[1]['id']}").get_data(as_text=True)
    assert f"查看原件（意见 {letter}）" in part_page and "按条款拆分</button>" not in part_page
    assert "按条款拆分</button>" not in reviewer_client.get(url).get_data(as_text=True)
    again = staff_post(reviewer_client, f"{url}/parts", form_url=url, follow_redirects=True)
    assert "无需拆分" in again.get_data(as_text=True)
    assert len(audit_rows(app, "comment.split")) == 1
    queue = reviewer_client.get("/staff/c/seed/queue?status=pending").get_data(as_text=True)
    assert all(f"comments/{p['id']}\"" in queue for p in parts)


def test_a_short_comment_offers_no_split(app, seeded, reviewer_client):
    single = add_comment(app, OVERSEAS * 4, "3.3.10")
    url = f"/staff/c/seed/comments/{single}"
    assert "按条款拆分</button>" not in reviewer_client.get(url).get_data(as_text=True)
    response = staff_post(reviewer_client, f"{url}/parts", form_url=url, follow_redirects=True)
    assert "无需拆分" in response.get_data(as_text=True) and comment(app, single)["status"] == "pending"


def test_groups_show_cohesion_sortable_and_flag_too_mixed_ones(app, seeded, admin_client, reviewer_client):
    _mix(app)
    run_analysis(app)
    with app.app_context():
        db = get_db()
        whole = [g for g in group_q.active(db, 1) if g.clause_key is None]
        assert len(whole) >= 3 and all(g.cohesion is not None for g in whole)
        # The engine's figures decide the order; set distinct ones so the test can say which comes first.
        with write(db):
            for n, g in enumerate(whole):
                db.execute("UPDATE groups SET cohesion = ?, too_mixed = ? WHERE id = ?",
                           [0.9 - 0.1 * n, int(n == len(whole) - 1), g.id])
    names = [f'group_id={g.id}' for g in whole]
    default = reviewer_client.get("/staff/c/seed/groups").get_data(as_text=True)
    assert "一致度" in default and f"{0.9:.2f}" in default and "其中 1 组" in default
    assert default.count("可能需拆分") == 2  # the summary line and the flagged group's row
    page = reviewer_client.get("/staff/c/seed/groups?sort=cohesion").get_data(as_text=True)
    positions = [page.index(f"/staff/c/seed/groups/{g.id}\"") for g in whole]
    assert positions == sorted(positions, reverse=True), names
    mixed = reviewer_client.get(f"/staff/c/seed/groups/{whole[-1].id}").get_data(as_text=True)
    assert "可能需拆分" in mixed and "一致度" in mixed


def test_a_proposal_the_engine_no_longer_makes_is_withdrawn(app, seeded):
    """A rerun refreshes unreviewed proposals; ones staff reviewed keep what staff decided."""
    ids = _mix(app)
    with app.app_context():
        db = get_db()
        with write(db):
            db.execute("UPDATE comments SET noise_reason = 'advert', noise_evidence = '[\"x\"]' WHERE id = ?",
                       [ids["talent"]])
            db.execute("UPDATE comments SET noise_reason = 'advert', noise_review = 'rejected' WHERE id = ?",
                       [ids["forex"]])
    run_analysis(app)
    assert comment(app, ids["talent"])["noise_reason"] is None and comment(app, ids["talent"])["noise_evidence"] is None
    assert comment(app, ids["forex"])["noise_reason"] == "advert"
    assert comment(app, ids["advert"])["noise_reason"] == "advert"


def test_a_run_that_fails_leaves_the_proposals_as_they_were(app, seeded, monkeypatch):
    import pytest

    from comment_portal.store import run_save

    ids = _mix(app)
    run_analysis(app)
    with app.app_context():
        db = get_db()
        with write(db):
            db.execute("UPDATE comments SET noise_reason = NULL, noise_evidence = NULL WHERE id = ?", [ids["advert"]])
            db.execute("UPDATE comments SET noise_reason = 'off_topic', noise_evidence = '[]' WHERE id = ?",
                       [ids["talent"]])

    def fail(db, run_id, record):
        raise RuntimeError("the save stops here")

    monkeypatch.setattr(run_save, "complete", fail)
    with pytest.raises(RuntimeError):
        run_analysis(app)
    assert comment(app, ids["advert"])["noise_reason"] is None
    assert comment(app, ids["talent"])["noise_reason"] == "off_topic"
    monkeypatch.undo()
    run_analysis(app)
    assert comment(app, ids["advert"])["noise_reason"] == "advert" and comment(app, ids["talent"])["noise_reason"] is None


def test_a_membership_change_clears_the_engines_figures_a_rename_keeps_them(app, seeded, admin_client, reviewer_client):
    ids = _mix(app)
    run_analysis(app)
    placed = {name: comment(app, i)["group_id"] for name, i in ids.items()}
    talent, forex = placed["talent"], placed["forex"]
    with app.app_context():
        db = get_db()
        with write(db):  # flag every group, so the test can tell which ones a change clears
            db.execute("UPDATE groups SET cohesion = 0.42, too_mixed = 1")
    url = f"/staff/c/seed/groups/{talent}"
    assert staff_post(reviewer_client, url + "/update", {"title": "人才培养"}, form_url=url).status_code == 303
    assert (group(app, talent)["cohesion"], group(app, talent)["too_mixed"]) == (0.42, 1)  # same members

    curl = f"/staff/c/seed/comments/{ids['overseas']}"
    assert staff_post(reviewer_client, curl + "/group", {"group": str(talent)}, form_url=curl).status_code == 303
    for gid in (talent, placed["overseas"]):  # the group it joined and the group it left
        assert (group(app, gid)["cohesion"], group(app, gid)["too_mixed"]) == (None, 0)
    assert (group(app, forex)["cohesion"], group(app, forex)["too_mixed"]) == (0.42, 1)  # untouched
    page = reviewer_client.get("/staff/c/seed/groups?sort=cohesion").get_data(as_text=True)
    row = page.split(f'/staff/c/seed/groups/{talent}"')[1].split("</tr>")[0]
    assert "已人工调整" in row and "可能需拆分" not in row
    assert page.index(f'/staff/c/seed/groups/{forex}"') < page.index(f'/staff/c/seed/groups/{talent}"')
    detail = reviewer_client.get(url).get_data(as_text=True)
    assert "可能需拆分" not in detail and "一致度" not in detail.split("</h1>")[1].split("</p>")[0]

    url = f"/staff/c/seed/groups/{forex}"
    assert staff_post(reviewer_client, url + "/merge", {"target": str(talent)}, form_url=url).status_code == 303
    assert group(app, talent)["too_mixed"] == 0


def test_a_noise_group_leaves_the_groups_page_once_every_proposal_is_settled(app, seeded, admin_client,
                                                                              reviewer_client):
    ids = _mix(app)
    run_analysis(app)
    noise = {comment(app, ids[n])["group_id"] for n in ("advert", "off_topic")}
    page = reviewer_client.get("/staff/c/seed/groups").get_data(as_text=True)
    assert all(f'/staff/c/seed/groups/{g}"' in page for g in noise)
    response = staff_post(reviewer_client, "/staff/c/seed/queue/noise",
                          {"comment_ids": [ids["advert"]], "outcome": "spam", "back": "/staff/c/seed/queue?noise=1"},
                          form_url="/staff/c/seed/queue?noise=1")
    assert response.status_code == 303
    response = staff_post(reviewer_client, "/staff/c/seed/queue/noise",
                          {"comment_ids": [ids["off_topic"]], "outcome": "out_of_scope",
                           "back": "/staff/c/seed/queue?noise=1"}, form_url="/staff/c/seed/queue?noise=1")
    assert response.status_code == 303
    page = reviewer_client.get("/staff/c/seed/groups").get_data(as_text=True)
    assert not any(f'/staff/c/seed/groups/{g}"' in page for g in noise), page
    assert '<span class="muted">疑似无效（待确认）</span>' not in page and "疑似无效（待确认）（0）" in page
    # The settled comments stay where staff look for them: the off-topic one answered, in the queue.
    queue = reviewer_client.get("/staff/c/seed/queue?status=decided").get_data(as_text=True)
    assert OFF_TOPIC in queue
