"""Load test: N concurrent user sessions on the app, each switching pages and changing filters for a fixed time.

    python bench/load.py [--db data/warehouse.duckdb | --url http://127.0.0.1:8501] [--sessions 50] [--seconds 300]
                         [--seed 7] [--think 2 10] [--json out.json]

Without --url it starts `streamlit run streamlit_app.py` on a free local port with CFI_DB=--db, and stops it after.

Each session is a client speaking the browser's protocol on the websocket /_stcore/stream (50 headless browsers do
not fit on two cores). It connects with the `streamlit` subprotocol and asks for runs with BackMsg.rerun_script,
whose ClientState carries what a browser sends: the page (url path on a page load, page hash on a sidebar click),
the query string, the current values of the sidebar filters (widget states) and the hashes of the large messages it
keeps in its message cache. It then reads ForwardMsgs until that run's script_finished: new_session opens the run,
navigation lists the pages and names the one shown, deltas draw the elements (widgets are read from them, and a
`ref_hash` message stands for a cached one), page_info_changed rewrites the URL. Between runs the user thinks for
a random while (--think), then switches page or changes a filter: the widget's value plus the URL parameter it is
bound to, as the browser writes it. A session that times out or loses its connection reloads the page.

Page time: from sending the rerun request to that run's script_finished.
Errors: a connection that fails or drops, no script_finished within --timeout, an exception element or a compile
error, the app's error boxes (st.error, "No data loaded", "Ignored from the link"), a page other than the one asked
for, filters the app rewrote in the URL, a cache reference the client cannot resolve.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TARGET = {"sessions": 50, "seconds": 300, "errors": 0, "p95_s": 1.0}

# Notices of the app (app/ui.py, app/filters.py) that mean a page cannot show what the user asked for.
ERROR_NOTICES = ("No data loaded", "Ignored from the link")
# The empty state of a chart or table whose filters match no rows (app/ui.py): expected, counted apart.
EMPTY_HINT = "Nothing to show for these filters"
# What a user does next, by share of actions.
ACTIONS = {"switch page": 0.55, "change group filter": 0.35, "change period": 0.10}
# Seconds a user spends on a view before the next action, drawn uniformly: an active user, reading as they go.
THINK = (2.0, 10.0)
FIRST_ERRORS_KEPT = 10
SIDEBAR = 1  # RootContainer.SIDEBAR: the first step of a sidebar element's delta path


@dataclass
class BoundFilter:
    """A sidebar widget bound to a URL parameter, with the value this client holds for it."""

    widget_id: str
    param: str
    value: list[str]
    default: list[str]
    options: list[str] = field(default_factory=list)  # a multiselect's choices
    period_range: tuple[date, date] | None = None  # a date range's bounds


@dataclass
class Run:
    """One request: what was asked, what came back, how long it took."""

    asked: str  # url path of the page asked for ("" is the default page)
    action: str
    shown_hash: str = ""
    run_id: str = ""
    sent_params: dict[str, list[str]] = field(default_factory=dict)  # the URL's parameters in the request
    drawn_filters: set[str] = field(default_factory=set)  # URL parameters of the sidebar filters the run drew
    seconds: float = 0.0
    finished: bool = False
    problems: list[str] = field(default_factory=list)
    empty: bool = False
    connection_lost: bool = False


class Session:
    """One browser tab on the app: a websocket, the URL it shows, its widgets and its message cache."""

    def __init__(self, base_url: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        parts = urlsplit(self.base_url)
        self.stream_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/_stcore/stream"
        self.timeout = timeout
        self.socket: ClientConnection | None = None
        self.path = ""  # the URL the tab shows: path and bound parameters
        self.params: dict[str, list[str]] = {}
        self.pages: dict[str, str] = {}  # url path -> page script hash, from the last navigation message
        self.filters: dict[str, BoundFilter] = {}  # by URL parameter
        self.cache: dict[str, ForwardMsg] = {}  # message hash -> message, as the browser's ForwardMsg cache
        self.cache_age: dict[str, int] = {}  # message hash -> script runs since last used
        self.max_cache_age = 2  # replaced by new_session.config.max_cached_message_age

    async def connect(self) -> None:
        # Browsers send no websocket pings, and a client ping timeout on a busy server would count as its failure.
        self.socket = await connect(self.stream_url, subprotocols=["streamlit"], origin=self.base_url,
                                    max_size=None, ping_interval=None, open_timeout=self.timeout)

    async def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):  # a connection that failed has nothing left to close cleanly
                await self.socket.close()
            self.socket = None

    async def reload(self) -> Run:
        """Open the tab's URL afresh on a new connection: a first visit, or a reload after a failure."""
        await self.close()
        self.pages, self.filters, self.cache, self.cache_age = {}, {}, {}, {}
        run = Run(self.path, "open page")
        try:
            await self.connect()
        except (OSError, InvalidHandshake, TimeoutError) as failure:
            run.problems.append(f"connection: cannot connect to {self.stream_url}: {failure!r}")
            run.connection_lost = True
            return run
        return await self._request(run, page_name=self.path)

    async def switch_page(self, path: str) -> Run:
        """A click on a page in the sidebar: the browser asks for the page by its hash and keeps the filters."""
        self.path = path
        return await self._request(Run(path, "switch page"), page_hash=self.pages[path])

    async def set_filter(self, param: str, value: list[str], action: str) -> Run:
        """A new value in a sidebar filter: its widget state changes and the browser rewrites its URL parameter."""
        self.filters[param].value = value
        if value:
            self.params[param] = list(value)
        else:
            self.params.pop(param, None)
        return await self._request(Run(self.path, action), page_hash=self.pages.get(self.path, ""),
                                   page_name=self.path)

    def query_string(self) -> str:
        return urlencode(self.params, doseq=True)

    async def _request(self, run: Run, *, page_hash: str = "", page_name: str = "") -> Run:
        request = BackMsg()
        state = request.rerun_script
        state.query_string = self.query_string()
        run.sent_params = {param: list(values) for param, values in self.params.items()}
        state.page_script_hash = page_hash
        state.page_name = page_name
        state.cached_message_hashes.extend(self.cache)
        state.context_info.CopyFrom(ContextInfo(
            timezone="UTC", timezone_offset=0, locale="en-US", is_embedded=False, color_scheme="light",
            url=f"{self.base_url}/{self.path}" + (f"?{state.query_string}" if state.query_string else "")))
        for bound in self.filters.values():
            widget = state.widget_states.widgets.add()
            widget.id = bound.widget_id
            widget.string_array_value.data.extend(bound.value)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.timeout):
                await self.socket.send(request.SerializeToString())
                while not run.finished:
                    message = ForwardMsg()
                    message.ParseFromString(await self.socket.recv())
                    self.take(message, run)
        except TimeoutError:
            run.problems.append(f"timeout: no script_finished within {self.timeout:.0f} s")
        except ConnectionClosed as closed:
            run.problems.append(f"connection: closed during the run: {closed}")
            run.connection_lost = True
        run.seconds = time.perf_counter() - started
        if run.finished:
            # Like the browser, keep the state of the widgets the run drew, and only theirs.
            self.filters = {param: bound for param, bound in self.filters.items() if param in run.drawn_filters}
            self._check_filters_kept(run)
            self._check_page_shown(run)
        return run

    def _check_filters_kept(self, run: Run) -> None:
        """The sidebar filters in the URL after the run must be the ones the request carried. A parameter left out
        means the filter's default, which the app may leave out of the address when the user picks it again."""
        for param in sorted(run.drawn_filters):
            default = sorted(self.filters[param].default) if param in self.filters else []
            sent = sorted(run.sent_params.get(param, [])) or default
            now = sorted(self.params.get(param, [])) or default
            if sent != now:
                run.problems.append(f"URL rewritten: the app changed the {param} filter from {sent} to {now}")

    def _check_page_shown(self, run: Run) -> None:
        if run.problems or run.shown_hash == self.pages.get(run.asked):
            return  # a page that failed says so already
        shown = next((path for path, digest in self.pages.items() if digest == run.shown_hash), run.shown_hash)
        run.problems.append(f"wrong page: asked for /{run.asked}, the app showed /{shown}")

    def take(self, message: ForwardMsg, run: Run) -> None:
        """Apply one ForwardMsg of the run, as the browser would, noting what is wrong with it."""
        kind = message.WhichOneof("type")
        if kind == "ref_hash":
            cached = self.cache.get(message.ref_hash)
            if cached is None:
                run.problems.append(f"cache: the server referred to a message this client never cached: "
                                    f"{message.ref_hash}")
                return
            self.cache_age[message.ref_hash] = 0
            resolved = ForwardMsg()
            resolved.CopyFrom(cached)
            resolved.metadata.CopyFrom(message.metadata)  # where it goes this time
            message, kind = resolved, resolved.WhichOneof("type")
        elif message.metadata.cacheable and message.hash:
            self.cache[message.hash] = message
            self.cache_age[message.hash] = 0
        if kind == "new_session":
            run.run_id = message.metadata.run.script_run_id
            self.max_cache_age = message.new_session.config.max_cached_message_age
        elif kind == "navigation":
            self.pages = {page.url_pathname: page.page_script_hash for page in message.navigation.app_pages
                          if not page.external_url and not page.is_hidden}
            run.shown_hash = message.navigation.page_script_hash
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            in_sidebar = message.metadata.delta_path[:1] == [SIDEBAR]
            self._take_element(message.delta.new_element, run, in_sidebar)
        elif kind == "page_info_changed":
            # A bound widget's value changed, or a page's own bound widget came or went: the browser's address
            # follows. Whether the sidebar filters survived is checked once the run is over.
            self.params = parse_qs(message.page_info_changed.query_string, keep_blank_values=True)
        elif kind == "page_not_found":
            run.problems.append(f"page not found: /{message.page_not_found.page_name or run.asked}")
        elif kind == "session_event" and message.session_event.HasField("script_compilation_exception"):
            failure = message.session_event.script_compilation_exception
            run.problems.append(f"compile error: {failure.type}: {failure.message[:200]}")
        elif kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # st.rerun(): the next run of the chain follows
            if message.metadata.run.script_run_id not in ("", run.run_id):
                return  # the end of an earlier run
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.problems.append("compile error: the script finished with one")
            run.finished = True
            self._age_cache()

    def _take_element(self, element, run: Run, in_sidebar: bool) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.problems.append(f"exception: {element.exception.type}: {element.exception.message[:300]}")
        elif kind == "alert":
            body = element.alert.body
            if element.alert.format == element.alert.ERROR:
                run.problems.append(f"error box: {body[:300]}")
            elif body.startswith(ERROR_NOTICES):
                run.problems.append(f"notice: {body[:300]}")
            elif body.startswith(EMPTY_HINT):
                run.empty = True
        elif kind in ("multiselect", "date_input") and in_sidebar and getattr(element, kind).query_param_key:
            self._take_filter(kind, getattr(element, kind))
            run.drawn_filters.add(getattr(element, kind).query_param_key)

    def _take_filter(self, kind: str, widget) -> None:
        """Know a sidebar filter, keeping the value the user chose unless the server sets one."""
        if kind == "multiselect":
            options = list(widget.options)
            default = [options[index] for index in widget.default]
            server_value = list(widget.raw_values)
            bounds = None
        else:
            options, default, server_value = [], list(widget.default), list(widget.value)
            bounds = (date.fromisoformat(widget.min), date.fromisoformat(widget.max))
        known = self.filters.get(widget.query_param_key)
        if known is None:
            value = list(self.params.get(widget.query_param_key, default))
            known = BoundFilter(widget.id, widget.query_param_key, value, default, options, bounds)
            self.filters[widget.query_param_key] = known
        known.widget_id, known.options, known.period_range = widget.id, options, bounds
        if widget.set_value:
            known.value = server_value

    def _age_cache(self) -> None:
        """Forget the cached messages no run has used for longer than the server's max_cached_message_age."""
        for digest in list(self.cache_age):
            self.cache_age[digest] += 1
            if self.cache_age[digest] > self.max_cache_age:
                del self.cache[digest], self.cache_age[digest]


