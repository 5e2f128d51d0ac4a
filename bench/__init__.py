"""`make bench`: Kehu measured against raw SQL on the same database and data (issue #9).

    python -m bench                 # 100,000 customers, 1,000,000 opportunities
    python -m bench --size small    # 5,000 customers, 50,000 opportunities
    python -m bench --size tiny     # a few hundred rows (the smoke test)

Modules: `generate` writes the seeded CSV files, `database` builds a database
(kernel, organisation through core APIs, bulk-loaded fixture rows), `figures`
holds one function per figure, `runner` runs them on SQLite and PostgreSQL and
`report` prints the table and writes bench/results/latest.json and .md.
"""
