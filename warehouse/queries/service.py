"""Service quality: how many contacts customers make, how well and how fast we resolve them, how satisfied they are.

Every measure is a ratio of sums over the views of sql/service, recomputed after filtering (never an average of
row rates): first-contact resolution (FCR) = resolved_first_contact / first_contacts; satisfaction =
satisfaction_sum / satisfaction_responses; hours to close = resolution_hours_sum / closed_contacts; repeat share
= repeat_contacts / contacts. Contacts count in the month they opened; hours to close in the month they closed.
"""

from __future__ import annotations

import polars as pl

from warehouse.queries.common import Compared, Reader, compare_periods, has_rows, monthly
from warehouse.scope import Scope

FCR_TARGET = 0.75
FCR_BANDS = (0.60, 0.75)  # poor below 60%, watch up to the target, good from it
SATISFACTION_TARGET = 4.0

FCR = "sum(resolved_first_contact) / nullif(sum(first_contacts), 0)"
SATISFACTION = "sum(satisfaction_sum) / nullif(sum(satisfaction_responses), 0)"
HOURS = "sum(resolution_hours_sum) / nullif(sum(closed_contacts), 0)"
REPEAT_SHARE = "sum(repeat_contacts) / nullif(sum(contacts), 0)"


def has_data(db: Reader) -> bool:
    return has_rows(db, "service_contacts")


def kpis(db: Reader, scope: Scope) -> dict[str, Compared]:
    """Contacts, repeat share, FCR, resolved share, satisfaction and hours to close: this period and the previous."""
    figures = compare_periods(db, scope, "contact_volume_monthly",
                              {"contacts": "coalesce(sum(contacts), 0)", "repeat_share": REPEAT_SHARE})
    figures |= compare_periods(db, scope, "resolution_funnel_monthly", {
        "fcr": FCR, "resolved_share": "sum(resolved_contacts) / nullif(sum(contacts), 0)"})
    figures |= compare_periods(db, scope, "satisfaction_by_reason_monthly", {"satisfaction": SATISFACTION})
    figures |= compare_periods(db, scope, "resolution_time_monthly", {"hours_to_close": HOURS})
    return figures


def trends(db: Reader, scope: Scope) -> pl.DataFrame:
    """Each card's measure month by month over the period (the sparklines)."""
    volume = monthly(db, scope, "contact_volume_monthly", {"contacts": "sum(contacts)", "repeat_share": REPEAT_SHARE})
    fcr = monthly(db, scope, "resolution_funnel_monthly", {"fcr": FCR})
    satisfaction = monthly(db, scope, "satisfaction_by_reason_monthly", {"satisfaction": SATISFACTION})
    hours = monthly(db, scope, "resolution_time_monthly", {"hours_to_close": HOURS})
    return (volume.join(fcr, on="month", how="full", coalesce=True)
            .join(satisfaction, on="month", how="full", coalesce=True)
            .join(hours, on="month", how="full", coalesce=True).sort("month"))


def volume_by_channel(db: Reader, scope: Scope) -> pl.DataFrame:
    """Contacts per month and channel."""
    return monthly(db, scope, "contact_volume_monthly", {"contacts": "sum(contacts)"}, by=("channel",))


def fcr_by_channel(db: Reader, scope: Scope) -> pl.DataFrame:
    """First-contact resolution per channel of the first contact, best first."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select channel, sum(first_contacts) as first_contacts, sum(resolved_first_contact) as resolved_first_contact,
            {FCR} as fcr
        from resolution_funnel_monthly
        where {clause.sql}
        group by channel
        order by fcr desc nulls last, channel
        """,
        clause.params,
    )


