"""Wealth & products: how much money we manage, what moved it, and which products earn and return the most."""

from app import charts, wealth_charts
from app import columns as c
from app.specs import Chart
from app.ui import Kpi, Page
from warehouse.queries import wealth

page = Page("Wealth & products", "How much do we manage, what moved it, and which products earn and return the most?")
ctx, money = page.context, page.currency
data = wealth.load(ctx.db, ctx.scope)

page.stop_unless(data["has_data"], "investment accounts and their monthly balances")
figures, trends = data["kpis"], data["trends"]
page.kpis([
    Kpi("AUM", figures["aum"], "money", trend=trends["aum"],
        help="Assets under management: the balances of the investment accounts at the period end."),
    Kpi("Net flows", figures["net_flows"], "money", trend=trends["net_flow"],
        help=f"Contributions ({page.format(figures['contributions'].current, 'money', short=True)}) minus "
             f"withdrawals ({page.format(figures['withdrawals'].current, 'money', short=True)}) in the period."),
    Kpi("Fee revenue", figures["fees"], "money", trend=trends["fees"],
        help="Fees charged on the investment accounts in the period."),
    Kpi("Return (ROI)", figures["roi"], "percent", trend=trends["monthly_return"],
        help=f"Investment returns of the period "
             f"({page.format(figures['investment_returns'].current, 'money', short=True)}) over the average "
             f"month-end balance; not annualised. The sparkline shows each month's return."),
    Kpi("Accounts", figures["accounts"], "count", trend=trends["accounts"],
        help="Investment accounts holding a balance at the period end."),
])

month = c.month("month")
product, risk = c.text("product_name", "Product"), c.text("risk_level", "Risk level")
category, kind = c.text("product_category", "Product category"), c.text("investment_type", "Investment type")
aum, fees = c.money("aum", "AUM at period end"), c.money("fees", "Fee revenue")
net_flow, return_rate = c.money("net_flow", "Net flow"), c.percent("return_rate", "Return (ROI)")
contributions, withdrawals = c.money("contributions", "Contributions"), c.money("withdrawals", "Withdrawals")
returns = c.money("investment_returns", "Investment returns")
average = c.money("average_balance", "Average balance")

left, right = page.row()
flows = trends.select("month", "contributions", "withdrawals", "net_flow")
page.chart(left, "Net flows by month: money in, money out", Chart(wealth_charts.flows,
    flows, month, contributions, withdrawals, c.money("net_flow", "Net flow"), currency=money),
    flows, [month, contributions, withdrawals, c.money("net_flow", "Net flow")],
    caption="Bars: contributions above zero, withdrawals below; line: the net flow.")

bench = data["benchmark"]
series, cumulative = c.text("series", "Series"), c.percent("cumulative_return", "Return since period start")
monthly_return = c.percent("monthly_return", "Return in the month")
grouped = bool(ctx.scope.regions or ctx.scope.segments or ctx.scope.wealth_tiers)
page.chart(right, "Portfolio return against the market indices", Chart(charts.line,
    bench, month, cumulative, color=series, currency=money, extra_tooltip=[monthly_return]),
    bench, [month, series, monthly_return, cumulative],
    caption="Cumulative return since the period start, monthly returns compounded, gross of fees. "
            + ("The portfolio is the book of the selected groups; the indices are market-wide."
               if grouped else "The portfolio is the whole investment book."))

left, right = page.row()
table = data["products"]
bubbles = table.filter(table["return_rate"].is_not_null() & table["volatility"].is_not_null())
volatility = c.percent("volatility", "Risk: volatility of monthly returns")
page.chart(left, "Risk versus return by product", Chart(wealth_charts.risk_return,
    bubbles, volatility, return_rate, aum, risk, product, currency=money,
    extra_tooltip=[category, fees, net_flow]),
    bubbles, [product, category, risk, volatility, return_rate, aum],
    caption="Bubble size: AUM at the period end. Volatility is the standard deviation of the product's "
            "monthly returns in the period.")
ranked = data["top_and_bottom"]
group = c.text("group", "Group")
page.chart(right, "Best and worst products by return", Chart(wealth_charts.ranked,
    ranked, product, return_rate, group, currency=money, extra_tooltip=[risk, aum]),
    ranked, [group, product, risk, return_rate, aum],
    caption="Return over the period on the average balance, not annualised.")

left, right = page.row()
by_type = data["roi_by_investment_type"]
page.chart(left, "Return by investment type", Chart(charts.bar,
    by_type, kind, return_rate, currency=money, extra_tooltip=[returns, average, aum]),
    by_type, [kind, return_rate, returns, average, aum])
by_risk = data["aum_by_risk"]
share = c.percent("share", "Share of AUM")
page.chart(right, "AUM by risk level at the period end", Chart(wealth_charts.by_risk,
    by_risk, risk, aum, currency=money, extra_tooltip=[share, c.count("accounts", "Accounts"),
                                                       c.count("products", "Products")]),
    by_risk, [risk, aum, share, c.count("accounts", "Accounts"), c.count("products", "Products")])

fee_months = data["fees_by_category"]
(wide,) = page.row((1,))
page.chart(wide, "Fee revenue by product category", Chart(charts.stacked,
    fee_months, month, fees, category, currency=money), fee_months, [month, category, fees])

page.table("Product matrix", table, [
    product, category, risk, aum, fees, net_flow, return_rate, c.count("accounts", "Accounts"),
], key="wealth_products", caption="One row per product; return over the period on the average balance.")
page.table("Products by region", data["product_regions"], [
    product, c.text("region", "Region"), category, kind, risk, aum, average, contributions, withdrawals,
    net_flow, fees, returns, return_rate, c.money("amount_invested", "Amount invested"),
], key="wealth_product_regions", caption="Amount invested: money put in and not taken out, at the period end.")
page.finish()
