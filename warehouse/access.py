"""Who may see what: the roles file, and one viewer's access resolved from it. Deny by default.

The roles file (TOML; `access/roles.example.toml` documents it) defines roles, each with the pages it may open,
and lists users by e-mail, each with a role and the regions (optionally segments) whose rows they may see:

    contact = "the data team, data-team@bank.example"   # whom a refused viewer should ask (optional)

    [roles.collector]
    pages = ["receivables", "collections", "worklist"]   # page names (warehouse.queries.PAGES), or "*"

    [users."ada@bank.example"]
    role = "collector"
    regions = ["West", "Midwest"]                        # or "*" for every region
    segments = ["Retail"]                                # optional: every segment when left out

Anyone not listed has no access at all. Every mistake in the file is an error naming the file, the entry and
the value, and an app that cannot read its roles file shows nothing. Free of Streamlit, so it is tested without
a browser; the app applies it in app/auth.py, app/navigation.py and app/context.py.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from warehouse.queries import PAGES
from warehouse.queries.options import FilterOptions
from warehouse.scope import Scope

EVERY = "*"
# Pages with figures kept by region alone (expenses and employees have no customer, so no segment): the scope
# refuses them to a viewer limited to some segments, so such a viewer is not offered them.
REGION_ONLY_PAGES = frozenset({"operations"})
ROLE_SETTINGS = ("pages",)
USER_SETTINGS = ("role", "regions", "segments")
FILE_SETTINGS = ("contact", "roles", "users")


class RolesFileError(ValueError):
    """A roles file that cannot be used; the message names the file, the entry and the value."""


@dataclass(frozen=True)
class Access:
    """What one viewer may see. `regions` and `segments`: None for all of them, else only these."""

    user: str
    role: str
    role_pages: frozenset[str]
    regions: tuple[str, ...] | None
    segments: tuple[str, ...] | None

    @property
    def pages(self) -> frozenset[str]:
        """The pages this viewer may open: their role's, less those that cannot honour a limit on segments."""
        if self.segments is None:
            return self.role_pages
        return self.role_pages - REGION_ONLY_PAGES

    def why_not(self, page: str) -> str:
        """Why this viewer may not open `page`, in words for them."""
        if page in self.role_pages:
            return (f"{PAGES[page]} is not available to viewers limited to some customer segments, like you: it "
                    f"shows expenses and employees, which are kept by region and not by segment.")
        return f"{PAGES[page]} is not available to your role ({self.role})."

    def scoped(self, scope: Scope) -> Scope:
        """The scope with this viewer's row-level security applied, whatever it held before."""
        return replace(scope, allowed_regions=self.regions, allowed_segments=self.segments)

    def offered(self, options: FilterOptions) -> FilterOptions:
        """The filter choices to offer this viewer: only the regions and segments they may see."""
        return replace(options, regions=_within(options.regions, self.regions),
                       segments=_within(options.segments, self.segments))

    def unknown_groups(self, options: FilterOptions) -> list[str]:
        """Regions and segments granted to this viewer that the data does not hold (a typo in the roles file,
        or a region not loaded yet): allowed, since they match no row, but worth a word."""
        return ([f"region {value!r}" for value in self.regions or () if value not in options.regions]
                + [f"segment {value!r}" for value in self.segments or () if value not in options.segments])


def everything(user: str, role: str) -> Access:
    """Access to every page and every row: for the single user of local mode without a roles file."""
    return Access(user=user, role=role, role_pages=frozenset(PAGES), regions=None, segments=None)


@dataclass(frozen=True)
class Roles:
    """A parsed roles file: the users' access by e-mail (in lower case) and whom to ask for access."""

    path: Path
    contact: str | None
    users: Mapping[str, Access]

    def resolve(self, email: str | None) -> Access | None:
        """The access of the user with this e-mail, compared without case; None, no access, when not listed."""
        if not email:
            return None
        return self.users.get(email.strip().lower())


