"""The API's JSON parser: bounded nesting, and no control characters in any string or key.

Every JSON body of the API is read here (``DEFAULT_PARSER_CLASSES``), so one check covers every
text field of every endpoint (threat-model.md, "Bad input"): a body nested deeper than ``MAX_DEPTH``
is refused before the recursive decoder sees it (``[[[[…`` would otherwise exhaust the stack and
answer 500), invalid JSON is a 400, and so is a string or key holding a character ``lib.text`` forbids,
with the field's path named.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.utils.json import strict_constant

from continuum.lib.text import first_forbidden, forbidden_message, json_depth_exceeds

# Continuum's deepest request body is an object holding a list of objects; 64 leaves ample room.
MAX_DEPTH = 64


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            "".encode(encoding)  # a text codec: not bz2_codec, which would inflate a small body without bound
        except (LookupError, UnicodeError):
            raise ParseError(_("Unsupported charset “%(encoding)s”.") % {"encoding": encoding}) from None
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
        if json_depth_exceeds(text, MAX_DEPTH):
            raise ParseError(
                _("The JSON body is nested more than %(depth)s levels deep; flatten it.") % {"depth": MAX_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except RecursionError:  # not reachable after the depth check; kept so that no body can give a 500
            raise ParseError(
                _("The JSON body is nested more than %(depth)s levels deep; flatten it.") % {"depth": MAX_DEPTH}
            ) from None
        except ValueError as exc:
            raise ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from None
        found = first_forbidden(data)
        if found:
            path, character = found
            if not path:  # the body is one bare string
                raise ParseError(forbidden_message(character))
            raise ValidationError({path: [forbidden_message(character)]})
        return data
