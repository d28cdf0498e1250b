"""Groups of a consultation: run the analysis, review groups, rename, summarise, merge, split, campaigns.

Each view validates its form and calls one function of ``groups`` (or ``analysis_runs``), which sets the
group's ``edited`` flag (so a rerun of the analysis keeps it) and writes the audit row in the same
transaction, before → after. Merged groups keep their row (``merged_into``).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from .. import comment_analysis, jobs, store
from ..citations import group_choice
from ..clock import now
from ..db import get_db
from ..store.rows import Consultation, Group
from ..vocabulary import CHANNELS, COUNTED, GROUP_KINDS, NOT_COUNTED, STATUSES, WITHDRAWN
from ..web import Routes, consultation_or_404, page_count, requested_choice, requested_page
from .changes import Changes, refusing
from .decisions import conflict_message, decision_form, decision_panel, fill_template, submitted
from .forms import CampaignForm, EmptyForm, GroupTextForm, MergeForm, SplitForm
from .jobs import job_box
from .queue import clause_choices

DECIDED = store.groups.DECIDED

routes = Routes()


def _list_filters() -> store.groups.ListFilters:
    args = request.args
    return store.groups.ListFilters(
        clause=args.get("clause", "")[:50], decided=requested_choice("decided", DECIDED),
        kind=requested_choice("kind", GROUP_KINDS), size=requested_choice("size", store.groups.SIZES),
        sort="cohesion" if args.get("sort") == "cohesion" else "")


@routes.get("/c/<slug>/groups")
def groups(slug: str):
    """The groups, a page at a time, filtered by clause, decision, kind and size (with counts per value)."""
    db = get_db()
    consultation = consultation_or_404(slug)
    f = _list_filters()
    page_no = requested_page()
    found = store.groups.listing(db, consultation.id, f, page_no)
    box = job_box(consultation, "analysis")
    result = box["job"].result if box and box["job"].state == store.jobs.DONE else None
    sections: list[dict] = []
    for item in found.items:
        key = item.clause_key
        if not sections or sections[-1]["key"] != key:
            sections.append({"key": key, "groups": []})
        sections[-1]["groups"].append(item)
    return render_template(
        "staff/groups.html", consultation=consultation, f=f, sections=sections, total=found.total, shown=found.shown,
        counts=found.counts, page_no=page_no, pages=page_count(found.total, store.groups.LIST_PAGE_SIZE),
        args=f.active(), unsorted={k: v for k, v in f.active().items() if k != "sort"},
        by_cohesion={**f.active(), "sort": "cohesion"},
        clauses=[(store.groups.WHOLE if value == store.queue.WHOLE else value, text)
                 for value, text in clause_choices(db, consultation.id)],
        kinds=list(GROUP_KINDS.items()), decided=list(DECIDED.items()),
        sizes=[(k, label) for k, (label, _, _) in store.groups.SIZES.items()],
        last_run=store.analysis_runs.last_run(db, consultation.id), job=box,
        done_message=analysis_message(result) if result else "",
        new_count=store.queue.new_since_last_run(db, consultation.id), analyze_form=EmptyForm(), mixed=found.mixed,
        ungrouped=store.groups.ungrouped_pending(db, consultation.id),
    )


@routes.post("/c/<slug>/analyze")
def analyze(slug: str):
    """Admin only (not in REVIEWER_ENDPOINTS): queue an analysis run (a background job); the groups page shows
    its progress, and the new groups when it is done."""
    db = get_db()
    consultation = consultation_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    counts = store.comments.status_counts(db, consultation.id)
    if not sum(counts.get(s, 0) for s in COUNTED):
        flash("还没有可分析的意见（无效和重复意见不参与分析）。", "error")
        return redirect(url_for("staff.groups", slug=slug), code=303)
    try:
        job = store.jobs.enqueue(db, kind="analysis", consultation_id=consultation.id, staff=g.staff, now=now())
    except store.jobs.JobError as exc:
        flash(str(exc), "error")
    else:
        jobs.start(current_app, job)
    return redirect(url_for("staff.groups", slug=slug), code=303)


def analysis_message(summary: dict[str, Any]) -> str:
    """What a finished analysis job did, as the groups page says it."""
    message = (f"分析完成：{summary['comment_count']} 条意见分为 {summary['group_count']} 组，其中集中意见 "
               f"{summary['campaign_count']} 组；未能处理 {summary['unprocessed_count']} 条。")
    if summary.get("supportive_count"):
        message += f"其中 {summary['supportive_count']} 条仅表示支持的意见单独成组，请统一致谢答复。"
    if summary.get("noise_count"):
        message += (f"另有 {summary['noise_count']} 条疑似无效意见待确认（疑似广告或与征求意见无关），未与其他意见归组，"
                    "请在意见队列中逐条确认或退回。")
    if summary.get("new_placed"):
        message += (f"上次分析后新收到的 {summary['new_placed']} 条意见已归组（标“新”），其中 "
                    f"{summary['new_into_existing']} 条归入已编辑的分组。")
    return message


def _group_or_404(consultation: Consultation, group_id: int) -> Group:
    row = store.groups.get(get_db(), consultation.id, group_id)
    if row is None:
        abort(404)
    return row


def _merge_choices(db, consultation: Consultation, group: Group) -> list[tuple[int, str]]:
    return [(other.id, group_choice(consultation, other)) for other in store.groups.active(db, consultation.id)
            if other.id != group.id]


def _group_page(consultation: Consultation, group: Group, code: int = 200, **forms):
    db = get_db()
    members = store.groups.members(db, group.id)
    comment_analysis.with_quotations(consultation, members)
    new_after = store.analysis_runs.first_run_max(db, consultation.id)
    for m in members:
        m.is_new = store.comments.is_new(m, new_after)
    text_form = forms.get("text_form") or GroupTextForm(formdata=None, data={"title": group.title or "",
                                                                             "summary": group.summary or ""})
    if forms.get("text_form") is None or forms.get("conflict"):
        text_form.seen.data = store.decisions.review_stamp(db, group.id)  # what this page now shows
    merge_form = forms.get("merge_form") or MergeForm(formdata=None)
    merge_form.target.choices = _merge_choices(db, consultation, group)
    split_form = forms.get("split_form") or SplitForm(formdata=None)
    split_form.comment_ids.choices = [(m.id, str(m.id)) for m in members]
    representative = next((m for m in members if m.id == group.representative_id), None)
    panel = decision_panel(consultation, group_id=group.id)
    if panel:
        panel["clear_form"] = panel["form"]  # 撤销决定 is its own small form, with its own token
        if forms.get("decision_form") is not None:
            panel["form"] = forms["decision_form"]  # what was typed, shown again
    merged_into = store.groups.get(db, consultation.id, group.merged_into) if group.merged_into else None
    additions = store.analysis_runs.campaign_additions(db, group)
    return render_template(
        "staff/group.html", consultation=consultation, group=group, members=members, representative=representative, additions=additions,
        group_decision=panel,
        merged_into=merged_into, text_form=text_form, merge_form=merge_form, split_form=split_form,
        campaign_form=CampaignForm(formdata=None), seen_form=EmptyForm(), statuses=STATUSES, conflict=forms.get("conflict"),
        channels=CHANNELS, new_members=sum(1 for m in members if m.is_new),
        counted=sum(1 for m in members if m.status not in NOT_COUNTED),
        own=store.decisions.own_categories(db, [m.id for m in members if m.status not in NOT_COUNTED]),
        group_decided=store.decisions.for_group(db, group.id) is not None,
        withdrawn=sum(1 for m in members if m.status == WITHDRAWN),
    ), code


@routes.get("/c/<slug>/groups/<int:group_id>")
def group(slug: str, group_id: int):
    consultation = consultation_or_404(slug)
    return _group_page(consultation, _group_or_404(consultation, group_id))


CHANGES = Changes()


def _here(consultation: Consultation, group_id: int) -> str:
    return url_for("staff.group", slug=consultation.slug, group_id=group_id)


@CHANGES.add("merge", MergeForm, "merge_form")
def _merge(consultation: Consultation, group: Group, form: MergeForm) -> tuple[str, str]:
    with refusing(store.groups.GroupError):
        store.groups.merge(get_db(), consultation.id, group.id, form.target.data, staff=g.staff, now=now())
    return f"已将“{group.title}”并入本组（原分组保留记录，标注为已合并）。", _here(consultation, form.target.data)


@CHANGES.add("split", SplitForm, "split_form")
def _split(consultation: Consultation, group: Group, form: SplitForm) -> tuple[str, str]:
    with refusing(store.groups.GroupError, form.comment_ids):
        new_id = store.groups.split(get_db(), consultation.id, group.id, form.comment_ids.data,
                                    title=form.title.data or "", staff=g.staff, now=now())
    return f"已将 {len(set(form.comment_ids.data))} 条意见拆分为新分组。", _here(consultation, new_id)


@CHANGES.add("campaign", CampaignForm, "campaign_form")
def _campaign(consultation: Consultation, group: Group, form: CampaignForm) -> tuple[str, str]:
    """A near-duplicate campaign is one opinion (kind ``campaign``); its size still counts every copy."""
    with refusing(store.groups.GroupError):
        kind = store.groups.set_campaign(get_db(), consultation.id, group.id, form.campaign.data == "1",
                                         staff=g.staff, now=now())
    return ("已标为集中意见：作为一条意见处理，人数按全部意见计。" if kind == "campaign" else "已取消集中意见标记。",
            _here(consultation, group.id))


def _prepared(form: FlaskForm, consultation: Consultation, group: Group) -> FlaskForm:
    """Fill the select lists that depend on the group before the form is validated."""
    db = get_db()
    if isinstance(form, MergeForm):
        form.target.choices = _merge_choices(db, consultation, group)
    elif isinstance(form, SplitForm):
        form.comment_ids.choices = [(m, str(m)) for m in store.groups.member_ids(db, group.id)]
    return form


def group_change(slug: str, group_id: int, change: str) -> Any:
    """One change to a group (name and summary, merge, split, campaign mark), then to the group's page."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    return CHANGES.run(change, args=(consultation, group), back=_here(consultation, group_id),
                       prepare=lambda form: _prepared(form, consultation, group),
                       again=lambda **posted: _group_page(consultation, group, 400, **posted))


