"""Every staff form (Flask-WTF: CSRF on each). Every text field passes ``sanitize.clean_line`` or
``clean_block``; choices that depend on the consultation (groups, clauses, categories) are filled in by
the view before validation."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from draft.calendar import KIND_LABELS as HOLIDAY_KINDS
from draft.fixes import OPERATIONS as FIX_OPERATIONS
from draft.window_rules import DOC_TYPES, MARKET
from exports import CORRECTION_KINDS

from ..public.forms import PortalForm, body_validators, is_valid_contact, ticked
from ..sanitize import clean_block, clean_line
from ..store.signoff import COMMENT_MAX
from ..store.staff import USERNAME_HELP
from ..vocabulary import (
    DEFAULT_STAFF_CHANNEL,
    NOISE_OUTCOMES,
    NOTE_MAX,
    NOTICE_MAX,
    REASON_MAX,
    REVISED_MAX,
    ROLE_HELP,
    ROLES,
    SLUG_PATTERN,
    STAFF_CHANNELS,
    SUBMITTER_TYPES,
    SUMMARY_MAX,
    TITLE_MAX,
    WINDOW_REASON_MAX,
)


# -- login and accounts ----------------------------------------------------------------------------------
class LoginForm(PortalForm):
    username = StringField("用户名", filters=[clean_line], validators=[InputRequired(message="请输入用户名。"), Length(max=40)])
    password = PasswordField("密码", validators=[InputRequired(message="请输入密码。"), Length(max=200)])


class PasswordForm(PortalForm):
    current = PasswordField("当前密码", validators=[InputRequired(message="请输入当前密码。")])
    new = PasswordField("新密码", validators=[InputRequired(message="请输入新密码。"), Length(max=200)])
    confirm = PasswordField(
        "再次输入新密码",
        validators=[InputRequired(message="请再次输入新密码。"), EqualTo("new", message="两次输入的新密码不一致。")],
    )


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(k, f"{v}（{ROLE_HELP[k]}）") for k, v in ROLES.items()]


class NewStaffForm(PortalForm):
    username = StringField("用户名", description=USERNAME_HELP,
                           validators=[InputRequired(message="请输入用户名。"), Length(max=40)])
    roles = MultiCheckboxField("角色（可多选）", choices=_role_choices(), default=["reviewer"],
                               validators=[InputRequired(message="请至少选择一个角色。")])


class RolesForm(PortalForm):
    """账号管理: the roles of one account."""

    roles = MultiCheckboxField("角色", choices=[SelectChoice(k, v) for k, v in ROLES.items()],
                               validators=[InputRequired(message="请至少选择一个角色。")])


# -- triage: comments, groups, entering and importing ------------------------------------------------------


class StatusForm(PortalForm):
    status = RadioField(
        "状态",
        choices=[SelectChoice("spam", "标为无效（垃圾、无关内容）"), SelectChoice("duplicate", "标为重复（同一人重复提交）"),
                 SelectChoice("pending", "恢复为正常处理")],
        validate_choice=False,
        validators=[InputRequired(message="请选择要改成的状态。"),
                    AnyOf(["spam", "duplicate", "pending"], message="请从列出的状态中选择。")],
    )
    duplicate_of = IntegerField("与哪条意见重复（意见编号）", validators=[Optional(), NumberRange(min=1, message="请填写意见编号。")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.status.data == "duplicate" and not self.duplicate_of.data:
            self.duplicate_of.errors = [*self.duplicate_of.errors, "标为重复时，请填写与之重复的意见编号。"]
            return False
        return valid


class NoteForm(PortalForm):
    note = TextAreaField("内部备注（仅工作人员可见）", filters=[clean_block],
                         validators=[Length(max=NOTE_MAX, message=f"备注不超过{NOTE_MAX}字。")])
    seen = HiddenField()  # the note as the page showed it (store.comments.note_stamp)


class MoveForm(PortalForm):
    group = SelectField("移到分组", validators=[InputRequired(message="请选择分组。")], validate_choice=True)
    new_title = StringField("新分组名称（移到新分组时填写，可不填）", filters=[clean_line],
                            validators=[Optional(), Length(max=TITLE_MAX, message=f"名称不超过{TITLE_MAX}字。")])


class ClauseForm(PortalForm):
    clause = SelectField("对应条款", validators=[InputRequired(message="请选择条款。")])


class GroupTextForm(PortalForm):
    title = StringField("分组名称", filters=[clean_line],
                        validators=[InputRequired(message="请填写分组名称。"),
                                    Length(max=TITLE_MAX, message=f"名称不超过{TITLE_MAX}字。")])
    summary = TextAreaField("归纳意见（以工作人员的表述概括本组意见，将用于采纳情况反馈）", filters=[clean_block],
                            validators=[Length(max=SUMMARY_MAX, message=f"归纳意见不超过{SUMMARY_MAX}字。")])
    #: The group as the page showed it (``store.decisions.review_stamp``): a save from a page opened before someone
    #: else changed the group is refused, not silently written over their work.
    seen = HiddenField()


class MergeForm(PortalForm):
    target = SelectField("并入分组", coerce=int, validators=[InputRequired(message="请选择要并入的分组。")])


class _CheckedComments(PortalForm):
    """A form acting on the comments checked in a list (``comment_ids``, defined by each form): one at least."""

    def validate_comment_ids(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError("请至少勾选一条意见。")


class _NewGroup(_CheckedComments):
    title = StringField("新分组名称", filters=[clean_line],
                        validators=[Optional(), Length(max=TITLE_MAX, message=f"名称不超过{TITLE_MAX}字。")])


class SplitForm(_NewGroup):
    """On a group's page: the checked members become a new group (choices: the members)."""

    comment_ids = MultiCheckboxField("选中的意见", coerce=int)


