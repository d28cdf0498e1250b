"""Automated accessibility checks: axe-core (bundled by axe-playwright-python) run inside the page on every
public page a citizen meets — home, draft, comment form (whole draft, one clause, several clauses, also with
errors), receipt (thanks, one opinion and several) and its lookup, the published feedback — plus the staff pages, at desktop width and at
390 px, in standard and 大字版 (large text). No serious or critical violation is allowed; the summary of
each page is printed (``pytest -s``) for the record."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.helpers import add_comment, decide, make_group, make_staff, publish

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BLOCKING = {"serious", "critical"}
TEXT = "建议将免于办理名录登记的金额标准由20万美元提高至50万美元，进一步便利小微企业。"


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def published(app, seeded, admin_client):
    """A decided, published 公众意见采纳情况反馈, so the feedback page and receipt outcomes exist."""
    cid = add_comment(app, TEXT, "3.3.12")
    gid = make_group(app, [cid], key="3.3.12", title="名录登记金额", summary="建议提高免于名录登记的金额标准。")
    decide(app, group=gid, category="部分采纳", reason="金额标准由国家外汇管理局统一规定，我们将积极争取试点。")
    assert publish(admin_client).status_code == 303
    return seeded


def check(axe, page, name: str, record: list[str]) -> None:
    """Run axe on the page as it is now; record its summary and fail on serious or critical violations."""
    page.wait_for_load_state("load")
    response = axe.run(page, options={"resultTypes": ["violations"]}).response
    impacts = Counter(v["impact"] for v in response["violations"])
    summary = (f"{name}: {len(response['passes'])} rules passed, "
               f"{len(response['incomplete'])} need review, violations: "
               + (", ".join(f"{impact} {impacts[impact]}" for impact in ("critical", "serious", "moderate", "minor")
                            if impacts[impact]) or "none")
               + "".join(f" [{v['id']}]" for v in response["violations"]))
    record.append(summary)
    print(summary)
    blocking = [v for v in response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, f"{name}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in blocking)


def public_pages(axe, page, base: str, label: str) -> list[str]:
    record: list[str] = []
    page.goto(f"{base}/")
    check(axe, page, f"home [{label}]", record)
    page.goto(f"{base}/c/seed")
    check(axe, page, f"draft [{label}]", record)
    page.goto(f"{base}/c/seed/comment")
    check(axe, page, f"comment form, whole draft [{label}]", record)
    page.get_by_role("button", name="提交意见").click()
    page.locator(".error-summary").wait_for()
    check(axe, page, f"comment form with errors [{label}]", record)
    page.goto(f"{base}/c/seed/comment/3.3.12")
    check(axe, page, f"comment form, clause 12 [{label}]", record)
    page.get_by_label("意见内容").fill(TEXT)
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    page.get_by_role("heading", name="您的意见已提交").wait_for()
    check(axe, page, f"receipt (thanks) [{label}]", record)
    code = page.locator("#receipt-code").inner_text().strip()
    page.goto(f"{base}/receipt")
    page.get_by_label("回执编号").fill(code)
    page.get_by_role("button", name="查询").click()
    page.locator(".receipt-result").wait_for()
    check(axe, page, f"receipt lookup [{label}]", record)
    page.get_by_label("回执编号").fill("not-a-code")
    page.get_by_role("button", name="查询").click()
    page.locator(".error-summary").wait_for()
    check(axe, page, f"receipt lookup with error [{label}]", record)
    page.goto(f"{base}/c/seed/comment-many")
    check(axe, page, f"comment form, several clauses [{label}]", record)
    for citation, text in (("12.创新外汇管理服务", TEXT), ("14.完善国际物流服务体系", "短")):
        box = page.locator("details.clause-box", has=page.locator("summary", has_text=citation)).first
        box.locator("summary").first.click()
        box.get_by_label("意见内容").fill(text)
    page.get_by_role("button", name="提交全部意见").click()
    page.locator(".error-summary").wait_for()
    check(axe, page, f"comment form, several clauses, with errors [{label}]", record)
    page.locator("details.clause-box", has=page.locator("summary", has_text="14.完善国际物流服务体系")).first \
        .get_by_label("意见内容").fill("建议对企业租用海外仓给予租金补贴，降低物流成本。")
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交全部意见").click()
    page.get_by_role("heading", name="您的意见已提交").wait_for()
    assert page.locator("ol.receipt-parts > li").count() == 2
    check(axe, page, f"receipt of several opinions [{label}]", record)
    page.goto(f"{base}/c/seed/feedback")
    check(axe, page, f"feedback [{label}]", record)
    return record


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_public_pages_have_no_serious_violations(browser, live_server, published, axe, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    record = public_pages(axe, page, live_server, f"{viewport['width']}px")
    assert len(record) == 12
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_public_pages_in_large_text_have_no_serious_violations(browser, live_server, published, axe, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/c/seed")
    page.get_by_role("link", name="大字版").first.click()
    assert "large-text" in (page.locator("html").get_attribute("class") or "")
    record = public_pages(axe, page, live_server, f"{viewport['width']}px 大字版")
    assert len(record) == 12
    if viewport["width"] == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_staff_pages_have_no_serious_violations(app, browser, live_server, seeded, axe, viewport):
    admin = make_staff(app, "a11y_admin", "admin", "Dianshang-2024")
    cid = add_comment(app, TEXT, "3.3.12")
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    record: list[str] = []
    page.goto(f"{live_server}/staff/login")
    check(axe, page, f"staff login [{viewport['width']}px]", record)
    page.get_by_label("用户名").fill(admin["username"])
    page.get_by_label("密码").fill(admin["password"])
    page.get_by_role("button", name="登录").click()
    for path, name in [("/staff/", "staff home"), ("/staff/c/seed/", "staff dashboard"),
                       ("/staff/c/seed/queue", "staff queue"), ("/staff/c/seed/groups", "staff groups"),
                       ("/staff/c/seed/report", "staff report preview"),
                       (f"/staff/c/seed/comments/{cid}", "staff comment")]:
        page.goto(f"{live_server}{path}")
        check(axe, page, f"{name} [{viewport['width']}px]", record)
    context.close()
