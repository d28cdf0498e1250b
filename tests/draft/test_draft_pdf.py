"""Drafts as PDF: the text layer read with pypdfium2, printed lines joined back into paragraphs."""

import io
import re
from dataclasses import replace

import pytest

from draft import SEED_PATH, DraftError, load, load_bytes, load_seed, parse
from draft.documents import Limits, PdfLine, paragraphs, read_pdf

from .builders import FIXTURES, image_pdf, text_pdf


@pytest.fixture(scope="module")
def seed_pdf() -> bytes:
    return text_pdf(SEED_PATH.read_text(encoding="utf-8"))


def test_seed_pdf_parses_to_the_same_draft_as_the_text(seed_pdf, tmp_path):
    pdf = read_pdf(seed_pdf)
    assert pdf.page_count > 10 and pdf.pages_without_text == []
    # the PDF really is wrapped and numbered: lines end mid-sentence and page numbers sit between them
    raw = "\n".join(pdf.pages)
    assert "— 2 —" in raw and "全面贯彻\n" in raw.replace("全面贯彻党", "")
    path = tmp_path / "seed.pdf"
    path.write_bytes(seed_pdf)
    assert load(path).to_dict() == load_seed().to_dict()


@pytest.mark.parametrize("name", ["regulation_chapters.txt", "decimal_standard.txt", "annex_numbered.txt",
                                  "table_in_clause.txt", "plan_mixed_widths.txt", "notice_gb18030.txt",
                                  "pdf_extracted.txt"])
def test_fixture_drafts_survive_a_pdf(name, shape):
    """Same tree, labels and headings; bodies equal but for spaces (the typesetter prints a
    full-width space as an ordinary gap, and a PDF has no tab characters: table cells come
    back tab-separated from the gaps between them)."""
    raw = (FIXTURES / name).read_bytes()
    text = raw.decode("gb18030") if name.endswith("gb18030.txt") else raw.decode("utf-8-sig")
    want, got = parse(text), load_bytes(text_pdf(text), name.replace(".txt", ".pdf"))
    assert [shape(c) for c in got.clauses] == [shape(c) for c in want.clauses]
    squeeze = re.compile(r"\s+")
    assert [squeeze.sub("", c.body) for c in got.walk()] == [squeeze.sub("", c.body) for c in want.walk()]
    assert (got.title, got.notice.opens_on, got.notice.closes_on) == (want.title, want.notice.opens_on,
                                                                      want.notice.closes_on)


def test_table_rows_come_back_tab_separated():
    d = load_bytes(text_pdf("第一条　标准如下：\n事项\t标准\n新建\t100万元\n第二条　本办法自发布之日起施行。"), "t.pdf")
    assert d.find("1").body.split("\n") == ["标准如下：", "事项\t标准", "新建\t100万元"]


def test_running_header_and_page_numbers_are_dropped():
    text = "\n".join(f"{n}.第{n}项措施。" + "加强跨境电商统计监测，完善统计口径和方法。" * 6 for n in range(1, 40))
    data = text_pdf(text, header="天津市商务局文件")
    assert read_pdf(data).page_count >= 4
    d = load_bytes(data, "x.pdf")
    assert len(d.clauses) == 39
    assert all("天津市商务局文件" not in c.body and "—" not in c.body for c in d.walk())
    assert d.find("39").body == "加强跨境电商统计监测，完善统计口径和方法。" * 6


def _line(text, left, right, bottom, height=16.0, first=16.0, page=0):
    return PdfLine(text, left, right, bottom, height, first, page)