class CreateGroupForm(_NewGroup):
    """From the queue: the checked comments become a new group (any comment of the consultation)."""

    comment_ids = SelectMultipleField("选中的意见", coerce=int, validate_choice=False)


class CampaignForm(PortalForm):
    campaign = RadioField("集中意见", choices=[SelectChoice("1", "标为集中意见"), SelectChoice("0", "取消集中意见标记")],
                          validate_choice=False, validators=[AnyOf(["0", "1"], message="请选择。")])


class EmptyForm(PortalForm):
    """A button that only needs its CSRF token."""


class EnterCommentForm(PortalForm):
    body = TextAreaField(
"意见内容（按原文录入）", filters=[clean_block], validators=body_validators())
    clause = SelectField("对应条款", validate_choice=True)
    channel = SelectField("来源渠道", choices=[SelectChoice(k, v) for k, v in STAFF_CHANNELS.items()],
                          default=DEFAULT_STAFF_CHANNEL)
    received_on = DateField("收到日期", validators=[InputRequired(message="请填写收到日期，格式如 2024-10-08。")],
                            format="%Y-%m-%d")
    submitter_type = RadioField("身份", choices=[SelectChoice(t) for t in SUBMITTER_TYPES], default="个人",
                                validate_choice=False,
                                validators=[AnyOf(SUBMITTER_TYPES, message="请从列出的身份中选择一项。")])
    name = StringField("姓名或单位（选填）", filters=[clean_line],
                       validators=[Optional(), Length(max=100, message="姓名或单位不超过100字。")])
    contact = StringField("联系方式（选填，仅管理员可见）", filters=[clean_line],
                          validators=[Optional(), Length(max=100, message="联系方式不超过100字。")])

    def validate_contact(self, field: StringField) -> None:
        if field.data and not is_valid_contact(field.data):
            raise ValidationError("请填写有效的手机号、固定电话（如022-12345678）或电子邮箱。")


class ImportForm(PortalForm):
    file = FileField("意见文件（.csv 或 .xlsx）", validators=[FileRequired(message="请选择要导入的文件。")])


