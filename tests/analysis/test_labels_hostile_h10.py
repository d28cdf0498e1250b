"""Group titles leave out what redaction masks, in the forms the independent hostile set (h10) wrote them."""

from __future__ import annotations

import pytest

from analysis.labels import readable_title
from tests.exports.redaction_corpus import flatten


@pytest.mark.parametrize(("text", "secret"), [
    ("我的车牌津A·12345经常在东疆港排队。", "津A12345"),
    ("车牌号 津 B 9X7Z8，通关太慢。", "津B9X7Z8"),
])
def test_title_leaves_out_personal_data(text: str, secret: str) -> None:
    title = readable_title(text)
    assert flatten(secret) not in flatten(title), title
