"""Issue 9's whole lifecycle in one browser journey, on a draft uploaded in the staff area (not the seed):

an admin sets the site footer, creates a 经办 and a 审核 account, uploads a .docx draft, fixes one clause in the
preview and opens the window; a citizen comments on two clauses; after the window closes the admin runs the
analysis as a background job and watches its progress; the 经办 decides both opinions; the admin uploads the
revised draft (送审稿); the 经办 submits the report; the 审核 approves it; the admin publishes it; the public page
shows the notice, the site footer, 原文下载, the report and the 修改对照表. (It took over the §1–§3 journey of
test_draft_journey.py, whose every step and check it makes.)

Every step goes through the pages as a user would; only the first admin account (made by `make run` or
`create-staff` in real life) is created directly, and the background job runner is the real one
(``jobs.run_pending``, what `comment-portal run-jobs` runs) in a thread instead of its own process.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from comment_portal import jobs
from comment_portal.vocabulary import JOB_STAGES
from tests.helpers import (
    RENDING_BODY,
    RENDING_NOTICE,
    beijing,
    browser_login,
    console_errors,
    decide_in_browser,
    make_staff,
    send_comment_form,
    word_document,
)

pytestmark = pytest.mark.browser

#: Open on the test clock's day (2024-10-01) for 30 days, the minimum of a 涉及市场主体 draft.
NOTICE = RENDING_NOTICE.replace("2024年10月8日至2024年11月6日", "2024年10月1日至2024年10月30日")
WORD = word_document(NOTICE + RENDING_BODY)
#: The 送审稿: 第二条 revised as the adopted opinion asks; the rest unchanged.
SCOPE_OLD = "本办法适用于本市跨境电商企业的认定。"
SCOPE_NEW = "本办法适用于本市跨境电商企业及其在本市设立的分支机构的认定。"
REVISED = word_document(RENDING_BODY.replace("（征求意见稿）", "（送审稿）").replace(SCOPE_OLD, SCOPE_NEW))

SCOPE_COMMENT = "建议第二条的适用范围明确包括外地跨境电商企业在本市设立的分支机构，便于分支机构申请认定。"
DATE_COMMENT = "建议本办法自发布之日起三十日后施行，给企业留出准备认定材料的时间。"
NOT_ADOPTED = "认定工作不涉及企业新增义务，发布即施行不影响企业申请，故未采纳。"


def log_in(browser, base: str, username: str, password: str, new_password: str | None = None):
    """A browser of its own, logged in; with ``new_password``, the first login's one-time password is changed."""
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors = console_errors(page)
    browser_login(page, base, username, password)
    if new_password:
        assert "首次登录请先修改初始密码" in page.locator("main").inner_text()
        page.get_by_label("当前密码").fill(password)
        page.get_by_label("新密码", exact=True).fill(new_password)
        page.get_by_label("再次输入新密码").fill(new_password)
        page.get_by_role("button", name="保存新密码").click()
    page.get_by_role("heading", name="征求意见", exact=True).wait_for()
    page.errors = errors
    return context, page


def new_account(page, username: str, role: str) -> str:
    """账号管理 → 新建账号 with one role; returns the one-time password the page shows."""
    page.get_by_role("link", name="账号管理").first.click()
    page.get_by_label("用户名").fill(username)
    form = page.locator("form", has=page.get_by_role("button", name="新建并生成一次性密码"))
    for box in form.get_by_role("checkbox").all():
        box.set_checked(False)
    form.get_by_role("checkbox", name=re.compile(f"^{role}")).check()
    form.get_by_role("button", name="新建并生成一次性密码").click()
    assert f"已新建账号 {username}" in page.locator("main").inner_text()
    row = page.locator("tr", has=page.get_by_role("rowheader", name=username))
    assert row.get_by_role("checkbox", name=role, exact=True).is_checked()
    return page.locator("#one-time-password").inner_text().strip()


def open_consultation(page, title_part: str) -> None:
    page.get_by_role("link", name="征求意见", exact=True).click()
    page.get_by_role("link", name=re.compile(title_part)).first.click()


