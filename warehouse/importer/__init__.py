"""Import a bank's own extracts (CSV, Parquet, .xlsx) into the warehouse through a mapping file, all or nothing.

    result = run_import(source_dir, "mappings/my-bank.toml", db_path, report_path="import-report.csv")
    print(result.summary())

mapping.py reads and checks the mapping; read.py stages each file as text; transform.py converts it to its
contract table; validate.py reports every bad value, key and reference; report.py prints and writes the report;
run.py puts them together and builds the warehouse only when nothing is wrong.
"""

from warehouse.importer.mapping import MappingError
from warehouse.importer.run import ImportResult, run_import

__all__ = ["ImportResult", "MappingError", "run_import"]
