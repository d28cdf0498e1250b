"""Helpers every test tree may use: post forms with their tokens, log staff in, store comments, read rows back.

Fixtures (the app on a temporary database, clients) stay in conftest.py; plain functions live here, so no
test module imports a conftest or another test module.
"""

from __future__ import annotations

import email
import io
import json
import re
import socket
import time
from dataclasses import asdict
from datetime import datetime

import docx

from comment_portal.clock import LOCAL_TZ
from comment_portal.db import get_db, one, rows, write
from comment_portal.store import comments as comment_q
from comment_portal.store import consultations as consultation_q
from comment_portal.store import decisions
from comment_portal.store import groups as group_q
from comment_portal.tokens import tokenize


def beijing(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def docx_text(data: bytes) -> str:
    """The paragraphs and table cells of a .docx, one per line."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


# -- forms and logins ----------------------------------------------------------------------------------
CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
FORM_TOKEN_RE = re.compile(r'<input[^>]*name="form_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    page = client.get(url)
    match = CSRF_RE.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def form_tokens(client, url: str) -> tuple[str, str]:
    """Load a comment form once: its CSRF token and its idempotency token (one per form load)."""
    page = client.get(url).get_data(as_text=True)
    csrf, form = CSRF_RE.search(page), FORM_TOKEN_RE.search(page)
    assert csrf and form, f"no CSRF or form token on {url}"
    return csrf.group(1), form.group(1)


def comment_data(token: str, form_token: str = "", **fields) -> dict:
    data = {
        "csrf_token": token,
        "form_token": form_token,
        "body": "建议进一步明确跨境电商产业园区的评定标准和支持政策。",
        "submitter_type": "个人",
        "name": "",
        "contact": "",
        "consent": "y",
        "website": "",
    }
    data.update(fields)
    return data


def post_comment(client, slug: str = "seed", key: str | None = None, **fields):
    url = f"/c/{slug}/comment" + (f"/{key}" if key else "")
    return client.post(url, data=comment_data(*form_tokens(client, url), **fields))


def post_comment_with_files(client, files, key: str | None = None, **fields):
    """A comment on the seed draft with ``files`` ((name, bytes) pairs) attached, sent as a browser sends it."""
    url = "/c/seed/comment" + (f"/{key}" if key else "")
    data = comment_data(*form_tokens(client, url), **fields)
    data["attachments"] = [(io.BytesIO(body), name) for name, body in files]
    return client.post(url, data=data, content_type="multipart/form-data")


def comments_and_attachments(app) -> tuple[list[dict], list[dict]]:
    """Every stored comment and every stored attachment, each in id order."""
    with app.app_context():
        db = get_db()
        return rows(db, "SELECT * FROM comments ORDER BY id"), rows(db, "SELECT * FROM attachments ORDER BY id")


def make_staff(app, username: str = "reviewer1", role: str = "reviewer", password: str = "Review-pass-2024") -> dict:
    """Create an account whose password need not be changed; returns its row."""
    from comment_portal.db import get_db
    from comment_portal.store import staff as staff_accounts

    with app.app_context():
        db = get_db()
        staff_id = staff_accounts.create(db, username, role, password, staff=None, now=app.extensions["clock"].now(),
                                         must_change=False)
        return asdict(staff_accounts.get(db, staff_id)) | {"password": password}


def login(client, username: str, password: str):
    token = csrf_token(client, "/staff/login")
    return client.post("/staff/login", data={"csrf_token": token, "username": username, "password": password})


def staff_post(client, url: str, data: dict | None = None, form_url: str | None = None, **kwargs):
    """POST a staff form with a valid CSRF token taken from ``form_url`` (default: the staff home), and its
    idempotency token when the form has one (录入)."""
    page = client.get(form_url or "/staff/").get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {form_url}"
    tokens = {"csrf_token": match.group(1)}
    if found := FORM_TOKEN_RE.search(page):
        tokens["form_token"] = found.group(1)
    return client.post(url, data={**tokens, **(data or {})}, **kwargs)


# -- comments, groups and rows (the triage tests' seed data) ---------------------------------------------
#: Realistic comments on the seed draft: two campaigns' worth of templates and several topics.
OVERSEAS = "建议对企业建设海外仓给予资金补贴，并明确海外仓认定标准和申报流程。"
TALENT = "希望加强跨境电商人才培养，支持高校与企业共建实训基地，解决企业招人难的问题。"
FOREX = "建议简化跨境电商外汇结算手续，放宽个人结汇额度限制，提高资金回笼效率。"
LOGISTICS = "应加快完善跨境物流通道建设，增加天津港至欧美的海运航线，降低企业物流成本。"
CAMPAIGN = "强烈建议市商务局对跨境电商中小企业给予房租减免和资金扶持，帮助中小企业渡过难关，扩大出口规模。"


def consultation(app, slug: str = "seed") -> dict:
    with app.app_context():
        return consultation_q.get_by_slug(get_db(), slug)


def add_comment(app, body: str, key: str | None = None, *, status: str = "pending", channel: str = "web",
                name: str = "", contact: str = "", submitter_type: str = "个人", slug: str = "seed",
                publish_organisation: bool = False) -> int:
    with app.app_context():
        db = get_db()
        row = consultation_q.get_by_slug(db, slug)
        stored = comment_q.insert(db, consultation_id=row.id, clause_key=key, body=body, submitter_type=submitter_type,
                                  name=name, contact=contact, now=app.extensions["clock"].now(), status=status,
                                  channel=channel, tokens=tokenize(body, row),
                                  publish_organisation=publish_organisation)
        return stored.id


def campaign_copies(n: int) -> list[str]:
    """Copies of one template with small edits, as a mass campaign sends them."""
    endings = ["", "谢谢！", "望采纳。", "恳请支持。", "此致敬礼。"]
    return [CAMPAIGN.replace("强烈", "" if i % 2 else "强烈") + endings[i % len(endings)] for i in range(n)]


def comment(app, comment_id: int) -> dict:
    with app.app_context():
        return one(get_db(), "SELECT * FROM comments WHERE id = ?", [comment_id])


def group(app, group_id: int) -> dict:
    with app.app_context():
        return one(get_db(), "SELECT * FROM groups WHERE id = ?", [group_id])


def audit_rows(app, action: str) -> list[dict]:
    with app.app_context():
        found = rows(get_db(), "SELECT * FROM audit_log WHERE action = ? ORDER BY id", [action])
    for r in found:
        r["before"] = json.loads(r["before_json"]) if r["before_json"] else None
        r["after"] = json.loads(r["after_json"]) if r["after_json"] else None
    return found


def run_analysis(app, staff: dict | None = None, slug: str = "seed"):
    from comment_portal.store import analysis_runs

    with app.app_context():
        db = get_db()
        return analysis_runs.run(db, consultation_q.get_by_slug(db, slug), staff=staff,
                                 now=app.extensions["clock"].now())


def seed_comments(app) -> dict[str, list[int]]:
    """A realistic mix: a campaign of 12 copies, topic pairs, and comments on several clauses."""
    ids: dict[str, list[int]] = {"campaign": [], "overseas": [], "talent": [], "forex": [], "other": []}
    for text in campaign_copies(12):
        ids["campaign"].append(add_comment(app, text))
    ids["overseas"].append(add_comment(app, OVERSEAS, "3.3.10"))
    ids["overseas"].append(add_comment(app, "海外仓建设投入大，建议市里出台海外仓专项补贴政策并明确认定标准。", "3.3.10"))
    ids["overseas"].append(add_comment(app, "对海外仓的支持应包括租赁的海外仓，而不仅是自建海外仓，补贴标准要明确。", "3.3.10"))
    ids["talent"].append(add_comment(app, TALENT))
    ids["talent"].append(add_comment(app, "跨境电商人才短缺，建议支持高校开设跨境电商专业，企业与高校共建实训基地。"))
    ids["forex"].append(add_comment(app, FOREX))
    ids["other"].append(add_comment(app, LOGISTICS, "3.1.5"))
    return ids


def make_group(app, comment_ids, *, key=None, title="海外仓建设", summary="建议支持海外仓建设。"):
    """A manual group of ``comment_ids`` with staff's title and summary; returns its id."""
    with app.app_context():
        db = get_db()
        c = consultation(app)
        now = app.extensions["clock"].now()
        with write(db):
            gid = group_q.create(db, c.id, now=now, title=title, clause_key=key, representative_id=comment_ids[0])
            group_q.update_text(db, c.id, gid, title=title, summary=summary, staff=None, now=now)
            group_q.move_comments(db, comment_ids, gid, now=now)
        return gid


# -- decisions and publishing ----------------------------------------------------------------------------
def decide(app, *, group=None, comment=None, category="采纳", reason="", revised_text=""):
    with app.app_context():
        db, c, now = get_db(), consultation(app), app.extensions["clock"].now()
        if group is not None:
            decisions.set_group_decision(db, c, group, category=category, reason=reason,
                                          revised_text=revised_text, staff=None, now=now)
        else:
            decisions.set_comment_decision(db, c, comment, category=category, reason=reason,
                                            revised_text=revised_text, staff=None, now=now)


#: Accounts that submit and approve the report for tests that are about publishing, not about sign-off.
SIGNOFF_REVIEWER, SIGNOFF_APPROVER = "jingban-helper", "shenhe-helper"
CORRECTION = "根据进一步研究的结果，更新部分意见的采纳情况和理由说明。"


def staff_account(app, username: str):
    """The stored account (a StaffAccount, as store functions take it)."""
    from comment_portal.store import staff as staff_accounts

    with app.app_context():
        return staff_accounts.by_username(get_db(), username)


def signoff_accounts(app) -> tuple:
    """The helper 经办 and 审核 accounts (created the first time)."""
    if staff_account(app, SIGNOFF_REVIEWER) is None:
        make_staff(app, SIGNOFF_REVIEWER, "reviewer", "Jingban-pass-2024")
        make_staff(app, SIGNOFF_APPROVER, "approver", "Shenhe-pass-2024")
    return staff_account(app, SIGNOFF_REVIEWER), staff_account(app, SIGNOFF_APPROVER)


def sign_off(app, identity="none", *, slug="seed", correction=CORRECTION, kind="更正"):
    """Submit the report as it stands (as a 经办) and approve it (as a 审核): True, or False when a step is
    refused (problems, nothing changed since the last version)."""
    from comment_portal.store import signoff

    reviewer, approver = signoff_accounts(app)
    with app.app_context():
        db, c, now = get_db(), consultation_q.get_by_slug(get_db(), slug), app.extensions["clock"].now()
        try:
            review_id = signoff.submit(db, c, identity=identity, correction_kind=kind, correction=correction,
                                       staff=reviewer, now=now)
            signoff.approve(db, c, review_id, staff=approver, now=now)
        except signoff.SignoffError:
            return False
    return True


def approved_review_id(app, slug="seed"):
    with app.app_context():
        db = get_db()
        c = consultation_q.get_by_slug(db, slug)
        row = one(db, "SELECT id FROM report_reviews WHERE consultation_id = ? AND state = 'approved' "
                      "ORDER BY id DESC LIMIT 1", [c.id])
    return row["id"] if row else ""


def publish(client, identity="none", **signoff_options):
    """Sign the report off (helper accounts submit and approve it), then publish it as ``client`` (an admin)."""
    app = client.application
    sign_off(app, identity, **signoff_options)
    token = csrf_token(client, "/staff/c/seed/report")
    return client.post("/staff/c/seed/report/publish",
                       data={"csrf_token": token, "review_id": approved_review_id(app), "confirm": "y"})


def published_rows(app):
    with app.app_context():
        return rows(get_db(), "SELECT * FROM published_reports ORDER BY version")


def public_outputs(client) -> dict[str, str]:
    """Every public form of the published 采纳情况反馈 (version 1), as text: page, HTML, Markdown, JSON, DOCX."""
    return {
        "page": client.get("/c/seed/feedback").get_data(as_text=True),
        "html": client.get("/c/seed/feedback/v1.html").get_data(as_text=True),
        "md": client.get("/c/seed/feedback/v1.md").get_data(as_text=True),
        "json": client.get("/c/seed/feedback/v1.json").get_data(as_text=True),
        "docx": docx_text(client.get("/c/seed/feedback/v1.docx").data),
    }


# -- in the browser (Playwright pages) ------------------------------------------------------------------------
def browser_login(page, base: str, username: str, password: str, *, by_keyboard: bool = False) -> None:
    """Log a browser page in as staff through the login form: its 登录 button, or Enter (``by_keyboard``, which
    then waits for the staff home page)."""
    page.goto(f"{base}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    if by_keyboard:
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/staff/$"))
    else:
        page.get_by_role("button", name="登录").click()


def console_errors(page) -> list[str]:
    """The page's console errors from now on (CSP violations, script errors), as they come."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def send_paper_as_company(page, paper, button: str) -> None:
    """The open comment form with the company's ``paper`` attached, signed as the company (consent ticked) and sent
    with ``button``; waits for the receipt."""
    page.get_by_label("附件（选填）").set_input_files(str(paper))
    page.get_by_role("radio", name="企业").check()
    page.get_by_label("姓名或单位（选填）", exact=True).fill("天津某某跨境电商有限公司")
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name=button).click()
    page.get_by_role("heading", name="您的意见已提交").wait_for()


def decide_in_browser(page, summary: str, category: str, reason: str = "") -> None:
    """On a group's page: 归纳意见 and the decision are one form with one 保存."""
    page.get_by_role("textbox", name=re.compile("^归纳意见")).fill(summary)
    page.get_by_label("采纳情况", exact=True).select_option(category)
    page.get_by_label("理由说明", exact=True).fill(reason)
    page.get_by_role("button", name="保存", exact=True).click()
    assert f"当前决定：{category}" in page.locator("main").inner_text()


def send_comment_form(page, text: str, *, submitter: str = "个人", name: str = "", contact: str = "") -> None:
    """On an open comment form, as a citizen: the text, who they are, name and contact when given, the consent,
    then 提交意见."""
    page.get_by_label("意见内容").fill(text)
    page.get_by_label(submitter, exact=True).check()
    if name:
        page.get_by_label("姓名或单位（选填）").fill(name)
    if contact:
        page.get_by_label("联系方式（选填）").fill(contact)
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()


# -- draft files as offices upload them -----------------------------------------------------------------------
#: A notice and a short draft whose 1. under 第三条 is read as an item (staff merge it back in the preview).
RENDING_NOTICE = (
    "关于公开征求《天津市跨境电商企业认定办法（征求意见稿）》意见的公告\n"
    "为做好跨境电商企业认定工作，我局起草了《天津市跨境电商企业认定办法（征求意见稿）》，现公开征求意见。"
    "征求意见时间为2024年10月8日至2024年11月6日。\n"
    "意见建议可发送电子邮件至dianshang@example.gov.cn，或寄至天津市河西区友谊路30号（邮编：300201）。\n"
    "联系人：电商处 张伟，电话：022-87654321\n天津市商务局\n2024年10月1日\n")
RENDING_BODY = (
    "天津市跨境电商企业认定办法（征求意见稿）\n第一条　为规范跨境电商企业认定工作，制定本办法。\n"
    "第二条　本办法适用于本市跨境电商企业的认定。\n第三条　认定工作由市商务局负责。\n"
    "1.本条第一款所称企业，是指在本市注册的企业。\n第四条　本办法自发布之日起施行。")


def word_document(text: str) -> bytes:
    """A real .docx (python-docx) with one paragraph per line of ``text``. Build it once per test module: the
    zip carries the time it was written, and a re-import must be the same bytes."""
    import io

    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- a company's position paper (issue 12), on the single and the multi-clause comment form --------------------------
PAPER_GREETING = "天津市商务局电子商务处："
PAPER_INTRO = "贵处《天津市跨境电子商务高质量发展三年倍增计划（征求意见稿）》收悉，我公司认真研读后提出以下意见："
PAPER_POINTS = {
    "3.3.12": "一、关于第12条创新外汇管理服务：建议明确跨境电商企业轧差结算的办理时限，银行审核材料清单应统一公布。",
    "3.4.14": "二、关于第14条完善国际物流服务体系：建议加密天津港至东南亚的外贸航线，并支持开通更多全货机航线。",
    "3.4.16": "三、关于第16条人才队伍：建议支持高校开设跨境电商专业方向，对企业组织的在职培训给予补贴。",
}
PAPER_CLOSING = ["以上意见，请予研究。", "天津某某跨境电商有限公司", "2024年10月8日"]
PAPER_TYPED = "我公司的意见详见附件。"


def paper_lines(points=PAPER_POINTS) -> list[str]:
    """The paper's paragraphs: greeting, introduction, one point per clause (``points``), closing and signature."""
    return [PAPER_GREETING, PAPER_INTRO, *points.values(), *PAPER_CLOSING]


def post_company_with_files(client, files, key: str | None = None, **fields):
    """The company's comment, with ``files`` attached."""
    return post_comment_with_files(client, files, key, **{"submitter_type": "企业", "name": "天津某某跨境电商有限公司",
                                                          **fields})


COMMENT_MANY_URL = "/c/seed/comment-many"


def many_form(client) -> dict:
    """The multi-clause form's fields as the company fills them in (its tokens read from the page), no opinions yet."""
    page = client.get(COMMENT_MANY_URL).get_data(as_text=True)
    return {"csrf_token": CSRF_RE.search(page).group(1), "form_token": FORM_TOKEN_RE.search(page).group(1),
            "submitter_type": "企业", "name": "天津某某跨境电商有限公司", "contact": "", "consent": "y",
            "website": ""}


def post_many(client, data, files=()):
    """The multi-clause form sent with ``data`` and ``files`` ((name, bytes) pairs) attached."""
    data = dict(data, attachments=[(io.BytesIO(body), name) for name, body in files])
    return client.post(COMMENT_MANY_URL, data=data, content_type="multipart/form-data")


def wait_for_mail(inbox, n: int) -> None:
    """Until the local SMTP server (the ``inbox`` fixture) holds ``n`` messages, at most 10 s."""
    deadline = time.monotonic() + 10
    while len(inbox.messages) < n and time.monotonic() < deadline:
        time.sleep(0.05)


#: An association's letter on three points of the seed draft (a general one and two clauses).
ASSOCIATION_LETTER = """天津市商务局电商处：
    贵局《天津市跨境电子商务高质量发展三年倍增计划（征求意见稿）》收悉。我会组织会员企业进行了认真学习和讨论，现将意见汇总如下：
一、关于第二部分“发展目标”
    征求意见稿提出到2027年底跨境电商年交易额突破1000亿元。建议补充目标测算依据，并将目标分解到年度，便于各区对照落实。
二、关于第5条推进跨境电商集聚发展
    市级跨境电商产业园区评定标准建议尽快出台，并明确入驻企业数量、交易规模、公共服务能力等量化指标。
三、关于第16条人才队伍
    建议将跨境电商运营、海外营销等岗位纳入急需紧缺人才目录，并对企业组织的在职培训给予培训补贴。
    以上意见，供参考。
天津市跨境电子商务协会
2024年10月8日"""

#: Opinions on three clauses of the seed draft, for the multi-clause form.
MANY_OPINIONS = {
    "3.3.12": "建议明确跨境电商外汇结算的办理时限。",
    "3.4.14": "建议对海外仓建设给予租金补贴。",
    "3.4.16": "建议支持高校开设跨境电商专业方向。",
}


class Inbox:
    """What the local SMTP server of the mail tests received (an aiosmtpd handler)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
