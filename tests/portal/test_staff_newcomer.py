"""What a new 电商处 staff member meets on the staff side (h13, session 9): every clause list names clauses as the
draft numbers them, never a fragment of the draft's body as if it were a clause."""

from __future__ import annotations

import re

import pytest

OPTION_RE = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')


def _clause_options(client, url: str, name: str) -> dict[str, str]:
    page = client.get(url).get_data(as_text=True)
    select = page[page.index(f'name="{name}"'):]
    select = select[:select.index("</select>")]
    return {value: re.sub(r"（\d+）$", "", text.strip("\u3000 ")) for value, text in OPTION_RE.findall(select)}


@pytest.mark.parametrize("url,name", [("/staff/c/seed/queue", "clause"), ("/staff/c/seed/groups", "clause"),
                                      ("/staff/c/seed/enter", "clause")])
def test_unnumbered_paragraphs_are_named_as_such_not_listed_as_clauses(app, seeded, admin_client, url, name):
    options = _clause_options(admin_client, url, name)
    # The seed's annex has two unnumbered paragraphs (a1.1.p1, a1.2.p1). Listed by their first words alone
    # ("加快推进宠物用品、餐厨用具、乐器、二手商品等特色"), a reader takes them for clauses cut off mid-sentence.
    for key in ("a1.1.p1", "a1.2.p1"):
        assert "未编号段落" in options[key], options[key]
    assert not options["a1.1.p1"].startswith("加快推进")
    # A label that ends without punctuation (附件, 第一章) is kept apart from its heading.
    assert options["a1"] == "附件 天津市跨境电商产业空间及区域功能布局"
    assert options["3.1.1"] == "1.加强头部企业培育引进"
