"""comment_portal."""
