"""撤销拆分: a letter split by clause by mistake is put back together while nothing was decided on its parts.

Before, a wrong split had no way back: staff could only move a part or change its clause, so a letter the engine cut
in the wrong places stayed as N opinions in the queue, the groups, the report and the citizen's receipt."""

from __future__ import annotations

import json
import re

import pytest

from comment_portal.db import get_db, rows
from comment_portal.staff import access
from comment_portal.store import receipts, reports
from tests.helpers import (
    MANY_OPINIONS,
    add_comment,
    audit_rows,
    comment,
    consultation,
    csrf_token,
    decide,
    make_group,
    many_form,
    post_many,
    publish,
    staff_post,
)
from tests.portal.test_split_letters import LETTER


def _url(comment_id: int) -> str:
    return f"/staff/c/seed/comments/{comment_id}"


def _letter(app) -> int:
    return add_comment(app, LETTER, channel="letter", name="天津市跨境电子商务协会", submitter_type="社会组织")


def _split(client, letter: int) -> list[int]:
    assert staff_post(client, f"{_url(letter)}/parts", form_url=_url(letter)).status_code == 303
    return _part_ids(client.application, letter)


def _part_ids(app, letter: int) -> list[int]:
    with app.app_context():
        return [r["id"] for r in rows(get_db(), "SELECT id FROM comments WHERE part_of = ? ORDER BY part_no",
                                      [letter])]


def _unsplit(client, letter: int, follow: bool = True):
    return staff_post(client, f"{_url(letter)}/unsplit", form_url=_url(letter), follow_redirects=follow)


def _flash(response) -> str:
    return " ".join(re.findall(r'class="flash[^"]*"[^>]*>([^<]*)', response.get_data(as_text=True)))


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_a_wrong_split_is_undone_and_the_letter_is_one_comment_again(app, seeded, reviewer_client):
    """Split by mistake, then worked on a little (a part grouped with another comment, a copy marked 重复 of a part,
    a note on a part): 撤销拆分 brings the letter back as one pending comment; its parts are gone from the queue,
    the groups, the report and the receipt; the copy points at the letter; the note is kept on the letter."""
    letter = _letter(app)
    other = add_comment(app, "建议海关对跨境电商退货实行便利化监管。", "3.3.10")
    copy = add_comment(app, "建议补充2027年交易额1000亿元目标的测算依据，并分解到年度。", "2")
    ids = _split(reviewer_client, letter)
    assert len(ids) == 5
    gid = make_group(app, [other, ids[2]], key="3.3.10", title="退货监管")
    assert staff_post(reviewer_client, f"{_url(copy)}/status", {"status": "duplicate", "duplicate_of": str(ids[0])},
                      form_url=_url(copy)).status_code == 303
    assert staff_post(reviewer_client, f"{_url(ids[3])}/note", {"note": "外汇局意见待征询"},
                      form_url=_url(ids[3])).status_code == 303
    page = reviewer_client.get(_url(letter)).get_data(as_text=True)
    assert "撤销拆分</button>" in page
    queue = reviewer_client.get("/staff/c/seed/queue").get_data(as_text=True)
    assert all(f"/comments/{i}\"" in queue for i in ids)  # what the checks below look for, before the undo
    assert f"/comments/{ids[2]}\"" in reviewer_client.get(f"/staff/c/seed/groups/{gid}").get_data(as_text=True)
    assert "撤销拆分</button>" not in reviewer_client.get(_url(ids[0])).get_data(as_text=True)

    response = _unsplit(reviewer_client, letter)
    assert response.status_code == 200
    assert "已撤销拆分" in _flash(response) and f"意见 {letter} 恢复为一条意见" in _flash(response)
    stored = comment(app, letter)
    assert (stored["status"], stored["group_id"], stored["clause_key"]) == ("pending", None, None)
    assert "外汇局意见待征询" in (stored["staff_note"] or "")
    assert _part_ids(app, letter) == []
    with app.app_context():
        assert rows(get_db(), f"SELECT id FROM comments WHERE id IN ({','.join(map(str, ids))})") == []
        assert [r["id"] for r in rows(get_db(), "SELECT id FROM comments WHERE group_id = ?", [gid])] == [other]
        built = reports.build(get_db(), consultation(app))
        receipt = receipts.of_comment(get_db(), letter)
    assert (comment(app, copy)["status"], comment(app, copy)["duplicate_of"]) == ("duplicate", letter)
    assert built.report.counts.valid == 2  # the letter and the other comment; the copy is a duplicate
    assert receipt is not None and [p.comment_id for p in receipt.parts] == [letter] and not receipt.several
    queue = reviewer_client.get("/staff/c/seed/queue").get_data(as_text=True)
    assert all(f"/comments/{i}\"" not in queue for i in ids) and f"/comments/{letter}\"" in queue
    group_page = reviewer_client.get(f"/staff/c/seed/groups/{gid}").get_data(as_text=True)
    assert f"/comments/{ids[2]}\"" not in group_page and f"/comments/{other}\"" in group_page
    [entry] = audit_rows(app, "comment.unsplit")
    assert entry["entity_id"] == str(letter) and entry["actor"] == reviewer_client.staff["username"]
    before, after = json.loads(entry["before_json"]), json.loads(entry["after_json"])
    assert [p["id"] for p in before["parts"]] == ids and before["status"] == "split"
    assert after["status"] == "pending" and after["duplicates_moved"] == [copy]
    assert "撤销拆分（恢复为一条意见）" in reviewer_client.get("/staff/c/seed/audit").get_data(as_text=True)
    # Back in the normal flow: split again once its copy is restored (a split letter's copies would count nowhere).
    again = staff_post(reviewer_client, f"{_url(letter)}/parts", form_url=_url(letter), follow_redirects=True)
    assert "有 1 条意见被标为与本条重复" in _flash(again) and _part_ids(app, letter) == []
    assert staff_post(reviewer_client, f"{_url(copy)}/status", {"status": "pending"},
                      form_url=_url(copy)).status_code == 303
    assert len(_split(reviewer_client, letter)) == 5


