"""One idempotency token per load of the comment form.

The token travels in a hidden field and is stored with the comment (``comments.form_token``, unique):
the same form sent twice gets the first receipt, while two people who send the same words from the same
address have two form loads, two tokens, two comments.

A token is ``NONCE.SIGNATURE``: 128 random bits and an HMAC over the nonce and the form's place
(consultation and clause). Only the nonce is stored. The signature means a token must come from a form
this portal served for that place, so a client cannot mint tokens (a bot that never loads the form
has none) nor move one form's token to another clause.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_NONCE_BYTES = 16
_SIGNATURE_BYTES = 16


#: What a token is for: the public comment forms, or staff's 录入 form (a token of one is not valid for the other).
COMMENT_FORM = "comment-form"
STAFF_ENTRY = "staff-entry"


def _signature(secret: str | bytes, slug: str, clause_key: str | None, nonce: str, purpose: str) -> str:
    key = secret.encode() if isinstance(secret, str) else secret
    message = f"{purpose}\0{slug}\0{clause_key or ''}\0{nonce}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def issue(secret: str | bytes, slug: str, clause_key: str | None, purpose: str = COMMENT_FORM) -> str:
    """A fresh token for one load of the form on ``slug`` (and ``clause_key``, None: the whole draft)."""
    nonce = secrets.token_urlsafe(_NONCE_BYTES)
    return f"{nonce}.{_signature(secret, slug, clause_key, nonce, purpose)}"


def for_page(secret: str | bytes, slug: str, clause_key: str | None, posted: str | None,
             purpose: str = COMMENT_FORM) -> str:
    """The token a form page carries: the one it was posted with while that is valid (nothing was stored
    with it, or this would be a receipt, not the form again), else a fresh one."""
    if posted and verify(secret, slug, clause_key, posted, purpose):
        return posted
    return issue(secret, slug, clause_key, purpose)


def verify(secret: str | bytes, slug: str, clause_key: str | None, token: str | None,
           purpose: str = COMMENT_FORM) -> str | None:
    """The nonce to store when ``token`` was issued for this form; None when it is absent or forged."""
    if not token or len(token) > 100 or token.count(".") != 1:
        return None
    nonce, signature = token.split(".")
    if not nonce or not hmac.compare_digest(signature, _signature(secret, slug, clause_key, nonce, purpose)):
        return None
    return nonce
