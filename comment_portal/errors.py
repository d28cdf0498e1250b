"""Friendly error pages in Chinese; a CSRF failure on the comment form keeps what was typed."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

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


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        handler = app.extensions.get("form_rescue", {}).get(request.endpoint)
        if handler is not None:
            return handler("页面已过期或安全校验未通过，您填写的内容仍在下方，请确认后重新提交。")
        return render_error(400, "页面已过期或安全校验未通过，请返回上一页刷新后重试。", "安全校验未通过")

    @app.errorhandler(429)
    def _too_many(error: HTTPException):
        handler = app.extensions.get("form_rescue", {}).get(request.endpoint)
        if handler is not None:
            return handler("您提交得过于频繁，请稍后再提交。您填写的内容仍在下方。", 429)
        return render_error(429)

    @app.errorhandler(OverflowError)
    def _overflow(error: OverflowError):
        # An id in a URL or form larger than SQLite's 64-bit integers: no such thing exists.
        return render_error(404)

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, lambda error, code=code: render_error(code))
