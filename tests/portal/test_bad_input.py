"""Issue 8 item 6: clean answers to bad input (unknown pages, invisible text, consent, dates, encodings, NUL)."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest

from comment_portal.db import get_db, scalar
from comment_portal.sanitize import clean_text, visible_length
from tests.helpers import comment_data, csrf_token, form_tokens, post_comment, staff_post


def stored(app) -> int:
    with app.app_context():
        return scalar(get_db(), "SELECT count(*) FROM comments")


# -- POSTs to pages that do not exist ------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/c/no-such-draft/comment", "/c/no-such-draft/comment/3.3.12",
                                 "/c/seed/comment/99.99", "/c/seed/comment/%00"])
def test_post_to_unknown_consultation_or_clause_is_404_with_or_without_a_token(app, client, seeded, url):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a 500 must show as a 500 here, not as a raised exception
    without = client.post(url, data={"body": "建议加强监管力度。"})
    assert without.status_code == 404, without.status_code
    assert "页面不存在" in without.get_data(as_text=True)
    token = csrf_token(client, "/c/seed/comment")
    assert client.post(url, data=comment_data(token)).status_code == 404
    assert stored(app) == 0


def test_unknown_consultation_post_writes_no_traceback(app, client, seeded, caplog):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level("ERROR"):
        client.post("/c/no-such-draft/comment", data={"body": "x"})
    assert not [r for r in caplog.records if r.exc_info], "a 404 must not log a traceback"


# -- invisible text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    "\u200d" * 12,                     # zero-width joiners
    "\u202e" * 12,                     # right-to-left overrides
    "\u0301\u0302\u0303\u0304\u0305\u0306\u0307",  # combining marks with nothing to combine with
    "\u200c\u2060\u200d\u034f" * 4,    # ZWNJ, word joiner, ZWJ, combining grapheme joiner
    "好\u200d\u200d\u200d\u200d\u200d\u200d",  # one visible character padded to seven
    "\u3000\u3000\u00a0\u2002\u200d\u200d",  # ideographic / no-break / en spaces
])
def test_body_made_of_invisible_characters_is_too_short(app, client, seeded, body):
    response = post_comment(client, body=body)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "意见内容需在5至5000字之间" in text or "请填写意见内容" in text
    assert stored(app) == 0


def test_visible_length_counts_what_a_reader_sees():
    assert visible_length("建议\u200d加强\u0301") == 4
    assert visible_length("👨\u200d👩\u200d👧") == 3  # an emoji family still shows (and counts) its people
    assert visible_length("") == visible_length(None) == 0


@pytest.mark.parametrize("typed, kept", [
    ("电话\u202e8765-4321\u202c请联系", "电话8765-4321请联系"),   # RLO … PDF
    ("\u202a\u202b\u202d左右\u202c", "左右"),
    ("\u2066号码\u2069\u2067\u2068", "号码"),                      # isolates
    ("跨境\u00ad电商", "跨境电商"),                                 # soft hyphen
])
def test_bidi_controls_and_soft_hyphens_are_removed(typed, kept):
    assert clean_text(typed) == kept


def test_bidi_override_is_not_stored_from_the_form(app, client, seeded):
    assert post_comment(client, body="建议简化\u202e流程\u202c，提高效率。").status_code == 303
    with app.app_context():
        assert scalar(get_db(), "SELECT body FROM comments") == "建议简化流程，提高效率。"


# -- consent -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "no", "off", "on", "1", "true", "Y", " y"])
def test_consent_counts_only_with_the_checkbox_value(app, client, seeded, value):
    response = post_comment(client, consent=value)
    assert response.status_code == 400
    assert "请阅读并勾选同意个人信息处理说明" in response.get_data(as_text=True)
    assert stored(app) == 0


def test_consent_with_the_checkbox_value_is_accepted(app, client, seeded):
    assert post_comment(client, consent="y").status_code == 303
    assert stored(app) == 1


# -- staff entry: date received ------------------------------------------------------------------------------


def _enter(client, received_on: str):
    url = "/staff/c/seed/enter"
    return staff_post(client, url, {"body": "来信建议明确海外仓认定标准。", "clause": "__whole__", "channel": "letter",
                                    "received_on": received_on, "submitter_type": "个人", "save": "1"}, form_url=url)


@pytest.mark.parametrize("day", ["2014-09-28", "1900-01-01", "2024-08-25"])
def test_staff_entry_date_before_publication_minus_30_days_is_refused(app, seeded, reviewer_client, day):
    response = _enter(reviewer_client, day)
    assert response.status_code == 400
    assert "早于征求意见稿发布前30天（2024-08-26）" in response.get_data(as_text=True)
    assert stored(app) == 0


@pytest.mark.parametrize("day", ["2024-08-26", "2024-09-24", "2024-10-01"])
def test_staff_entry_date_within_bounds_is_accepted(app, seeded, reviewer_client, day):
    assert _enter(reviewer_client, day).status_code == 303
    assert stored(app) == 1


def test_import_refuses_the_same_implausible_dates(app, seeded, admin_client):
    import io

    csv_text = ("意见内容,收到日期\n"
                "建议明确海外仓认定标准。,2014-10-08\n"
                "建议加强跨境电商人才培养。,2024-10-01\n").encode()
    url = "/staff/c/seed/import"
    response = staff_post(admin_client, url, {"file": (io.BytesIO(csv_text), "letters.csv")}, form_url=url,
                          content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "第2行" in text and "早于征求意见稿发布前30天" in text
    assert stored(app) == 1


# -- encodings -----------------------------------------------------------------------------------------------


def _raw_post(client, url: str, fields: dict[str, bytes]):
    body = b"&".join(key.encode() + b"=" + quote_from_bytes(value).encode() for key, value in fields.items())
    return client.post(url, data=body, content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("encoding", ["gbk", "big5", "latin-1"])
def test_a_form_post_that_is_not_utf8_is_refused_never_stored_as_percent_escapes(app, client, seeded, encoding):
    token = csrf_token(client, "/c/seed/comment")
    text = {"gbk": "建议加强监管", "big5": "建議加強監管", "latin-1": "Vorschläge für Händler"}[encoding]
    response = _raw_post(client, "/c/seed/comment", {
        "csrf_token": token.encode(), "body": text.encode(encoding), "submitter_type": "个人".encode(),
        "consent": b"y", "website": b""})
    assert response.status_code == 400
    assert "不是 UTF-8 编码" in response.get_data(as_text=True)
    assert stored(app) == 0


def test_the_same_post_in_utf8_is_stored_as_typed(app, client, seeded):
    token, form_token = form_tokens(client, "/c/seed/comment")
    response = _raw_post(client, "/c/seed/comment", {
        "csrf_token": token.encode(), "form_token": form_token.encode(), "body": "建议加强监管，100%落实。".encode(), "submitter_type": "个人".encode(),
        "consent": b"y", "website": b""})
    assert response.status_code == 303
    with app.app_context():
        assert scalar(get_db(), "SELECT body FROM comments") == "建议加强监管，100%落实。"


def _multipart_post(client, url: str, fields: dict[str, bytes]):
    """A multipart body built by hand, so a field can carry bytes in any encoding (as a script would)."""
    boundary = b"----portal-test-boundary"
    parts = [b"--" + boundary + b'\r\nContent-Disposition: form-data; name="' + key.encode() + b'"\r\n\r\n' + value
             for key, value in fields.items()]
    body = b"\r\n".join(parts) + b"\r\n--" + boundary + b"--\r\n"
    return client.post(url, data=body, content_type="multipart/form-data; boundary=" + boundary.decode())


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_multipart_text_fields_must_be_utf8_too(app, client, seeded, encoding):
    """Werkzeug decodes multipart fields with replacement characters: the comment would be stored as
    U+FFFD where the person typed 汉字. It is refused instead; the same post in UTF-8 is stored as typed."""
    token, form_token = form_tokens(client, "/c/seed/comment")
    response = _multipart_post(client, "/c/seed/comment", {
        "csrf_token": token.encode(), "form_token": form_token.encode(), "body": "建议加强监管".encode(encoding),
        "submitter_type": "个人".encode(), "consent": b"y", "website": b""})
    if encoding == "gbk":
        assert response.status_code == 400 and "不是 UTF-8 编码" in response.get_data(as_text=True)
        assert stored(app) == 0
    else:
        assert response.status_code == 303
        with app.app_context():
            assert scalar(get_db(), "SELECT body FROM comments") == "建议加强监管"


def test_a_staff_form_post_that_is_not_utf8_is_refused(app, seeded, reviewer_client):
    token = csrf_token(reviewer_client, "/staff/c/seed/enter")
    response = _raw_post(reviewer_client, "/staff/c/seed/enter", {
        "csrf_token": token.encode(), "body": "来信建议明确海外仓认定标准。".encode("gb18030"), "clause": b"__whole__",
        "channel": b"letter", "received_on": b"2024-10-01", "submitter_type": "个人".encode(), "save": b"1"})
    assert response.status_code == 400 and stored(app) == 0


# -- NUL in the queue search ---------------------------------------------------------------------------------


def test_nul_in_the_queue_search_is_harmless(app, client, seeded, reviewer_client):
    post_comment(client, body="建议对海外仓建设给予补贴。")
    response = reviewer_client.get("/staff/c/seed/queue?q=%E6%B5%B7%E5%A4%96%00%E4%BB%93")  # 海外\0仓
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "\x00" not in page
    assert "建议对海外仓建设给予补贴" in page  # searched as 海外仓: the NUL is dropped, not matched