# -- what a user does -------------------------------------------------------------------------------------------


def months_back(end: date, months: int) -> date:
    """The first day of the month `months - 1` months before `end`'s: a period of `months` whole months."""
    index = end.year * 12 + end.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def choose_period(rng: random.Random, period: BoundFilter) -> list[str]:
    """A period a user picks: the last few months, a calendar year, or the default one back."""
    lowest, highest = period.period_range
    years = list(range(lowest.year + 1, highest.year))
    choice = rng.choice(["months", "months", "year", "default"] if years else ["months", "default"])
    if choice == "months":
        start, end = max(lowest, months_back(highest, rng.choice([3, 6, 12, 24]))), highest
    elif choice == "year":
        year = rng.choice(years)
        start, end = date(year, 1, 1), date(year, 12, 31)
    else:
        return list(period.default)
    return [start.isoformat(), end.isoformat()]


def choose_groups(rng: random.Random, bound: BoundFilter) -> list[str]:
    """A region, segment or tier choice: clear the filter, or pick one or two values."""
    if bound.value and rng.random() < 0.3:
        return []
    picked = rng.sample(bound.options, k=min(len(bound.options), rng.choice([1, 1, 2])))
    value = [option for option in bound.options if option in picked]  # in the order the widget lists them
    return [] if value == bound.value else value