CHANGES.routes(routes, "/c/<slug>/groups/<int:group_id>/<change>", "group", group_change)


@routes.post("/c/<slug>/groups/<int:group_id>/update")
def group_update(slug: str, group_id: int) -> Any:
    """The group page's one form: name, 归纳意见 and decision, saved together (one transaction); a refused
    decision saves nothing and shows the form again with everything typed. (Two forms in one, so not one of
    the ``CHANGES``.)"""
    db = get_db()
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    text_form = GroupTextForm()
    prefix = f"g{group_id}"
    decision = decision_form(consultation, prefix, formdata=request.form, csrf=False)  # the text form's token
    if request.form.get(f"{prefix}-action") == "template":
        fill_template(consultation, decision)
        return _group_page(consultation, group, 200, text_form=text_form, decision_form=decision)
    valid = text_form.validate_on_submit()
    if not (decision.validate() and valid):
        return _group_page(consultation, group, 400, text_form=text_form, decision_form=decision)
    reason, revised = submitted(db, consultation, decision, group.clause_key)
    category = decision.category.data or ""
    try:
        store.decisions.save_group_review(db, consultation, group_id, title=text_form.title.data or "",
                                          summary=text_form.summary.data or "", category=category, reason=reason,
                                          revised_text=revised, staff=g.staff, now=now(),
                                          seen=text_form.seen.data or None)
    except store.decisions.StaleReview:
        decision.reason.data = reason
        return _group_page(consultation, _group_or_404(consultation, group_id), 409, text_form=text_form,
                           decision_form=decision, conflict=conflict_message(db, consultation, "group", group_id))
    except store.decisions.DecisionError as exc:
        decision.reason.data = reason
        decision.reason.errors = [*decision.reason.errors, str(exc)]
        return _group_page(consultation, group, 400, text_form=text_form, decision_form=decision)
    flash(f"分组名称、归纳意见和处理决定（{category}）已保存。" if category else "分组名称和归纳意见已保存。", "success")
    return redirect(_here(consultation, group_id), code=303)


@routes.post("/c/<slug>/groups/<int:group_id>/reviewed")
def group_reviewed(slug: str, group_id: int):
    """Staff have looked at the comments the last run placed here: they stop being shown as 新."""
    db = get_db()
    consultation = consultation_or_404(slug)
    _group_or_404(consultation, group_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = store.groups.mark_new_reviewed(db, consultation.id, group_id, store.analysis_runs.first_run_max(db, consultation.id), staff=g.staff,
                                           now=now())
    flash(f"已确认查看 {count} 条新意见。", "success")
    return redirect(_here(consultation, group_id), code=303)
