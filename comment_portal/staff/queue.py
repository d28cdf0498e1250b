"""The triage queue of a consultation: filters with counts, pages, and the actions on the comments checked
there (a new group from them, mark as spam, restore, move into a group).

Each action validates its form and calls one function of ``store.comments`` or ``store.groups``, which writes
the change and its audit rows in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from .. import store
from ..citations import group_choice
from ..clock import now
from ..db import get_db
from ..sanitize import clean_text
from ..store.rows import Consultation
from ..vocabulary import CHANNELS, NOISE_OUTCOMES, STATUSES, SUBMITTER_TYPES, WHOLE_DRAFT
from ..web import Routes, consultation_or_404, page_count, requested_choice, requested_page
from .changes import Refused
from .forms import BulkForm, CreateGroupForm, NoiseBulkForm

routes = Routes()


def _filters() -> store.queue.Filters:
    args = request.args
    return store.queue.Filters(
        clause=args.get("clause", ""), status=requested_choice("status", STATUSES),
        channel=requested_choice("channel", CHANNELS), submitter_type=requested_choice("type", SUBMITTER_TYPES),
        group=args.get("group", ""), q=clean_text(args.get("q", ""), multiline=False)[:100], new=args.get("new") == "1",
        noise=args.get("noise") == "1",
    )


#: A label ending in one of these runs straight into its heading (一、指导思想, 1.加强…); others get a space (附件 天津市…).
_LABEL_ENDS = "、.．,，:：)）]】"


def clause_choices(db, consultation_id: int) -> list[tuple[str, str]]:
    """(value, label) for a clause select: the whole draft first, then every clause in draft order. An unnumbered
    paragraph (a part's closing words after its items) is named as one, under its part, with its first words:
    listed by those words alone it read like a clause cut off mid-sentence."""
    out = [(store.queue.WHOLE, WHOLE_DRAFT)]
    for clause in store.consultations.clauses_of(db, consultation_id):
        indent = "\u3000" * max(0, (clause.level or 1) - 1)
        label = clause.label or ""
        if not label and not clause.heading:
            words = " ".join((clause.body or "").split())
            out.append((clause.key, f"{indent}未编号段落（{words[:14]}{'…' if len(words) > 14 else ''}）"))
            continue
        gap = " " if label and clause.heading and label[-1] not in _LABEL_ENDS else ""
        out.append((clause.key, f"{indent}{label}{gap}{clause.heading or (clause.body or '')[:24]}"))
    return out


@routes.get("/c/<slug>/queue")
def queue(slug: str):
    db = get_db()
    consultation = consultation_or_404(slug)
    f = _filters()
    page_no = requested_page()
    items, total = store.queue.page(db, consultation.id, f, page_no)
    group_list = store.groups.active(db, consultation.id)
    counts = store.queue.counts(db, consultation.id, f)
    create_form = CreateGroupForm()
    noise_form = NoiseBulkForm(formdata=None)
    return render_template(
        "staff/queue.html", consultation=consultation, f=f, items=items, total=total, page_no=page_no,
        pages=page_count(total, store.queue.PAGE_SIZE), counts=counts,
        clauses=clause_choices(db, consultation.id), groups=group_list, statuses=STATUSES, channels=CHANNELS,
        group_labels={gr.id: group_choice(consultation, gr) for gr in group_list},
        submitter_types=[(t, t) for t in SUBMITTER_TYPES],
        clause_counts={store.queue.WHOLE if key is None else key: n for key, n in counts["clause"].items()},
        last_run=store.analysis_runs.last_run(db, consultation.id), create_form=create_form, noise_form=noise_form,
        args={k: v for k, v in f.active().items()},
    )


def _back_to_queue(slug: str) -> str:
    """The queue page the form was posted from (with its filters), or the queue."""
    back = request.form.get("back", "")
    return back if back.startswith(f"/staff/c/{slug}/queue") else url_for("staff.queue", slug=slug)


def _queue_action(rule: str, form_class: type[FlaskForm]) -> Callable[[Callable[[Consultation, Any], str]], Any]:
    """An action posted from the queue, at ``rule``: the decorated ``act(consultation, form)`` runs it on the
    validated form and returns where to go; a form error or a refused change is a message, and the queue page
    (with its filters) again. The view keeps ``act``'s name as its endpoint."""
    def view_of(act: Callable[[Consultation, Any], str]) -> Any:
        @routes.post(rule)
        @wraps(act)
        def view(slug: str) -> Any:
            consultation = consultation_or_404(slug)
            form = form_class()
            back = _back_to_queue(slug)
            try:
                if not form.validate_on_submit():
                    raise Refused("；".join(e for errors in form.errors.values() for e in errors))
                return redirect(act(consultation, form), code=303)
            except (Refused, store.groups.GroupError, store.comments.CommentError, store.noise.NoiseError) as problem:
                flash(str(problem), "error")
                return redirect(back, code=303)
        return view
    return view_of


@_queue_action("/c/<slug>/groups/new", CreateGroupForm)
def group_create(consultation: Consultation, form: CreateGroupForm) -> str:
    """The comments checked in the queue become a new manual group."""
    group_id, count = store.groups.create_from_comments(get_db(), consultation.id, form.comment_ids.data,
                                                        title=form.title.data or "", staff=g.staff, now=now())
    flash(f"已用 {count} 条意见新建分组。", "success")
    return url_for("staff.group", slug=consultation.slug, group_id=group_id)


@_queue_action("/c/<slug>/queue/bulk", BulkForm)
def queue_bulk(consultation: Consultation, form: BulkForm) -> str:
    """The comments checked in the queue: mark as spam, restore, or move into an existing group."""
    target = form.target.data or ""
    result = store.comments.bulk_change(get_db(), consultation.id, form.comment_ids.data, form.action.data,
                                        group_id=int(target) if target.isdigit() else None, staff=g.staff, now=now())
    label = {"spam": "标为无效", "pending": "恢复为正常处理", "move": "移到所选分组"}[form.action.data]
    flash(f"已将 {result.changed} 条意见{label}。", "success")
    if result.skipped:
        flash(f"意见 {'、'.join(map(str, result.skipped))} 未修改：已被提出人撤回，已按条款拆分（请处理拆分后的各条意见），"
              "或有其他意见被标为与其重复（请先处理这些重复意见）。", "error")
    return _back_to_queue(consultation.slug)


@_queue_action("/c/<slug>/queue/noise", NoiseBulkForm)
def queue_noise(consultation: Consultation, form: NoiseBulkForm) -> str:
    """The noise proposals checked in the queue: confirmed (spam, 不属于征求意见范围) or rejected, each audited."""
    count = store.noise.settle(get_db(), consultation, form.comment_ids.data, form.outcome.data, staff=g.staff,
                               now=now())
    flash(f"已处理 {count} 条疑似无效意见：{NOISE_OUTCOMES[form.outcome.data]}。", "success")
    return _back_to_queue(consultation.slug)
