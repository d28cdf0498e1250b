"""Staff forms (Flask-WTF, CSRF on every one)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from ..sanitize import clean_line


class LoginForm(FlaskForm):
    username = StringField("用户名", filters=[clean_line], validators=[InputRequired(message="请输入用户名。"), Length(max=40)])
    password = PasswordField("密码", validators=[InputRequired(message="请输入密码。"), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[InputRequired(message="请输入当前密码。")])
    new = PasswordField("新密码", validators=[InputRequired(message="请输入新密码。"), Length(max=200)])
    confirm = PasswordField(
        "再次输入新密码",
        validators=[InputRequired(message="请再次输入新密码。"), EqualTo("new", message="两次输入的新密码不一致。")],
    )
