"""The ``comment-portal`` command (click). Each command's docstring is its ``--help``.

Failures raise ``click.ClickException`` with one line that says what to do.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from draft import SEED_PATH, DraftError
from draft.loader import read_file
from draft.window_rules import DOC_TYPES, MARKET, OTHER, check_window

from . import create_app, draft_files, jobs, store
from .clock import LOCAL_TZ
from .db import DatabaseUnavailable, get_db, health, known_migrations, migrate
from .store.rows import Consultation
from .vocabulary import COUNTED, JOB_STAGES, ROLES, SLUG_PATTERN

SEED_SLUG = "tianjin-cbec-2024"
RECEIPTS_SHOWN = 200  # import-comments lists receipt codes up to this many rows


def _app(**config):
    """The app for a command; a database that cannot be opened is one ``Error:`` line, not a traceback."""
    try:
        return create_app(config or None)
    except DatabaseUnavailable as exc:
        raise click.ClickException(str(exc)) from None


def _today(app) -> date:
    return app.extensions["clock"].now().astimezone(LOCAL_TZ).date()


def _slug_from(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug[:60]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="comment-portal")
def main() -> None:
    """Public-comment portal for government draft policies (征求意见稿).

    Configuration comes from instance/config.py and COMMENT_PORTAL_* environment variables,
    e.g. COMMENT_PORTAL_DATABASE=/srv/portal.db.
    """


@main.command("init-db")
def init_db() -> None:
    """Create the database (or bring its schema up to date). Safe to run twice.

    Example: comment-portal init-db
    """
    app = _app()  # create_app applies pending migrations
    applied = app.extensions["migrations"]
    where = app.config["DATABASE"]
    click.echo(f"数据库已就绪：{where}" + (f"（应用迁移 {len(applied)} 项）" if applied else "（无需迁移）"))


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"{option} 的日期格式不正确：“{value}”，应为 YYYY-MM-DD，例如 2024-09-25。") from None


def do_import(
    app,
    path: Path,
    *,
    slug: str | None,
    opens: date | None,
    closes: date | None,
    demo: bool,
    replace: bool,
    drop_clauses: bool = False,
    doc_type: str = OTHER,
    short_reason: str = "",
    echo=click.echo,
) -> tuple[str, date, date]:
    """Shared by ``import-draft`` and ``demo``; returns (slug, opens_on, closes_on).

    The fixes staff made in the preview to the same file (same SHA-256) are replayed, and the file is kept
    under the instance folder for 原文下载."""
    try:
        data = read_file(path)
        with app.app_context():
            prepared = store.drafts.prepare(get_db(), data, path.name)
    except DraftError as exc:
        raise click.ClickException(str(exc)) from None
    parsed = prepared.draft
    for warning in parsed.warnings:
        echo(f"警告：{warning}", err=True)
    if prepared.applied:
        echo(f"已重新应用这个文件以前的 {len(prepared.applied)} 项条款修正。")
    for fix, reason in prepared.skipped:
        echo(f"警告：以前的修正“{fix.describe()}”未能重新应用：{reason}", err=True)
    if (opens is None) != (closes is None):
        raise click.ClickException("--opens 和 --closes 需要同时指定。")
    original = (parsed.notice.opens_on, parsed.notice.closes_on)
    if demo:
        length = (original[1] - original[0]).days + 1 if original[0] and original[1] else 16
        opens = _today(app)
        closes = opens + timedelta(days=length - 1)
    elif opens is None:
        opens, closes = original
        if opens is None or closes is None:
            raise click.ClickException(
                "公告中没有找到征求意见时间，请用 --opens 和 --closes 指定（格式 YYYY-MM-DD），或用 --demo 从今天开始演示。"
            )
    assert opens is not None and closes is not None
    if closes < opens:
        raise click.ClickException(f"截止日期 {closes} 早于开始日期 {opens}，请检查 --opens/--closes 或公告中的日期。")
    slug = slug or _slug_from(path) or f"consultation-{opens.isoformat()}"
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise click.ClickException(f"slug “{slug}” 不合规：只能使用小写字母、数字和连字符，例如 tianjin-cbec-2024。")
    with app.app_context():
        db = get_db()
        problem = check_window(doc_type, opens, closes, store.holidays.calendar(db)).problem(short_reason)
        if problem:
            raise click.ClickException(problem.replace("请填写缩短理由", "请用 --short-reason 说明缩短理由"))
        stored = draft_files.save(data, prepared.kind, app)
        try:
            store.consultations.import_draft(
                db,
                parsed,
                slug=slug,
                opens_on=opens,
                closes_on=closes,
                now=app.extensions["clock"].now(),
                original_window=original,
                is_demo=demo,
                replace=replace,
                drop_clauses=drop_clauses,
                source_name=path.name,
                issuing_body=app.config.get("ISSUING_BODY", ""),
                source=dict(prepared.source_columns(stored), doc_type=doc_type, short_reason=short_reason.strip()),
            )
        except store.consultations.ClausesRemoved as exc:
            listed = "、".join(f"{key}（{n}条意见）" for key, n in sorted(exc.orphans.items()))
            raise click.ClickException(
                f"新文本中没有这些已有意见对应的条款：{listed}。如确需删除，请加 --drop-clauses，"
                "然后在工作台为这些意见调整对应条款（发布前检查会列出它们）。"
            ) from None
        except store.consultations.SlugTaken:
            raise click.ClickException(
                f"slug “{slug}” 已被使用：如要用新文本替换它（已收到的意见保留并按条款编号对应），请加 --replace；"
                "或用 --slug 换一个名称。"
            ) from None
    return slug, opens, closes


@main.command("import-draft")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--slug", help="URL name of the consultation, e.g. tianjin-cbec-2024 (default: from the file name).")
@click.option("--opens", help="First day comments are taken, YYYY-MM-DD (default: from the notice).")
@click.option("--closes", help="Last day comments are taken, YYYY-MM-DD; open until 24:00 Beijing time.")
@click.option("--demo", is_flag=True, help="Open the window today, as long as the notice's window, and mark the page 演示.")
@click.option("--replace", is_flag=True, help="Replace the text of an existing consultation with this slug; its comments stay.")
@click.option("--drop-clauses", is_flag=True,
              help="With --replace: allow the new text to drop clauses that comments are tied to.")
@click.option("--doc-type", type=click.Choice(list(DOC_TYPES)), default=OTHER, show_default=True,
              help="文件类型: major 重大行政决策 / market 涉及市场主体 (30 days at least) / normative 规范性文件 "
                   "(7 working days) / other.")
@click.option("--short-reason", default="", help="缩短理由, shown on the public page: needed when the window is shorter "
                                                 "than the --doc-type minimum.")
def import_draft_cmd(path: Path, slug: str | None, opens: str | None, closes: str | None, demo: bool, replace: bool,
                     drop_clauses: bool, doc_type: str, short_reason: str) -> None:
    """Import a draft (.txt in UTF-8 or GB18030, .docx, or .pdf with a text layer) as a public consultation.

    The comment window comes from the notice (公告) unless --opens/--closes are given. The file is kept
    for 原文下载, and fixes staff made to the same file in the preview are applied again. (To check a
    draft before it is public, upload it in the staff area instead: 上传征求意见稿.)

    Example: comment-portal import-draft draft.docx --slug tianjin-cbec-2024 --opens 2024-09-25 --closes 2024-10-10
    """
    app = _app()
    opened, closed = _parse_day(opens, "--opens"), _parse_day(closes, "--closes")
    if demo and (opened or closed):
        raise click.ClickException("--demo 会从今天开始计算征求意见时间，不能与 --opens/--closes 同时使用。")
    slug, opens_on, closes_on = do_import(app, path, slug=slug, opens=opened, closes=closed, demo=demo,
                                          replace=replace, drop_clauses=drop_clauses, doc_type=doc_type,
                                          short_reason=short_reason)
    click.echo(f"已导入：{slug}，征求意见时间 {opens_on} 至 {closes_on}（北京时间，截止日24时止）。")


@main.command("create-staff")
@click.argument("username")
@click.option("--role", "roles", type=click.Choice(list(ROLES)), multiple=True,
              help="reviewer (经办), approver (审核) or admin; repeat for several (default: reviewer).")
@click.option("--password-prompt", is_flag=True, help="Type the one-time password instead of generating one.")
def create_staff(username: str, roles: tuple[str, ...], password_prompt: bool) -> None:
    """Create a staff account with a one-time password (changed at first login).

    Prints a generated password once, or asks for one with --password-prompt. An account may hold several
    roles: reviewer (经办: triage, decisions, submits the report), approver (审核: signs the report off,
    never one they submitted), admin (drafts, windows, accounts, publishing).

    Example: comment-portal create-staff zhangsan --role reviewer --role approver
    """
    roles = roles or ("reviewer",)
    try:
        username = store.staff.check_username(username)
    except store.staff.AccountError as exc:
        raise click.ClickException(str(exc)) from None
    app = _app()
    password = (
        click.prompt("一次性密码", hide_input=True, confirmation_prompt=True)
        if password_prompt
        else store.staff.generate_password()
    )
    with app.app_context():
        db = get_db()
        try:
            store.staff.create(db, username, roles, password, staff=None, now=app.extensions["clock"].now())
        except store.staff.AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"已创建账号 {username}（{'、'.join(ROLES[r] for r in store.staff.check_roles(roles))}）。")
    if not password_prompt:
        click.echo(f"一次性密码（只显示这一次，首次登录须修改）：{password}")


def _check_port(host: str, port: int) -> None:
    from .server import PortUnavailable, check_port

    try:
        check_port(host, port)
    except PortUnavailable as exc:
        raise click.ClickException(str(exc)) from None


@main.command("reset-password")
@click.argument("username")
def reset_password(username: str) -> None:
    """Give a staff account a new one-time password (printed once; it must be changed at first login).

    For a lost or forgotten password, also the one `make run` printed for `admin` on first start.

    Example: comment-portal reset-password admin
    """
    app = _app()
    password = store.staff.generate_password()
    with app.app_context():
        db = get_db()
        account = store.staff.by_username(db, username)
        if account is None:
            raise click.ClickException(f"没有用户名为“{username}”的工作人员账号（可用 comment-portal create-staff 新建）。")
        store.staff.reset_password(db, account.id, password, staff=None, now=app.extensions["clock"].now())
    click.echo(f"已重置账号 {account.username} 的密码。一次性密码（只显示这一次，首次登录须修改）：{password}")


def ensure_admin(app, echo=click.echo) -> None:
    """`make run`: create an `admin` account on first start and print its password once."""
    with app.app_context():
        db = get_db()
        if store.staff.count(db):
            echo("工作人员账号已存在（忘记密码可用 comment-portal reset-password 用户名 重置）。")
            return
        password = store.staff.generate_password()
        store.staff.create(db, "admin", "admin", password, staff=None, now=app.extensions["clock"].now())
    echo("已创建管理员账号 admin，一次性密码（只显示这一次，首次登录须修改）：" + password)


#: The demo's 审核 account: an approval must come from an account other than the one that submitted the report.
DEMO_APPROVER = "shenhe"


def ensure_approver(app, echo=click.echo) -> None:
    """`make run`: a 审核 account beside ``admin``, so the demo goes through sign-off alone (admin submits, this
    account approves, admin publishes). Created when no enabled account holds 审核; its password printed once."""
    with app.app_context():
        db = get_db()
        if store.staff.holders(db, "approver"):
            return
        if store.staff.by_username(db, DEMO_APPROVER) is not None:
            echo(f"没有可用的审核账号：账号 {DEMO_APPROVER} 已存在但没有审核角色或已停用，请在“账号管理”中为一个账号设置审核角色。")
            return
        password = store.staff.generate_password()
        store.staff.create(db, DEMO_APPROVER, "approver", password, staff=None, now=app.extensions["clock"].now())
    echo(f"已创建审核账号 {DEMO_APPROVER}（只有审核角色），一次性密码（只显示这一次，首次登录须修改）：{password}")
    echo(f"演示签发流程：admin 提交审核，{DEMO_APPROVER} 审核通过，admin 签发发布（审核人不能审核自己提交的反馈）。")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn sync worker processes.")
@click.option("--access-log", default="-", show_default=True, help="Access log file ('-' for the console).")
def serve(host: str, port: int, workers: int, access_log: str) -> None:
    """Serve the portal with gunicorn (sync workers, one database connection kept per worker).

    The database must exist (create it with init-db) and be writable.

    Example: comment-portal serve --host 127.0.0.1 --port 5000 --workers 2
    """
    from .server import run

    _check_port(host, port)
    app = _app(DATABASE_MUST_EXIST=True)
    with app.app_context():
        if "database_not_writable" in health(get_db(), app.config["DATABASE"], 0):
            raise click.ClickException(f"数据库 {app.config['DATABASE']} 无法写入：请检查文件和所在目录的权限以及磁盘空间。")
    jobs.ensure_runner(app)  # for jobs left unfinished while no server ran; each new job starts one
    run(host=host, port=port, workers=workers, accesslog=access_log, app_config={"DATABASE_MUST_EXIST": True})


#: The seed is a 涉及市场主体 draft whose 16-day window is shorter than the 30-day minimum; its notice gave no reason.
DEMO_SHORT_REASON = ("（演示）原公告的征求意见期为2024年9月25日至10月10日，共16日，公告中未说明缩短理由；"
                     "正式发布时应在此说明。")
#: The demo's office (the seed's): set on first start when the site settings are empty; 备案号 etc. stay empty.
DEMO_SITE = {"office_name": "天津市商务局电商处", "sponsor": "天津市商务局"}


def ensure_site(app, echo=click.echo) -> None:
    """`make run`: the seed's office in the footer and the reports' signature, unless an admin set one."""
    with app.app_context():
        db = get_db()
        if store.site_settings.get(db).office_name:
            return
        store.site_settings.update(db, DEMO_SITE, staff=None, now=app.extensions["clock"].now(), actor="命令行")
    echo(f"网站设置：机关全称 {DEMO_SITE['office_name']}，主办单位 {DEMO_SITE['sponsor']}（可在工作台“网站设置”中修改）。")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up only; do not start the server.")
def demo(host: str, port: int, workers: int, no_serve: bool) -> None:
    """Set up a demo: database, the seed draft open for comment from today, accounts, then serve it.

    The seed's real window (2024-09-25 to 2024-10-10) is over, so the demo opens it today for as
    many days as the original; the page says 演示 and shows the original dates.

    Example: comment-portal demo --port 5000
    """
    if not no_serve:
        _check_port(host, port)  # before the set-up prints a password and an address
    app = _app()
    with app.app_context():
        db = get_db()
        existing = store.consultations.get_by_slug(db, SEED_SLUG)
    if existing is None:
        slug, opens_on, closes_on = do_import(app, SEED_PATH, slug=SEED_SLUG, opens=None, closes=None, demo=True,
                                              replace=False, doc_type=MARKET, short_reason=DEMO_SHORT_REASON)
        click.echo(f"已导入演示征求意见稿：{slug}（{opens_on} 至 {closes_on}）")
    elif existing.is_demo and date.fromisoformat(existing.closes_on) < _today(app):
        opens = _today(app)
        length = (date.fromisoformat(existing.closes_on) - date.fromisoformat(existing.opens_on)).days
        with app.app_context():
            store.consultations.set_window(get_db(), existing.id, opens, opens + timedelta(days=length),
                                           app.extensions["clock"].now())
        click.echo(f"演示征求意见已重新开放：{opens} 起 {length + 1} 天")
    else:
        click.echo(f"演示征求意见稿已存在：{SEED_SLUG}（{existing.opens_on} 至 {existing.closes_on}）")
    ensure_admin(app)
    ensure_approver(app)
    ensure_site(app)
    if no_serve:
        return
    click.echo(f"门户地址：http://{host}:{port}/c/{SEED_SLUG}")
    click.echo(f"工作人员登录：http://{host}:{port}/staff/login")
    from .server import run

    jobs.ensure_runner(app)
    run(host=host, port=port, workers=workers)


def _print_tables(tables: dict[str, int]) -> None:
    width = max((len(name) for name in tables), default=0)
    for name, count in tables.items():
        click.echo(f"  {name:<{width}}  {count:>8} 行")


@main.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def backup_cmd(dest: Path) -> None:
    """Copy the live database to DEST (a file, or a folder for a dated name) and check the copy.

    Uses SQLite's online backup API, so it is safe while the portal is serving and includes what is
    still in the WAL file. Runs an integrity and foreign-key check on the copy and prints the rows per
    table. The copy is written under a temporary name and renamed only once it passed the check.

    Example: comment-portal backup /srv/backups/
    """
    from . import backup

    app = _app(DATABASE_OPEN_ON_START=False)
    try:
        path, result = backup.backup(app.config["DATABASE"], dest, now=app.extensions["clock"].now().astimezone(LOCAL_TZ))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已备份到 {path}（完整性检查：通过）")
    _print_tables(result.tables)


@main.command("restore")
@click.argument("src", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_cmd(src: Path, yes: bool) -> None:
    """Replace the database with the backup SRC. The portal must be stopped first.

    Checks SRC first (a sound comment-portal database, not from a newer version), refuses while any
    process has the database open (the server, another command), keeps the replaced database beside it
    as portal.db.before-restore-<date>, then applies pending migrations to the restored copy.

    Example: comment-portal restore /srv/backups/portal-20241011-020000.db
    """
    from . import backup

    app = _app(DATABASE_OPEN_ON_START=False)
    target = app.config["DATABASE"]
    try:
        backup.check_backup_file(src, known_migrations())
        if backup.in_use(target):  # asked again inside restore(): this is only to refuse before the prompt
            raise backup.BackupError(f"数据库 {target} 正在被使用（门户服务或其他命令仍在运行），请先停止服务再恢复。")
        if not yes:
            click.confirm(f"用 {src} 替换数据库 {target}？当前数据库会另存一份", abort=True)
        saved, result, applied = backup.restore(
            src, target, now=app.extensions["clock"].now().astimezone(LOCAL_TZ), known_migrations=known_migrations(),
            migrate=lambda conn: migrate(Database(conn)))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"已从 {src} 恢复数据库 {target}（完整性检查：通过）。")
    if saved:
        click.echo(f"恢复前的数据库已另存为 {saved}。")
    if applied:
        click.echo(f"已应用迁移 {len(applied)} 项：{'、'.join(applied)}。")
    _print_tables(result.tables)


@main.command("check")
def check_cmd() -> None:
    """Check the database: SQLite's integrity check and the foreign-key check. Safe while serving.

    Prints the rows per table; exits non-zero with one Error: line when a check fails.

    Example: comment-portal check
    """
    from . import backup

    app = _app(DATABASE_OPEN_ON_START=False)
    try:
        result = backup.check(app.config["DATABASE"])
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    if not result.ok:
        for line in [*(x for x in result.integrity if x != "ok"), *result.foreign_keys][:50]:
            click.echo(f"  {line}", err=True)
        raise click.ClickException(f"数据库 {app.config['DATABASE']} 未通过检查（见上），请从最近的备份恢复"
                                   "（comment-portal restore）。")
    click.echo(f"数据库 {app.config['DATABASE']}：完整性检查通过，外键检查通过。")
    _print_tables(result.tables)


@main.command("send-mail")
def send_mail_cmd() -> None:
    """Send receipt and report mails that are due (retrying failed ones). The portal sends them itself after
    each comment and publication; run this from cron so a mail that failed is retried even when nothing new
    arrives. Needs MAIL_SERVER and MAIL_FROM (instance/config.py).

    Example: comment-portal send-mail
    """
    from . import mail

    app = _app()
    if not mail.enabled(app):
        raise click.ClickException("未配置邮件服务器：请在 instance/config.py 中设置 MAIL_SERVER 和 MAIL_FROM。")
    counts = mail.deliver_due(app)
    click.echo(f"已发送 {counts['sent']} 封，失败 {counts['failed']} 封（稍后重试），无需发送 {counts['skipped']} 封。")
    if counts["failed"]:
        sys.exit(1)


@main.command("verify-archive")
@click.argument("path", type=click.Path(path_type=Path))
def verify_archive_cmd(path: Path) -> None:
    """Check a 归档包 (.zip): every file against the SHA-256 in its manifest.

    Reports each file that is missing, added, unreadable or changed, and exits non-zero if any is.
    Prints the manifest's own SHA-256: compare it with the one the audit log recorded when the archive was made.

    Example: comment-portal verify-archive tianjin-cbec-2024-archive.zip
    """
    from exports import verify_archive

    if not path.is_file():
        raise click.ClickException(f"文件不存在：{path}")
    with path.open("rb") as handle:
        result = verify_archive(handle)
    if result.about:
        click.echo(f"归档包：{result.about.get('title', '')}（{result.about.get('consultation', '')}），"
                   f"{result.about.get('created_at', '')} 由 {result.about.get('created_by', '')} 生成")
    if result.manifest_sha256:
        click.echo(f"清单 manifest.json 的 SHA-256：{result.manifest_sha256}")
    if not result.ok:
        for problem in result.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"归档包未通过核对：{len(result.problems)} 个问题（见上）。")
    click.echo(f"核对通过：{result.files} 个文件与清单中的 SHA-256 校验值一致。")


@main.command("archive")
@click.argument("slug")
@click.argument("dest", type=click.Path(path_type=Path))
def archive_cmd(slug: str, dest: Path) -> None:
    """Write the 归档包 of a consultation to DEST (a .zip file, or a folder for a dated name).

    The same archive admins download from the report page: draft versions, every comment with contact details
    (内部资料), decisions, reviews, the audit log, every published version and its files, and a manifest of
    SHA-256 checksums (check it with verify-archive). Audited.

    Example: comment-portal archive tianjin-cbec-2024 /srv/archive/
    """
    app = _app()
    consultation = _consultation_or_fail(app, slug)
    moment = app.extensions["clock"].now()
    if dest.is_dir():
        dest = dest / f"{slug}-archive-{moment.astimezone(LOCAL_TZ):%Y%m%d-%H%M%S}.zip"
    if dest.exists():
        raise click.ClickException(f"文件已存在：{dest}（请换一个文件名，归档包不会覆盖已有文件）。")
    partial = dest.with_name(dest.name + ".partial")
    try:
        with app.app_context(), partial.open("wb") as out:
            summary = store.archive.write_zip(get_db(), consultation, out, staff=None, now=moment,
                                              defaults={"issuer": app.config.get("ISSUING_BODY", ""),
                                                        "published_where": app.config.get("PUBLISHED_AT", "")})
        partial.rename(dest)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"无法写入 {dest}：{exc.strerror or exc}") from None
    click.echo(f"已生成归档包 {dest}：{summary['files']} 个文件，清单 SHA-256 {summary['manifest_sha256']}")


def _consultation_or_fail(app, slug: str) -> Consultation:
    with app.app_context():
        found = store.consultations.get_by_slug(get_db(), slug)
    if found is None:
        raise click.ClickException(f"找不到征求意见稿“{slug}”：请检查名称，或先用 comment-portal import-draft 导入。")
    return found


#: Runs over at least this many comments show a progress bar.
PROGRESS_MIN_COMMENTS = 1000


class _Bar:
    """A job's progress on the terminal: one click progress bar per stage (label, done/total)."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.stage = ""
        self.shown = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.shown = stage, 0
            self.bar = click.progressbar(length=max(total, 1), label=JOB_STAGES.get(stage, "处理中"), show_eta=False,
                                         show_pos=bool(total))
            self.bar.__enter__()
        if total and self.bar.length != total:
            self.bar.length = total
        advance = min(done, total) - self.shown
        if advance > 0:
            self.bar.update(advance)
            self.shown += advance

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _run_job(app, slug: str, kind: str, *, bar: bool = True, **enqueue) -> store.jobs.Job:
    """Queue a job and do it here (or wait for the running job runner), with a progress bar; a failed job is
    one ``Error:`` line with its reason (after ``show_partial``, when given, shows what it did)."""
    consultation = _consultation_or_fail(app, slug)
    with app.app_context():
        try:
            job = store.jobs.enqueue(get_db(), kind=kind, consultation_id=consultation.id, staff=None,
                                     now=app.extensions["clock"].now(), **enqueue)
        except store.jobs.JobError as exc:
            raise click.ClickException(str(exc)) from None
    if jobs.mode(app) == "process":
        # Done here when no runner is running: at the runner's CPU priority too, so web workers answer first.
        os.nice(app.config["JOB_RUNNER_NICE"])
    echo = _Bar() if bar else None
    try:
        return jobs.run_or_wait(app, job.id, echo=echo)
    finally:
        if echo is not None:
            echo.close()


