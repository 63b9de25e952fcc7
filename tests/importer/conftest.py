"""Fixtures for the importer: source folders written by hand, the reference datasets, imported warehouses."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.pages.conftest import open_page  # noqa: F401  (the page tests' AppTest fixture, for imported warehouses)
from warehouse import settings
from warehouse.importer import run_import

REFERENCE_DATA = settings.PROJECT_ROOT.parent / "shared" / "reference-data"
MAPPINGS = settings.PROJECT_ROOT / "mappings"
needs_reference_data = pytest.mark.skipif(not REFERENCE_DATA.is_dir(),
                                          reason=f"reference datasets not found at {REFERENCE_DATA}")


def write_files(directory: Path, files: dict[str, str | bytes]) -> Path:
    """A source folder: name -> text (dedented, UTF-8) or raw bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return directory


def write_mapping(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def reference_warehouses(tmp_path_factory):
    """name -> (warehouse path, ImportResult) for each reference dataset, imported once with its example mapping."""
    if not REFERENCE_DATA.is_dir():
        pytest.skip(f"reference datasets not found at {REFERENCE_DATA}")
    built = {}

    def get(name: str):
        if name not in built:
            directory = tmp_path_factory.mktemp(name)
            db = directory / "warehouse.duckdb"
            result = run_import(REFERENCE_DATA / name, MAPPINGS / f"{name}.toml", db,
                                report_path=directory / "report.csv")
            built[name] = (db, result)
        return built[name]

    return get
