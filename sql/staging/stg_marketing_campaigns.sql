-- Answers: Which campaigns ran, for whom, when, and at what cost?
-- Grain: one row per campaign.
-- Definition: The marketing_campaigns source table as the contract declares it; staging only selects its
--   columns by name.
-- Columns:
--   campaign_id: Unique campaign identifier.
--   campaign_name: Campaign name.
--   channel: Main channel (Email, SMS, Direct Mail, Social, Phone).
--   target_segment: Customer segment targeted.
--   start_date: First day of the campaign.
--   end_date: Last day of the campaign.
--   budget: Budget spent.

with source as (
    select * from marketing_campaigns
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        target_segment,
        start_date,
        end_date,
        budget
    from source
)

select * from final
