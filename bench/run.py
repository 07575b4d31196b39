"""Continuum's benchmark: wall time and SQL query counts of the main reads, at two sizes of data in one run.

    .venv/bin/python bench/run.py [--scale N] [--factor F] [--reps R]     (or: make bench)

It creates a throw-away database (``var/bench.sqlite3``, or ``bench_<NAME>`` on the PostgreSQL server of
``DATABASE_URL``), migrates it, seeds the demo personas, grows a world of ``N`` cases (``bench/generate.py``)
and measures; grows the same database to ``N x F`` cases and measures again; then drops the database.
The report (stdout and ``var/bench-report.md``) gives, per measurement and persona, the median time at
each size, their ratio, and the query counts at each size, which must not grow with the data.
See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PERSONAS = ["prob.officer", "police.liaison", "mh.clinician"]


@dataclass
class Measurement:
    """One read, measured as one persona at one size."""

    name: str
    persona: str
    seconds: float
    queries: int
    status: int = 200
    shapes: Counter[str] = field(default_factory=Counter)  # the queries of one run, by shape


@dataclass
class Size:
    """One size of the world: what it holds, how long it took to make, and its measurements."""

    label: str
    cases: int
    generate_seconds: float
    actions: int
    rows: dict[str, Any]
    measurements: list[Measurement] = field(default_factory=list)


@dataclass
class Report:
    """The measurements at both sizes, side by side, as a Markdown table."""

    sizes: list[Size]
    vendor: str
    reps: int

    def rows(self) -> list[dict[str, Any]]:
        """Per measurement and persona: the small and the large size side by side."""
        small, large = self.sizes[0], self.sizes[-1]
        by_key = {(m.name, m.persona): m for m in large.measurements}
        rows = []
        for s in small.measurements:
            g = by_key[(s.name, s.persona)]
            rows.append(
                {
                    "name": s.name,
                    "persona": s.persona,
                    "small_ms": s.seconds * 1000,
                    "large_ms": g.seconds * 1000,
                    "ratio": g.seconds / s.seconds if s.seconds else float("inf"),
                    "small_queries": s.queries,
                    "large_queries": g.queries,
                    "grows": g.queries > s.queries,
                    "grown": {
                        shape: (s.shapes[shape], g.shapes[shape])
                        for shape in g.shapes
                        if g.shapes[shape] > s.shapes[shape]
                    },
                }
            )
        return rows

    def growing(self) -> list[dict[str, Any]]:
        return [r for r in self.rows() if r["grows"]]

    def markdown(self) -> str:
        small, large = self.sizes[0], self.sizes[-1]
        lines = [
            "# Continuum benchmark",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'} "
            f"({os.cpu_count()} cores, Python {platform.python_version()}, {self.vendor}); "
            f"times are the median of {self.reps} repetitions after one warm-up.",
            "",
            "| data | " + " | ".join(s.label for s in self.sizes) + " |",
            "|---|" + "---:|" * len(self.sizes),
        ]
        for key in small.rows:
            lines.append(f"| {key} | " + " | ".join(str(s.rows[key]) for s in self.sizes) + " |")
        lines.append(
            "| generated in | "
            + " | ".join(f"{s.generate_seconds:.1f} s ({s.actions} actions)" for s in self.sizes)
            + " |"
        )
        lines += [
            "",
            f"Time ratio = large / small ({large.cases} / {small.cases} cases). Queries must not grow with the data.",
            "",
            "| measurement | persona | small ms | large ms | time ratio | queries small | queries large | bounded |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for r in self.rows():
            flag = f"**GROWS (+{r['large_queries'] - r['small_queries']})**" if r["grows"] else "yes"
            lines.append(
                f"| {r['name']} | {r['persona']} | {r['small_ms']:.1f} | {r['large_ms']:.1f} | {r['ratio']:.2f} | "
                f"{r['small_queries']} | {r['large_queries']} | {flag} |"
            )
        growing = self.growing()
        lines.append("")
        if growing:
            lines.append("Query counts that grow with the data (an N+1 to fix):")
            for r in growing:
                lines.append(f"- {r['name']} as {r['persona']}: {r['small_queries']} → {r['large_queries']} queries")
                lines += [f"  - {a} → {b}: `{shape}`" for shape, (a, b) in sorted(r["grown"].items())]
        else:
            lines.append("Every query count is bounded: none grows with the data.")
        return "\n".join(lines) + "\n"


def shape_of(sql: str) -> str:
    """A query without its values and savepoint names, cut short: what an N+1 repeats."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)
    sql = re.sub(r"\((?:\s*(?:\?|%s)\s*,?)+\)(?:\s*,\s*\((?:\s*(?:\?|%s)\s*,?)+\))*", "(…)", sql)
    return sql[:160]


