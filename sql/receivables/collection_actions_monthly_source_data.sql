-- Answers: How many collection actions of each type of the source data were taken each month?
-- Grain: one row per month x action type x region x segment x wealth tier x income band with an action of the
--   source data.
-- Definition: collection_actions_monthly_for_source('source data'): the actions loaded by the build, counted.
--   Stored as a table, since the source data only changes with a build; collection_actions_monthly adds the
--   actions recorded in the app to it on every request.
-- Materialize: table
-- Columns:
--   month: First day of the month the actions were taken.
--   action_type: What was done (Reminder e-mail, SMS, Call, Letter, Arrangement agreed, Arrangement broken,
--     Field visit).
--   region: Customers' sales region.
--   segment: Customers' business segment.
--   wealth_tier: Customers' wealth tier.
--   income_band: Customers' annual income band.
--   actions: Collection actions taken.
--   actions_on_bills: Of those, actions about one named bill (the others were about the customer as a whole).

with source_data as (
    select * from collection_actions_monthly_for_source('source data')
),

final as (
    select * from source_data
)

select * from final
