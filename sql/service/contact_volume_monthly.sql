-- Answers: How many contacts do customers make, on which channels, about what and about which products, over
--   time? (Volume by channel, issues by segment and product category, top contact reasons.)
-- Grain: one row per month x channel x reason x product category x region x segment x wealth tier
--   (combinations with contacts only).
-- Definition: Every contact counts once, in the month it opened, whatever its outcome and whether or not it
--   repeats an earlier one (an "issue" is a contact). Contacts about no product have product_category
--   'No product'. All columns are additive: top reasons are sum(contacts) grouped by reason after filtering.
-- Materialize: table
-- Columns:
--   month: First day of the month the contacts opened.
--   channel: Contact channel.
--   reason: Why the customers made contact.
--   product_category: Category of the product the contacts were about, or 'No product'.
--   region: Customer's region.
--   segment: Customer's segment.
--   wealth_tier: Customer's wealth tier.
--   contacts: Contacts opened.
--   repeat_contacts: Of those, contacts that repeat a contact about the same reason from the 7 days before.

with contacts as (
    select * from service_contacts
),

final as (
    select
        opened_month as month,
        channel,
        reason,
        product_category,
        region,
        segment,
        wealth_tier,
        count(*) as contacts,
        count(*) filter (where not is_first_contact) as repeat_contacts
    from contacts
    group by all
)

select * from final
