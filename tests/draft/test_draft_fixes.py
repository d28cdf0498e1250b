"""Staff's corrections to a parsed draft: merge, split, relabel, outdent — replayable, text kept in order."""

import json

import pytest

from draft import Clause, Draft, load_seed, parse
from draft.fixes import (
    MERGE,
    OUTDENT,
    RELABEL,
    SPLIT,
    Fix,
    FixError,
    apply_fix,
    apply_fixes,
    make_fix,
)


def text_of(draft: Draft) -> str:
    """The draft's words in document order, without line breaks (what no fix may lose or reorder)."""
    lines = [draft.preamble] + [line for c in draft.walk() for line in c.written_lines()]
    return "".join("".join(lines).split())


def fix(draft, op, key, **kw):
    return apply_fix(draft, make_fix(draft, op, key, **kw))


@pytest.fixture(scope="module")
def seed():
    return load_seed()


def test_merge_then_split_gives_back_the_parsed_draft(seed):
    merged = fix(seed, MERGE, "3.1.2")
    assert merged.find("3.1.2") is None
    item1 = merged.find("3.1.1")
    assert "2.加快传统企业转型升级。鼓励农业" in item1.body
    assert text_of(merged).replace("。", "") == text_of(seed).replace("。", "")
    paragraph = item1.body.split("\n").index(next(p for p in item1.body.split("\n") if p.startswith("2."))) + 1
    restored = fix(merged, SPLIT, "3.1.1", paragraph=paragraph)   # number and heading read from the paragraph
    assert restored.to_dict() == seed.to_dict()


def test_fixes_do_not_change_the_draft_they_are_given(seed):
    before = json.dumps(seed.to_dict(), ensure_ascii=False)
    fix(seed, MERGE, "3.1.2")
    assert json.dumps(seed.to_dict(), ensure_ascii=False) == before


def test_merging_the_first_clause_of_a_section_goes_into_its_text(seed):
    merged = fix(seed, MERGE, "3.1.1")
    section = merged.find("3.1")
    assert section.body.startswith("1.加强头部企业培育引进。积极引进")
    assert [c.key for c in section.children][:2] == ["3.1.2", "3.1.3"]


def test_merging_the_very_first_clause_goes_into_the_preamble():
    d = parse("某办法\n1.为了规范管理，制定本办法。\n第一条　本办法适用于本市。\n第二条　本办法自发布之日起施行。")
    merged = fix(d, MERGE, d.clauses[0].key)
    assert merged.preamble.endswith("1.为了规范管理，制定本办法。") or "为了规范管理" in merged.preamble
    assert "为了规范管理" not in "".join(c.body for c in merged.walk())


def test_merged_children_take_the_place_of_their_parent():
    d = parse("某方案\n一、总体要求\n内容一。\n二、重点任务\n（一）任务甲\n（二）任务乙\n三、保障措施\n内容三。")
    merged = fix(d, MERGE, "2")
    assert [c.key for c in merged.clauses] == ["1", "2.1", "2.2", "3"]
    assert merged.find("1").body.endswith("二、重点任务")
    assert [c.level for c in merged.walk()] == [1, 1, 1, 1]


def test_split_with_a_typed_number_and_heading():
    d = parse("某方案\n一、总体要求\n内容一。\n二、重点任务\n第一段。\n三年行动\n第三段。")
    split = fix(d, SPLIT, "2", paragraph=2, label="三、", heading="三年行动")
    assert [(c.key, c.label, c.heading, c.body) for c in split.clauses[1:]] == [
        ("2", "二、", "重点任务", "第一段。"), ("3", "三、", "三年行动", "第三段。")]
    assert split.clauses[2].kind == "part"


def test_split_without_a_number_makes_an_unnumbered_paragraph_of_the_enclosing_section(seed):
    item = seed.find("3.1.1")
    d = fix(seed, RELABEL, "3.1.1", label=item.label, heading=item.heading)   # a no-op relabel keeps the key
    assert d.find("3.1.1") is not None
    # an item whose body took a paragraph of its section (as a PDF without indents can make it)
    d2 = Draft(title="某方案", clauses=[Clause("1", "一、", "任务", kind="part", children=[
        Clause("1.1", "1.", "甲项", "第一段。\n这一段属于上一级。", level=2, kind="item"),
        Clause("1.2", "2.", "乙项", "内容。", level=2, kind="item")])])
    split = fix(d2, SPLIT, "1.1", paragraph=2)
    assert [(c.key, c.kind, c.body) for c in split.find("1").children] == [
        ("1.1", "item", "第一段。"), ("1.p1", "paragraph", "这一段属于上一级。"), ("1.2", "item", "内容。")]


def test_split_moves_the_children_with_the_text_they_follow():
    d = parse("某方案\n一、总体要求\n第一段。\n二、重点任务\n（一）任务甲\n（二）任务乙")
    d = fix(d, MERGE, "2")          # 二、重点任务 became text of 一、; its children now follow 一、
    assert [c.key for c in d.clauses] == ["1", "2.1", "2.2"]
    # the other way round: a section whose body holds the next section's heading line
    d3 = parse("某方案\n一、总体要求\n第一段。\n第二段。\n（一）任务甲\n（二）任务乙")
    split = fix(d3, SPLIT, "1", paragraph=2, label="二、", heading="重点任务")
    assert [c.key for c in split.clauses] == ["1", "2"]
    assert [c.key for c in split.find("2").children] == ["2.1", "2.2"]
    assert split.find("1").children == []
    assert split.find("2").body == "第二段。"


