"""The group page's one form: 归纳意见 and the decision saved together, with one button, in one transaction."""

from __future__ import annotations

import re

import pytest

from comment_portal.db import get_db
from comment_portal.store import decisions as decision_q
from tests.helpers import OVERSEAS, TALENT, add_comment, audit_rows, decide, group, make_group, staff_post


@pytest.fixture
def grouped(app, seeded):
    ids = [add_comment(app, OVERSEAS, "3.3.10"), add_comment(app, TALENT, "3.3.10")]
    return make_group(app, ids, key="3.3.10", title="海外仓建设", summary="")


def _decision(app, gid):
    with app.app_context():
        return decision_q.for_group(get_db(), gid)


def _save(client, gid, **fields):
    url = f"/staff/c/seed/groups/{gid}"
    data = {"title": "海外仓补贴标准", "summary": "建议明确海外仓认定和补贴标准。", f"g{gid}-action": "save"}
    data.update({(k if k in ("title", "summary") else f"g{gid}-{k}"): v for k, v in fields.items()})
    return staff_post(client, url + "/update", data, form_url=url)


def test_one_save_stores_the_summary_and_the_decision(app, grouped, reviewer_client):
    page = reviewer_client.get(f"/staff/c/seed/groups/{grouped}").get_data(as_text=True)
    form = re.search(r'<form method="post" action="/staff/c/seed/groups/\d+/update".*?</form>', page, re.DOTALL).group(0)
    # One form: the name, the 归纳意见 and the decision's fields, and one save button.
    assert 'name="summary"' in form and f'name="g{grouped}-category"' in form and f'name="g{grouped}-reason"' in form
    assert len(re.findall(r'value="save"', form)) == 1 and "保存决定" not in form
    response = _save(reviewer_client, grouped, category="部分采纳", reason="已在第十条中增加海外仓认定标准。")
    assert response.status_code == 303
    row = group(app, grouped)
    assert row["title"] == "海外仓补贴标准" and row["summary"] == "建议明确海外仓认定和补贴标准。"
    decision = _decision(app, grouped)
    assert decision.category == "部分采纳" and decision.reason == "已在第十条中增加海外仓认定标准。"
    assert len(audit_rows(app, "group.update")) == 2 and len(audit_rows(app, "decision.set")) == 1  # make_group's + ours
    shown = reviewer_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "分组名称、归纳意见和处理决定（部分采纳）已保存" in shown


def test_a_refused_decision_saves_nothing_and_keeps_what_was_typed(app, grouped, reviewer_client):
    response = _save(reviewer_client, grouped, category="未采纳", reason="")
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "理由" in text
    assert "海外仓补贴标准" in text and "建议明确海外仓认定和补贴标准。" in text  # typed, shown again
    row = group(app, grouped)
    assert row["title"] == "海外仓建设" and not row["summary"]  # not saved: both or neither
    assert _decision(app, grouped) is None and len(audit_rows(app, "group.update")) == 1


def test_without_a_category_only_the_text_is_saved_and_a_decision_stays(app, grouped, reviewer_client):
    decide(app, group=grouped, category="采纳")
    response = _save(reviewer_client, grouped, category="")
    assert response.status_code == 303
    assert group(app, grouped)["summary"] == "建议明确海外仓认定和补贴标准。"
    assert _decision(app, grouped).category == "采纳" and len(audit_rows(app, "decision.set")) == 1


def test_saving_unchanged_values_writes_no_audit_rows(app, grouped, reviewer_client):
    _save(reviewer_client, grouped, category="采纳", reason="")
    _save(reviewer_client, grouped, category="采纳", reason="")
    assert len(audit_rows(app, "group.update")) == 2 and len(audit_rows(app, "decision.set")) == 1


def test_the_template_button_fills_the_reason_and_saves_nothing(app, grouped, reviewer_client):
    response = _save(reviewer_client, grouped, category="未采纳", reason="", template="0", action="template")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "该建议已在《…》第X条中体现。" in text
    assert "海外仓补贴标准" in text and group(app, grouped)["title"] == "海外仓建设"
    assert _decision(app, grouped) is None


def test_the_decision_can_still_be_withdrawn_from_the_group_page(app, grouped, reviewer_client):
    decide(app, group=grouped, category="采纳")
    url = f"/staff/c/seed/groups/{grouped}"
    page = reviewer_client.get(url).get_data(as_text=True)
    assert "撤销决定" in page
    response = staff_post(reviewer_client, url + "/decision", {f"g{grouped}-action": "clear"}, form_url=url)
    assert response.status_code == 303 and _decision(app, grouped) is None
