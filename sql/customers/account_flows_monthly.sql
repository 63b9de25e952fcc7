-- Answers: Through which channels are accounts opened, for which product categories, and are they still open
--   (the channel -> product category -> status flow)?
-- Grain: one row per opening month x region x segment x wealth tier x channel x product category x account status.
-- Definition: Accounts from customer_accounts (opened on or before the data as-of date), counted in the month they
--   were opened; status is the account's current status as the source records it. Counts are additive over every
--   column: a flow (Sankey) diagram sums accounts by channel and category for its first links and by category and
--   status for its second, over the months and groups selected.
-- Materialize: table
-- Columns:
--   month: First day of the month the accounts were opened.
--   region: Account holders' sales region.
--   segment: Account holders' business segment.
--   wealth_tier: Account holders' wealth tier.
--   channel: Channel the accounts were opened through (Branch, Web, Mobile, Phone, Advisor).
--   product_category: Category of the product the accounts are for.
--   account_status: Whether the accounts are open now (Active, Closed).
--   accounts: Accounts opened.

with accounts as (
    select open_month, region, segment, wealth_tier, channel, product_category, account_status
    from customer_accounts
),

final as (
    select
        open_month as month,
        region,
        segment,
        wealth_tier,
        channel,
        product_category,
        account_status,
        count(*) as accounts
    from accounts
    group by open_month, region, segment, wealth_tier, channel, product_category, account_status
)

select * from final
