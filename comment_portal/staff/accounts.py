"""Staff account management (admin only: not in REVIEWER_ENDPOINTS)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .. import audit, staff_accounts
from ..clock import now
from ..db import get_db, write
from . import bp


class NewStaffForm(FlaskForm):
    username = StringField("用户名", validators=[InputRequired(message="请输入用户名。"), Length(max=40)])
    role = SelectField("角色", choices=[SelectChoice(k, v) for k, v in staff_accounts.ROLES.items()], default="reviewer")


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    db = get_db()
    form = NewStaffForm()
    new_password = None
    if form.validate_on_submit():
        password = staff_accounts.generate_password()
        try:
            with write(db):
                staff_id = staff_accounts.create(db, form.username.data, form.role.data, password, now=now())
                audit.record(db, action="staff.create", now=now(), staff=g.staff, entity="staff", entity_id=staff_id,
                             after={"username": form.username.data, "role": form.role.data})
        except staff_accounts.AccountError as exc:
            form.username.errors = [*form.username.errors, str(exc)]
        else:
            new_password = (form.username.data, password)
            flash(f"已新建账号 {form.username.data}。初始密码只显示这一次，请当面或通过安全渠道交给本人。", "success")
    return render_template("staff/accounts.html", form=form, staff=staff_accounts.all_staff(db), new_password=new_password)


@bp.post("/accounts/<int:staff_id>/reset")
def account_reset(staff_id: int):
    db = get_db()
    account = staff_accounts.get(db, staff_id)
    if account is None:
        return redirect(url_for("staff.accounts"))
    password = staff_accounts.generate_password()
    with write(db):
        staff_accounts.set_password(db, staff_id, password, must_change=True)
        audit.record(db, action="staff.update", now=now(), staff=g.staff, entity="staff", entity_id=staff_id,
                     after={"password_reset": True})
    return render_template("staff/accounts.html", form=NewStaffForm(), staff=staff_accounts.all_staff(db),
                           new_password=(account["username"], password))
