"""The instrument file format (docs/assessments.md): parse and validate, with messages that name the problem.

An instrument is data: domains of items, each item of type risk, need or protective, rated on a
named scale, with guidance for the assessor; optional modules (gender, youth, …) add domains. This
module is pure Python (no database): ``parse_instrument`` turns a loaded YAML/JSON document into the
normalised definition stored on ``Instrument.definition`` (every item carrying its scale as a list of
``{"value", "label"}``), or raises ``InstrumentFormatError`` listing every problem as
``"<path in the document>: <what is wrong>"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from continuum.assessments.choices import INSTRUMENT_CATEGORIES, InstrumentKind, ItemType

FORMAT_VERSION = 1
CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")

TOP_KEYS = {
    "format",
    "code",
    "version",
    "name",
    "kind",
    "category",
    "description",
    "licence",
    "judgement_levels",
    "scales",
    "domains",
    "modules",
    "translations",
}
DOMAIN_KEYS = {"code", "name", "description", "items"}
ITEM_KEYS = {"code", "text", "type", "scale", "guidance"}
MODULE_KEYS = {"code", "name", "description", "applies_to", "domains"}
POINT_KEYS = {"value", "label"}
TRANSLATION_KEYS = {"name", "description", "judgement_levels", "scales", "domains", "items", "modules"}
TRANSLATED_DOMAIN_KEYS = {"name", "description"}
TRANSLATED_ITEM_KEYS = {"text", "guidance"}
TRANSLATED_MODULE_KEYS = {"name", "description", "applies_to"}
# The longest text each translated field may hold (as the file's own texts).
MAX_LENGTHS = {
    "name": 200,
    "description": 4000,
    "text": 500,
    "guidance": 3000,
    "applies_to": 500,
    "label": 100,
    "level": 60,
}


class InstrumentFormatError(ValueError):
    """A malformed instrument file; ``problems`` lists each as ``"path: what is wrong"``."""

    def __init__(self, problems: list[str], *, source: str = "") -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}invalid instrument:\n" + "\n".join(f"  - {p}" for p in problems))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def mapping(self, value: Any, path: str, keys: set[str], required: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, f"must be a mapping (got {_kind(value)})")
            return None
        for key in sorted(set(value) - keys, key=str):
            self.problem(f"{path}.{key}" if path else str(key), f"unknown key (allowed: {', '.join(sorted(keys))})")
        for key in sorted(required - set(value)):
            self.problem(f"{path}.{key}" if path else key, "is required")
        return value

    def text(self, mapping: dict[str, Any], key: str, path: str, *, max_length: int, required: bool = True) -> str:
        here = f"{path}.{key}" if path else key
        if key not in mapping:
            return ""
        value = mapping[key]
        if not isinstance(value, str) or (required and not value.strip()):
            self.problem(here, f"must be a non-empty text (got {_kind(value)})")
            return ""
        if len(value) > max_length:
            self.problem(here, f"is {len(value)} characters long; at most {max_length} are allowed")
        return value.strip()

    def code(self, mapping: dict[str, Any], key: str, path: str) -> str:
        here = f"{path}.{key}" if path else key
        value = mapping.get(key)
        if key not in mapping:
            return ""
        if not isinstance(value, str) or not CODE.match(value):
            self.problem(
                here,
                f"must be a code of lower-case letters, digits, '.', '-' or '_' (at most 40), got {value!r}",
            )
            return ""
        return value

    def choice(self, mapping: dict[str, Any], key: str, path: str, choices: list[str]) -> str:
        here = f"{path}.{key}" if path else key
        if key not in mapping:
            return ""
        value = mapping[key]
        if value not in choices:
            self.problem(here, f"must be one of {', '.join(choices)} (got {value!r})")
            return ""
        return str(value)

    def sequence(self, value: Any, path: str, *, allow_empty: bool = False) -> list[Any]:
        if not isinstance(value, list):
            self.problem(path, f"must be a list (got {_kind(value)})")
            return []
        if not value and not allow_empty:
            self.problem(path, "must not be empty")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}" if len(value) < 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def parse_instrument(document: Any, *, source: str = "") -> dict[str, Any]:
    """The normalised definition of an instrument document, or ``InstrumentFormatError``."""
    check = _Checker()
    top = check.mapping(document, "", TOP_KEYS, {"code", "version", "name", "kind", "category", "scales", "domains"})
    if top is None:
        raise InstrumentFormatError(check.problems, source=source)

    if "format" in top and top["format"] != FORMAT_VERSION:
        check.problem("format", f"only format {FORMAT_VERSION} exists (got {top['format']!r})")
    code = check.code(top, "code", "")
    version = top.get("version")
    if "version" in top and (not isinstance(version, str) or not VERSION.match(version)):
        hint = (
            f' (quote it: "{version}")' if isinstance(version, (int, float)) and not isinstance(version, bool) else ""
        )
        check.problem("version", f'must be a short text such as "1.0", got {_kind(version)}{hint}')
        version = ""
    name = check.text(top, "name", "", max_length=200)
    kind = check.choice(top, "kind", "", list(InstrumentKind.values))
    category = check.choice(top, "category", "", [str(c) for c in INSTRUMENT_CATEGORIES])
    description = check.text(top, "description", "", max_length=4000, required=False)
    licence = check.text(top, "licence", "", max_length=1000, required=False)

    levels: list[str] = []
    if "judgement_levels" in top:
        for i, level in enumerate(check.sequence(top["judgement_levels"], "judgement_levels")):
            if not isinstance(level, str) or not level.strip() or len(level) > 60:
                check.problem(
                    f"judgement_levels[{i}]", f"must be a non-empty text of at most 60 characters, got {_kind(level)}"
                )
            else:
                levels.append(level.strip())
        if len(set(levels)) != len(levels):
            check.problem("judgement_levels", "lists a level twice")

    scales = _parse_scales(check, top.get("scales"))
    seen_domains: dict[str, str] = {}
    seen_items: dict[str, str] = {}
    domains = (
        _parse_domains(check, top["domains"], "domains", scales, seen_domains, seen_items) if "domains" in top else []
    )

    modules: list[dict[str, Any]] = []
    seen_modules: set[str] = set()
    for i, raw in enumerate(check.sequence(top.get("modules", []), "modules", allow_empty=True)):
        path = f"modules[{i}]"
        module = check.mapping(raw, path, MODULE_KEYS, {"code", "name", "domains"})
        if module is None:
            continue
        module_code = check.code(module, "code", path)
        if module_code and module_code in seen_modules:
            check.problem(f"{path}.code", f"module {module_code!r} is defined twice")
        seen_modules.add(module_code)
        modules.append(
            {
                "code": module_code,
                "name": check.text(module, "name", path, max_length=200),
                "description": check.text(module, "description", path, max_length=2000, required=False),
                "applies_to": check.text(module, "applies_to", path, max_length=500, required=False),
                "domains": _parse_domains(
                    check, module.get("domains"), f"{path}.domains", scales, seen_domains, seen_items
                )
                if "domains" in module
                else [],
            }
        )

    translations = (
        _parse_translations(check, top["translations"], scales, domains, modules, levels)
        if "translations" in top
        else {}
    )

    if check.problems:
        raise InstrumentFormatError(check.problems, source=source)
    return {
        "format": FORMAT_VERSION,
        "code": code,
        "version": version,
        "name": name,
        "kind": kind,
        "category": category,
        "description": description,
        "licence": licence,
        "judgement_levels": levels,
        "scales": scales,
        "domains": domains,
        "modules": modules,
        "translations": translations,
    }


def _parse_scales(check: _Checker, raw: Any) -> dict[str, list[dict[str, Any]]]:
    scales: dict[str, list[dict[str, Any]]] = {}
    if raw is None:
        return scales
    if not isinstance(raw, dict) or not raw:
        check.problem("scales", f"must be a mapping of scale names to lists of {{value, label}} (got {_kind(raw)})")
        return scales
    for name, points in raw.items():
        path = f"scales.{name}"
        if not isinstance(name, str) or not CODE.match(name):
            check.problem(path, "a scale's name must be a code of lower-case letters, digits, '.', '-' or '_'")
            continue
        parsed: list[dict[str, Any]] = []
        for j, raw_point in enumerate(check.sequence(points, path)):
            point_path = f"{path}[{j}]"
            point = check.mapping(raw_point, point_path, POINT_KEYS, POINT_KEYS)
            if point is None:
                continue
            value = point.get("value")
            if "value" in point and (not isinstance(value, int) or isinstance(value, bool)):
                check.problem(f"{point_path}.value", f"must be a whole number (got {_kind(value)})")
                continue
            label = check.text(point, "label", point_path, max_length=100)
            if "value" in point and label:
                parsed.append({"value": value, "label": label})
        if isinstance(points, list) and len(points) == 1:
            check.problem(path, "needs at least two points")
        values = [p["value"] for p in parsed]
        if len(set(values)) != len(values):
            check.problem(path, "has a value twice")
        scales[name] = parsed
    return scales


def _parse_domains(
    check: _Checker,
    raw: Any,
    path: str,
    scales: dict[str, list[dict[str, Any]]],
    seen_domains: dict[str, str],
    seen_items: dict[str, str],
) -> list[dict[str, Any]]:
    domains = []
    for i, raw_domain in enumerate(check.sequence(raw, path)):
        domain_path = f"{path}[{i}]"
        domain = check.mapping(raw_domain, domain_path, DOMAIN_KEYS, {"code", "name", "items"})
        if domain is None:
            continue
        domain_code = check.code(domain, "code", domain_path)
        if domain_code in seen_domains:
            check.problem(
                f"{domain_path}.code", f"domain {domain_code!r} is already defined at {seen_domains[domain_code]}"
            )
        elif domain_code:
            seen_domains[domain_code] = domain_path
        items = []
        for j, raw_item in enumerate(check.sequence(domain.get("items", []), f"{domain_path}.items")):
            item_path = f"{domain_path}.items[{j}]"
            item = check.mapping(raw_item, item_path, ITEM_KEYS, {"code", "text", "type", "scale", "guidance"})
            if item is None:
                continue
            item_code = check.code(item, "code", item_path)
            if item_code in seen_items:
                check.problem(f"{item_path}.code", f"item {item_code!r} is already defined at {seen_items[item_code]}")
            elif item_code:
                seen_items[item_code] = item_path
            scale_name = item.get("scale")
            if "scale" in item and scale_name not in scales:
                known = ", ".join(sorted(scales)) or "none defined"
                check.problem(f"{item_path}.scale", f"unknown scale {scale_name!r} (scales: {known})")
            items.append(
                {
                    "code": item_code,
                    "text": check.text(item, "text", item_path, max_length=500),
                    "type": check.choice(item, "type", item_path, list(ItemType.values)),
                    "guidance": check.text(item, "guidance", item_path, max_length=3000),
                    "scale_name": scale_name if isinstance(scale_name, str) else "",
                    "scale": scales.get(scale_name, []) if isinstance(scale_name, str) else [],
                }
            )
        domains.append(
            {
                "code": domain_code,
                "name": check.text(domain, "name", domain_path, max_length=200),
                "description": check.text(domain, "description", domain_path, max_length=2000, required=False),
                "items": items,
            }
        )
    return domains


def _parse_texts(
    check: _Checker, raw: Any, path: str, keys: set[str], known: dict[str, Any], what: str
) -> dict[str, dict[str, str]]:
    """``{code: {key: text}}`` for the codes in ``known`` (domains, items or modules)."""
    result: dict[str, dict[str, str]] = {}
    if not isinstance(raw, dict):
        check.problem(path, f"must be a mapping of {what} codes to their texts (got {_kind(raw)})")
        return result
    for code, texts in raw.items():
        here = f"{path}.{code}"
        if code not in known:
            check.problem(here, f"no {what} {code!r} in this instrument")
            continue
        mapping = check.mapping(texts, here, keys, set())
        if mapping is None:
            continue
        parsed = {
            key: check.text(mapping, key, here, max_length=MAX_LENGTHS[key]) for key in sorted(keys & set(mapping))
        }
        result[str(code)] = {key: value for key, value in parsed.items() if value}
    return result


def _parse_translations(
    check: _Checker,
    raw: Any,
    scales: dict[str, list[dict[str, Any]]],
    domains: list[dict[str, Any]],
    modules: list[dict[str, Any]],
    levels: list[str],
) -> dict[str, dict[str, Any]]:
    """The ``translations`` mapping: per language code (``settings.LANGUAGES``) the texts of the
    instrument in that language, each naming a known domain, item, module, scale point or judgement
    level. Any text left out is shown in the file's own language."""
    languages = [code for code, _name in settings.LANGUAGES]
    if not isinstance(raw, dict):
        check.problem("translations", f"must be a mapping of language codes to texts (got {_kind(raw)})")
        return {}
    every_domain = [*domains, *(d for m in modules for d in m["domains"])]
    known_domains = {d["code"]: d for d in every_domain}
    known_items = {i["code"]: i for d in every_domain for i in d["items"]}
    known_modules = {m["code"]: m for m in modules}
    translations: dict[str, dict[str, Any]] = {}
    for language, texts in raw.items():
        path = f"translations.{language}"
        if language not in languages:
            check.problem(path, f"unknown language {language!r} (languages: {', '.join(languages)})")
            continue
        top = check.mapping(texts, path, TRANSLATION_KEYS, set())
        if top is None:
            continue
        parsed: dict[str, Any] = {}
        for key in ("name", "description"):
            if key in top:
                parsed[key] = check.text(top, key, path, max_length=MAX_LENGTHS[key])
        if "judgement_levels" in top:
            parsed["judgement_levels"] = _parse_labels(
                check, top["judgement_levels"], f"{path}.judgement_levels", levels, "judgement level", "level"
            )
        if "scales" in top:
            parsed["scales"] = {}
            if not isinstance(top["scales"], dict):
                check.problem(
                    f"{path}.scales", f"must be a mapping of scale names to labels (got {_kind(top['scales'])})"
                )
            else:
                for name, labels in top["scales"].items():
                    if name not in scales:
                        names = ", ".join(sorted(scales)) or "none defined"
                        check.problem(f"{path}.scales.{name}", f"unknown scale {name!r} (scales: {names})")
                        continue
                    values = [str(p["value"]) for p in scales[name]]
                    parsed["scales"][name] = _parse_labels(
                        check, labels, f"{path}.scales.{name}", values, "point", "label"
                    )
        parts: tuple[tuple[str, set[str], dict[str, Any], str], ...] = (
            ("domains", TRANSLATED_DOMAIN_KEYS, known_domains, "domain"),
            ("items", TRANSLATED_ITEM_KEYS, known_items, "item"),
            ("modules", TRANSLATED_MODULE_KEYS, known_modules, "module"),
        )
        for key, keys, known, what in parts:
            if key in top:
                parsed[key] = _parse_texts(check, top[key], f"{path}.{key}", keys, known, what)
        translations[str(language)] = parsed
    return translations


