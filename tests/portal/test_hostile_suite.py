"""Issue 8 item 9: a few hundred hostile inputs (forms, lookups, staff forms, imports, URLs, methods).

Every response must be below 500 and carry no markup that came from the input: every payload that contains
markup carries the marker ``8817``; no answer may contain a tag built from it (read as a browser would, with
``html.parser``), an event-handler attribute or a ``javascript:`` URL. Afterwards the pages that show stored comments are read again.
One app serves the whole module (rate limits generous, exceptions shown as the 500 a visitor would get).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest

from comment_portal.clock import LOCAL_TZ, FixedClock
from comment_portal.db import get_db, scalar
from tests.helpers import CSRF_RE, comment_data, csrf_token, login, make_staff, post_comment

PAYLOADS = [
    "<script>alert(8817)</script>",
    "<img src=x onerror=alert(8817)>",
    "\"><svg/onload=alert(8817)>",
    "'><iframe src=javascript:alert(8817)>",
    "<<script>script>alert(8817)<</script>/script>",
    '<a href="javascript:alert(8817)">点我</a>',
    "<style>body{background:url(x8817)}</style>",
    "<!--<script>-->alert(8817)<!-- -->",
    "<scr\x00ipt>alert(8817)</scr\x00ipt>",
    "&lt;script&gt;alert(8817)&lt;/script&gt;",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(8817)>",
    "{{ 7*7 }}{% for x in () %}${7*7}#{8817}",
    "' OR '1'='1' --",
    '"; DROP TABLE comments; --',
    "\x00\x01\x1f\x7f 控制字符",
    "\u202e\u2066 反向文字 \u2069\u202c",
    "\u200b\u200c\u200d\ufeff零宽",
    "𠀀𠀁😀👨\u200d👩\u200d👧 补充平面",
    "ｓｃｒｉｐｔ　全角＜ｓｃｒｉｐｔ＞ａｌｅｒｔ（８８１７）",
    "../../../../etc/passwd",
    "%00%2e%2e%2f%252e%ff",
    "a\r\nSet-Cookie: hacked=8817",
    "%s%n%x{0}{1}",
    "9" * 40,
    "-1",
    "长" * 6000,
]

DANGEROUS_TAGS = {"script", "img", "svg", "iframe", "style", "math", "mglyph", "a", "object", "embed"}


class MarkupScan(HTMLParser):
    """What a browser would build from an answer: a tag made from input (it carries the marker), an event-handler
    attribute, a ``javascript:`` URL, or script/style content from input. Escaped text and attribute values
    (``value="&lt;script&gt;…"``) are what they should be: text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value[:30]!r}>")
        if tag in DANGEROUS_TAGS and any("8817" in (value or "") for _, value in attrs):
            self.found.append(f"<{tag}> from input")

    def handle_data(self, data: str) -> None:
        if self.lasttag in ("script", "style") and "8817" in data:
            self.found.append(f"<{self.lasttag}> content from input")


def raw_markup(text: str) -> list[str]:
    scan = MarkupScan()
    scan.feed(text)
    scan.close()
    return scan.found


