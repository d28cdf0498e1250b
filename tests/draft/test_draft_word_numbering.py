"""Word's automatic list numbers (numbering.xml) come back as the text a reader sees."""

import io

import docx as python_docx
import pytest

from draft import SEED_PATH, load_bytes, load_seed, parse
from draft.documents import docx_lines
from draft.word_numbering import format_number

from .builders import Lvl, Num, docx, numbering_xml, p, styles_xml, table, word_lists


@pytest.mark.parametrize(("fmt", "values", "expected"), [
    ("chineseCounting", [1, 9, 10, 11, 20, 21, 99, 100, 101, 110, 1010],
     ["一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零一", "一百一十", "一千零一十"]),
    ("chineseCountingThousand", [12, 105], ["十二", "一百零五"]),
    ("chineseLegalSimplified", [1, 10, 11, 20], ["壹", "壹拾", "壹拾壹", "贰拾"]),
    ("ideographTraditional", [1, 2, 10, 11], ["甲", "乙", "癸", "甲"]),
    ("ideographZodiac", [1, 12, 13], ["子", "亥", "子"]),
    ("ideographDigital", [2024], ["二〇二四"]),
    ("decimalEnclosedCircleChinese", [1, 3, 20], ["①", "③", "⑳"]),
    ("decimalEnclosedParen", [1, 21], ["⑴", "21"]),
    ("decimalFullWidth", [12], ["１２"]),
    ("upperRoman", [4, 1994], ["IV", "MCMXCIV"]),
    ("lowerLetter", [1, 26, 27], ["a", "z", "aa"]),
    ("decimalZero", [7], ["07"]),
    ("someFutureFormat", [5], ["5"]),
])
def test_number_formats(fmt, values, expected):
    assert [format_number(v, fmt) for v in values] == expected


SEED_LISTS = {
    0: [Lvl("chineseCounting", "%1、", suffix="nothing"),           # 一、
        Lvl("chineseCounting", "(%2)", suffix="nothing"),           # (一): the seed's half-width brackets
        Lvl("decimal", "%3.", restart=0, suffix="nothing")],        # 1.–18. straight through (一)…(四)
}


def seed_docx() -> bytes:
    """The seed draft as an author would type it in Word: every 一、 (一) 1. a list number."""
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    start, end = lines.index("草案正文") + 1, lines.index("背景介绍")
    body, nums = word_lists(lines[start:end], {"cn_dun": (1, 0), "cn_paren": (1, 1), "ar_dot": (1, 2)}, {1: Num(0)})
    paragraphs = [p(line) for line in lines[:start]] + body + [p(line) for line in lines[end:]]
    return docx(paragraphs, numbering_xml(SEED_LISTS, nums))


def test_seed_typed_with_word_lists_reads_as_the_text():
    data = seed_docx()
    assert b"numbering.xml" in data
    # the labels really are generated: the document text has none of them
    paragraphs = [para.text for para in python_docx.Document(io.BytesIO(data)).paragraphs]
    assert "指导思想" in paragraphs and "一、指导思想" not in paragraphs
    assert docx_lines(data) == SEED_PATH.read_text(encoding="utf-8").splitlines()
    assert load_bytes(data, "seed.docx").to_dict() == load_seed().to_dict()


REGULATION_LISTS = {
    # chapter / section / article, tied to heading styles, articles never restart
    0: [Lvl("chineseCounting", "第%1章", suffix="space", style="Chapter"),
        Lvl("chineseCounting", "第%2节", suffix="space", style="Section"),
        Lvl("chineseCounting", "第%3条", restart=0, suffix="space")],
    1: [Lvl("chineseCounting", "（%1）", suffix="nothing")],
    2: [Lvl("chineseCounting", "%1、", suffix="nothing")],
}


def test_regulation_with_heading_styles_and_continuous_articles(fixture_text, shape):
    text = fixture_text("regulation_chapters.txt")
    lines = text.splitlines()
    toc_end = 8   # the 目录 lines stay typed text (Word writes a TOC field's result as text)
    styles = styles_xml({"Heading": (None, None, None), "Chapter": ("Heading", 1, 0), "Section": ("Heading", 1, 1),
                         "Article": (None, 1, 2)})
    body, nums = word_lists(lines[toc_end:], {"di_zhang": (1, 0), "di_jie": (1, 1), "di_tiao": (1, 2),
                                             "cn_paren": (2, 0), "cn_dun": (3, 0)},
                            {1: Num(0), 2: Num(1), 3: Num(2)}, style_of={"di_zhang": "Chapter", "di_jie": "Section",
                                                                         "di_tiao": "Article"})
    data = docx([p(line) for line in lines[:toc_end]] + body, numbering_xml(REGULATION_LISTS, nums), styles)
    got = docx_lines(data)
    assert "第八条\u3000本条例自　　年　　月　　日起施行。" in got   # articles run on across chapters
    assert "第二节\u3000服务企业" in got and "第一节\u3000平台经营者" in got
    expected = parse(text)
    assert [shape(c) for c in load_bytes(data, "r.docx").clauses] == [shape(c) for c in expected.clauses]


