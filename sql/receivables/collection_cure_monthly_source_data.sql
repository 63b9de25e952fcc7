-- Answers: How often is a bill fully paid soon after a collection action of the source data, by action type
--   and month?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action of the
--   source data on an open bill.
-- Definition: collection_cure_monthly_for_source('source data'): the cure counts of the actions loaded by the
--   build. Stored as a table, since the source data only changes with a build; collection_cure_monthly adds
--   the actions recorded in the app to it on every request.
-- Materialize: table
-- Columns:
--   month: First day of the month the actions were taken.
--   action_type: What was done.
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   actions_on_open_bills: Actions on open bills whose cure window is over (the denominator of the cure rate).
--   cured_actions: Of those, actions after which the bill was fully paid within the cure window.
--   pending_actions: Actions on open bills whose cure window is not over at the data as-of date.

with source_data as (
    select * from collection_cure_monthly_for_source('source data')
),

final as (
    select * from source_data
)

select * from final
