-- Answers: Of the contacts customers make, how many end resolved, and how many are resolved at the first
--   contact?
-- Grain: one row per month x channel x reason x region x segment x wealth tier (combinations with contacts
--   only).
-- Definition: Three nested stages counted in the month the contact opened: contacts (all, repeats included)
--   -> resolved_contacts (ended Resolved) -> resolved_first_contact (first contacts that ended Resolved and were
--   not repeated within 7 days; see service_contacts). Each stage is a subset of the one before, so stage
--   rates are sum(stage) / sum(previous stage) after filtering. first_contacts is given for the FCR rate, which
--   is resolved_first_contact / first_contacts, not / contacts.
-- Materialize: table
-- Columns:
--   month: First day of the month the contacts opened.
--   channel: Contact channel.
--   reason: Why the customers made contact.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   contacts: Contacts opened (funnel stage 1).
--   resolved_contacts: Contacts that ended Resolved (stage 2).
--   resolved_first_contact: First contacts resolved with no repeat within 7 days (stage 3).
--   first_contacts: First contacts (denominator of first-contact resolution).

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
        count(*) as contacts,
        count(*) filter (where is_resolved) as resolved_contacts,
        count(*) filter (where is_resolved_first_contact) as resolved_first_contact,
        count(*) filter (where is_first_contact) as first_contacts
    from contacts
    group by all
)

select * from final
