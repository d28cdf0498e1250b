"""Issue 8 item 6: hostile or broken XLSX/CSV imports get one Chinese line (web) and one ``Error:`` line (CLI)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from comment_portal import importer
from comment_portal.db import get_db, scalar
from draft import SEED_PATH
from tests.helpers import staff_post

GOOD = "建议明确海外仓认定标准，并对租赁海外仓给予补贴。"


def workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data: bytes, member: str, change) -> bytes:
    """The same package with one part changed (``change(bytes) -> bytes``)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info.filename, change(body) if info.filename == member else body)
    return out.getvalue()


def excel_like(rows: list[list[str]]) -> bytes:
    """A minimal package as Excel writes it: text in a shared-string table (openpyxl writes inline strings)."""
    from xml.sax.saxutils import escape

    strings = [text for row in rows for text in row]
    cells = []
    for r, row in enumerate(rows, start=1):
        refs = "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(text)}</v></c>' for c, text in enumerate(row))
        cells.append(f'<row r="{r}">{refs}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{"".join(cells)}'
            '</sheetData></worksheet>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">' + "".join(f"<si><t>{escape(t)}</t></si>" for t in strings) + "</sst>"),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text.encode())
    return out.getvalue()


BASE = excel_like([["意见内容", "对应条款"], [GOOD, "10."], ["建议加强跨境电商人才培养。", "整体"]])
SHEET, STRINGS, BOOK = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"

LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;">]>')
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _with_prolog(prolog: bytes, entity: bytes):
    def change(body: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", body)
        return prolog + body.replace("建议加强跨境电商人才培养。".encode(), entity, 1)
    return change


def _bad_shared_string_index(body: bytes) -> bytes:
    # The second data row's text cell points past the end of the shared-string table.
    return body.replace(b'<c r="A3" t="s"><v>4</v>', b'<c r="A3" t="s"><v>999</v>')


HOSTILE = {
    "truncated sheet XML": (rewrite(BASE, SHEET, lambda b: b[: len(b) // 2]), "已损坏"),
    "truncated shared strings": (rewrite(BASE, STRINGS, lambda b: b[: len(b) - 20]), "已损坏"),
    "truncated workbook part": (rewrite(BASE, BOOK, lambda b: b[:40]), "已损坏"),
    "truncated zip": (BASE[: len(BASE) // 2], "无法打开这个 Excel 文件"),
    "entity expansion": (rewrite(BASE, STRINGS, _with_prolog(LAUGHS, b"&lol4;")), "DTD 或实体"),
    "external entity": (rewrite(BASE, STRINGS, _with_prolog(EXTERNAL, b"&xxe;")), "DTD 或实体"),
    "DTD in the workbook": (rewrite(BASE, BOOK, _with_prolog(b'<?xml version="1.0"?><!DOCTYPE w []>', b"")), "DTD 或实体"),
    "empty sheet": (workbook([]), "文件是空的"),
    "bad shared-string index": (rewrite(BASE, SHEET, _bad_shared_string_index), "Excel 文件内容有误"),
    "not a zip at all": (b"PK\x03\x04" + b"\x00" * 200, "无法打开这个 Excel 文件"),
}


def test_bad_shared_string_fixture_really_points_past_the_table():
    assert b"<v>999</v>" in zipfile.ZipFile(io.BytesIO(HOSTILE["bad shared-string index"][0])).read(SHEET)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xlsx_on_the_web_page_is_one_chinese_line(app, seeded, admin_client, case):
    data, message = HOSTILE[case]
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash must show as a 500 status here
    url = "/staff/c/seed/import"
    response = staff_post(admin_client, url, {"file": (io.BytesIO(data), "letters.xlsx")}, form_url=url,
                          content_type="multipart/form-data", follow_redirects=True)
    page = response.get_data(as_text=True)
    # Refused at once (the package check), or by the import job, whose failure the page then shows.
    assert response.status_code in (400, 200), (case, response.status_code)
    assert response.status_code == 400 or "导入意见没有完成" in page, case
    assert message in page, case
    assert "Traceback" not in page and "lol" not in page and "root:" not in page
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 0


@pytest.fixture
def seeded_cli(cli):
    assert cli("import-draft", str(SEED_PATH), "--slug", "seed").exit_code == 0
    return cli


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_xlsx_on_the_command_line_is_one_error_line(seeded_cli, tmp_path, case):
    data, message = HOSTILE[case]
    path = tmp_path / "letters.xlsx"
    path.write_bytes(data)
    result = seeded_cli("import-comments", "seed", str(path))  # catch_exceptions=False: a traceback fails here
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output


def test_openpyxl_reads_worksheets_through_defusedxml():
    """openpyxl switches to defusedxml only when it is installed: it is a dependency, and this says so."""
    from defusedxml.ElementTree import iterparse as defused_iterparse
    from openpyxl.xml import DEFUSEDXML, functions

    assert DEFUSEDXML is True
    assert functions.iterparse is defused_iterparse


def test_the_package_check_runs_before_openpyxl(monkeypatch):
    """Even a parser that would expand entities never sees the file: the defusedxml pass refuses it first."""
    import openpyxl

    def must_not_run(*args, **kwargs):
        raise AssertionError("openpyxl was handed a file with a DTD")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_run)
    with pytest.raises(importer.ImportFileError, match="DTD 或实体"):
        list(importer.read_rows(HOSTILE["entity expansion"][0], "x.xlsx"))


def test_rows_over_the_cap_are_refused_and_nothing_is_stored(app, seeded, monkeypatch):
    from comment_portal.store import consultations as consultation_q

    monkeypatch.setattr(importer, "MAX_ROWS", 3)
    data = workbook([["意见内容"], *([f"{GOOD}（第{i}封来信）"] for i in range(4))])
    with app.app_context():
        db = get_db()
        row = consultation_q.get_by_slug(db, "seed")
        with pytest.raises(importer.ImportFileError, match="超过 3 行"):
            importer.import_comments(db, row, data, "x.xlsx", now=app.extensions["clock"].now(), staff=None)
        assert scalar(db, "SELECT count(*) FROM comments") == 0
        exactly = workbook([["意见内容"], *([f"{GOOD}（第{i}封来信）"] for i in range(3))])
        result = importer.import_comments(db, row, exactly, "x.xlsx", now=app.extensions["clock"].now(), staff=None)
        assert len(result.inserted) == 3


def test_csv_rows_over_the_cap_are_refused_too(monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    text = "意见内容\n" + "".join(f"{GOOD}{i}\n" for i in range(3))
    with pytest.raises(importer.ImportFileError, match="超过 2 行"):
        list(importer.read_rows(text.encode(), "x.csv"))


def test_only_the_first_columns_are_read():
    wide = workbook([["意见内容", *[f"列{i}" for i in range(2, 16_001)]], [GOOD, *range(2, 16_001)]])
    found = list(importer.read_rows(wide, "wide.xlsx"))
    assert [len(cells) for _, cells in found] == [importer.MAX_COLUMNS, importer.MAX_COLUMNS]
    wide_csv = ("意见内容" + ",x" * 100_000 + "\n" + GOOD + ",1" * 100_000 + "\n").encode()
    assert all(len(cells) == importer.MAX_COLUMNS for _, cells in importer.read_rows(wide_csv, "wide.csv"))


def test_unpacked_size_is_capped(monkeypatch):
    monkeypatch.setattr(importer, "MAX_XLSX_UNPACKED", 2_000)
    with pytest.raises(importer.ImportFileError, match="解压后超过"):
        list(importer.read_rows(BASE, "x.xlsx"))


def test_a_good_workbook_still_imports():
    found = list(importer.read_rows(BASE, "x.xlsx"))
    assert [cells[0] for _, cells in found] == ["意见内容", GOOD, "建议加强跨境电商人才培养。"]


def test_the_excel_like_package_imports_on_the_web_page(app, seeded, admin_client):
    url = "/staff/c/seed/import"
    response = staff_post(admin_client, url, {"file": (io.BytesIO(BASE), "letters.xlsx")}, form_url=url,
                          content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200 and "已导入 2 条意见" in response.get_data(as_text=True)
    with app.app_context():
        assert scalar(get_db(), "SELECT count(*) FROM comments") == 2