async def next_action(session: Session, rng: random.Random, visits: Counter) -> Run:
    """The user's next step. A page switch goes to one of the pages all users together have asked for least, so
    every page takes its share of the load even in a short run."""
    action = rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
    groups = [bound for bound in session.filters.values() if bound.period_range is None and bound.options]
    periods = [bound for bound in session.filters.values() if bound.period_range is not None]
    if action == "change group filter" and groups:
        bound = rng.choice(groups)
        return await session.set_filter(bound.param, choose_groups(rng, bound), action)
    if action == "change period" and periods:
        return await session.set_filter(periods[0].param, choose_period(rng, periods[0]), action)
    others = [path for path in session.pages if path != session.path] or [session.path]
    fewest = min(visits[path] for path in others)
    path = rng.choice([path for path in others if visits[path] == fewest])
    visits[path] += 1
    return await session.switch_page(path)


@dataclass
class Report:
    """Every run of every session, and each problem labelled with where it happened."""

    runs: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    sessions_started: int = 0

    def add(self, session_index: int, run: Run) -> None:
        self.runs.append(run)
        self.problems.extend(f"session {session_index}, {run.action} /{run.asked}: {problem}"
                             for problem in run.problems)


async def user(index: int, base_url: str, rng: random.Random, start_after: float, deadline: float,
               think: tuple[float, float], timeout: float, report: Report, visits: Counter) -> None:
    """One user: opens the app, then acts and thinks until the deadline; reloads after a failed run."""
    await asyncio.sleep(start_after)
    session = Session(base_url, timeout)
    report.sessions_started += 1
    try:
        run = await session.reload()
        report.add(index, run)
        while time.monotonic() < deadline:
            await asyncio.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
            if run.connection_lost or not run.finished or not session.pages:
                run = await session.reload()
            else:
                run = await next_action(session, rng, visits)
            report.add(index, run)
    finally:
        await session.close()


