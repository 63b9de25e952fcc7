-- Answers: Which RFM segments do the customers that campaigns contact and convert belong to?
-- Grain: one row per campaign x RFM segment x region x segment x wealth tier.
-- Definition: Campaign contacts made on or before the data as-of date, by the contacted customer's RFM segment in
--   rfm_customers, i.e. the segment the customer is in at the as-of date, not at the time of contact (scoring every
--   customer again at every campaign date would be far heavier; for one campaign, rfm_scores_as_of at its start date
--   gives the segments it saw). Contacted customers without approved card activity in the RFM window are in
--   'Not scored'. Counts and revenue are additive; conversion rate = sum(conversions) / sum(contacts) for any
--   selection. Budget is not here because it cannot be split by customer (see campaign_performance). Stored as a
--   table because the page reads it three times per view and every read would join all contacts to customers and
--   RFM scores again.
-- Materialize: table
-- Columns:
--   campaign_id: Campaign.
--   campaign_name: Campaign name.
--   start_date: First day of the campaign.
--   rfm_segment: Contacted customers' RFM segment at the as-of date, or 'Not scored'.
--   rfm_segment_order: Sort order of the RFM segment, best customers first ('Not scored' last).
--   region: Contacted customers' sales region.
--   segment: Contacted customers' business segment.
--   wealth_tier: Contacted customers' wealth tier.
--   contacts: Customers contacted.
--   responses: Contacted customers who responded.
--   conversions: Contacted customers who bought the offer.
--   revenue: Revenue attributed to the conversions.

with as_of as (
    select as_of_date from stg_data_as_of
),

contacts as (
    select
        contacts.campaign_id,
        contacts.customer_id,
        contacts.responded,
        contacts.converted,
        contacts.revenue
    from stg_campaign_contacts as contacts
    cross join as_of
    where contacts.contacted_date <= as_of.as_of_date
),

segmented as (
    select
        contacts.*,
        campaigns.campaign_name,
        campaigns.start_date,
        coalesce(rfm.rfm_segment, 'Not scored') as rfm_segment,
        coalesce(rfm.rfm_segment_order, 99) as rfm_segment_order,
        customers.region,
        customers.segment,
        customers.wealth_tier
    from contacts
    inner join stg_marketing_campaigns as campaigns on contacts.campaign_id = campaigns.campaign_id
    inner join stg_customers as customers on contacts.customer_id = customers.customer_id
    left join rfm_customers as rfm on contacts.customer_id = rfm.customer_id
),

final as (
    select
        campaign_id,
        campaign_name,
        start_date,
        rfm_segment,
        rfm_segment_order,
        region,
        segment,
        wealth_tier,
        count(*) as contacts,
        count(*) filter (where responded) as responses,
        count(*) filter (where converted) as conversions,
        sum(revenue) as revenue
    from segmented
    group by campaign_id, campaign_name, start_date, rfm_segment, rfm_segment_order, region, segment, wealth_tier
)

select * from final
