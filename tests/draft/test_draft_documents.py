"""Comment attachments: recognised by content, text extracted, everything else refused in Chinese."""

import io
import zipfile
from datetime import date

import docx
import openpyxl
import pytest
from PIL import Image

from draft.documents import NO_TEXT_LAYER, TEXT_DEFERRED, Limits, MiB, read_attachment, sniff

from .builders import Lvl, Num, image_pdf, numbering_xml, p, text_pdf
from .builders import docx as raw_docx


def position_paper() -> bytes:
    document = docx.Document()
    document.add_paragraph("天津市跨境电子商务协会关于《三年倍增计划》的意见")
    document.add_paragraph("一、关于第10条通关便利化：建议明确退货中心仓的申报流程。")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("指标", "建议值"), ("海外仓面积", "5000平方米")]):
        row.cells[0].text, row.cells[1].text = values
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "出口数据"
    sheet.append(["年份", "交易额（亿元）", "统计日期"])
    sheet.append([2023, 512.5, date(2024, 1, 31)])
    sheet.append([2024, 600.0, None])
    other = book.create_sheet("建议")
    other["B2"] = "提高统计口径一致性"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def image(fmt: str, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def test_pdf_text_and_page_count():
    a = read_attachment("意见.pdf", text_pdf("关于第十条的意见\n建议简化退货中心仓的申报材料。" * 3))
    assert a.ok and a.kind == "pdf" and a.media_type == "application/pdf"
    assert a.pages == 1 and not a.no_text_layer and a.notes == ()
    assert "建议简化退货中心仓的申报材料。" in a.text


def test_scanned_pdf_is_kept_and_marked_for_reading_by_a_person():
    a = read_attachment("扫描件.pdf", image_pdf(pages=3))
    assert a.ok and a.kind == "pdf" and a.pages == 3
    assert a.no_text_layer and a.text == "" and NO_TEXT_LAYER in a.notes


def test_a_pdf_over_text_pages_is_recognised_and_its_text_left_for_later():
    data = text_pdf("建议简化退货中心仓的申报材料。\n" * 40, size=40)
    later = read_attachment("意见.pdf", data, text_pages=2)
    assert later.ok and later.kind == "pdf" and later.text_deferred and later.text == "" and later.pages > 2
    assert not later.no_text_layer and TEXT_DEFERRED in later.notes
    now = read_attachment("意见.pdf", data, text_pages=later.pages)
    assert not now.text_deferred and "退货中心仓" in now.text and now.pages == later.pages
    # Damaged or refused files are still refused before any text is read.
    assert not read_attachment("意见.pdf", b"%PDF-1.7 damaged", text_pages=0).ok


def test_pdf_with_some_scanned_pages_names_them():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for page in range(3):
        if page != 1:
            c.setFont("STSong-Light", 14)
            c.drawString(72, 720, f"第{page + 1}页：建议明确海外仓认定标准和申报流程。")
        else:
            c.rect(72, 400, 300, 200, fill=1)   # a scanned page: a picture only
        c.showPage()
    c.save()
    a = read_attachment("混合.pdf", buffer.getvalue())
    assert a.ok and a.pages == 3 and not a.no_text_layer
    assert a.notes == ("第 2 页没有文字层，需人工阅读。",)
    assert "第1页" in a.text and "第3页" in a.text


def test_docx_paragraphs_tables_and_list_numbers():
    a = read_attachment("意见.docx", position_paper())
    assert a.kind == "docx" and a.pages is None
    assert a.text.split("\n") == ["天津市跨境电子商务协会关于《三年倍增计划》的意见",
                                  "一、关于第10条通关便利化：建议明确退货中心仓的申报流程。",
                                  "指标\t建议值", "海外仓面积\t5000平方米"]
    numbered = raw_docx([p("建议一", 1, 0), p("建议二", 1, 0)],
                        numbering_xml({0: [Lvl("chineseCounting", "%1、", suffix="nothing")]}, {1: Num(0)}))
    assert read_attachment("n.docx", numbered).text == "一、建议一\n二、建议二"


def test_xlsx_cells_with_sheet_names():
    a = read_attachment("数据.xlsx", workbook())
    assert a.kind == "xlsx"
    assert a.text.split("\n") == ["工作表：出口数据", "年份\t交易额（亿元）\t统计日期", "2023\t512.5\t2024-01-31",
                                  "2024\t600", "工作表：建议", "提高统计口径一致性"]


@pytest.mark.parametrize(("fmt", "kind"), [("JPEG", "jpg"), ("PNG", "png")])
def test_images_are_stored_without_text(fmt, kind):
    a = read_attachment(f"照片.{kind}", image(fmt))
    assert a.ok and a.kind == kind and a.text == "" and a.notes == ("图片不做文字识别，需人工阅读。",)


def test_content_decides_not_the_name():
    assert read_attachment("意见.docx", text_pdf("一段文字。" * 5)).kind == "pdf"
    assert read_attachment("表.docx", workbook()).kind == "xlsx"
    assert read_attachment("photo.pdf", image("PNG")).kind == "png"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    c.drawString(72, 720, "locked")
    c.showPage()
    c.save()
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("程序.pdf", b"MZ\x90\x00" + b"\x00" * 200, "可执行程序"),
    ("linux.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "可执行程序"),
    ("资料.docx", _zip({"readme.txt": b"hello", "data.csv": b"a,b"}), "压缩包"),
    ("演示.docx", _zip({"[Content_Types].xml": b"<x/>", "ppt/presentation.xml": b"<x/>"}), "PowerPoint"),
    ("旧版.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500, "旧版 Office"),
    ("坏的.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"}), "已损坏"),
    ("截断.pdf", text_pdf("被截断的文件。" * 20)[:900], "已损坏"),
    ("半截.png", image("PNG", (300, 300))[:200], "图片已损坏"),
    ("加密.pdf", _encrypted_pdf(), "打开密码"),
    ("空.pdf", b"", "空的"),
    ("说明.txt", "纯文本的意见。".encode(), "无法识别的文件类型"),
    ("动图.gif", b"GIF89a" + b"\x00" * 50, "GIF"),
    ("网页.pdf", b"<html><body>hi</body></html>", "无法识别的文件类型"),
])
def test_refused_with_a_reason_in_chinese(name, data, reason):
    a = read_attachment(name, data)
    assert not a.ok and a.kind is None and a.text == ""
    assert reason in a.refusal and "\n" not in a.refusal