async def drive(base_url: str, sessions: int, seconds: float, *, seed: int = 7, think: tuple[float, float] = THINK,
                timeout: float = 60, ramp: float = 10) -> dict:
    """Run `sessions` users on the app at `base_url` for `seconds` and return the figures."""
    report, visits = Report(), Counter()
    started = time.monotonic()
    deadline = started + seconds
    cpu_before, load_before = time.process_time(), os.getloadavg()[0]
    await asyncio.gather(*(
        user(index, base_url, random.Random(seed * 1000 + index), ramp * index / max(sessions, 1), deadline, think,
             timeout, report, visits)
        for index in range(sessions)
    ))
    wall = time.monotonic() - started
    return summarise(report, wall, time.process_time() - cpu_before, (load_before, os.getloadavg()[0]))


def percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    cuts = statistics.quantiles(seconds, n=100, method="inclusive") if len(seconds) > 1 else [seconds[0]] * 99
    return {"p50_s": round(statistics.median(seconds), 3), "p95_s": round(cuts[94], 3),
            "max_s": round(max(seconds), 3)}


def summarise(report: Report, wall: float, client_cpu: float, load_average: tuple[float, float]) -> dict:
    finished = [run for run in report.runs if run.finished]
    by_page: dict[str, list[float]] = defaultdict(list)
    for run in finished:
        by_page[run.asked].append(run.seconds)
    failed = [run for run in report.runs if run.problems]
    return {
        "sessions": report.sessions_started,
        "requests": len(report.runs),
        "finished": len(finished),
        "errors": len(failed),
        "problems_by_kind": dict(Counter(problem.split(":")[0] for run in failed for problem in run.problems)),
        "first_errors": report.problems[:FIRST_ERRORS_KEPT],
        "empty_results": sum(run.empty for run in finished),
        **percentiles([run.seconds for run in finished]),
        "throughput_per_s": round(len(finished) / wall, 2) if wall else None,
        "wall_s": round(wall, 1),
        "pages_visited": sorted({run.asked for run in finished if not run.problems}),
        "pages": {f"/{path}": {"requests": len(times), **percentiles(times)}
                  for path, times in sorted(by_page.items())},
        "actions": dict(Counter(run.action for run in report.runs)),
        "client_cpu_s": round(client_cpu, 1),
        "load_average_1min": [round(value, 2) for value in load_average],
    }


