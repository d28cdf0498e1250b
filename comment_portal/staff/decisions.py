"""Decisions on groups and comments, and the bulk answer to supportive comments.

The comment page includes the decision form as a partial (``staff/_comment_decision.html``); the group page
puts the decision's fields into its one form with the 归纳意见 (``staff/_decision_fields.html``, saved by
``staff/groups.group_update``). Their views pass what the fields need (:func:`decision_panel`). Without JavaScript, picking a reason template opens an edit page with the
template's text to complete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlite_utils import Database
from wtforms.fields.choices import SelectChoice

from .. import store
from ..clock import now
from ..db import get_db
from ..store.rows import Comment, Consultation, Group
from ..templating import cn_datetime
from ..vocabulary import COUNTED, SUPPORT, SUPPORT_CHOICE, THANKS_REASON
from ..web import Routes, consultation_or_404, safe_next
from .forms import BulkThanksForm, DecisionForm

routes = Routes()


def decision_form(consultation: Consultation, prefix: str, *, formdata: Any = None, data: dict | None = None,
                  csrf: bool = True):
    """``csrf=False``: the fields are part of a bigger form that carries the token (the group page's one form)."""
    kwargs: dict[str, Any] = {"prefix": prefix, "data": data or {}, "meta": {"csrf": csrf}}
    if formdata is None:
        kwargs["formdata"] = None
    form = DecisionForm(**kwargs)
    form.category.choices = [SelectChoice("", "请选择…")] + [
        SelectChoice(category, category) for category in store.decisions.categories(consultation)] + [
        SelectChoice(SUPPORT, SUPPORT_CHOICE)]
    form.template.choices = [SelectChoice("", "不使用模板")] + [
        SelectChoice(str(i), t) for i, t in enumerate(store.decisions.reason_templates(consultation))]
    return form


def _here() -> str:
    """Where to come back after saving: the including page (a POST result page has no GET twin)."""
    return request.full_path.rstrip("?") if request.method == "GET" else ""


def decision_panel(consultation: Consultation, *, group_id: int | None = None,
                   comment_id: int | None = None, adopt: str | None = None) -> dict[str, Any]:
    """Everything the decision partials need beyond ``consultation`` and ``group`` / ``comment`` ({} when not
    found).

    ``adopt``: a submitter's 建议修改为 to put into 修改后表述 (one click on 采用此建议; saving is still a
    separate, deliberate step), with 采纳 chosen when nothing is decided yet."""
    db = get_db()
    consultation_id = consultation.id
    target: Group | Comment | None
    if group_id is not None:
        target = store.decisions.group_row(db, consultation_id, group_id)
        current = store.decisions.for_group(db, group_id)
        prefix = f"g{group_id}"
        action = url_for("staff.group_decision", slug=consultation.slug, target_id=group_id)
        inherited = None
    else:
        target = store.decisions.comment_row(db, consultation_id, comment_id or 0)
        current = store.decisions.for_comment(db, comment_id or 0)
        prefix = f"c{comment_id}"
        action = url_for("staff.comment_decision", slug=consultation.slug, target_id=comment_id)
        inherited = store.decisions.for_group(db, target.group_id) if target and target.group_id else None
    if target is None:
        return {}
    clause_text = store.decisions.clause_text(db, consultation_id, target.clause_key) if target else ""
    # 修改后表述 starts as the clause's current text, so staff edit it into the full new wording (an unchanged
    # text means "no change" and is not stored).
    data = {"next": _here(), "revised_text": clause_text,
            "seen": _stamp_of(db, "group" if group_id is not None else "comment", target.id)}
    if current:
        data.update(category=current.category, reason=current.reason or "",
                    revised_text=current.revised_text or clause_text)
    categories = store.decisions.categories(consultation)
    if adopt:
        data["revised_text"] = adopt
        if not current and categories:
            data["category"] = categories[0]
    return {
        "form": decision_form(consultation, prefix, data=data),
        "action": action,
        "current": current,
        "inherited": inherited,
        "clause_text": clause_text,
        "reason_required": [category for category in categories if store.decisions.reason_required(category)],
        "revisable": [category for category in categories if store.decisions.allows_revised_text(category)],
        "decidable": not isinstance(target, Comment) or target.status in COUNTED,
        "merged": isinstance(target, Group) and bool(target.merged_into),
    }


def _stamp_of(db: Database, kind: str, target_id: int) -> str:
    return (store.decisions.review_stamp if kind == "group" else store.decisions.comment_stamp)(db, target_id)


def conflict_message(db: Database, consultation: Consultation, kind: str, target_id: int) -> str:
    """Why a save from an older page was refused, naming the newest change and who made it."""
    last = (store.decisions.last_group_change if kind == "group" else store.decisions.last_comment_change)(
        db, consultation.id, target_id)
    who = ""
    if last:
        actor = store.audit.ACTORS.get(last["actor"], last["actor"])
        who = f"（最近一次：{actor}{store.audit.ACTION_LABELS.get(last['action'], '')}，{cn_datetime(last['created_at'])}）"
    what = ("本组已被修改" + who + "，名称、归纳意见、处理决定或组内意见" if kind == "group"
            else "这条意见已被修改" + who + "，其状态、分组或处理决定")
    return (f"没有保存：您打开本页之后，{what}可能已与您看到的不同。您填写的内容都还在表单里；"
            "请先核对本页现在显示的情况，确认仍要保存时再点“保存”。")


def _edit_page(consultation: Consultation, form: DecisionForm, *, kind: str, target: Group | Comment, code: int,
               action: str, conflict: str = "") -> tuple[str, int]:
    db = get_db()
    ctx = {
        "form": form,
        "conflict": conflict,
        "current": (store.decisions.for_group(db, target.id) if kind == "group"
                    else store.decisions.for_comment(db, target.id)),
        "action": action,
        "clause_text": store.decisions.clause_text(db, consultation.id, target.clause_key),
        "reason_required": [x for x in store.decisions.categories(consultation) if store.decisions.reason_required(x)],
        "revisable": [x for x in store.decisions.categories(consultation) if store.decisions.allows_revised_text(x)],
    }
    return render_template("staff/decision_form.html", consultation=consultation, kind=kind, target=target, d=ctx), code


def _template_text(consultation: Consultation, form: DecisionForm) -> str:
    templates = store.decisions.reason_templates(consultation)
    chosen = form.template.data
    return templates[int(chosen)] if chosen and chosen.isdigit() and int(chosen) < len(templates) else ""


def fill_template(consultation: Consultation, form: DecisionForm) -> None:
    """"填入模板后修改": the chosen reason template is added to the reason, to be completed before saving."""
    text = _template_text(consultation, form)
    if text:
        form.reason.data = text if not form.reason.data else f"{form.reason.data}\n{text}"
    form.template.data = ""


def submitted(db: Database, consultation: Consultation, form: DecisionForm, clause_key: str | None) -> tuple[str, str]:
    """(reason, revised text) as a decision form means them: a template chosen without a reason is the reason;
    the pre-filled clause text left unchanged is no revision."""
    reason = form.reason.data or _template_text(consultation, form)
    revised = form.revised_text.data or ""
    if " ".join(revised.split()) == " ".join(store.decisions.clause_text(db, consultation.id, clause_key).split()):
        revised = ""
    return reason, revised


def _handle(consultation: Consultation, *, kind: str, target: Group | Comment, prefix: str, action: str, setter: Any,
            clearer: Any, fallback: str) -> Any:
    form = decision_form(consultation, prefix, formdata=request.form)
    back = safe_next(form.next.data, fallback)
    pressed = request.form.get(f"{prefix}-action", "save")
    if not form.validate_on_submit():
        return _edit_page(consultation, form, kind=kind, target=target, code=400, action=action)
    db = get_db()
    if pressed == "clear":
        try:
            if clearer(db, consultation, target.id, staff=g.staff, now=now()):
                flash("已撤销处理决定。", "success")
        except store.decisions.DecisionError as exc:  # e.g. a stale page: the comment was marked spam meanwhile
            flash(str(exc), "error")
        return redirect(back, code=303)
    if pressed == "template":
        fill_template(consultation, form)
        return _edit_page(consultation, form, kind=kind, target=target, code=200, action=action)
    reason, revised = submitted(db, consultation, form, target.clause_key)
    try:
        after = setter(db, consultation, target.id, category=form.category.data or "", reason=reason,
                       revised_text=revised, staff=g.staff, now=now(), seen=form.seen.data or None)
    except store.decisions.StaleReview:
        form.reason.data = reason
        form.seen.data = _stamp_of(db, kind, target.id)  # saving again from here is a deliberate overwrite
        return _edit_page(consultation, form, kind=kind, target=target, code=409, action=action,
                          conflict=conflict_message(db, consultation, kind, target.id))
    except store.decisions.DecisionError as exc:
        form.reason.data = reason
        if not form.category.data:
            form.category.errors = [*form.category.errors, "请选择采纳情况。"]
        else:
            form.reason.errors = [*form.reason.errors, str(exc)]
        return _edit_page(consultation, form, kind=kind, target=target, code=400, action=action)
    flash(f"已保存处理决定：{after['category']}。", "success")
    return redirect(back, code=303)


#: What a decision is taken on: how to find it, save and withdraw its decision, and its form prefix.
TARGETS: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any], str]] = {
    "group": (store.decisions.group_row, store.decisions.set_group_decision, store.decisions.clear_group_decision, "g"),
    "comment": (store.decisions.comment_row, store.decisions.set_comment_decision,
                store.decisions.clear_comment_decision, "c"),
}


