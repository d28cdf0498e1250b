"""One realistic draft per numbering style (files in fixtures/), plus small inline cases."""

from datetime import date

import pytest

from draft import parse


def test_chapters_sections_articles(fixture_text, shape):
    d = parse(fixture_text("regulation_chapters.txt"))
    assert d.title == "天津市跨境电子商务促进条例（征求意见稿）"
    assert d.preamble == ""
    assert d.notice.title == "" and d.notice.closes_on is None
    art = "article"
    assert [shape(c) for c in d.clauses] == [
        ("1", "chapter", "第一章", "总则", [
            ("1.1", art, "第一条", "", []), ("1.2", art, "第二条", "", []), ("1.3", art, "第三条", "", [])]),
        ("2", "chapter", "第二章", "经营主体", [
            ("2.1", "section", "第一节", "平台经营者", [
                ("2.1.4", art, "第四条", "", [
                    ("2.1.4.1", "item", "（一）", "", []), ("2.1.4.2", "item", "（二）", "", []),
                    ("2.1.4.3", "item", "（三）", "", []), ("2.1.4.p1", "paragraph", "", "", [])]),
                ("2.1.5", art, "第五条", "", [
                    ("2.1.5.1", "item", "一、", "", []), ("2.1.5.2", "item", "二、", "", []),
                    ("2.1.5.3", "item", "三、", "", [])])]),
            ("2.2", "section", "第二节", "服务企业", [
                ("2.2.6", art, "第六条", "", []), ("2.2.7", art, "第七条", "", [])])]),
        ("3", "chapter", "第三章", "附则", [("3.8", art, "第八条", "", [])]),
    ]


def test_article_bodies_keep_their_paragraphs(fixture_text):
    d = parse(fixture_text("regulation_chapters.txt"))
    second = d.find("1.2")
    assert second.body.split("\n") == [
        "本条例适用于本市行政区域内跨境电子商务经营、服务、监督管理及促进等活动。",
        ("本条例所称跨境电子商务，是指分属不同关境的交易主体，通过电子商务平台达成交易、进行支付结算，"
        "并通过跨境物流送达商品、完成交易的国际商业活动。"),
    ]
    assert d.find("2.1.4").body == "跨境电子商务平台经营者应当履行下列义务："
    assert d.find("2.1.4.p1").body == "平台经营者违反前款规定的，由有关部门依法处理。"
    assert d.find("2.1.5.2").body == "对年交易额首次突破十亿元的平台，给予一次性奖励；"


def test_table_of_contents_is_not_parsed(fixture_text):
    d = parse(fixture_text("regulation_chapters.txt"))
    chapters = [c for c in d.walk() if c.kind == "chapter"]
    assert [c.label for c in chapters] == ["第一章", "第二章", "第三章"]
    assert "目" not in d.preamble and "目录" not in d.title


def test_decimal_headings(fixture_text, shape):
    d = parse(fixture_text("decimal_standard.txt"))
    assert d.title == "跨境电子商务海外仓服务规范"
    assert [shape(c) for c in d.clauses] == [
        ("1", "part", "1", "范围", []),
        ("2", "part", "2", "服务要求", [
            ("2.1", "section", "2.1", "基本要求", []),
            ("2.2", "section", "2.2", "服务内容", [
                ("2.2.1", "section", "2.2.1", "仓储管理", []), ("2.2.2", "section", "2.2.2", "配送服务", [])]),
            ("2.3", "section", "2.3", "信息安全", [])]),
        ("3", "part", "3", "评价与改进", [("3.1", "section", "3.1", "评价方式", [])]),
    ]
    assert d.find("1").body.count("\n") == 1
    assert d.find("2.2.2").body == "应当提供尾程配送服务，末端派送时效不超过5个工作日。"


def test_mixed_widths_and_all_item_styles(fixture_text, shape):
    d = parse(fixture_text("plan_mixed_widths.txt"))
    assert d.title == "天津市推进跨境电商海外仓建设实施方案（征求意见稿）"
    assert d.preamble == "为贯彻落实国家关于拓展跨境电商出口推进海外仓建设的部署，结合本市实际，制定本方案。"
    two = shape(d.find("2"))
    assert two == ("2", "part", "二、", "重点任务", [
        ("2.1", "section", "（一）", "培育海外仓经营主体", [
            ("2.1.1", "section", "1.", "支持龙头企业布局", [
                ("2.1.1.1", "item", "（1）", "", []), ("2.1.1.2", "item", "（2）", "", [])]),
            ("2.1.2", "item", "2．", "支持中小企业共建", [])]),
        ("2.2", "section", "(二)", "提升海外仓服务能力", [
            ("2.2.3", "section", "3、", "完善信息系统", [
                ("2.2.3.1", "section", "(1)", "", [
                    ("2.2.3.1.1", "item", "①", "", []), ("2.2.3.1.2", "item", "②", "", [])]),
                ("2.2.3.2", "item", "(2)", "", [])]),
            ("2.2.4", "item", "4.", "加强人才培养", [])]),
    ])
    assert d.find("2.2.3.1.1").body == "实现订单、库存、物流信息实时共享；"
    assert d.find("2.1.1").body == "鼓励大型物流企业在重点市场建设海外仓。"


