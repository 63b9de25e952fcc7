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
--   are those of the first contact. The last 7 days before the as-of date are provisional. Recompute FCR after
--   filtering as sum(resolved_first_contact) / sum(first_contacts); never average the row rate.
-- Materialize: table
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

with contacts as (
    select * from service_contacts
),

final as (
    select
        opened_month as month,
        channel,
        reason,
        region,
        segment,
        wealth_tier,
        count(*) as first_contacts,
        count(*) filter (where is_resolved_first_contact) as resolved_first_contact,
        count(*) filter (where is_resolved_first_contact) / nullif(count(*), 0) as first_contact_resolution_rate
    from contacts
    where is_first_contact
    group by all
)

select * from final