class RevisedDraftForm(PortalForm):
    """送审稿: the revised draft as a file."""

    file = FileField("修改后的草案（.docx、.pdf 或 .txt）", validators=[FileRequired(message="请选择要上传的文件。")])
    drop_clauses = BooleanField("确认删除上述已有意见的条款（修改对照表中列为删除）")


class BulkForm(_CheckedComments):
    """From the queue: one action on every checked comment."""

    comment_ids = SelectMultipleField("选中的意见", coerce=int, validate_choice=False)
    action = RadioField("操作", choices=[SelectChoice("spam", "标为无效"), SelectChoice("pending", "恢复为正常处理"),
                                        SelectChoice("move", "移到分组")],
                        validate_choice=False, validators=[AnyOf(["spam", "pending", "move"], message="请选择操作。")])
    target = SelectField("目标分组", validate_choice=False)


class NoiseForm(PortalForm):
    """A noise proposal of the analysis (疑似广告 / 与征求意见无关): confirm it (as spam or out of scope) or reject it."""

    outcome = RadioField("处理方式", choices=[SelectChoice(k, v) for k, v in NOISE_OUTCOMES.items()], validate_choice=False,
                         validators=[InputRequired(message="请选择处理方式。"),
                                     AnyOf(list(NOISE_OUTCOMES), message="请从列出的处理方式中选择。")])


class NoiseBulkForm(_CheckedComments, NoiseForm):
    """From the queue: one outcome for every checked noise proposal."""

    comment_ids = SelectMultipleField("选中的意见", coerce=int, validate_choice=False)


class EraseForm(PortalForm):
    """Erase a submitter's name and contact on request: what was asked, and a confirmation."""

    reason = TextAreaField("申请情况", filters=[clean_block],
                           validators=[InputRequired(message="请填写申请情况。"),
                                       Length(max=500, message="申请情况不超过500字。")])
    also = MultiCheckboxField("同一提出人的其他意见", coerce=int)
    confirm = BooleanField("已核实申请人即这条意见的提出人，删除后无法恢复",
                           validators=[ticked("请确认已核实申请人的身份。")])


# -- decisions -------------------------------------------------------------------------------------------
class DecisionForm(PortalForm):
    # Checked against the consultation's categories when saving (and not needed to withdraw).
    category = SelectField("采纳情况", choices=[], validate_choice=False)
    template = SelectField("理由模板", choices=[], validate_choice=False)
    reason = TextAreaField("理由说明", filters=[clean_block],
                           validators=[Length(max=REASON_MAX, message=f"理由说明不能超过{REASON_MAX}字。")])
    revised_text = TextAreaField("修改后表述（仅采纳、部分采纳时填写，可不填）", filters=[clean_block],
                                 validators=[Length(max=REVISED_MAX, message=f"修改后表述不能超过{REVISED_MAX}字。")])
    #: The decision as the page showed it (``store.decisions.comment_stamp`` / ``review_stamp``).
    seen = HiddenField()
    next = HiddenField()


class BulkThanksForm(PortalForm):
    category = SelectField("采纳情况", choices=[])
    reason = TextAreaField("答复内容", filters=[clean_block], validators=[Length(max=REASON_MAX)])


# -- the report: publishing and settings -----------------------------------------------------------------
IDENTITY_LABELS = {
    "none": "不显示提出人（默认）",
    "masked": "显示提出人类型（个人不具名；单位仅在其勾选“同意公开单位名称”时列出名称）",
}


class SubmitForm(PortalForm):
    """提交审核: the report as previewed, with its identity mode and, for a later version, the 更正说明."""

    identity = SelectField("提出人显示方式", choices=[SelectChoice(k, v) for k, v in IDENTITY_LABELS.items()],
                           default="none")
    correction_kind = RadioField("本版性质", choices=[SelectChoice(k, k) for k in CORRECTION_KINDS],
                                 validate_choice=False, validators=[Optional()])
    correction = TextAreaField("更正说明（显示在公开页面的反馈上方）", filters=[clean_block],
                               validators=[Length(max=COMMENT_MAX)])
    confirm = BooleanField("我已核对预览，提交审核", validators=[DataRequired(message="请勾选确认后再提交审核。")])


