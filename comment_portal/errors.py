"""Friendly error pages in Chinese; a CSRF failure on the comment form keeps what was typed.

Also two faults that must never reach a visitor as a 500: a form post that is not UTF-8 (refused, never
stored altered: form_encoding.py), and storage that cannot be written (disk
full, read-only database: a 503 page that keeps the typed comment, and no receipt).
"""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_request_context, make_response, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .clock import now, to_local
from .form_encoding import NOT_UTF8, NotUTF8, PortalRequest, check_urlencoded
from .web import referrer_path, safe_next

MESSAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页重试。"),
    403: ("无法完成操作", "您没有权限执行此操作。"),
    404: ("页面不存在", "您访问的页面不存在，请检查网址或返回首页。"),
    405: ("请求方式不正确", "此页面不支持这种请求方式。"),
    413: ("提交内容过大", "提交的内容超过了允许的大小，请精简后重新提交。"),
    429: ("提交过于频繁", "您的提交过于频繁，请稍后再试。"),
    500: ("服务器出错", "服务器暂时无法处理您的请求，请稍后再试。已提交成功的意见不受影响。"),
    503: ("暂时无法保存", "系统暂时无法保存数据（服务器存储故障），本次操作没有完成。请稍后再试；已提交成功的意见不受影响。"),
}
STORAGE_RESCUE = ("系统暂时无法保存您的意见（服务器存储故障），本次提交没有成功，也没有生成回执。"
                  "您填写的内容仍在下方，请稍后重新提交。")


#: On staff pages: what a refused page means for the account (MESSAGES speak to citizens).
STAFF_MESSAGES = {
    403: "您的账号没有此页面或操作的权限：上传征求意见稿、设置征求意见期、运行聚类分析、导入、导出联系方式、签发发布和账号管理"
         "仅限管理员，审核通过和退回修改仅限审核角色。如需办理，请联系管理员。",
}


def _staff_back() -> str:
    """Where a staff error page leads back: the staff page the request came from, else the staff home."""
    return safe_next(referrer_path(), url_for("staff.home"))


def render_error(code: int, message: str | None = None, title: str | None = None, **typed_back: Any):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    staff = has_request_context() and request.blueprint == "staff"
    if staff and message is None:
        message = STAFF_MESSAGES.get(code)
    return (
        render_template("error.html", code=code, title=title or default_title, message=message or default_message,
                        staff_page=staff, back=_staff_back() if staff else None, **typed_back),
        code,
    )


#: The text boxes of the staff forms by field name (``decision-reason`` counts as ``reason``), labelled as their
#: pages label them: what :func:`typed_back` shows. Passwords, tokens, ids and choices are never shown.
TYPED_LABELS = {
    "summary": "归纳意见", "reason": "理由", "revised_text": "修改后表述", "note": "备注", "body": "意见内容",
    "proposal": "建议修改为", "title": "标题", "new_title": "新分组名称", "comment": "审核意见", "correction": "更正说明",
    "announcement": "公告", "background": "背景介绍 / 起草说明", "name": "姓名或单位", "contact": "联系方式",
    "categories": "分类", "reason_templates": "理由模板", "request_note": "申请情况",
    "short_reason": "缩短理由", "issuing_body": "发布单位", "published_where": "征求意见稿发布渠道",
    "email": "接收意见的电子邮箱", "postal_address": "信函邮寄地址", "postcode": "邮编", "heading": "标题",
    "office_name": "机关全称", "sponsor": "主办单位", "site_code": "网站标识码", "icp": "ICP备案号",
    "police_record": "公安机关备案号", "footer_contact": "页脚联系方式",
}


def typed_back() -> list[tuple[str, str]]:
    """(label, text) of each text box a staff post carried: shown when it cannot be saved (its login ended, its page
    expired), so a reason written for half an hour is not lost with the post."""
    try:
        fields = request.form.items(multi=True)
    except (RequestEntityTooLarge, NotUTF8):
        return []
    return [(TYPED_LABELS[name], value.strip()) for key, value in fields
            if (name := key.rsplit("-", 1)[-1]) in TYPED_LABELS and value.strip()]


