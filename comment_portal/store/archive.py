"""The record of a consultation: the 归档包 (.zip) and the 意见采纳情况报告（报审稿）.

《重大行政决策程序暂行条例》 art. 33: the whole process is recorded and archived. The 归档包 holds the draft
versions, every comment as stored (with contact details: 内部资料), every group and decision, the reviews,
the audit log, every published version with each of its files, and the internal decision package; the
files and the manifest with their SHA-256 checksums are written by ``exports.write_archive`` and checked by
``comment-portal verify-archive``. Paths inside are ASCII so every unzip tool reads them; README.txt says
in Chinese what each file is.

Both downloads carry personal data, so each is audited (who took it, when; for the archive, the manifest's
own SHA-256 to compare a copy with later).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime
from typing import IO, Any

from sqlite_utils import Database

from exports import DRAFT_FORMATS, FORMATS, PACKAGE_FORMATS, PUBLIC_FORMATS, write_archive

from ..clock import iso, to_local
from ..db import rows, write
from . import audit, published, signoff
from . import consultations as consultation_q
from . import draft_versions as version_q
from . import reports as report_q
from .rows import Consultation, StaffAccount

CONFIDENTIAL = "内部资料 注意保密"
#: Columns never archived: derived data, recomputed from the text.
_NOT_ARCHIVED = {"tokens"}


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")


def _marked(what: str, consultation: Consultation, items: list[dict[str, Any]], key: str) -> bytes:
    return _json({"classification": f"{CONFIDENTIAL}（{what}）", "consultation": consultation.slug, key: items})


def _ext(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
    return suffix if suffix.isascii() and suffix.isalnum() else "bin"


def _full_report(db: Database, consultation: Consultation, now: datetime, defaults: dict[str, str]) -> Any:
    return report_q.build(db, consultation, identity="full", report_date=to_local(now).date(),
                          issuer_default=defaults.get("issuer", ""),
                          published_where_default=defaults.get("published_where", "")).report


def package_record(db: Database, consultation: Consultation, now: datetime,
                   defaults: dict[str, str]) -> list[tuple[str, str]]:
    """The lines under the package's title: where the report is in its review."""
    state = signoff.current(db, consultation, identity=None, now=now, defaults=defaults)
    lines = [("生成时间", to_local(now).strftime("%Y年%m月%d日 %H:%M")), ("审核状态", state.label)]
    review = state.review or state.last
    if review is not None:
        lines.append(("经办（提交审核）", f"{review.submitted_by_name or ''} {review.submitted_at[:16]}"))
        if review.reviewed_at:
            lines.append(("审核", f"{review.reviewed_by_name or ''} {review.reviewed_at[:16]}"
                          + (f"：{review.review_comment}" if review.review_comment else "")))
    return lines


def package(db: Database, consultation: Consultation, *, include_contact: bool, staff: StaffAccount | None,
            now: datetime, defaults: dict[str, str] | None = None) -> bytes:
    """意见采纳情况报告（报审稿） as Word: every opinion, its decision and reason, the comments behind it and
    their channels (contact details only with ``include_contact``: admins). Audited."""
    defaults = defaults or {}
    report = _full_report(db, consultation, now, defaults)
    body = PACKAGE_FORMATS["docx"](report, include_contact=include_contact,
                                   record=package_record(db, consultation, now, defaults))
    with write(db):
        audit.record(db, action="report.package", now=now, staff=staff, consultation_id=consultation.id,
                     entity="consultation", entity_id=consultation.id,
                     after={"include_contact": include_contact, "opinions": len(report.opinions)})
    return body