def _median_of(action: Callable[[], Any], reps: int, warm_up: bool = True) -> tuple[float, int, Any, Counter[str]]:
    """Median wall time, the largest query count and the query shapes of ``reps`` runs, after a warm-up run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = action() if warm_up else None
    times, counts = [], []
    shapes: Counter[str] = Counter()
    for _ in range(reps):
        with CaptureQueriesContext(connection) as queries:
            began = time.perf_counter()
            result = action()
            times.append(time.perf_counter() - began)
        if len(queries) >= max(counts, default=0):
            shapes = Counter(shape_of(q["sql"]) for q in queries.captured_queries)
        counts.append(len(queries))
    return statistics.median(times), max(counts), result, shapes


def _clients(world: Any, username: str) -> tuple[Any, Any]:
    """An API client with a real token and a logged-in browser client of the persona, made once per run:
    a token's or a session's first use writes to the database, which must count at neither size."""
    from django.test import Client

    from continuum.accounts import actions as account_actions

    if username not in world.clients:
        user = world.users[username]
        _token, key = account_actions.do_create_api_token(user, acting_user=None, label="bench")
        browser = Client()
        browser.force_login(user)
        world.clients[username] = (Client(HTTP_AUTHORIZATION=f"Token {key}"), browser)
    return world.clients[username]


def _case_page_and_parts(browser: Any, focus: Any) -> Any:
    """The case page and the parts htmx loads after it, as a browser asks for them: the first answer
    that is not 200, else the last."""
    from continuum.cases.views import CASE_PARTS

    response = browser.get(f"/cases/{focus}/")
    for part in CASE_PARTS:
        if response.status_code != 200:
            break
        response = browser.get(f"/cases/{focus}/parts/{part}/", HTTP_HX_REQUEST="true")
    return response


def measure(world: Any, reps: int, personas: list[str] = PERSONAS, warm_up: bool = True) -> list[Measurement]:
    """Measure the reads of DESIGN.md section 8's performance bar as each persona.

    Each read runs once untimed first (``warm_up``), so that first-use work (templates, cached policy)
    counts at neither size."""
    from continuum.cases.models import Entry

    focus, conference = world.focus.pk, world.conference.pk
    results = []
    for username in personas:
        user = world.users[username]
        api, browser = _clients(world, username)
        reads: list[tuple[str, Callable[[], Any]]] = [
            ("Entry.objects.visible_to(user).count()", lambda user=user: Entry.objects.visible_to(user).count()),
            ("GET /api/v1/cases/", lambda api=api: api.get("/api/v1/cases/")),
            ("GET /api/v1/cases/{focus}/entries/", lambda api=api: api.get(f"/api/v1/cases/{focus}/entries/")),
            ("GET /cases/{focus}/", lambda browser=browser: browser.get(f"/cases/{focus}/")),
            ("GET /cases/{focus}/ and its parts", lambda browser=browser: _case_page_and_parts(browser, focus)),
            (
                "GET /api/v1/conferences/{id}/pack/",
                lambda api=api: api.get(f"/api/v1/conferences/{conference}/pack/"),
            ),
            ("GET / (home page)", lambda browser=browser: browser.get("/")),
        ]
        for name, read in reads:
            seconds, queries, result, shapes = _median_of(read, reps, warm_up)
            status = getattr(result, "status_code", 200)
            if status != 200:
                raise RuntimeError(f"{name} as {username} answered {status}, not 200: the benchmark is broken")
            results.append(Measurement(name, username, seconds, queries, status, shapes))
    return results


def run_benchmark(
    *, scale: int, factor: int, reps: int, personas: list[str] = PERSONAS, warm_up_each_size: bool = True
) -> Report:
    """Seed the personas, then grow and measure the world at ``scale`` and ``scale x factor`` cases.

    Runs against the current database (the caller provides a throw-away one). Without
    ``warm_up_each_size`` only the first size's reads get a warm-up run (enough for the query counts;
    the smoke test saves its time so)."""
    from django.db import connection, transaction

    from bench import generate
    from continuum.accounts import demo

    demo.seed()
    world = generate.start()
    sizes = []
    for label, cases in (("small", scale), ("large", scale * factor)):
        before, actions = world.seconds, world.actions
        with transaction.atomic():
            generate.grow(world, cases)
        size = Size(
            label=label,
            cases=cases,
            generate_seconds=world.seconds - before,
            actions=world.actions - actions,
            rows=generate.describe(world),
        )
        print(
            f"{label}: {cases} cases generated in {size.generate_seconds:.1f} s; measuring…",
            file=sys.stderr,
            flush=True,
        )
        size.measurements = measure(world, reps, personas, warm_up=warm_up_each_size or not sizes)
        sizes.append(size)
    return Report(sizes=sizes, vendor=connection.vendor, reps=reps)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20, help="cases of the small world (default 20)")
    parser.add_argument("--factor", type=int, default=10, help="the large world has scale x factor cases (10)")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions per measurement (5)")
    parser.add_argument("--report", default=str(ROOT / "var" / "bench-report.md"), help="where to write the report")
    parser.add_argument("--keepdb", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    if args.scale < 1 or args.factor < 2 or args.reps < 1:
        parser.error("--scale ≥ 1, --factor ≥ 2 and --reps ≥ 1")

    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import warnings

    import django

    # Whitenoise's warning that the static files were never collected: the benchmark serves none.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    import tempfile

    from django.db import connection
    from django.test import override_settings
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            report = run_benchmark(scale=args.scale, factor=args.factor, reps=args.reps)
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print(write_report(report, Path(args.report)))
    print(f"Report written to {args.report}", file=sys.stderr)
    return 0


def write_report(report: Report, path: Path) -> str:
    """Write the report's Markdown to ``path`` and return it."""
    text = report.markdown()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    sys.exit(main())
