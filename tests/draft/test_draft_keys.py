"""Keys are stable, unique and URL-safe; drafts survive a JSON round trip; odd input never crashes."""

import json
import re
from pathlib import Path

import pytest

from draft import SEED_PATH, Draft, parse
from draft.parser import NO_STRUCTURE

FIXTURES = Path(__file__).parent / "fixtures"
SEED = SEED_PATH.read_text(encoding="utf-8")
URL_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$")


def keys(draft):
    return [c.key for c in draft.walk()]


def all_texts():
    yield SEED
    for path in sorted(FIXTURES.glob("*.txt")):
        yield path.read_bytes().decode("gb18030" if "gb18030" in path.name else "utf-8-sig")


def test_same_text_same_keys():
    assert keys(parse(SEED)) == keys(parse(SEED))
    assert parse(SEED) == parse(SEED)


def test_editing_a_clause_body_keeps_every_key():
    before = parse(SEED)
    old = before.find("3.3.12").body.split("。")[0]
    edited_text = SEED.replace(old, "支持跨境电商企业按规定办理跨境资金结算,并由银行提供更便利的服务")
    edited_text = edited_text.replace("积极挖掘跨境电商发展创新亮点", "深入挖掘跨境电商发展亮点")
    after = parse(edited_text)
    assert after.find("3.3.12").body != before.find("3.3.12").body
    assert after.find("4.6").body != before.find("4.6").body
    assert keys(after) == keys(before)
    assert [(c.key, c.heading) for c in after.walk()] == [(c.key, c.heading) for c in before.walk()]


def test_editing_an_article_body_keeps_keys():
    text = (FIXTURES / "regulation_chapters.txt").read_text(encoding="utf-8")
    edited = text.replace("保存时间自交易完成之日起不少于三年", "保存时间自交易完成之日起不少于五年，法律另有规定的除外")
    assert keys(parse(edited)) == keys(parse(text))


@pytest.mark.parametrize("text", list(all_texts()), ids=lambda t: t[:12])
def test_keys_unique_and_url_safe(text):
    found = keys(parse(text))
    assert len(found) == len(set(found))
    assert all(URL_SAFE.match(k) for k in found), found


def test_repeated_numbers_are_disambiguated_deterministically():
    text = "一、总体要求\n（一）目标。到2027年。\n一、重点任务\n（一）培育主体。加快发展。\n（一）优化服务。提升效率。"
    d = parse(text)
    assert keys(d) == ["1", "1.1", "1-2", "1-2.1", "1-2.1-2"]
    assert keys(parse(text)) == keys(d)
    assert d.find("1-2").heading == "重点任务"


def test_round_trip_through_json():
    for text in all_texts():
        draft = parse(text)
        data = json.loads(json.dumps(draft.to_dict(), ensure_ascii=False))
        assert Draft.from_dict(data) == draft
    seed = parse(SEED).to_dict()
    assert seed["notice"]["opens_on"] == "2024-09-25" and seed["notice"]["closes_on"] == "2024-10-10"
    assert seed["clauses"][2]["children"][2]["children"][3]["key"] == "3.3.12"


def test_round_trip_keeps_empty_notice_dates_as_none():
    draft = parse("某办法\n第一条　内容。")
    data = draft.to_dict()
    assert data["notice"]["published_on"] is None
    assert Draft.from_dict(data).notice.published_on is None


@pytest.mark.parametrize("text", [
    "asdf qwer zxcv 1234 !!! ###",
    "这是一段没有任何编号的文字。它讲了一些事情，但没有分条。\n第二段也没有编号。",
    "☆★☆★\n\x00\x01控制字符\n%%%%",
    "（）（）\n、、、\n第条\n附件所列事项另行规定。",
])
def test_unstructured_text_becomes_one_clause_with_a_warning(text):
    d = parse(text)
    assert len(d.clauses) == 1
    only = d.clauses[0]
    assert (only.key, only.kind, only.label, only.children) == ("p1", "paragraph", "", [])
    assert only.body
    assert NO_STRUCTURE in d.warnings
    assert d.preamble == ""


def test_unstructured_text_keeps_all_its_words():
    text = "关于进一步做好跨境电商工作的说明\n请各单位认真落实。\n做好有关工作。"
    d = parse(text)
    joined = f"{d.title}\n{d.clauses[0].body}"
    for part in ("跨境电商工作的说明", "请各单位认真落实。", "做好有关工作。"):
        assert part in joined
