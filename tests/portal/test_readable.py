"""Readable for everyone: the 大字版 switch (a plain link, no JavaScript needed) and error summaries that
link to the fields they name."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.helpers import csrf_token


def html_class(page: str) -> str:
    return re.search(r"<html([^>]*)>", page).group(1)


def test_large_text_link_sets_cookie_and_returns_to_the_page(client, seeded):
    page = client.get("/c/seed").get_data(as_text=True)
    assert 'lang="zh-CN"' in html_class(page) and "large-text" not in html_class(page)
    link = re.search(r'<a class="text-size" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert link.groups() == ("/text-size/large", "大字版")

    response = client.get(link.group(1), headers={"Referer": "http://localhost/c/seed/comment/3.3.12?x=1"})
    assert response.status_code == 303 and response.headers["Location"] == "/c/seed/comment/3.3.12?x=1"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("text_size=large;") and "Max-Age=31536000" in cookie and "SameSite=Lax" in cookie

    large = client.get("/c/seed").get_data(as_text=True)
    assert 'class="large-text"' in html_class(large)
    assert re.search(r'<a class="text-size" href="/text-size/standard"[^>]*>标准字号</a>', large)
    for url in ["/", "/c/seed/comment", "/receipt"]:
        assert 'class="large-text"' in html_class(client.get(url).get_data(as_text=True)), url

    back = client.get("/text-size/standard", headers={"Referer": "http://localhost/receipt"})
    assert back.headers["Location"] == "/receipt" and "text_size=;" in back.headers["Set-Cookie"]
    assert "large-text" not in html_class(client.get("/c/seed").get_data(as_text=True))


def test_large_text_and_standard_pages_have_their_own_etags(client, seeded):
    standard = client.get("/c/seed", headers={"Accept-Encoding": "gzip"})
    client.get("/text-size/large")
    large = client.get("/c/seed", headers={"Accept-Encoding": "gzip", "If-None-Match": standard.headers["ETag"]})
    assert large.status_code == 200 and large.headers["ETag"] != standard.headers["ETag"]


def test_large_text_switch_never_leaves_the_site(client, seeded):
    for referer in [None, "https://evil.example/c/seed", "http://localhost//evil.example/x",
                    "http://localhost/\\evil.example", "not a url"]:
        headers = {"Referer": referer} if referer else {}
        response = client.get("/text-size/large", headers=headers)
        assert response.status_code == 303 and response.headers["Location"] == "/", referer
    assert client.get("/text-size/huge").status_code == 404


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summary_links: list[str] = []
        self._in_summary = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if "error-summary" in (attrs.get("class") or ""):
            self._in_summary = 1
        if self._in_summary and tag == "a":
            self.summary_links.append(attrs["href"])


def summary_targets(page: str) -> tuple[list[str], set[str]]:
    parser = Ids()
    parser.feed(page)
    return [href.lstrip("#") for href in parser.summary_links], parser.ids


def test_comment_form_errors_are_summarised_at_the_top_with_links(client, seeded):
    token = csrf_token(client, "/c/seed/comment")
    response = client.post("/c/seed/comment", data={"csrf_token": token, "body": "太短"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert page.index('class="error-summary"') < page.index("<form")
    targets, ids = summary_targets(page)
    assert "body" in targets and "consent" in targets
    assert set(targets) <= ids  # every link lands on a field of the page
    assert "意见内容：" in page and "提交未成功，请修改以下" in page
    assert "太短</textarea>" in page  # nothing typed is lost


def test_receipt_lookup_error_is_summarised_and_linked(client, seeded):
    token = csrf_token(client, "/receipt")
    page = client.post("/receipt", data={"csrf_token": token, "code": "ZZZZ-ZZZZ-ZZZZ"}).get_data(as_text=True)
    targets, ids = summary_targets(page)
    assert targets == ["code"] and "code" in ids
    assert "未找到该回执编号" in page[page.index("error-summary"):page.index("<form")]
    assert "error-summary" not in client.get("/receipt").get_data(as_text=True)