# -- the server -------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """An app server this command started: where it answers, and its process."""

    url: str
    process: subprocess.Popen

    def cpu_seconds(self) -> float | None:
        """CPU time the server and the processes it started (its chart process) have used so far, from Linux's
        /proc; None where that cannot be read."""
        stats = _process_stats()
        if self.process.pid not in stats:
            return None
        children: dict[int, list[int]] = {}
        for pid, (parent, _) in stats.items():
            children.setdefault(parent, []).append(pid)
        ticks, family = 0, [self.process.pid]
        while family:
            pid = family.pop()
            ticks += stats[pid][1]
            family += children.get(pid, [])
        return ticks / os.sysconf("SC_CLK_TCK")


def _process_stats() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, CPU clock ticks used: utime + stime) of every process /proc shows."""
    stats = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        stats[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    return stats


@contextlib.contextmanager
def served(db: Path, *, port: int | None = None, startup_timeout: float = 90) -> Iterator[Server]:
    """`streamlit run streamlit_app.py` on `db` on a local port, stopped on the way out (killed if it hangs)."""
    port = port or free_port()
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "streamlit_app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false",
             # others edit the tree during a run: a reload triggered by their saves is not part of the load
             "--server.fileWatcherType", "none"],
            env={**os.environ, "CFI_DB": str(db)}, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(url, server, startup_timeout, log)
            yield Server(url, server)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                print(f"the server at {url} did not stop within 20 s of SIGTERM (hung?): killed", file=sys.stderr)
                server.kill()
                server.wait()


def wait_until_healthy(url: str, server: subprocess.Popen, timeout: float, log) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    log.seek(0)
    tail = log.read().decode(errors="replace")[-2000:]
    raise RuntimeError(f"the app did not come up at {url} within {timeout:.0f} s "
                       f"(exit code {server.poll()}); its output:\n{tail}")


# -- the command ------------------------------------------------------------------------------------------------


def print_figures(figures: dict, args: argparse.Namespace, target_url: str) -> None:
    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f} s"

    think = f"{args.think[0]:g}-{args.think[1]:g} s"
    print(f"{figures['sessions']} sessions for {args.seconds:g} s on {target_url}"
          f"{f' (warehouse {args.db})' if not args.url else ''}, think time {think}, seed {args.seed}")
    rows = [
        ("sessions", str(figures["sessions"]), f"target {TARGET['sessions']}"),
        ("requests", f"{figures['requests']} ({figures['finished']} finished)", ""),
        ("errors", str(figures["errors"]), f"target {TARGET['errors']}" + "".join(
            f"; {kind} {count}" for kind, count in figures["problems_by_kind"].items())),
        ("page time p50", seconds(figures["p50_s"]), ""),
        ("page time p95", seconds(figures["p95_s"]), f"target < {TARGET['p95_s']:g} s"),
        ("page time max", seconds(figures["max_s"]), ""),
        ("throughput", f"{figures['throughput_per_s']} pages/s", ""),
        ("empty results", str(figures["empty_results"]), "filters matching no rows; not errors"),
        ("client CPU", f"{figures['client_cpu_s']} s", "this process, sharing the machine with the server"),
        ("load average", " -> ".join(map(str, figures["load_average_1min"])), f"1 min, {os.cpu_count()} cores"),
    ]
    if "server_cpu_s" in figures:
        cores = figures["server_cpu_s"] / figures["wall_s"]
        rows.append(("server CPU", f"{figures['server_cpu_s']} s",
                     (f"{figures['server_cpu_per_page_s']} s a finished page; {cores:.2f} cores on average, "
                      "chart process included")))
    for label, value, note in rows:
        print(f"  {label:<16}{value:<24}{note}")
    for message in figures["first_errors"]:
        print(f"  error: {message}")
    print(f"  {'page':<22}{'requests':>9}{'p50 s':>9}{'p95 s':>9}{'max s':>9}")
    for path, page in figures["pages"].items():
        print(f"  {path:<22}{page['requests']:>9}{page['p50_s']:>9.3f}{page['p95_s']:>9.3f}{page['max_s']:>9.3f}")
    met = (figures["errors"] == TARGET["errors"] and figures["p95_s"] is not None
           and figures["p95_s"] < TARGET["p95_s"] and figures["sessions"] >= TARGET["sessions"]
           and args.seconds >= TARGET["seconds"])
    print(f"  target ({TARGET['sessions']} sessions x {TARGET['seconds'] // 60} min, 0 errors, p95 < "
          f"{TARGET['p95_s']:g} s): {'met' if met else 'not met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[5:]))
    parser.add_argument("--db", default="data/warehouse.duckdb", help="warehouse the started server reads")
    parser.add_argument("--url", help="drive this running app instead of starting one")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300, help="how long sessions keep acting")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--think", type=float, nargs=2, default=THINK, metavar=("MIN", "MAX"),
                        help="seconds a user spends on a view before acting again, drawn uniformly "
                             f"(default {THINK[0]:g} {THINK[1]:g})")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which sessions arrive (default 10)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a run may take before it is an error")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    def run_against(url: str) -> dict:
        return asyncio.run(drive(url, args.sessions, args.seconds, seed=args.seed, think=tuple(args.think),
                                 timeout=args.timeout, ramp=args.ramp))

    if args.url:
        target_url, figures = args.url, run_against(args.url)
    else:
        db = Path(args.db)
        if not db.exists():
            raise SystemExit(f"no warehouse at {db}: build one (make demo) or pass --db / --url")
        with served(db.resolve()) as server:
            target_url, cpu_before = server.url, server.cpu_seconds()
            figures = run_against(target_url)
            cpu_after = server.cpu_seconds()
        if cpu_before is not None and cpu_after is not None:
            figures["server_cpu_s"] = round(cpu_after - cpu_before, 1)
            figures["server_cpu_per_page_s"] = (round(figures["server_cpu_s"] / figures["finished"], 3)
                                                if figures["finished"] else None)
    print_figures(figures, args, target_url)
    if args.json:
        settings = {"url": target_url, "db": None if args.url else args.db, "seconds": args.seconds,
                    "seed": args.seed, "think_s": list(args.think), "ramp_s": args.ramp, "timeout_s": args.timeout}
        Path(args.json).write_text(json.dumps({"settings": settings, "target": TARGET, **figures}, indent=2))


if __name__ == "__main__":
    main()
