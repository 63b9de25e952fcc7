"""Who is looking, and what they may see: sign-in when it is configured, local mode otherwise.

Sign-in: when .streamlit/secrets.toml has an [auth] table, every visitor signs in (st.login, OpenID Connect) and
their e-mail is looked up in the roles file that CFI_ROLES names (warehouse.access); anyone not listed, and
everyone while no roles file is named, sees only whom to ask.

Local mode, for one person on a laptop: without [auth] nobody signs in and the sidebar says so. Without a roles
file the viewer sees everything. With one (CFI_ROLES), local mode acts as the user CFI_LOCAL_USER names, to try
a role out, and as nobody when it names none: a roles file means access is meant to be limited.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app.worklist_flow import escape_markdown
from warehouse.access import Access, Roles, RolesFileError, everything, load_roles

ROLES_FILE, LOCAL_USER = "CFI_ROLES", "CFI_LOCAL_USER"
DEFAULT_CONTACT = "the person who runs this app"
LOCAL_MODE = "Local mode — no sign-in: everyone who can open this address sees all data."


@dataclass(frozen=True)
class Viewer:
    """The person looking, what they may see, and how the sidebar names them."""

    access: Access
    signed_in: bool
    label: str
    contact: str


def gate() -> Viewer:
    """The viewer; otherwise show the sign-in page, or why there is no access, and stop the run."""
    auth = _auth_settings()
    if auth is not None and not st.user.get("is_logged_in"):
        _show_only("Sign in", lambda: _sign_in_page(auth))
    try:
        roles = _roles()
    except RolesFileError as problem:
        _refuse("The roles file cannot be used, so nobody has access until it is corrected.", str(problem),
                DEFAULT_CONTACT, signed_in=auth is not None)
    contact = roles.contact if roles and roles.contact else DEFAULT_CONTACT
    if auth is None:
        return _local(roles, contact)
    return _signed_in(roles, contact)


def show_viewer(viewer: Viewer, unknown_groups: list[str]) -> None:
    """The sidebar's last lines: who is signed in with a way out, or that nobody signs in here."""
    with st.sidebar:
        st.divider()
        if viewer.signed_in:
            st.caption(viewer.label)
            if st.button("Sign out", icon=":material/logout:", width="stretch"):
                st.logout()
        else:
            st.info(viewer.label, icon=":material/lock_open:")
        if unknown_groups:
            st.caption(f"Your access names {', '.join(escape_markdown(g) for g in unknown_groups)}, which the data "
                       f"does not hold; {escape_markdown(viewer.contact)} can check the roles file.")


def _auth_settings() -> Mapping | None:
    """The [auth] table of the secrets, None when there is none; a secrets file that exists but cannot be read
    stops the app, since reading it as "no sign-in" would open the data to everyone."""
    try:
        return st.secrets.get("auth")
    except StreamlitSecretNotFoundError as problem:
        present = [path for path in st.get_option("secrets.files") if Path(path).is_file()]
        if present:
            _refuse("The secrets file cannot be read, so sign-in cannot be checked.",
                    f"{', '.join(present)}: {problem}", DEFAULT_CONTACT, signed_in=False)
        return None


def _roles() -> Roles | None:
    path = os.environ.get(ROLES_FILE, "").strip()
    return load_roles(Path(path)) if path else None


def _local(roles: Roles | None, contact: str) -> Viewer:
    local_user = os.environ.get(LOCAL_USER, "").strip()
    if roles is None:
        ignored = f" ({LOCAL_USER} is ignored without a roles file.)" if local_user else ""
        return Viewer(everything("local user", "local mode"), signed_in=False, label=LOCAL_MODE + ignored,
                      contact=contact)
    access = roles.resolve(local_user)
    if access is None:
        who = (f"{LOCAL_USER} names {escape_markdown(repr(local_user))}, who is not in it" if local_user
               else f"{LOCAL_USER} names nobody")
        _refuse(f"Nobody signs in here (no [auth] table in .streamlit/secrets.toml) and {ROLES_FILE} names the roles "
                f"file {escape_markdown(str(roles.path))}, but {who}, so nobody has access.",
                f"Set {LOCAL_USER} to an e-mail listed in the roles file to act as that user, or configure sign-in.",
                contact, signed_in=False)
    return _usable(Viewer(access, signed_in=False, contact=contact, label=(
        f"Local mode — no sign-in: acting as {escape_markdown(access.user)} ({access.role}, from {LOCAL_USER}); "
        f"everyone who can open this address sees what they see.")))


