"""Every renderer: what the public documents contain, and what they must never contain."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

import exports
from exports import (
    DEFAULT_CATEGORIES,
    FORMATS,
    MEDIA_TYPES,
    PUBLIC_FORMATS,
    ClauseChange,
    MemberComment,
    Opinion,
    Report,
)
from exports.report import short_category
from exports.staff_tables import headers

ID_NUMBER = "11010519491231002X"
SECRETS = [
    "13812345678", "139-2233-4455", "022-23456789", ID_NUMBER, "li.si@example.com", "6011111111111117",
    "李四海",  # the submitter's own name, given in the comment text too
]
STUFFED = (
    "我是李四海，手机13812345678或139-2233-4455，座机022-23456789，身份证" + ID_NUMBER
    + "，邮箱li.si@example.com，退款请打到卡号6011111111111117。建议提高补贴。"
)
CONTACT = "contact-only-天津市河西区友谊路35号-7号楼"


def text_of_docx(data: bytes) -> str:
    """All visible text, read back with python-docx: body paragraphs, tables, footers."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def all_xml_of_docx(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def public_texts(report: Report) -> dict[str, str]:
    """Each public format as text, DOCX both as read by python-docx and as raw XML."""
    out = {fmt: FORMATS[fmt](report).decode("utf-8") for fmt in ("html", "md", "json")}
    data = FORMATS["docx"](report)
    out["docx"] = text_of_docx(data)
    out["docx-xml"] = all_xml_of_docx(data)
    return out


@pytest.fixture
def stuffed_report(make_seed_report, make_opinions) -> Report:
    opinions = make_opinions()
    opinions[5].comments.append(MemberComment(STUFFED, name="李四海", contact=CONTACT, channel="email"))
    for op in opinions:
        for c in op.comments:
            c.contact = c.contact or CONTACT
    return make_seed_report(identity="masked", opinions=opinions, counts=None)


# -- registry ----------------------------------------------------------------------------------------

def test_registry_covers_every_format(seed_report) -> None:
    assert set(FORMATS) == {"html", "md", "docx", "json", "csv", "xlsx"}
    assert set(MEDIA_TYPES) == set(FORMATS) == set(exports.EXTENSIONS)
    for fmt, render in FORMATS.items():
        body = render(seed_report)
        assert isinstance(body, bytes) and body
        name = exports.filename(seed_report, fmt)
        assert name.endswith("." + fmt) and exports.ascii_filename(seed_report, fmt).endswith("." + fmt)


def test_filename_is_safe() -> None:
    r = Report(draft_title='../../etc/关于"x"的<计划>:a|b?*\n(征求意见稿)', issuer="某局", version=3,
               report_date=date(2024, 10, 25))
    name = exports.filename(r, "docx")
    assert not re.search(r'[\\/:*?"<>|\x00-\x1f]', name)
    assert not name.startswith(".") and name.endswith("-第3版.docx")
    assert exports.ascii_filename(r, "csv") == "comments-2024-10-25-v3.csv"
    header = exports.content_disposition(r, "docx")
    assert header.isascii() and "filename*=UTF-8''" in header


# -- personal data ---------------------------------------------------------------------------------

def test_personal_data_never_reaches_public_formats(stuffed_report) -> None:
    for fmt, text in public_texts(stuffed_report).items():
        for secret in SECRETS + [CONTACT]:
            assert secret not in text, (fmt, secret)
        assert "【手机号码已隐去】" in text, fmt  # the comment itself is there, masked


def test_contact_details_only_in_staff_tables_when_asked(stuffed_report) -> None:
    plain = FORMATS["csv"](stuffed_report).decode("utf-8-sig")
    assert CONTACT not in plain and "13812345678" not in plain and "李四海" not in plain
    full = FORMATS["csv"](stuffed_report, include_contact=True).decode("utf-8-sig")
    assert CONTACT in full and STUFFED in full
    rows = list(csv.reader(io.StringIO(full)))
    assert rows[0] == headers(include_contact=True) and rows[0][-2] == "联系方式"
    assert len(rows) - 1 == sum(len(op.comments) for op in stuffed_report.opinions)


@pytest.mark.parametrize("identity", ["none", "masked", "full"])
def test_identity_modes(make_seed_report, identity: str) -> None:
    """Individuals are never named, not even masked (``full`` of older versions included); a company
    is named only when it ticked 同意公开单位名称, otherwise shown as 企业."""
    r = make_seed_report(identity=identity)
    texts = public_texts(r)
    for fmt in ("html", "md", "docx"):
        text = texts[fmt].replace("\\*", "*")  # Markdown escapes asterisks
        consented, not_consented = "天津云帆跨境电商有限公司", "天津静海宠物用品有限公司"
        assert "王建林" not in text and "王*林" not in text and not_consented not in text, fmt
        if identity == "none":
            assert "提出人：" not in text.replace("**", "") and consented not in text
        else:
            assert consented in text and "个人" in text
    data = json.loads(texts["json"])
    submitters = [c["submitter"] for op in data["opinions"] for c in op["comments"]]
    assert (set(submitters) == {None}) == (identity == "none")


