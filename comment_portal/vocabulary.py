"""The domain's words, in one place: who submits, through which channel, what state a comment is in and
what each state is called, how long what people type may be, and what the office answers support with.

Forms, queries, the importer, the audit page and the templates all read these; a new channel or a changed
limit is a change here only. Channels, submitter types and the thanks are the report's own words
(``exports``), so the portal and its documents cannot drift apart.
"""

from __future__ import annotations

from analysis.noise import LABELS as ANALYSIS_NOISE_LABELS
from exports import CHANNELS, SUBMITTER_TYPES, SUPPORT_REPLY

__all__ = ["CHANNELS", "SUBMITTER_TYPES"]  # re-exported: the report's words are the portal's words

#: Types whose 姓名或单位 is an organisation's name (published only with consent); 个人 is a person.
ORGANISATION_TYPES: tuple[str, ...] = ("企业", "社会组织", "其他")
#: Channels staff type comments in from (web comments come through the public form).
STAFF_CHANNELS: dict[str, str] = {k: v for k, v in CHANNELS.items() if k != "web"}
DEFAULT_STAFF_CHANNEL = "letter"

# -- a comment's status (comments.status) --------------------------------------------------------------
WITHDRAWN = "withdrawn"
#: A container: a submission (multi-clause form, letter) kept as received, its opinions stored as parts.
SPLIT = "split"
#: As staff see it.
STATUSES: dict[str, str] = {
    "pending": "待处理",
    "grouped": "已归类",
    "decided": "已决定",
    "duplicate": "重复",
    "spam": "无效",
    WITHDRAWN: "已撤回",
    SPLIT: "已拆分为多条意见",
}
#: As the submitter sees it on the receipt page (spam is never revealed as such).
PUBLIC_STATUSES: dict[str, str] = {
    "pending": "已收到，待处理",
    "grouped": "已收到，正在归纳整理",
    "decided": "已处理",
    "duplicate": "已收到（与其他意见合并处理）",
    "spam": "已收到，待处理",
    WITHDRAWN: "已撤回",
    SPLIT: "已收到，按条款分为多条意见处理",
}
#: Valid comments: counted in the report, analysed, and open to a decision.
COUNTED: tuple[str, ...] = ("pending", "grouped", "decided")
#: Not counted anywhere: spam, duplicates staff marked by hand, comments their submitter withdrew, and
#: containers (their parts are counted instead).
NOT_COUNTED: tuple[str, ...] = ("spam", "duplicate", WITHDRAWN, SPLIT)
#: Left out of every count of comments received (the draft page, channels, new arrivals); a duplicate is
#: still someone's comment there. A container is counted through its parts.
IGNORED: tuple[str, ...] = ("spam", WITHDRAWN, SPLIT)

# -- lengths of what people type (characters, after sanitising) ------------------------------------------
BODY_MIN, BODY_MAX = 5, 5000
NAME_MAX, CONTACT_MAX = 100, 100
#: An imported spreadsheet cell may hold a longer contact line than the forms accept.
IMPORTED_CONTACT_MAX = 200
TITLE_MAX = 100  # a group's name
SUMMARY_MAX = 5000  # 归纳意见
NOTE_MAX = 2000  # staff's private note on a comment
REASON_MAX = 2000  # 理由说明 of a decision
REVISED_MAX = 4000  # 修改后表述

# -- groups, staff, decisions ---------------------------------------------------------------------------
GROUP_KINDS: dict[str, str] = {"cluster": "聚类", "campaign": "集中意见", "singleton": "单条", "manual": "人工分组",
                               "supportive": "表示支持", "noise": "疑似无效（待确认）"}
#: Why the analysis proposes a comment as noise, as staff read it (the engine's own labels).
NOISE_LABELS: dict[str, str] = dict(ANALYSIS_NOISE_LABELS)
#: How staff settle a noise proposal: confirmed as spam (无效) or as 不属于征求意见范围, or rejected (analysed again).
OUT_OF_SCOPE = "不属于征求意见范围"
OUT_OF_SCOPE_REASON = "所提内容与本次征求意见稿无关，不属于本次征求意见范围。"
NOISE_OUTCOMES: dict[str, str] = {"spam": "确认为无效（广告、垃圾信息）", "out_of_scope": f"确认为“{OUT_OF_SCOPE}”并答复",
                                  "reject": "不是无效意见，重新参与分析"}
#: Roles an account may hold (several at once): 经办 prepares (triage, decisions, submits the report for
#: review), 审核 signs it off (approves or returns it), admin runs the consultation and publishes.
ROLES: dict[str, str] = {"reviewer": "经办", "approver": "审核", "admin": "管理员"}
ROLE_HELP: dict[str, str] = {
    "reviewer": "处理意见、作出采纳决定、提交采纳情况反馈审核",
    "approver": "审核采纳情况反馈：审核通过或退回修改（不能审核自己提交的）",
    "admin": "导入征求意见稿、管理征求意见期、账号和设置，签发发布采纳情况反馈",
}
#: Not an adoption category: comments that only express support (同意/支持) are counted and answered with
#: thanks (exports' ``Opinion.supportive``), never counted as 采纳.
SUPPORT = "表示支持"
SUPPORT_CHOICE = "表示支持（致谢，不计入采纳情况）"
THANKS_REASON = SUPPORT_REPLY

#: How a comment on the draft as a whole is cited.
WHOLE_DRAFT = "对征求意见稿整体"

# -- consultations: their life in the staff area -----------------------------------------------------------
#: A consultation's URL name (``/c/<slug>``): lower-case letters, digits and hyphens.
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]{0,79}"
#: ``consultations.state``: uploaded and checked by staff (on no public page), or public.
DRAFT_STATE, PUBLIC_STATE = "draft", "public"
CONSULTATION_STATES: dict[str, str] = {DRAFT_STATE: "草稿（未发布）", PUBLIC_STATE: "已发布"}
#: The changes of a consultation's window (``window_changes.kind``), as staff and the public read them.
WINDOW_CHANGES: dict[str, str] = {"schedule": "设置征求意见期", "open": "发布", "extend": "延长征求意见期",
                                  "close": "提前截止", "reopen": "重新开放"}
NOTICE_MAX = 5000  # 公告 and 背景介绍/起草说明
WINDOW_REASON_MAX = 500  # the reason of a window change, and a 缩短理由
# -- background jobs ------------------------------------------------------------------------------------
JOB_KINDS: dict[str, str] = {"analysis": "聚类分析", "import": "导入意见", "attachment_text": "读取附件文字"}
JOB_STATES: dict[str, str] = {"queued": "排队中", "running": "进行中", "done": "已完成", "failed": "未完成"}
#: The stages a job reports (the portal's, and the analysis engine's own within 分析文本); others show as 处理中.
JOB_STAGES: dict[str, str] = {
    "load": "读取意见", "tokens": "补充分词", "analyse": "分析文本", "tokenise": "分词", "duplicates": "查找集中意见",
    "vectors": "计算文本特征", "cluster": "按条款聚类", "save": "保存分组", "read": "读取文件", "store": "保存意见",
    "extract": "读取附件文字", "split": "按条款拆分",
}
