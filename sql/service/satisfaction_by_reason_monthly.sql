-- Answers: How satisfied are customers with the service they got, by contact reason and channel, over time?
-- Grain: one row per month x reason x channel x region x segment x wealth tier (combinations with contacts
--   only).
-- Definition: Average satisfaction = sum(satisfaction_sum) / sum(satisfaction_responses) after filtering:
--   contacts without a score are left out of the average (not counted as zero), and the response rate is
--   sum(satisfaction_responses) / sum(contacts). Month is the month the contact opened.
-- Materialize: table
-- Columns:
--   month: First day of the month the contacts opened.
--   reason: Why the customers made contact.
--   channel: Contact channel.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   contacts: Contacts opened.
--   satisfaction_responses: Contacts with a satisfaction score.
--   satisfaction_sum: Sum of the scores given (1 to 5 each); empty when no contact was scored.

with contacts as (
    select * from service_contacts
),

final as (
    select
        opened_month as month,
        reason,
        channel,
        region,
        segment,
        wealth_tier,
        count(*) as contacts,
        count(satisfaction) as satisfaction_responses,
        sum(satisfaction) as satisfaction_sum
    from contacts
    group by all
)

select * from final
