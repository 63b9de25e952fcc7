"""Sign-in and roles in the app, with mock users: who sees which pages and which rows, and who sees nothing.

The bank: three customers, West/Retail (AUM 1,000), West/Corporate (AUM 2,000), Midwest/Retail (AUM 4,000).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
import streamlit
from streamlit import config
from streamlit.runtime.secrets import Secrets
from streamlit.testing.v1 import AppTest

from app.auth import LOCAL_USER, ROLES_FILE
from tests.factories import row
from tests.pages.conftest import APP, fixture_warehouse, metrics
from warehouse.gateway import Gateway
from warehouse.queries import overview
from warehouse.scope import Scope

HALF_YEAR = ["2024-01-01", "2024-06-30"]
ROWS = {
    "customers": [
        row("customers", customer_id="C1", region="West", segment="Retail"),
        row("customers", customer_id="C2", region="West", segment="Corporate"),
        row("customers", customer_id="C3", region="Midwest", segment="Retail"),
    ],
    "products": [row("products")],
    "enrollments": [row("enrollments", account_id=f"A{n}", customer_id=f"C{n}") for n in (1, 2, 3)],
    "account_balances": [
        row("account_balances", account_id=account, month_end=date(2024, 6, 30), balance=balance)
        for account, balance in (("A1", 1000), ("A2", 2000), ("A3", 4000))
    ],
}
ROLES = """
contact = "the data team"

[roles.executive]
pages = "*"

[roles.manager]
pages = ["overview", "wealth", "operations", "catalog"]

[roles.collector]
pages = ["receivables", "collections", "worklist"]

[users."boss@bank.example"]
role = "executive"
regions = "*"

[users."west@bank.example"]
role = "manager"
regions = ["West"]

[users."west.retail@bank.example"]
role = "manager"
regions = ["West"]
segments = ["Retail"]

[users."ann@bank.example"]
role = "collector"
regions = ["Midwest"]

[users."typo@bank.example"]
role = "manager"
regions = ["West", "Wset"]
"""
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only",
        "client_id": "test-only", "client_secret": "test-only",
        "server_metadata_url": "https://id.bank.example/.well-known/openid-configuration"}


@pytest.fixture(scope="module")
def bank(tmp_path_factory) -> Path:
    return fixture_warehouse(tmp_path_factory.mktemp("access"), ROWS, as_of=date(2024, 6, 30))


@pytest.fixture()
def open_as(bank, tmp_path, monkeypatch):
    """open_as(user, page=..., roles=..., local_user=...) -> the AppTest after one run.

    user: st.user's claims, which turns sign-in on (an [auth] table); None for local mode. roles: the roles
    file's text (None: no roles file). A fresh AppTest per call, as st.navigation wants."""

    def run(user: Mapping[str, object] | None, *, page: str | None = None, roles: str | None = ROLES,
            local_user: str | None = None, query_params: Mapping[str, object] | None = None) -> AppTest:
        monkeypatch.setenv("CFI_DB", str(bank))
        monkeypatch.delenv(ROLES_FILE, raising=False)
        monkeypatch.delenv(LOCAL_USER, raising=False)
        if roles is not None:
            (tmp_path / "roles.toml").write_text(roles)
            monkeypatch.setenv(ROLES_FILE, str(tmp_path / "roles.toml"))
        if local_user is not None:
            monkeypatch.setenv(LOCAL_USER, local_user)
        app = AppTest.from_file(APP, default_timeout=60)
        if user is not None:
            app.secrets["auth"] = AUTH
            app.user = dict(user)
        for key, value in {"period": HALF_YEAR, **(query_params or {})}.items():
            app.query_params[key] = value
        if page:
            app.switch_page(page)
        return app.run()

    return run


def signed_in(email: str, **claims: object) -> dict[str, object]:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0], **claims}


def texts(app: AppTest) -> str:
    """Everything the run wrote, main area and sidebar, as one string without markdown's escapes."""
    parts = [e.value for kind in ("title", "markdown", "caption", "error", "warning", "info", "code")
             for e in getattr(app, kind)]
    return re.sub(r"\\(.)", r"\1", "\n".join(str(p) for p in parts))


def shows_no_data(app: AppTest) -> bool:
    return not (app.metric or app.dataframe or app.get("arrow_vega_lite_chart") or app.multiselect)


def test_local_mode_without_a_roles_file_shows_everything_and_says_nobody_signs_in(open_as):
    app = open_as(None, roles=None)
    assert not app.exception
    assert metrics(app)["AUM"] == "$7.00K"  # 1,000 + 2,000 + 4,000
    label = app.sidebar.info[0].value
    assert label.startswith("Local mode — no sign-in") and "sees all data" in label
    assert not [b for b in app.button if b.label == "Sign out"]


def test_with_sign_in_configured_a_visitor_sees_only_the_sign_in_page(open_as):
    app = open_as({"is_logged_in": False}, page="pages/wealth.py")
    assert not app.exception
    assert [b.label for b in app.button] == ["Sign in"]
    assert shows_no_data(app) and "Wealth" not in texts(app)


def test_a_signed_in_user_without_an_entry_sees_who_they_are_and_whom_to_ask_and_no_data(open_as):
    for page in (None, "pages/overview.py", "pages/worklist.py"):
        app = open_as(signed_in("stranger@bank.example"), page=page)
        assert not app.exception
        message = texts(app)
        assert "You are signed in as stranger@bank.example" in message
        assert "Ask the data team for access." in message
        assert shows_no_data(app), f"{page}: a refused viewer must see no figure"
        assert [b.label for b in app.button] == ["Sign out"]


