"""What text Continuum accepts, and how text leaves it in a spreadsheet (threat-model.md, "Bad input").

One source for every door text comes in by (the API's JSON, the pages' forms, CSV import cells, upload
names): a NUL or another C0 control character (TAB, LF and CR are text), a Unicode bidi control (which
can make a name read backwards: "Trojan Source") or a byte-order mark is refused, never silently removed,
so that what was stored is what the writer saw. And one way out into CSV: a cell a spreadsheet would
run as a formula gets a leading apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _

# U+0000-U+001F except TAB, LF, CR; the bidi embeddings, overrides (U+202A-U+202E) and isolates
# (U+2066-U+2069); and U+FEFF (byte-order mark, zero-width no-break space).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\u202a-\u202e\u2066-\u2069\ufeff]")


def forbidden_character(value: str) -> str | None:
    """The first character of ``value`` Continuum does not accept, or ``None`` if there is none."""
    found = _FORBIDDEN.search(value)
    return found.group() if found else None


def describe(character: str) -> str:
    """``U+0000``: how a message names a character that cannot be shown."""
    return f"U+{ord(character):04X}"


def forbidden_message(character: str) -> str:
    """The one message of every door: which character, and what to do."""
    return _(
        "Remove the control character %(character)s: it is invisible or changes how text reads, and is not accepted."
    ) % {"character": describe(character)}


def printable(value: str) -> str:
    """``value`` with every forbidden character written as ``\\uXXXX``: safe to echo in an error."""
    return _FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", value)


def first_forbidden(data: Any) -> tuple[str, str] | None:
    """In parsed JSON (dicts, lists, strings, numbers): the path of the first string or key holding a
    forbidden character, and the character; ``None`` if all is clean.

    The path reads ``subject.given_name`` or ``items[2].text``; a forbidden character in a key is shown
    as ``\\uXXXX``. Walks with an explicit stack, so no depth of nesting can exhaust Python's stack.
    """
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            character = forbidden_character(value)
            if character:
                return path, character
        elif isinstance(value, dict):
            children: list[tuple[str, Any]] = []
            for key, child in value.items():
                key_text = str(key)
                name = f"{path}.{printable(key_text)}" if path else printable(key_text)
                character = forbidden_character(key_text)
                if character:
                    return name, character
                children.append((name, child))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", child) for index, child in reversed(list(enumerate(value))))
    return None


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON text nests arrays and objects deeper than ``limit``.

    Read before the JSON is parsed, so that ``[[[[…`` never reaches the recursive decoder: a scan for
    brackets outside strings, jumping over each string in one regular-expression step (linear in the
    text, whatever it holds). Invalid JSON may be misjudged either way; the decoder then refuses it.
    """
    depth = 0
    position = 0
    length = len(text)
    while position < length:
        found = _STRUCTURE.search(text, position)
        if found is None:
            return False
        character = found.group()
        position = found.end()
        if character == '"':
            end = _STRING_REST.match(text, position)
            if end is None:
                return False  # an unterminated string: invalid JSON, for the decoder to say so
            position = end.end()
        elif character in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


_STRUCTURE = re.compile(r'["\[\]{}]')
# The rest of a string after its opening quote: anything but a quote or backslash, or an escape.
_STRING_REST = re.compile(r'(?:[^"\\]++|\\.)*+"', re.DOTALL)

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value as a CSV cell a spreadsheet shows as text: a string that starts like a formula gets a
    leading apostrophe. Numbers and other non-strings are left alone (a real -3 stays a number)."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    """``csv_cell`` of every value of a row, for ``csv.writer.writerow``."""
    return [csv_cell(value) for value in values]


def csv_dict(row: dict[str, Any]) -> dict[str, Any]:
    """``csv_cell`` of every value of a row, for ``csv.DictWriter.writerow``."""
    return {key: csv_cell(value) for key, value in row.items()}


def csv_rows(rows: Iterable[Iterable[Any]]) -> Iterator[list[Any]]:
    """``csv_row`` of every row, for ``csv.writer.writerows``."""
    return (csv_row(row) for row in rows)
