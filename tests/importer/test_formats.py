"""Reading sources: CSV with any delimiter and encoding, .xlsx sheets, Parquet; files that cannot be read say why."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import polars as pl
import pytest
from openpyxl import Workbook

from tests.importer.conftest import write_files, write_mapping
from warehouse.importer import read, run_import

EXPENSES = """
    [[files]]
    file = "{file}"
    table = "expenses"
    {options}

    [files.columns]
    expense_id = "Ref"
    expense_date = {date}
    department = "Dept"
    category = {{ constant = "Rent" }}
    region = {{ constant = "North" }}
    amount = "Amount"
"""


def mapping_for(tmp_path, file: str, options: str = "", date_rule: str = '"Booked"', more: str = ""):
    return write_mapping(tmp_path / "m.toml", more + EXPENSES.format(file=file, options=options, date=date_rule))


def loaded(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select expense_id, expense_date, department, amount from expenses order by 1").fetchall()
    finally:
        con.close()


def errors(result) -> list[tuple]:
    return result.problems.filter(pl.col("severity") == "error").select("rule", "file", "row", "column",
                                                                          "value").rows()


def test_any_delimiter_said_or_detected(tmp_path):
    rows = [("E1", date(2024, 1, 5), "Ops", Decimal("10.50")), ("E2", date(2024, 2, 6), "IT; Web", Decimal("7.00"))]
    for name, content, options in [
        ("semicolon.csv", 'Ref;Booked;Dept;Amount\nE1;2024-01-05;Ops;10.50\nE2;2024-02-06;"IT; Web";7\n',
         'delimiter = ";"'),
        ("tabs.tsv", "Ref\tBooked\tDept\tAmount\nE1\t2024-01-05\tOps\t10.50\nE2\t2024-02-06\tIT; Web\t7\n",
         'delimiter = "\\t"'),
        ("pipes.txt", "Ref|Booked|Dept|Amount\nE1|2024-01-05|Ops|10.50\nE2|2024-02-06|IT; Web|7\n", ""),  # detected
        ("double-pipes.txt", "Ref||Booked||Dept||Amount\nE1||2024-01-05||Ops||10.50\nE2||2024-02-06||IT; Web||7\n",
         'delimiter = "||"'),
        ("unquoted.csv", "Ref,Booked,Dept,Amount\nE1,2024-01-05,Ops,10.50\nE2,2024-02-06,IT; Web,7\n",
         'delimiter = ","\n    quote = ""'),
    ]:
        source = write_files(tmp_path / name, {name: content})
        db = tmp_path / f"{name}.duckdb"
        result = run_import(source, mapping_for(tmp_path, name, options), db)
        assert result.accepted, result.summary()
        assert loaded(db) == rows, name


def test_a_byte_order_mark_or_latin1_text_is_read_without_staging_when_the_delimiter_is_named(tmp_path,
                                                                                                  monkeypatch):
    monkeypatch.setattr(read, "stage", lambda *args: pytest.fail("the file was staged"))
    text = "Ref,Booked,Dept,Amount\nE1,2024-01-05,Régie,10\n"
    for name, content, options in [("bom.csv", ("\ufeff" + text).encode("utf-8"), 'delimiter = ","'),
                                   ("latin.csv", text.encode("latin-1"), 'delimiter = ","\n    encoding = "latin-1"')]:
        db = tmp_path / f"{name}.duckdb"
        result = run_import(write_files(tmp_path / name, {name: content}), mapping_for(tmp_path, name, options), db)
        assert result.accepted, result.summary()
        assert loaded(db) == [("E1", date(2024, 1, 5), "Régie", Decimal("10.00"))], name


def test_latin1_files_load_when_the_mapping_says_so_and_are_reported_when_it_does_not(tmp_path):
    source = write_files(tmp_path / "src", {"costs.csv": "Ref,Booked,Dept,Amount\nE1,2024-01-05,Régie,10\n"
                                                          "E2,2024-01-06,Ops,3\n".encode("latin-1")})
    db = tmp_path / "w.duckdb"
    said = run_import(source, mapping_for(tmp_path, "costs.csv", 'encoding = "latin-1"'), db)
    assert said.accepted and loaded(db)[0][2] == "Régie"
    unsaid = run_import(source, mapping_for(tmp_path, "costs.csv"), tmp_path / "other.duckdb")
    assert errors(unsaid) == [("encoding", "costs.csv", 2, "Dept", "E1,2024-01-05,R\ufffdgie,10")]
    assert unsaid.problems["message"][0] == ('not utf-8 text; set encoding = "latin-1" in the mapping if that is how '
                                             "the file was saved")
    header = write_files(tmp_path / "hdr", {"costs.csv": "Réf,Booked,Dept,Amount\nE1,2024-01-05,Ops,10\n"
                                            .encode("latin-1")})
    assert errors(run_import(header, mapping_for(tmp_path, "costs.csv"), tmp_path / "h.duckdb")) == [
        ("encoding", "costs.csv", 1, None, "R\ufffdf,Booked,Dept,Amount")]


def test_malformed_lines_are_reported_by_line(tmp_path):
    source = write_files(tmp_path / "src", {"costs.csv": "Ref,Booked,Dept,Amount\nE1,2024-01-05,Ops,10\n"
                                                         "E2,2024-01-06,Ops\nE3,2024-01-07,Ops,1,extra\n"})
    result = run_import(source, mapping_for(tmp_path, "costs.csv", 'delimiter = ","'), tmp_path / "w.duckdb")
    assert errors(result) == [("malformed line", "costs.csv", 3, "Amount", "E2,2024-01-06,Ops"),
                              ("malformed line", "costs.csv", 4, None, "E3,2024-01-07,Ops,1,extra")]
    assert result.problems["message"].to_list() == ["Expected Number of Columns: 4 Found: 3",
                                                    "Expected Number of Columns: 4 Found: 5"]


def test_a_missing_column_names_the_near_miss(tmp_path):
    source = write_files(tmp_path / "src", {"costs.csv": "ref,Booked,Dept,Amount\nE1,2024-01-05,Ops,10\n"})
    result = run_import(source, mapping_for(tmp_path, "costs.csv"), tmp_path / "w.duckdb")
    assert errors(result) == [("missing column", "costs.csv", 1, "Ref", None)]
    assert result.problems["message"][0] == ("the header has no column 'Ref', which the mapping reads for "
                                             "expenses.expense_id (did you mean 'ref'?)")


def test_the_columns_listed_are_the_files_own_and_reserved_names_are_refused(tmp_path):
    source = write_files(tmp_path / "src", {"costs.csv": "Key,Booked,Dept,Amount\nE1,2024-01-05,Ops,10\n"})
    result = run_import(source, mapping_for(tmp_path, "costs.csv"), tmp_path / "w.duckdb")
    assert result.problems["message"][0] == ("the header has no column 'Ref', which the mapping reads for "
                                             "expenses.expense_id; its columns are: Key, Booked, Dept, Amount")
    source = write_files(tmp_path / "reserved", {"costs.csv": "Ref,Booked,Dept,Amount,_row\nE1,2024-01-05,Ops,10,x\n"})
    result = run_import(source, mapping_for(tmp_path, "costs.csv"), tmp_path / "w.duckdb")
    assert errors(result) == [("unreadable file", "costs.csv", None, None, None)]
    assert result.problems["message"][0] == ("the file has a column named _row, a name the importer reserves for "
                                             "the row number; rename it")


def test_sheets_of_a_workbook(tmp_path):
    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["Costs workbook"])
    sheet = book.create_sheet("Costs")
    sheet.append(["Ref", "Booked", "Dept", "Amount"])
    sheet.append(["E1", datetime(2024, 1, 5), "Ops", 10.5])
    sheet.append([None, None, None, None])  # a blank row inside the data is a row with nothing in it
    sheet.append(["E3", "06/02/2024", "IT", 7])
    sheet.append([None, None, None, None])  # trailing blank rows are formatting
    (tmp_path / "src").mkdir()
    book.save(tmp_path / "src" / "costs.xlsx")
    db = tmp_path / "w.duckdb"
    rule = '{ column = "Booked", format = "%d/%m/%Y" }'
    result = run_import(tmp_path / "src", mapping_for(tmp_path, "costs.xlsx", 'sheet = "Costs"', rule), db)
    # the workbook's date cell arrives as ISO text, which the dd/mm/yyyy format does not read
    assert errors(result) == [("type", "costs.xlsx [Costs]", 2, "Booked", "2024-01-05"),
                              ("required", "costs.xlsx [Costs]", 3, "Amount", None),
                              ("required", "costs.xlsx [Costs]", 3, "Booked", None),
                              ("required", "costs.xlsx [Costs]", 3, "Dept", None),
                              ("required", "costs.xlsx [Costs]", 3, "Ref", None)]
    sheet.delete_rows(3)
    sheet["B3"] = datetime(2024, 2, 6)
    book.save(tmp_path / "src" / "costs.xlsx")
    result = run_import(tmp_path / "src", mapping_for(tmp_path, "costs.xlsx", 'sheet = "Costs"'), db)
    assert result.accepted, result.summary()
    assert loaded(db) == [("E1", date(2024, 1, 5), "Ops", Decimal("10.50")), ("E3", date(2024, 2, 6), "IT",
                                                                               Decimal("7.00"))]
    missing = run_import(tmp_path / "src", mapping_for(tmp_path, "costs.xlsx", 'sheet = "Expenses"'), db)
    assert errors(missing) == [("missing sheet", "costs.xlsx [Expenses]", None, None, "Expenses")]
    assert missing.problems["message"][0] == "costs.xlsx has no sheet 'Expenses'; its sheets are: Cover, Costs"


def test_parquet_sources_keep_their_values(tmp_path):
    (tmp_path / "src").mkdir()
    pl.DataFrame({"Ref": ["E1", "E2"], "Booked": [date(2024, 1, 5), date(2024, 2, 6)], "Dept": ["Ops", "IT"],
                  "Amount": [10.5, 7.0]}).write_parquet(tmp_path / "src" / "costs.parquet")
    db = tmp_path / "w.duckdb"
    result = run_import(tmp_path / "src", mapping_for(tmp_path, "costs.parquet"), db)
    assert result.accepted, result.summary()
    assert loaded(db) == [("E1", date(2024, 1, 5), "Ops", Decimal("10.50")),
                          ("E2", date(2024, 2, 6), "IT", Decimal("7.00"))]


def test_missing_and_unreadable_files(tmp_path):
    source = write_files(tmp_path / "src", {"Costs.csv": "Ref\n", "broken.xlsx": b"not a zip file"})
    result = run_import(source, mapping_for(tmp_path, "costs.csv"), tmp_path / "w.duckdb")
    assert errors(result) == [("missing file", "costs.csv", None, None, None)]
    assert result.problems.filter(pl.col("severity") == "error")["message"][0] == (
        "costs.csv is not in the source folder (there is Costs.csv: names are case-sensitive)")
    assert result.problems.filter(pl.col("severity") == "note").select("rule", "file").rows() == [
        ("file not mapped", "Costs.csv"), ("file not mapped", "broken.xlsx")]
    broken = run_import(source, mapping_for(tmp_path, "broken.xlsx"), tmp_path / "w.duckdb")
    assert errors(broken) == [("unreadable file", "broken.xlsx", None, None, None)]
    assert broken.problems.filter(pl.col("severity") == "error")["message"][0].startswith(
        "broken.xlsx is not a readable .xlsx workbook")