def funnel(db: Reader, scope: Scope) -> pl.DataFrame:
    """The three nested stages (contacts -> resolved -> resolved at first contact) with each one's share of all
    contacts and of the stage before."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        with totals as (
            select coalesce(sum(contacts), 0) as contacts, coalesce(sum(resolved_contacts), 0) as resolved,
                coalesce(sum(resolved_first_contact), 0) as resolved_first
            from resolution_funnel_monthly
            where {clause.sql}
        ),
        stages as (
            select 1 as stage_order, 'Contacts' as stage, contacts as count, contacts as previous, contacts as total
            from totals
            union all
            select 2, 'Resolved', resolved, contacts, contacts from totals
            union all
            select 3, 'Resolved at first contact', resolved_first, resolved, contacts from totals
        )
        select stage_order, stage, count, count / nullif(total, 0) as share_of_contacts,
            count / nullif(previous, 0) as share_of_previous
        from stages
        where total > 0
        order by stage_order
        """,
        clause.params,
    )


def satisfaction_by_reason(db: Reader, scope: Scope) -> pl.DataFrame:
    """Average satisfaction (1 to 5) per contact reason, lowest first: where service disappoints most."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select reason, {SATISFACTION} as satisfaction, sum(satisfaction_responses) as responses,
            sum(contacts) as contacts, sum(satisfaction_responses) / nullif(sum(contacts), 0) as response_rate
        from satisfaction_by_reason_monthly
        where {clause.sql}
        group by reason
        order by satisfaction nulls last, reason
        """,
        clause.params,
    )


def resolution_time(db: Reader, scope: Scope) -> pl.DataFrame:
    """Average hours from opening to closing, per month closed and channel."""
    return monthly(db, scope, "resolution_time_monthly",
                   {"hours_to_close": HOURS, "closed_contacts": "sum(closed_contacts)"}, by=("channel",))


def issues_by_group(db: Reader, scope: Scope) -> pl.DataFrame:
    """Contacts per product category the contact was about and customer segment."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        select product_category, segment, sum(contacts) as contacts,
            sum(sum(contacts)) over (partition by product_category) as category_contacts
        from contact_volume_monthly
        where {clause.sql}
        group by product_category, segment
        order by category_contacts desc, product_category, segment
        """,
        clause.params,
    )


def top_reasons(db: Reader, scope: Scope) -> pl.DataFrame:
    """Per contact reason: contacts and their share, repeat share, resolved share, FCR, satisfaction and hours to
    close (of the contacts closed in the period), most contacts first."""
    clause = scope.where(month="month")
    return db.frame(
        f"""
        with volume as (
            select reason, sum(contacts) as contacts, {REPEAT_SHARE} as repeat_share
            from contact_volume_monthly where {clause.sql} group by reason
        ),
        resolution as (
            select reason, sum(resolved_contacts) / nullif(sum(contacts), 0) as resolved_share, {FCR} as fcr
            from resolution_funnel_monthly where {clause.sql} group by reason
        ),
        satisfaction as (
            select reason, {SATISFACTION} as satisfaction
            from satisfaction_by_reason_monthly where {clause.sql} group by reason
        ),
        closing as (
            select reason, {HOURS} as hours_to_close
            from resolution_time_monthly where {clause.sql} group by reason
        )
        select volume.reason, volume.contacts, volume.contacts / sum(volume.contacts) over () as share_of_contacts,
            volume.repeat_share, resolution.resolved_share, resolution.fcr, satisfaction.satisfaction,
            closing.hours_to_close
        from volume
        left join resolution using (reason)
        left join satisfaction using (reason)
        left join closing using (reason)
        order by volume.contacts desc, volume.reason
        """,
        clause.params,
    )


def load(db: Reader, scope: Scope) -> dict[str, object]:
    """Everything the Service quality page shows."""
    return {
        "kpis": kpis(db, scope),
        "trends": trends(db, scope),
        "volume_by_channel": volume_by_channel(db, scope),
        "fcr_by_channel": fcr_by_channel(db, scope),
        "funnel": funnel(db, scope),
        "satisfaction_by_reason": satisfaction_by_reason(db, scope),
        "resolution_time": resolution_time(db, scope),
        "issues_by_group": issues_by_group(db, scope),
        "top_reasons": top_reasons(db, scope),
    }