def test_a_region_limited_user_sees_only_their_regions_figures_and_filters(open_as):
    app = open_as(signed_in("WEST@bank.example"))
    assert not app.exception
    assert metrics(app)["AUM"] == "$3.00K"  # West: 1,000 + 2,000
    assert metrics(app)["Customers"] == "2"
    assert app.multiselect(key="region").options == ["West"]
    assert "Signed in as **WEST@bank.example** · manager · West" in texts(app), "as they signed in"
    assert [b.label for b in app.sidebar.button] == ["Reset filters", "Sign out"]


def test_a_link_cannot_widen_a_limited_users_regions(open_as):
    app = open_as(signed_in("west@bank.example"), query_params={"region": ["Midwest", "West"]})
    assert metrics(app)["AUM"] == "$3.00K", "Midwest is not on offer: only West is applied"
    assert app.multiselect(key="region").value == ["West"]


def test_a_region_and_segment_limited_user_sees_only_rows_in_both(open_as):
    app = open_as(signed_in("west.retail@bank.example"))
    assert metrics(app)["AUM"] == "$1.00K"  # West and Retail: C1 alone
    assert app.multiselect(key="segment").options == ["Retail"]


def test_the_aum_forecast_macro_follows_the_viewers_regions_and_segments(bank):
    gateway = Gateway.open(bank)
    period = (date(2024, 1, 1), date(2024, 6, 30))
    limited = overview.aum_forecast(gateway, Scope(*period, allowed_regions=("West",), allowed_segments=("Retail",)))
    chosen = overview.aum_forecast(gateway, Scope(*period, regions=("West",), segments=("Retail",)))
    gateway.close()
    assert limited.filter(~limited["is_forecast"])["aum"].to_list()[-1] == 1000  # C1 alone
    assert limited.equals(chosen)


def test_a_region_the_data_does_not_hold_is_pointed_out_and_matches_nothing(open_as):
    app = open_as(signed_in("typo@bank.example"))
    assert metrics(app)["AUM"] == "$3.00K", "West alone"
    assert "Your access names region 'Wset', which the data does not hold; the data team can check" in texts(app)


def test_an_executive_sees_the_whole_bank(open_as):
    app = open_as(signed_in("boss@bank.example"))
    assert metrics(app)["AUM"] == "$7.00K"
    assert "all regions" in app.sidebar.caption[-1].value


def test_a_page_outside_the_role_is_not_opened_and_says_why(open_as):
    app = open_as(signed_in("ann@bank.example"), page="pages/overview.py")
    assert not app.exception
    assert app.title[0].value == "Overview"
    assert app.warning[0].value == "Overview is not available to your role (collector)."
    assert not app.metric
    first = open_as(signed_in("ann@bank.example"))
    assert first.title[0].value == "Receivables", "without a link: the role's first page"


def test_a_segment_limited_user_is_not_offered_a_page_kept_by_region_alone(open_as):
    app = open_as(signed_in("west.retail@bank.example"), page="pages/operations.py")
    assert not app.exception
    assert "not available to viewers limited to some customer segments" in app.warning[0].value
    assert not app.metric


def test_a_refused_user_can_sign_out_to_try_another_account(open_as):
    app = open_as(signed_in("stranger@bank.example"))
    next(b for b in app.button if b.label == "Sign out").click().run()
    assert app.user == {"is_logged_in": False}
    app.run()
    assert [b.label for b in app.button] == ["Sign in"]


def test_an_unverified_e_mail_is_refused(open_as):
    app = open_as(signed_in("boss@bank.example", email_verified=False))
    assert "has not verified the e-mail boss@bank.example" in texts(app)
    assert shows_no_data(app)


def test_sign_in_without_a_roles_file_lets_nobody_in(open_as):
    app = open_as(signed_in("boss@bank.example"), roles=None)
    assert "no roles file is configured (CFI_ROLES)" in texts(app)
    assert shows_no_data(app)


def test_a_broken_roles_file_shows_nothing_but_what_is_wrong(open_as):
    app = open_as(signed_in("boss@bank.example"), roles=ROLES.replace('role = "collector"', 'role = "colector"'))
    message = texts(app)
    assert "The roles file cannot be used" in message
    assert "[users.\"ann@bank.example\"] role: unknown role 'colector'" in message
    assert shows_no_data(app)


def test_a_secrets_file_that_cannot_be_read_shows_nothing_rather_than_falling_back_to_local_mode(
        open_as, tmp_path, monkeypatch):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth\nclient_id = "x"\n')
    previous = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    monkeypatch.setattr(streamlit, "secrets", Secrets())  # a fresh reader of the broken file
    try:
        app = open_as(None, roles=None)
    finally:
        config.set_option("secrets.files", previous)
    assert "The secrets file cannot be read, so sign-in cannot be checked." in texts(app)
    assert str(broken) in texts(app)
    assert shows_no_data(app)


def test_local_mode_with_a_roles_file_acts_as_the_local_user(open_as):
    app = open_as(None, local_user="west@bank.example")
    assert metrics(app)["AUM"] == "$3.00K"
    assert "acting as west@bank.example (manager, from CFI_LOCAL_USER)" in texts(app)


def test_local_mode_with_a_roles_file_and_no_local_user_lets_nobody_in(open_as):
    app = open_as(None)
    assert "CFI_LOCAL_USER names nobody, so nobody has access" in texts(app)
    assert shows_no_data(app)
    assert not app.button, "nobody signed in, so nobody to sign out"
