"""The synthetic data generator: contract conformance, determinism, scaling and the stories the pages tell.

Contract checks are driven from warehouse.contract, so a new table or column is checked without a new test.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from generate import generate
from generate.__main__ import main as cli_main
from generate.columns import POLARS_TYPES
from warehouse.contract import TABLES, foreign_keys
from warehouse.settings import END_DATE

SEED = 7
EARLY_END = date(2024, 6, 15)  # mid-month, to catch anything dated after a partial last month
# Dates that are promises about the future, not events: an active loan matures, and a bill issued at the last
# month end falls due, after the data's end.
CONTRACTUAL_DATES = {("loans", "maturity_date"), ("bills", "due_date")}


def _generate(tmp_path_factory, name: str, **options) -> Path:
    out = tmp_path_factory.mktemp(name)
    generate(out, **options)
    return out


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory, "small", scale=0.05, seed=SEED)


@pytest.fixture(scope="module")
def tenth(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory, "tenth", scale=0.1, seed=SEED)


@pytest.fixture(scope="module")
def fifth(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory, "fifth", scale=0.2, seed=SEED)


@pytest.fixture(scope="module")
def early_end(tmp_path_factory) -> Path:
    return _generate(tmp_path_factory, "early", scale=0.05, seed=SEED, end_date=EARLY_END)


def read(directory: Path, table: str) -> pl.DataFrame:
    return pl.read_parquet(directory / f"{table}.parquet")


def connect(directory: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in TABLES:
        con.execute(f"create view \"{table.name}\" as select * from read_parquet('{directory / table.name}.parquet')")
    return con


def read_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [row[0] for row in con.execute(f'describe "{table}"').fetchall()]


def scalar(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


# --- contract ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dataset", ["fifth", "early_end"])
def test_every_table_has_the_contract_columns_in_order_and_types(dataset, request):
    directory = request.getfixturevalue(dataset)
    for table in TABLES:
        frame = read(directory, table.name)
        assert frame.columns == list(table.column_names), table.name
        for column in table.columns:
            assert frame.schema[column.name] == POLARS_TYPES[column.type], f"{table.name}.{column.name}"
        assert frame.height > 0, f"{table.name} is empty"


@pytest.mark.parametrize("dataset", ["fifth", "early_end"])
def test_primary_keys_are_unique(dataset, request):
    con = connect(request.getfixturevalue(dataset))
    for table in TABLES:
        key = ", ".join(f'"{c}"' for c in table.primary_key)
        duplicates = scalar(con, f'select count(*) from (select {key} from "{table.name}" '
                                 f'group by all having count(*) > 1)')
        assert duplicates == 0, f"{table.name} ({key})"


@pytest.mark.parametrize("dataset", ["fifth", "early_end"])
def test_foreign_keys_resolve(dataset, request):
    con = connect(request.getfixturevalue(dataset))
    for table, column in foreign_keys():
        orphans = scalar(con, f'''
            select count(*) from "{table.name}" child
            where child."{column.name}" is not null and not exists (
                select 1 from "{column.referenced_table}" parent
                where parent."{column.referenced_column}" = child."{column.name}")''')
        assert orphans == 0, f"{table.name}.{column.name} -> {column.references}"


@pytest.mark.parametrize("dataset", ["fifth", "early_end"])
def test_required_allowed_and_ranges(dataset, request):
    con = connect(request.getfixturevalue(dataset))
    for table in TABLES:
        for column in table.columns:
            name = f'"{column.name}"'
            where = f'from "{table.name}"'
            if column.required:
                assert scalar(con, f"select count(*) {where} where {name} is null") == 0, f"{table.name}.{name} null"
            if column.allowed:
                allowed = ", ".join("'" + value.replace("'", "''") + "'" for value in column.allowed)
                bad = scalar(con, f"select count(*) {where} where {name} not in ({allowed})")
                assert bad == 0, f"{table.name}.{column.name} outside {column.allowed}"
            if column.minimum is not None:
                assert scalar(con, f"select count(*) {where} where {name} < {column.minimum}") == 0, \
                    f"{table.name}.{column.name} < {column.minimum}"
            if column.maximum is not None:
                assert scalar(con, f"select count(*) {where} where {name} > {column.maximum}") == 0, \
                    f"{table.name}.{column.name} > {column.maximum}"
            if column.type == "DECIMAL(18,2)":
                off_cents = scalar(con, f"select count(*) {where} where abs({name} * 100 - round({name} * 100)) > 1e-6")
                assert off_cents == 0, f"{table.name}.{column.name} has fractions of a cent"


def test_identifiers_are_short_prefixed_numbers(fifth):
    for table in TABLES:
        if len(table.primary_key) != 1 or table.column(table.primary_key[0]).type != "VARCHAR":
            continue
        ids = read(fifth, table.name)[table.primary_key[0]]
        assert ids.str.len_bytes().max() <= 12, table.name
        assert ids.str.contains(r"^[A-Z]{1,2}[0-9]+$").all(), table.name


@pytest.mark.parametrize(("dataset", "end"), [("fifth", END_DATE), ("early_end", EARLY_END)])
def test_nothing_is_dated_after_the_end_date(dataset, end, request):
    directory = request.getfixturevalue(dataset)
    last_moment = datetime.combine(end, time.max)
    for table in TABLES:
        frame = read(directory, table.name)
        for column in table.columns:
            if column.type in ("DATE", "TIMESTAMP") and (table.name, column.name) not in CONTRACTUAL_DATES:
                latest = frame[column.name].max()
                if latest is not None:
                    assert latest <= (end if column.type == "DATE" else last_moment), f"{table.name}.{column.name}"


# --- determinism and scale -----------------------------------------------------------------------------------

def test_same_scale_and_seed_give_identical_data(small, tmp_path):
    again = tmp_path / "again"
    generate(again, scale=0.05, seed=SEED)
    for table in TABLES:
        assert read(small, table.name).equals(read(again, table.name)), table.name


def test_another_seed_gives_other_data(small, tmp_path):
    other = tmp_path / "other"
    generate(other, scale=0.05, seed=SEED + 1)
    for table in ("customers", "card_transactions", "account_balances", "market_data"):
        assert not read(small, table).equals(read(other, table)), table


def _customer_linked_tables() -> set[str]:
    """Tables whose rows hang off customers, directly or through another such table."""
    linked = {"customers"}
    changed = True
    while changed:
        changed = False
        for table, column in foreign_keys():
            if column.required and column.referenced_table in linked and table.name not in linked:
                linked.add(table.name)
                changed = True
    return linked


def _rows_per_customer(con: duckdb.DuckDBPyConnection, table: str) -> tuple[float, float]:
    """Mean and variance over all customers of the table's rows per customer."""
    rows = f'"{table}"'
    if "customer_id" not in read_columns(con, table):  # account_balances: through the account
        rows = f'(select e.customer_id from "{table}" t join enrollments e using (account_id))'
    return con.execute(f"""
        select avg(n), var_pop(n) from (
            select c.customer_id, count(r.customer_id) as n
            from customers c left join {rows} r on r.customer_id = c.customer_id group by all)""").fetchone()


