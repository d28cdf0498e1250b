"""Citizens' control of their own data: withdrawing a comment, and erasing a submitter's name and contact.

- While the window is open, whoever holds a comment's receipt code can withdraw it. The row stays (status
  ``withdrawn``, ``withdrawn_at``) for the audit; every count, report, analysis run and group size leaves it out.
- At any time (typically after the window, when withdrawing is no longer possible) an admin can erase a
  submitter's name and contact on request (个人信息保护法: the right to deletion). The opinion stays, with personal
  data in its text (and in the private staff note) masked by exports' ``redact`` (the submitter's own name too,
  when it looks like a personal name, as the reports decide it); the client-address hash goes too.
  The audit row records that it happened, why, and which fields were blanked — never the erased values.

Each change opens its own write transaction and writes its audit row in it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from exports import looks_like_personal_name, redact

from ..clock import iso
from ..db import placeholders, rows, write
from ..vocabulary import ORGANISATION_TYPES, WITHDRAWN
from ..window import Window
from . import attachments as attachment_q
from . import audit
from . import comments as comment_q
from . import consultations as consultation_q
from .rows import Comment, Consultation, StaffAccount, all_as

#: Who acted, on the audit page, when a submitter withdrew a comment with its receipt code.
SUBMITTER_ACTOR = "提出人（凭回执编号）"
REASON_MAX = 500


class RightsError(ValueError):
    """A withdrawal or erasure that cannot be done, with a message in Chinese."""


def withdrawal_problem(comment: Comment, consultation: Consultation, now: datetime) -> str:
    """Why this comment cannot be withdrawn now ('' when it can)."""
    if comment.status == WITHDRAWN:
        return "这条意见已经撤回。"
    if not Window.of(consultation).is_open(now):
        return ("本次征求意见已截止，意见不能再撤回。如需删除您留下的姓名和联系方式，"
                "请通过征求意见公告中的联系方式与我们联系。")
    return ""


def withdraw(db: Database, receipt_code: str, *, now: datetime) -> dict[str, Any]:
    """Withdraw the comment with this receipt code; returns {"id", "status_before", "withdrawn_at"}."""
    with write(db):
        comment = comment_q.by_receipt(db, receipt_code)
        consultation = consultation_q.get(db, comment.consultation_id) if comment else None
        if comment is None or consultation is None:
            raise RightsError("未找到该回执编号对应的意见，请核对后重试。")
        problem = withdrawal_problem(comment, consultation, now)
        if problem:
            raise RightsError(problem)
        # A container's parts go with it: the person withdraws what they sent, all of it.
        gone = [r["id"] for r in rows(db, "SELECT id FROM comments WHERE id = ? OR part_of = ?",
                                      [comment.id, comment.id])]
        db.execute("UPDATE comments SET status = ?, withdrawn_at = ? WHERE id = ? OR part_of = ?",
                   [WITHDRAWN, iso(now), comment.id, comment.id])
        # Copies staff marked as duplicates of what was withdrawn (the same letter sent again) count again.
        comment_q.release_copies(db, comment.consultation_id, gone, now=now)
        audit.record(db, action="comment.withdraw", now=now, staff=None, actor=SUBMITTER_ACTOR,
                     consultation_id=comment.consultation_id, entity="comment", entity_id=comment.id,
                     before={"status": comment.status}, after={"status": WITHDRAWN})
    return {"id": comment.id, "status_before": comment.status, "withdrawn_at": iso(now)}


def _whole_submissions(db: Database, consultation_id: int, ids: list[int]) -> list[int]:
    """``ids`` with the rest of each one's submission: a container's parts, a part's container and siblings."""
    marks = placeholders(ids)
    return [r["id"] for r in rows(
        db, f"SELECT id FROM comments WHERE consultation_id = ? AND (id IN ({marks}) OR part_of IN ({marks}) "
            f"OR id IN (SELECT part_of FROM comments WHERE id IN ({marks})) "
            f"OR part_of IN (SELECT part_of FROM comments WHERE id IN ({marks}))) ORDER BY id",
        [consultation_id, *ids, *ids, *ids, *ids])]


def rest_of_submission(db: Database, consultation_id: int, comment_id: int) -> list[int]:
    """The other rows of this comment's submission (a split letter and its parts), which an erasure always covers."""
    return [i for i in _whole_submissions(db, consultation_id, [comment_id]) if i != comment_id]


def same_submitter(db: Database, consultation_id: int, comment: Comment) -> list[Comment]:
    """Other submissions' comments of the consultation with the same name or the same contact (erasure usually
    covers them all); comments already erased, and the rest of this comment's own submission, are left out."""
    keys = [(column, (value or "").strip()) for column, value in (("name", comment.name), ("contact", comment.contact))
            if (value or "").strip()]
    if not keys:
        return []
    where = " OR ".join(f"trim({column}) = ?" for column, _ in keys)
    own = [comment.id, *rest_of_submission(db, consultation_id, comment.id)]
    return all_as(Comment, db, f"SELECT * FROM comments WHERE consultation_id = ? AND id NOT IN ({placeholders(own)}) "
                               f"AND erased_at IS NULL AND ({where}) ORDER BY id",
                  [consultation_id, *own, *(value for _, value in keys)])


ERASED = "【已删除】"