def _parse_labels(check: _Checker, raw: Any, path: str, known: list[str], what: str, length: str) -> dict[str, str]:
    """``{known key: label}``: scale points by their value (``0: …``), judgement levels by their text."""
    labels: dict[str, str] = {}
    if not isinstance(raw, dict):
        check.problem(path, f"must be a mapping of each {what} to its label (got {_kind(raw)})")
        return labels
    for key, label in raw.items():
        here = f"{path}.{key}"
        name = str(key) if not isinstance(key, bool) else ""
        if name not in known:
            check.problem(here, f"no {what} {key!r} (known: {', '.join(known)})")
            continue
        text = check.text({name: label}, name, path, max_length=MAX_LENGTHS[length])
        if text:
            labels[name] = text
    return labels


def read_document(path: Path) -> Any:
    """A YAML (``.yaml``/``.yml``) or JSON (``.json``) file as Python data; syntax errors name the file and line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InstrumentFormatError([f"line {exc.lineno}: not valid JSON ({exc.msg})"], source=str(path)) from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "file"
            problem = getattr(exc, "problem", None) or str(exc)
            raise InstrumentFormatError([f"{where}: not valid YAML ({problem})"], source=str(path)) from exc
    raise InstrumentFormatError([f"unknown file type {path.suffix!r}: use .yaml, .yml or .json"], source=str(path))


def parse_file(path: Path) -> dict[str, Any]:
    return parse_instrument(read_document(path), source=str(path))


# --- reading a normalised definition ------------------------------------------------------------


def all_domains(definition: dict[str, Any], modules: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(module code or "", domain)`` for the core domains and those of the chosen modules, in order."""
    for domain in definition.get("domains", []):
        yield "", domain
    for module in definition.get("modules", []):
        if module["code"] in modules:
            for domain in module["domains"]:
                yield module["code"], domain


