"""The comment form promises 附件仅供工作人员阅读，不会公开 (and the receipt: 附件仅供工作人员阅读，不公开), but a paper sent as
a file and split by clause became ordinary comments whose text was the file's: decided one by one (or in a group
without staff's 归纳意见) the public 采纳情况反馈 printed the file's passages word for word — a company's turnover
included — and 附意见原文 printed every one. Publication is now refused until staff summarise such an opinion, and
the annex is refused while it would carry such text (session 8, hostile tester of the forms)."""

from __future__ import annotations

import pytest

from comment_portal.db import get_db
from comment_portal.store import reports as report_q
from tests.draft.builders import docx, p
from tests.helpers import (
    PAPER_POINTS,
    comments_and_attachments,
    consultation,
    csrf_token,
    decide,
    make_group,
    paper_lines,
    post_company_with_files,
    public_outputs,
    publish,
    published_rows,
)

#: Business data a company put in its paper, trusting the form that the file is not published.
PRIVATE = "我公司2023年跨境电商营收3721万元，其中海外仓业务占四成。"


def set_annex(admin_client, on: bool):
    token = csrf_token(admin_client, "/staff/c/seed/settings")
    data = {"csrf_token": token, "categories": "采纳\n部分采纳\n未采纳\n已体现（已有相关规定）\n不属于征求意见范围",
            "reason_templates": "模板一", "issuing_body": "", "published_where": "",
            "publish_comment_text": "1" if on else "0"}
    assert admin_client.post("/staff/c/seed/settings", data=data).status_code in (200, 302, 303)


def send_paper(client, *, typed: str = "我公司的意见详见附件。") -> list[dict]:
    """The company's paper on three clauses, its first point carrying :data:`PRIVATE`; the parts stored."""
    lines = paper_lines()
    lines[2] += PRIVATE
    response = post_company_with_files(client, [("意见书.docx", docx([p(line) for line in lines]))], body=typed)
    assert response.status_code == 303
    parts = [c for c in comments_and_attachments(client.application)[0] if c["part_of"]]
    assert len(parts) == 3 and PRIVATE in parts[0]["body"]
    return parts


def problems(app) -> list:
    with app.app_context():
        return report_q.problems(report_q.build(get_db(), consultation(app)))


def file_problems(app) -> list:
    return [x for x in problems(app) if x.code == "attachment_text"]


def test_parts_decided_one_by_one_are_not_published_from_the_file(app, client, seeded, admin_client):
    for part in send_paper(client):
        decide(app, comment=part["id"], category="采纳")
    found = file_problems(app)
    assert len(found) == 3 and all("取自提出人上传的附件" in x.message and x.field == "summary" for x in found)
    preview = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    assert "取自提出人上传的附件" in preview
    publish(admin_client)
    assert published_rows(app) == []


def test_a_group_without_summary_quoting_a_part_is_held_and_a_summary_releases_it(app, client, seeded, admin_client):
    parts = send_paper(client)
    held = make_group(app, [parts[0]["id"]], key="3.3.12", title="外汇结算", summary="")
    decide(app, group=held, category="采纳")
    found = file_problems(app)  # the group prints its representative's text (the file's); so would the other two
    assert len(found) == 3 and found[0].opinion == 0

    for i, part in enumerate(parts):
        make_group(app, [part["id"]], key=part["clause_key"], title=f"分组{i}",
                   summary=f"建议就{part['clause_key']}所涉事项进一步细化支持措施。")
    for gid in range(held + 1, held + 4):
        decide(app, group=gid, category="采纳")
    assert file_problems(app) == []
    assert publish(admin_client).status_code in (302, 303) and len(published_rows(app)) == 1
    for name, text in public_outputs(client).items():
        assert "3721" not in text and "轧差结算的办理时限" not in text, name


def test_the_annex_is_refused_while_it_would_print_a_files_text(app, client, seeded, admin_client):
    set_annex(admin_client, True)
    parts = send_paper(client)
    for i, part in enumerate(parts):
        gid = make_group(app, [part["id"]], key=part["clause_key"], title=f"分组{i}", summary="建议进一步细化支持措施。")
        decide(app, group=gid, category="采纳")
    (annex,) = file_problems(app)
    assert "附意见原文" in annex.message and "意见1、意见2、意见3" in annex.message and annex.field == "annex"
    publish(admin_client)
    assert published_rows(app) == []
    set_annex(admin_client, False)
    assert file_problems(app) == []


@pytest.mark.parametrize("with_file", [False, True])
def test_a_typed_letter_split_by_clause_is_quoted_as_before(app, client, seeded, admin_client, with_file):
    """What the citizen typed is theirs to publish (the form says the report may quote it), also when a file of
    other text came with it: only a part with lines that are not in the typed letter is the file's."""
    letter = "\n".join(["天津市商务局电子商务处：", "我公司对征求意见稿提出以下意见：", PAPER_POINTS["3.3.12"],
                        PAPER_POINTS["3.4.16"], "以上意见，请予研究。"])
    files = [("数据.docx", docx([p("附表：2023年营收3721万元。")]))] if with_file else []
    assert post_company_with_files(client, files, body=letter).status_code == 303
    parts = [c for c in comments_and_attachments(app)[0] if c["part_of"]]
    assert [c["clause_key"] for c in parts] == ["3.3.12", "3.4.16"] + ([None] if with_file else [])
    for part in parts:
        decide(app, comment=part["id"], category="采纳")
    found = file_problems(app)
    assert [x.message[:3] for x in found] == (["意见1"] if with_file else [])  # the whole-draft part: the file's table