def _signed_in(roles: Roles | None, contact: str) -> Viewer:
    email = str(st.user.get("email") or "").strip()
    if not email:
        _refuse("Your sign-in did not give an e-mail address, and access is granted by e-mail.",
                "The identity provider must return the email claim (scope \"openid profile email\").", contact)
    if st.user.get("email_verified") is False:
        _refuse(f"Your identity provider has not verified the e-mail {escape_markdown(email)}, so it cannot be "
                f"matched to the roles file.", None, contact)
    if roles is None:
        _refuse(f"You are signed in as {escape_markdown(email)}, but no roles file is configured ({ROLES_FILE}), "
                f"so nobody has access yet.", None, contact)
    access = roles.resolve(email)
    if access is None:
        _refuse(f"You are signed in as {escape_markdown(email)}, but this address has no access to the app.", None,
                contact)
    return _usable(Viewer(access, signed_in=True, contact=contact, label=(
        f"Signed in as **{escape_markdown(email)}** · {escape_markdown(access.role)} · {_rows_seen(access)}")))


def _usable(viewer: Viewer) -> Viewer:
    """The viewer, unless their role opens no page they may see (a role of region-only pages, say)."""
    if not viewer.access.pages:
        _refuse(f"Your role ({escape_markdown(viewer.access.role)}) opens no page you may see.", None,
                viewer.contact, signed_in=viewer.signed_in)
    return viewer


def _rows_seen(access: Access) -> str:
    regions = "all regions" if access.regions is None else ", ".join(access.regions)
    segments = "" if access.segments is None else f" · {', '.join(access.segments)}"
    return escape_markdown(regions + segments)


def _sign_in_page(auth: Mapping) -> None:
    st.title("Customer Finance Insights")
    st.write("Sign in to see the bank's figures. What you see depends on the role you are given.")
    ready = importlib.util.find_spec("authlib") is not None
    if not ready:
        st.error("Sign-in is configured, but Authlib, which it needs, is not installed: run "
                 "`.venv/bin/pip install -r requirements-auth.txt` and restart the app.")
    providers = _providers(auth)
    if not providers:
        st.error("The [auth] table of .streamlit/secrets.toml has neither a client_id nor a named provider "
                 "([auth.<name>]): see .streamlit/secrets.toml.example.")
    for provider in providers:
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, icon=":material/login:", type="primary", disabled=not ready):
            st.login(provider)


def _providers(auth: Mapping) -> list[str | None]:
    """The [auth] table's own provider (None) when it has a client_id, else its named [auth.<name>] tables."""
    if "client_id" in auth:
        return [None]
    return [name for name, value in auth.items() if isinstance(value, Mapping)]


def _refuse(reason: str, detail: str | None, contact: str, *, signed_in: bool = True) -> NoReturn:
    def page() -> None:
        st.title("No access")
        st.error(reason, icon=":material/block:")
        if detail:
            st.code(detail, language=None, wrap_lines=True)
        st.write(f"Ask {escape_markdown(contact)} for access.")
        if signed_in and st.button("Sign out", icon=":material/logout:"):
            st.logout()

    _show_only("No access", page)


def _show_only(title: str, render: Callable[[], None]) -> NoReturn:
    """Show one page and nothing else: no way to the data pages, no filters, no data."""
    st.navigation([st.Page(render, title=title, url_path="access")], position="hidden").run()
    st.stop()