class Env:
    def __init__(self, app, public, reviewer, admin, comment_ids, group_id):
        self.app, self.public, self.reviewer, self.admin = app, public, reviewer, admin
        self.comment_ids, self.group_id = comment_ids, group_id
        self.failures: list[str] = []
        self.sent = 0

    def check(self, label: str, response) -> None:
        self.sent += 1
        if response.status_code >= 500:
            self.failures.append(f"{label}: HTTP {response.status_code}")
            return
        if response.mimetype in ("text/html", "application/json", "text/plain"):
            text = response.get_data(as_text=True)
            found = raw_markup(text)
            if found:
                self.failures.append(f"{label}: raw markup in the answer: {found[:3]}")

    def assert_clean(self) -> None:
        failures, self.failures = self.failures, []
        assert not failures, "\n".join(failures[:40])


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    from comment_portal import create_app
    from comment_portal.db import close_all, write
    from comment_portal.store import comments as comment_q
    from comment_portal.store import consultations
    from comment_portal.store import groups as group_q
    from draft import load_seed

    clock = FixedClock(datetime(2024, 10, 1, 12, 0, tzinfo=LOCAL_TZ))
    generous = "100000 per minute"  # the limits stay on (they are part of what is probed), out of the way
    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False, "COMMENT_RATE_LIMIT": generous,
                      "COMMENT_ADDRESS_RATE_LIMIT": generous, "LOGIN_RATE_LIMIT": generous,
                      "SECRET_KEY": "hostile", "CLOCK": clock,
                      "DATABASE": str(tmp_path_factory.mktemp("hostile") / "portal.db")})
    with app.app_context():
        db = get_db()
        consultations.import_draft(db, load_seed(), slug="seed", opens_on=date(2024, 9, 25),
                                   closes_on=date(2024, 10, 10), now=clock.now())
        cid = consultations.get_by_slug(db, "seed").id
        ids = [comment_q.insert(db, consultation_id=cid, clause_key=key, body=body, submitter_type="个人", name="",
                                contact="", now=clock.now()).id
               for key, body in [("3.3.10", "建议对海外仓建设给予补贴。"), (None, "建议加强跨境电商人才培养。"),
                                 ("3.3.10", "海外仓认定标准需要明确。")]]
        with write(db):
            group_id = group_q.create(db, cid, now=clock.now(), title="海外仓", clause_key="3.3.10",
                                      representative_id=ids[0])
            group_q.move_comments(db, ids[:2], group_id, now=clock.now())
    clients = []
    for name, role, password in (("reviewer1", "reviewer", "Review-pass-2024"), ("admin1", "admin", "Admin-pass-2024")):
        make_staff(app, name, role, password)
        client = app.test_client()
        assert login(client, name, password).status_code == 302
        clients.append(client)
    env = Env(app, app.test_client(), *clients, ids, group_id)
    env.clock = clock
    yield env
    close_all()


def _token(client, url: str = "/staff/") -> str:
    return CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)


def _short(payload: str) -> str:
    return repr(payload[:24])


# -- the public comment form ----------------------------------------------------------------------------------

FORM_FIELDS = ["body", "name", "contact", "submitter_type", "consent", "website"]


@pytest.mark.parametrize("field", FORM_FIELDS)
def test_comment_form_field(env, field):
    for payload in PAYLOADS:
        env.check(f"comment {field}={_short(payload)}", post_comment(env.public, **{field: payload}))
    env.assert_clean()


def _in_path(payload: str) -> str:
    return payload[:200].replace("%", "%25").replace("/", "%2F").replace("?", "%3F").replace("#", "%23")


def test_comment_form_on_hostile_consultations_and_clause_keys(env):
    token = csrf_token(env.public, "/c/seed/comment")
    for payload in PAYLOADS:
        for url in (f"/c/seed/comment/{_in_path(payload)}", f"/c/{_in_path(payload)}/comment"):
            env.check(f"POST {url[:50]}", env.public.post(url, data=comment_data(token)))
            env.check(f"POST {url[:50]} without a token", env.public.post(url, data={"body": payload}))
    env.assert_clean()


# -- lookups ------------------------------------------------------------------------------------------------


def test_receipt_lookup_and_withdrawal(env):
    token = csrf_token(env.public, "/receipt")
    for n, payload in enumerate(PAYLOADS):
        if n % 10 == 0:
            env.clock.advance(seconds=61)  # past the lookups' 30-per-minute window, so every payload is read
        env.check(f"receipt {_short(payload)}", env.public.post("/receipt", data={"csrf_token": token, "code": payload}))
        env.check(f"withdraw {_short(payload)}", env.public.post(
            "/receipt/withdraw", data={"csrf_token": token, "code": payload, "confirm": payload}))
    env.assert_clean()


