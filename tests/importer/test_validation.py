"""Converting and validating: every bad value is reported with its file, row, column, value and rule, and the
values that are right arrive in the warehouse exactly as the mapping says."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import polars as pl

from tests.importer.conftest import write_files, write_mapping
from warehouse.importer import read, run_import, transform

CUSTOMERS = """
    Id,First,Last,Region,Segment,Tier,Joined
    C1,Ada,Moss,West,Retail,Affluent,10/02/2023
    C2,Ben,Ray,Midwest,Corp,Mass Market,01/07/2024
"""
MAPPING = """
    currency = "EUR"
    delimiter = ","

    [[files]]
    file = "customers.csv"
    table = "customers"

    [files.columns]
    customer_id = "Id"
    first_name = "First"
    last_name = "Last"
    region = "Region"
    segment = { column = "Segment", values = { "Corp" = "Corporate" } }
    wealth_tier = "Tier"
    enrollment_date = { column = "Joined", format = "%d/%m/%Y" }

    [[files]]
    file = "cards.csv"
    table = "card_transactions"
    null_values = ["N/A"]

    [files.columns]
    transaction_id = { derived = "'T' || _row" }
    customer_id = "Customer"
    transaction_at = "When"
    amount = "Amount"
    merchant_category = { column = "Category", default = "Other" }
    channel = { constant = "Online" }
    status = { column = "Ok", values = { "Y" = "Approved", "N" = "Declined" } }
