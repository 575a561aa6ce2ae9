"""Number-line geometry: positions follow values, log scale exactly when values span orders of magnitude."""

from __future__ import annotations

import math
import re

from hypothesis import assume, given
from hypothesis import strategies as st

from ledger.report.numberline import LOG_RATIO, PLOT_LEFT, PLOT_RIGHT, Interval, fit_axis, layout

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(st.lists(finite, min_size=1, max_size=8), finite, finite)
def test_positions_are_monotone_in_value(ends, a, b):
    axis = fit_axis(ends)
    assume(not axis.log or (a > 0 and b > 0))
    if a < b:
        assert axis.position(a) <= axis.position(b)
    for value in ends:
        assert 0 <= axis.position(value) <= 1  # every end fits on the axis


@given(st.lists(positive, min_size=1, max_size=8))
def test_log_scale_exactly_when_positive_values_span_orders_of_magnitude(ends):
    assert fit_axis(ends).log == (max(ends) / min(ends) >= LOG_RATIO)


@given(st.lists(finite, min_size=2, max_size=8))
def test_no_log_scale_with_zero_or_negative_values(ends):
    assume(min(ends) <= 0)
    assert not fit_axis(ends).log


@given(st.lists(st.tuples(st.one_of(st.none(), positive), st.one_of(st.none(), positive)), min_size=1, max_size=6))
def test_rows_keep_their_order_on_the_plot(pairs):
    intervals = [Interval(i, f"s{i}", *(sorted((low, high)) if None not in (low, high) else (low, high)))
                 for i, (low, high) in enumerate(pairs)]
    line = layout(intervals, "count")
    for row, interval in zip(sorted(line.rows, key=lambda r: r.claim_id), intervals):
        assert PLOT_LEFT <= row.x1 <= row.x2 <= PLOT_RIGHT
        assert (row.left == "arrow") == (interval.low is None)
        assert (row.right == "arrow") == (interval.high is None)


def test_touching_ends_get_a_guide_and_open_ends_are_hollow():
    """'nearly one million euros' [900,000, 1,000,000) and 'more than € 1 million' (1,000,000, ∞)."""
    line = layout([Interval(6, "A", 9e5, 1e6, high_open=True), Interval(5, "B", 1e6, None, low_open=True)], "one-off EUR")
    a, b = line.rows
    assert (a.left, a.right, b.left, b.right) == ("closed", "open", "open", "arrow")
    assert a.x2 == b.x1 and line.touches == [a.x2]
    assert not line.log and line.caption == "one-off EUR, linear scale"
    assert "(=====>|" in line.text() and "[====" in line.text()


def test_a_single_value_and_unbounded_intervals_still_have_an_axis():
    line = layout([Interval(1, "only", 5.0, 5.0)], "count")
    assert line.rows[0].point and PLOT_LEFT < line.rows[0].x1 < PLOT_RIGHT and line.ticks
    line = layout([Interval(1, "any", None, None)], "count")
    assert (line.rows[0].x1, line.rows[0].x2) == (PLOT_LEFT, PLOT_RIGHT)


def test_tick_labels_tell_neighbours_apart_and_dates_read_as_dates():
    line = layout([Interval(1, "a", 113_997_879, 115_058_325)], "EUR per year")
    labels = [tick.label for tick in line.ticks]
    assert len(set(labels)) == len(labels) >= 2
    day = 737_000
    line = layout([Interval(1, "a", day, day + 1), Interval(2, "b", day + 6, day + 7)], "date")
    assert all(re.fullmatch(r"\d{4}-\d{2}(-\d{2})?|\d{4}", tick.label) for tick in line.ticks)
    assert line.caption == "date" and not line.log
    assert math.isclose(line.rows[1].x1 - line.rows[0].x1, 6 * (line.rows[0].x2 - line.rows[0].x1), rel_tol=1e-3)