def test_customer_tables_grow_linearly_with_scale(tenth, fifth):
    linked = _customer_linked_tables()
    assert {"card_transactions", "account_balances", "fraud_cases", "collection_actions"} <= linked
    small_con, big_con = connect(tenth), connect(fifth)
    small_customers = scalar(small_con, "select count(*) from customers")
    big_customers = scalar(big_con, "select count(*) from customers")
    assert big_customers == 2 * small_customers
    for table in sorted(linked):
        smaller = scalar(small_con, f'select count(*) from "{table}"')
        bigger = scalar(big_con, f'select count(*) from "{table}"')
        # Rows come in clusters per customer (a billed customer has dozens of bills), so the noise on the ratio
        # follows the spread of rows per customer; allow four standard deviations of it, and at least 0.2.
        mean, variance = _rows_per_customer(big_con, table)
        spread = 2 * math.sqrt(variance / mean**2 * (1 / small_customers + 1 / big_customers))
        assert abs(bigger / smaller - 2) <= max(0.2, 4 * spread), f"{table}: {smaller} -> {bigger}"


def test_reference_tables_do_not_grow_with_scale(tenth, fifth):
    for table in ("products", "market_data"):
        assert read(tenth, table).height == read(fifth, table).height, table


# --- consistency and stories ---------------------------------------------------------------------------------

