"""Issue 9 §5 and §6: the revised draft (送审稿) and its 修改对照表 published with the report; the decision
package (报审稿) and the 归档包 with `comment-portal verify-archive`."""

from __future__ import annotations

import io
import json
import re
import zipfile

import docx
import pytest

from comment_portal.db import get_db, rows
from draft import SEED_PATH
from exports import verify_archive
from tests.helpers import (
    FOREX,
    TALENT,
    add_comment,
    audit_rows,
    csrf_token,
    decide,
    docx_text,
    make_group,
    publish,
    published_rows,
)

SEED = SEED_PATH.read_text(encoding="utf-8")
ITEM_12 = "12.创新外汇管理服务。"
ITEM_16_LINE = next(line for line in SEED.splitlines() if line.startswith("16."))
REVISED = (SEED.replace("(征求意见稿)", "(送审稿)")
           .replace("低于等值20万美元", "低于等值50万美元"))
REVISED_WITHOUT_16 = REVISED.replace(ITEM_16_LINE + "\n", "")


@pytest.fixture
def decided(app, seeded):
    forex = [add_comment(app, FOREX, "3.3.12", name="李四", contact="lisi@example.com", channel="email"),
             add_comment(app, FOREX + "望采纳。", "3.3.12")]
    talent = [add_comment(app, TALENT, "3.4.16", name="王五", contact="13900001111")]
    g1 = make_group(app, forex, key="3.3.12", title="外汇", summary="建议提高小微企业免于名录登记的金额门槛。")
    g2 = make_group(app, talent, key="3.4.16", title="人才", summary="建议加强跨境电商人才培养。")
    decide(app, group=g1, category="采纳", revised_text="低于等值50万美元")
    decide(app, group=g2, category="未采纳", reason="该建议已在现行政策中体现。")
    return {"groups": [g1, g2], "forex": forex, "talent": talent}


def upload(client, text: str, name: str = "送审稿.txt", **extra):
    token = csrf_token(client, "/staff/c/seed/revised")
    return client.post("/staff/c/seed/revised", data={"csrf_token": token, "file": (io.BytesIO(text.encode()), name),
                                                      **extra}, content_type="multipart/form-data")


# -- §5 the revised draft ------------------------------------------------------------------------------------

def test_upload_matches_clauses_and_makes_the_revision_table(app, decided, admin_client):
    response = upload(admin_client, REVISED)
    assert response.status_code == 303
    page = admin_client.get("/staff/c/seed/revised").get_data(as_text=True)
    assert "第2版（送审稿）（当前）" in page and "送审稿.txt" in page
    assert "低于等值<del>20</del>万美元" in page and "低于等值<ins>50</ins>万美元" in page
    preview = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    # The adopted opinion on 12. is 意见1 in the report (3.3.12 comes before 3.4.16): the table cites it so.
    assert '<div class="opinion" id="opinion-1"><h4>意见1' in preview and "建议提高小微企业" in preview
    assert "修改对照表</h2>" in preview and "<td>意见1</td>" in preview
    change = audit_rows(app, "draft.revision")
    assert change[0]["after"]["version"] == 2 and change[0]["after"]["changed"] == 1
    # The consultation itself keeps the text consulted on.
    assert "(征求意见稿)" in admin_client.get("/c/seed").get_data(as_text=True)


def test_commented_clauses_that_vanish_are_refused_unless_confirmed(app, decided, admin_client):
    response = upload(admin_client, REVISED_WITHOUT_16)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "3.4.16（1条意见）" in page and "确认删除" in page
    with app.app_context():
        assert rows(get_db(), "SELECT id FROM draft_versions") == []
    assert upload(admin_client, REVISED_WITHOUT_16, drop_clauses="y").status_code == 303
    table = admin_client.get("/staff/c/seed/revised").get_data(as_text=True)
    assert '<tr class="removed">' in table and "（删除）" in table


