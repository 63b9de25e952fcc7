"""The roles file and a viewer's access: parsing, deny by default, and a clear message for every mistake."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from warehouse import settings
from warehouse.access import RolesFileError, everything, load_roles, parse_roles
from warehouse.queries import PAGES
from warehouse.queries.options import FilterOptions
from warehouse.scope import Scope

FILE = Path("access/roles.toml")
GOOD = """
contact = "the data team"

[roles.executive]
pages = "*"

[roles.collector]
pages = ["receivables", "collections", "worklist", "worklist"]

[roles.analyst]
pages = ["overview", "operations"]

[users."Boss@Bank.example"]
role = "executive"
regions = "*"

[users."ann@bank.example"]
role = "collector"
regions = ["West", "Midwest", "West"]

[users."sam@bank.example"]
role = "analyst"
regions = ["West"]
segments = ["Retail"]
"""
OPTIONS = FilterOptions(regions=("Midwest", "Northeast", "West"), segments=("Retail", "Corporate"),
                        wealth_tiers=("Affluent",), first_date=date(2024, 1, 1), last_date=date(2024, 6, 30))


def test_a_good_file_grants_each_user_their_role_pages_and_rows():
    roles = parse_roles(GOOD, FILE)
    assert roles.contact == "the data team"
    boss, ann, sam = (roles.resolve(e) for e in ("boss@bank.example", "ann@bank.example", "sam@bank.example"))
    assert (boss.role, boss.pages, boss.regions, boss.segments) == ("executive", frozenset(PAGES), None, None)
    assert (ann.role, ann.pages) == ("collector", {"receivables", "collections", "worklist"})
    assert (ann.regions, ann.segments) == (("West", "Midwest"), None), "in the order given, without repeats"
    assert (sam.regions, sam.segments) == (("West",), ("Retail",))


def test_e_mails_match_without_case_or_surrounding_spaces():
    roles = parse_roles(GOOD, FILE)
    assert roles.resolve("  BOSS@bank.EXAMPLE ").user == "boss@bank.example"


@pytest.mark.parametrize("email", ["stranger@bank.example", "", None, "ann@bank.example.evil", "bank.example"])
def test_anyone_not_listed_has_no_access(email):
    assert parse_roles(GOOD, FILE).resolve(email) is None


def test_a_file_without_users_grants_nobody():
    assert parse_roles('[roles.executive]\npages = "*"\n', FILE).resolve("boss@bank.example") is None


def test_a_segment_limited_viewer_is_not_offered_pages_kept_by_region_alone():
    sam = parse_roles(GOOD, FILE).resolve("sam@bank.example")
    assert sam.pages == {"overview"}, "Operations has expenses and employees, which have no segment"
    assert "some customer segments" in sam.why_not("operations")
    assert sam.why_not("worklist") == "Worklist is not available to your role (analyst)."


def test_access_sets_the_scope_row_level_security_whatever_it_held():
    ann = parse_roles(GOOD, FILE).resolve("ann@bank.example")
    widened = Scope(date(2024, 1, 1), date(2024, 6, 30), regions=("Northeast",), allowed_regions=("Northeast",),
                    allowed_segments=("Corporate",))
    scoped = ann.scoped(widened)
    assert (scoped.allowed_regions, scoped.allowed_segments) == (("West", "Midwest"), None)
    assert scoped.regions == ("Northeast",), "the viewer's own choice stays, and then matches nothing"


def test_filters_offer_only_what_the_viewer_may_see_and_unknown_grants_are_named():
    sam = parse_roles(GOOD, FILE).resolve("sam@bank.example")
    offered = sam.offered(OPTIONS)
    assert (offered.regions, offered.segments, offered.wealth_tiers) == (("West",), ("Retail",), ("Affluent",))
    assert everything("me", "local").offered(OPTIONS) == OPTIONS
    typo = parse_roles(GOOD.replace('regions = ["West"]', 'regions = ["West", "Wset"]'), FILE)
    assert typo.resolve("sam@bank.example").unknown_groups(OPTIONS) == ["region 'Wset'"]
    assert sam.unknown_groups(OPTIONS) == []


def test_the_documented_example_file_is_valid():
    roles = load_roles(settings.PROJECT_ROOT / "access" / "roles.example.toml")
    chief = roles.resolve("chief.executive@bank.example")
    assert (chief.pages, chief.regions, chief.segments) == (frozenset(PAGES), None, None)
    assert roles.resolve("collector.midwest@bank.example").pages == {"receivables", "collections", "worklist"}


ROLE = '[roles.collector]\npages = ["worklist"]\n'
USER = '[users."ann@bank.example"]\n'


@pytest.mark.parametrize(("text", "message"), [
    ("[roles\npages = 1", "not valid TOML: "),
    ('contact = 3\n' + ROLE, "contact is 3"),
    ('user = "x"\n' + ROLE, "unknown setting 'user'; the file has contact, roles, users"),
    ('contact = "x"\n', "no roles defined"),
    ('roles = "collector"\n', "no roles defined"),
    ('roles = { collector = "worklist" }\n', "[roles.collector] is 'worklist'; a role is a table"),
    ('[roles.collector]\npage = ["worklist"]\n', "[roles.collector]: unknown setting 'page'; a role has pages"),
    ('[roles.collector]\n', "[roles.collector] pages: missing"),
    ('[roles.collector]\npages = ["worklists"]\n', "pages: unknown page 'worklists'; the pages are overview, "),
    ('[roles.collector]\npages = "worklist"\n', "[roles.collector] pages: 'worklist' is neither a list of page"),
    ('[roles.collector]\npages = []\n', "[roles.collector] pages: the list is empty"),
    ('users = ["ann@bank.example"]\n' + ROLE, "users is ['ann@bank.example']; list each user as a table"),
    (ROLE + 'users = ["ann@bank.example"]\n', "[roles.collector]: unknown setting 'users'"),  # under a role's table
    (ROLE + '[users.ann]\nrole = "collector"\nregions = "*"\n', "[users.\"ann\"]: 'ann' is not an e-mail"),
    (ROLE + '[users."ann @bank.example"]\nrole = "collector"\nregions = "*"\n', "is not an e-mail address"),
    (ROLE + USER + 'role = "collector"\nregions = "*"\n[users."ANN@bank.example"]\nrole = "collector"\n'
     'regions = "*"\n', '[users."ANN@bank.example"]: the same e-mail as [users."ann@bank.example"]'),
    ('users = { "ann@bank.example" = "collector" }\n' + ROLE, "[users.\"ann@bank.example\"] is 'collector'"),
    (ROLE + USER + 'regions = "*"\n', '[users."ann@bank.example"] role: missing; name one of the roles defined'),
    (ROLE + USER + 'role = "manager"\nregions = "*"\n', "role: unknown role 'manager'; the file defines collector"),
    (ROLE + USER + 'role = ["collector"]\nregions = "*"\n', "role: ['collector']; name one of the roles"),
    (ROLE + USER + 'role = "collector"\n', "[users.\"ann@bank.example\"] regions: missing; list the regions"),
    (ROLE + USER + 'role = "collector"\nregions = ["West", 42]\n', "regions: item 2, 42, is not a region name in"),
    (ROLE + USER + 'role = "collector"\nregions = [" "]\n', "regions: item 1, ' ', is not a region name"),
    (ROLE + USER + 'role = "collector"\nregions = []\n', "regions: the list is empty; name at least one region"),
    (ROLE + USER + 'role = "collector"\nregions = "all"\n', "regions: 'all' is neither a list of region names"),
    (ROLE + USER + 'role = "collector"\nregions = ["*", "West"]\n', 'regions: "*" inside a list'),
    (ROLE + USER + 'role = "collector"\nregions = "*"\nsegments = "Retail"\n',
     "[users.\"ann@bank.example\"] segments: 'Retail' is neither a list of segment names"),
    (ROLE + USER + 'role = "collector"\nregion = ["West"]\nregions = "*"\n',
     "[users.\"ann@bank.example\"]: unknown setting 'region'; a user has role, regions, segments"),
])
def test_each_mistake_is_refused_naming_the_file_entry_and_value(text, message):
    with pytest.raises(RolesFileError) as refused:
        parse_roles(text, FILE)
    assert str(refused.value).startswith(f"{FILE}: ")
    assert message in str(refused.value)


def test_a_missing_roles_file_is_an_error_not_an_empty_grant(tmp_path):
    missing = tmp_path / "roles.toml"
    with pytest.raises(RolesFileError, match=f"{missing}: the roles file cannot be read"):
        load_roles(missing)