"""


def run(tmp_path, files: dict[str, str | bytes], mapping_text: str = MAPPING, **options):
    source = write_files(tmp_path / "source", files)
    return run_import(source, write_mapping(tmp_path / "mapping.toml", mapping_text), tmp_path / "w.duckdb",
                      report_path=tmp_path / "report.csv", **options)


def problems(result, *columns: str) -> list[tuple]:
    columns = columns or ("rule", "file", "row", "column", "value")
    return result.problems.filter(pl.col("severity") == "error").select(columns).rows()


def rows(db, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_values_arrive_renamed_mapped_converted_and_typed(tmp_path):
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": """
        Customer,When,Amount,Category,Ok
        C1,2024-05-03 10:00:00, 12.50 ,Dining,Y
        C2,2024-06-30,N/A,,N
    """.replace("N/A,,N", "80,,N")})
    assert result.accepted, result.summary()
    db = tmp_path / "w.duckdb"
    assert rows(db, "select customer_id, segment, enrollment_date from customers order by 1") == [
        ("C1", "Retail", date(2023, 2, 10)), ("C2", "Corporate", date(2024, 7, 1))]
    assert rows(db, "select transaction_id, customer_id, transaction_at, amount, merchant_category, channel, status "
                    "from card_transactions order by 1") == [
        ("T2", "C1", datetime(2024, 5, 3, 10), Decimal("12.50"), "Dining", "Online", "Approved"),
        ("T3", "C2", datetime(2024, 6, 30), Decimal("80.00"), "Other", "Online", "Declined")]
    assert rows(db, "select source_kind, currency, as_of_date from meta.build") == [("import", "EUR",
                                                                                      date(2024, 6, 30))]
    assert rows(db, "select file, table_name, rows_read, rows_loaded, duplicates_dropped from meta.import_summary") == [
        ("customers.csv", "customers", 2, 2, 0), ("cards.csv", "card_transactions", 2, 2, 0)]
    assert rows(db, "select count(*) from meta.import_report") == [(0,)]


def test_values_are_trimmed_of_every_kind_of_space_at_their_ends_and_nothing_else(tmp_path):
    nbsp, ideographic = "\u00a0", "\u3000"
    result = run(tmp_path, {"customers.csv": f"""
        Id,First,Last,Region,Segment,Tier,Joined
         C1 ,{nbsp}Ada{nbsp},Moss{ideographic},  West,  Corp ,Mass Market,10/02/2023
        C2,Zoë,"Ray\t",Midwest,Retail,Affluent ,01/07/2024
    """, "cards.csv": "Customer,When,Amount,Category,Ok\n"})
    assert result.accepted, result.summary()
    assert rows(tmp_path / "w.duckdb", "select customer_id, first_name, last_name, region, segment, wealth_tier "
                                       "from customers order by 1") == [
        ("C1", "Ada", "Moss", "West", "Corporate", "Mass Market"), ("C2", "Zoë", "Ray\t", "Midwest", "Retail",
                                                                     "Affluent")]


def test_every_rule_names_the_file_row_column_value(tmp_path):
    result = run(tmp_path, {
        "customers.csv": CUSTOMERS + "    C3,Cy,Lee,West,Retail,Gold,31/02/2024\n"
                                     "    C4,Di,Fox,West,Retail,Affluent,01/01/1850\n",
        "cards.csv": """
            Customer,When,Amount,Category,Ok
            C1,2024-05-03,abc,Dining,Y
            ,2024-05-04,10,Dining,Y
            C1,2024-05-05,-3,Dining,Y
            C9,2024-05-06,10,Dining,Y
            C1,2024-05-07,N/A,Dining,Y
            C1,2024-05-08,10,Dining,Maybe
            C1,2024-05-08,10,Dining,Maybe
        """,
    })
    assert not result.accepted
    assert problems(result) == [
        ("type", "customers.csv", 4, "Joined", "31/02/2024"),  # one row, two problems: by column name
        ("allowed values", "customers.csv", 4, "Tier", "Gold"),
        ("date out of range", "customers.csv", 5, "Joined", "01/01/1850"),
        ("type", "cards.csv", 2, "Amount", "abc"),
        ("required", "cards.csv", 3, "Customer", None),
        ("negative amount", "cards.csv", 4, "Amount", "-3"),
        ("foreign key", "cards.csv", 5, "Customer", "C9"),
        ("required", "cards.csv", 6, "Amount", None),
        ("allowed values", "cards.csv", 7, "Ok", "Maybe"),
        ("duplicate row", "cards.csv", 8, None, None),
    ]
    messages = result.problems.filter(pl.col("severity") == "error")["message"].to_list()
    assert messages == [
        "'31/02/2024' is not a date in the format %d/%m/%Y",
        "'Gold' is not one of: Mass Market, Affluent, High Net Worth, Ultra High Net Worth",
        ("01/01/1850 is outside 1900-01-01 .. 2100-12-31 (set earliest_date / latest_date in the mapping if it is "
         "right)"),
        "'abc' is not an amount (a number such as 1234.50, without currency sign or thousands separator)",
        "a value is required for card_transactions.customer_id",
        "amounts must not be negative",
        "no customers.customer_id is 'C9'",
        "a value is required for card_transactions.amount",
        "'Maybe' is not one of: Approved, Declined, Reversed",
        "same as row 7 in every column; set drop_duplicates = true for this file to drop such rows",
    ]
    targets = dict(zip(result.problems["value"], result.problems["target"], strict=True))
    assert targets["abc"] == "card_transactions.amount" and targets["Gold"] == "customers.wealth_tier"
    assert not (tmp_path / "w.duckdb").exists()
    written = pl.read_csv(tmp_path / "report.csv", infer_schema=False)
    assert written.columns == ["severity", "rule", "file", "row", "column", "target", "value", "message"]
    assert written.height == result.problems.height == 10


def test_duplicates_are_dropped_on_request_and_reported(tmp_path):
    cards = """
        Customer,When,Amount,Category,Ok
        C1,2024-05-03,10,Dining,Y
        C1,2024-05-03,10,Dining,Y
        C2,2024-05-04,20,Travel,Y
        C1,2024-05-03,10,Dining,Y
    """
    mapping_text = MAPPING.replace('null_values = ["N/A"]', 'null_values = ["N/A"]\n    drop_duplicates = true')
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": cards}, mapping_text)
    assert result.accepted, result.summary()
    dropped = result.problems.filter(pl.col("severity") == "dropped")
    assert dropped.select("rule", "file", "row", "message").rows() == [
        ("duplicate row", "cards.csv", 3, "same as row 2 in every column; dropped"),
        ("duplicate row", "cards.csv", 5, "same as row 2 in every column; dropped")]
    db = tmp_path / "w.duckdb"
    assert rows(db, "select transaction_id, amount from card_transactions order by 1") == [
        ("T2", Decimal("10.00")), ("T4", Decimal("20.00"))]
    assert rows(db, "select rule, file, row from meta.import_report order by row") == [
        ("duplicate row", "cards.csv", 3), ("duplicate row", "cards.csv", 5)]
    assert rows(db, "select rows_read, rows_loaded, duplicates_dropped from meta.import_summary "
                    "where table_name = 'card_transactions'") == [(4, 2, 2)]


KEYED_CARDS = MAPPING.replace("""transaction_id = { derived = "'T' || _row" }""", 'transaction_id = "Ref"')


def test_exact_duplicates_are_found_when_the_file_carries_its_key(tmp_path):
    cards = """
        Ref,Customer,When,Amount,Category,Ok
        T1,C1,2024-05-03,10,Dining,Y
        T2,C2,2024-05-04,20,Travel,Y
        T1,C1,2024-05-03,10,Dining,Y
        T3,C1,2024-05-05,30,Dining,Y
        T3,C2,2024-05-05,30,Dining,Y
    """
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": cards}, KEYED_CARDS)
    assert problems(result, "rule", "file", "row", "message") == [  # each mistake once: the copy is not a key reused
        ("duplicate row", "cards.csv", 4,
         "same as row 2 in every column; set drop_duplicates = true for this file to drop such rows"),
        ("unique key", "cards.csv", 6, "key T3 is also on row 5 of cards.csv"),
    ]
    dropping = KEYED_CARDS.replace('null_values = ["N/A"]', 'null_values = ["N/A"]\n    drop_duplicates = true')
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": cards.replace("T3,C2", "T4,C2")}, dropping)
    assert result.accepted, result.summary()
    assert result.problems.select("severity", "rule", "row").rows() == [("dropped", "duplicate row", 4)]
    assert rows(tmp_path / "w.duckdb", "select transaction_id, amount from card_transactions order by 1") == [
        ("T1", Decimal("10.00")), ("T2", Decimal("20.00")), ("T3", Decimal("30.00")), ("T4", Decimal("30.00"))]


def test_a_missing_key_does_not_hide_exact_duplicates(tmp_path):
    cards = """
        Ref,Customer,When,Amount,Category,Ok
        ,C1,2024-05-03,10,Dining,Y
        ,C1,2024-05-03,10,Dining,Y
    """
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": cards}, KEYED_CARDS)
    assert problems(result, "rule", "row") == [("required", 2), ("duplicate row", 3)]


def test_a_well_formed_csv_file_is_converted_without_a_staged_copy_and_reported_alike(tmp_path, monkeypatch):
    files = {"customers.csv": CUSTOMERS + "    C3,Cy,Lee,West,Retail,Gold,01/01/2024\n",
             "cards.csv": "Ref,Customer,When,Amount,Category,Ok\nT1,C1,2024-05-03,-4,Dining,Y\n"
                          "T2,C9,2024-05-04,20,Travel,Y\n"}
    staged, stage = [], read.stage
    monkeypatch.setattr(read, "stage", lambda con, folder, entry, found: (staged.append(entry.file),
                                                                          stage(con, folder, entry, found))[1])
    direct = run(tmp_path / "direct", files, KEYED_CARDS)
    assert staged == []  # both files went straight into their converted tables
    monkeypatch.setattr(transform, "convert_directly", lambda con, path, entry: None)
    through_stage = run(tmp_path / "staged", files, KEYED_CARDS)
    assert staged == ["customers.csv", "cards.csv"]
    assert problems(direct) == problems(through_stage) == [
        ("allowed values", "customers.csv", 4, "Tier", "Gold"),
        ("negative amount", "cards.csv", 2, "Amount", "-4"),
        ("foreign key", "cards.csv", 3, "Customer", "C9"),
    ]
    assert direct.files == through_stage.files


def test_keys_are_unique_across_every_file_of_a_table(tmp_path):
    mapping_text = MAPPING + """
    [[files]]
    file = "more_customers.csv"
    table = "customers"

    [files.columns]
    customer_id = "Id"
    first_name = "First"
    last_name = "Last"
    region = "Region"
    segment = "Segment"
    wealth_tier = "Tier"
    enrollment_date = { column = "Joined", format = "%d/%m/%Y" }
    """
    result = run(tmp_path, {
        "customers.csv": CUSTOMERS + "    C1,Ada,Moss-Lee,West,Retail,Affluent,10/02/2023\n",
        "more_customers.csv": "Id,First,Last,Region,Segment,Tier,Joined\nC5,Eve,Hart,West,Retail,Affluent,01/01/2024\n"
                              "C2,Ben,Ray,Midwest,Corporate,Mass Market,01/07/2024\n",
        "cards.csv": "Customer,When,Amount,Category,Ok\nC5,2024-05-03,10,Dining,Y\n",
    }, mapping_text)
    assert problems(result, "rule", "file", "row", "value", "message") == [
        ("unique key", "customers.csv", 4, "C1", "key C1 is also on row 2 of customers.csv"),
        ("unique key", "more_customers.csv", 3, "C2", "key C2 is also on row 3 of customers.csv"),
    ]


def test_a_reference_to_a_table_not_imported_says_so(tmp_path):
    mapping_text = MAPPING[MAPPING.index("[[files]]\n    file = \"cards.csv\""):]
    result = run(tmp_path, {"cards.csv": "Customer,When,Amount,Category,Ok\nC1,2024-05-03,10,Dining,Y\n"},
                 'delimiter = ","\n' + "    " + mapping_text)
    assert problems(result, "rule", "row", "value", "message") == [
        ("foreign key", 2, "C1", ("'C1' cannot match: this import has no customers (map a file to it, or leave "
                                  "card_transactions.customer_id unmapped)"))]


def test_derived_columns_are_one_expression_over_the_files_own_columns(tmp_path):
    files = {"customers.csv": CUSTOMERS, "cards.csv": "Customer,When,Amount,Category,Ok\nC1,2024-05-03,10,D,Y\n"}
    for expression, rule, message in [
        ("(select max(customer_id) from customers)", "derived column",
         ("the expression for transaction_id cannot be used: it may only use the file's own columns: no "
          "subqueries or other tables")),
        ("'T' || _row); drop table customers; select (1", "derived column",
         "the expression for transaction_id cannot be used: it is not a SQL expression"),
        ("'T' || \"Number\"", "derived column",
         "the expression for transaction_id cannot be used: the file has no column(s) 'Number'"),
        ("cast(\"Category\" as integer)", "derived column",
         "the expression for transaction_id failed: Conversion Error"),
    ]:
        result = run(tmp_path, files, MAPPING.replace("\"'T' || _row\"", '"""' + expression + '"""'))
        found = result.problems.filter(pl.col("severity") == "error")
        assert found.select("rule", "file").rows() == [(rule, "cards.csv")], expression
        assert found["message"][0].startswith(message), found["message"][0]


def test_identifiers_and_values_cannot_escape_their_quotes(tmp_path):
    hostile = "x'); drop table customers; --"
    mapping_text = MAPPING.replace('first_name = "First"', 'first_name = \'Na"me\'')
    result = run(tmp_path, {
        "customers.csv": 'Id,"Na""me",Last,Region,Segment,Tier,Joined\n'
                         f'C1,"{hostile}",O\'Brien,West,Retail,Affluent,10/02/2023\n',
        "cards.csv": "Customer,When,Amount,Category,Ok\nC1,2024-05-03,10,Dining,Y\n",
    }, mapping_text)
    assert result.accepted, result.summary()
    assert rows(tmp_path / "w.duckdb", "select first_name, last_name from customers") == [(hostile, "O'Brien")]


def test_a_table_whose_columns_are_all_text_and_all_mapped(tmp_path):
    result = run(tmp_path, {"groups.csv": "Group,Name,Mail\nG1,North,n@example.com\nG2,South,\n"}, """
        delimiter = ","
        [[files]]
        file = "groups.csv"
        table = "billing_groups"
        [files.columns]
        billing_group_id = "Group"
        group_name = "Name"
        billing_email = "Mail"
        collector_id = { derived = "null" }
    """)
    assert result.accepted, result.summary()
    assert rows(tmp_path / "w.duckdb", "select * from billing_groups order by 1") == [
        ("G1", "North", "n@example.com", None), ("G2", "South", None, None)]


def test_a_file_with_only_a_header_is_a_note_and_loads_nothing(tmp_path):
    result = run(tmp_path, {"customers.csv": CUSTOMERS, "cards.csv": "Customer,When,Amount,Category,Ok\n"})
    assert result.accepted, result.summary()
    assert result.problems.select("severity", "rule", "file").rows() == [("note", "no rows", "cards.csv")]
    assert rows(tmp_path / "w.duckdb", "select count(*) from card_transactions") == [(0,)]