def test_upload_consult_analyse_sign_off_publish(app, clock, browser, live_server, tmp_path):
    base = live_server
    app.config["JOBS_RUNNER"] = "off"  # the job runner is started below, in a thread, while the page watches
    make_staff(app, "chu_admin", "admin", "Dianshang-2024")
    admin_context, admin = log_in(browser, base, "chu_admin", "Dianshang-2024")

    # -- the office's site settings and its two other accounts ------------------------------------------------
    admin.get_by_role("link", name="网站设置").first.click()
    admin.get_by_label(re.compile("^机关全称")).fill("天津市商务局电商处")
    admin.get_by_label("主办单位").fill("天津市商务局")
    admin.get_by_label("网站标识码").fill("1200000035")
    admin.get_by_role("button", name="保存").click()
    assert "已保存" in admin.locator("main").inner_text()
    jingban_once = new_account(admin, "chu_jingban", "经办")
    shenhe_once = new_account(admin, "chu_shenhe", "审核")
    assert jingban_once != shenhe_once

    # -- upload the .docx, fix one clause in the preview, open the window ------------------------------------
    draft = tmp_path / "认定办法（征求意见稿）.docx"
    draft.write_bytes(WORD)
    admin.get_by_role("link", name="征求意见", exact=True).click()
    admin.get_by_role("link", name="上传征求意见稿").click()
    admin.get_by_label(re.compile("^征求意见稿文件")).set_input_files(str(draft))
    admin.get_by_label(re.compile("^网址名称")).fill("rending")
    admin.get_by_role("button", name="上传并预览").click()
    main = admin.locator("main").inner_text()
    assert "草稿（未发布）" in main and "从文件读出" in main
    item = admin.locator('[id="clause-3.1"]')
    assert "1.本条第一款所称企业" in item.inner_text()       # the parser read a sentence of 第三条 as an item
    item.locator("summary").first.click()
    item.get_by_role("button", name=re.compile("^与上一条合并")).first.click()
    main = admin.locator("main").inner_text()
    assert "已修正" in main and "并入上一条" in main
    assert admin.locator('[id="clause-3.1"]').count() == 0
    assert "1.本条第一款所称企业" in admin.locator('[id="clause-3"]').inner_text()

    citizen_context = browser.new_context(locale="zh-CN", accept_downloads=True)
    citizen = citizen_context.new_page()
    assert citizen.goto(f"{base}/c/rending").status == 404          # nothing public before it is opened

    admin.get_by_role("link", name="征求意见期与发布").first.click()
    assert "2024年10月1日至10月30日，共30日" in admin.locator("main").inner_text()
    admin.get_by_label(re.compile("确认发布")).check()
    admin.get_by_role("button", name="发布征求意见稿").click()
    assert "已发布" in admin.locator("main").inner_text()

    # -- a citizen reads the draft and comments on two clauses --------------------------------------------------
    receipts = []
    for clause, text in (("2", SCOPE_COMMENT), ("4", DATE_COMMENT)):
        citizen.goto(f"{base}/")
        citizen.get_by_role("link", name=re.compile("天津市跨境电商企业认定办法")).first.click()
        assert "为做好跨境电商企业认定工作，我局起草了" in citizen.locator("body").inner_text()
        citizen.locator(f'[id="clause-{clause}"]').get_by_role("link", name=re.compile("对此条提意见")).first.click()
        send_comment_form(citizen, text, submitter="企业", name="天津某某跨境电商有限公司", contact="13800001111")
        citizen.get_by_role("heading", name="您的意见已提交").wait_for()
        receipts.append(citizen.locator("#receipt-code").inner_text().strip())

    # -- the window closes; the admin runs the analysis as a job and watches it --------------------------------
    clock.set(beijing(2024, 10, 31, 9, 0, 0))
    admin_context.close()  # the staff session has long expired: log in again
    admin_context, admin = log_in(browser, base, "chu_admin", "Dianshang-2024")
    open_consultation(admin, "天津市跨境电商企业认定办法")
    admin.get_by_role("link", name="分组与归纳").click()
    assert "尚未运行聚类分析。现有 2 条意见" in admin.locator("main").inner_text()
    admin.get_by_role("button", name="运行聚类分析").click()
    box = admin.locator(".job-box")
    assert "聚类分析排队中" in box.inner_text() and box.locator("progress").count() == 1
    admin.evaluate("window.notReloaded = true")

    reached, seen = threading.Event(), threading.Event()
    first_stage: list[tuple[str, int, int]] = []

    def hold_first_stage(stage: str, done: int, total: int) -> None:
        """The runner's progress callback: hold the job at its first stage until the page has shown it."""
        if not first_stage:
            first_stage.append((stage, done, total))
            reached.set()
            seen.wait(timeout=30)

    runner = threading.Thread(target=jobs.run_pending, args=(app,), kwargs={"idle": 0.0, "echo": hold_first_stage},
                              daemon=True)
    runner.start()
    assert reached.wait(timeout=30)
    stage, done, total = first_stage[0]
    admin.locator("[data-job-stage]", has_text=JOB_STAGES[stage]).wait_for()   # the stage, without a reload
    assert "聚类分析进行中" in box.inner_text()
    if total:
        assert admin.locator("[data-job-count]").inner_text() == f"{done}/{total}"
    assert admin.evaluate("window.notReloaded === true")
    seen.set()
    admin.get_by_text("分析完成").wait_for(timeout=30_000)      # the page reloaded itself to show the result
    runner.join(timeout=30)
    main = admin.locator("main").inner_text()
    assert "上次分析" in main and "2 条意见" in main and "共 2 个分组" in main

    # -- the 经办 (first login: a password of their own) decides both opinions -----------------------------------
    jingban_context, jingban = log_in(browser, base, "chu_jingban", jingban_once, "Jingban-2024-ok")
    open_consultation(jingban, "天津市跨境电商企业认定办法")
    jingban.get_by_role("link", name="分组与归纳").click()
    assert "运行聚类分析需要管理员权限" in jingban.locator("main").inner_text()
    groups_url = jingban.url
    jingban.locator("section", has_text="第二条").locator("tbody a").first.click()
    assert SCOPE_COMMENT in jingban.locator("main").inner_text()
    decide_in_browser(jingban, "建议明确适用范围包括外地企业在本市设立的分支机构。", "采纳", "已在第二条中补充分支机构。")
    jingban.goto(groups_url)
    jingban.locator("section", has_text="第四条").locator("tbody a").first.click()
    decide_in_browser(jingban, "建议设置三十日的施行准备期。", "未采纳", NOT_ADOPTED)

    # -- the admin uploads the revised draft: its 修改对照表 cites the adopted opinion ---------------------------
    revised = tmp_path / "认定办法（送审稿）.docx"
    revised.write_bytes(REVISED)
    open_consultation(admin, "天津市跨境电商企业认定办法")
    admin.get_by_role("link", name="采纳情况反馈").first.click()
    admin.get_by_role("link", name="上传修改后的草案（送审稿）").click()
    admin.get_by_label(re.compile("修改后的草案")).set_input_files(str(revised))
    admin.get_by_role("button", name="上传", exact=True).click()
    main = admin.locator("main").inner_text()
    assert "已上传第2版草案（送审稿）：1条修改、0条新增、0条删除" in main
    assert "1 项修正已同样应用于送审稿" in main                 # the parser misread it as it misread the draft
    table = admin.locator(".revision-preview")
    assert "分支机构" in table.locator("ins").first.inner_text() and "意见1" in table.inner_text()
    assert "（新增）" not in table.inner_text()

    # -- the 经办 submits, the 审核 approves, the admin publishes -----------------------------------------------
    jingban.get_by_role("link", name="征求意见", exact=True).click()
    open_consultation(jingban, "天津市跨境电商企业认定办法")
    jingban.get_by_role("link", name="采纳情况反馈").first.click()
    preview = jingban.locator("main").inner_text()
    assert "发布前检查" in preview and "修改对照表" in preview
    jingban.get_by_label(re.compile("我已核对预览")).check()
    jingban.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in jingban.locator("#report-state").inner_text()
    assert "chu_jingban" in jingban.locator("main").inner_text()

    shenhe_context, shenhe = log_in(browser, base, "chu_shenhe", shenhe_once, "Shenhe-2024-ok")
    open_consultation(shenhe, "天津市跨境电商企业认定办法")
    shenhe.get_by_role("link", name="采纳情况反馈").first.click()
    assert NOT_ADOPTED in shenhe.locator("main").inner_text()
    shenhe.get_by_role("button", name="审核通过").click()
    assert "审核通过" in shenhe.locator("#report-state").inner_text()

    admin.get_by_role("link", name="← 采纳情况反馈").click()
    state = admin.locator("#report-state").inner_text()
    assert "审核通过" in state
    admin.get_by_label(re.compile("确认签发发布")).check()
    admin.get_by_role("button", name=re.compile("^签发发布第1版")).click()
    assert "已签发发布第1版" in admin.locator("main").inner_text()

    # -- the public page: notice, footer, 原文下载, the report and its 修改对照表 --------------------------------
    citizen.goto(f"{base}/")
    citizen.get_by_role("link", name=re.compile("天津市跨境电商企业认定办法")).first.click()
    text = citizen.locator("body").inner_text()
    assert "为做好跨境电商企业认定工作，我局起草了" in text                       # the 公告
    assert "dianshang@example.gov.cn" in text and "邮编：300201" in text
    footer = citizen.locator("footer").inner_text()
    assert "主办单位：天津市商务局" in footer and "网站标识码：1200000035" in footer and "天津市商务局电商处" in footer
    assert "1.本条第一款所称企业" in citizen.locator('[id="clause-3"]').inner_text()   # the fix is what the public reads
    with citizen.expect_download() as info:
        citizen.get_by_role("link", name=re.compile("征求意见稿原文")).click()
    assert info.value.suggested_filename.endswith(".docx") and Path(info.value.path()).read_bytes() == WORD

    citizen.get_by_role("link", name=re.compile("采纳情况反馈")).first.click()
    report = citizen.locator("body").inner_text()
    assert "天津市跨境电商企业认定办法" in report and "采纳情况的反馈" in report
    assert "建议明确适用范围包括外地企业在本市设立的分支机构" in report and NOT_ADOPTED in report
    assert "13800001111" not in report and "天津某某跨境电商有限公司" not in report
    assert "修改对照表" in report
    comparison = citizen.locator("table", has_text="征求意见稿原文")
    assert "分支机构" in comparison.locator("ins").first.inner_text() and "意见1" in comparison.inner_text()
    footer = citizen.locator("footer").inner_text()
    assert "天津市商务局电商处" in footer

    for code, decision in zip(receipts, ("采纳", "未采纳"), strict=True):
        citizen.goto(f"{base}/receipt")
        citizen.get_by_label("回执编号").fill(code)
        citizen.get_by_role("button", name="查询").click()
        assert decision in citizen.locator("main").inner_text()

    for page in (admin, jingban, shenhe):
        assert not page.errors, page.errors
    for context in (admin_context, jingban_context, shenhe_context, citizen_context):
        context.close()