def test_notice_of_a_plan_with_a_window_across_new_year(fixture_text):
    n = parse(fixture_text("plan_mixed_widths.txt")).notice
    assert n.title == "天津市推进跨境电商海外仓建设实施方案（征求意见稿）"
    assert n.department == "市商务局外贸处"
    assert "022-23456789" in n.contact and "waimao@example.gov.cn" in n.contact
    assert (n.published_on, n.opens_on, n.closes_on) == (date(2024, 12, 20), date(2024, 12, 20), date(2025, 1, 5))


def test_annex_named_after_colon_keeps_its_table(fixture_text):
    d = parse(fixture_text("plan_mixed_widths.txt"))
    annex = d.clauses[-1]
    assert (annex.key, annex.kind, annex.label, annex.heading) == ("a1", "annex", "附件", "天津市重点海外仓企业名单")
    assert annex.body.split("\n") == [
        "序号\t企业名称\t所在国家\t仓储面积（平方米）",
        "1\t天津示例物流有限公司\t美国\t50000",
        "2\t天津样本供应链管理有限公司\t德国\t32000",
    ]
    assert d.find("3").body == "各有关部门要加强协同配合，落实工作责任。"


def test_numbered_annexes_and_their_listing(fixture_text, shape):
    d = parse(fixture_text("annex_numbered.txt"))
    assert [shape(c) for c in d.clauses] == [
        ("1", "part", "一、", "工作目标", []),
        ("2", "part", "二、", "工作措施", [("2.1", "item", "（一）", "开展品牌认定", []),
                                          ("2.2", "item", "（二）", "加强品牌推广", [])]),
        ("a1", "annex", "附件1", "天津市跨境电商重点培育品牌认定标准", [
            ("a1.1", "part", "一、", "基本条件", [("a1.1.1", "item", "（一）", "", []),
                                                ("a1.1.2", "item", "（二）", "", [])]),
            ("a1.2", "part", "二、", "加分条件", [])]),
        ("a2", "annex", "附件2", "天津市跨境电商重点培育品牌申报表", []),
    ]
    # the listing "附件：1.… 2.…" after 二(二) is not content of 二(二)
    assert d.find("2.2").body == "组织品牌企业参加境外重点展会。"
    assert d.find("a2").body == "申报企业\t统一社会信用代码\t品牌名称"


def test_pdf_page_numbers_dropped_and_lines_rejoined(fixture_text, shape):
    d = parse(fixture_text("pdf_extracted.txt"))
    assert d.title == "天津市跨境电子商务产业园区认定管理办法"
    assert [shape(c) for c in d.clauses] == [
        ("1", "article", "第一条", "", []), ("2", "article", "第二条", "", []),
        ("3", "article", "第三条", "", [("3.1", "item", "（一）", "", []), ("3.2", "item", "（二）", "", []),
                                        ("3.3", "item", "（三）", "", [])]),
        ("4", "article", "第四条", "", []), ("5", "article", "第五条", "", []),
    ]
    assert d.find("1").body == ("为规范本市跨境电子商务产业园区认定和管理工作，推动跨境电子商务集聚发展，"
                                "根据《天津市跨境电子商务高质量发展三年倍增计划》，制定本办法。")
    assert d.find("2").body.endswith("金融、人才培训等综合服务的区域。")
    assert d.find("3.1").body.endswith("园区规划面积不少于一万平方米；")
    assert d.find("3.2").body.endswith("不少于五亿元；")
    assert d.find("4").body.endswith("市商务局组织专家评审并公示。")
    for clause in d.walk():
        assert "\n" not in clause.body
        assert "页" not in clause.body and "- 1 -" not in clause.body


def test_hard_wrapped_line_ending_in_comma_is_rejoined():
    d = parse("一、总体要求\n坚持市场主导，\n政府引导。\n二、重点任务\n加快发展。")
    assert d.find("1").body == "坚持市场主导，政府引导。"


def test_table_stays_in_its_article(fixture_text, shape):
    d = parse(fixture_text("table_in_clause.txt"))
    assert [shape(c) for c in d.clauses] == [
        ("1", "article", "第一条", "", []),
        ("2", "article", "第二条", "", [("2.1", "item", "（一）", "海外仓项目按年度申报", []),
                                        ("2.2", "item", "（二）", "", []), ("2.p1", "paragraph", "", "", [])]),
        ("3", "article", "第三条", "", []),
    ]
    assert d.find("2").body.split("\n") == [
        "专项资金按照以下标准安排：", "表1　专项资金支持标准", "支持事项\t支持标准\t上限（万元）",
        "海外仓建设\t按实际投资额的20%\t200", "品牌培育\t按认证费用的50%\t30", "注：同一项目不重复支持。",
    ]


