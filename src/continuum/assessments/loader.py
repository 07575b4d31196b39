"""Loading instrument files: Continuum's own (shipped in ``instruments/``) and an organisation's licensed ones."""

from __future__ import annotations

from pathlib import Path

from continuum.accounts.models import User
from continuum.assessments.actions import do_load_instrument
from continuum.assessments.format import parse_file
from continuum.assessments.models import Instrument

BUILTIN_DIR = Path(__file__).resolve().parent / "instruments"


def builtin_files() -> list[Path]:
    return sorted(p for p in BUILTIN_DIR.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def load_instrument_file(path: Path, *, acting_user: User | None) -> tuple[Instrument, bool]:
    """Validate and store one instrument file (``InstrumentFormatError`` names every problem)."""
    definition = parse_file(path)
    return do_load_instrument(definition, source=path.name, acting_user=acting_user)


def install_builtin(using: str = "default") -> list[Instrument]:
    """Install every version of Continuum's own instruments not yet in the database (not audited:
    they are part of the system, like the default sharing matrix). Returns the ones installed."""
    installed = []
    present = set(Instrument.objects.using(using).values_list("code", "version"))
    for path in builtin_files():
        definition = parse_file(path)
        if (definition["code"], definition["version"]) in present:
            # New or changed translations of an installed version are taken in (the rest is unchanged).
            do_load_instrument(definition, source=path.name, builtin=True, acting_user=None, audit=False)
            continue
        instrument, created = do_load_instrument(
            definition, source=path.name, builtin=True, acting_user=None, audit=False
        )
        if created:
            installed.append(instrument)
    return installed