# -- HTML --------------------------------------------------------------------------------------------

def test_html_is_standalone_and_accessible(seed_report) -> None:
    page = FORMATS["html"](seed_report).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "<script" not in page.lower()
    assert not re.search(r'(?:src|href)\s*=', page), "no external assets or links"
    assert "@import" not in page and "url(" not in page
    assert "<h1>关于《天津市跨境电子商务高质量发展三年倍增计划(征求意见稿)》公开征求意见采纳情况的反馈</h1>" in page
    assert page.count("<svg") == 2 and 'role="img"' in page and "<title id=" in page
    assert '<th scope="col"' in page and "<caption>" in page
    assert "@media print" in page


def test_html_escapes_hostile_text(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)> \'quoted\''
    opinions[0].comments[0].text = hostile
    opinions[0].comments[0].organisation = '"><b>org</b>'
    opinions[0].comments[0].submitter_type = "企业"
    opinions[0].summary = "摘要<i>斜体</i>&amp;"
    page = FORMATS["html"](make_seed_report(opinions=opinions, counts=None)).decode("utf-8")
    assert "<script" not in page and "<img" not in page and "<b>org" not in page and "<i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in page
    assert "&#x27;quoted&#x27;" in page and "&amp;amp;" in page
    md = FORMATS["md"](make_seed_report(opinions=opinions, counts=None)).decode("utf-8")
    assert "<script" not in md and "&lt;script&gt;" in md


def test_counts_sentence_shows_every_category_with_zeros(make_seed_report, make_opinions) -> None:
    opinions = [op for op in make_opinions() if op.decision != "已体现（已有相关规定）"]
    r = make_seed_report(opinions=opinions, counts=None)
    for fmt in ("html", "md"):
        text = FORMATS[fmt](r).decode("utf-8")
        assert "已体现0条" in text and "已体现（已有相关规定）0条" not in text
        for category in DEFAULT_CATEGORIES:
            assert f"{short_category(category)}{r.counts.by_category[category]}条" in text


def test_many_opinions_on_one_clause(make_seed_report) -> None:
    forex = ("3.3.12", "12.", "创新外汇管理服务")
    opinions = [
        Opinion(f"第{i}个关于外汇的建议", clause=forex, decision="未采纳" if i % 2 else "采纳",
                reason="国家统一规定" if i % 2 else "", comments=[MemberComment(f"意见{i}", name=f"张{i}")])
        for i in range(1, 13)
    ]
    opinions.insert(3, Opinion("人才建议", clause=("3.4.16", "16.", "打造多层次跨境电商人才队伍"), decision="采纳",
                               comments=[MemberComment("人才", name="杨帆")]))
    r = make_seed_report(opinions=opinions, counts=None, topics=[])
    page = FORMATS["html"](r).decode("utf-8")
    assert page.count("<h3>12.创新外汇管理服务</h3>") == 1
    positions = [page.index(f"第{i}个关于外汇的建议") for i in range(1, 13)]
    assert positions == sorted(positions) and page.index("人才建议") > positions[-1]
    assert re.search(r"12\.创新外汇管理服务</text>\n<rect [^>]*/>\n<text [^>]*>12</text>", page), "chart: 12 comments"
    document = docx.Document(io.BytesIO(FORMATS["docx"](r)))
    numbers = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert numbers == [str(i) for i in range(1, 14)]


def test_changed_text_is_quoted(seed_report) -> None:
    page = FORMATS["html"](seed_report).decode("utf-8")
    assert "<blockquote>梳理五金工具、家具家纺、地毯、自行车、宠物用品、乐器等重点产业图谱</blockquote>" in page


# -- zero comments -------------------------------------------------------------------------------

def test_zero_comment_case_in_every_public_format(empty_report) -> None:
    texts = public_texts(empty_report)
    for fmt in ("html", "md", "docx"):
        assert "征求意见期间未收到意见" in texts[fmt]
        assert "共收到意见" not in texts[fmt]
        assert "感谢社会各界" in texts[fmt]
    assert "<svg" not in texts["html"] and "<table" not in texts["html"]
    data = json.loads(texts["json"])
    assert data["counts"]["received"] == 0 and data["opinions"] == []
    assert len(docx.Document(io.BytesIO(FORMATS["docx"](empty_report))).tables) == 0
    wb = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](empty_report)))
    assert wb.active.max_row == 1


# -- DOCX --------------------------------------------------------------------------------------------

def test_docx_has_the_table_fonts_and_page_numbers(make_seed_report) -> None:
    r = make_seed_report(identity="none")
    data = FORMATS["docx"](r)
    document = docx.Document(io.BytesIO(data))
    title = document.paragraphs[0]
    assert title.style.name == "Title" and title.text == r.title
    assert title.style.paragraph_format.alignment == 1  # centred
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "对应条款", "意见内容（摘要）", "采纳情况", "理由说明"]
    assert len(table.rows) == 1 + len(r.opinions) - 1  # the supportive opinion is thanked, not listed
    second = table.rows[2].cells
    assert second[0].text == "2" and second[1].text == "二、发展目标"
    decisions = {row.cells[3].text for row in table.rows[1:]}
    assert {short_category(c) for c in DEFAULT_CATEGORIES} == decisions
    annex = document.tables[1]
    assert len(annex.rows) == 1 + sum(len(op.comments) for op in r.opinions)
    xml = all_xml_of_docx(data)
    assert 'w:eastAsia="仿宋_GB2312"' in xml and '<w:altName w:val="仿宋"/>' in xml
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    assert document.core_properties.author == "天津市商务局"


