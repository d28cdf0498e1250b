"""Two versions of a draft: clauses matched across renumbering, differences by character."""

import re

import pytest

from draft import SEED_PATH, load_seed, parse
from draft.revisions import Change, diff, match, missing_keys, moved_keys, revision_table, similarity

SEED = SEED_PATH.read_text(encoding="utf-8")


def revised_seed() -> str:
    """送审稿: one item edited, one inserted (renumbering every item after it), one removed, a
    heading reworded, an annex paragraph gone."""
    text = SEED.replace("(征求意见稿)", "(送审稿)")
    text = text.replace("2.加快传统企业转型升级。", "2.加快传统企业数字化转型升级。")
    text = text.replace("3.推动“跨境电商+产业带”融合发展。",
                        "3.支持跨境电商海外仓建设。鼓励企业在重点市场布局公共海外仓。\n4.推动“跨境电商+产业带”融合发展。")
    text = text.replace("低于等值20万美元(不含)", "低于等值50万美元(不含)")
    text = text.replace("(六)注重氛围营造。", "(六)注重宣传引导。")
    lines, seen = [], False
    for line in text.split("\n"):
        m = re.match(r"^(\d+)\.", line)
        if line.startswith("4.推动"):
            seen = True
        elif seen and m:
            line = f"{int(m.group(1)) + 1}{line[len(m.group(1)):]}"
        if not line.startswith("19.增强合规风控能力建设"):   # the old 18., renumbered, is dropped
            lines.append(line)
    return "\n".join(lines)


def test_missing_keys_is_what_replace_refuses_on():
    seed = load_seed()
    assert missing_keys(seed, ["3.1.2", None, "3.4.18", "9.9"]) == {"9.9"}
    assert missing_keys(parse(revised_seed()), ["3.4.18", "3.4.19"]) == {"3.4.19"}


def test_match_follows_clauses_across_renumbering():
    old, new = load_seed(), parse(revised_seed())
    matches = match(old, new)
    by_old = {m.old.key: m for m in matches if m.old}
    assert by_old["3.1.3"].new.key == "3.1.4" and by_old["3.1.3"].status == "renumbered"
    assert by_old["3.1.2"].new.key == "3.1.2" and by_old["3.1.2"].status == "changed"
    assert by_old["3.3.12"].new.key == "3.3.13" and by_old["3.3.12"].status == "changed"
    assert by_old["3.4.18"].new is None and by_old["3.4.18"].status == "removed"
    added = [m.new.key for m in matches if m.old is None]
    assert added == ["3.1.3"]
    assert by_old["4.6"].status == "changed" and by_old["1"].status == "unchanged"
    moved = moved_keys(matches)
    assert moved["3.1.5"] == "3.1.6" and "3.1.2" not in moved and "3.4.18" not in moved
    # every clause of both versions appears once, in the new version's order
    assert [m.new.key for m in matches if m.new] == [c.key for c in new.walk()]
    assert sorted(m.old.key for m in matches if m.old) == sorted(c.key for c in old.walk())
    removed_at = next(i for i, m in enumerate(matches) if m.new is None)
    assert matches[removed_at - 1].new.key == "3.4.18"   # placed after its old neighbour (17. → 18.)


def test_diff_marks_the_words_that_changed():
    assert diff("低于等值20万美元", "低于等值50万美元") == [
        Change("equal", "低于等值", "低于等值"), Change("replace", "20", "50"), Change("equal", "万美元", "万美元")]
    assert diff("加快传统企业转型升级。", "加快传统企业数字化转型升级。") == [
        Change("equal", "加快传统企业", "加快传统企业"), Change("insert", new="数字化"),
        Change("equal", "转型升级。", "转型升级。")]
    # a one-character island between two changes is folded into them, not shown on its own
    assert diff("注重氛围营造", "注重宣传引导") == [Change("equal", "注重", "注重"), Change("replace", "氛围营造", "宣传引导")]
    assert diff("强化组织领导甲乙", "强化组织领导") == [Change("equal", "强化组织领导", "强化组织领导"),
                                               Change("delete", old="甲乙")]
    assert diff("完全不同的一句话。", "另起炉灶重新写过") == [Change("delete", old="完全不同的一句话。"),
                                                  Change("insert", new="另起炉灶重新写过")]
    assert diff("", "") == [] and diff("同", "同") == [Change("equal", "同", "同")]


@pytest.mark.parametrize(("a", "b"), [("跨境电商", "跨境电商"), ("", "")])
def test_similarity_bounds(a, b):
    assert similarity(a, b) == 1.0
    assert similarity("跨境电商", "财税政策") == 0.0


def test_revision_table_rows_and_basis():
    table = revision_table(load_seed(), parse(revised_seed()), {"3.1.2": [3, 7], "3.1.3": ["文字修改"]},
                           cite_new={"4.6": "四(六)"})
    assert table.title == "《天津市跨境电子商务高质量发展三年倍增计划》修改对照表"
    summary = [(r.status, r.old_key, r.new_key, r.clause) for r in table.rows]
    assert summary == [
        ("changed", "3.1.2", "3.1.2", "2.加快传统企业数字化转型升级"),
        ("added", None, "3.1.3", "3.支持跨境电商海外仓建设"),
        ("changed", "3.3.12", "3.3.13", "13.创新外汇管理服务"),
        ("removed", "3.4.18", None, "18.增强合规风控能力建设"),
        ("changed", "4.6", "4.6", "四(六)"),
    ]
    first, added = table.rows[0], table.rows[1]
    assert first.basis == [3, 7] and first.before.startswith("2.加快传统企业转型升级。鼓励农业")
    assert [c for c in first.changes if c.op != "equal"] == [Change("insert", new="数字化")]
    assert added.basis == ["文字修改"] and added.before == "" and added.changes == [
        Change("insert", new="3.支持跨境电商海外仓建设。鼓励企业在重点市场布局公共海外仓。")]
    forex = table.rows[2]
    assert [c for c in forex.changes if c.op != "equal"] == [Change("replace", "12", "13"), Change("replace", "20", "50")]
    everything = revision_table(load_seed(), parse(revised_seed()), include_unchanged=True)
    assert len(everything.rows) == len(list(load_seed().walk())) + 1
