"""The CSV/XLSX importer on the files people actually send."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from comment_portal import importer
from comment_portal.db import get_db, rows
from comment_portal.store import consultations as consultation_q

TODAY = date(2024, 10, 20)


@pytest.fixture
def clause_index(app, seeded):
    with app.app_context():
        db = get_db()
        return importer.ClauseIndex(consultation_q.clauses_of(db, consultation_q.get_by_slug(db, "seed").id))


@pytest.mark.parametrize("value, key", [(12, "3.3.12"), ("12", "3.3.12"), (12.0, "3.3.12"), ("12.", "3.3.12"),
                                        ("3.3.12", "3.3.12"), ("一、", "1"), ("", None), ("整体", None)])
def test_clause_values(clause_index, value, key):
    assert clause_index.find(value) == key


@pytest.mark.parametrize("value", ["1", 1, "3"])
def test_bare_number_that_is_both_a_key_and_an_item_label_is_refused(clause_index, value):
    """1 is the key of 一、指导思想 and the label of item 1. (3.1.1): never guess."""
    with pytest.raises(ValueError, match="既可指条款键"):
        clause_index.find(value)


def test_excel_serial_dates():
    assert importer._date(45573, TODAY) == "2024-10-08"
    assert importer._date("45573", TODAY) == "2024-10-08"
    with pytest.raises(ValueError):
        importer._date(12, TODAY)


def test_big5_csv_is_read_not_garbled():
    text = "body,clause\n建議明確海外倉認定標準，並給予補貼。,10.\n"
    rows_read = list(importer.read_rows(text.encode("big5"), "letters.csv"))
    assert rows_read[1][1][0] == "建議明確海外倉認定標準，並給予補貼。"


def test_gb18030_csv_still_read():
    text = "意见内容,对应条款\n建议明确海外仓认定标准。,10.\n"
    assert list(importer.read_rows(text.encode("gb18030"), "x.csv"))[1][1][0] == "建议明确海外仓认定标准。"


def test_one_huge_csv_cell_is_that_rows_error_only(app, seeded):
    text = "意见内容,对应条款\n建议明确海外仓认定标准。,10.\n" + "长" * 200_000 + ",10.\n建议简化申报流程。,10.\n"
    with app.app_context():
        db = get_db()
        result = importer.import_comments(db, consultation_q.get_by_slug(db, "seed"), text.encode(), "x.csv",
                                          now=app.extensions["clock"].now(), staff=None)
    assert len(result.inserted) == 2 and [e.line for e in result.errors] == [3]


def _xlsx_with_stale_dimension() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["意见内容", "对应条款"])
    sheet.append(["建议明确海外仓认定标准。", "10."])
    sheet.append(["建议简化申报流程。", "10."])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
                assert b'<dimension ref="A1"/>' in data
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_with_a_stale_dimension_is_read_whole():
    read = list(importer.read_rows(_xlsx_with_stale_dimension(), "x.xlsx"))
    assert [n for n, _ in read] == [1, 2, 3]
    assert read[2][1][0] == "建议简化申报流程。"


def test_import_stores_rows_with_tokens(app, seeded):
    with app.app_context():
        db = get_db()
        result = importer.import_comments(db, consultation_q.get_by_slug(db, "seed"), _xlsx_with_stale_dimension(),
                                          "x.xlsx", now=app.extensions["clock"].now(), staff=None)
        stored = rows(db, "SELECT clause_key, tokens FROM comments")
    assert len(result.inserted) == 2 and all(r["clause_key"] == "3.3.10" and r["tokens"] for r in stored)


def test_importing_the_same_file_twice_does_not_double_the_comments(app, seeded):
    text = ("意见内容,对应条款,渠道,收到日期,姓名或单位\n"
            "建议明确海外仓认定标准。,10.,信函,2024-09-28,王某\n"
            "建议明确海外仓认定标准。,10.,信函,2024-09-28,\n"
            "建议明确海外仓认定标准。,10.,信函,2024-09-28,\n").encode()
    with app.app_context():
        db = get_db()
        c = consultation_q.get_by_slug(db, "seed")
        first = importer.import_comments(db, c, text, "letters.csv", now=app.extensions["clock"].now(), staff=None)
        second = importer.import_comments(db, c, text, "letters.csv", now=app.extensions["clock"].now(), staff=None)
        count = rows(db, "SELECT count(*) AS n FROM comments")[0]["n"]
    assert len(first.inserted) == 3  # identical anonymous letters in one file are kept: two people may send one
    assert not second.inserted and count == 3
    assert [e.line for e in second.errors] == [2, 3, 4] and "未再次导入" in second.errors[0].reason


def test_formula_cells_without_results_are_reported_not_skipped(app, seeded):
    book = Workbook()
    sheet = book.active
    sheet.append(["意见内容", "对应条款"])
    sheet.append(["建议明确海外仓认定标准。", "10."])
    sheet.append(['=A2&"（补充）"', "10."])  # written by a script: no cached result
    buffer = io.BytesIO()
    book.save(buffer)
    with app.app_context():
        db = get_db()
        result = importer.import_comments(db, consultation_q.get_by_slug(db, "seed"), buffer.getvalue(), "x.xlsx",
                                          now=app.extensions["clock"].now(), staff=None)
    assert len(result.inserted) == 1
    assert [e.line for e in result.errors] == [3] and "公式" in result.errors[0].reason