def test_relabel_rekeys_the_clause_and_its_descendants():
    d = parse("某方案\n一、任务\n（一）甲\n1.子项。内容。\n（三）乙\n内容乙。")
    fixed = fix(d, RELABEL, "1.3", label="（二）", heading="乙")
    assert [c.key for c in fixed.walk()] == ["1", "1.1", "1.1.1", "1.2"]
    assert fixed.find("1.2").title == "（二）乙"
    # a label that collides with an existing key gets a suffix, never a duplicate
    clash = fix(d, RELABEL, "1.3", label="（一）", heading="乙")
    keys = [c.key for c in clash.walk()]
    assert len(keys) == len(set(keys)) and "1.1-2" in keys


def test_outdent_moves_the_last_child_up_one_level():
    d = parse("某方案\n一、任务\n（一）甲\n内容甲。\n（二）乙\n内容乙。\n二、保障")
    d = fix(d, SPLIT, "1.2", paragraph=1)      # 内容乙。 as an unnumbered paragraph after (二)乙
    assert [c.key for c in d.find("1").children] == ["1.1", "1.2", "1.p1"]
    up = fix(d, OUTDENT, "1.p1")
    assert [c.key for c in up.clauses] == ["1", "p1", "2"]
    assert up.clauses[1].level == 1 and up.clauses[1].kind == "paragraph"
    assert text_of(up) == text_of(d)
    with pytest.raises(FixError, match="最后一项"):
        fix(d, OUTDENT, "1.1")
    with pytest.raises(FixError, match="最上一级"):
        fix(d, OUTDENT, "1")


def test_bad_fixes_are_refused_with_a_reason(seed):
    with pytest.raises(FixError, match="没有编号为 9.9 的条款"):
        make_fix(seed, MERGE, "9.9")
    with pytest.raises(FixError, match="没有第5段"):
        fix(seed, SPLIT, "3.1.1", paragraph=5)
    with pytest.raises(FixError, match="未知的修正操作"):
        apply_fix(seed, Fix(op="drop", key="1"))
    bare = Draft(title="某方案", clauses=[Clause("p1", "", "", "唯一一段。", kind="paragraph")])
    with pytest.raises(FixError, match="拆分后就没有内容"):
        fix(bare, SPLIT, "p1", paragraph=1)
    with pytest.raises(FixError, match="不能都为空"):
        fix(Draft(title="某方案", clauses=[Clause("1", "一、", "总则", kind="part")]), RELABEL, "1")


def test_replay_skips_a_fix_made_on_other_text(seed):
    fixes = [make_fix(seed, MERGE, "3.1.2")]
    after = apply_fix(seed, fixes[0])
    fixes.append(make_fix(after, RELABEL, "3.1.3", label="2.", heading="推动融合发展"))
    replayed = apply_fixes(seed, [Fix.from_dict(json.loads(json.dumps(f.to_dict()))) for f in fixes])
    assert replayed.skipped == [] and len(replayed.applied) == 2
    assert replayed.draft.find("3.1.2").title == "2.推动融合发展"
    other = parse(load_seed_text().replace("2.加快传统企业转型升级", "2.加快传统企业数字化转型"))
    replayed = apply_fixes(other, fixes)
    assert [f.op for f, _ in replayed.skipped] == [MERGE]       # made on a clause this text words otherwise
    assert "内容与修正时不同" in replayed.skipped[0][1]
    assert [f.op for f in replayed.applied] == [RELABEL]         # 3.推动… is still the same clause
    assert replayed.draft.find("3.1.2-2").title == "2.推动融合发展"  # its number is taken: a unique key


RENDING = ("某市跨境电商企业认定办法\n第一条　为规范认定工作，制定本办法。\n第二条　本办法适用于本市企业的认定。\n"
           "第三条　认定工作由市商务局负责。\n1.本条第一款所称企业，是指在本市注册的企业。\n第四条　本办法自发布之日起施行。")


def test_a_fix_follows_its_clause_into_a_revised_text():
    """The revised draft (送审稿) inserts a clause before the one fixed: with ``relocate`` the fix finds its clause
    under the new key; without, it is skipped, as for a replay of the same file."""
    consulted = parse(RENDING)
    assert consulted.find("3.1") is not None                      # the parser read a sentence of 第三条 as an item
    merge = make_fix(consulted, MERGE, "3.1")
    revised = parse(RENDING.replace("第二条　本办法适用于本市企业的认定。\n",
                                    "第二条　本办法适用于本市企业的认定。\n第三条　认定标准由市商务局另行公布。\n")
                    .replace("第三条　认定工作", "第四条　认定工作").replace("第四条　本办法自", "第五条　本办法自"))
    assert revised.find("4.1") is not None and revised.find("3.1") is None
    assert [f for f, _ in apply_fixes(revised, [merge]).skipped] == [merge]
    replayed = apply_fixes(revised, [merge], relocate=True)
    assert replayed.applied == [merge] and replayed.skipped == []
    assert replayed.draft.find("4.1") is None
    assert replayed.draft.find("4").body == "认定工作由市商务局负责。\n1.本条第一款所称企业，是指在本市注册的企业。"
    # A clause the revision reworded is no longer the one fixed: skipped, never applied elsewhere.
    reworded = parse(RENDING.replace("1.本条第一款所称企业", "1.本办法所称企业"))
    assert apply_fixes(reworded, [merge], relocate=True).applied == []


def test_descriptions_cite_the_clause(seed):
    f = make_fix(seed, SPLIT, "3.1.1", paragraph=1, label="1.", heading="加强")
    assert f.describe() == "“1.加强头部企业培育引进”从第1段起拆分为新条款“1.加强”"
    assert make_fix(seed, MERGE, "3.1.2").describe() == "“2.加快传统企业转型升级”并入上一条"


def load_seed_text() -> str:
    from draft import SEED_PATH

    return SEED_PATH.read_text(encoding="utf-8")
