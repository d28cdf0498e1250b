"""Light on a phone network: the draft page compressed once (gzip, brotli) with ETag/Last-Modified and 304
answers; static files under fingerprinted names, cached for a year, outdated names never served."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli
import pytest

from comment_portal import assets
from tests.helpers import add_comment

STATIC = Path(__file__).resolve().parents[2] / "comment_portal" / "static"


def get(client, url: str, encoding: str | None = None, **headers):
    if encoding is not None:
        headers["Accept-Encoding"] = encoding
    return client.get(url, headers=headers)


def decoded(response) -> bytes:
    body = response.get_data()
    return {"gzip": gzip.decompress, "br": brotli.decompress}.get(response.headers.get("Content-Encoding"),
                                                                   lambda b: b)(body)


def test_draft_page_compressed_bytes_are_the_page(client, seeded):
    plain = get(client, "/c/seed", "identity")
    assert "Content-Encoding" not in plain.headers
    page = plain.get_data()
    assert "跨境电子商务".encode() in page and len(page) > 40_000
    for accept, chosen in [("gzip", "gzip"), ("br", "br"), ("gzip, deflate, br, zstd", "br"),
                           ("br;q=0, gzip", "gzip"), ("*", "br"), ("deflate", None)]:
        response = get(client, "/c/seed", accept)
        assert response.headers.get("Content-Encoding") == chosen, accept
        assert decoded(response) == page
        assert int(response.headers["Content-Length"]) == len(response.get_data())
        assert {"Accept-Encoding", "Cookie"} <= set(response.vary)
    assert len(get(client, "/c/seed", "br").get_data()) < 15_000
    assert len(get(client, "/c/seed", "gzip").get_data()) < 15_000


def test_draft_page_is_compressed_once_per_state(app, client, seeded, monkeypatch):
    from comment_portal import caching

    calls = []
    real = caching.gzip.compress
    monkeypatch.setattr(caching.gzip, "compress", lambda *a, **k: calls.append(1) or real(*a, **k))
    for _ in range(3):
        get(client, "/c/seed", "gzip")
    assert len(calls) == 1
    add_comment(app, "新的一条意见，改变了条款的意见数。", "3.3.12")
    get(client, "/c/seed", "gzip")
    assert len(calls) == 2


def test_matching_etag_gets_304_until_the_page_changes(app, client, seeded):
    first = get(client, "/c/seed", "gzip")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["Last-Modified"]
    again = get(client, "/c/seed", "gzip", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag
    since = get(client, "/c/seed", "gzip", **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    # Each encoding is its own representation with its own ETag.
    assert get(client, "/c/seed", "identity", **{"If-None-Match": etag}).status_code == 200
    assert get(client, "/c/seed", "identity").headers["ETag"] != etag

    add_comment(app, "建议补充海外仓认定标准，便于企业申报。", "3.3.10")
    changed = get(client, "/c/seed", "gzip", **{"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "意见 1 条" in decoded(changed).decode()


def test_other_pages_are_not_cached_as_the_draft_page(client, seeded):
    """Per-visitor pages (a form with its tokens) keep no validators; receipts stay no-store."""
    form = get(client, "/c/seed/comment", "gzip")
    assert "ETag" not in form.headers and "Content-Encoding" not in form.headers
    assert get(client, "/receipt").headers["Cache-Control"] == "no-store"


def stylesheet_url(client) -> str:
    page = get(client, "/c/seed", "identity").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)


def test_static_files_have_fingerprinted_names_and_long_cache(client, seeded):
    css = (STATIC / "portal.css").read_bytes()
    url = stylesheet_url(client)
    assert url == f"/static/portal.{hashlib.sha256(css).hexdigest()[:10]}.css"
    response = get(client, url, "identity")
    assert response.status_code == 200 and response.get_data() == css
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.mimetype == "text/css"
    packed = get(client, url, "gzip, br")
    assert packed.headers["Content-Encoding"] == "br" and decoded(packed) == css
    script = re.search(r'<script src="([^"]+)"', get(client, "/c/seed").get_data(as_text=True)).group(1)
    assert re.fullmatch(r"/static/portal\.[0-9a-f]{10}\.js", script)
    assert get(client, script).headers["Cache-Control"].endswith("immutable")


def test_plain_and_outdated_static_names_are_never_kept_stale(client, seeded):
    plain = get(client, "/static/portal.css", "identity")
    assert plain.status_code == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert get(client, "/static/portal.0123456789.css").status_code == 404
    assert get(client, "/static/nothing.css").status_code == 404


def test_a_changed_file_gets_a_new_name_and_the_old_one_is_gone(app, tmp_path):
    """In debug mode a changed file is picked up at once: the old fingerprint answers 404."""
    (tmp_path / "site.css").write_text("body { color: #111; }")
    app.static_folder = str(tmp_path)
    app.debug = True
    app.extensions["assets"] = assets.build(tmp_path)
    client = app.test_client()
    with app.test_request_context():
        from flask import url_for

        old = url_for("static", filename="site.css")
    assert client.get(old).get_data() == b"body { color: #111; }"

    (tmp_path / "site.css").write_text("body { color: #000000; }")
    with app.test_request_context():
        new = url_for("static", filename="site.css")
    assert new != old
    assert client.get(old).status_code == 404
    response = client.get(new)
    assert response.get_data() == b"body { color: #000000; }" and "immutable" in response.headers["Cache-Control"]


@pytest.mark.parametrize("name", ["portal.css", "staff.css", "portal.js"])
def test_every_template_asks_for_fingerprinted_static_files(app, name):
    with app.test_request_context():
        from flask import url_for

        assert re.fullmatch(rf"/static/{name.split('.')[0]}\.[0-9a-f]{{10}}\.{name.split('.')[1]}",
                            url_for("static", filename=name))