def test_table_after_an_inline_item_stays_in_that_item():
    text = ("一、资金安排\n（一）支持标准。具体如下：\n表1 支持标准\n事项\t金额\n建仓\t100\n"
            "（二）申报方式。按年度申报。\n各区要做好政策宣传。")
    d = parse(text)
    assert d.find("1.1").body == "具体如下：\n表1 支持标准\n事项\t金额\n建仓\t100"
    assert d.find("1.p1").body == "各区要做好政策宣传。"
    assert [c.key for c in d.find("1").children] == ["1.1", "1.2", "1.p1"]


def test_full_width_spaces_in_headings():
    d = parse("第一章　总　　则\n第一条　为了规范管理，制定本办法。\n第二章　附　　则\n第二条　本办法自发布之日起施行。")
    assert [c.heading for c in d.clauses] == ["总则", "附则"]
    assert d.find("1.1").label == "第一条"


def test_heading_only_line_versus_inline_item():
    d = parse("一、工作目标\n到2027年实现倍增。\n二、加强组织领导。成立工作专班。\n各区要落实责任。")
    assert (d.find("1").heading, d.find("1").body) == ("工作目标", "到2027年实现倍增。")
    assert (d.find("2").heading, d.find("2").body) == ("加强组织领导", "成立工作专班。")
    # after an inline top-level item, a paragraph stands on its own
    assert d.find("p1").body == "各区要落实责任。"
    assert d.find("p1").kind == "paragraph"


def test_continuous_numbering_keeps_the_number_as_written():
    d = parse("一、任务\n（一）甲\n1.做甲。甲。\n2.做乙。乙。\n（二）乙\n3.做丙。丙。")
    assert [c.key for c in d.walk()] == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.3"]


def test_article_with_bracketed_heading():
    d = parse("第一条【立法目的】为了促进跨境电商发展，制定本条例。\n第二条（适用范围）本条例适用于本市。")
    assert (d.find("1").heading, d.find("1").body) == ("立法目的", "为了促进跨境电商发展，制定本条例。")
    assert (d.find("2").heading, d.find("2").body) == ("适用范围", "本条例适用于本市。")


def test_sentence_starting_with_a_decimal_is_not_a_heading():
    d = parse("一、目标\n1.5倍以上的增长目标。\n二、任务\n落实。")
    assert [c.key for c in d.walk()] == ["1", "2"]
    assert d.find("1").body == "1.5倍以上的增长目标。"


def test_right_parenthesis_numbers():
    d = parse("海外仓建设方案\n一、目标\n1）建设海外仓。建成10个。\n2）培育品牌。培育50个。")
    assert [(c.key, c.label, c.heading) for c in d.walk()] == [
        ("1", "一、", "目标"), ("1.1", "1）", "建设海外仓"), ("1.2", "2）", "培育品牌")]


def test_missing_title_is_reported():
    d = parse("一、目标\n加快发展。")
    assert d.title == ""
    assert any("标题" in w for w in d.warnings)


def test_finished_banner_and_trailing_feedback_are_furniture():
    text = ("【已结束】关于对《某办法(征求意见稿)》向社会征求意见的公示\n公告\n征求意见时间为2023年5月1日至5月15日。\n"
            "草案正文\n第一条 为了规范管理,制定本办法。\n背景介绍\n为了规范管理。\n公众意见采纳情况反馈\n共收到意见3条。")
    d = parse(text)
    assert d.title == "某办法(征求意见稿)"
    assert [c.body for c in d.walk()] == ["为了规范管理,制定本办法。"]
    assert (d.notice.opens_on.isoformat(), d.notice.closes_on.isoformat()) == ("2023-05-01", "2023-05-15")


def test_table_of_contents_with_leaders_and_page_numbers():
    text = ("某某管理办法\n目 录\n第一章 总则……………………1\n第二章 管理职责..........3\n第三章 附则　5\n"
            "第一章　总　　则\n第一条　为了加强管理，制定本办法。\n第二章　管理职责\n第二条　市商务局负责统筹。\n"
            "第三章　附　　则\n第三条　本办法自发布之日起施行。")
    d = parse(text)
    assert [(c.key, c.heading) for c in d.walk()] == [
        ("1", "总则"), ("1.1", ""), ("2", "管理职责"), ("2.2", ""), ("3", "附则"), ("3.3", "")]
    assert d.title == "某某管理办法"


@pytest.mark.parametrize("page_line", ["3", "- 3 -", "— 3 —", "第3页", "第 3 页 共 12 页", "3/12", "·3·", "Page 3"])
def test_page_number_lines_are_dropped(page_line):
    d = parse(f"一、目标\n加快发展跨境电商，\n{page_line}\n培育外贸新动能。\n二、措施\n加强领导。")
    assert d.find("1").body == "加快发展跨境电商，培育外贸新动能。"
