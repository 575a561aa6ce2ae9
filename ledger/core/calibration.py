"""Stated confidence: the probability consensus gives a value, meant to be right that often.

Two corrections make the methods' raw numbers into probabilities:

**The value no one stated.** Accu's posterior (Dong, Berti-Equille and
Srivastava, 2009) is ``exp(C(v)) / Σ exp(C(v'))`` over the *whole* domain of
``n + 1`` values (``n = false_values``), the values no source states scoring
``C = 0``. Summing over the stated values only, as the vote does to choose,
gives an item stated by one source confidence 1; against the ``n`` unstated
values, one source of accuracy ``A`` gives ``A`` — what its record says. So a
value's confidence is its share among the stated values times
``exp(C(v)) / (exp(C(v)) + n)``, the chance its own backers leave to a value
no one stated. Support does the same with counts: the winner's origins (with
the partial support it gets) over all origins plus ``unstated_origins``, so one
origin alone is a coin toss, not a certainty.

**Errors that are not independent.** The posterior multiplies the votes as
if sources erred independently; stores sharing an abbreviation, sites sharing
a feed copy detection does not see, err together, and the posterior is
overconfident. Scores are divided by a ``temperature`` (> 1 flattens) where
values are weighed against each other, as in temperature scaling (Guo et al., 2017). Both constants were set on the tuning
halves of the truth data sets (``bench/score_truth.py``) so that answers stated
at 0.9 or more are right at least 90% of the time on each; the held-out halves
report how well that holds (bench/RESULTS.md).

Both maps are monotone: more support for a value never lowers its confidence,
more support for a rival never raises it.
"""

from __future__ import annotations

import math


def weighted(totals: list[float], false_values: float, temperature: float) -> list[float]:
    """Per candidate: its share among the stated values, scores divided by ``temperature``, times the
    probability its own score leaves to the ``false_values`` values no one stated (see the module docstring).

    ``totals``: each stated candidate's score (vote count, with the support it is lent).
    """
    scaled = [t / temperature for t in totals]
    top = max(scaled)
    exps = [math.exp(s - top) for s in scaled]
    whole = sum(exps)
    return [e / whole * _stated_at_all(t, false_values) for e, t in zip(exps, totals)]


def _stated_at_all(score: float, false_values: float) -> float:
    """Accu's posterior of a value of this score against the ``false_values`` values no one stated (score 0)."""
    return 1.0 / (1.0 + false_values * math.exp(-score)) if score < 700 else 1.0


def counted(backed: list[float], origins: list[float], unstated_origins: float) -> list[float]:
    """Per candidate, the origins backing it (fully or partly) over all origins and ``unstated_origins``."""
    whole = sum(origins) + unstated_origins
    return [min(1.0, b / whole) if whole > 0 else 0.0 for b in backed]
