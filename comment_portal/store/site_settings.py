"""Site settings: who runs the portal (the footer of every public page, the signature of the reports) and the
feedback deadline. One row per setting in ``site_settings``; a setting never saved has its default."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from draft.window_rules import FEEDBACK_WORKING_DAYS

from ..db import write
from . import audit
from .rows import StaffAccount


@dataclass(frozen=True)
class SiteSettings:
    office_name: str = ""       # 机关全称, e.g. 天津市商务局电商处: footer, and the reports' signature
    sponsor: str = ""           # 主办单位
    site_code: str = ""         # 网站标识码
    icp: str = ""               # ICP备案号
    police_record: str = ""     # 公安机关备案号
    footer_contact: str = ""
    feedback_working_days: int = FEEDBACK_WORKING_DAYS   # feedback due this many working days after closing


LABELS = {"office_name": "机关全称", "sponsor": "主办单位", "site_code": "网站标识码", "icp": "ICP备案号",
          "police_record": "公安机关备案号", "footer_contact": "页脚联系方式",
          "feedback_working_days": "反馈期限（工作日）"}
NAMES = tuple(f.name for f in fields(SiteSettings))


def get(db: Database) -> SiteSettings:
    stored = dict(db.execute("SELECT key, value FROM site_settings").fetchall())
    values: dict[str, Any] = {k: v for k, v in stored.items() if k in NAMES}
    if "feedback_working_days" in values:
        try:
            values["feedback_working_days"] = int(values["feedback_working_days"])
        except ValueError:
            del values["feedback_working_days"]
    return SiteSettings(**values)


def update(db: Database, values: dict[str, Any], *, staff: StaffAccount | None, now: datetime,
           actor: str = "system") -> dict[str, tuple[Any, Any]]:
    """Save the settings given (unknown names are ignored); returns what changed, {name: (before, after)}."""
    with write(db):
        before = asdict(get(db))
        changed = {k: (before[k], v) for k, v in values.items() if k in NAMES and before[k] != v}
        for name, (_, value) in changed.items():
            db.execute("INSERT INTO site_settings (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [name, str(value)])
        if changed:
            audit.record(db, action="site.settings", now=now, staff=staff, actor=actor, entity="site",
                         before={k: old for k, (old, _) in changed.items()},
                         after={k: new for k, (_, new) in changed.items()})
    return changed
