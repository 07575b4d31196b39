"""Comparing pages for what they betray (R12): two answers that must look the same, but for the tokens
every response has afresh."""

from __future__ import annotations

import re

# The CSP nonce, the CSRF token in htmx's headers and in forms: new in every response.
_TOKENS = re.compile(r'(nonce="|X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*')


def without_tokens(text: str) -> str:
    """``text`` (a page) with its per-response tokens blanked, for comparing two answers."""
    return _TOKENS.sub(r"\1", text)
