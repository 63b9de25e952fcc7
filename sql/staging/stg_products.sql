-- Answers: Which products does the bank sell, and how risky and costly are they?
-- Grain: one row per product.
-- Definition: The products source table as the contract declares it; staging only selects its columns by name.
-- Columns:
--   product_id: Unique product identifier.
--   product_name: Commercial product name.
--   category: Product category, e.g. Equity Fund, Bond Fund, Savings.
--   investment_type: Asset class invested in, e.g. Stocks, Bonds, Cash.
--   risk_level: Risk level of the product.
--   launch_date: Date the product was launched.
--   annual_fee_rate: Yearly fee as a fraction of the balance (0.012 = 1.2%).
--   min_investment: Minimum initial investment.

with source as (
    select * from products
),

final as (
    select
        product_id,
        product_name,
        category,
        investment_type,
        risk_level,
        launch_date,
        annual_fee_rate,
        min_investment
    from source
)

select * from final
