"""A company sends its position paper (issue 12): a .docx covering three clauses through the multi-clause
form gives one receipt listing three opinions; a disguised or oversized file is refused with the text kept."""

from __future__ import annotations

import re

import pytest

from tests.draft.builders import docx, p
from tests.helpers import console_errors, send_paper_as_company

pytestmark = pytest.mark.browser

OPINIONS = {
    "12.创新外汇管理服务": "建议明确跨境电商外汇结算的办理时限，便利中小企业收汇。",
    "14.完善国际物流服务体系": "建议对企业租用海外仓给予租金补贴，降低物流成本。",
    "16.打造多层次跨境电商人才队伍": "建议支持高校与企业共建跨境电商实训基地。",
}


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
                         ids=["desktop", "phone"])
def test_a_company_sends_a_position_paper_on_three_clauses(browser, live_server, viewport, tmp_path):
    paper = tmp_path / "天津某某公司关于三年倍增计划的意见.docx"
    paper.write_bytes(docx([p("关于外汇结算、海外仓和人才培养的意见"), *(p(t) for t in OPINIONS.values())]))
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{live_server}/c/seed/comment")
    page.get_by_role("link", name="一次填写多个条款的意见").click()
    page.get_by_role("heading", name="对多个条款提意见").wait_for()
    for citation, text in OPINIONS.items():
        box = page.locator("details.clause-box", has=page.locator("summary", has_text=citation)).first
        box.locator("summary").first.click()
        box.get_by_label("意见内容").fill(text)
    if viewport["width"] == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    send_paper_as_company(page, paper, "提交全部意见")
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){2}", code)
    parts = page.locator("ol.receipt-parts > li")
    assert parts.count() == 3
    for n, (citation, text) in enumerate(OPINIONS.items()):
        assert citation in parts.nth(n).inner_text() and text in parts.nth(n).inner_text()
    assert paper.name in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载回执（PDF）").click()
    saved = tmp_path / "receipt.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-") and download.value.suggested_filename == f"回执-{code}.pdf"
    assert not errors, errors
    context.close()


def test_a_disguised_or_oversized_file_is_refused_with_the_text_kept(app, browser, live_server, tmp_path):
    program = tmp_path / "意见.pdf"
    program.write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 4096)  # a Windows program renamed .pdf
    text = "建议简化跨境电商零售出口的退税手续，缩短退税时间。"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/c/seed/comment/3.3.11")
    page.get_by_label("意见内容").fill(text)
    page.get_by_label("附件（选填）").set_input_files(str(program))
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    page.get_by_role("alert").first.wait_for()
    errors = page.locator(".attachments .errors").inner_text()
    assert "可执行程序" in errors and "重新选择" in errors
    assert page.get_by_label("意见内容").input_value() == text

    app.config["ATTACHMENT_MAX_BYTES"] = 4000
    big = tmp_path / "数据表.pdf"
    from tests.draft.builders import text_pdf

    big.write_bytes(text_pdf("\n".join([text] * 100)))
    page.get_by_label("附件（选填）").set_input_files(str(big))
    page.get_by_label("我已阅读并同意上述个人信息处理说明").check()
    page.get_by_role("button", name="提交意见").click()
    page.get_by_role("alert").first.wait_for()
    assert "文件过大" in page.locator(".attachments .errors").inner_text()
    assert page.get_by_label("意见内容").input_value() == text
    context.close()
