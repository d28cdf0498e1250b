"""How a staff page saves one change: validate the posted form, call the store function, redirect.

The comment page and the group page each have several small forms. Each form's handler is registered with
``@changes.add(name, Form, page_form)``; ``changes.routes(...)`` gives every one its URL and endpoint
(``staff.comment_status``, ``staff.group_merge``, …) on one view, and ``changes.run`` validates, saves and
redirects, or shows the page again with the form's errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import flash, redirect
from flask_wtf import FlaskForm


class Refused(Exception):
    """The store refused a change (its message, in Chinese). With a ``field`` the message is shown on that
    field of the form again; without one it is flashed and the page shown as it was."""

    def __init__(self, message: str, field: Any = None):
        super().__init__(message)
        self.field = field


@contextmanager
def refusing(error: type[Exception], field: Any = None) -> Iterator[None]:
    """The store's ``error`` raised in the block becomes a ``Refused`` change with its message (on ``field``)."""
    try:
        yield
    except error as problem:
        raise Refused(str(problem), field) from None


def save_change(form: FlaskForm, save: Callable[[], tuple[str, str]], again: Callable[[FlaskForm], Any],
                back: str) -> Any:
    """``save()`` returns (message, URL to go to); ``again(form)`` renders the page with the form's errors (400);
    ``back`` is where a refused change without a field goes."""
    if form.validate_on_submit():
        try:
            message, target = save()
        except Refused as refused:
            if refused.field is None:
                flash(str(refused), "error")
                return redirect(back, code=303)
            refused.field.errors = [*refused.field.errors, str(refused)]
        else:
            flash(message, "success")
            return redirect(target, code=303)
    return again(form)


class Changes:
    """The small forms of one page and what saving each does (see the module docstring)."""

    def __init__(self) -> None:
        self.by_name: dict[str, tuple[type[FlaskForm], str, Callable[..., tuple[str, str]]]] = {}

    def add(self, name: str, form: type[FlaskForm], page_form: str) -> Callable[[Callable[..., tuple[str, str]]],
                                                                                Callable[..., tuple[str, str]]]:
        """Register a handler ``save(*args, form) -> (message, URL)``; the page knows the form as ``page_form``."""
        def record(save: Callable[..., tuple[str, str]]) -> Callable[..., tuple[str, str]]:
            self.by_name[name] = (form, page_form, save)
            return save
        return record

    def routes(self, routes: Any, rule: str, endpoint: str, view: Callable[..., Any]) -> None:
        """``rule`` with ``<change>`` → one POST URL per change, endpoint ``{endpoint}_{change}``."""
        for name in self.by_name:
            routes.post(rule.replace("<change>", name), endpoint=f"{endpoint}_{name}", defaults={"change": name})(view)

    def run(self, name: str, *, args: tuple[Any, ...], prepare: Callable[[FlaskForm], FlaskForm],
            again: Callable[..., Any], back: str) -> Any:
        form_class, page_form, save = self.by_name[name]
        form = prepare(form_class())
        return save_change(form, lambda: save(*args, form), lambda posted: again(**{page_form: posted}), back)