def test_too_big_per_the_given_limit():
    data = text_pdf("意见。" * 50)
    assert read_attachment("a.pdf", data, Limits(max_bytes=len(data))).ok
    refused = read_attachment("a.pdf", data, Limits(max_bytes=len(data) - 1))
    assert not refused.ok and "文件过大" in refused.refusal
    assert "10.0 MB" in read_attachment("big.pdf", b"%PDF-" + b"0" * (10 * MiB)).refusal


def test_zip_bombs_are_refused_before_parsing():
    zeros = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (30 * MiB)})
    assert len(zeros) < 100_000
    a = read_attachment("bomb.docx", zeros)
    assert not a.ok and "压缩炸弹" in a.refusal
    many = _zip({"word/document.xml": b"<x/>", **{f"f{i}.xml": b"" for i in range(60)}})
    assert "部件过多" in read_attachment("many.docx", many, Limits(max_members=50)).refusal
    total = read_attachment("x.xlsx", workbook(), Limits(max_unzipped=1000))
    assert not total.ok and "解压后过大" in total.refusal


def test_a_zip_that_lies_about_its_sizes_is_refused_as_damaged():
    import struct

    honest = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\x00" * (30 * MiB)})
    lying = honest.replace(struct.pack("<I", 30 * MiB), struct.pack("<I", 1000))   # local + central headers
    import tracemalloc

    tracemalloc.start()
    try:
        a = read_attachment("lying.docx", lying)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not a.ok and "已损坏" in a.refusal      # zipfile stops at the declared size: CRC error
    assert peak < 5 * MiB                          # the 30 MB member was never inflated


def test_huge_sheets_are_cut_at_the_cell_cap():
    book = openpyxl.Workbook()
    for r in range(200):
        book.active.append([f"第{r}行", r, r * 2, r * 3, r * 4])
    buffer = io.BytesIO()
    book.save(buffer)
    a = read_attachment("大表.xlsx", buffer.getvalue(), Limits(max_cells=100))
    assert a.ok and a.truncated and a.notes and "部分单元格" in a.notes[0]
    assert 15 <= len(a.text.split("\n")) <= 25


def test_image_pixel_cap():
    big = image("PNG", (2000, 2000))
    assert read_attachment("a.png", big).ok
    refused = read_attachment("a.png", big, Limits(max_pixels=1_000_000))
    assert not refused.ok and "尺寸过大" in refused.refusal


def test_text_cap_on_long_documents():
    a = read_attachment("长.pdf", text_pdf("很长的意见内容。" * 400), Limits(max_chars=500))
    assert a.ok and a.truncated and len(a.text) == 500 and "500" in a.notes[-1]


def test_sniff():
    assert [sniff(x) for x in (b"%PDF-1.7", b"junk\n%PDF-1.4", b"PK\x03\x04", b"\xff\xd8\xff\xe0", b"plain")] == [
        "pdf", "pdf", "zip", "jpg", "unknown"]