def test_docx_adds_submitter_column_when_identity_shown(make_seed_report) -> None:
    document = docx.Document(io.BytesIO(FORMATS["docx"](make_seed_report(identity="masked"))))
    assert [c.text for c in document.tables[0].rows[0].cells][3] == "提出人"


# -- Markdown and JSON -------------------------------------------------------------------------------

def test_markdown_structure(seed_report) -> None:
    md = FORMATS["md"](seed_report).decode("utf-8")
    assert md.startswith("# 关于《")
    headings = re.findall(r"^(#+) (.+)$", md, flags=re.MULTILINE)
    assert ("##", "一、征求意见基本情况") in headings and ("###", "12.创新外汇管理服务") in headings
    assert "| 序号 | 对应条款 | 意见原文 |" in md


def test_json_follows_the_documented_schema(stuffed_report) -> None:
    data = json.loads(FORMATS["json"](stuffed_report))
    assert data["schema"] == "comment-portal/feedback-report" and data["schema_version"] == "1.2"
    assert data["window"] == {"opens_on": "2024-09-25", "closes_on": "2024-10-10"}
    assert [c["category"] for c in data["counts"]["by_category"]] == list(DEFAULT_CATEGORIES)
    assert data["counts"]["valid"] == sum(op["comment_count"] for op in data["opinions"])
    keys = {"number", "numbered", "clause", "summary", "decision", "supportive", "reason", "reply", "comment_count",
            "submitter_count", "submitters", "change", "comments"}
    assert all(set(op) == keys for op in data["opinions"])
    assert all(set(c) == {"number", "text", "submitter", "submitter_type", "channel"}
               for op in data["opinions"] for c in op["comments"])
    documented = (Path(__file__).parents[2] / "docs" / "report-json.md").read_text(encoding="utf-8")
    for key in keys | set(data) | set(data["counts"]) | set(data["text"]):
        assert f"`{key}`" in documented, key


# -- staff tables --------------------------------------------------------------------------------------

def test_xlsx_headers_rows_and_no_formulas(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    opinions[0].comments[0].text = '=HYPERLINK("http://evil.example","点击")'
    r = make_seed_report(opinions=opinions, counts=None)
    for include_contact in (False, True):
        wb = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"](r, include_contact=include_contact)))
        sheet = wb.active
        assert [c.value for c in sheet[1]] == headers(include_contact)
        assert sheet.max_row == 1 + sum(len(op.comments) for op in r.opinions)
        cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
        assert all(c.data_type != "f" for c in cells)
        assert any(c.value == '=HYPERLINK("http://evil.example","点击")' for c in cells)
    text = FORMATS["csv"](r).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_staff_table_lists_opinion_without_member_comments(make_seed_report) -> None:
    op = Opinion("电话反馈的意见（未录入原文）", clause=("2", "二、", "发展目标"), decision="采纳", comment_count=13,
                 submitter_count=13, change=ClauseChange("", ""))
    r = make_seed_report(opinions=[op], counts=None, topics=[])
    rows = list(csv.reader(io.StringIO(FORMATS["csv"](r).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][5] == "电话反馈的意见（未录入原文）"
    assert r.counts.valid == 13 and r.check() == []


def test_public_formats_list(seed_report) -> None:
    assert set(PUBLIC_FORMATS) | set(exports.STAFF_FORMATS) == set(FORMATS)


def test_control_characters_in_comments_do_not_break_any_format(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    opinions[2].comments[0].text = "粘贴来的文字\x0b带控制符\x00和\x1f。"
    r = make_seed_report(opinions=opinions, counts=None)
    for fmt, render in FORMATS.items():
        assert render(r), fmt
    assert "粘贴来的文字带控制符和。" in text_of_docx(FORMATS["docx"](r))


def test_without_comment_annex(make_seed_report) -> None:
    r = make_seed_report(include_comment_annex=False)
    texts = public_texts(r)
    for fmt in ("html", "md", "docx"):
        assert "意见汇总表" not in texts[fmt], fmt
        assert "12.创新外汇管理服务" in texts[fmt]
    assert "20万美元太低了" not in texts["html"]
    data = json.loads(texts["json"])
    assert data["comments_included"] is False and all(op["comments"] == [] for op in data["opinions"])
    assert len(docx.Document(io.BytesIO(FORMATS["docx"](r))).tables) == 1


def test_only_spam_received(empty_report) -> None:
    empty_report.counts.received = empty_report.counts.excluded_spam = 4
    assert empty_report.check() == []
    page = FORMATS["html"](empty_report).decode("utf-8")
    assert "共收到意见4条" in page and "未收到有效意见" in page