@main.command()
@click.argument("slug")
def analyze(slug: str) -> None:
    """Group a consultation's comments (campaigns, then clusters per clause) and save the run.

    Uses each comment's stored tokens. A rerun keeps staff's edits (renamed, summarised, merged or split
    groups, moved comments) and places comments that arrived since the last run into existing groups
    where they fit. Spam and comments marked duplicate are left out. Runs as a background job (the staff
    page shows its progress too): here when no job runner is running, otherwise the command waits for it.
    A run that fails leaves the previous one in place.

    Example: comment-portal analyze tianjin-cbec-2024
    """
    app = _app()
    consultation = _consultation_or_fail(app, slug)
    with app.app_context():
        count = store.comments.status_counts(get_db(), consultation.id)
    analysable = sum(count.get(s, 0) for s in COUNTED)
    if not analysable:
        raise click.ClickException(f"“{slug}”还没有可分析的意见（无效和重复意见不参与分析）。")
    job = _run_job(app, slug, "analysis", bar=analysable >= PROGRESS_MIN_COMMENTS)
    if job.failed or not job.result:
        raise click.ClickException(job.error or "分析没有完成。")
    summary = job.result
    click.echo(f"分析完成（第{summary['run_id']}次，{store.analysis_runs.software_version()}）：{summary['comment_count']} 条意见，"
               f"分为 {summary['group_count']} 组，其中集中意见（同一模板）{summary['campaign_count']} 组；"
               f"未能处理 {summary['unprocessed_count']} 条。")
    if summary["new_placed"]:
        click.echo(f"上次分析后新收到的 {summary['new_placed']} 条意见已归组，其中 {summary['new_into_existing']} 条归入"
                   "工作人员已编辑的分组。")
    if summary.get("supportive_count") or summary.get("noise_count"):
        click.echo(f"仅表示支持的意见 {summary.get('supportive_count', 0)} 条（单独成组）；"
                   f"疑似无效意见 {summary.get('noise_count', 0)} 条待工作人员确认（未与其他意见归组）。")