@routes.post("/c/<slug>/groups/<int:target_id>/decision", endpoint="group_decision", defaults={"kind": "group"})
@routes.post("/c/<slug>/comments/<int:target_id>/decision", endpoint="comment_decision", defaults={"kind": "comment"})
def decision(slug: str, target_id: int, kind: str) -> Any:
    """Save or withdraw the decision on a group or on one comment, then back to the page it was taken on."""
    consultation = consultation_or_404(slug)
    find, setter, clearer, prefix = TARGETS[kind]
    target = find(get_db(), consultation.id, target_id)
    if target is None:
        abort(404)
    return _handle(consultation, kind=kind, target=target, prefix=f"{prefix}{target_id}",
                   action=url_for(f"staff.{kind}_decision", slug=slug, target_id=target_id),
                   setter=setter, clearer=clearer,
                   fallback=url_for("staff.group", slug=slug, group_id=target_id) if kind == "group"
                   else url_for("staff.comment", slug=slug, comment_id=target_id))


@routes.route("/c/<slug>/supportive", methods=["GET", "POST"])
def bulk_thanks(slug: str):
    db = get_db()
    consultation = consultation_or_404(slug)
    form = BulkThanksForm(data={"category": SUPPORT, "reason": THANKS_REASON})
    form.category.choices = [SelectChoice(SUPPORT, SUPPORT_CHOICE)] + [
        SelectChoice(x, x) for x in store.decisions.categories(consultation)]
    candidates = store.decisions.supportive_candidates(db, consultation.id)
    selected = {int(x) for x in request.form.getlist("comment_ids") if x.isdigit()}
    if form.validate_on_submit():
        if not selected:
            flash("请至少勾选一条意见。", "error")
        else:
            try:
                done = store.decisions.bulk_thanks(db, consultation, sorted(selected), category=form.category.data,
                                                   reason=form.reason.data or "", staff=g.staff, now=now())
            except store.decisions.DecisionError as exc:
                form.reason.errors = [*form.reason.errors, str(exc)]
            else:
                flash(f"已答复{done}条支持性意见。", "success")
                return redirect(url_for("staff.bulk_thanks", slug=slug), code=303)
    clauses = {x.key: x for x in store.consultations.clauses_of(db, consultation.id)}
    return render_template("staff/bulk_thanks.html", consultation=consultation, form=form, candidates=candidates, clauses=clauses,
                           selected=selected if request.method == "POST" else None)
