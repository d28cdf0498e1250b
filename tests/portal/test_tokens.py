"""Stored tokens are made with the consultation's own vocabulary, as the analysis would make them."""

from __future__ import annotations

import json

from comment_portal.db import get_db, one
from comment_portal.store import consultations as consultation_q
from tests.helpers import post_comment


def test_web_comment_tokens_use_the_drafts_terms(app, client, seeded):
    assert post_comment(client, key="3.1.3", body="建议推动“跨境电商+产业带”融合发展时优先考虑海外仓建设。").status_code == 303
    with app.app_context():
        tokens = json.loads(one(get_db(), "SELECT tokens FROM comments")["tokens"])
        consultation = consultation_q.get_by_slug(get_db(), "seed")
    assert "海外仓" in tokens  # one token: a term of the seed draft, not 海外 + 仓
    from analysis import default_tokenizer, terms_from_draft

    assert "海外仓" in terms_from_draft(consultation_q.load_draft(consultation))
    assert "海外仓" not in default_tokenizer().tokenize("优先考虑海外仓建设")
