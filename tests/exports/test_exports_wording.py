"""The wording of the published feedback after the usability review.

Supportive opinions thanked instead of numbered, short category labels in running text, plain
wording for a single channel, the optional 来自… clause, the per-opinion count note, check()
naming opinions by their report number, MIMETYPES, and the phone layout of the HTML page.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
from datetime import date

import docx

from exports import FORMATS, MEDIA_TYPES, MIMETYPES, Counts, MemberComment, Opinion, Report, short_category
from exports.json_data import load
from exports.wording import counts_paragraph, opinion_meta, process_paragraph

THANKS = "另有3条意见对征求意见稿表示赞同和支持，在此一并致谢。"


def texts(report: Report) -> dict[str, str]:
    out = {fmt: FORMATS[fmt](report).decode("utf-8") for fmt in ("html", "md")}
    document = docx.Document(io.BytesIO(FORMATS["docx"](report)))
    out["docx"] = "\n".join(p.text for p in document.paragraphs)
    return out


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def small_report(opinions: list[Opinion], **kw) -> Report:
    return Report(draft_title="某某计划(征求意见稿)", issuer="天津市商务局", report_date=date(2024, 10, 25),
                  opinions=opinions, **{"include_comment_annex": True, **kw})


# -- 1. supportive opinions are thanked, not numbered ------------------------------------------------

def test_supportive_opinion_is_not_numbered_and_is_thanked(seed_report) -> None:
    assert [n for n, _ in seed_report.numbered_opinions()] == list(range(1, 9))
    for fmt, text in texts(seed_report).items():
        if fmt == "html":
            text = plain(text)
        assert "意见9" not in text, fmt  # 9 opinions, 8 numbered
        assert "对计划表示赞同和支持。" not in text, fmt  # the supportive summary is not an entry
        assert "形成意见8项" in text, fmt
        assert "另有3条表示赞同和支持" in text, fmt  # still in the counts sentence
        assert text.count(THANKS) == 1, fmt
        assert text.index(THANKS) < text.index("感谢社会各界对我们工作的关心和支持"), fmt
    html = FORMATS["html"](seed_report).decode("utf-8")
    decisions = html[html.index('id="decisions"'):html.index('<p class="closing"')]
    assert "表示支持" not in decisions.replace(THANKS, "")
    assert decisions.rstrip().endswith(f'<p class="support">{THANKS}</p>\n</section>')
    # The annex still lists the supportive comments, with 表示支持 and no opinion number.
    annex = html[html.index('id="annex"'):]
    assert annex.count("表示支持</td>") == 3 and annex.count("—</td>") == 3
    md = FORMATS["md"](seed_report).decode("utf-8")
    assert "| 同意，支持！ | 个人 | 网站在线提交 | — | 表示支持 |" in md


def test_supportive_opinion_in_docx_is_a_sentence_not_a_row(seed_report) -> None:
    document = docx.Document(io.BytesIO(FORMATS["docx"](seed_report)))
    table = document.tables[0]
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in range(1, 9)]
    assert all(row.cells[-2].text != "表示支持" for row in table.rows[1:])
    annex = document.tables[1]
    assert [row.cells[-1].text for row in annex.rows[1:]].count("表示支持") == 3


def test_supportive_opinion_in_json(seed_report) -> None:
    data = json.loads(FORMATS["json"](seed_report))
    support = [op for op in data["opinions"] if not op["numbered"]]
    assert len(support) == 1 and support[0]["supportive"] and support[0]["decision"] is None
    assert support[0]["number"] == 9  # after the numbered ones; every opinion keeps a distinct number
    assert sorted(op["number"] for op in data["opinions"] if op["numbered"]) == list(range(1, 9))
    assert data["text"]["support"] == THANKS
    again = load(FORMATS["json"](seed_report))
    assert FORMATS["json"](again) == FORMATS["json"](seed_report)


def test_supportive_opinion_on_a_clause_leaves_no_empty_section() -> None:
    talent = ("3.4.16", "16.", "打造多层次跨境电商人才队伍")
    r = small_report([
        Opinion("支持人才培养。", clause=talent, supportive=True, comments=[MemberComment("支持", name="甲乙")]),
        Opinion("建议加强外汇服务。", clause=("3.3.12", "12.", "创新外汇管理服务"), decision="采纳",
                comments=[MemberComment("外汇", name="丙丁")]),
    ])
    assert [ref.key for ref, _ in r.sections(numbered_only=True)] == ["3.3.12"]
    assert [ref.key for ref, _ in r.sections()] == ["3.3.12", "3.4.16"]
    for fmt, text in texts(r).items():
        assert "16.打造多层次跨境电商人才队伍</h3>" not in text and "### 16." not in text, fmt
        assert "另有1条意见对征求意见稿表示赞同和支持，在此一并致谢。" in text, fmt
        assert "形成意见1项" in text, fmt


def test_only_supportive_opinions() -> None:
    r = small_report([Opinion("表示支持。", supportive=True,
                              comments=[MemberComment("同意", name="甲乙"), MemberComment("支持", name="丙丁")])])
    assert r.check() == []
    for fmt, text in texts(r).items():
        assert "收到的2条意见均对征求意见稿表示赞同和支持，在此一并致谢。" in text, fmt
        assert "形成意见" not in text and "另有2条意见" not in text, fmt
    assert len(docx.Document(io.BytesIO(FORMATS["docx"](r))).tables) == 1  # only the annex


def test_supportive_opinion_with_a_decision_stays_numbered() -> None:
    r = small_report([Opinion("支持并建议尽快出台。", supportive=True, decision="采纳",
                              comments=[MemberComment("支持", name="甲乙")])])
    assert r.numbered_opinions()[0][0] == 1
    assert "意见1" in FORMATS["md"](r).decode("utf-8")
    assert "在此一并致谢" not in FORMATS["md"](r).decode("utf-8")


# -- 2. counts sentence ---------------------------------------------------------------------------------

def test_short_category_label_in_running_text_and_cells(seed_report) -> None:
    assert short_category("已体现（已有相关规定）") == "已体现" and short_category("采纳") == "采纳"
    sentence = counts_paragraph(seed_report)
    assert "已体现2条" in sentence and "（已有相关规定）" not in sentence
    assert sentence.count("“已体现”指已有相关规定。") == 1  # the full name, once, as a legend
    for fmt, text in texts(seed_report).items():
        assert "已体现（已有相关规定）" not in text, fmt
    html = FORMATS["html"](seed_report).decode("utf-8")
    assert '<span class="decision">已体现</span>' in html and ">已体现</td>" in html
    assert ">已体现</text>" in html  # the decisions chart
    md = FORMATS["md"](seed_report).decode("utf-8")
    assert "- **采纳情况：** 已体现\n" in md and "| 意见4 | 已体现 |" in md
    document = docx.Document(io.BytesIO(FORMATS["docx"](seed_report)))
    assert "已体现" in [row.cells[-2].text for row in document.tables[0].rows]  # 采纳情况 | 理由说明
    assert "已体现" in [row.cells[-1].text for row in document.tables[1].rows]
    # Open data keeps the category as configured.
    data = json.loads(FORMATS["json"](seed_report))
    assert "已体现（已有相关规定）" in [op["decision"] for op in data["opinions"]]


def _one_channel_report(channels: list[str]) -> Report:
    opinions = [
        Opinion("建议一。", decision="采纳", comments=[MemberComment("一", name="甲乙"), MemberComment("二", name="丙丁")]),
        Opinion("建议二。", decision="未采纳", reason="理由", comments=[MemberComment("三", name="戊己")]),
    ]
    return small_report(opinions, channels=channels)


def test_single_channel_is_named_plainly() -> None:
    r = _one_channel_report(["web"])
    process = process_paragraph(r)
    assert "社会公众可通过网站在线提交意见建议。" in process
    assert "等方式" not in process
    counts = counts_paragraph(r)
    assert "按提交渠道分" not in counts and "网站在线提交3条" not in counts
    for fmt, text in texts(r).items():
        assert "通过网站在线提交等方式" not in text and "按提交渠道分" not in text, fmt
    email = small_report([Opinion("建议。", decision="采纳", comments=[MemberComment("一", name="甲乙", channel="email")])])
    assert "社会公众可通过电子邮件提交意见建议。" in process_paragraph(email)


def test_several_channels_offered_but_one_used() -> None:
    r = _one_channel_report(["web", "email", "letter"])
    assert "通过网站在线提交、电子邮件、信函等方式提出意见建议" in process_paragraph(r)
    counts = counts_paragraph(r)
    assert "按提交渠道分" not in counts and "意见均通过网站在线提交。" in counts


def test_several_channels_used_keep_the_breakdown(seed_report) -> None:
    assert "按提交渠道分，网站在线提交15条、电子邮件2条" in counts_paragraph(seed_report)


def test_one_submitter_is_not_called_individuals_and_organisations(make_seed_report, make_opinions) -> None:
    """One company sent every comment: 来自1位提出人, not 来自1位个人和单位 (a new user's reading of the preview)."""
    opinions = make_opinions()
    counts = Counts.derive(opinions, excluded_spam=2, excluded_duplicate=1)
    counts = dataclasses.replace(counts, submitters=1)
    text = counts_paragraph(make_seed_report(opinions=opinions, counts=counts))
    assert "（来自1位提出人）" in text and "个人和单位" not in text


def test_submitters_known_false_omits_the_clause(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    known = make_seed_report(opinions=opinions)
    assert "（来自20位个人和单位）" in counts_paragraph(known)
    assert Counts().submitters_known is True
    counts = Counts.derive(opinions, excluded_spam=2, excluded_duplicate=1, submitters_known=False)
    r = make_seed_report(opinions=opinions, counts=counts)
    assert "共收到意见23条，其中有效意见20条" in counts_paragraph(r)
    for fmt, text in texts(r).items():
        assert "来自" not in text and "位个人和单位" not in text, fmt
    data = json.loads(FORMATS["json"](r))
    assert data["counts"]["submitters_known"] is False
    assert load(FORMATS["json"](r)).counts.submitters_known is False
    assert FORMATS["md"](load(FORMATS["json"](r))) == FORMATS["md"](r)


def test_schema_1_0_documents_still_load(seed_report) -> None:
    data = json.loads(FORMATS["json"](seed_report))
    data["schema_version"] = "1.0"
    del data["counts"]["submitters_known"], data["text"]["support"]
    for op in data["opinions"]:
        del op["numbered"]
    again = load(data)
    assert again.counts.submitters_known is True
    assert FORMATS["md"](again) == FORMATS["md"](seed_report)


# -- 3. the per-opinion count note ----------------------------------------------------------------------

def test_count_note_only_for_opinions_standing_for_several_comments(seed_report) -> None:
    single = Opinion("一条", decision="采纳", comments=[MemberComment("a", name="甲乙")])
    same = Opinion("三条三人", decision="采纳", comments=[MemberComment(c, name=n) for c, n in
                                                        (("a", "甲乙"), ("b", "丙丁"), ("c", "戊己"))])
    fewer = Opinion("三条两人", decision="采纳", comments=[MemberComment(c, name=n) for c, n in
                                                         (("a", "甲乙"), ("b", "甲乙"), ("c", "戊己"))])
    assert opinion_meta(single) == ""
    assert opinion_meta(same) == "3条意见归纳"
    assert opinion_meta(fewer) == "3条意见归纳，涉及2个提出人"
    assert opinion_meta(fewer, submitters_known=False) == "3条意见归纳"
    for fmt, text in texts(seed_report).items():
        assert "涉及1条意见" not in text and "1个提出人" not in text, fmt
    md = FORMATS["md"](seed_report).decode("utf-8")
    assert "#### 意见2\n" in md and "#### 意见7（5条意见归纳）\n" in md
    html = FORMATS["html"](seed_report).decode("utf-8")
    assert "<h4>意见2</h4>" in html and '<h4>意见7<span class="meta">（5条意见归纳）</span></h4>' in html
    document = docx.Document(io.BytesIO(FORMATS["docx"](seed_report)))
    summaries = {row.cells[0].text: row.cells[2].text for row in document.tables[0].rows[1:]}
    assert summaries["2"] == "建议将2027年跨境电商年交易额目标由1000亿元提高至1200亿元。"
    assert summaries["7"].endswith("\n（5条意见归纳）")


# -- 4. check() names opinions as they will be numbered ------------------------------------------------

def test_check_names_the_report_number_not_the_list_index(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    forex = opinions[5]  # index 5; after the supportive opinion leaves the list it is 意见5
    forex.decision = ""
    r = make_seed_report(opinions=opinions, counts=None, validate=False)
    problems = [p for p in r.check() if p.code == "undecided"]
    assert len(problems) == 1 and problems[0].opinion == 5
    assert problems[0].message == (
        "意见5（12.创新外汇管理服务：“建议提高小微跨境电商企业免于办理名录登记的年度收…”）尚未作出采纳决定"
    )
    assert "第" not in problems[0].message
    number = {id(op): n for n, op in r.numbered_opinions()}[id(forex)]
    assert number == 5


def test_check_names_a_supportive_opinion_without_a_number(make_seed_report, make_opinions) -> None:
    opinions = make_opinions()
    opinions[1].summary = "支持，联系电话13812345678"
    r = make_seed_report(opinions=opinions)
    problems = r.check()
    assert [p.code for p in problems] == ["personal_data"] and problems[0].opinion == 1
    assert problems[0].message.startswith("表示支持的意见（征求意见稿整体：“支持，联系电话13812345678”）")


# -- 5. the page on a phone (CSS only) -----------------------------------------------------------------

def test_html_phone_layout_is_css_only(seed_report) -> None:
    page = FORMATS["html"](seed_report).decode("utf-8")
    assert "<script" not in page.lower()
    css = page[page.index("<style>"):page.index("</style>")]
    phone = css[css.index("@media screen and (max-width: 600px)"):]
    assert re.search(r"main \{ margin: 0;", phone)
    assert "table.annex tr" in phone and "display: block" in phone
    assert ".chart-wrap { overflow-x: auto; }" in css and "min-width: 320px" in css
    assert page.count('<div class="chart-wrap"><svg') == 2
    # Each cell carries its header for the stacked layout; hidden where the table has a header row.
    assert '<td class="text"><span class="cell-label">意见原文：</span>' in page
    assert ".cell-label { display: none; }" in css
    widths = [int(w) for w in re.findall(r'<svg [^>]*width="(\d+)"', page)]
    assert widths and all(w <= 366 for w in widths)  # fits a 390-px phone at full size


# -- 6. media types ------------------------------------------------------------------------------------

def test_mimetypes_are_bare() -> None:
    assert set(MIMETYPES) == set(MEDIA_TYPES) == set(FORMATS)
    assert MIMETYPES["html"] == "text/html" and MIMETYPES["md"] == "text/markdown" and MIMETYPES["csv"] == "text/csv"
    assert MEDIA_TYPES["html"] == "text/html; charset=utf-8"
    assert all(";" not in m for m in MIMETYPES.values())
    assert all(MEDIA_TYPES[f].startswith(MIMETYPES[f]) for f in FORMATS)
