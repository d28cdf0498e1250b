"""Documents besides the report: the draft as .docx, the 修改对照表, the 回执."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest

from draft import SEED_PATH, load_bytes, load_seed, parse
from draft.documents import read_pdf
from draft.revisions import revision_table
from exports import (
    COMPARISON_FORMATS,
    DOCUMENT_MEDIA_TYPES,
    DRAFT_FORMATS,
    PACKAGE_FORMATS,
    RECEIPT_FORMATS,
    Receipt,
    ReceiptPart,
    clause_refs,
    safe_stem,
)

FIXTURES = Path(__file__).resolve().parents[1] / "draft" / "fixtures"


def test_registries_have_media_types():
    for registry in (DRAFT_FORMATS, COMPARISON_FORMATS, RECEIPT_FORMATS, PACKAGE_FORMATS):
        assert set(registry) <= set(DOCUMENT_MEDIA_TYPES)
    assert safe_stem('a/b:c*?"<>|\x00 d') == "abc d"


# -- the draft as .docx -------------------------------------------------------------------------

def test_seed_docx_reads_back_as_the_same_draft():
    seed = load_seed()
    data = DRAFT_FORMATS["docx"](seed)
    assert load_bytes(data, "seed.docx").to_dict() == seed.to_dict()
    document = docx.Document(io.BytesIO(data))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Title", seed.title) in styled
    assert ("Heading 1", "一、指导思想") in styled and ("Heading 2", "(一)强化主体引育,助力产业提质扩面") in styled
    item = next(p for p in document.paragraphs if p.text.startswith("1.加强头部企业培育引进。"))
    assert item.runs[0].bold and item.runs[0].text == "1.加强头部企业培育引进"
    assert not item.runs[-1].bold
    assert document.core_properties.title == seed.title and document.core_properties.language == "zh-CN"
    annex = next(i for i, p in enumerate(document.paragraphs) if p.text == "附件")
    assert 'w:type="page"' in document.paragraphs[annex - 1]._p.xml   # the annex starts a new page


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_fixture_drafts_read_back_the_same(name):
    raw = (FIXTURES / name).read_bytes()
    text = raw.decode("gb18030") if "gb18030" in name else raw.decode("utf-8-sig")
    draft = parse(text)
    assert load_bytes(DRAFT_FORMATS["docx"](draft), "d.docx").to_dict() == draft.to_dict()


def test_table_rows_become_word_tables():
    draft = parse((FIXTURES / "table_in_clause.txt").read_text(encoding="utf-8"))
    document = docx.Document(io.BytesIO(DRAFT_FORMATS["docx"](draft)))
    assert len(document.tables) == 1
    assert [c.text for c in document.tables[0].rows[1].cells] == ["海外仓建设", "按实际投资额的20%", "200"]


# -- 修改对照表 ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def table():
    revised = (SEED_PATH.read_text(encoding="utf-8").replace("(征求意见稿)", "(送审稿)")
               .replace("2.加快传统企业转型升级。", "2.加快传统企业数字化转型升级。")
               .replace("(六)注重氛围营造。", "(六)注重宣传引导。")
               .replace("低于等值20万美元", "低于等值<50>万美元&"))
    old, new = load_seed(), parse(revised)
    cite = {k: r.title for k, r in clause_refs(new.clauses).items()}   # as docs/documents.md shows
    return revision_table(old, new, {"3.1.2": [3, 7], "4.6": [12, "文字修改"]}, cite_new=cite)


def test_comparison_html_fragment(table):
    html = COMPARISON_FORMATS["html"](table).decode("utf-8")
    assert html.startswith('<section class="revisions"') and "<html" not in html
    assert ">《天津市跨境电子商务高质量发展三年倍增计划》修改对照表</h2>" in html
    assert [h for h in re.findall(r'<th scope="col">(.*?)</th>', html)] == ["条款", "征求意见稿原文", "修改后", "修改依据"]
    assert "2.加快传统企业<ins>数字化</ins>转型升级。" in html
    assert "(六)注重<del>氛围营造</del>。" in html and "(六)注重<ins>宣传引导</ins>。" in html
    assert "<td>意见3、意见7</td>" in html and "<td>意见12；文字修改</td>" in html
    assert "低于等值<del>20</del>万美元(不含)" in html        # the 征求意见稿 column
    assert "低于等值<ins>&lt;50&gt;</ins>万美元<ins>&amp;</ins>(不含)" in html and "<50>" not in html   # 修改后
    assert html.count("<tr class=\"changed\">") == 3
    assert '<th scope="row">四(六)注重宣传引导</th>' in html   # cited unambiguously


def test_comparison_docx_marks_deletions_and_insertions(table):
    document = docx.Document(io.BytesIO(COMPARISON_FORMATS["docx"](table)))
    assert document.paragraphs[0].text == table.title
    grid = document.tables[0]
    assert [c.text for c in grid.rows[0].cells] == ["条款", "征求意见稿原文", "修改后", "修改依据"]
    assert len(grid.rows) == 4
    row = grid.rows[3].cells                      # (六) 注重氛围营造 → 注重宣传引导
    before = [(r.text, bool(r.font.strike)) for r in row[1].paragraphs[0].runs]
    after = [(r.text, bool(r.font.underline), bool(r.bold)) for r in row[2].paragraphs[0].runs]
    assert before[:2] == [("(六)注重", False), ("氛围营造", True)] and not before[2][1]
    assert ("宣传引导", True, True) in after
    assert row[3].text == "意见12；文字修改"
    section = document.sections[0]
    assert section.page_width > section.page_height   # landscape


def test_comparison_of_identical_versions_says_so():
    seed = load_seed()
    table = revision_table(seed, seed)
    assert table.rows == []
    assert "没有条款改动" in COMPARISON_FORMATS["html"](table).decode("utf-8")
    assert "没有条款改动" in "\n".join(p.text for p in docx.Document(io.BytesIO(COMPARISON_FORMATS["docx"](table))).paragraphs)


def test_added_and_removed_rows_in_html():
    old = parse("一、总则\n内容一。\n二、保障\n旧的保障措施。")
    new = parse("一、总则\n内容一。\n二、监督\n全新的监督检查规定，与原文无关。")
    html = COMPARISON_FORMATS["html"](revision_table(old, new)).decode("utf-8")
    assert '<tr class="added">' in html and "<td>（新增）</td>" in html
    assert '<tr class="removed">' in html and "<td>（删除）</td>" in html


# -- 回执 -----------------------------------------------------------------------------------------

@pytest.fixture
def receipt():
    return Receipt(
        code="ABCD-EFGH-JKLM",
        consultation="天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)",
        submitted_at=datetime(2024, 10, 1, 9, 5, tzinfo=ZoneInfo("Asia/Shanghai")),
        parts=[ReceiptPart("12.创新外汇管理服务", "建议将门槛提高到等值50万美元。\n联系电话139****1234。<b>", ("意见.pdf",)),
               ReceiptPart("", "总体支持本计划。")],
        office="天津市商务局电商处",
        lookup="网站首页“查询意见办理情况”",
    )


def test_receipt_text(receipt):
    data = RECEIPT_FORMATS["txt"](receipt)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n\n" not in data.replace(b"\r\n", b"")
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    assert text.startswith("意见提交回执\n\n回执编号：ABCD-EFGH-JKLM\n")
    assert "提交时间：2024年10月1日 09:05（北京时间）" in text
    assert "意见一　对应条款：12.创新外汇管理服务：\n  建议将门槛提高到等值50万美元。\n  联系电话139****1234。<b>\n  附件：意见.pdf" in text
    assert "意见二　对草案整体的意见：\n  总体支持本计划。" in text
    assert "请妥善保存本回执编号。查询方式：网站首页“查询意见办理情况”" in text


def test_single_part_receipt_names_the_clause_in_the_header():
    one = Receipt("ABCD-EFGH-JKLM", "某办法", datetime(2024, 1, 2, 3, 4, tzinfo=ZoneInfo("UTC")),
                  [ReceiptPart("第三条", "建议删除。")])
    text = RECEIPT_FORMATS["txt"](one).decode("utf-8-sig")
    assert "对应条款：第三条" in text and "意见内容：\r\n  建议删除。" in text
    assert "提交时间：2024年1月2日 03:04\r\n" in text   # not called Beijing time when it is not


def test_receipt_pdf_is_small_chinese_and_stable(receipt):
    data = RECEIPT_FORMATS["pdf"](receipt)
    assert data.startswith(b"%PDF-") and len(data) < 20_000
    assert b"/FontFile" not in data and b"STSong-Light" in data        # the CID font, not embedded
    text = read_pdf(data).text
    for expected in ("意见提交回执", "ABCD-EFGH-JKLM", "天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)",
                     "对应条款：12.创新外汇管理服务", "建议将门槛提高到等值50万美元。", "139****1234", "<b>",
                     "附件：意见.pdf", "总体支持本计划。", "天津市商务局电商处", "请妥善保存本回执编号。"):
        assert expected in text
    assert RECEIPT_FORMATS["pdf"](receipt) == data
