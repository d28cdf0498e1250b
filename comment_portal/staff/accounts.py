"""Staff account management (admin only: not in REVIEWER_ENDPOINTS)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from .. import store
from ..clock import now
from ..db import get_db
from ..web import Routes
from .forms import NewStaffForm, RolesForm

routes = Routes()


@routes.route("/accounts", methods=["GET", "POST"])
def accounts():
    db = get_db()
    form = NewStaffForm()
    new_password = None
    if form.validate_on_submit():
        password = store.staff.generate_password()
        try:
            username = store.staff.check_username(form.username.data)
            store.staff.create(db, username, form.roles.data, password, staff=g.staff, now=now())
        except store.staff.AccountError as exc:
            form.username.errors = [*form.username.errors, str(exc)]
        else:
            new_password = (username, password)
            flash(f"已新建账号 {username}。初始密码只显示这一次，请当面或通过安全渠道交给本人。", "success")
    return render_template("staff/accounts.html", form=form, staff=store.staff.all_staff(db), new_password=new_password)


@routes.post("/accounts/<int:staff_id>/reset")
def account_reset(staff_id: int):
    db = get_db()
    account = store.staff.get(db, staff_id)
    if account is None:
        return redirect(url_for("staff.accounts"))
    password = store.staff.generate_password()
    store.staff.reset_password(db, staff_id, password, staff=g.staff, now=now())
    return render_template("staff/accounts.html", form=NewStaffForm(), staff=store.staff.all_staff(db),
                           new_password=(account.username, password))


@routes.post("/accounts/<int:staff_id>/disable")
def account_disable(staff_id: int):
    """停用 (ends every session of the account at once) or, with ``enable=1``, 启用 again."""
    enable = request.form.get("enable") == "1"
    try:
        if store.staff.set_disabled(get_db(), staff_id, not enable, staff=g.staff, now=now()):
            flash("账号已启用。" if enable else "账号已停用，该账号的所有登录会话已结束。", "success")
    except store.staff.AccountError as exc:
        flash(str(exc), "error")
    return redirect(url_for("staff.accounts"), code=303)


@routes.post("/accounts/<int:staff_id>/roles")
def account_roles(staff_id: int):
    """The roles of one account (经办, 审核, 管理员; several at once)."""
    form = RolesForm()
    if not form.validate_on_submit():
        flash("请至少选择一个角色。", "error")
        return redirect(url_for("staff.accounts"), code=303)
    try:
        if store.staff.set_roles(get_db(), staff_id, form.roles.data, staff=g.staff, now=now()):
            flash("已保存账号的角色。", "success")
    except store.staff.AccountError as exc:
        flash(str(exc), "error")
    return redirect(url_for("staff.accounts"), code=303)