QUEUE_PARAMS = ["q", "clause", "group", "status", "page"]


def test_staff_queue_filters(env):
    for payload in PAYLOADS:
        for param in QUEUE_PARAMS:
            env.check(f"queue {param}={_short(payload)}",
                      env.reviewer.get("/staff/c/seed/queue", query_string={param: payload}))
    env.assert_clean()


# -- staff forms --------------------------------------------------------------------------------------------


def staff_forms(env) -> list[tuple[str, str, list[str]]]:
    """(client name, url, fields): every staff form, filled entirely with one payload per request."""
    comment, group = env.comment_ids[2], env.group_id
    base = "/staff/c/seed"
    return [
        ("reviewer", f"{base}/comments/{comment}/note", ["note"]),
        ("reviewer", f"{base}/comments/{comment}/status", ["status", "duplicate_of"]),
        ("reviewer", f"{base}/comments/{comment}/clause", ["clause"]),
        ("reviewer", f"{base}/comments/{comment}/group", ["group", "new_title"]),
        ("reviewer", f"{base}/comments/{comment}/decision", ["category", "template", "reason", "revised_text", "next"]),
        ("reviewer", f"{base}/groups/{group}/update", ["title", "summary"]),
        ("reviewer", f"{base}/groups/{group}/decision", ["category", "template", "reason", "revised_text", "next"]),
        ("reviewer", f"{base}/groups/{group}/merge", ["target"]),
        ("reviewer", f"{base}/groups/{group}/split", ["comment_ids", "title"]),
        ("reviewer", f"{base}/groups/{group}/campaign", ["campaign"]),
        ("reviewer", f"{base}/groups/new", ["comment_ids", "title", "back"]),
        ("reviewer", f"{base}/queue/bulk", ["comment_ids", "action", "target", "back"]),
        ("reviewer", f"{base}/enter", ["body", "clause", "channel", "received_on", "submitter_type", "name", "contact",
                                       "save"]),
        ("reviewer", f"{base}/supportive", ["comment_ids", "category", "reason"]),
        ("reviewer", "/staff/password", ["current", "new", "confirm"]),
        ("admin", f"{base}/settings", ["categories", "reason_templates", "issuing_body", "published_where"]),
        ("admin", f"{base}/report/publish", ["identity", "confirm"]),
        ("admin", f"{base}/comments/{comment}/erase", ["reason", "also", "confirm"]),
        ("admin", "/staff/accounts", ["username", "roles"]),
        ("admin", f"{base}/notice", ["title", "announcement", "background", "contact", "email", "postal_address",
                                     "postcode"]),
        ("admin", f"{base}/window/schedule", ["doc_type", "opens_on", "closes_on", "short_reason", "reason"]),
        ("admin", f"{base}/window/extend", ["closes_on", "reason"]),
        ("admin", f"{base}/window/close", ["reason", "confirm"]),
        ("admin", f"{base}/window/reopen", ["closes_on", "reason"]),
        ("admin", f"{base}/window/open", ["confirm"]),
        ("admin", f"{base}/preview/fix", ["op", "key", "paragraph", "label", "heading"]),
        ("admin", "/staff/site", ["office_name", "sponsor", "site_code", "icp", "police_record", "footer_contact",
                                  "feedback_working_days"]),
        ("admin", "/staff/holidays/add", ["day", "kind", "name"]),
        ("admin", "/staff/holidays/delete", ["day"]),
    ]


def test_every_staff_form(env):
    tokens = {"reviewer": _token(env.reviewer), "admin": _token(env.admin)}
    for who, url, fields in staff_forms(env):
        client = getattr(env, who)
        for payload in PAYLOADS:
            data = {"csrf_token": tokens[who], **{field: payload for field in fields}}
            env.check(f"{url} {_short(payload)}", client.post(url, data=data))
    assert env.reviewer.get("/staff/").status_code == 200  # the hostile password change did not log anyone out
    env.assert_clean()