class ReviewForm(PortalForm):
    """审核通过 or 退回修改 one submission (the comment is required to return it)."""

    review_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    comment = TextAreaField("审核意见", filters=[clean_block], validators=[Length(max=COMMENT_MAX)])


class PublishForm(PortalForm):
    review_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    confirm = BooleanField("我已核对审核通过的内容，确认签发发布（发布后不可修改，只能发布更正或补充版本）",
                           validators=[DataRequired(message="请勾选确认后再发布。")])


class SettingsForm(PortalForm):
    categories = TextAreaField("采纳情况分类（每行一个）", filters=[clean_block], validators=[Length(max=2000)])
    reason_templates = TextAreaField("理由说明模板（每行一个，工作人员可选用后修改）", filters=[clean_block],
                                     validators=[Length(max=10000)])
    issuing_body = StringField("发布单位", filters=[clean_line], validators=[Length(max=100)])
    published_where = StringField("征求意见稿发布渠道（如 天津市商务局网站）", filters=[clean_line],
                                  validators=[Length(max=200)])
    publish_comment_text = RadioField(
        "是否附意见原文",
        choices=[SelectChoice("0", "不附原文（默认）：公开归纳整理后的意见"),
                 SelectChoice("1", "附意见原文：反馈末尾附全部意见的原文（电话、邮箱、身份证号、姓名等已隐去）")],
        default="0", validate_choice=False,
        validators=[AnyOf(["0", "1"], message="请选择是否附意见原文。")],
    )


# -- a consultation's life: the draft, its notice, its window; the site (issue 9 §1-§3) --------------------
DRAFT_FILE_LABEL = "征求意见稿文件（.docx、.txt 或 .pdf）"


class DraftUploadForm(PortalForm):
    file = FileField(DRAFT_FILE_LABEL, validators=[FileRequired(message="请选择要上传的文件。")])
    slug = StringField("网址名称（可不填，由文件名生成；只能用小写字母、数字和连字符，如 tianjin-cbec-2025）",
                       filters=[clean_line],
                       validators=[Optional(), Regexp(f"^{SLUG_PATTERN}$",
                                                      message="网址名称只能使用小写字母、数字和连字符，且以字母或数字开头。")])
    doc_type = SelectField("文件类型（决定最短征求意见期）", choices=[SelectChoice(k, v) for k, v in DOC_TYPES.items()],
                           default=MARKET)


class DraftSourceForm(PortalForm):
    """Replace the uploaded file of a consultation that is still a draft (a corrected version)."""

    file = FileField(DRAFT_FILE_LABEL, validators=[FileRequired(message="请选择要上传的文件。")])


class FixForm(PortalForm):
    """One correction of the clause tree in the preview (``draft.fixes``)."""

    op = HiddenField(validators=[AnyOf(list(FIX_OPERATIONS), message="未知的修正操作。")])
    key = HiddenField(validators=[InputRequired(message="缺少条款。"), Length(max=200)])
    paragraph = IntegerField("从第几段起拆分", validators=[Optional(), NumberRange(min=1, max=100000)])
    label = StringField("编号（如 十三、 (四) 5. 第八条）", filters=[clean_line], validators=[Length(max=20)])
    heading = StringField("标题", filters=[clean_line], validators=[Length(max=100)])

    def validate_paragraph(self, field: IntegerField) -> None:
        if self.op.data == "split" and not field.data:
            raise ValidationError("请填写从第几段起拆分。")