@pytest.mark.parametrize("blocker", ["own", "group", "spam", "duplicate"])
def test_undo_is_refused_while_a_part_was_decided_or_marked(app, seeded, reviewer_client, blocker):
    """A decision on a part (its own, or its group's), or a part staff marked 无效/重复, would vanish without a trace:
    the refusal says which part and what to clear first, and nothing changes."""
    letter = _letter(app)
    ids = _split(reviewer_client, letter)
    if blocker == "own":
        decide(app, comment=ids[1], category="未采纳", reason="经研究，暂不采纳。")
        expected = f"意见 {ids[1]} 已作出处理决定（未采纳）"
    elif blocker == "group":
        gid = make_group(app, [ids[2]], key="3.3.10", title="退货监管")
        decide(app, group=gid, category="采纳")
        expected = f"意见 {ids[2]} 所在分组“退货监管”已作出处理决定（采纳）"
    elif blocker == "spam":
        assert staff_post(reviewer_client, f"{_url(ids[4])}/status", {"status": "spam"},
                          form_url=_url(ids[4])).status_code == 303
        expected = f"意见 {ids[4]} 已标为无效"
    else:
        assert staff_post(reviewer_client, f"{_url(ids[4])}/status", {"status": "duplicate",
                                                                      "duplicate_of": str(ids[3])},
                          form_url=_url(ids[4])).status_code == 303
        expected = f"意见 {ids[4]} 已标为重复"
    response = _unsplit(reviewer_client, letter)
    assert expected in _flash(response) and "请先" in _flash(response)
    assert comment(app, letter)["status"] == "split" and _part_ids(app, letter) == ids
    assert audit_rows(app, "comment.unsplit") == []


def test_undo_is_refused_when_a_published_version_answered_the_parts(app, seeded, reviewer_client, admin_client):
    """The citizen's receipt shows the published answer to each part: putting the letter back would take those
    published answers off the receipt. Refused even after the decisions were cleared."""
    letter = _letter(app)
    ids = _split(reviewer_client, letter)
    for cid in ids:
        decide(app, comment=cid, category="采纳")
    assert publish(admin_client).status_code == 303
    with app.app_context():
        from comment_portal.store import decisions
        for cid in ids:
            decisions.clear_comment_decision(get_db(), consultation(app), cid, staff=None,
                                             now=app.extensions["clock"].now())
    response = _unsplit(reviewer_client, letter)
    assert "已发布的采纳情况反馈（第1版）" in _flash(response)
    assert comment(app, letter)["status"] == "split" and _part_ids(app, letter) == ids