#: Why a staff post was not saved, and what to do, for ``_typed_back.html``.
STAFF_TYPED_WHY = "本次提交没有保存。"
STAFF_TYPED_THEN = "，重新登录后回到原页面粘贴并再次提交"


def when_to_retry(seconds: int) -> str:
    """请在…后再试, in words and as a Beijing clock time (for the 429 pages)."""
    if seconds < 60:
        return f"请在{seconds}秒后再试。"
    local_now = to_local(now())
    at = local_now + timedelta(seconds=seconds)
    today = local_now.date()
    clock_time = at.strftime("%H:%M") if at.date() == today else f"{at.month}月{at.day}日{at:%H:%M}"
    minutes = max(1, round(seconds / 60))
    span = f"约{minutes}分钟" if minutes < 120 else f"约{round(seconds / 3600)}小时"
    return f"请在{span}后（北京时间{clock_time}以后）再试。"


def _rescue(message: str, code: int):
    """Re-render the form the request came from with what was typed, if that endpoint registered a rescue.

    None when it did not. A rescue that finds the page itself does not exist (unknown consultation or
    clause) answers with that error (404), never by aborting inside this error handler (a 500).
    """
    handler = current_app.extensions.get("form_rescue", {}).get(request.endpoint)
    if handler is None:
        return None
    try:
        return handler(message, code)
    except HTTPException as exc:
        return render_error(exc.code or 500)


def init_app(app: Flask) -> None:
    app.request_class = PortalRequest
    app.before_request_funcs.setdefault(None, []).insert(0, check_urlencoded)

    @app.errorhandler(NotUTF8)
    def _not_utf8(error: NotUTF8):
        return render_error(400, NOT_UTF8, "无法识别提交的文字")

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        rescued = _rescue("页面已过期或安全校验未通过，您填写的内容仍在下方，请确认后重新提交。", 400)
        if rescued:
            return rescued
        typed = typed_back() if request.blueprint == "staff" else []
        return render_error(400, "页面已过期或安全校验未通过，请返回上一页刷新后重试。", "安全校验未通过", typed=typed,
                            why=STAFF_TYPED_WHY, then="，刷新原页面后粘贴并再次提交")

    @app.errorhandler(429)
    def _too_many(error: HTTPException):
        from .ratelimit import retry_after

        wait = retry_after()
        rescued = _rescue(f"您提交得过于频繁，{when_to_retry(wait)}您填写的内容仍在下方，届时再次提交即可。", 429)
        response = make_response(rescued or render_error(429, f"您提交得过于频繁，{when_to_retry(wait)}"))
        response.headers["Retry-After"] = str(wait)
        return response

    @app.errorhandler(sqlite3.OperationalError)
    def _storage(error: sqlite3.OperationalError):
        # Disk full, read-only or unreachable database file, a lock held too long: nothing was stored.
        app.logger.error("storage failure on %s %s: %s", request.method, request.path, error)
        try:
            response = _rescue(STORAGE_RESCUE, 503) or render_error(503)
        except sqlite3.Error:  # the database cannot even be read: the plain page
            response = render_error(503)
        body, code = response if isinstance(response, tuple) else (response, 503)
        return body, code, {"Retry-After": "60"}

    @app.errorhandler(OverflowError)
    def _overflow(error: OverflowError):
        # An id in a URL or form larger than SQLite's 64-bit integers: no such thing exists.
        return render_error(404)

    @app.errorhandler(413)
    def _too_large(error: HTTPException):
        # The comment forms take files up to a cap (comment_portal/uploads.py): say which, keep what was typed
        # when the browser sent it before the files.
        from .uploads import max_bytes, max_files, size_label

        rescued = _rescue(f"提交内容过大，没有保存：附件最多{max_files()}个，每个不超过{size_label(max_bytes())}。"
                          "如下方的意见内容为空，请重新填写。", 413)
        return rescued or render_error(413)

    for code in (400, 403, 404, 405, 500):
        app.register_error_handler(code, lambda error, code=code: render_error(code))
