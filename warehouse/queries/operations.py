"""Operations: new business sold, what it costs to run the bank, and how the sales force does against target.

Sales and new customers follow every filter (they are placed by the customer's region, segment and tier).
Expenses, cost-to-income and employees have no customer: they follow only the period and the region (the
booked region, the employee's region), so their queries pass segment=None, wealth_tier=None.

"Sales" is new product business as regional_sales_quarterly defines it: the initial investment of accounts
opened plus the principal of loans issued, up to the data's as-of date. The cards and the monthly trend take it
month by month, like every monthly measure (all months the period touches); the quarterly chart reads
regional_sales_quarterly and so shows whole quarters.
"""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, monthly
from warehouse.scope import Scope, month_end

NO_CUSTOMER = {"segment": None, "wealth_tier": None}

ATTAINMENT_LIMITS = (0.5, 1.0, 1.5, 2.0, 3.0)
ATTAINMENT_BANDS = ("Under 50%", "50–100%", "100–150%", "150–200%", "200–300%", "300% and over")
TOP_N = 5


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Sales, new customers, expenses and cost-to-income of the period against the previous equal-length one;
    the share of employees on target in the period's last year against the year before."""
    figures = compare_periods(db, scope, "sales_monthly", {"sales": "coalesce(sum(sales), 0)"})
    figures |= compare_periods(db, scope, "customer_acquisition_monthly",
                               {"new_customers": "coalesce(sum(new_customers), 0)"})
    figures |= compare_periods(db, scope, "expenses_monthly", {"expenses": "coalesce(sum(expenses), 0)"},
                               **NO_CUSTOMER)
    figures |= compare_periods(db, scope, "cost_to_income_monthly", {
        "cost_to_income": "sum(expenses) / nullif(sum(income), 0)",
        "income": "coalesce(sum(income), 0)",
    }, **NO_CUSTOMER)
    year = scope.end.year
    shares = on_target_share(db, scope, (year - 1, year))
    figures["on_target"] = Compared(shares.get(year), shares.get(year - 1))
    return figures


def on_target_share(db: Reader, scope: Scope, years: tuple[int, ...]) -> dict[int, float | None]:
    """Per year: the share of advisors and sales staff with a target whose sales reached it (the year-to-date
    target, pro rata, for the running year)."""
    clause = scope.groups(**NO_CUSTOMER)
    frame = db.frame(
        f"""
        select year,
            avg(case when sales >= sales_target_to_date then 1.0 else 0.0 end)
                filter (where sales_target_to_date > 0) as on_target
        from employee_performance_yearly
        where list_contains($years, year) and {clause.sql}
        group by year
        """,
        {"years": list(years), **clause.params},
    )
    found = {row["year"]: row["on_target"] for row in frame.iter_rows(named=True)}
    return {year: None if found.get(year) is None else float(found[year]) for year in years}


def trends(db: Reader, scope: Scope) -> pl.DataFrame:
    """Monthly sales, new customers, expenses and cost-to-income: the cards' sparklines."""
    sales = monthly(db, scope, "sales_monthly", {"sales": "sum(sales)"})
    new = monthly(db, scope, "customer_acquisition_monthly", {"new_customers": "sum(new_customers)"})
    costs = monthly(db, scope, "cost_to_income_monthly", {
        "expenses": "sum(expenses)", "income": "sum(income)",
        "cost_to_income": "sum(expenses) / nullif(sum(income), 0)"}, **NO_CUSTOMER)
    return (sales.join(new, on="month", how="full", coalesce=True)
            .join(costs, on="month", how="full", coalesce=True).sort("month"))


def regional_sales(db: Reader, scope: Scope) -> pl.DataFrame:
    """Sales and new customers per quarter and region, for every quarter the period touches, with the growth
    against the previous quarter and whether the quarter is only partly in the period or still running."""
    clause = scope.groups()
    return db.frame(
        f"""
        select quarter_start_date, quarter, region,
            sum(total_sales) as total_sales,
            sum(account_sales) as account_sales,
            sum(loan_sales) as loan_sales,
            sum(new_customers) as new_customers,
            sum(previous_quarter_sales) as previous_quarter_sales,
            sum(total_sales) / nullif(sum(previous_quarter_sales), 0) - 1 as sales_growth,
            quarter_start_date < $period_start
                or quarter_start_date + interval 3 month - interval 1 day > $period_end as partly_in_period,
            quarter_start_date + interval 3 month - interval 1 day
                > (select as_of_date from stg_data_as_of) as quarter_to_date
        from regional_sales_quarterly
        where quarter_start_date between cast(date_trunc('quarter', $first_month) as date) and $last_month
            and {clause.sql}
        group by all
        order by quarter_start_date, region
        """,
        {"first_month": scope.first_month, "last_month": scope.last_month, "period_start": scope.first_month,
         "period_end": month_end(scope.last_month), **clause.params},
    )


