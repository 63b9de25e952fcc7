"""The portability lint: every view in sql/ avoids what does not transpile faithfully to Spark SQL."""

from __future__ import annotations

import pytest

from warehouse.portability import lint_folder, lint_sql, report


def test_every_view_in_sql_is_portable():
    findings = lint_folder()
    assert not findings, "\n" + report(findings)


@pytest.mark.parametrize(("sql", "construct"), [
    ("select customer_id, list(amount order by paid_on) as amounts from t group by 1", "ORDER BY inside"),
    ("select string_agg(reason, ', ' order by reason) from t", "ORDER BY inside"),
    ("select due_date - issue_date as days from bills", "subtracting from a date"),
    ("select cast(a as date) - 30 from t", "subtracting from a date"),
    ("select date_diff('month', open_date, close_date) from t", "date_diff in month units"),
    ("select date_diff('second', opened_at, closed_at) from t", "date_diff in second units"),
    ("select dayname(opened_at) from t", "day-of-week or month-name"),
    ("select strftime(opened_at, '%A') from t", "strftime with day or month names"),
    ("select quantile_cont(amount, 0.9) from t", "percentile / quantile"),
    ("select * from t qualify row_number() over (partition by a order by b) = 1", "QUALIFY with select *"),
    ("select arg_max(amount, paid_on) from t", "arg_max"),
    ("select amounts[1:3] from t", "list slice"),
    ("select cast(unnest(generate_series(a, b, interval 1 month)) as date) as month from t where a <= b",
     "unnest inside"),
    ("select unnest(generate_series(a, b, interval 1 month)) as month_start from t", "generate_series / range"),
    ("select unnest(generate_series(a, b, interval 1 month)) as m from t where b <= a", "generate_series / range"),
    ("select sum(a) / sum(b) from t", "division by a value that may be zero"),
    ("select date_diff('second', a, b) / 3600.0 from t", "division by a decimal literal"),
])
def test_non_portable_constructs_are_caught_with_line_and_advice(sql, construct):
    findings = lint_sql("-- header\n" + sql, "example.sql")
    assert [f.construct for f in findings if construct in f.construct], findings
    first = next(f for f in findings if construct in f.construct)
    assert first.line == 2 and first.path == "example.sql"
    assert str(first).startswith("example.sql:2: ") and len(first.advice) > 20


@pytest.mark.parametrize("sql", [
    "select due_date - interval 3 day, date_diff('day', issue_date, due_date) from bills",
    "select as_of_date - window_days * interval '1' day from s",
    "select sum(a) / nullif(sum(b), 0), a / 12, median(x), date_diff('microsecond', a, b) / 3600000000, "
    "d / cast(365.25 as double) from t",
    "select month_number - max(month_number) over () from t",
    "select customer_id, amount from t qualify row_number() over (partition by a order by b, c) = 1",
    "select list(amount) from t",
    "select unnest(generate_series(a, b, interval 1 month)) as month_start from t where a <= b",
    "select unnest(generate_series(a, b, interval 1 month)) as month_start from t where x and b >= a",
])
def test_portable_constructs_pass(sql):
    assert lint_sql(sql) == []
