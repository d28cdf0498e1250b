"""`comment-portal import-comments` and `comment-portal analyze` through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from draft import SEED_PATH
from tests.helpers import CAMPAIGN, FOREX, OVERSEAS, TALENT

HEADER = "意见内容,对应条款,身份,姓名或单位,联系方式,渠道,收到日期\n"


@pytest.fixture
def cli(cli):
    """The CLI with the seed imported as slug ``seed``."""
    assert cli("import-draft", str(SEED_PATH), "--slug", "seed").exit_code == 0
    return cli


def _db_rows(cli, sql: str, params=()):
    from comment_portal.db import close_all, open_database, rows

    db = open_database(cli.db_path)
    try:
        return rows(db, sql, params)
    finally:
        db.close()
        close_all()


def test_import_csv_keeps_good_rows_and_reports_bad_ones_by_line(cli, tmp_path):
    path = tmp_path / "letters.csv"
    path.write_text(
        HEADER
        + f"{OVERSEAS},10.,企业,天津某某贸易有限公司,022-12345678,信函,2024-09-28\n"  # line 2: good
        + ",10.,个人,,,信函,2024-09-28\n"  # line 3: no text
        + f"{TALENT},,个人,王某,,电子邮件,2024-09-29\n"  # line 4: good, whole draft
        + f"{FOREX},(三),个人,,,信函,2024-09-29\n"  # line 5: ambiguous label
        + f"{FOREX},三、(三),个人,,,传真,2024-09-29\n"  # line 6: unknown channel
        + f"{FOREX},三、(三),个人,,,phone,2024/13/01\n"  # line 7: impossible date
        + f"{CAMPAIGN},99.,个人,,,letter,2024-09-29\n",  # line 8: unknown clause
        encoding="utf-8",
    )
    result = cli("import-comments", "seed", str(path))
    assert result.exit_code == 1
    assert "已导入 2 条意见" in result.output
    for line, reason in [(3, "意见内容为空"), (5, "对应多个条款"), (6, "渠道"), (7, "收到日期"), (8, "找不到条款")]:
        assert f"第{line}行未导入：" in result.output and reason in result.output, (line, result.output)
    assert "第2行未导入" not in result.output and "第4行未导入" not in result.output
    stored = _db_rows(cli, "SELECT * FROM comments ORDER BY id")
    for line, row in zip((2, 4), stored):  # receipt codes printed, so staff can tell the letter-writers
        assert f"第{line}行 → 意见编号 {row['id']}，回执编号 {row['receipt_code']}" in result.output
    assert [r["clause_key"] for r in stored] == ["3.3.10", None]
    assert [r["channel"] for r in stored] == ["letter", "email"]
    assert stored[0]["received_on"] == "2024-09-28" and stored[0]["contact"] == "022-12345678"
    assert all(r["receipt_code"] and json.loads(r["tokens"]) for r in stored)
    assert {"海外仓", "补贴"} <= set(json.loads(stored[0]["tokens"]))  # 海外仓: a term of the draft
    audit = _db_rows(cli, "SELECT * FROM audit_log WHERE action = 'comment.import'")
    assert len(audit) == 1 and json.loads(audit[0]["after_json"])["imported"] == 2


def test_import_xlsx_with_english_headers(cli, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["channel", "body", "clause", "received_on", "submitter_type"])
    sheet.append(["meeting", OVERSEAS, "3.3.10", "2024-10-02", "企业"])
    sheet.append(["座谈会", "短", "", "2024-10-02", "个人"])
    path = tmp_path / "meeting.xlsx"
    book.save(path)
    result = cli("import-comments", "seed", str(path))
    assert "已导入 1 条意见" in result.output
    assert "第3行未导入：意见内容需在5至5000字之间" in result.output
    stored = _db_rows(cli, "SELECT channel, clause_key, submitter_type FROM comments")
    assert stored == [{"channel": "meeting", "clause_key": "3.3.10", "submitter_type": "企业"}]


def test_import_failures_are_one_line(cli, tmp_path):
    missing = cli("import-comments", "seed", str(tmp_path / "nope.csv"))
    assert missing.exit_code != 0 and "文件不存在" in missing.output
    unknown = cli("import-comments", "no-such", str(tmp_path / "nope.csv"))
    assert "找不到征求意见稿" in unknown.output
    bad_type = tmp_path / "x.txt"
    bad_type.write_text("意见内容\n你好你好你好\n", encoding="utf-8")
    assert ".csv" in cli("import-comments", "seed", str(bad_type)).output
    no_header = tmp_path / "y.csv"
    no_header.write_text("内容x,条款x\n建议建议建议,1\n", encoding="utf-8")
    result = cli("import-comments", "seed", str(no_header))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1 and "意见内容" in lines[0]


def test_analyze_prints_counts_and_stores_the_run(cli, tmp_path):
    path = tmp_path / "many.csv"
    rows = [f"{CAMPAIGN}{'谢谢！' if i % 2 else ''},,个人,,,信函,2024-09-28" for i in range(8)]
    rows += [f"{OVERSEAS},10.,企业,,,信函,2024-09-28", f"{TALENT},,个人,,,信函,2024-09-28",
             "！！！？？？,,个人,,,信函,2024-09-28", "支持！希望早日落地。,,个人,,,信函,2024-09-28",
             "代开各类发票，税点低，加微信 fp8866,,个人,,,信函,2024-09-28"]
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    assert cli("import-comments", "seed", str(path)).exit_code == 0
    result = cli("analyze", "seed")
    assert result.exit_code == 0, result.output
    assert "集中意见（同一模板）1 组" in result.output and "未能处理 1 条" in result.output
    assert "仅表示支持的意见 1 条" in result.output and "疑似无效意见 1 条待工作人员确认" in result.output
    runs = _db_rows(cli, "SELECT * FROM analysis_runs")
    assert len(runs) == 1 and runs[0]["comment_count"] == 13 and runs[0]["max_comment_id"] == 13
    assert json.loads(runs[0]["params_json"])["random_state"] == 0
    assert "analysis" in runs[0]["software_version"]
    campaign = _db_rows(cli, "SELECT g.id, (SELECT count(*) FROM comments m WHERE m.group_id = g.id) AS n "
                             "FROM groups g WHERE kind = 'campaign'")
    assert campaign[0]["n"] == 8
    assert _db_rows(cli, "SELECT count(*) AS n FROM comments WHERE status = 'grouped'")[0]["n"] == 12


def test_analyze_without_comments_is_a_clear_error(cli):
    result = cli("analyze", "seed")
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1 and "还没有可分析的意见" in lines[0]
    assert "找不到征求意见稿" in cli("analyze", "nope").output


def test_analyze_shows_progress_on_long_runs(cli, tmp_path, monkeypatch):
    import comment_portal.cli as cli_module

    path = tmp_path / "few.csv"
    path.write_text(HEADER + f"{OVERSEAS},10.,企业,,,信函,2024-09-28\n{TALENT},,个人,,,信函,2024-09-28\n",
                    encoding="utf-8")
    assert cli("import-comments", "seed", str(path)).exit_code == 0
    monkeypatch.setattr(cli_module, "PROGRESS_MIN_COMMENTS", 2)
    result = cli("analyze", "seed")
    assert result.exit_code == 0
    for stage in ("load", "analyse", "save"):
        assert cli_module.JOB_STAGES[stage] in result.output
    assert "分析完成（第1次" in result.output
    rerun = cli("analyze", "seed")
    assert "分析完成（第2次" in rerun.output


def test_row_numbers_count_spreadsheet_rows(cli, tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text(HEADER + f'"{OVERSEAS}\n第二段：补贴要及时兑现。",10.,企业,,,信函,2024-09-28\n'
                    + ",,个人,,,信函,2024-09-28\n", encoding="utf-8")
    result = cli("import-comments", "seed", str(path))
    assert "已导入 1 条意见" in result.output and "第3行未导入：意见内容为空" in result.output
    (row,) = _db_rows(cli, "SELECT body FROM comments")
    assert row["body"].endswith("第二段：补贴要及时兑现。") and "\n" in row["body"]
