-- Answers: What share of customers' issues do we resolve at the first contact, by month, channel, reason and
--   customer group?
-- Grain: one row per month x channel x reason x region x segment x wealth tier (combinations with first
--   contacts only).
-- Definition: First-contact resolution (FCR) = resolved_first_contact / first_contacts, over all channels.
--   A first contact is a contact with no contact by the same customer about the same reason in the 7 days
--   before it; it is resolved at first contact when it ended Resolved and the customer did not contact again
--   about the same reason within 7 days after it (see service_contacts). Unlike the popular dashboard that
--   counted phone calls marked resolved, this counts every channel, ignores repeat contacts in the
--   denominator, and does not credit a "resolved" contact the customer had to repeat. Month, channel and reason
--   are those of the first contact. The counts are the first-contact columns of resolution_funnel_monthly,
--   so the funnel and this view always agree. The last 7 days before the as-of date are provisional.
--   Recompute FCR after filtering as sum(resolved_first_contact) / sum(first_contacts); never average the row
--   rate.
-- Columns:
--   month: First day of the month the first contact opened.
--   channel: Channel of the first contact.
--   reason: Reason of the first contact.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   first_contacts: First contacts (the FCR denominator).
--   resolved_first_contact: First contacts resolved with no repeat within 7 days (the FCR numerator).
--   first_contact_resolution_rate: resolved_first_contact / first_contacts for this row only, as a fraction.

with funnel as (
    select * from resolution_funnel_monthly
),

final as (
    select
        month,
        channel,
        reason,
        region,
        segment,
        wealth_tier,
        first_contacts,
        resolved_first_contact,
        resolved_first_contact / nullif(first_contacts, 0) as first_contact_resolution_rate
    from funnel
    where first_contacts > 0
)

select * from final