def test_balances_roll_forward_and_closed_accounts_churn(fifth):
    con = connect(fifth)
    broken = scalar(con, """
        select count(*) from (
            select balance, lag(balance) over (partition by account_id order by month_end) as previous,
                   contributions - withdrawals + investment_returns - fees as movement
            from account_balances)
        where previous is not null and abs(previous + movement - balance) > 0.005""")
    assert broken == 0
    assert scalar(con, "select count(*) from account_balances where balance < 0") == 0
    assert scalar(con, """select count(*) from enrollments e
                          where (status = 'Closed') <> (close_date is not null)""") == 0
    assert scalar(con, "select count(*) from enrollments where status = 'Closed'") \
        == scalar(con, "select count(*) from churn_events c join enrollments e using (account_id) "
                       "where c.churn_date = e.close_date")


def test_lowest_income_band_defaults_more_than_highest(fifth):
    share = connect(fifth).execute("""
        select income_band, avg(case when l.status = 'Defaulted' then 1.0 else 0 end)
        from loans l join customers c using (customer_id)
        where income_band in ('Under 25K', '200K+') group by income_band""").fetchall()
    share = dict(share)
    assert share["Under 25K"] > share["200K+"]


def test_december_outspends_february(fifth):
    spend = dict(connect(fifth).execute("""
        select month(transaction_at), sum(amount) / count(distinct year(transaction_at))
        from card_transactions where month(transaction_at) in (2, 12) group by 1""").fetchall())
    assert spend[12] > spend[2]


def test_mobile_share_of_sessions_rises(fifth):
    share = connect(fifth).execute("""
        select year(event_at), avg(case when device = 'Mobile App' then 1.0 else 0 end)
        from engagement_events group by 1 order by 1""").fetchall()
    assert share[-1][1] > share[0][1]


def test_repeat_contacts_make_first_contact_resolution_measurable(fifth):
    repeat_share = scalar(connect(fifth), """
        select avg(case when exists (
            select 1 from service_interactions later
            where later.customer_id = s.customer_id and later.reason = s.reason
              and later.opened_at > s.opened_at and later.opened_at <= s.opened_at + interval 7 day)
            then 1.0 else 0 end)
        from service_interactions s""")
    assert 0.08 <= repeat_share <= 0.2


def test_campaign_contacts_are_customers_of_the_target_segment_before_the_start(fifth):
    wrong = scalar(connect(fifth), """
        select count(*) from campaign_contacts cc
        join marketing_campaigns m using (campaign_id) join customers c using (customer_id)
        where c.enrollment_date >= m.start_date or (m.target_segment is not null and m.target_segment <> c.segment)
           or cc.contacted_date not between m.start_date and m.end_date
           or (not cc.converted and cc.revenue <> 0) or (cc.converted and not cc.responded)""")
    assert wrong == 0


# --- command line ----------------------------------------------------------------------------------------------

def test_command_line_writes_every_table_and_reports_the_total(tmp_path, capsys):
    assert cli_main(["--scale", "0.01", "--seed", "3", "--out", str(tmp_path), "--end-date", "2022-03-31"]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.parquet")) == sorted(t.name for t in TABLES)
    assert "total" in capsys.readouterr().err


def test_command_line_rejects_a_bad_scale(tmp_path, capsys):
    assert cli_main(["--scale", "0", "--out", str(tmp_path)]) == 2
    assert "scale" in capsys.readouterr().err