def test_reviewers_read_the_table_but_cannot_upload(app, decided, admin_client, reviewer_client):
    upload(admin_client, REVISED)
    assert reviewer_client.get("/staff/c/seed/revised").status_code == 403
    response = reviewer_client.get("/staff/c/seed/revised/table.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.data))
    assert [c.text for c in document.tables[0].rows[0].cells] == ["条款", "征求意见稿原文", "修改后", "修改依据"]


def test_an_unreadable_file_keeps_the_page(app, decided, admin_client):
    response = upload(admin_client, "", name="送审稿.doc")
    assert response.status_code == 400 and "不支持的文件类型" in response.get_data(as_text=True)


def test_the_table_is_published_with_the_report(app, decided, admin_client, client):
    upload(admin_client, REVISED)
    assert publish(admin_client).status_code == 303
    page = client.get("/c/seed/feedback").get_data(as_text=True)
    assert "修改对照表</h2>" in page and "<ins>50</ins>" in page and "<td>意见1</td>" in page
    document = docx.Document(io.BytesIO(client.get("/c/seed/feedback/v1.docx").data))
    assert [c.text for c in document.tables[-1].rows[0].cells] == ["条款", "征求意见稿原文", "修改后", "修改依据"]
    assert client.get("/c/seed/feedback/v1.json").get_json()["revision_table"]["rows"]
    # A new upload after approval changes what would be published: the approval is void.
    from tests.helpers import sign_off

    decide(app, group=decided["groups"][1], category="部分采纳", reason="将在实施细则中研究。")
    assert sign_off(app)
    upload(admin_client, REVISED.replace("低于等值50万美元", "低于等值60万美元"))
    token = csrf_token(admin_client, "/staff/c/seed/report")
    response = admin_client.post("/staff/c/seed/report/publish", data={"csrf_token": token, "confirm": "y"})
    assert response.status_code == 409 and len(published_rows(app)) == 1


def test_the_table_names_the_opinion_whose_proposed_wording_was_adopted(app, decided, admin_client, client):
    """建议修改为 adopted as the decision's 修改后表述: the 修改对照表's 修改依据 names that opinion
    (``decisions.adopted_proposals``), on the staff page, in the report preview and in the published report."""
    from comment_portal.store import comments as comment_q
    from tests.helpers import consultation

    with app.app_context():
        db, c = get_db(), consultation(app)
        clause = rows(db, "SELECT body FROM clauses WHERE key = '3.3.12'")[0]["body"]
        proposal = clause.replace("低于等值20万美元", "低于等值50万美元")
        assert proposal != clause
        proposer = comment_q.insert(db, consultation_id=c.id, clause_key="3.3.12", body="建议把名录登记门槛提高到50万美元。",
                                    submitter_type="企业", name="某某支付有限公司", contact="",
                                    now=app.extensions["clock"].now(), proposal=proposal).id
    decide(app, comment=proposer, category="采纳", revised_text=proposal)
    upload(admin_client, REVISED)
    preview = admin_client.get("/staff/c/seed/report").get_data(as_text=True)
    number = re.search(r'id="opinion-(\d+)"><h4>[^<]*</h4>(?:(?!id="opinion-).)*名录登记门槛提高到50万美元', preview,
                       re.DOTALL).group(1)
    cell = f"<td>意见1、意见{number}；采用意见{number}建议的表述</td>"
    assert number != "1" and cell in preview
    assert cell in admin_client.get("/staff/c/seed/revised").get_data(as_text=True)
    assert publish(admin_client).status_code == 303
    assert cell in client.get("/c/seed/feedback").get_data(as_text=True)
    rows_ = client.get("/c/seed/feedback/v1.json").get_json()["revision_table"]["rows"]
    assert [r["basis"] for r in rows_ if r["basis"]] == [[1, int(number), f"采用意见{number}建议的表述"]]
    # Staff's own wording cites no proposal.
    decide(app, comment=proposer, category="采纳", revised_text="低于等值50万美元")
    assert "建议的表述" not in admin_client.get("/staff/c/seed/revised").get_data(as_text=True)


@pytest.fixture
def portal_cli(app, monkeypatch):
    """``comment-portal`` on the test app's database."""
    from click.testing import CliRunner

    from comment_portal.cli import main
    from comment_portal.db import close_all

    monkeypatch.setenv("COMMENT_PORTAL_DATABASE", app.config["DATABASE"])
    monkeypatch.setenv("COMMENT_PORTAL_SECRET_KEY", "cli-test")

    def invoke(*args: str):
        try:
            return CliRunner().invoke(main, list(args), catch_exceptions=False)
        finally:
            close_all()

    return invoke


def test_replace_uses_the_same_refusal(app, seeded, portal_cli, tmp_path):
    add_comment(app, TALENT, "3.4.16")
    path = tmp_path / "v2.txt"
    path.write_text(REVISED_WITHOUT_16, encoding="utf-8")
    result = portal_cli("import-draft", str(path), "--slug", "seed", "--replace")
    assert result.exit_code != 0 and "3.4.16（1条意见）" in result.output


# -- §6 the decision package and the archive ----------------------------------------------------------------

def test_decision_package_contact_details_for_admins_only(app, decided, admin_client, reviewer_client):
    for client, sees_contact in ((admin_client, True), (reviewer_client, False)):
        response = client.get("/staff/c/seed/report/package.docx")
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
        text = docx_text(response.data)
        assert "（报审稿）" in text and "建议提高小微企业免于名录登记的金额门槛。" in text and "该建议已在现行政策中体现。" in text
        assert FOREX in text and "李四" in text and "电子邮件" in text    # the comments behind it and their channels
        assert ("lisi@example.com" in text) is sees_contact and ("13900001111" in text) is sees_contact
    assert [a["after"]["include_contact"] for a in audit_rows(app, "report.package")] == [True, False]


def test_decision_package_is_staff_only(app, decided, client):
    assert client.get("/staff/c/seed/report/package.docx").status_code == 302


def test_archive_holds_the_whole_record_and_verifies(app, decided, admin_client, reviewer_client):
    upload(admin_client, REVISED)
    assert publish(admin_client).status_code == 303
    assert reviewer_client.get("/staff/c/seed/archive.zip").status_code == 403
    response = admin_client.get("/staff/c/seed/archive.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.data
    checked = verify_archive(data)
    assert checked.ok, checked.problems
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {"README.txt", "manifest.json", "SHA256SUMS", "draft/v1-consultation.json", "draft/v2-revised.json",
                "draft/v2-revised-source.txt", "comments/comments-CONFIDENTIAL.json", "decisions/decisions.json",
                "review/report_reviews.json", "audit/audit_log.json", "published/v1/feedback.html",
                "published/v1/feedback.docx", "published/v1/feedback.json"} <= names
        comments = json.loads(archive.read("comments/comments-CONFIDENTIAL.json"))
        assert comments["classification"].startswith("内部资料")
        assert {c["contact"] for c in comments["comments"]} >= {"lisi@example.com", "13900001111"}
        assert archive.read("draft/v2-revised-source.txt").decode() == REVISED
        assert "内部资料" in archive.read("README.txt").decode()
        audit = json.loads(archive.read("audit/audit_log.json"))
        assert {"report.submit", "report.approve", "report.publish"} <= {a["action"] for a in audit}
        stored = next(r for r in rows_of(app, "published_files") if r["format"] == "docx")
        assert archive.read("published/v1/feedback.docx") == stored["body"]
    record = audit_rows(app, "archive.create")
    assert record[0]["after"]["manifest_sha256"] == checked.manifest_sha256


def rows_of(app, table):
    with app.app_context():
        return rows(get_db(), f"SELECT * FROM {table}")


def test_cli_archive_and_verify_archive(app, decided, portal_cli, tmp_path):
    result = portal_cli("archive", "seed", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = next(tmp_path.glob("seed-archive-*.zip"))
    ok = portal_cli("verify-archive", str(path))
    assert ok.exit_code == 0 and "核对通过" in ok.output, ok.output
    assert audit_rows(app, "archive.create")[0]["actor"] == "命令行"
    # One changed byte, inside the stored audit log: reported, non-zero exit, one Error: line.
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("audit/audit_log.json")
    header = info.header_offset  # the local header's own name and extra-field lengths
    start = header + 30 + int.from_bytes(data[header + 26:header + 28], "little") + int.from_bytes(
        data[header + 28:header + 30], "little")
    data[start + info.compress_size // 2] ^= 0x20
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(data))
    bad = portal_cli("verify-archive", str(damaged))
    assert bad.exit_code != 0
    assert "audit/audit_log.json" in bad.output and bad.output.count("Error:") == 1
    missing = portal_cli("verify-archive", str(tmp_path / "none.zip"))
    assert missing.exit_code != 0 and "Error: 文件不存在" in missing.output