def cost_to_income(db: Reader, scope: Scope) -> pl.DataFrame:
    """Cost-to-income per month and region (ratio of the sums)."""
    return monthly(db, scope, "cost_to_income_monthly", {
        "expenses": "sum(expenses)", "income": "sum(income)",
        "cost_to_income": "sum(expenses) / nullif(sum(income), 0)"}, by=("region",), **NO_CUSTOMER)


def expenses_by_category(db: Reader, scope: Scope) -> pl.DataFrame:
    return monthly(db, scope, "expenses_monthly", {"expenses": "sum(expenses)"}, by=("category",), **NO_CUSTOMER)


def expenses_by_department(db: Reader, scope: Scope) -> pl.DataFrame:
    clause = scope.where(month="month", **NO_CUSTOMER)
    frame = db.frame(
        f"select department, sum(expenses) as expenses, sum(expense_lines) as expense_lines "
        f"from expenses_monthly where {clause.sql} group by department order by expenses desc, department",
        clause.params,
    )
    total = frame["expenses"].sum()
    return frame.with_columns((pl.col("expenses") / total if total else pl.lit(None, pl.Float64)).alias("share"))


def employees(db: Reader, scope: Scope, year: int) -> pl.DataFrame:
    """Advisors and sales staff in `year`: sales against the target (to date for the running year)."""
    clause = scope.groups(**NO_CUSTOMER)
    frame = db.frame(
        f"""
        select employee_id, full_name, role, department, region, office, sales, sales_target,
            sales_target_to_date, is_year_to_date,
            sales / nullif(sales_target_to_date, 0) as attainment,
            sales - sales_target_to_date as gap_to_target
        from employee_performance_yearly
        where year = $year and {clause.sql}
        order by attainment desc nulls last, full_name
        """,
        {"year": year, **clause.params},
    )
    # each employee lands in the first band whose upper limit they are under
    expression = pl.when(pl.col("attainment").is_null()).then(None)
    for limit, name in zip(ATTAINMENT_LIMITS, ATTAINMENT_BANDS, strict=False):
        expression = expression.when(pl.col("attainment") < limit).then(pl.lit(name))
    expression = expression.otherwise(pl.lit(ATTAINMENT_BANDS[-1]))
    on_target = pl.col("sales") >= pl.col("sales_target_to_date")
    return frame.with_columns(
        expression.alias("attainment_band"), on_target.alias("on_target"),
        pl.when(pl.col("sales_target_to_date").is_null()).then(pl.lit("No target"))
        .when(on_target).then(pl.lit("On target")).otherwise(pl.lit("Below target")).alias("status"))


def attainment_distribution(people: pl.DataFrame) -> pl.DataFrame:
    """Employees per attainment band, every band listed in order (0 when empty)."""
    counts = people.filter(pl.col("attainment_band").is_not_null()).group_by("attainment_band").agg(
        pl.len().alias("employees"), pl.col("sales").sum(), pl.col("sales_target_to_date").sum())
    bands = pl.DataFrame({"attainment_band": list(ATTAINMENT_BANDS),
                          "meets_target": [limit >= 1.0 for limit in (0.0, *ATTAINMENT_LIMITS)]})
    frame = bands.join(counts, on="attainment_band", how="left").with_columns(
        pl.col("employees").fill_null(0).cast(pl.Int64))
    total = frame["employees"].sum()
    return frame.with_columns((pl.col("employees") / total if total else pl.lit(None, pl.Float64)).alias("share"))


def top_and_bottom(people: pl.DataFrame, n: int = TOP_N) -> pl.DataFrame:
    """The n employees furthest above and the n furthest below their target (fewer when there are few)."""
    ranked = people.filter(pl.col("attainment").is_not_null()).sort(["attainment", "full_name"],
                                                                    descending=[True, False])
    if ranked.height < 2:
        return ranked.with_columns(pl.lit("Top", pl.String).alias("group"))
    take = min(n, ranked.height // 2)
    return pl.concat([ranked.head(take).with_columns(pl.lit(f"Top {take}").alias("group")),
                      ranked.tail(take).with_columns(pl.lit(f"Bottom {take}").alias("group"))])


def load(db: Reader, scope: Scope) -> dict[str, object]:
    """Everything the Operations page shows. Employees are shown for the calendar year the period ends in."""
    year = scope.end.year
    people = employees(db, scope, year)
    history = on_target_share(db, scope, tuple(range(year - 4, year + 1)))
    return {
        "on_target_by_year": pl.DataFrame({"year": list(history), "on_target": list(history.values())},
                                          schema={"year": pl.Int64, "on_target": pl.Float64}),
        "kpis": kpis(db, scope),
        "trends": trends(db, scope),
        "regional_sales": regional_sales(db, scope),
        "cost_to_income": cost_to_income(db, scope),
        "expenses_by_category": expenses_by_category(db, scope),
        "expenses_by_department": expenses_by_department(db, scope),
        "employee_year": year,
        "employees": people,
        "attainment_distribution": attainment_distribution(people),
        "top_and_bottom_employees": top_and_bottom(people),
    }
