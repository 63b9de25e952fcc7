"""The app starts on a built warehouse and shows a clear stop page when there is none."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from warehouse import build, settings

APP = str(settings.PROJECT_ROOT / "streamlit_app.py")


@pytest.fixture()
def app_on(monkeypatch):
    def run(db_path) -> AppTest:
        monkeypatch.setenv("CFI_DB", str(db_path))
        app = AppTest.from_file(APP, default_timeout=30)
        app.switch_page("pages/data_and_measures.py")
        app.run()
        return app
    return run


def test_data_page_shows_the_build_and_row_counts(app_on, tiny_raw, tmp_path):
    db = tmp_path / "w.duckdb"
    build.build(tiny_raw, db)
    app = app_on(db)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Data as of"] == "Jun 30, 2024"
    assert metrics["Source rows"] == "4"  # 2 customers + 2 card transactions
    assert metrics["Measures and views"] == str(len(build.load_catalog()))
    assert app.caption[1].value.startswith(f"Loaded from {tiny_raw} · amounts in USD")
    catalog_table = app.dataframe[1].value
    assert catalog_table["answers"].str.len().min() > 0, "every view shows what it answers"


def test_without_a_warehouse_the_app_says_how_to_create_one(app_on, tmp_path):
    app = app_on(tmp_path / "missing.duckdb")
    assert not app.exception
    assert "not available" in app.error[0].value
    assert "python -m warehouse demo" in app.code[0].value
