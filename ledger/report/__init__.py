"""The report layer: library results turned into rows and text for people and scripts.

Each module takes what a ``ledger.db`` query returns (plain dicts and
dataclasses) and renders it for one output format: ``table`` text, JSON, or
CSV rows. The CLI prints what these return; the HTML report reuses the same
rows. Nothing here opens a database or knows a command-line option.
"""
