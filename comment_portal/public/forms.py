"""Public forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.meta import DefaultMeta
from wtforms.validators import AnyOf, InputRequired, Length, Optional, StopValidation, ValidationError

from draft.contacts import AREA_CODE, EMAIL, MOBILE_DIGITS

from ..sanitize import clean_block, clean_line, visible_length
from ..vocabulary import BODY_MAX, BODY_MIN, CONTACT_MAX, NAME_MAX, REVISED_MAX, SUBMITTER_TYPES

_LANDLINE = re.compile(AREA_CODE + r"\d{7,8}\d{0,6}")
"""``draft.contacts.LANDLINE_DIGITS``, lenient: an extension may run on, and the number may begin with any digit
(the form's own example, 022-12345678, does; no line does, so redaction leaves such a number in comment text)."""


def is_email(value: str) -> bool:
    return bool(EMAIL.fullmatch(value.strip()))


def is_valid_contact(value: str) -> bool:
    """A mainland mobile or landline number (spaces, dashes, brackets allowed; an extension run on) or an e-mail
    address, as ``draft.contacts`` defines them: what redaction masks when the same is written in a comment."""
    if "@" in value:
        return is_email(value)
    digits = re.sub(r"[\s\-()（）]", "", value)
    return bool(MOBILE_DIGITS.fullmatch(digits) or _LANDLINE.fullmatch(digits))


def _not_blank(form: FlaskForm, field: StringField) -> None:
    """Say plainly when nothing but markup, spaces or invisible characters was typed."""
    if not visible_length(field.data):
        raise StopValidation("请填写意见内容（网页代码、空白和不可见字符不计入）。")


def _body_length(form: FlaskForm, field: StringField) -> None:
    """At least BODY_MIN visible characters (zero-width joiners and combining marks do not count), at most
    BODY_MAX characters stored."""
    text = field.data or ""
    shown = visible_length(text)
    if shown < BODY_MIN or len(text) > BODY_MAX:
        count = shown if shown < BODY_MIN else len(text)
        raise ValidationError(f"意见内容需在{BODY_MIN}至{BODY_MAX}字之间（当前{count}字）。")


def body_validators() -> list:
    """The comment body's validators, shared by the public form and staff entry."""
    return [InputRequired(message="请填写意见内容。"), _not_blank, _body_length]


def ticked(message: str):
    """A checkbox counts as ticked only with its own value (``y``): ``consent=0`` or ``consent=no`` is not
    consent (WTForms' BooleanField treats any value other than ``false`` as ticked)."""

    def check(form: FlaskForm, field: BooleanField) -> None:
        if (field.raw_data or [None])[0] != "y":
            field.data = False
            raise StopValidation(message)

    return check


def check_body(text: str, *, required: bool) -> str:
    """The problem with a comment text ("" when fine): empty is fine when ``required`` is false (a file or
    a proposal carries the opinion); otherwise BODY_MIN visible to BODY_MAX stored characters."""
    shown = visible_length(text or "")
    if not shown and not required:
        return ""
    if not shown:
        return "请填写意见内容（网页代码、空白和不可见字符不计入）。"
    if shown < BODY_MIN or len(text) > BODY_MAX:
        return f"意见内容需在{BODY_MIN}至{BODY_MAX}字之间（当前{shown if shown < BODY_MIN else len(text)}字）。"
    return ""


class PortalForm(FlaskForm):
    """The base of every form of the portal: WTForms' own messages (a required field left empty, a date or number
    that does not parse, a choice not offered) in Chinese — 该字段是必填字段。, 不是有效的日期值。 — instead of
    English. Flask-WTF would ask Flask-Babel, which the portal does not use; WTForms ships the translations."""

    class Meta:
        locales = ("zh",)

        def get_translations(self, form):
            return DefaultMeta.get_translations(self, form)


class SubmitterForm(PortalForm):
    """Who sends a comment and what they agree to: shared by the one-clause and the multi-clause form.

    CSRF is checked for every POST by the app-wide ``CSRFProtect`` (before the view runs), so the form does
    not generate and sign a second token of its own; the template renders the session's token with
    ``csrf_token()``."""

    class Meta:
        csrf = False

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
        filters=[clean_line],
        validators=[Optional(), Length(max=NAME_MAX, message=f"姓名或单位不超过{NAME_MAX}字。")],
    )
    publish_organisation = BooleanField("同意公开单位名称", default=False)
    """Unticked by default; kept only for an organisation (企业、社会组织、其他)."""
    contact = StringField(
        "联系方式（选填）",
        filters=[clean_line],
        validators=[Optional(), Length(max=CONTACT_MAX, message=f"联系方式不超过{CONTACT_MAX}字。")],
    )
    email_receipt = BooleanField("发送回执到邮箱", default=False)
    """Shown only when SMTP is configured; needs an e-mail address as the contact."""
    consent = BooleanField("我已阅读并同意上述个人信息处理说明",
                           validators=[ticked("提交前请阅读并勾选同意个人信息处理说明。")])
    attachments = MultipleFileField("附件（选填）")
    """Read and checked by the view (``comment_portal/submission.py``), which knows the limits."""
    # Honeypot: hidden from people (CSS + aria-hidden + tabindex=-1), filled in by naive bots.
    website = StringField("网址")

    def validate_contact(self, field: StringField) -> None:
        if field.data and not is_valid_contact(field.data):
            raise ValidationError("请填写有效的手机号、固定电话（如022-12345678）或电子邮箱。")

    def validate_email_receipt(self, field: BooleanField) -> None:
        if field.data and (field.raw_data or [None])[0] != "y":
            field.data = False
        if field.data and not is_email(self.contact.data or ""):
            raise ValidationError("要把回执发送到邮箱，请在“联系方式”中填写电子邮箱；不需要时请取消勾选。")


class CommentForm(SubmitterForm):
    """The comment form of one clause (or the draft as a whole). The text may stay empty when a file or a
    建议修改为 carries the opinion (the view knows that and calls :func:`check_body`)."""

    body = TextAreaField("意见内容", filters=[clean_block])
    proposal = TextAreaField(
        "建议修改为（选填）",
        filters=[clean_block],
        validators=[Optional(), Length(max=REVISED_MAX, message=f"建议修改的表述不超过{REVISED_MAX}字。")],
    )


class ManyForm(SubmitterForm):
    """The multi-clause form: its text boxes (one per clause) are read by the view from ``body-<key>`` and
    ``proposal-<key>`` fields, cleaned like these."""


class WithdrawForm(PortalForm):
    """Withdraw the comment with this receipt code: ``confirm=yes`` only from the confirmation page."""

    code = HiddenField(filters=[clean_line], validators=[InputRequired(), Length(max=40)])
    confirm = HiddenField()


class ReceiptLookupForm(PortalForm):
    code = StringField(
        "回执编号",
        filters=[clean_line],
        validators=[InputRequired(message="请输入回执编号。"), Length(max=40, message="回执编号格式不正确。")],
    )


class ReceiptDownloadForm(PortalForm):
    """Download a receipt as ``txt`` or ``pdf``: the code travels in the body, never in a URL."""

    code = HiddenField(filters=[clean_line], validators=[InputRequired(), Length(max=40)])
    format = HiddenField(validators=[InputRequired(), AnyOf(("txt", "pdf"))])
