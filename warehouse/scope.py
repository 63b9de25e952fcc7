"""What a page is asked to show: a period and the customer groups in it, plus what the viewer may see.

A Scope is the one way filters reach SQL. `Scope.where()` turns it into a WHERE clause over a view's column
names (written by the query author, never by the user) with every value as a named bound parameter, and it
always applies `allowed_regions` and `allowed_segments`, the row-level security of the viewer, when set.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta

Params = dict[str, object]
# A group value no row holds: narrowing to values outside the current choice must show nothing, not everything.
MATCHES_NOTHING = "\u2205 no match"


@dataclass(frozen=True)
class Clause:
    """A SQL condition and the named parameters it binds, e.g. ("region = any($regions)", {"regions": [...]})."""

    sql: str
    params: Params

    def __and__(self, other: Clause) -> Clause:
        clash = {k for k in self.params.keys() & other.params.keys() if self.params[k] != other.params[k]}
        if clash:
            raise ValueError(f"parameters bound twice with different values: {sorted(clash)}")
        return Clause(f"({self.sql}) and ({other.sql})", {**self.params, **other.params})


TRUE = Clause("true", {})


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Scope:
    """A period (inclusive dates) and the regions, segments and wealth tiers chosen; empty means all.

    `allowed_regions` and `allowed_segments` are the viewer's row-level security: None means unrestricted, an
    empty tuple nothing.
    """

    start: date
    end: date
    regions: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()
    wealth_tiers: tuple[str, ...] = ()
    allowed_regions: tuple[str, ...] | None = None
    allowed_segments: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts ({self.start}) after it ends ({self.end})")

    @property
    def restricted(self) -> bool:
        """Whether the viewer is limited to some regions or segments."""
        return self.allowed_regions is not None or self.allowed_segments is not None

    @property
    def first_month(self) -> date:
        return month_start(self.start)

    @property
    def last_month(self) -> date:
        return month_start(self.end)

    @property
    def months(self) -> int:
        """Calendar months the period touches."""
        return (self.last_month.year - self.first_month.year) * 12 + self.last_month.month - self.first_month.month + 1

    def previous(self) -> Scope:
        """The equal-length period just before this one: whole months when the period is whole months."""
        if self.start == self.first_month and self.end == month_end(self.end):
            start = add_months(self.first_month, -self.months)
            return replace(self, start=start, end=self.first_month - timedelta(days=1))
        length = self.end - self.start
        end = self.start - timedelta(days=1)
        return replace(self, start=end - length, end=end)

    def narrowed(self, **choices: tuple[str, ...] | str | None) -> Scope:
        """This scope with some groups narrowed further, e.g. by a click on a chart; None leaves one as is."""
        changes = {}
        for field, value in choices.items():
            if value is None:
                continue
            values = (value,) if isinstance(value, str) else tuple(value)
            current = getattr(self, field)
            kept = tuple(v for v in values if not current or v in current)
            changes[field] = kept or (MATCHES_NOTHING,)
        return replace(self, **changes)

    def visible_regions(self) -> list[str] | None:
        """The regions this scope shows, for measures that take a region list (None: all regions)."""
        return _visible(self.regions, self.allowed_regions)

    def visible_segments(self) -> list[str] | None:
        """The segments this scope shows, for measures that take a segment list (None: all segments)."""
        return _visible(self.segments, self.allowed_segments)

    def where(
        self,
        *,
        month: str | None = None,
        day: str | None = None,
        region: str | None = "region",
        segment: str | None = "segment",
        wealth_tier: str | None = "wealth_tier",
        prefix: str = "",
    ) -> Clause:
        """The condition selecting this scope's rows of a view.

        month: a column holding the first day of a month, kept when the month lies in the period.
        day: a date column, kept when the date lies in the period.
        region, segment, wealth_tier: the view's columns for these groups; None when the view has none.
        prefix: prepended to parameter names, so two scopes (say, this period and the previous) can meet
        in one query.
        """
        parts: list[str] = []
        params: Params = {}
        if month:
            parts.append(f"{month} between ${prefix}first_month and ${prefix}last_month")
            params |= {f"{prefix}first_month": self.first_month, f"{prefix}last_month": self.last_month}
        if day:
            parts.append(f"{day} between ${prefix}period_start and ${prefix}period_end")
            params |= {f"{prefix}period_start": self.start, f"{prefix}period_end": self.end}
        return Clause(" and ".join(parts) or "true", params) & self.groups(
            region=region, segment=segment, wealth_tier=wealth_tier
        )

    def groups(
        self,
        *,
        region: str | None = "region",
        segment: str | None = "segment",
        wealth_tier: str | None = "wealth_tier",
    ) -> Clause:
        """The condition on customer groups alone (regions, segments, tiers and the viewer's regions and segments).

        A view without a region (or segment) column cannot honour a viewer limited to some regions (segments):
        it is refused with ValueError rather than shown whole.
        """
        parts: list[str] = []
        params: Params = {}
        for column, name, values in (
            (region, "regions", self.regions),
            (segment, "segments", self.segments),
            (wealth_tier, "wealth_tiers", self.wealth_tiers),
        ):
            if column and values:
                parts.append(f"list_contains(${name}, {column})")
                params[name] = list(values)
        for column, kind, allowed in ((region, "region", self.allowed_regions),
                                      (segment, "segment", self.allowed_segments)):
            if allowed is None:
                continue
            if column is None:
                raise ValueError(f"a view without a {kind} column cannot be shown to a viewer limited to {kind}s")
            parts.append(f"list_contains($allowed_{kind}s, {column})")
            params[f"allowed_{kind}s"] = list(allowed)
        return Clause(" and ".join(parts) or "true", params)


def _visible(chosen: tuple[str, ...], allowed: tuple[str, ...] | None) -> list[str] | None:
    """The chosen groups within the allowed ones; None (all groups) only for an unrestricted viewer."""
    if allowed is None:
        return list(chosen) or None
    return [value for value in (chosen or allowed) if value in allowed]
