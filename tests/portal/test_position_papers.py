"""A position paper on several clauses is split by clause when it arrives (issue 12 §1, "a position paper is split by
clause"): sent as a file (or typed as a long letter) on the whole-draft form, it becomes one submission with one
part per clause, the file kept with the submission; one submitter, N opinions in the report."""

from __future__ import annotations

import json

import pytest

from analysis import parts_by_clause
from comment_portal.db import get_db, rows
from comment_portal.store import reports
from comment_portal.store.comments import LETTER_ACTOR
from tests.draft.builders import docx, image_pdf, p, text_pdf

# The shared paper (tests/helpers.py) under this module's short names.
from tests.helpers import PAPER_CLOSING as CLOSING
from tests.helpers import PAPER_GREETING as GREETING
from tests.helpers import PAPER_INTRO as INTRO
from tests.helpers import PAPER_POINTS as POINTS
from tests.helpers import PAPER_TYPED as TYPED
from tests.helpers import add_comment, consultation, many_form, post_many, staff_post
from tests.helpers import comments_and_attachments as _stored
from tests.helpers import paper_lines as _paper
from tests.helpers import post_company_with_files as _post


def test_a_word_paper_on_three_clauses_is_one_submission_with_three_parts(app, client, seeded):
    response = _post(client, [("意见书.docx", docx([p(line) for line in _paper()]))], body=TYPED)
    assert response.status_code == 303
    comments, files = _stored(app)
    container, parts = comments[0], comments[1:]
    assert container["status"] == "split" and container["clause_key"] is None and container["body"] == TYPED
    assert [(x["clause_key"], x["body"], x["part_no"], x["part_of"]) for x in parts] == [
        (key, text, n, container["id"]) for n, (key, text) in enumerate(POINTS.items(), start=1)]
    assert {x["status"] for x in parts} == {"pending"} and {x["name"] for x in parts} == {"天津某某跨境电商有限公司"}
    assert all(json.loads(x["tokens"]) for x in parts)
    assert "外汇" in json.loads(parts[0]["tokens"]) and "外汇" not in json.loads(parts[2]["tokens"])
    # The file stays with the submission, its whole text with it (greeting and closing included: nothing dropped).
    [a] = files
    assert a["comment_id"] == container["id"] and all(line in a["text"] for line in _paper())
    with app.app_context():
        [entry] = rows(get_db(), "SELECT * FROM audit_log WHERE action = 'comment.split'")
        counts = reports.build(get_db(), consultation(app)).report.counts
    assert entry["actor"] == LETTER_ACTOR and entry["entity_id"] == str(container["id"])
    assert (counts.submitters, counts.valid) == (1, 3)  # one submitter, three opinions

    thanks = client.get("/c/seed/thanks").get_data(as_text=True)
    assert container["receipt_code"] in thanks and "您的3条意见" in thanks and "意见书.docx" in thanks
    for text in POINTS.values():
        assert text in thanks
    assert GREETING not in thanks and "2024年10月8日" not in thanks  # the paper's greeting and signature are no part


def test_a_paper_that_quotes_the_draft_is_split_by_the_clauses_it_quotes(app, client, seeded):
    quoted = [
        "原文：支持跨境电商企业将境外发生的仓储、物流、税收等费用与出口货款轧差结算。",
        "修改建议：在句末增加“具体办理流程由国家外汇管理局天津市分局另行制定”。",
        "原文：支持天津港加密外贸航线，推动天津中欧(亚)班列高质量发展。",
        "修改建议：改为“支持天津港加密至东南亚、中东的外贸航线”。",
    ]
    assert _post(client, [("条款修改意见.pdf", text_pdf("\n".join(quoted)))], body="").status_code == 303
    comments, files = _stored(app)
    assert comments[0]["status"] == "split" and files[0]["comment_id"] == comments[0]["id"]
    assert [x["clause_key"] for x in comments[1:]] == ["3.3.12", "3.4.14"]
    assert "国家外汇管理局" in comments[1]["body"] and "中东" in comments[2]["body"]


def test_a_paper_on_one_clause_stays_one_comment(app, client, seeded):
    one = {"3.3.12": POINTS["3.3.12"]}
    assert _post(client, [("意见书.docx", docx([p(line) for line in _paper(one)]))], body=TYPED).status_code == 303
    comments, files = _stored(app)
    assert len(comments) == 1 and comments[0]["status"] == "pending" and comments[0]["body"] == TYPED
    assert files[0]["comment_id"] == comments[0]["id"]


def test_a_scanned_paper_is_not_split_and_is_marked_for_reading(app, client, seeded, reviewer_client):
    assert _post(client, [("扫描件.pdf", image_pdf(3))], body="").status_code == 303
    comments, files = _stored(app)
    assert len(comments) == 1 and comments[0]["status"] == "pending"
    assert files[0]["has_text_layer"] == 0 and files[0]["text"] == ""
    page = reviewer_client.get(f"/staff/c/seed/comments/{comments[0]['id']}").get_data(as_text=True)
    assert "无文字层，需人工阅读" in page


def test_a_paper_on_a_clause_page_is_not_split(app, client, seeded):
    # Sent on one clause's form, the submitter chose the clause: the comment stays on it.
    assert _post(client, [("意见书.docx", docx([p(line) for line in _paper()]))], key="3.3.12",
                 body=TYPED).status_code == 303
    comments, _ = _stored(app)
    assert len(comments) == 1 and comments[0]["clause_key"] == "3.3.12"


