"""The plain-group sweep (values swept once, their claims paired by source) against ``find_pairs``."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ledger.core.conflicts import Comparable, PlainValue, find_pairs, plain_pairs

bound = st.one_of(st.none(), st.integers(min_value=-3, max_value=6).map(float))
value = st.tuples(bound, bound, st.booleans(), st.booleans(), st.sampled_from([None, (0, 10), (5, 30), (20, 40)]))
claims = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=1, max_size=14)  # (value, source)


def comparable(claim_id: int, stated: PlainValue, source: str, scale: str, tolerance: str | None) -> Comparable:
    return Comparable(
        claim_id=claim_id, identity=f"ref:r{claim_id}", group=(1, 1), source=source, origin=source, scale=scale,
        low=stated.low, high=stated.high, low_open=stated.low_open, high_open=stated.high_open, days=stated.days,
        label=stated.label, tolerance=tolerance,
    )


@given(st.lists(value, min_size=1, max_size=5), claims, st.sampled_from(["count", "date", "minutes", "money per year"]),
       st.sampled_from([None, "5%"]), st.booleans())
def test_plain_pairs_are_the_pairs_find_pairs_gives(values, stated, scale, tolerance, split):
    """Same ids, orientation, reasons and severities (repeated values, open ends, unbounded, malformed, time)."""
    if scale == "minutes":  # clock times are read with both ends
        values = [(low or 0.0, 0.0 if high is None else high, *rest) for low, high, *rest in values]
    plain = [PlainValue(*spec, label=f"v{index}") for index, spec in enumerate(values)]
    group = [comparable(i, plain[v % len(plain)], f"s{s}", scale, tolerance) for i, (v, s) in enumerate(stated, 1)]
    listed: dict[PlainValue, list] = {}
    for claim in group:
        listed.setdefault(plain[int(claim.label[1:])], []).append((claim.claim_id, claim.identity, claim.source))
    entries = list(listed.items())
    if split:  # a value may be listed more than once
        entries = [(v, members[i::2]) for v, members in entries for i in range(2) if members[i::2]]
    found = sorted(plain_pairs(entries, scale, tolerance))
    expected = sorted((p.id, p.a.claim_id, p.b.claim_id, p.reason, p.severity) for p in find_pairs(group))
    assert found == expected
