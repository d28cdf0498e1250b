"""The groups page: a page of groups at a time, filtered by clause, decision, kind and size, with counts."""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db, write
from comment_portal.store import groups as group_q
from tests.helpers import add_comment, consultation, decide

URL = "/staff/c/seed/groups"


@pytest.fixture
def many(app, seeded):
    """120 groups: 100 single comments on clause 3.3.10 (10 of them decided), 19 on the whole draft, and one
    group of 12 on clause 3.1.5."""
    made: dict[str, list[int]] = {"single": [], "whole": [], "decided": []}
    with app.app_context():
        db, cid, now = get_db(), consultation(app).id, app.extensions["clock"].now()

        def group_of(comment_ids, key, kind):
            with write(db):
                gid = group_q.create(db, cid, now=now, kind=kind, title=f"分组{comment_ids[0]}", clause_key=key,
                                     representative_id=comment_ids[0], edited=False)
                group_q.move_comments(db, comment_ids, gid, now=now)
            return gid

        for i in range(100):
            made["single"].append(group_of([add_comment(app, f"建议第{i}项：完善海外仓支持政策。", "3.3.10")], "3.3.10",
                                           "singleton"))
        for i in range(19):
            made["whole"].append(group_of([add_comment(app, f"整体意见第{i}条：建议加强跨境电商人才培养。")], None,
                                          "singleton"))
        big = [add_comment(app, f"集中意见第{i}份：建议增加天津港至欧美的海运航线。", "3.1.5") for i in range(12)]
        made["big"] = [group_of(big, "3.1.5", "campaign")]
    for gid in made["single"][:10]:
        decide(app, group=gid, category="采纳")
        made["decided"].append(gid)
    return made


def _group_links(page: str) -> list[int]:
    return [int(g) for g in re.findall(r'href="/staff/c/seed/groups/(\d+)"', page)]


def test_groups_come_a_page_at_a_time(app, many, reviewer_client):
    first = reviewer_client.get(URL).get_data(as_text=True)
    assert "共 120 个分组" in first and "第 1 / 3 页" in first and 'rel="next"' in first
    assert len(_group_links(first)) == group_q.LIST_PAGE_SIZE
    # Draft order: the whole draft first, then 5. (3.1.5) before 10. (3.3.10).
    assert _group_links(first)[:19] == sorted(many["whole"])
    assert _group_links(first)[19] == many["big"][0]
    last = reviewer_client.get(URL + "?page=3").get_data(as_text=True)
    assert len(_group_links(last)) == 20 and 'rel="prev"' in last and 'rel="next"' not in last
    pages = [_group_links(reviewer_client.get(f"{URL}?page={n}").get_data(as_text=True)) for n in (1, 2, 3)]
    assert sorted(g for found in pages for g in found) == sorted(many["single"] + many["whole"] + many["big"])  # each once
    assert _group_links(reviewer_client.get(URL + "?page=99").get_data(as_text=True)) == []


@pytest.mark.parametrize("query, expected", [
    ("clause=3.3.10", "single"),
    ("clause=__whole__", "whole"),
    ("decided=yes", "decided"),
    ("kind=campaign", "big"),
    ("size=10-99", "big"),
    ("clause=3.3.10&decided=yes", "decided"),
])
def test_filters(app, many, reviewer_client, query, expected):
    wanted = many[expected]
    found = []
    for n in range(1, 4):
        found += _group_links(reviewer_client.get(f"{URL}?{query}&page={n}").get_data(as_text=True))
    assert sorted(set(found)) == sorted(wanted)
    page = reviewer_client.get(f"{URL}?{query}").get_data(as_text=True)
    assert f"符合条件的分组 {len(wanted)} 个（共 120 个）" in page and "清除筛选" in page


def test_facet_counts_follow_the_other_filters(app, many, reviewer_client):
    page = reviewer_client.get(URL + "?clause=3.3.10").get_data(as_text=True)
    assert re.search(r'<option value="yes">已作决定（10）</option>', page)
    assert re.search(r'<option value="no">未作决定（90）</option>', page)
    # The clause facet counts all clauses (given the other filters), so staff can switch between them.
    assert re.search(r'<option value="3.1.5">[^<]*（1）</option>', page)
    # The pager keeps the filters.
    many_pages = reviewer_client.get(URL + "?decided=no").get_data(as_text=True)
    assert 'href="/staff/c/seed/groups?page=2&amp;decided=no"' in many_pages


def test_bad_filter_values_are_ignored(app, many, reviewer_client):
    page = reviewer_client.get(URL + "?kind=<script>&size=huge&decided=maybe&page=-3").get_data(as_text=True)
    assert "共 120 个分组" in page and "<script>" not in page
