"""Continuum's translation catalogues: where they are, compiling them, and checking them.

Each app keeps its catalogue in ``<app>/locale/<language>/LC_MESSAGES/django.po``; the texts of the
project-wide templates (``templates/``) and modules (``continuum/*.py``) are in ``continuum/locale/``.
The ``.mo`` files are built from the ``.po`` files (``continuum compile_catalogues``, run by ``make``),
never committed and never fetched. ``check`` is the gate of ``make test``: every message of every
catalogue translated in every language, none fuzzy (``docs/languages.md``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

import polib  # type: ignore[import-untyped]

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The languages besides English: English is the source language and has no catalogue of its own.
TRANSLATED = ("nl", "de", "fr")
# French counts zero as singular ("0 dossier"), Dutch and German as plural.
PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}


def catalogue_dirs(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Every ``locale`` folder of the package that holds a catalogue: the project-wide one and one per
    app that has texts."""
    return sorted(
        path for path in package_dir.glob("**/locale") if path.is_dir() and any(path.glob("*/LC_MESSAGES/*.po"))
    )


def app_dirs(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The folders of Continuum's apps: each keeps its own catalogue."""
    return sorted(path.parent for path in package_dir.glob("*/apps.py"))


def po_files() -> Iterator[Path]:
    for locale in catalogue_dirs():
        yield from sorted(locale.glob("*/LC_MESSAGES/django.po"))


def compile_catalogues() -> list[Path]:
    """Write each ``.mo`` whose ``.po`` is newer (or that is missing); the paths written."""
    written = []
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


@dataclass(frozen=True)
class Problem:
    path: Path
    msgid: str
    what: str  # "untranslated" | "fuzzy" | "missing language"

    def __str__(self) -> str:
        return f"{self.path.relative_to(PACKAGE_DIR.parent)}: {self.what}: {self.msgid[:70]!r}"


def problems() -> list[Problem]:
    """What keeps the catalogues from being complete: an untranslated or fuzzy message, a message of one
    language's catalogue missing from another's, a catalogue folder without one of the languages."""
    found: list[Problem] = []
    for locale in catalogue_dirs():
        msgids: dict[str, set[str]] = {}
        for language in TRANSLATED:
            po_path = locale / language / "LC_MESSAGES" / "django.po"
            if not po_path.exists():
                found.append(Problem(po_path, "", "missing language"))
                continue
            catalogue = polib.pofile(str(po_path))
            msgids[language] = {entry.msgid_with_context for entry in catalogue if not entry.obsolete}
            for entry in catalogue:
                if entry.obsolete:
                    continue
                if "fuzzy" in entry.flags:
                    found.append(Problem(po_path, entry.msgid, "fuzzy"))
                elif not entry.translated():
                    found.append(Problem(po_path, entry.msgid, "untranslated"))
        every = set().union(*msgids.values()) if msgids else set()
        for language, ids in msgids.items():
            for msgid in sorted(every - ids):
                path = locale / language / "LC_MESSAGES" / "django.po"
                found.append(Problem(path, msgid, "missing from this language"))
    found.extend(_disagreements())
    return found


def _disagreements() -> list[Problem]:
    """A text two catalogues translate differently: one translation answers for the whole process (the
    first catalogue that has it), so the other is never shown and the pages of its app read wrong."""
    seen: dict[tuple[str, str], tuple[str, Path]] = {}
    found = []
    for po_path in po_files():
        language = po_path.parent.parent.name
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or not entry.translated() or entry.msgid_plural:
                continue
            key = (language, entry.msgid_with_context)
            if key not in seen:
                seen[key] = (entry.msgstr, po_path)
            elif seen[key][0] != entry.msgstr:
                other = seen[key][1].relative_to(PACKAGE_DIR.parent)
                found.append(Problem(po_path, entry.msgid, f"translated otherwise in {other}"))
    return found


def extract(package_dir: Path = PACKAGE_DIR, only: list[str] | None = None) -> None:
    """Bring the catalogues of ``package_dir`` (``only`` those apps, "project" for the project-wide
    one) up to date with the texts marked in the code
    (Django's ``makemessages``, which needs GNU gettext: ``make messages``). An app's catalogue takes
    the app's folder; the project-wide one takes the rest (``templates/``, ``lib/``, ``api/``, the
    modules at the top), never an app that has a catalogue of its own."""
    from django.core.management import call_command

    options = {"locale": list(TRANSLATED), "no_location": True, "no_obsolete": True, "verbosity": 0}
    own = app_dirs(package_dir)
    wanted = set(only) if only else {app_dir.name for app_dir in own} | {"project"}
    for directory in [*own, package_dir]:
        (directory / "locale").mkdir(exist_ok=True)
    for app_dir in own:
        if app_dir.name in wanted:
            with chdir(app_dir):
                call_command("makemessages", **options)
    if "project" in wanted:
        with chdir(package_dir):
            ignored = [f"{app_dir.relative_to(package_dir)}/*" for app_dir in own]
            call_command("makemessages", ignore_patterns=[*ignored, "static/*"], **options)
    for locale in catalogue_dirs(package_dir):
        for po_path in locale.glob("*/LC_MESSAGES/django.po"):
            _tidy_header(po_path)


def _tidy_header(po_path: Path) -> None:
    """Continuum's header on a catalogue makemessages wrote, without the date of the run, so that an
    unchanged catalogue stays unchanged."""
    catalogue = polib.pofile(str(po_path), wrapwidth=0)
    catalogue.header = "Continuum's texts. Translators: see docs/languages.md."
    catalogue.metadata_is_fuzzy = False
    for key in ("POT-Creation-Date", "PO-Revision-Date", "Last-Translator", "Language-Team", "Report-Msgid-Bugs-To"):
        catalogue.metadata.pop(key, None)
    catalogue.metadata["Project-Id-Version"] = "Continuum"
    language = po_path.parent.parent.name
    catalogue.metadata["Language"] = language
    catalogue.metadata["Plural-Forms"] = PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);")
    catalogue.save(str(po_path))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "compile":
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(PACKAGE_DIR.parent)}")
        return 0
    if command == "check":
        found = problems()
        for problem in found:
            print(problem, file=sys.stderr)
        if found:
            print(f"{len(found)} messages to translate (docs/languages.md)", file=sys.stderr)
        return 1 if found else 0
    if command == "extract":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.settings")
        import django

        django.setup()
        extract(only=argv[2:] or None)
        return 0
    print("usage: python -m continuum.lib.catalogues compile | check | extract [APP ... | project]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
