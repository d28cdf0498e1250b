"""WTForms' own messages (a field left empty, a date or a number that does not parse) reach staff and citizens in
Chinese: every form of the portal derives from PortalForm, which uses WTForms' Chinese translations."""

from __future__ import annotations

import inspect

from flask_wtf import FlaskForm

from comment_portal.public import forms as public_forms
from comment_portal.public.forms import PortalForm
from comment_portal.staff import forms as staff_forms
from comment_portal.staff.forms import ReviewForm, WindowForm


def test_every_form_of_the_portal_speaks_chinese():
    forms = [cls for module in (public_forms, staff_forms) for _, cls in inspect.getmembers(module, inspect.isclass)
             if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__ and cls is not PortalForm]
    assert len(forms) > 30
    assert [cls.__name__ for cls in forms if not issubclass(cls, PortalForm)] == []


def _errors(app, form_class, data):
    with app.test_request_context(method="POST", data=data):
        form = form_class(meta={"csrf": False})
        form.validate()
        return form.errors


def test_a_date_or_number_that_does_not_parse_is_refused_in_chinese(app):
    errors = _errors(app, WindowForm, {"opens_on": "2024-13-45", "closes_on": "明天"})
    assert errors["opens_on"] == ["不是有效的日期值。"] and errors["closes_on"] == ["不是有效的日期值。"]
    assert _errors(app, ReviewForm, {"review_id": "x"})["review_id"] == ["不是有效的整数。"]


def test_a_required_field_without_a_message_of_its_own_is_refused_in_chinese(app):
    errors = _errors(app, ReviewForm, {})
    assert errors["review_id"] == ["该字段是必填字段。"]
    assert not any("field" in message or "valid" in message for messages in errors.values() for message in messages)
