-- Answers: Whom did each campaign contact, and did they respond and convert?
-- Grain: one row per campaign x customer contacted.
-- Definition: The campaign_contacts source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   campaign_id: Campaign.
--   customer_id: Customer contacted.
--   contacted_date: Date the customer was contacted.
--   responded: Whether the customer responded.
--   converted: Whether the customer bought the offer.
--   revenue: Revenue attributed to the conversion (0 when not converted).

with source as (
    select * from campaign_contacts
),

final as (
    select
        campaign_id,
        customer_id,
        contacted_date,
        responded,
        converted,
        revenue
    from source
)

select * from final
