"""Digital engagement: who uses our digital channels, on which devices, for what, and does it go with growth."""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, compare_stock, has_rows
from warehouse.scope import Scope

USER_GRAINS = ("month", "day")
AGE_BANDS = ("Under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown")  # as customer_ages
ENGAGEMENT_BANDS = ("0 sessions", "1-11 sessions", "12-51 sessions", "52+ sessions")  # as the view defines

_SESSION_MEASURES = {
    "sessions": "coalesce(sum(sessions), 0)",
    "session_minutes": "sum(session_seconds_sum) / 60.0 / nullif(sum(sessions), 0)",
    "actions_per_session": "sum(actions_taken_sum) / nullif(sum(sessions), 0)",
    "pages_per_session": "sum(pages_viewed_sum) / nullif(sum(sessions), 0)",
}


def has_data(db: Reader) -> bool:
    """Whether the warehouse holds any digital session at all (else the page says how to load some)."""
    return has_rows(db, "digital_active_users_monthly")


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Monthly active users and mobile adoption in the period's last month; sessions, their average length,
    actions and pages per session over the period; each against the previous equal-length period."""
    figures = compare_stock(db, scope, "digital_active_users_monthly",
                            {"monthly_active_users": "coalesce(sum(active_users), 0)"})
    figures |= compare_stock(db, scope, "mobile_adoption_monthly",
                             {"mobile_adoption": "sum(mobile_app_users) / nullif(sum(active_users), 0)"})
    figures |= compare_periods(db, scope, "digital_sessions_monthly", _SESSION_MEASURES)
    return figures


def monthly(db: Reader, scope: Scope) -> pl.DataFrame:
    """One row per month with sessions: users, mobile adoption, sessions and what happens in them (the
    sparklines and the detail table)."""
    clause = scope.where(month="month")
    selects = ", ".join(f"{expression} as {name}" for name, expression in _SESSION_MEASURES.items())
    return db.frame(
        f"""
        with users as (
            select month, sum(active_users) as active_users, sum(mobile_app_users) as mobile_app_users
            from mobile_adoption_monthly where {clause.sql} group by month
        ),
        activity as (
            select month, {selects} from digital_sessions_monthly where {clause.sql} group by month
        )
        select cast(month as date) as month, active_users, mobile_app_users,
            mobile_app_users / nullif(active_users, 0) as mobile_adoption,
            sessions, sessions / nullif(active_users, 0) as sessions_per_user, session_minutes,
            actions_per_session, pages_per_session
        from users full join activity using (month)
        order by month
        """,
        clause.params,
    )


def daily_users(db: Reader, scope: Scope) -> pl.DataFrame:
    """Daily active users and sessions, day by day over the period."""
    clause = scope.where(day="activity_date")
    return db.frame(
        f"select cast(activity_date as date) as day, sum(active_users) as active_users, sum(sessions) as sessions "
        f"from digital_active_users_daily where {clause.sql} group by all order by all",
        clause.params,
    )


def device_mix(db: Reader, scope: Scope) -> pl.DataFrame:
    """Sessions by device over the period (shares add up to 1), with each device's users in the last month
    and their share of that month's active users (a customer on two devices counts on both)."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        with sessions as (
            select device, sum(sessions) as sessions, sum(session_seconds_sum) / 60.0 / nullif(sum(sessions), 0)
                as session_minutes
            from digital_sessions_monthly where {clause.sql} group by device
        ),
        users as (
            select device, sum(active_users) as last_month_users
            from digital_active_users_by_device_monthly where month = $last_month and {clause.sql} group by device
        ),
        everyone as (
            select sum(active_users) as active_users
            from digital_active_users_monthly where month = $last_month and {clause.sql}
        )
        select device, sessions, sessions / sum(sessions) over () as session_share, session_minutes,
            coalesce(last_month_users, 0) as last_month_users,
            coalesce(last_month_users, 0) / nullif(everyone.active_users, 0) as user_share
        from sessions left join users using (device) cross join everyone
        order by sessions desc, device
        """,
        {**clause.params, "last_month": scope.last_month},
    )


def top_actions(db: Reader, scope: Scope) -> pl.DataFrame:
    """Sessions by main action over the period, with their share, length and actions taken."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select action_type, sum(sessions) as sessions, sum(sessions) / sum(sum(sessions)) over () as share,
            sum(session_seconds_sum) / 60.0 / nullif(sum(sessions), 0) as session_minutes,
            sum(actions_taken_sum) / nullif(sum(sessions), 0) as actions_per_session
        from digital_sessions_monthly where {clause.sql}
        group by action_type order by sessions desc, action_type
        """,
        clause.params,
    )


def usage_by_age_band(db: Reader, scope: Scope) -> pl.DataFrame:
    """Sessions by age band and device over the period, with each device's share of the age band's sessions."""
    clause = scope.where(month="month")
    frame = db.frame(
        f"""
        select age_band, device, sum(sessions) as sessions,
            sum(sessions) / sum(sum(sessions)) over (partition by age_band) as share_of_age_band,
            sum(session_seconds_sum) / 60.0 / nullif(sum(sessions), 0) as session_minutes
        from digital_usage_by_age_band_monthly where {clause.sql}
        group by age_band, device
        """,
        clause.params,
    )
    order = {band: i for i, band in enumerate(AGE_BANDS)}
    return (frame.with_columns(pl.col("age_band").replace_strict(order, default=len(order), return_dtype=pl.Int64)
                               .alias("age_band_order"))
            .sort("age_band_order", "age_band", "device"))


def session_length_by_device(db: Reader, scope: Scope) -> pl.DataFrame:
    """Average session length in minutes by month and device."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select cast(month as date) as month, device, sum(sessions) as sessions,
            sum(session_seconds_sum) / 60.0 / nullif(sum(sessions), 0) as session_minutes
        from digital_sessions_monthly where {clause.sql}
        group by all order by all
        """,
        clause.params,
    )


def engagement_vs_growth(db: Reader, scope: Scope) -> pl.DataFrame:
    """Balance growth over the last twelve months by engagement band and segment (a snapshot up to the as-of
    date; the period does not apply), aggregated so the page never receives one row per customer."""
    clause = scope.groups()
    frame = db.frame(
        f"""
        select engagement_band, segment, count(*) as customers,
            sum(sessions_12m) / count(*) as sessions_per_customer,
            sum(start_balance) as start_balance, sum(end_balance) as end_balance,
            sum(balance_growth) as balance_growth,
            sum(balance_growth) / nullif(sum(start_balance), 0) as balance_growth_rate,
            sum(balance_growth) / count(*) as growth_per_customer,
            max(end_month_end) as end_month_end
        from engagement_vs_balance_growth where {clause.sql}
        group by engagement_band, segment
        """,
        clause.params,
    )
    order = {band: i for i, band in enumerate(ENGAGEMENT_BANDS)}
    return (frame.with_columns(pl.col("engagement_band").replace_strict(order, default=len(order),
                                                                         return_dtype=pl.Int64).alias("band_order"))
            .sort("band_order", "segment"))


def load(db: Reader, scope: Scope, users_grain: str = "month") -> dict[str, object]:
    """Everything the Digital engagement page shows; `users_grain` ("month" or "day") picks the active-users
    trend."""
    if users_grain not in USER_GRAINS:
        raise ValueError(f"users grain must be one of {USER_GRAINS}, not {users_grain!r}")
    months = monthly(db, scope)
    return {
        "has_data": has_data(db),
        "kpis": kpis(db, scope),
        "monthly": months,
        "users": daily_users(db, scope) if users_grain == "day" else months.select("month", "active_users",
                                                                                   "sessions"),
        "device_mix": device_mix(db, scope),
        "top_actions": top_actions(db, scope),
        "usage_by_age_band": usage_by_age_band(db, scope),
        "session_length": session_length_by_device(db, scope),
        "engagement_vs_growth": engagement_vs_growth(db, scope),
    }
