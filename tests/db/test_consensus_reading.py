"""Consensus reads claims the way the conflict scan does (driver rows, each reading worded once): it must see
exactly what ``conflicts.comparables`` gives, on every engine."""

from __future__ import annotations

from click.testing import CliRunner

from ledger.cli import cli
from ledger.db import consensus
from ledger.db.access import Ledger
from tests.conftest import REPO

SEEN = ("claim_id", "source", "origin", "scale", "low", "high", "text", "days", "label", "money")


def seen(groups) -> list:
    """Every claim of every group as consensus uses it, with the types of its numbers."""
    return [
        (group.entity_id, group.attribute_id, key, [(*(getattr(c, f) for f in SEEN), type(c.low), type(c.high))
                                                    for c in claims])
        for group in groups for key, claims in group.items()
    ]


def test_consensus_reads_what_comparables_give(ledger_url):
    result = CliRunner().invoke(cli, ["--db", ledger_url, "import", str(REPO / "seeds" / "claims.yaml")])
    assert result.exit_code == 0, result.output
    ledger = Ledger(ledger_url)
    with ledger.read() as session:
        everything = seen(consensus._groups(session))
        assert seen(consensus._stated_groups(session)) == everything
        claims = [c for g in everything for c in g[3]]
        assert any(c[SEEN.index("money")] is not None for c in claims)  # converted amounts are covered
        assert any(c[SEEN.index("origin")] != c[SEEN.index("source")] for c in claims)  # and origins
        some = sorted({(g[0], g[1]) for g in everything})[::3]
        assert seen(consensus._stated_groups(session, some)) == seen(consensus._groups(session, some))
    ledger.close()
