"""Background jobs on the staff pages: the progress box (``staff/_job.html``) and the status its script polls.

The box is plain HTML (stage, done/total, a ``<progress>`` bar), so a refresh shows the progress without
JavaScript; ``static/jobs.js`` polls :func:`job_status` and updates it in place, then reloads the page when the
job has ended. A page that shows an unfinished job makes sure a job runner is alive to do it (one that crashed
is replaced; the new one marks the crashed job failed).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify, url_for

from .. import jobs, store
from ..db import get_db
from ..store.rows import Consultation
from ..vocabulary import JOB_KINDS, JOB_STAGES, JOB_STATES
from ..web import Routes, consultation_or_404

routes = Routes()


def _labels(job: store.jobs.Job) -> dict[str, Any]:
    return {"kind_label": JOB_KINDS.get(job.kind, job.kind), "state_label": JOB_STATES.get(job.state, job.state),
            "stage_label": JOB_STAGES.get(job.stage, "处理中") if job.stage else "等待开始",
            "count": f"{job.done}/{job.total}" if job.total else ""}


def job_box(consultation: Consultation, kind: str) -> dict[str, Any] | None:
    """What ``staff/_job.html`` shows for the consultation's latest job of ``kind`` (None: there was none)."""
    db = get_db()
    job = store.jobs.latest(db, consultation.id, kind)
    if job is None:
        return None
    if job.active:
        jobs.ensure_runner(current_app)
    return {"job": job, "status_url": url_for("staff.job_status", slug=consultation.slug, job_id=job.id),
            **_labels(job)}


@routes.get("/c/<slug>/jobs/<int:job_id>")
def job_status(slug: str, job_id: int):
    """A job's progress as JSON (state, stage, done/total, the reason it failed): no results, no personal data."""
    consultation = consultation_or_404(slug)
    job = store.jobs.get(get_db(), job_id)
    if job is None or job.consultation_id != consultation.id:
        abort(404)
    if job.active:
        jobs.ensure_runner(current_app)
    return jsonify(job.status() | _labels(job))
