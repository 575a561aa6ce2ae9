"""The report document: quotes in their sentences, groups and the severity index, conversion notes."""

from __future__ import annotations

from datetime import date

from ledger.core.comparability import Frame
from ledger.report.document import build, frame_note, period_notes, span, time_words
from ledger.report.sentences import Article


def test_quote_is_found_in_its_sentence_whatever_the_typography():
    article = Article("Title\n\nFirst sentence. The deal was worth “more than € 1 million”, said [BBC](#). Next one.")
    found = article.sentence_of('worth "more than € 1 million"')
    assert (found.before, found.quote, found.after) == ("The deal was ", 'worth "more than € 1 million"', ", said BBC.")
    assert article.sentence_of("not in the article") is None and Article(None).sentence_of("x") is None


def test_long_sentences_are_cut_around_the_quote():
    article = Article("word " * 200 + "the quote " + "more " * 200)
    found = article.sentence_of("the quote")
    assert found.before.startswith("…") and found.after.endswith("…") and len(found.before) < 300


def test_conversion_and_time_words():
    reading = dict(period="month", time_low=date(2021, 11, 17), time_high=date(2021, 11, 17))
    assert period_notes(reading) == ["per month, scaled to a year"] and period_notes({"period": "year"}) == []
    frame = Frame("EUR", {"EUR": (1.0, 1.0), "USD": (0.8, 0.9), "XOF": (0.0015, 0.0015)}, date(2021, 1, 4), date(2021, 3, 1))
    assert frame_note(frame) == "USD, XOF shown in EUR from the lowest to the highest rate of 2021-01-04 to 2021-03-01"
    assert time_words({"when": None, "time_basis": "published"}, reading) == "as of publication (2021-11-17)"
    assert span({"low": 1000000, "high": None, "currency": "EUR", "unit": None, "period": None}) == \
        "1,000,000 to (no upper end) EUR"


class Data:
    """A ``ReportData`` with two groups and nothing left out."""

    def __init__(self, conflicts):
        self.conflicts, self.incomparable, self.stale = conflicts, [], []
        self.groups_total, self.incomparable_groups_total, self.limit = 2, 0, 200
        self.subject, self.status, self.head = None, "active", (3, "ab" * 32)
        self.engine, self.readings, self.sources = {}, {}, {}


def _pair(pair_id, subject, severity, a, b):
    claim = dict(source="s", outlet=None, published=None, value="v", when=None, low=None, high=None, unit=None,
                 currency=None, period=None, time_basis="none", quote=None, attributed_to=None, support=[], origins=1)
    return dict(id=pair_id, subject=subject, attribute="price", severity=severity, reason="r", status="open", note=None,
                claims=[dict(claim, id=a), dict(claim, id=b)])


def test_groups_by_subject_and_attribute_and_index_by_severity():
    document = build(Data([_pair("c-1", "X", 0.7, 1, 2), _pair("c-2", "Y", 0.0, 3, 4), _pair("c-3", "X", 0.2, 1, 5)]))
    assert [(g.subject, [p["id"] for p in g.pairs], [c.row["id"] for c in g.claims]) for g in document.groups] == [
        ("X", ["c-1", "c-3"], [1, 2, 5]), ("Y", ["c-2"], [3, 4])]
    assert [(band.split(" (")[0], [g.subject for g in groups]) for band, groups in document.index] == [
        ("far apart", ["X"]), ("ranges only touch", ["Y"])]
    assert document.left_out == [] and document.head_seq == 3
    assert all(claim in g.unplotted for g in document.groups for claim in g.claims)  # no engine view: no line
