"""Reading files: encodings, .docx, and one-line Chinese errors."""

from datetime import date
from pathlib import Path

import docx
import pytest

from draft import DraftError, load, parse

FIXTURES = Path(__file__).parent / "fixtures"


def test_gb18030_file():
    path = FIXTURES / "notice_gb18030.txt"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    d = load(path)
    assert d.title == "天津市跨境电商公共海外仓认定办法（征求意见稿）"
    assert d.notice.department == "对外贸易发展处"
    assert (d.notice.published_on, d.notice.opens_on, d.notice.closes_on) == (
        date(2024, 3, 1), date(2024, 3, 1), date(2024, 3, 31))
    assert [(c.key, c.label) for c in d.walk()] == [("1", "第一条"), ("2", "第二条"), ("3", "第三条")]
    assert d.find("1").body == "为规范本市跨境电商公共海外仓认定工作，制定本办法。"


def test_utf8_bom_and_crlf():
    path = FIXTURES / "notice_bom_utf8.txt"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    d = load(path)
    assert d.title == "天津市跨境电商人才培育行动方案（征求意见稿）"
    assert d.notice.contact == "联系人：人才发展处 李华，电话：022-12345678"
    assert d.notice.department == "人才发展处"
    assert (d.notice.opens_on, d.notice.closes_on) == (date(2024, 9, 26), date(2024, 10, 10))
    assert d.preamble == "为加快培育跨境电商人才，制定本方案。"
    assert [c.key for c in d.walk()] == ["1", "2", "2.1", "2.2"]
    assert all("\r" not in c.body and "\ufeff" not in c.body for c in d.walk())


def test_utf16_with_bom(tmp_path):
    path = tmp_path / "notepad.txt"
    path.write_bytes("一、总体要求\n加快发展。".encode("utf-16"))
    assert load(path).find("1").body == "加快发展。"


def test_binary_content_is_not_text(tmp_path):
    path = tmp_path / "renamed.txt"
    path.write_bytes(bytes([0x1B, 0x02, 0x41, 0x00, 0x42, 0x03]) * 50)
    with pytest.raises(DraftError, match="无法识别文件编码"):
        load(path)


def test_gbk_bytes_decode(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("一、总体要求\n加快发展跨境电商。\n二、保障措施\n加强领导。".encode("gbk"))
    assert [c.heading for c in load(path).clauses] == ["总体要求", "保障措施"]


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("天津市跨境电商海外仓支持办法")
    document.add_paragraph("第一条　为支持海外仓建设，制定本办法。")
    document.add_paragraph("第二条　支持标准如下：")
    table = document.add_table(rows=3, cols=2)
    for row, (a, b) in zip(table.rows, [("事项", "标准"), ("新建", "100万元"), ("扩建", "50万元")]):
        row.cells[0].text, row.cells[1].text = a, b
    document.add_paragraph("具体办法另行制定。")
    document.add_paragraph("第三条　本办法自发布之日起施行。")
    path = tmp_path / "draft.docx"
    document.save(str(path))

    d = load(path)
    assert d.title == "天津市跨境电商海外仓支持办法"
    assert [c.label for c in d.walk()] == ["第一条", "第二条", "第三条"]
    assert d.find("2").body.split("\n") == ["支持标准如下：", "事项\t标准", "新建\t100万元", "扩建\t50万元",
                                           "具体办法另行制定。"]


@pytest.mark.parametrize(("setup", "message"), [
    ("missing", "文件不存在"),
    ("directory", "不是文件"),
    ("unsupported", "不支持的文件类型"),
    ("broken_pdf", "PDF 文件已损坏"),
    ("undecodable", "无法识别文件编码"),
    ("broken_docx", "文件已损坏"),
    ("empty", "文本为空"),
])
def test_errors_are_one_chinese_line(tmp_path, setup, message):
    path = tmp_path / "draft.txt"
    if setup == "directory":
        path = tmp_path
    elif setup == "unsupported":
        path = tmp_path / "draft.rtf"
        path.write_bytes(b"{\\rtf1 text}")
    elif setup == "broken_pdf":
        path = tmp_path / "draft.pdf"
        path.write_bytes(b"%PDF-1.7")
    elif setup == "undecodable":
        path.write_bytes(bytes(range(0x80, 0x100)) * 4)
    elif setup == "broken_docx":
        path = tmp_path / "draft.docx"
        path.write_bytes(b"not a zip file")
    elif setup == "empty":
        path.write_bytes(b"  \n\r\n\t ")
    with pytest.raises(DraftError) as info:
        load(path)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_unreadable_file(tmp_path, monkeypatch):
    # chmod 000 does not stop root (tests may run as root), so make the read itself fail
    path = tmp_path / "secret.txt"
    path.write_text("一、总则\n内容。", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(DraftError, match="无法读取文件") as info:
        load(path)
    assert "\n" not in str(info.value)


def test_empty_text_raises():
    for text in ("", "   ", "\n\u3000\n"):
        with pytest.raises(DraftError, match="文本为空"):
            parse(text)
