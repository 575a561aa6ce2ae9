"""Claim Ledger: dated claims from source articles, and the conflicts between them."""

__version__ = "0.1.0"
