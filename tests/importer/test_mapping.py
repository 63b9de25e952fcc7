"""The mapping file: every mistake reported at once, each naming where it is and what would be right."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.importer.conftest import MAPPINGS, write_files, write_mapping
from warehouse import settings
from warehouse.importer import MappingError, mapping, run_import

GOOD = """
    currency = "GBP"
    as_of = 2024-06-30

    [[files]]
    file = "bills.csv"
    table = "bills"

    [files.columns]
    bill_id = "Bill"
    customer_id = "Customer"
    sales_channel = { constant = "Household" }
    location = { constant = "North" }
    issue_date = { column = "Issued", format = "%d/%m/%Y" }
    due_date = { derived = "cast(strptime(\\"Issued\\", '%d/%m/%Y') as date) + 14" }
    amount = { column = "Amount", default = 0 }
"""


def mistakes(tmp_path, text: str) -> list[str]:
    with pytest.raises(MappingError) as caught:
        mapping.load(write_mapping(tmp_path / "m.toml", text))
    return caught.value.mistakes


def test_a_good_mapping_reads_into_rules(tmp_path):
    loaded = mapping.load(write_mapping(tmp_path / "m.toml", GOOD))
    assert (loaded.currency, loaded.as_of.isoformat(), loaded.tables) == ("GBP", "2024-06-30", ("bills",))
    (entry,) = loaded.files
    rules = {r.target: r for r in entry.columns}
    assert rules["bill_id"].source == "Bill" and rules["location"].constant == "North"
    assert rules["issue_date"].format == "%d/%m/%Y" and rules["amount"].default == "0"
    assert rules["due_date"].derived.startswith("cast(strptime(")
    assert entry.source_columns() == ["Bill", "Customer", "Issued", "Amount"]
    assert (entry.delimiter, entry.encoding, entry.drop_duplicates) == (None, "utf-8", False)


def test_unknown_table_is_named_with_the_known_ones(tmp_path):
    found = mistakes(tmp_path, GOOD.replace('table = "bills"', 'table = "invoices"'))
    assert len(found) == 1
    assert found[0].startswith("files[1] (bills.csv): unknown table 'invoices'; the contract tables are: customers,")


def test_unknown_column_is_named_with_the_tables_columns(tmp_path):
    found = mistakes(tmp_path, GOOD.replace('bill_id = "Bill"', 'bill_id = "Bill"\n    bill_number = "No"'))
    assert found == [("files[1] (bills.csv -> bills), column bill_number: bills has no column 'bill_number'; its "
                      "columns are: bill_id, customer_id, billing_group_id, sales_channel, sales_subchannel, "
                      "location, issue_date, due_date, amount")]


def test_bad_date_formats_are_explained(tmp_path):
    friendly = mistakes(tmp_path, GOOD.replace('format = "%d/%m/%Y"', 'format = "dd-mm-yyyy"'))
    assert friendly == [("files[1] (bills.csv -> bills), column issue_date: format 'dd-mm-yyyy' is not a date "
                         "format: use strptime codes such as %d-%m-%Y or %Y-%m-%d %H:%M; 'dd-mm-yyyy' is written "
                         "'%d-%m-%Y'")]
    unknown_code = mistakes(tmp_path, GOOD.replace('format = "%d/%m/%Y"', 'format = "%d/%Q/%Y"'))
    assert len(unknown_code) == 1 and "format '%d/%Q/%Y' is not a date format" in unknown_code[0]
    assert "%Q" in unknown_code[0].split("is not a date format:")[1]
    not_a_date = mistakes(tmp_path, GOOD.replace('amount = { column = "Amount", default = 0 }',
                                                 'amount = { column = "Amount", format = "%d" }'))
    assert not_a_date == [("files[1] (bills.csv -> bills), column amount: `format` is for date and timestamp "
                           "columns; amount is DECIMAL(18,2)")]


def test_every_mistake_is_reported_at_once(tmp_path):
    text = (GOOD.replace('currency = "GBP"', 'currency = "pounds"')
            .replace('location = { constant = "North" }', 'location = { constant = "North", column = "Area" }')
            .replace('bill_id = "Bill"', 'bill_id = { colum = "Bill" }')
            .replace("[files.columns]", 'delimter = ";"\n\n    [files.columns]'))
    found = mistakes(tmp_path, text)
    assert found == [
        "currency 'pounds' is not a three-letter ISO code such as USD, GBP or EUR",
        ("files[1] (bills.csv): unknown key 'delimter'; known keys: columns, date_format, delimiter, "
         "drop_duplicates, encoding, file, null_values, quote, sheet, table"),
        ("files[1] (bills.csv -> bills), column bill_id: unknown key 'colum'; known keys: column, constant, default, "
         "derived, format, values"),
        ("files[1] (bills.csv -> bills), column bill_id: needs exactly one of `column`, `constant` or `derived` "
         "(found none)"),
        ("files[1] (bills.csv -> bills), column location: needs exactly one of `column`, `constant` or `derived` "
         "(found column, constant)"),
    ]


def test_required_columns_must_be_mapped_optional_ones_need_not(tmp_path):
    found = mistakes(tmp_path, GOOD.replace('    location = { constant = "North" }\n', ""))
    assert found == [("files[1] (bills.csv -> bills): required column bills.location (Location (branch or area) "
                      "the bill belongs to.) is not mapped; map it to a source column, a constant or a derived "
                      "expression")]
    # billing_group_id and sales_subchannel are optional and unmapped in GOOD: no mistake


def test_not_toml_and_missing_file(tmp_path):
    assert mistakes(tmp_path, "currency = ")[0].startswith("not valid TOML: ")
    with pytest.raises(MappingError, match="the mapping file does not exist"):
        mapping.load(tmp_path / "nowhere.toml")
    assert mistakes(tmp_path, 'currency = "USD"') == [
        "no [[files]] entries: each one maps a source file to a contract table"]


def test_paths_outside_the_source_folder_and_unknown_encodings(tmp_path):
    text = GOOD.replace('file = "bills.csv"', 'file = "../secrets/bills.csv"\n    encoding = "cp1252"')
    assert mistakes(tmp_path, text) == [
        "files[1] (../secrets/bills.csv): file '../secrets/bills.csv' must be a path inside the source folder",
        "files[1] (../secrets/bills.csv -> bills): encoding 'cp1252' is not one of utf-8, latin-1, utf-16",
    ]


def test_a_mapping_error_changes_nothing_and_the_command_says_why(tmp_path):
    source = write_files(tmp_path / "src", {"bills.csv": "Bill,Customer,Issued,Amount\n"})
    bad = write_mapping(tmp_path / "m.toml", GOOD.replace('table = "bills"', 'table = "invoices"'))
    db = tmp_path / "w.duckdb"
    with pytest.raises(MappingError):
        run_import(source, bad, db)
    assert not db.exists()
    done = subprocess.run([sys.executable, "-m", "warehouse", "import", str(source), "--mapping", str(bad), "--db",
                           str(db)], capture_output=True, text=True, cwd=settings.PROJECT_ROOT, timeout=120,
                          check=False)
    assert done.returncode == 2
    assert f"error: {bad}: 1 mistake(s) in the mapping" in done.stderr
    assert "unknown table 'invoices'" in done.stderr
    assert not db.exists() and not (tmp_path / "import-report.csv").exists()


@pytest.mark.parametrize("example", sorted(p.name for p in MAPPINGS.glob("*.toml")))
def test_every_example_mapping_loads(example):
    loaded = mapping.load(MAPPINGS / example)
    assert loaded.files and all(entry.delimiter == "," for entry in loaded.files)


def test_the_annotated_example_of_the_documentation_is_a_valid_mapping(tmp_path):
    documented = (MAPPINGS / "README.md").read_text(encoding="utf-8")
    example = documented.split("```toml\n", 1)[1].split("```", 1)[0]
    loaded = mapping.load(write_mapping(tmp_path / "example.toml", example))
    (entry,) = loaded.files
    assert (entry.table, entry.delimiter, entry.null_values) == ("bills", ",", ("N/A", "-"))
    assert {r.target for r in entry.columns} == {"customer_id", "amount", "due_date", "issue_date", "sales_channel",
                                                 "location", "bill_id"}
