"""The data-access layer of the pages: one module per page, each with a `load(db, scope, ...)` returning its data.

Queries read the views of sql/ and nothing else; every filter value is a bound parameter (see warehouse.scope).
The app passes a caching reader; tests and the benchmark pass a Gateway. Both have `.frame(sql, params)`.
"""

# Query module -> the title of the page that shows it, in navigation order.
PAGES = {
    "overview": "Overview",
    "wealth": "Wealth & products",
    "customers": "Customers & churn",
    "rfm": "RFM & campaigns",
    "service": "Service quality",
    "digital": "Digital engagement",
    "risk": "Lending, risk & fraud",
    "receivables": "Receivables",
    "collections": "Collections",
    "worklist": "Worklist",
    "operations": "Operations",
    "catalog": "Data & measures",
}
