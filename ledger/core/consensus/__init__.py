"""Consensus: for each item, the value the ledger would bet on, how sure it is, and why.

Pure: items (every claim made about one subject, attribute and time) in,
decisions and source reports out; no database. Two methods:

``support``
    The value stated by the most **independent origins** (a source counts once
    per item, however often it repeats itself). Ties go to the value with
    more compatible support (claims within tolerance), then to more claims.
    **Partial support** (TruthFinder's implication, ``ledger.core.implication``):
    a value saying part of a fuller one lends it that share of its origins
    ("Han" half an origin to "Han, Jiawei; Kamber, Micheline", "44" two thirds
    of one to "C44"), and nothing back. Confidence: the origins backing the
    winner, fully or partly, over all origins plus ``unstated_origins``.

``reliability``
    Sources are weighted by how often they are right, estimated from the data
    itself, in the manner of Accu (Dong, Berti-Equille and Srivastava, 2009)
    and TruthFinder (Yin, Han and Yu, 2007):

    1. Start from the ``support`` decisions.
    2. **Copying.** Two sources are linked as copies (or as printers of one
       upstream feed) when, over the contested items both state, they state
       the identical phrase — format and all — at least ``phrase_threshold``
       (98%) of the time on at least ``copy_min_items`` (50) items, or when
       they share their *mistakes*: independent sources rarely state the same
       wrong value, so ``identical wrong values / items where at least one is
       wrong`` ≥ ``copy_threshold`` (0.95) on at least ``copy_min_errors``
       (50) shared errors. Groups are formed by complete linkage (every two
       members linked). A group is **one origin**: per item it casts one vote
       per value, judged on its members' claims pooled.
    3. **Reliability.** Each claim earns the probability of its value given
       the *other* origins' votes (its own origin left out, so a prolific
       source cannot vouch for itself); items with a single origin carry no
       evidence. A source's reliability for an attribute starts from its
       record on its *other* attributes (with too little evidence there, all
       of them), smoothed as ``(Σ credit + k·parent) / (n + k)`` with
       ``k = smoothing`` (5) towards its family (``families``, if given) and
       then ``prior`` (0.8); a first phase uses that alone, a second adds the
       attribute's own record.
    4. **Votes.** An origin stating v adds ``ln(n·A / (1 − A))`` to v's score
       (Accu's vote count, ``n = false_values`` = 10, A clipped to
       [0.01, 0.99], never below 0); a compatible value adds ``similarity``
       (0.3) of its score (AccuSim), a value implying a fuller one its share
       (partial support) times the lender's habit of abbreviating
       (``abbreviating``, codes only: how often its shorter values lost to a
       fuller one rather than stood, smoothed towards 1). The highest score wins; the stated confidence is
       calibrated (``ledger.core.calibration``: Accu's domain of ``n + 1``
       values, scores divided by ``temperature``).
    5. Repeat 3–4 until (almost) no decision changes, at most ``iterations``
       times per phase; then redo 2 with the better decisions, and 3–4 again
       (``rounds`` = 2).

    **Offsets.** On number scales (times especially), each source's typical
    difference from the decisions is measured per attribute: the median of
    ``stated − decided`` over at least ``offset_min_items`` (20) claims. It
    is *systematic* when it exceeds the compatibility half-width and at
    least half the differences lie within the tolerance of it (e.g. a site
    giving runway take-off instead of gate departure, 10–20 minutes late).
    Offsets are reported; in the second phase, a claim of a source with a
    systematic offset, shifted back by it, lends compatible support (step 4)
    to the values it then meets. The exact vote stays on the value as stated.

Everything a decision rests on is kept for explaining it: per candidate
value, its claims, sources, origins (copy groups), score and probability.

One package, a module per job: ``model`` (what goes in and out), ``prepared``
(items packed once), ``voting`` (a round of votes), ``weights`` (reliability),
``abbreviating`` (how far each origin's shorter values vouch for fuller ones),
``copying``, ``offsets``, ``results``, and ``methods`` (the fixed point that
runs them); ``ledger.core.implication`` (partial support) and
``ledger.core.calibration`` (stated confidence) are their own modules.
"""

from ledger.core.consensus.methods import Voter, decide, decide_with
from ledger.core.consensus.model import (
    Candidate,
    Decision,
    Dependence,
    Estimates,
    Item,
    Options,
    Result,
    SourceReport,
    Statement,
)

__all__ = ["Candidate", "Decision", "Dependence", "Estimates", "Item", "Options", "Result", "SourceReport", "Statement",
           "Voter", "decide", "decide_with"]