def test_staff_login_form(env):
    anonymous = env.app.test_client()
    token = csrf_token(anonymous, "/staff/login")
    for payload in PAYLOADS:
        env.check(f"login {_short(payload)}", anonymous.post(
            "/staff/login", data={"csrf_token": token, "username": payload, "password": payload}))
        env.check(f"login next {_short(payload)}", anonymous.get("/staff/login", query_string={"next": payload}))
    env.assert_clean()


# -- imports ------------------------------------------------------------------------------------------------


def test_imports_with_hostile_cells(env):
    from openpyxl import Workbook

    token = _token(env.admin, "/staff/c/seed/import")
    for payload in PAYLOADS:
        row = [payload, payload, payload, payload, payload, payload, payload]
        header = ["意见内容", "对应条款", "身份", "姓名或单位", "联系方式", "渠道", "收到日期"]
        csv_text = ",".join(header) + "\n" + ",".join('"' + cell.replace('"', '""') + '"' for cell in row) + "\n"
        book = Workbook()
        book.active.append(header)
        book.active.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", cell) for cell in row])  # XML cannot hold them
        xlsx = io.BytesIO()
        book.save(xlsx)
        for name, data in (("h.csv", csv_text.encode("utf-8", "surrogatepass")), ("h.xlsx", xlsx.getvalue()),
                           (f"{payload[:40]}.csv", csv_text.encode())):
            env.check(f"import {name!r} {_short(payload)}", env.admin.post(
                "/staff/c/seed/import", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                content_type="multipart/form-data"))
    env.assert_clean()


# -- URLs and methods ---------------------------------------------------------------------------------------

URLS = [
    "/c/%3Cscript%3Ealert(8817)%3C%2Fscript%3E", "/c/seed%00", "/c/..%2F..%2Fetc%2Fpasswd", "/c/" + "a" * 5000,
    "/c/seed/feedback/v99999999999999999999999", "/c/seed/feedback/v-1", "/c/seed/feedback/v1.exe",
    "/c/seed/feedback/v1.%3Cscript%3E", "/c/seed/thanks", "/c/%E5%8F%8D%E9%A6%88/反馈", "/c/seed/comment/%FF%FE",
    "/c/seed/comment/..%2F..%2F", "/receipt?code=%3Cscript%3Ealert(8817)%3C/script%3E", "/static/../secret_key",
    "/static/%2e%2e/%2e%2e/etc/passwd", "/static/portal.css%00.html", "/staff/c/seed/comments/99999999999999999999999",
    "/staff/c/seed/comments/-1", "/staff/c/seed/groups/99999999999999999999999", "/staff/c/%00/queue",
    "/staff/c/seed/export.%3Cscript%3E", "/staff/c/seed/export.csv%00", "/staff/c/seed/queue?page=-5",
    "/staff/c/seed/queue?page=99999999999999999999", "/staff/audit?before=%3Cscript%3E", "/staff/c/seed/audit?before=-1",
    "/staff/c/seed/audit?before=99999999999999999999999", "/healthz?x=%00", "/%2e%2e%2f", "/c/seed/feedback/v0.json",
    "/" + "%C0%AF" * 50, "/c/seed/comment?clause=%3Csvg%20onload%3Dalert(8817)%3E",
]


@pytest.mark.parametrize("who", ["public", "reviewer", "admin"])
def test_hostile_urls(env, who):
    client = getattr(env, who)
    for url in URLS:
        env.check(f"{who} GET {url[:60]}", client.get(url))
    env.assert_clean()


ROUTES = ["/", "/c/seed", "/c/seed/comment", "/c/seed/comment/3.3.10", "/receipt", "/receipt/withdraw", "/healthz",
          "/c/seed/feedback", "/staff/login", "/staff/", "/staff/c/seed/queue", "/staff/c/seed/enter",
          "/staff/c/seed/comments/1/note", "/staff/c/seed/import"]
