"""Streaming conflicts in shown-severity order: the order the old ``ORDER BY round(severity, 6) DESC, …`` gave."""

from __future__ import annotations

from operator import itemgetter

from hypothesis import given
from hypothesis import strategies as st

from ledger.core.listing_order import ReadAhead, by_shown_severity, growing_batches

# Severities on both sides of rounding boundaries (0.1234565 rounds up, 0.12345649… down), exact
# halves, repeats, and any value in [0, 1].
NEAR_TIES = [0.1234565, 0.12345650000000001, 0.1234564, 0.1234561, 0.12345649999999999, 0.1234555, 0.5,
             0.4999995, 0.49999949999999997, 0.0, 5e-07, 4.9e-07, 1.0, 0.9999995]
severities = st.one_of(st.sampled_from(NEAR_TIES), st.floats(0, 1))
rows = st.lists(st.tuples(severities, st.sampled_from(["Ä", "B", "a", "b"]), st.sampled_from(["x", "y"]),
                          st.text("c-0123", min_size=3, max_size=3)),
                unique_by=itemgetter(3))


def listed(rows, hold, table_severities):
    """``rows`` as the database streams them (raw severity down, then names, id), re-ordered."""
    def lower_than(raw):
        return max((value for value in table_severities if value < raw), default=None)

    streamed = sorted(rows, key=lambda row: (-row[0], row[1:]))
    return list(by_shown_severity(iter(streamed), severity=itemgetter(0), key=itemgetter(1, 2, 3),
                                  lower_than=lower_than, hold=hold))


@given(rows, st.integers(1, 5), st.lists(severities, max_size=4))
def test_order_is_the_old_order_by(rows, hold, others):
    """Same rows, sorted by rounded severity (highest first) then subject, attribute, id in code points;
    the table may hold other pairs (other natures, filtered out) whose severities are asked about too."""
    expected = sorted(rows, key=lambda row: (-round(row[0], 6), row[1:]))
    assert listed(rows, hold, {row[0] for row in rows} | set(others)) == expected


def test_a_long_run_of_one_severity_streams_after_hold_rows():
    """A run no other raw value rounds into is given after ``hold`` rows, not held to its end."""
    taken = []

    def source():
        for i in range(10_000):
            taken.append(i)
            yield (0.5, "subject", "attribute", f"c-{i:05d}")

    asked = []
    stream = by_shown_severity(source(), severity=itemgetter(0), key=itemgetter(1, 2, 3),
                               lower_than=lambda raw: asked.append(raw) or 0.25, hold=100)
    assert next(stream)[3] == "c-00000"
    assert len(taken) == 100
    assert sum(1 for _ in stream) == 9_999 and asked == [0.5]  # asked once for the run


def test_a_run_mixing_raw_values_is_sorted_by_key():
    rows = [(0.1234564, "b", "x", "c-1"), (0.1234561, "a", "x", "c-2"), (0.1, "a", "x", "c-3")]
    ordered = by_shown_severity(iter(rows), severity=itemgetter(0), key=itemgetter(1, 2, 3),
                                lower_than={0.1234564: 0.1234561, 0.1234561: 0.1, 0.1: None}.get, hold=1)
    assert [row[3] for row in ordered] == ["c-2", "c-1", "c-3"]


@given(st.lists(st.integers()), st.integers(1, 8), st.integers(1, 40))
def test_growing_batches_keep_every_item_in_order_in_doubling_lists(items, first, largest):
    batches = list(growing_batches(iter(items), first, largest))
    assert [item for batch in batches for item in batch] == items
    expected = first
    for batch in batches[:-1]:
        assert len(batch) == expected
        expected = min(2 * expected, largest)
    assert all(batches)


@given(st.lists(st.lists(st.integers(0, 6), max_size=5), max_size=12), st.integers(1, 12))
def test_read_ahead_gives_the_chunks_and_when_each_group_comes_back(chunks, rows):
    reader = ReadAhead(chunks, group=lambda row: row, rows=rows)
    given_chunks = []
    for number, chunk in enumerate(reader):
        given_chunks.append(chunk)
        for group in range(7):
            later = [after for after in range(number + 1, len(chunks)) if group in chunks[after]]
            comes_back = reader.next_use(group)
            if later and later[0] == number + 1:  # the next chunk is always read ahead
                assert comes_back == later[0]
            else:  # read ahead when the rows before it were fewer than ``rows``, or not yet: never within them
                assert comes_back in (later[0] if later else None, ReadAhead.NEVER)
    assert given_chunks == chunks


def test_read_ahead_gives_the_first_chunk_having_read_two_and_at_most_two_more_a_chunk():
    pulled = []

    def chunks():
        for number in range(10):
            pulled.append(number)
            yield [number] * 3

    reader = iter(ReadAhead(chunks(), group=lambda row: row, rows=100))
    assert next(reader) == [0, 0, 0] and pulled == [0, 1]
    assert next(reader) == [1, 1, 1] and pulled == [0, 1, 2, 3]
