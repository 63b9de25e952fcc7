"""What the shared filters offer: the regions, segments and wealth tiers in the data, and the dates it spans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from warehouse import contract
from warehouse.queries.common import Reader
from warehouse.scope import Scope, add_months, month_start


@dataclass(frozen=True)
class FilterOptions:
    regions: tuple[str, ...]
    segments: tuple[str, ...]
    wealth_tiers: tuple[str, ...]
    first_date: date | None
    last_date: date | None


def filter_options(db: Reader) -> FilterOptions:
    groups = db.frame(
        "select list(distinct region order by region) as regions, list(distinct segment) as segments, "
        "list(distinct wealth_tier) as wealth_tiers from stg_customers"
    ).row(0, named=True)
    dates = db.frame(
        "select (select min(month) from customer_calendar_months) as first_date, "
        "(select as_of_date from stg_data_as_of) as last_date"
    ).row(0, named=True)
    return FilterOptions(
        regions=tuple(groups["regions"] or ()),
        segments=_in_contract_order(groups["segments"], contract.SEGMENTS),
        wealth_tiers=_in_contract_order(groups["wealth_tiers"], contract.WEALTH_TIERS),
        first_date=dates["first_date"],
        last_date=dates["last_date"],
    )


def _in_contract_order(values: list[str] | None, order: tuple[str, ...]) -> tuple[str, ...]:
    """Known values in the contract's order (Mass Market before Affluent), others after them alphabetically."""
    values = set(values or ())
    return tuple(v for v in order if v in values) + tuple(sorted(values - set(order)))


def default_period(options: FilterOptions) -> tuple[date, date]:
    """The last twelve months up to the data's as-of date."""
    last = options.last_date or date.today()
    first = max(add_months(month_start(last), -11), options.first_date or date.min)
    return first, last


def default_scope(options: FilterOptions) -> Scope:
    return Scope(*default_period(options))