METHODS = ["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "HEAD"]


def test_unexpected_methods(env):
    for url in ROUTES:
        for method in METHODS:
            env.check(f"{method} {url}", env.admin.open(url, method=method))
            env.check(f"anonymous {method} {url}", env.public.open(url, method=method))
    env.assert_clean()


def test_bodies_that_are_not_forms(env):
    token = csrf_token(env.public, "/c/seed/comment")
    bodies = [(b'{"body": "<script>alert(8817)</script>"}', "application/json"), (b"\xff\xfe\x00<", "text/plain"),
              (b"--x\r\nbroken multipart", "multipart/form-data; boundary=x"),
              (b"body=%E4%B8%AD%ZZ&csrf_token=" + token.encode(), "application/x-www-form-urlencoded"),
              (b"a=" + b"%25" * 20000, "application/x-www-form-urlencoded"), (b"", "application/x-www-form-urlencoded"),
              (b"x" * 70_000, "application/x-www-form-urlencoded")]
    for url in ("/c/seed/comment", "/receipt", "/receipt/withdraw", "/staff/login", "/staff/c/seed/enter"):
        for body, mimetype in bodies:
            client = env.reviewer if url.startswith("/staff/c") else env.public
            env.check(f"{mimetype} to {url}", client.post(url, data=body, content_type=mimetype))
    env.assert_clean()


# -- what was stored, shown again ---------------------------------------------------------------------------


def test_pages_that_show_stored_input(env):
    for n, payload in enumerate(PAYLOADS):  # stored as typed, tags removed; a suffix so none is a repeat
        post_comment(env.public, body=f"{payload[:4000]} 第{n}条意见", name=payload[:100])
    with env.app.app_context():
        ids = [r[0] for r in get_db().execute("SELECT id FROM comments ORDER BY id")]
        stored = scalar(get_db(), "SELECT count(*) FROM comments")
    assert stored > 20  # the hostile posts above did store comments (tags removed) for the pages to show
    pages = ["/", "/c/seed", "/staff/", "/staff/c/seed/", "/staff/c/seed/groups", f"/staff/c/seed/groups/{env.group_id}",
             "/staff/c/seed/report", "/staff/c/seed/audit", "/staff/audit", "/staff/c/seed/supportive",
             "/staff/accounts", "/staff/c/seed/settings", "/staff/c/seed/notice", "/staff/c/seed/window", "/staff/site",
             "/staff/holidays", "/receipt"]
    pages += [f"/staff/c/seed/queue?page={n}" for n in range(1, 2 + len(ids) // 50)]
    pages += [f"/staff/c/seed/comments/{i}" for i in ids]
    for url in pages:
        env.check(f"show {url}", env.admin.get(url))
    env.assert_clean()


def test_the_scan_sees_raw_markup():
    assert raw_markup("<p><img src=x onerror=alert(8817)></p>")
    assert raw_markup('<a href="javascript:alert(8817)">x</a>')
    assert raw_markup("<script>alert(8817)</script>")
    assert not raw_markup('<p>&lt;script&gt;alert(8817)&lt;/script&gt;</p><input value="&lt;img onerror=x&gt;">')


def test_the_suite_sends_at_least_200_hostile_inputs(env):
    counted = (len(PAYLOADS) * len(FORM_FIELDS) + 4 * len(PAYLOADS) + 2 * len(PAYLOADS) + len(PAYLOADS) * len(QUEUE_PARAMS)
               + len(PAYLOADS) * len(staff_forms(env)) + 2 * len(PAYLOADS) + 3 * len(PAYLOADS) + 3 * len(URLS)
               + 2 * len(ROUTES) * len(METHODS) + 5 * 7)
    assert counted >= 200
    if env.sent:  # the whole module ran: what was really sent
        assert env.sent >= 200