class NoticeForm(PortalForm):
    """The notice as the office wrote it: shown above the draft on the public page."""

    title = StringField("征求意见稿标题", filters=[clean_line],
                        validators=[InputRequired(message="请填写标题。"), Length(max=200)])
    announcement = TextAreaField("公告", filters=[clean_block], validators=[Length(max=NOTICE_MAX)])
    background = TextAreaField("背景介绍 / 起草说明", filters=[clean_block], validators=[Length(max=NOTICE_MAX)])
    contact = StringField("联系方式（如 电商处 张三，电话022-12345678）", filters=[clean_line],
                          validators=[Length(max=300)])
    email = StringField("接收意见的电子邮箱", filters=[clean_line],
                        validators=[Optional(), Length(max=120),
                                    Regexp(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", message="电子邮箱格式不正确。")])
    postal_address = StringField("信函邮寄地址", filters=[clean_line], validators=[Length(max=200)])
    postcode = StringField("邮编", filters=[clean_line],
                           validators=[Optional(), Regexp(r"^[0-9]{6}$", message="邮编应为6位数字。")])


def _reason(label: str, required: bool) -> TextAreaField:
    checks = [Length(max=WINDOW_REASON_MAX, message=f"不超过{WINDOW_REASON_MAX}字。")]
    if required:
        checks.insert(0, InputRequired(message="请填写原因（将在公开页面上显示）。"))
    return TextAreaField(label, filters=[clean_block], validators=checks)


class WindowForm(PortalForm):
    """文件类型 and the window; before opening, or (with a reason) later."""

    doc_type = SelectField("文件类型", choices=[SelectChoice(k, v) for k, v in DOC_TYPES.items()])
    opens_on = DateField("开始日期", validators=[InputRequired(message="请填写开始日期。")])
    closes_on = DateField("截止日期（当日24时截止）", validators=[InputRequired(message="请填写截止日期。")])
    short_reason = _reason("缩短理由（征求意见期短于该类文件的最短期限时必填，将在公开页面上显示）", False)
    reason = _reason("调整原因（已发布的征求意见调整时必填，将在公开页面上显示）", False)


class OpenForm(PortalForm):
    confirm = BooleanField("已核对条款、公告和征求意见期，确认发布（发布后在网站公开）",
                           validators=[ticked("请勾选确认后再发布。")])


class ExtendForm(PortalForm):
    closes_on = DateField("延长至（当日24时截止）", validators=[InputRequired(message="请填写新的截止日期。")])
    reason = _reason("延长原因（将在公开页面上显示）", True)


class CloseForm(PortalForm):
    reason = _reason("提前截止的原因（将在公开页面上显示）", True)
    confirm = BooleanField("确认立即停止接收意见", validators=[ticked("请勾选确认。")])


class ReopenForm(PortalForm):
    closes_on = DateField("新的截止日期（当日24时截止）", validators=[InputRequired(message="请填写新的截止日期。")])
    reason = _reason("重新开放的原因（将在公开页面上显示）", True)


class SiteSettingsForm(PortalForm):
    office_name = StringField("机关全称（页脚和采纳情况反馈的落款，如 天津市商务局电商处）", filters=[clean_line],
                              validators=[Length(max=100)])
    sponsor = StringField("主办单位", filters=[clean_line], validators=[Length(max=100)])
    site_code = StringField("网站标识码", filters=[clean_line], validators=[Length(max=40)])
    icp = StringField("ICP备案号（如 津ICP备12345678号）", filters=[clean_line], validators=[Length(max=60)])
    police_record = StringField("公安机关备案号（如 津公网安备 12010302001234号）", filters=[clean_line],
                                validators=[Length(max=60)])
    footer_contact = StringField("页脚联系方式", filters=[clean_line], validators=[Length(max=200)])
    feedback_working_days = IntegerField(
        "征求意见结束后应在多少个工作日内发布采纳情况反馈",
        validators=[InputRequired(message="请填写工作日数。"), NumberRange(min=1, max=250, message="应为1至250。")])


class HolidayForm(PortalForm):
    day = DateField("日期", validators=[InputRequired(message="请填写日期。")])
    kind = RadioField("类型", choices=[SelectChoice(k, v) for k, v in HOLIDAY_KINDS.items()], default="holiday",
                      validators=[InputRequired(message="请选择类型。")])
    name = StringField("名称（如 春节、国庆节调休）", filters=[clean_line], validators=[Length(max=30)])


class HolidayDeleteForm(PortalForm):
    day = HiddenField(validators=[InputRequired(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])
