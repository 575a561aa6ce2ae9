"""Paragraphs of an article, a quote's place in it (as the import's quote check compares), and search terms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.core.passages import Term, paragraphs, quote_span, search_terms
from ledger.core.quotes import normalise_text, quote_occurs


def test_paragraphs_are_split_at_blank_lines_with_their_spans():
    text = "Title line\n\n  First paragraph\nstill first.\n \t\nSecond.\n\n\n"
    found = paragraphs(text)
    assert [(p.position, p.body) for p in found] == [
        (1, "Title line"), (2, "First paragraph\nstill first."), (3, "Second."),
    ]
    assert all(text[p.start:p.end] == p.body for p in found)


@pytest.mark.parametrize("quote,text,span_text", [
    ("3,000 Kalashnikov weapons", "to buy 3,000 Kalashnikov weapons for", "3,000 Kalashnikov weapons"),
    ('a "balancing" alternative', "presenting a “balancing” alternative to", "a “balancing” alternative"),
    ("signed a military deal with", "just signed a [military deal](#) with the", "signed a [military deal](#) with"),
    ("the rare opportunity", "such as the rare\n\nopportunity for", "the rare\n\nopportunity"),
    ("worth $10.8 million", "could be worth \\$10.8 million a month", "worth \\$10.8 million"),
])
def test_quote_span_finds_the_quote_as_the_import_compares_it(quote, text, span_text):
    start, end = quote_span(quote, text)
    assert text[start:end] == span_text


def test_quote_span_is_none_when_the_quote_is_not_there():
    assert quote_span("5,000 rifles", "to buy 3,000 Kalashnikov weapons") is None
    assert quote_span("   ", "anything") is None


@given(st.text(alphabet=st.sampled_from("ab [](#)\\$“”—\n\u00a0"), max_size=40), st.data())
def test_a_span_is_found_exactly_when_the_import_finds_the_quote(text, data):
    normalised = normalise_text(text)
    start = data.draw(st.integers(0, len(normalised)))
    quote = normalised[start:data.draw(st.integers(start, len(normalised)))]
    span = quote_span(quote, text)
    assert (span is not None) == (bool(normalise_text(quote)) and quote_occurs(quote, normalised))
    if span is not None:
        assert normalise_text(quote) in normalise_text(text[span[0]:span[1]])


@pytest.mark.parametrize("query,terms", [
    ("Kalashnikov", [Term(("Kalashnikov",))]),
    ('"Wagner group" mercenar*', [Term(("Wagner", "group")), Term(("mercenar",), prefix=True)]),
    ("3,000 rifles", [Term(("3", "000")), Term(("rifles",))]),
    ('Goïta " ** -', [Term(("Goïta",))]),
    ("", []),
])
def test_search_terms(query, terms):
    assert search_terms(query) == terms