def _labels(body, abstracts, nums, styles=None):
    return [line for line in docx_lines(docx(body, numbering_xml(abstracts, nums), styles)) if line]


def test_a_second_list_of_the_same_definition_continues_unless_restarted():
    abstracts = {0: [Lvl("chineseCounting", "（%1）", suffix="nothing")]}
    nums = {1: Num(0), 2: Num(0), 3: Num(0, starts=((0, 1),))}
    body = [p("甲", 1, 0), p("乙", 1, 0), p("中间的段落。"), p("丙", 2, 0), p("丁", 3, 0), p("戊", 3, 0)]
    assert _labels(body, abstracts, nums) == ["（一）甲", "（二）乙", "中间的段落。", "（三）丙", "（一）丁", "（二）戊"]


def test_deeper_levels_restart_after_a_higher_one_unless_lvl_restart_says_otherwise():
    abstracts = {0: [Lvl("chineseCounting", "%1、", suffix="nothing"),
                     Lvl("chineseCounting", "（%2）", suffix="nothing"),
                     Lvl("decimal", "%3.", restart=1, suffix="nothing"),      # restarts after level 1 only
                     Lvl("decimal", "(%4)", suffix="nothing")]}
    body = [p("总则", 1, 0), p("目标", 1, 1), p("甲", 1, 2), p("子", 1, 3), p("措施", 1, 1), p("乙", 1, 2),
            p("丑", 1, 3), p("保障", 1, 0), p("丙", 1, 2)]
    assert _labels(body, abstracts, {1: Num(0)}) == [
        "一、总则", "（一）目标", "1.甲", "(1)子", "（二）措施", "2.乙", "(1)丑", "二、保障", "1.丙"]


def test_start_values_overrides_legal_numbering_and_bullets():
    abstracts = {0: [Lvl("chineseCounting", "第%1条", start=5, suffix="space"),
                     Lvl("chineseCounting", "%1.%2", legal=True, suffix="space"),
                     Lvl("bullet", "\u2022")]}
    nums = {1: Num(0), 2: Num(0, levels=((0, Lvl("decimalEnclosedCircleChinese", "%1", suffix="nothing")),))}
    body = [p("起点是五。", 1, 0), p("法定编号用阿拉伯数字。", 1, 1), p("圆点不是编号。", 1, 2), p("换了格式。", 2, 0)]
    assert _labels(body, abstracts, nums) == [
        "第五条\u3000起点是五。", "5.1 法定编号用阿拉伯数字。", "圆点不是编号。", "⑥换了格式。"]


def test_style_numbering_is_inherited_and_switched_off_by_num_id_zero():
    abstracts = {0: [Lvl("chineseCounting", "第%1条", suffix="space")]}
    styles = styles_xml({"Base": (None, 1, 0), "Article": ("Base", None, None)})
    body = [p("甲。", style="Article"), p("乙。", style="Article"), p("不编号。", num=0, style="Article"),
            p("丙。", style="Article")]
    assert _labels(body, abstracts, {1: Num(0)}, styles) == [
        "第一条\u3000甲。", "第二条\u3000乙。", "不编号。", "第三条\u3000丙。"]


def test_empty_numbered_paragraph_counts_but_shows_no_lone_label():
    abstracts = {0: [Lvl("chineseCounting", "%1、", suffix="nothing")]}
    body = [p("一项", 1, 0), p("", 1, 0), p("三项", 1, 0)]
    assert docx_lines(docx(body, numbering_xml(abstracts, {1: Num(0)}))) == ["一、一项", "", "三、三项"]


def test_tracked_changes_fields_breaks_and_content_controls():
    w_ins = ('<w:r><w:t>保留</w:t></w:r><w:ins w:id="1" w:author="a"><w:r><w:t>新增</w:t></w:r></w:ins>'
             '<w:del w:id="2" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>')
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    breaks = '<w:r><w:t>一、总则</w:t><w:br/><w:t>正文。</w:t><w:tab/><w:t>续</w:t></w:r>'
    sdt = f'<w:sdt><w:sdtPr/><w:sdtContent>{p("控件里的段落。")}</w:sdtContent></w:sdt>'
    lines = docx_lines(docx([p(runs=w_ins), p(runs=field), p(runs=breaks), sdt]))
    assert lines == ["保留新增", "7", "一、总则\n正文。\t续", "控件里的段落。"]


def test_tables_give_merged_cells_once_and_keep_numbering_in_cells():
    abstracts = {0: [Lvl("decimal", "%1.", suffix="nothing")]}
    merged = ('<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>' + p("事项")
              + "</w:tc><w:tc>" + p("新建", 1, 0) + "</w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
              + p("") + "</w:tc><w:tc>" + p("扩建", 1, 0) + "</w:tc></w:tr></w:tbl>")
    lines = docx_lines(docx([merged, table([["甲", "乙"]])], numbering_xml(abstracts, {1: Num(0)})))
    assert lines == ["事项\t1.新建", "2.扩建", "甲\t乙"]