def _files(db: Database, consultation: Consultation, now: datetime, defaults: dict[str, str],
           created_by: str) -> Iterator[tuple[str, bytes]]:
    cid = consultation.id
    yield "README.txt", _readme(consultation, now, created_by).encode("utf-8")
    draft = consultation_q.load_draft(consultation)
    yield "draft/v1-consultation.json", _json(draft.to_dict())
    yield "draft/v1-consultation.docx", DRAFT_FORMATS["docx"](draft)
    for row in version_q.all_with_files(db, cid):
        yield f"draft/v{row.version}-revised.json", _json(json.loads(row.draft_json))
        yield f"draft/v{row.version}-revised-source.{_ext(row.source_name)}", bytes(row.source)
    comments = [{k: v for k, v in r.items() if k not in _NOT_ARCHIVED}
                for r in rows(db, "SELECT * FROM comments WHERE consultation_id = ? ORDER BY id", [cid])]
    yield "comments/comments-CONFIDENTIAL.json", _marked("含提出人姓名和联系方式", consultation, comments, "comments")
    attachments = rows(db, "SELECT a.* FROM attachments a JOIN comments c ON c.id = a.comment_id "
                           "WHERE c.consultation_id = ? ORDER BY a.id", [cid])
    if attachments:
        yield "comments/attachments-CONFIDENTIAL.json", _marked("意见附件及其文字", consultation, attachments,
                                                               "attachments")
    report = _full_report(db, consultation, now, defaults)
    yield "comments/comments-CONFIDENTIAL.xlsx", FORMATS["xlsx"](report, include_contact=True)
    yield "decisions/groups.json", _json(rows(db, "SELECT * FROM groups WHERE consultation_id = ? ORDER BY id", [cid]))
    yield "decisions/decisions.json", _json(rows(
        db, "SELECT d.*, s.username AS decided_by_name FROM decisions d LEFT JOIN staff s ON s.id = d.decided_by "
            "WHERE d.consultation_id = ? ORDER BY d.id", [cid]))
    yield "decisions/decision-package-CONFIDENTIAL.docx", PACKAGE_FORMATS["docx"](
        report, include_contact=True, record=package_record(db, consultation, now, defaults))
    yield "review/report_reviews.json", _json([dict(asdict(r), report_json=json.loads(r.report_json))
                                               for r in reversed(signoff.reviews(db, cid))])
    yield "audit/audit_log.json", _json(rows(
        db, "SELECT * FROM audit_log WHERE consultation_id = ? OR consultation_id IS NULL ORDER BY id", [cid]))
    for version in reversed(published.versions(db, cid)):
        stored = published.get(db, cid, version["version"])
        assert stored is not None
        base = f"published/v{version['version']}"
        yield f"{base}/about.json", _json(version)
        yield f"{base}/report-with-private-map.json", stored["report_json"].encode("utf-8")
        found = published.files(db, stored["id"])
        for fmt in PUBLIC_FORMATS:
            if fmt in found:
                yield f"{base}/feedback.{fmt}", found[fmt]


def _readme(consultation: Consultation, now: datetime, created_by: str) -> str:
    return f"""{CONFIDENTIAL}

《{consultation.title}》公开征求意见归档包
生成时间：{to_local(now).strftime('%Y年%m月%d日 %H:%M')}（北京时间）　生成人：{created_by}

draft/        征求意见稿（v1：公开征求意见的文本；.json 为解析后的条款，.docx 为其文档）及修改后的草案（送审稿，v2 起，含上传的原文件）
comments/     全部意见（含已撤回、无效、重复意见及提出人姓名、联系方式，内部资料）、意见附件的文字、意见明细表
decisions/    意见分组、采纳决定，意见采纳情况报告（报审稿）
review/       采纳情况反馈的提交审核、审核通过、退回修改记录（含每次提交的报告内容及其校验值）
audit/        操作日志
published/    每个已发布版本及其全部文件（网页、Markdown、Word、JSON），与公开发布时完全一致
manifest.json 每个文件的大小和 SHA-256 校验值；SHA256SUMS 为同样的校验值（sha256sum 格式）

核对：comment-portal verify-archive 本文件.zip
或解压后在解压目录运行：sha256sum -c SHA256SUMS
"""


def write_zip(db: Database, consultation: Consultation, out: IO[bytes], *,
          staff: StaffAccount | None, now: datetime, defaults: dict[str, str] | None = None,
          actor: str = "命令行") -> dict[str, Any]:
    """Write the 归档包 of ``consultation`` to ``out``; audited with the manifest's SHA-256. Returns a summary."""
    defaults = defaults or {}
    created_by = staff.username if staff else actor
    about = {"consultation": consultation.slug, "title": consultation.title, "created_at": iso(now),
             "created_by": created_by, "classification": CONFIDENTIAL}
    written = write_archive(out, _files(db, consultation, now, defaults, created_by), about=about,
                            when=to_local(now).replace(tzinfo=None))
    summary = {"files": written.files, "manifest_sha256": written.manifest_sha256}
    with write(db):
        audit.record(db, action="archive.create", now=now, staff=staff, actor=actor,
                     consultation_id=consultation.id, entity="consultation", entity_id=consultation.id,
                     after=summary)
    return summary