def test_a_paper_split_on_arrival_can_be_undone_with_its_files_words(app, seeded, client, reviewer_client):
    """A paper split by the system when it arrived: undone, the comment is analysed with its typed text and its
    file's text (the container had no tokens of its own)."""
    from tests.draft.builders import docx, p
    from tests.helpers import PAPER_TYPED, paper_lines, post_company_with_files

    assert post_company_with_files(client, [("意见书.docx", docx([p(line) for line in paper_lines()]))],
                                   body=PAPER_TYPED).status_code == 303
    with app.app_context():
        letter = rows(get_db(), "SELECT id FROM comments WHERE part_of IS NULL")[0]["id"]
    assert len(_part_ids(app, letter)) == 3
    assert _unsplit(reviewer_client, letter).status_code == 200
    stored = comment(app, letter)
    assert stored["status"] == "pending" and _part_ids(app, letter) == []
    assert "外汇" in json.loads(stored["tokens"])  # a word of the file, not of the typed 意见详见附件


def test_a_multi_clause_form_is_not_put_together(app, seeded, client, reviewer_client):
    """The citizen wrote one box per clause: that split is theirs, not the engine's."""
    form = many_form(client)
    for key, text in MANY_OPINIONS.items():
        form[f"body-{key}"] = text
    assert post_many(client, form).status_code == 303
    with app.app_context():
        container = rows(get_db(), "SELECT id FROM comments WHERE part_of IS NULL")[0]["id"]
    assert "撤销拆分</button>" not in reviewer_client.get(_url(container)).get_data(as_text=True)
    response = _unsplit(reviewer_client, container)
    assert "多条款意见表" in _flash(response) and comment(app, container)["status"] == "split"
    assert len(_part_ids(app, container)) == 3


def test_undo_needs_the_forms_csrf_token(app, seeded, reviewer_client):
    letter = _letter(app)
    ids = _split(reviewer_client, letter)
    response = reviewer_client.post(f"{_url(letter)}/unsplit", data={})
    assert response.status_code == 400
    assert comment(app, letter)["status"] == "split" and _part_ids(app, letter) == ids
    assert audit_rows(app, "comment.unsplit") == []


def test_undo_is_open_to_the_roles_that_may_split():
    for roles in (["reviewer"], ["approver"], ["admin"], []):
        assert access.allowed("staff.comment_unsplit", roles) == access.allowed("staff.comment_parts", roles)


def test_a_logged_out_visitor_cannot_undo(app, seeded, reviewer_client):
    letter = _letter(app)
    ids = _split(reviewer_client, letter)
    visitor = app.test_client()
    token = csrf_token(visitor, "/staff/login")  # a valid token of the visitor's own session
    response = visitor.post(f"{_url(letter)}/unsplit", data={"csrf_token": token})
    assert response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]
    assert _part_ids(app, letter) == ids


def test_groups_an_analysis_run_made_of_the_parts_go_and_the_next_run_groups_the_letter(app, seeded,
                                                                                        reviewer_client):
    """A run placed the five parts in groups it formed; after the undo no group page or list still shows a part, the
    groups left empty leave the list, and the next run puts the letter (one comment) into a group."""
    from tests.helpers import run_analysis, seed_comments

    seed_comments(app)
    letter = _letter(app)
    ids = _split(reviewer_client, letter)
    run_analysis(app)
    with app.app_context():
        placed = {r["group_id"] for r in rows(get_db(), f"SELECT group_id FROM comments WHERE id IN "
                                                        f"({','.join(map(str, ids))})")}
    assert None not in placed
    before = reviewer_client.get("/staff/c/seed/groups").get_data(as_text=True)
    assert all(f"/groups/{gid}\"" in before for gid in placed)  # what the check below looks for
    assert _unsplit(reviewer_client, letter).status_code == 200
    listing = reviewer_client.get("/staff/c/seed/groups").get_data(as_text=True)
    for gid in placed:
        page = reviewer_client.get(f"/staff/c/seed/groups/{gid}").get_data(as_text=True)
        assert all(f"/comments/{i}\"" not in page for i in ids)
        with app.app_context():
            left = rows(get_db(), "SELECT id FROM comments WHERE group_id = ?", [gid])
        if not left:
            assert f"/groups/{gid}\"" not in listing
    run_analysis(app)
    stored = comment(app, letter)
    assert stored["status"] == "grouped" and stored["group_id"] is not None