def items_of(definition: dict[str, Any], modules: list[str]) -> dict[str, dict[str, Any]]:
    """Item code -> item (with ``domain`` and ``module`` added) for the core and the chosen modules."""
    return {
        item["code"]: {**item, "domain": domain["code"], "module": module}
        for module, domain in all_domains(definition, modules)
        for item in domain["items"]
    }


def localise(definition: dict[str, Any], language: str) -> dict[str, Any]:
    """The definition with its texts in ``language`` where the file translates them (``translations``),
    else in the file's own language. Codes, values, types and scales' names never change."""
    translations = definition.get("translations") or {}
    texts = translations.get(language) or translations.get(language.split("-")[0])
    if not texts:
        return definition
    scales = texts.get("scales", {})
    domain_texts, item_texts, module_texts = texts.get("domains", {}), texts.get("items", {}), texts.get("modules", {})

    def point(scale_name: str, p: dict[str, Any]) -> dict[str, Any]:
        return {**p, "label": scales.get(scale_name, {}).get(str(p["value"]), p["label"])}

    def domain(d: dict[str, Any]) -> dict[str, Any]:
        return {
            **d,
            **domain_texts.get(d["code"], {}),
            "items": [
                {
                    **i,
                    **item_texts.get(i["code"], {}),
                    "scale": [point(i.get("scale_name", ""), p) for p in i["scale"]],
                }
                for i in d["items"]
            ],
        }

    return {
        **definition,
        **{key: texts[key] for key in ("name", "description") if texts.get(key)},
        "scales": {name: [point(name, p) for p in points] for name, points in definition.get("scales", {}).items()},
        "domains": [domain(d) for d in definition.get("domains", [])],
        "modules": [
            {**m, **module_texts.get(m["code"], {}), "domains": [domain(d) for d in m["domains"]]}
            for m in definition.get("modules", [])
        ],
        "level_labels": texts.get("judgement_levels", {}),
    }


def module_codes(definition: dict[str, Any]) -> list[str]:
    return [m["code"] for m in definition.get("modules", [])]
