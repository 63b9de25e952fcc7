-- Answers: How long does it take to close a contact, by channel and reason, over time?
-- Grain: one row per month closed x channel x reason x region x segment x wealth tier (combinations with
--   closed contacts only).
-- Definition: Average resolution time = sum(resolution_hours_sum) / sum(closed_contacts) after filtering, in
--   hours from opening to closing, over every closed contact whatever its outcome. Contacts count in the month
--   they closed, not opened, so a month's figure does not change when older contacts close later; contacts
--   still open are left out (not counted as zero).
-- Materialize: table
-- Columns:
--   month: First day of the month the contacts closed.
--   channel: Contact channel.
--   reason: Why the customers made contact.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   closed_contacts: Contacts closed in the month.
--   resolution_hours_sum: Sum over those contacts of the hours between opening and closing.

with contacts as (
    select * from service_contacts
),

final as (
    select
        closed_month as month,
        channel,
        reason,
        region,
        segment,
        wealth_tier,
        count(*) as closed_contacts,
        sum(resolution_hours) as resolution_hours_sum
    from contacts
    where closed_at is not null
    group by all
)

select * from final
