"""The page of one comment and staff's changes to it: status (spam, duplicate, restore), private note,
group, clause.

Each change validates its form and calls one function of ``store.comments`` or ``store.groups``, which
writes it with its audit row in one transaction. Nothing is deleted: spam and duplicates are statuses, and
restoring brings a comment back into the normal flow. The one exception is 撤销拆分, which removes the parts of a
letter split by mistake (copies of the letter's text and submitter; the letter itself is kept as received).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, g, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlite_utils import Database

from draft.revisions import diff

from .. import comment_analysis, store
from ..citations import cite, group_choice
from ..clock import now
from ..db import get_db
from ..store.rows import Comment, Consultation
from ..tokens import tokenize, tokenize_many
from ..vocabulary import CHANNELS, COUNTED, NOISE_OUTCOMES, SPLIT, STATUSES
from ..web import Routes, consultation_or_404
from . import access
from .changes import Changes, Refused, refusing
from .decisions import decision_panel
from .forms import ClauseForm, EmptyForm, MoveForm, NoiseForm, NoteForm, StatusForm
from .queue import clause_choices

routes = Routes()

NEW_GROUP = "new"


def _comment_or_404(consultation: Consultation, comment_id: int) -> Comment:
    row = store.comments.get(get_db(), consultation.id, comment_id)
    if row is None:
        abort(404)
    return access.contact_for_role(row)


def _forms(db: Database, consultation: Consultation, comment: Comment, **given: FlaskForm) -> dict[str, FlaskForm]:
    """The forms of the page: the one posted (with its errors) as given, the others filled from the comment."""
    filled = {
        "status_form": lambda: StatusForm(formdata=None, data={"duplicate_of": comment.duplicate_of}),
        "note_form": lambda: NoteForm(formdata=None, data={"note": comment.staff_note or "",
                                                         "seen": store.comments.note_stamp(comment.staff_note)}),
        "move_form": lambda: MoveForm(formdata=None, data={"group": str(comment.group_id or "")}),
        "clause_form": lambda: ClauseForm(formdata=None, data={"clause": comment.clause_key or store.queue.WHOLE}),
        "noise_form": lambda: NoiseForm(formdata=None),
        "parts_form": lambda: EmptyForm(formdata=None),
        "unsplit_form": lambda: EmptyForm(formdata=None),
    }
    forms = {name: given.get(name) or make() for name, make in filled.items()}
    _with_choices(db, consultation, forms["move_form"])
    _with_choices(db, consultation, forms["clause_form"])
    return forms


def _with_choices(db: Database, consultation: Consultation, form: FlaskForm) -> FlaskForm:
    """Fill the select lists that depend on the consultation (groups, clauses) before a form is validated."""
    if isinstance(form, MoveForm):
        form.group.choices = [(NEW_GROUP, "（新建一个分组）")] + [
            (str(group.id), group_choice(consultation, group)) for group in store.groups.active(db, consultation.id)]
    elif isinstance(form, ClauseForm):
        form.clause.choices = clause_choices(db, consultation.id)
    return form


@dataclass(frozen=True)
class PartState:
    """Where one part of a split letter stands, for the letter's page and its siblings' pages."""
    id: int
    clause_key: str | None
    status: str
    here: bool  # the page being shown is this part's
    decision: str = ""  # the category that applies (its own, else its group's)
    own: bool = False  # decided on its own (overrides its group's decision)
    group_title: str = ""
    group_decision: str = ""

    @property
    def undecided(self) -> bool:
        return self.status in COUNTED and not self.decision


def _part_state(db: Database, consultation_id: int, part: Comment, here: int) -> PartState:
    own = store.decisions.for_comment(db, part.id)
    group = store.groups.get(db, consultation_id, part.group_id) if part.group_id else None
    by_group = store.decisions.for_group(db, group.id) if group else None
    decision = own or by_group
    return PartState(id=part.id, clause_key=part.clause_key, status=part.status, here=part.id == here,
                     decision=decision.category if decision and part.status in COUNTED else "",
                     own=own is not None, group_title=group.name if group else "",
                     group_decision=by_group.category if by_group else "")


def submission_panel(db: Database, comment: Comment) -> dict[str, Any]:
    """What came with the comment: its files (a part shows its container's), the submission it is a part
    of, the parts of that submission (or of this letter) with where each stands, and its 建议修改为 as a
    difference against the clause."""
    container = store.comments.container_of(db, comment.id)
    files = store.attachments.of_comment(db, container.id if container else comment.id)
    proposal = comment.proposal
    before = (comment.clause_body or comment.clause_heading or "").strip()
    parts = [_part_state(db, comment.consultation_id, part, comment.id)
             for part in store.comments.parts_of(db, container.id if container else comment.id)]
    return {
        "files": files,
        "container": container,
        "parts": parts,
        "undecided": sum(1 for p in parts if p.undecided),
        "proposal_diff": diff(before, proposal) if proposal and before else [],
    }


def _comment_page(consultation: Consultation, comment: Comment, code: int = 200, **forms):
    db = get_db()
    text = store.attachments.analysable_text(comment.body or "", [a.text for a in store.attachments.of_comment(db, comment.id)])
    group = store.groups.get(db, consultation.id, comment.group_id) if comment.group_id else None
    duplicate_of = store.comments.get(db, consultation.id, comment.duplicate_of) if comment.duplicate_of else None
    comment_analysis.with_quotations(consultation, [comment])
    letter = comment_analysis.letter(consultation, comment)
    return render_template(
        "staff/comment.html", consultation=consultation, comment=comment, group=group, duplicate_of=duplicate_of,
        statuses=STATUSES, channels=CHANNELS, letter=letter,
        suggestions=store.consultations.suggested_clauses(db, consultation, text,
                                                          quotations=comment_analysis.quotations(comment)),
        comment_decision=decision_panel(consultation, comment_id=comment.id,
                                        adopt=comment.proposal if request.args.get("adopt") else None),
        submission=submission_panel(db, comment),
        unsplittable=comment.status == SPLIT and not store.comments.split_by_form(db, comment.id),
        back=request.args.get("back", ""), **_forms(db, consultation, comment, **forms),
    ), code


@routes.get("/c/<slug>/comments/<int:comment_id>")
def comment(slug: str, comment_id: int):
    consultation = consultation_or_404(slug)
    row = _comment_or_404(consultation, comment_id)
    page = _comment_page(consultation, row)
    if row.is_new:  # staff have now seen it: no longer 新 elsewhere (this page still says it was)
        store.comments.mark_seen(get_db(), consultation.id, comment_id, staff=g.staff, now=now())
    return page


CHANGES = Changes()


def _here(consultation: Consultation, comment_id: int) -> str:
    return url_for("staff.comment", slug=consultation.slug, comment_id=comment_id)


@CHANGES.add("status", StatusForm, "status_form")
def _set_status(consultation: Consultation, comment_id: int, form: StatusForm) -> tuple[str, str]:
    with refusing(store.comments.CommentError, form.duplicate_of if form.status.data == "duplicate" else form.status):
        status = store.comments.set_status(get_db(), consultation.id, comment_id, form.status.data,
                                           duplicate_of=form.duplicate_of.data, staff=g.staff, now=now())
    return f"已将意见 {comment_id} 的状态改为“{STATUSES[status]}”。", _here(consultation, comment_id)


@CHANGES.add("note", NoteForm, "note_form")
def _set_note(consultation: Consultation, comment_id: int, form: NoteForm) -> tuple[str, str]:
    db = get_db()
    try:
        store.comments.set_note(db, consultation.id, comment_id, form.note.data, staff=g.staff, now=now(),
                                seen=form.seen.data or None)
    except store.comments.CommentError as exc:
        form.seen.data = store.comments.note_stamp(_comment_or_404(consultation, comment_id).staff_note)
        raise Refused(str(exc), form.note) from None
    return "内部备注已保存。", _here(consultation, comment_id)


@CHANGES.add("group", MoveForm, "move_form")
def _move(consultation: Consultation, comment_id: int, form: MoveForm) -> tuple[str, str]:
    target = None if form.group.data == NEW_GROUP else int(form.group.data)
    db = get_db()
    with refusing(store.groups.GroupError, form.group):
        moved = store.groups.move_comment(db, consultation.id, comment_id, target,
                                          new_title=form.new_title.data or "", staff=g.staff, now=now())
    if moved is None:
        return "意见已在该分组中，未作改动。", _here(consultation, comment_id)
    return "已移到所选分组。" + _move_notes(db, consultation, comment_id, moved), _here(consultation, comment_id)


def _move_notes(db: Database, consultation: Consultation, comment_id: int, group_id: int) -> str:
    """What a move did beyond the move: the group is on another clause; the group's decision now applies."""
    comment = store.comments.get(db, consultation.id, comment_id)
    group = store.groups.get(db, consultation.id, group_id)
    if comment is None or group is None:
        return ""
    notes = []
    if comment.clause_key and group.clause_key and comment.clause_key != group.clause_key:
        notes.append(f"注意：本条对应“{cite(consultation, comment.clause_key)}”，该分组对应“{cite(consultation, group.clause_key)}”。"
                     "如移错了，请移回；如本条确属该条款，请调整本条的对应条款。")
    decided = store.decisions.for_group(db, group_id)
    if decided and store.decisions.for_comment(db, comment_id) is None:
        notes.append(f"该分组已作出处理决定（{decided.category}），本条随之适用；如需不同处理，请在本页单独作出决定。")
    return "".join(notes)


@CHANGES.add("clause", ClauseForm, "clause_form")
def _set_clause(consultation: Consultation, comment_id: int, form: ClauseForm) -> tuple[str, str]:
    key = None if form.clause.data == store.queue.WHOLE else form.clause.data
    with refusing(store.comments.CommentError, form.clause):
        store.comments.set_clause(get_db(), consultation.id, comment_id, key, staff=g.staff, now=now())
    return "对应条款已调整。", _here(consultation, comment_id)


@CHANGES.add("noise", NoiseForm, "noise_form")
def _settle_noise(consultation: Consultation, comment_id: int, form: NoiseForm) -> tuple[str, str]:
    """A noise proposal confirmed (spam, or 不属于征求意见范围) or rejected (analysed again); audited."""
    with refusing(store.noise.NoiseError):
        store.noise.settle(get_db(), consultation, [comment_id], form.outcome.data, staff=g.staff, now=now())
    return f"意见 {comment_id}：{NOISE_OUTCOMES[form.outcome.data]}。", _here(consultation, comment_id)


@CHANGES.add("parts", EmptyForm, "parts_form")
def _split_letter(consultation: Consultation, comment_id: int, form: EmptyForm) -> tuple[str, str]:
    """按条款拆分: a letter becomes one part per clause it covers (each an ordinary comment in triage); the letter
    is kept as received, with its receipt."""
    db = get_db()
    letter = store.comments.get(db, consultation.id, comment_id)
    parts = comment_analysis.letter_parts(consultation, letter) if letter else []
    if not parts:
        raise Refused("这条意见没有按条款分成多个部分，无需拆分。")
    group = store.groups.get(db, consultation.id, letter.group_id) if letter and letter.group_id else None
    with refusing(store.comments.CommentError):
        stored = store.comments.split_into_parts(db, consultation.id, comment_id, parts,
                                                 tokens=tokenize_many([text for _, text in parts], consultation),
                                                 staff=g.staff, now=now())
    note = ""
    if group:  # the letter leaves its group: the group's decision no longer answers it
        decided = store.decisions.for_group(db, group.id)
        note = (f"原件已移出分组“{group.name}”{f'（该组决定：{decided.category}）' if decided else ''}，"
                "拆分后的各条意见需分别归组、作出决定。")
    return f"已按条款拆分为 {len(stored)} 条意见，原件保留备查。{note}", _here(consultation, comment_id)


@CHANGES.add("unsplit", EmptyForm, "unsplit_form")
def _unsplit_letter(consultation: Consultation, comment_id: int, form: EmptyForm) -> tuple[str, str]:
    """撤销拆分: a letter split by clause by mistake is one comment again (``store.comments.unsplit`` says when it
    may be); it is analysed with its typed text and its files' text, as a comment that was never split."""
    db = get_db()
    letter = _comment_or_404(consultation, comment_id)
    files = [a.text for a in store.attachments.of_comment(db, comment_id)]
    with refusing(store.comments.CommentError):
        done = store.comments.unsplit(db, consultation.id, comment_id,
                                      tokens=tokenize(store.attachments.analysable_text(letter.body or "", files),
                                                      consultation),
                                      staff=g.staff, now=now())
    notes = [(f"原拆分出的 {len(done.removed)} 条意见已删除；本条不在任何分组中，请重新归组并作出决定"
              "（或由下次聚类分析归组）。")]
    if done.copies:
        notes.append(f"原标为与拆分出的意见重复的意见 {'、'.join(map(str, done.copies))} 现标为与本条重复。")
    if done.notes:
        notes.append(f"拆分出的意见上的 {done.notes} 条内部备注已并入本条的内部备注。")
    return f"已撤销拆分：意见 {comment_id} 恢复为一条意见。{''.join(notes)}", _here(consultation, comment_id)


def comment_change(slug: str, comment_id: int, change: str) -> Any:
    """One change to a comment (status, note, group, clause, noise proposal), then back to the comment's page."""
    consultation = consultation_or_404(slug)
    comment = _comment_or_404(consultation, comment_id)
    return CHANGES.run(change, args=(consultation, comment_id), back=_here(consultation, comment_id),
                       prepare=lambda form: _with_choices(get_db(), consultation, form),
                       again=lambda **posted: _comment_page(consultation, comment, 400, **posted))


CHANGES.routes(routes, "/c/<slug>/comments/<int:comment_id>/<change>", "comment", comment_change)