def test_a_long_typed_letter_is_split_too_and_general_opinions_are_a_whole_draft_part(app, client, seeded):
    general = "四、总体上，建议计划增加年度评估和公开通报机制，便于社会监督。"
    letter = "\n".join([GREETING, INTRO, POINTS["3.3.12"], POINTS["3.4.16"], general, *CLOSING])
    assert _post(client, [], body=letter).status_code == 303
    comments, _ = _stored(app)
    assert comments[0]["status"] == "split" and comments[0]["body"] == letter  # the letter as typed
    assert [(x["clause_key"], x["body"]) for x in comments[1:]] == [
        ("3.3.12", POINTS["3.3.12"]), ("3.4.16", POINTS["3.4.16"]), (None, general)]


def test_a_bots_paper_is_kept_whole_as_spam(app, client, seeded):
    assert _post(client, [("意见书.docx", docx([p(line) for line in _paper()]))], body=TYPED,
                 website="http://spam.example").status_code == 303
    comments, _ = _stored(app)
    assert [x["status"] for x in comments] == ["spam"]


def test_the_multi_clause_form_splits_a_paper_sent_alone(app, client, seeded):
    assert post_many(client, many_form(client), [("意见书.docx", docx([p(line) for line in _paper()]))]).status_code == 303
    comments, files = _stored(app)
    assert comments[0]["status"] == "split" and [x["clause_key"] for x in comments[1:]] == list(POINTS)
    assert files[0]["comment_id"] == comments[0]["id"]


# -- the split itself (analysis.parts_by_clause), without the portal ----------------------------------------------
def test_opinions_on_the_same_clause_are_one_part(seed_draft):
    again = "四、再次建议第12条明确外汇结算办理时限，避免企业反复补充材料。"
    found = parts_by_clause("", ["\n".join([*_paper(), again])], seed_draft)
    assert [key for key, _ in found] == list(POINTS)
    assert found[0][1] == POINTS["3.3.12"] + "\n\n" + again


def test_a_typed_opinion_is_not_taken_for_the_papers_introduction(seed_draft):
    typed = "另外，第16条建议支持高校开设跨境电商专业方向，并对企业在职培训给予补贴。"
    found = parts_by_clause(typed, ["\n".join(_paper({"3.3.12": POINTS["3.3.12"]}))], seed_draft)
    assert [key for key, _ in found] == ["3.4.16", "3.3.12"] and found[0][1] == typed


@pytest.mark.parametrize("files", [[], [""], ["\n".join(_paper({"3.4.14": POINTS["3.4.14"]}))]])
def test_fewer_than_two_clauses_is_no_split(seed_draft, files):
    assert parts_by_clause(TYPED, files, seed_draft) == []


# -- the same parts on arrival as when staff split by hand --------------------------------------------------------
#: A second, different opinion on clause 12 at the end of the paper: not the first point said again, but a request
#: that can be 采纳 while the first is 未采纳.
SECOND_ON_12 = "四、第12条中“放宽个人结汇额度”的表述建议删除，个人结汇额度应按国家外汇管理规定执行。"


def test_two_opinions_on_one_clause_are_two_parts_on_arrival_as_when_split_by_hand(app, client, seeded,
                                                                                    reviewer_client):
    """The split on arrival joined a letter's opinions on one clause into one part (points 一 and 四 as one text,
    part 1), while 按条款拆分 by hand kept them two: the same letter became 3 opinions typed on the form and 4 when
    it came by post. A joined part can carry only one decision and one group, though one opinion may be 采纳 and
    the other 未采纳, and staff had no way to split it again. Both paths now give one part per opinion, in the
    letter's order (staff who want the two answered together put them in one group)."""
    letter = "\n".join([GREETING, INTRO, *POINTS.values(), SECOND_ON_12, *CLOSING])
    expected = [*POINTS.items(), ("3.3.12", SECOND_ON_12)]
    assert _post(client, [], body=letter).status_code == 303
    comments, _ = _stored(app)
    assert comments[0]["status"] == "split"
    assert [(x["clause_key"], x["body"], x["part_no"]) for x in comments[1:]] == [
        (key, text, n) for n, (key, text) in enumerate(expected, start=1)]
    thanks = client.get("/c/seed/thanks").get_data(as_text=True)
    assert "您的4条意见" in thanks

    by_post = add_comment(app, letter, channel="letter", name="天津某某跨境电商有限公司", submitter_type="企业")
    url = f"/staff/c/seed/comments/{by_post}"
    assert staff_post(reviewer_client, f"{url}/parts", form_url=url).status_code == 303
    with app.app_context():
        by_hand = rows(get_db(), "SELECT clause_key, body FROM comments WHERE part_of = ? ORDER BY part_no", [by_post])
    assert [(x["clause_key"], x["body"]) for x in by_hand] == expected


def test_a_paper_and_its_typed_opinion_on_the_same_clause_stay_two_parts(app, client, seeded):
    """The typed opinion on clause 16 was glued to the paper's point on clause 16 and moved to the front."""
    typed = "另外，第16条建议对跨境电商企业引进的海外营销人才给予落户便利。"
    assert _post(client, [("意见书.docx", docx([p(line) for line in _paper()]))], body=typed).status_code == 303
    comments, _ = _stored(app)
    assert [(x["clause_key"], x["body"]) for x in comments[1:]] == [("3.4.16", typed), *POINTS.items()]