def test_paragraph_rules_on_measured_lines():
    left, right = 90.0, 510.0
    body = [_line("正文行" * 10, left, right, 500 - 25 * i) for i in range(8)]   # a page of full lines
    lines = [
        _line("天津市跨境电子商务高质量发展", 150, 450, 760, height=24),    # a centred title on two lines
        _line("三年倍增计划", 230, 370, 730, height=24),
        _line("为加快培育跨境电商，", left + 32, right, 700),               # indented first line, full
        _line("特制定本计划。", left, 300, 675),                             # continues; short: ends
        _line("下一段没有缩进，上一行的空位放得下它的第一个字。", left, 400, 650),
        _line("https://www.example.gov.cn/zcwj 这个网址放不下", left, 420, 625, first=150),
        _line("一、指导思想", left + 32, 250, 600),                           # a clause always starts anew
        _line("以习近平新时代中国特色社会主义思想为指导，", left + 32, right, 575),
        _line("全面贯彻党的二十大精神。", left, 330, 550),
        _line("第二页开头缩进的新段落。", left + 32, right, 525, page=1),
        *[replace(line, page=1) for line in body],
    ]
    assert paragraphs(lines) == [
        "天津市跨境电子商务高质量发展三年倍增计划",
        "为加快培育跨境电商，特制定本计划。",
        "下一段没有缩进，上一行的空位放得下它的第一个字。https://www.example.gov.cn/zcwj这个网址放不下",
        "一、指导思想",
        "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。",
        "第二页开头缩进的新段落。" + "正文行" * 80,
    ]


def test_a_wider_gap_than_the_line_spacing_ends_a_paragraph():
    lines = [_line("正文" * 20, 90, 510, 700 - 25 * i) for i in range(6)] + [_line("空一行后的段落。", 90, 300, 500)]
    assert paragraphs(lines) == ["正文" * 120, "空一行后的段落。"]


def test_layout_spaces_are_removed_but_typed_ones_stay():
    from draft.documents import _line_text
    assert _line_text("时间为 2024 年 9 月 25 日至 10 月 10 日") == "时间为2024年9月25日至10月10日"
    assert _line_text("( 联 系 方 式 : 电 商 处 , 电 话 022-") == "(联系方式:电商处,电话022-"
    assert _line_text("电商处 纪鹏,电话022") == "电商处 纪鹏,电话022"
    assert _line_text("2.1 基本要求") == "2.1 基本要求"


def test_scanned_pdf_is_refused_as_a_draft():
    with pytest.raises(DraftError, match="没有文字层"):
        load_bytes(image_pdf(), "scan.pdf")


def _encrypted(user_password: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption(user_password, "owner", canCopy=0))
    c.setFont("STSong-Light", 14)
    c.drawString(72, 720, "一、总体要求")
    c.drawString(72, 700, "加快发展跨境电子商务。")
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_password_protected_pdf_is_refused_and_copy_protected_one_is_read():
    with pytest.raises(DraftError, match="打开密码"):
        load_bytes(_encrypted("secret"), "locked.pdf")
    assert load_bytes(_encrypted(""), "restricted.pdf").find("1").body == "加快发展跨境电子商务。"


def test_page_limit_truncates_and_a_draft_over_it_is_refused(seed_pdf):
    pdf = read_pdf(seed_pdf, Limits(max_pages=3))
    assert pdf.truncated and len(pdf.pages) == 3 and pdf.page_count > 3
    with pytest.raises(DraftError, match="超过 3 页"):
        load_bytes(seed_pdf, "seed.pdf", Limits(max_pages=3))


def test_content_decides_not_the_name(seed_pdf):
    assert load_bytes(seed_pdf, "draft.txt").title == load_seed().title
    with pytest.raises(DraftError, match="PDF 文件已损坏"):
        load_bytes(b"%PDF-1.7\n1 0 obj garbage", "draft.pdf")
    with pytest.raises(DraftError, match="不是 Word 文档"):
        import openpyxl
        book, buffer = openpyxl.Workbook(), io.BytesIO()
        book.save(buffer)
        load_bytes(buffer.getvalue(), "draft.docx")


def test_a_real_word_processor_pdf_reads_back(fixture_text):
    """fixtures/regulation_chapters_libreoffice.pdf: exports.DRAFT_FORMATS["docx"] of the parsed
    regulation_chapters.txt, converted by LibreOffice 7.4 (``soffice --headless --convert-to
    pdf``): an embedded font subset with a ToUnicode map, justified lines, a centred two-line
    title, a footer page number — the kind of file offices upload."""
    data = (FIXTURES / "regulation_chapters_libreoffice.pdf").read_bytes()
    import pypdfium2
    assert pypdfium2.PdfDocument(data).get_metadata_dict()["Producer"].startswith("LibreOffice")
    want, got = parse(fixture_text("regulation_chapters.txt")), load_bytes(data, "条例.pdf")
    assert got.title == want.title
    assert [c.to_dict() for c in got.clauses] == [c.to_dict() for c in want.clauses]
