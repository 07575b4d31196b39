"""The benchmark (bench/run.py) at a tiny scale, so that it cannot rot: it runs, reports, and finds no read
whose query count grows with the data (DESIGN.md section 8)."""

from __future__ import annotations

from bench.run import PERSONAS, run_benchmark, shape_of, write_report


def test_benchmark_reports_bounded_query_counts_at_two_sizes(db, tmp_path):
    report = run_benchmark(scale=2, factor=2, reps=1, warm_up_each_size=False)

    small, large = report.sizes
    assert (small.rows["cases"], large.rows["cases"]) == (2, 4)
    assert large.rows["focus case entries"] > small.rows["focus case entries"]
    assert large.rows["agenda"] == 4
    rows = report.rows()
    assert {r["persona"] for r in rows} == set(PERSONAS)
    assert len(rows) == 7 * len(PERSONAS)
    assert all(r["small_queries"] > 0 for r in rows)
    assert all(sum(m.shapes.values()) == m.queries for size in report.sizes for m in size.measurements)
    assert report.growing() == [], report.markdown()

    text = write_report(report, tmp_path / "bench-report.md")
    assert (tmp_path / "bench-report.md").read_text(encoding="utf-8") == text
    assert "| GET /api/v1/conferences/{id}/pack/ | police.liaison |" in text
    assert "| GET /cases/{focus}/ and its parts | mh.clinician |" in text
    assert "Every query count is bounded" in text


def test_query_shapes_drop_values_so_repeated_queries_count_as_one_shape():
    one = shape_of('SELECT "id" FROM "cases_case" WHERE "id" IN (\'a\', \'b\') AND "n" = 3 LIMIT 21')
    other = shape_of('SELECT "id" FROM "cases_case" WHERE "id" IN (\'c\') AND "n" = 40 LIMIT 21')
    assert one == other == 'SELECT "id" FROM "cases_case" WHERE "id" IN (…) AND "n" = ? LIMIT ?'
    assert shape_of('INSERT INTO "t" ("a", "b") VALUES (%s, %s), (%s, %s)') == 'INSERT INTO "t" ("a", "b") VALUES (…)'
    assert shape_of('SAVEPOINT "s140588483906432_x282"') == shape_of('SAVEPOINT "s1_x1544"')
