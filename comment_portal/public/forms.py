"""Public forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError

from ..comments import SUBMITTER_TYPES
from ..sanitize import clean_text

BODY_MIN, BODY_MAX = 5, 5000
NAME_MAX, CONTACT_MAX = 100, 100

_MOBILE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(?:\+?86)?0\d{2,3}\d{7,8}(?:\d{1,6})?$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")


def is_valid_contact(value: str) -> bool:
    """A mainland mobile or landline number (spaces, dashes, brackets allowed) or an e-mail address."""
    if "@" in value:
        return bool(_EMAIL.match(value.strip()))
    digits = re.sub(r"[\s\-()（）]", "", value)
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits))


def _clean(multiline: bool):
    return lambda value: clean_text(value, multiline=multiline) if isinstance(value, str) else value


def _not_blank(form: FlaskForm, field: StringField) -> None:
    """Length() counts the cleaned text; say plainly when nothing but markup or spaces was typed."""
    if not (field.data or "").strip():
        raise StopValidation("请填写意见内容（网页代码和空白不计入）。")


class CommentForm(FlaskForm):
    """The comment form. CSRF is checked for every POST by the app-wide ``CSRFProtect`` (before the
    view runs), so the form does not generate and sign a second token of its own; the template renders
    the session's token with ``csrf_token()``."""

    class Meta:
        csrf = False

    body = TextAreaField(
        "意见内容",
        filters=[_clean(True)],
        validators=[
            InputRequired(message="请填写意见内容。"),
            _not_blank,
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=f"意见内容需在{BODY_MIN}至{BODY_MAX}字之间（当前%(length)d字）。",
            ),
        ],
    )
    submitter_type = RadioField(
        "身份",
        choices=[SelectChoice(t) for t in SUBMITTER_TYPES],
        default="个人",
        validate_choice=False,  # replaced by AnyOf, whose message can be in Chinese
        validators=[
            InputRequired(message="请选择身份。"),
            AnyOf(SUBMITTER_TYPES, message="请从列出的身份中选择一项。"),
        ],
    )
    name = StringField(
        "姓名或单位（选填）",
        filters=[_clean(False)],
        validators=[Optional(), Length(max=NAME_MAX, message=f"姓名或单位不超过{NAME_MAX}字。")],
    )
    publish_organisation = BooleanField("同意公开单位名称", default=False)
    """Unticked by default; kept only for an organisation (企业、社会组织、其他)."""
    contact = StringField(
        "联系方式（选填）",
        filters=[_clean(False)],
        validators=[Optional(), Length(max=CONTACT_MAX, message=f"联系方式不超过{CONTACT_MAX}字。")],
    )
    consent = BooleanField(
        "我已阅读并同意上述个人信息处理说明",
        validators=[DataRequired(message="提交前请阅读并勾选同意个人信息处理说明。")],
    )
    # Honeypot: hidden from people (CSS + aria-hidden + tabindex=-1), filled in by naive bots.
    website = StringField("网址")

    def validate_contact(self, field: StringField) -> None:
        if field.data and not is_valid_contact(field.data):
            raise ValidationError("请填写有效的手机号、固定电话（如022-12345678）或电子邮箱。")

    @property
    def length_counts(self) -> dict[str, int]:
        return {"min": BODY_MIN, "max": BODY_MAX}


class ReceiptLookupForm(FlaskForm):
    code = StringField(
        "回执编号",
        filters=[_clean(False)],
        validators=[InputRequired(message="请输入回执编号。"), Length(max=40, message="回执编号格式不正确。")],
    )
