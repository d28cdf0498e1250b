"""Staff pages on a phone (390 px: no horizontal scrolling on the queue and group pages) and a background job's
progress bar, updated in place by static/jobs.js without reloading the page, in Debian's chromium."""

from __future__ import annotations

import pytest

from comment_portal import jobs, store
from comment_portal.db import get_db
from tests.helpers import browser_login, comment, console_errors, make_staff, run_analysis, seed_comments

pytestmark = pytest.mark.browser

WIDE = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _login(browser, live_server, width: int):
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    errors = console_errors(page)
    browser_login(page, live_server, "admin1", "Admin-pass-2024", by_keyboard=True)
    return context, page, errors


def test_queue_and_group_pages_fit_a_phone(app, browser, live_server):
    ids = seed_comments(app)
    run_analysis(app)
    make_staff(app, "admin1", "admin", "Admin-pass-2024")
    context, page, errors = _login(browser, live_server, 390)
    gid = comment(app, ids["campaign"][0])["group_id"]
    for path in ("queue", "groups", f"groups/{gid}", f"comments/{ids['overseas'][0]}"):
        page.goto(f"{live_server}/staff/c/seed/{path}")
        overflow = page.evaluate(WIDE)
        culprits = page.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > "
                                 "document.documentElement.clientWidth + 1).slice(0, 8).map(e => e.tagName + '.' + "
                                 "e.className + ' ' + Math.round(e.getBoundingClientRect().right))")
        assert overflow <= 0, (path, overflow, culprits)
    # The stacked rows still name their columns.
    page.goto(f"{live_server}/staff/c/seed/queue")
    label = page.evaluate("getComputedStyle(document.querySelector('td[data-label=\"状态\"]'), '::before').content")
    assert "状态" in label
    assert not errors, errors
    context.close()


def test_progress_updates_in_place_then_the_page_shows_the_result(app, browser, live_server):
    app.config["JOBS_RUNNER"] = "off"  # the test plays the job runner
    seed_comments(app)
    make_staff(app, "admin1", "admin", "Admin-pass-2024")
    context, page, errors = _login(browser, live_server, 1280)
    page.goto(f"{live_server}/staff/c/seed/groups")
    page.get_by_role("button", name="运行聚类分析").click()
    page.get_by_text("聚类分析排队中").wait_for()
    page.evaluate("window.notReloaded = true")
    with app.app_context():
        db = get_db()
        job = store.jobs.claim_next(db, pid=0, now=app.extensions["clock"].now())
        assert job is not None
        store.jobs.set_progress(db, job.id, "save", 3, 10, now=app.extensions["clock"].now())
    page.locator("[data-job-stage]", has_text="保存分组").wait_for()
    assert page.locator("[data-job-count]").inner_text() == "3/10"
    assert page.locator("[data-job-state]").inner_text() == "进行中"  # no longer 排队中 once the runner took it
    assert page.evaluate("document.querySelector('.job-box progress').value") == 3
    assert page.evaluate("window.notReloaded === true")  # updated in place
    with app.app_context():
        jobs.run_job(app, get_db(), job)
    page.get_by_text("分析完成").wait_for(timeout=15_000)  # the page reloaded itself to show the result
    assert page.evaluate("window.notReloaded === undefined")
    assert page.locator("[data-job-status]").count() == 0
    assert not errors, errors
    context.close()
