"""The one error the draft package raises; its message is user-facing Chinese, one line."""


class DraftError(ValueError):
    """A draft could not be read or parsed (empty, missing, unreadable, undecodable, unsupported)."""