def load_roles(path: Path) -> Roles:
    """Read and check a roles file; RolesFileError naming the file, the entry and the value when it is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise RolesFileError(f"{path}: the roles file cannot be read ({problem})") from problem
    return parse_roles(text, path)


def parse_roles(text: str, path: Path) -> Roles:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise RolesFileError(f"{path}: not valid TOML: {problem}") from problem
    _only_known(document, FILE_SETTINGS, f"{path}", "the file")
    contact = document.get("contact")
    if contact is not None and (not isinstance(contact, str) or not contact.strip()):
        raise RolesFileError(f"{path}: contact is {contact!r}; write whom to ask for access, in quotes")
    role_pages = _roles(document.get("roles"), path)
    return Roles(path=path, contact=contact.strip() if contact else None,
                 users=_users(document.get("users", {}), role_pages, path))


def _roles(table: object, path: Path) -> dict[str, frozenset[str]]:
    if not isinstance(table, dict) or not table:
        raise RolesFileError(f"{path}: no roles defined; add at least one [roles.<name>] table with its pages")
    roles = {}
    for name, settings in table.items():
        entry = f"{path}: [roles.{name}]"
        if not isinstance(settings, dict):
            raise RolesFileError(f"{entry} is {settings!r}; a role is a table: [roles.{name}] with pages = [...]")
        _only_known(settings, ROLE_SETTINGS, entry, "a role")
        if "pages" not in settings:
            raise RolesFileError(f'{entry} pages: missing; list the pages this role may open, or "*" for all')
        pages = _names(settings["pages"], f"{entry} pages", "page")
        unknown = [page for page in pages or () if page not in PAGES]
        if unknown:
            raise RolesFileError(f"{entry} pages: unknown page {unknown[0]!r}; the pages are "
                                 f"{', '.join(PAGES)}")
        roles[name] = frozenset(PAGES) if pages is None else frozenset(pages)
    return roles


def _users(table: object, role_pages: Mapping[str, frozenset[str]], path: Path) -> dict[str, Access]:
    if not isinstance(table, dict):
        raise RolesFileError(f'{path}: users is {table!r}; list each user as a table: [users."name@bank.example"]')
    users: dict[str, Access] = {}
    spelled: dict[str, str] = {}
    for email, settings in table.items():
        entry = f'{path}: [users."{email}"]'
        key = email.strip().lower()
        if "@" not in key or any(character.isspace() for character in key):
            raise RolesFileError(f"{entry}: {email!r} is not an e-mail address; users are listed by the e-mail "
                                 f"they sign in with")
        if key in users:
            raise RolesFileError(f'{entry}: the same e-mail as [users."{spelled[key]}"] (e-mails are compared '
                                 f"without case); keep one entry")
        if not isinstance(settings, dict):
            raise RolesFileError(f'{entry} is {settings!r}; a user is a table with role = "..." and regions = [...]')
        _only_known(settings, USER_SETTINGS, entry, "a user")
        role = settings.get("role")
        if not isinstance(role, str):
            raise RolesFileError(f"{entry} role: {'missing' if role is None else repr(role)}; name one of the "
                                 f"roles defined: {', '.join(role_pages)}")
        if role not in role_pages:
            raise RolesFileError(f"{entry} role: unknown role {role!r}; the file defines {', '.join(role_pages)}")
        if "regions" not in settings:
            raise RolesFileError(f'{entry} regions: missing; list the regions this user may see, or "*" for all')
        users[key] = Access(
            user=key, role=role, role_pages=role_pages[role],
            regions=_names(settings["regions"], f"{entry} regions", "region"),
            segments=_names(settings.get("segments", EVERY), f"{entry} segments", "segment"),
        )
        spelled[key] = email
    return users


def _names(value: object, entry: str, kind: str) -> tuple[str, ...] | None:
    """A list of names, in the order given without repeats, or None for "*" (all of them)."""
    if value == EVERY:
        return None
    if not isinstance(value, list):
        raise RolesFileError(f'{entry}: {value!r} is neither a list of {kind} names nor "*" for all')
    if not value:
        raise RolesFileError(f"{entry}: the list is empty; name at least one {kind}, or \"*\" for all (to take "
                             f"someone's access away, remove their entry)")
    for position, name in enumerate(value, start=1):
        if not isinstance(name, str) or not name.strip():
            raise RolesFileError(f"{entry}: item {position}, {name!r}, is not a {kind} name in quotes")
        if name == EVERY:
            raise RolesFileError(f'{entry}: "*" inside a list; write {kind}s = "*" on its own for all')
    return tuple(dict.fromkeys(value))


def _only_known(table: dict, known: tuple[str, ...], entry: str, what: str) -> None:
    """A misspelt setting must not pass unnoticed: it would silently grant or withhold access."""
    unknown = [key for key in table if key not in known]
    if unknown:
        raise RolesFileError(f"{entry}: unknown setting {unknown[0]!r}; {what} has {', '.join(known)}")


def _within(offered: tuple[str, ...], allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    return offered if allowed is None else tuple(value for value in offered if value in allowed)
