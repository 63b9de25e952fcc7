-- Answers: What did each marketing campaign cost, whom did it reach, how many converted, and did it pay back?
-- Grain: one row per campaign started on or before the data as-of date.
-- Definition: Budget from the campaign; contacts, responses, conversions and attributed revenue from its contacts
--   made on or before the as-of date. A campaign's budget cannot be split by customer, so this view has no region,
--   segment or wealth tier columns: those filters do not apply (filter on target_segment, channel and start_date;
--   campaign_conversions_by_rfm_segment splits the contacts by customer). For any selection of campaigns compute
--   the ratios from the sums: conversion rate = sum(conversions) / sum(contacts), response rate =
--   sum(responses) / sum(contacts), cost per conversion = sum(budget) / sum(conversions),
--   ROI = (sum(revenue) - sum(budget)) / sum(budget). Stored as a table so that listing campaigns does not count
--   every contact again.
-- Materialize: table
-- Columns:
--   campaign_id: Campaign.
--   campaign_name: Campaign name.
--   channel: Main channel (Email, SMS, Direct Mail, Social, Phone).
--   target_segment: Customer segment targeted; empty when the campaign targeted everyone.
--   start_date: First day of the campaign.
--   end_date: Last day of the campaign.
--   budget: Budget spent.
--   contacts: Customers contacted.
--   responses: Contacted customers who responded.
--   conversions: Contacted customers who bought the offer.
--   revenue: Revenue attributed to the conversions.
--   response_rate: responses / contacts for this campaign, as a fraction; empty without contacts.
--   conversion_rate: conversions / contacts for this campaign, as a fraction; empty without contacts.
--   cost_per_conversion: budget / conversions for this campaign; empty without conversions.
--   roi: Return on investment, (revenue - budget) / budget for this campaign, as a fraction.

with as_of as (
    select as_of_date from stg_data_as_of
),

campaigns as (
    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.target_segment,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.budget
    from stg_marketing_campaigns as campaigns
    cross join as_of
    where campaigns.start_date <= as_of.as_of_date
),

contact_results as (
    select
        contacts.campaign_id,
        count(*) as contacts,
        count(*) filter (where contacts.responded) as responses,
        count(*) filter (where contacts.converted) as conversions,
        sum(contacts.revenue) as revenue
    from stg_campaign_contacts as contacts
    cross join as_of
    where contacts.contacted_date <= as_of.as_of_date
    group by contacts.campaign_id
),

combined as (
    select
        campaigns.*,
        coalesce(contact_results.contacts, 0) as contacts,
        coalesce(contact_results.responses, 0) as responses,
        coalesce(contact_results.conversions, 0) as conversions,
        coalesce(contact_results.revenue, 0) as revenue
    from campaigns
    left join contact_results on campaigns.campaign_id = contact_results.campaign_id
),

final as (
    select
        campaign_id,
        campaign_name,
        channel,
        target_segment,
        start_date,
        end_date,
        budget,
        contacts,
        responses,
        conversions,
        revenue,
        cast(responses as double) / nullif(contacts, 0) as response_rate,
        cast(conversions as double) / nullif(contacts, 0) as conversion_rate,
        cast(budget as double) / nullif(conversions, 0) as cost_per_conversion,
        cast(revenue - budget as double) / nullif(budget, 0) as roi
    from combined
)

select * from final
