"""Page tests: a tiny hand-made warehouse per page, and the app opened on it with AppTest."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import specs
from tests.conftest import write_raw
from warehouse import build, settings

APP = str(settings.PROJECT_ROOT / "streamlit_app.py")


def fixture_warehouse(directory: Path, rows: Mapping[str, list[dict]], as_of: date) -> Path:
    """A warehouse file holding exactly `rows`, built by the real build."""
    db = directory / "warehouse.duckdb"
    build.build(write_raw(directory / "raw", dict(rows)), db, as_of=as_of)
    return db


@pytest.fixture()
def open_page(monkeypatch):
    """open_page(db, "pages/x.py", query_params={...}, state={...}) -> the AppTest after the page has run.

    `state` sets session-state keys before the run: how a test simulates a click on a chart or a row."""

    def run(db: Path, page: str, query_params: Mapping[str, object] | None = None,
            state: Mapping[str, object] | None = None) -> AppTest:
        monkeypatch.setenv("CFI_DB", str(db))
        app = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query_params or {}).items():
            app.query_params[key] = value
        for key, value in (state or {}).items():
            app.session_state[key] = value
        if page != "pages/overview.py":
            app.switch_page(page)
        app.run()
        return app

    return run


def metrics(app: AppTest) -> dict[str, str]:
    """KPI cards by label -> displayed value."""
    return {m.label: m.value for m in app.metric}


def deltas(app: AppTest) -> dict[str, str | None]:
    return {m.label: m.delta for m in app.metric}


def rerun(app: AppTest) -> None:
    """The session's next run, through the entry point as on a server. AppTest would run the page script directly
    with the previous run's context (it takes pages/ for an old-style multipage app on every run); without a
    context the page reruns through streamlit_app.py (app.context.current)."""
    del app.session_state["context.current"]
    app.run()


@pytest.fixture(autouse=True)
def charts_checked_against_the_schema(monkeypatch):
    """The app draws chart specs without Altair's schema check (app/specs.py): here every chart a page test draws
    is checked, from an empty spec cache so that none is served unchecked."""
    unchecked = specs.to_spec

    def checked(chart):
        chart.to_dict(validate=True)  # raises a SchemaValidationError naming the offending property
        return unchecked(chart)

    monkeypatch.setattr(specs, "to_spec", checked)
    monkeypatch.setattr(specs, "_specs", OrderedDict())