@main.command("import-comments")
@click.argument("slug")
@click.argument("path", type=click.Path(path_type=Path))
def import_comments_cmd(slug: str, path: Path) -> None:
    """Import comments received by letter, e-mail, phone or at meetings from a .csv or .xlsx file.

    Header row first; columns 意见内容 (required), 对应条款, 身份, 姓名或单位, 联系方式, 渠道, 收到日期
    (English names body, clause, submitter_type, name, contact, channel, received_on also work; see
    README). Good rows are stored with receipt codes; bad rows are listed by line number, and the
    command then exits non-zero so that only those rows need fixing and importing again.

    Example: comment-portal import-comments tianjin-cbec-2024 letters.xlsx
    """
    app = _app()
    _consultation_or_fail(app, slug)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"文件不存在：{path}") from None
    except OSError as exc:
        raise click.ClickException(f"无法读取文件 {path}：{exc.strerror}") from None
    # The bar only on a terminal: in a log its stage names would bury the one Error: line of a bad file.
    job = _run_job(app, slug, "import", bar=sys.stdout.isatty(), params={"filename": path.name}, data=data)
    result = job.result or {"total_rows": 0, "inserted": [], "errors": []}
    if job.result:
        click.echo(f"已导入 {len(result['inserted'])} 条意见（共 {result['total_rows']} 行）。")
    # Receipt codes, so staff can tell each letter-writer how to look up the outcome.
    for item in result["inserted"][:RECEIPTS_SHOWN]:
        click.echo(f"第{item['line']}行 → 意见编号 {item['id']}，回执编号 {item['receipt_code']}")
    if len(result["inserted"]) > RECEIPTS_SHOWN:
        click.echo(f"（其余 {len(result['inserted']) - RECEIPTS_SHOWN} 条的回执编号见工作台“导出意见明细”。）")
    for error in result["errors"]:
        click.echo(f"第{error['line']}行未导入：{error['reason']}", err=True)
    if job.failed:
        raise click.ClickException(job.error or "导入没有完成。")
    if result["errors"]:
        raise click.ClickException(f"{len(result['errors'])} 行未导入（见上），请修改这些行后单独再导入一次。")


@main.command("run-jobs")
@click.option("--idle", default=60.0, show_default=True, type=float,
              help="Exit after this many seconds with nothing queued (0: as soon as the queue is empty).")
def run_jobs(idle: float) -> None:
    """Do queued background jobs (analysis runs, imports), oldest first, then exit when idle.

    You rarely need this: serve starts it, and so does every page or command that queues a job while none
    is running. At most one runs per database (a lock file beside it); a second one exits at once. On
    start it marks jobs whose process died as failed and undoes analysis runs they left half-saved.

    Example: comment-portal run-jobs --idle 0
    """
    app = _app()
    if not jobs.serve_forever(app, idle):
        click.echo("另一个任务处理进程正在运行，本进程退出。")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
