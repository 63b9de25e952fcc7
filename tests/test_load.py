"""The load client of bench/load.py: a short run on a real server is clean, and what it counts as errors is seen.

The run: 5 sessions for 30 s (CFI_LOAD_SECONDS overrides) on a warehouse generated at scale 0.05, served by
`streamlit run` on a free port. Its page times are printed, not asserted: they depend on the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from warehouse import settings

pytestmark = pytest.mark.slow

SESSIONS = 5


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    from bench import load
    from generate import generate
    from warehouse import build

    root = tmp_path_factory.mktemp("load")
    generate(root / "raw", scale=0.05, seed=settings.DEFAULT_SEED)
    db = root / "warehouse.duckdb"
    build.build(root / "raw", db, as_of=settings.END_DATE)
    with load.served(db) as server:
        yield server.url


def app_page_paths() -> set[str]:
    """The url path of every page the app declares; the first is the default page, at ""."""
    from app.navigation import page_file
    from warehouse.queries import PAGES

    default = next(iter(PAGES))
    return {"" if module == default else Path(page_file(module)).stem for module in PAGES}


def test_sessions_switching_pages_and_filters_meet_no_error_and_visit_every_page(app_url):
    from bench import load

    seconds = float(os.environ.get("CFI_LOAD_SECONDS", "30"))
    # Short thinks: enough page switches in 30 s for every page to be shown, which bench/load.py spreads evenly.
    figures = asyncio.run(load.drive(app_url, SESSIONS, seconds, seed=7, think=(0.2, 1.0), ramp=2))
    print(json.dumps({key: figures[key] for key in ("requests", "finished", "errors", "p50_s", "p95_s", "max_s",
                                                    "throughput_per_s", "actions", "pages")}, indent=2))
    assert figures["sessions"] == SESSIONS
    assert figures["errors"] == 0, "\n".join([f"{figures['errors']} failed requests, first ones:",
                                              *figures["first_errors"]])
    assert figures["finished"] == figures["requests"], (
        f"{figures['requests'] - figures['finished']} of {figures['requests']} requests got no script_finished")
    assert set(figures["actions"]) == set(load.ACTIONS) | {"open page"}, figures["actions"]
    unvisited = app_page_paths() - set(figures["pages_visited"])
    assert not unvisited, f"pages never shown in {seconds:g} s: {sorted(unvisited)}"


def test_a_link_with_unknown_filters_or_page_is_reported_as_the_user_sees_it(app_url):
    from bench import load

    async def open_link(path: str, params: dict[str, list[str]]) -> list[str]:
        session = load.Session(app_url, timeout=60)
        session.path, session.params = path, params
        try:
            run = await session.reload()
        finally:
            await session.close()
        assert run.finished, run.problems
        return run.problems

    problems = asyncio.run(open_link("", {"region": ["Atlantis"]}))
    assert any(p.startswith("notice: Ignored from the link: Region: 'Atlantis'") for p in problems), problems
    assert "URL rewritten: the app changed the region filter from ['Atlantis'] to []" in problems, problems
    problems = asyncio.run(open_link("no_such_page", {}))
    assert "page not found: /no_such_page" in problems, problems


def test_exceptions_error_boxes_and_unresolvable_cache_references_count_as_problems():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from bench import load

    session = load.Session("http://127.0.0.1:1", timeout=1)
    run = load.Run("", "open page")
    failure = ForwardMsg()
    failure.delta.new_element.exception.type = "ZeroDivisionError"
    failure.delta.new_element.exception.message = "division by zero"
    failure.hash, failure.metadata.cacheable = "failure-hash", True
    session.take(failure, run)
    box = ForwardMsg()
    box.delta.new_element.alert.format = box.delta.new_element.alert.ERROR
    box.delta.new_element.alert.body = "The data warehouse is not available."
    session.take(box, run)
    cached_failure = ForwardMsg(ref_hash="failure-hash")  # the server sends a reference to a message it sent before
    session.take(cached_failure, run)
    session.take(ForwardMsg(ref_hash="never-sent"), run)
    assert run.problems == [
        "exception: ZeroDivisionError: division by zero",
        "error box: The data warehouse is not available.",
        "exception: ZeroDivisionError: division by zero",
        "cache: the server referred to a message this client never cached: never-sent",
    ]
