"""Friendly error pages in Chinese; a CSRF failure on the comment form keeps what was typed."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .clock import now, to_local

MESSAGES = {
    400: ("请求有误", "提交的内容无法处理，请返回上一页重试。"),
    403: ("无法完成操作", "您没有权限执行此操作。"),
    404: ("页面不存在", "您访问的页面不存在，请检查网址或返回首页。"),
    405: ("请求方式不正确", "此页面不支持这种请求方式。"),
    413: ("提交内容过大", "提交的内容超过了允许的大小，请精简后重新提交。"),
    429: ("提交过于频繁", "您的提交过于频繁，请稍后再试。"),
    500: ("服务器出错", "服务器暂时无法处理您的请求，请稍后再试。已提交成功的意见不受影响。"),
}


def render_error(code: int, message: str | None = None, title: str | None = None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template("error.html", code=code, title=title or default_title, message=message or default_message),
        code,
    )


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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        handler = app.extensions.get("form_rescue", {}).get(request.endpoint)
        if handler is not None:
            return handler("页面已过期或安全校验未通过，您填写的内容仍在下方，请确认后重新提交。")
        return render_error(400, "页面已过期或安全校验未通过，请返回上一页刷新后重试。", "安全校验未通过")

    @app.errorhandler(429)
    def _too_many(error: HTTPException):
        from .ratelimit import retry_after

        wait = retry_after()
        handler = app.extensions.get("form_rescue", {}).get(request.endpoint)
        if handler is not None:
            response = make_response(handler(f"您提交得过于频繁，{when_to_retry(wait)}您填写的内容仍在下方，届时再次提交即可。", 429))
        else:
            response = make_response(render_error(429, f"您提交得过于频繁，{when_to_retry(wait)}"))
        response.headers["Retry-After"] = str(wait)
        return response

    @app.errorhandler(OverflowError)
    def _overflow(error: OverflowError):
        # An id in a URL or form larger than SQLite's 64-bit integers: no such thing exists.
        return render_error(404)

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, lambda error, code=code: render_error(code))