def _without(text: str, *values: str | None) -> str:
    """``text`` with each erased value written out verbatim removed (a contact such as 微信 ljg-88 that no pattern
    of ``redact`` recognises; an organisation's name)."""
    for value in values:
        value = (value or "").strip()
        if len(value) >= 2:
            text = text.replace(value, ERASED)
    return text


def _masker(names: list[str], *erased: str | None) -> Callable[[str], str]:
    """How an erasure masks a text: ``redact`` (phones, e-mails, the personal name …), then the erased values."""
    return lambda text: _without(redact(text, names=names, identity="masked")[0], *erased)


def _mask_staff_text(db: Database, comment_id: int, group_id: int | None, mask: Callable[[str], str]) -> int:
    """Mask the erased values in what staff wrote about a comment and its group: the group's title and 归纳意见, and
    the reason and revised text of their decisions. Returns how many texts changed."""
    changed = 0
    targets = [("groups", "id", group_id, ("title", "summary"))] if group_id else []
    targets += [("decisions", "comment_id", comment_id, ("reason", "revised_text"))]
    if group_id:
        targets.append(("decisions", "group_id", group_id, ("reason", "revised_text")))
    for table, key, value, columns in targets:
        for found in rows(db, f"SELECT rowid AS row_id, {', '.join(columns)} FROM {table} WHERE {key} = ?", [value]):
            for column in columns:
                if found[column] and (masked := mask(found[column])) != found[column]:
                    db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", [masked, found["row_id"]])
                    changed += 1
    return changed


def erase_personal_data(db: Database, consultation: Consultation, comment_ids: list[int], *, reason: str,
                        staff: StaffAccount | None, now: datetime) -> list[int]:
    """Blank the name, contact and address hash of these comments and mask personal data in their text.

    Returns the ids erased (comments of other consultations are ignored). One transaction, one audit row
    per comment, with the request (``reason``) but none of the erased values.
    """
    from ..tokens import tokenize
    from .reports import draft_vocabulary

    reason = " ".join((reason or "").split())[:REASON_MAX]
    if not reason:
        raise RightsError("请填写申请情况（何时、以何种方式提出，如何核实是提出人本人）。")
    ids = sorted(set(comment_ids))
    if not ids:
        raise RightsError("请至少选择一条意见。")
    erased = []
    with write(db):
        # A submission is its container and its parts (each a copy of the name and contact): all of it goes.
        ids = _whole_submissions(db, consultation.id, ids)
        vocabulary = draft_vocabulary(consultation)
        found = rows(db, f"SELECT id, name, contact, body, staff_note, submitter_type, group_id FROM comments "
                         f"WHERE consultation_id = ? AND id IN ({placeholders(ids)}) ORDER BY id",
                     [consultation.id, *ids])
        for row in found:
            # The 姓名 field is masked in the text only when it is an individual's personal name (as the reports
            # decide it): someone who typed 跨境电商 there must not lose that word from their opinion.
            name = (row["name"] or "").strip()
            personal = (name and row["submitter_type"] not in ORGANISATION_TYPES
                        and looks_like_personal_name(name, vocabulary))
            names = [name] if personal else []
            body, in_body = redact(row["body"], names=names, identity="masked")
            note, in_note = redact(row["staff_note"] or "", names=names, identity="masked")
            db.execute(
                "UPDATE comments SET name = NULL, contact = NULL, fingerprint = '', body = ?, body_hash = ?, "
                "tokens = ?, staff_note = ?, erased_at = ? WHERE id = ?",
                [body, comment_q.body_hash(body), json.dumps(tokenize(body, consultation), ensure_ascii=False),
                 note or None, iso(now), row["id"]])
            # The files' text (an 意见书 signed 联系人 王建国 电话 …) and names (王建国意见.docx) are masked too. The files
            # themselves are kept: a scan has no text, and deleting it would delete the opinion.
            in_files = 0
            for attachment in attachment_q.of_comment(db, row["id"]):
                text, in_text = redact(attachment.text, names=names, identity="masked")
                original, in_name = redact(attachment.original_name, names=names, identity="masked")
                attachment_q.mask(db, attachment.id, text=text, original_name=original)
                in_files += len(in_text) + len(in_name)
            blanked = [label for column, label in (("name", "姓名或单位"), ("contact", "联系方式"))
                       if row[column]]
            # Earlier audit rows about this comment (a note that named the submitter) are masked the same way.
            masker = _masker(names, row["name"], row["contact"])
            in_log = audit.mask_entity(db, "comment", row["id"], masker)
            # Staff wording about the comment's group (title, 归纳意见, the reasons) that names the submitter: the
            # report's check can no longer tell the name once it is erased, so it is masked here, with its log rows.
            in_staff_text = _mask_staff_text(db, row["id"], row["group_id"], masker)
            if row["group_id"]:
                in_log += audit.mask_entity(db, "group", row["group_id"], masker)
            audit.record(db, action="comment.erase", now=now, staff=staff, consultation_id=consultation.id,
                         entity="comment", entity_id=row["id"],
                         before={"personal_data": "、".join(blanked) or "（无）"},
                         after={"personal_data": "已删除", "masked_in_text": len(in_body) + len(in_note) + in_files,
                                "masked_in_staff_text": in_staff_text, "masked_in_log": in_log, "request": reason})
            erased.append(row["id"])
    return erased
