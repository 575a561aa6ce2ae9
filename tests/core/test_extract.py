"""Drafting claims from article text: which spans are values, which are skipped, and the guesses."""

from __future__ import annotations

import pytest

from ledger.core.extract import Known, KnownAttribute, KnownEntity, draft_claims, guess_published
from ledger.core.extract.attribution import guess_attribution
from ledger.core.extract.guesses import Guesser
from ledger.core.extract.sentences import is_furniture, sentences
from ledger.core.extract.spans import find_spans
from ledger.core.readings import ParseContext, PartialDate

CONTEXT = ParseContext(PartialDate(2021, 9), "en")

SPANS = [
    # (sentence, the values found in order)
    ("Mali bought 3,000 Kalashnikov weapons for more than € 1 million.", ["3,000", "more than € 1 million"]),
    ("Reuters reported that a possible contract could be worth $10.8 million a month.", ["$10.8 million a month"]),
    ("Mali will pay 6 billion CFA francs (about 10 million dollars) to the company.",
     ["6 billion CFA francs (about 10 million dollars)"]),
    ("Nearly 7,000 people were killed in 2020, according to ACLED.", ["Nearly 7,000", "2020"]),
    ("Paris has deployed several thousand troops as part of its intervention from 2013 onward.",
     ["several thousand", "2013"]),
    ("They are now attacking the capital from a distance of less than 100 km.", ["less than 100 km"]),
    ("Lavrov said France would close three of the five military bases.", ["three of the five"]),
    ("Russia supplied it with 39% of arms deals between 2013-2017.", ["39%", "between 2013-2017"]),
    ("The number of victims has increased fivefold since 2016.", ["fivefold", "2016"]),
    ("It is the eighth-largest country in Africa.", ["eighth-largest"]),
    ("The summit was held on October 23, 2019, with dozens of heads of state.", ["October 23, 2019", "dozens"]),
    ("The team, which was established last year, trains African forces.", ["last year"]),
    ("The militants were stationed 600 km away six years ago.", ["600 km", "six years ago"]),
    ("Russia sent a few helicopters and at least 1,200 instructors.", ["a few", "at least 1,200"]),
    ("Le Mali a acheté 3 000 fusils pour 10,8 millions d'euros.", None),  # French: see test below
]


@pytest.mark.parametrize("sentence, expected", [s for s in SPANS if s[1] is not None])
def test_values_found_in_a_sentence(sentence, expected):
    spans, _ = find_spans(sentence, CONTEXT)
    assert [span.text for span in spans if not span.when_only] == expected


SKIPS = [
    # (sentence, skipped text, reason fragment)
    ("Aid fell after the 2020 coup d'état.", "2020", "names a thing"),
    ("Mali's 2012 crisis changed everything.", "2012", "names a thing"),
    ("It ranks last in the Development Index (2020 report).", "2020", "names a thing"),
    ("The COVID-19 pandemic slowed trade.", "COVID-19", "part of a name"),
    ("The 2+2 meeting will be held in Paris.", "2", "joined by '+'"),
    ("Terrorism spread quickly.12 Officials were worried.", "12", "footnote"),
    ("He told FRANCE 24.", "24", "after a proper name"),
    ("The talks began at 10:30 in Paris.", "10", "time of day"),
    ("The two countries signed an agreement.", "two", "determiner"),
    ("A 10-year-old boy was hurt.", "10-year-old", "compound"),
    ("Three weeks after the coup, the junta spoke.", "Three", "time offset"),
    ("Two days later, officials met.", "Two", "time offset"),
]


@pytest.mark.parametrize("sentence, text, reason", SKIPS)
def test_what_is_no_claim_is_skipped_with_a_reason(sentence, text, reason):
    spans, skips = find_spans(sentence, CONTEXT)
    assert any(skip.text == text and reason in skip.reason for skip in skips), skips
    assert all(text not in span.text for span in spans)


def test_a_year_naming_a_thing_is_not_a_count_either():
    spans, _ = find_spans("Aid fell after the 2020 coup d'état.", CONTEXT)
    assert spans == []


def test_french_figures_are_read_with_french_separators():
    spans, _ = find_spans("Le Mali a acheté 3 000 fusils pour 10,8 millions d'euros en 2012.", ParseContext(None, "fr"))
    figures = {span.text: span.reading for span in spans if span.kind == "figure"}
    assert figures["3 000"].interval.low == 3000
    assert figures["10,8 millions d'euros"].currency == "EUR"
    assert [s.text for s in spans if s.kind == "date"] == ["2012"]


def test_french_qualifier_is_read_with_the_figure():
    spans, _ = find_spans("L'armée a déployé plus de 5 100 soldats.", ParseContext(None, "fr"))
    assert spans[0].text == "plus de 5 100"
    assert spans[0].reading.interval.low == 5100 and spans[0].reading.interval.low_open


@pytest.mark.parametrize("line, furniture", [
    ("Global Research, July 02, 2019", True),
    ("Updated: Feb 14, 2023", True),
    ("51 views0 comments", True),
    ("- Al Jazeera English (@AJEnglish) March 28, 2020", True),
    ("This website uses cookies to improve your experience. Accept Read More", True),
    ("Mali has been fighting an insurgency in the country since 2012.", False),
])
def test_page_furniture(line, furniture):
    assert is_furniture(line) is furniture


def test_sentences_keep_abbreviations_and_clauses_stay_long_enough():
    found = sentences("Gen. Goita met Mr. Putin in Sept. 2021. The deal, which was signed in Moscow, "
                      "covers 1,000 men; it runs for two years.")
    assert [s.text for s in found] == ["Gen. Goita met Mr. Putin in Sept. 2021.",
                                       "The deal, which was signed in Moscow, covers 1,000 men; it runs for two years."]
    assert found[1].clause_at(found[1].start + 40, found[1].start + 45).text == "The deal, which was signed in Moscow, covers 1,000 men"
    assert found[1].clause_at(found[1].start + 60, found[1].start + 65).text == "it runs for two years."


ATTRIBUTIONS = [
    ("to buy 3,000 weapons for more than € 1 million, according to BBC Africa.", "BBC Africa"),
    ("Nearly 7,000 people were killed, according to the Armed Conflict Location and Event Data Project (ACLED).",
     "ACLED"),
    ("Reuters reported that a possible contract could be worth $10.8 million a month.", "Reuters"),
    ("\"We will close three bases,\" said Foreign Minister Sergey Lavrov.", "Foreign Minister Sergey Lavrov"),
    ("Diplomatic sources said 1,000 men had arrived.", "Diplomatic sources"),
    ("Selon l'ONU, 3 000 personnes ont fui.", "l'ONU"),
    ("He said 300 men had arrived.", None),
    ("France has 5,100 soldiers in the Sahel.", None),
]


@pytest.mark.parametrize("sentence, who", ATTRIBUTIONS)
def test_attribution_guesses(sentence, who):
    assert guess_attribution(sentence).value == who


KNOWN = Known(
    entities=(
        KnownEntity("Wagner Group contract with Mali", (), frozenset({"price", "troops_deployed"})),
        KnownEntity("Mali–Rosoboronexport Kalashnikov deal", (), frozenset({"price", "rifles_purchased"})),
        KnownEntity("Mali", ("Republic of Mali",), frozenset({"population"})),
        KnownEntity("2020 Mali coup", (), frozenset({"coup_date"})),
        KnownEntity("2021 Mali coup", (), frozenset({"coup_date"})),
    ),
    attributes=(
        KnownAttribute("price", "money", "Price of a purchase or contract"),
        KnownAttribute("troops_deployed", "quantity", "Number of soldiers or mercenaries deployed"),
        KnownAttribute("rifles_purchased", "quantity", "Number of rifles bought under a deal"),
        KnownAttribute("population", "quantity", "Number of inhabitants"),
        KnownAttribute("deaths", "quantity", "People killed in a conflict"),
        KnownAttribute("coup_date", "date", "Date of a military coup"),
        KnownAttribute("signing_date", "date", "Date an agreement was signed"),
    ),
)


@pytest.mark.parametrize("sentence, subject, attribute", [
    ("Mali bought 3,000 Kalashnikov assault rifles in 2012.", "Mali–Rosoboronexport Kalashnikov deal",
     "rifles_purchased"),
    ("The Wagner contract stipulates the deployment of 1,000 Russian mercenaries.",
     "Wagner Group contract with Mali", "troops_deployed"),
    ("The Republic of Mali, home to nearly 20 million people, is large.", "Mali", "population"),
    ("Since the coup in Mali in August 2020, ties have grown.", "2020 Mali coup", "coup_date"),
    ("Nearly 7,000 people were killed in the Sahel.", None, "deaths"),
])
def test_subject_and_attribute_guesses(sentence, subject, attribute):
    draft = draft_claims(sentence, KNOWN, PartialDate(2021, 9))[0]
    assert (draft.subject.value, draft.attribute.value) == (subject, attribute)
    assert draft.subject.reason and draft.attribute.reason


def test_no_known_names_leaves_subject_and_attribute_to_the_analyst():
    draft = draft_claims("Mali bought 3,000 Kalashnikov assault rifles in 2012.")[0]
    assert draft.subject.value is None and draft.attribute.value is None


def test_a_draft_takes_its_time_from_its_clause():
    drafts = draft_claims("Nearly 7,000 people were killed in 2020, while 4,000 died in 2019.", KNOWN)
    by_value = {d.value: d for d in drafts}
    assert by_value["Nearly 7,000"].when == "2020"
    assert by_value["4,000"].when == "2019"
    assert by_value["2020"].when is None


def test_vague_times_place_claims_but_are_no_claims():
    drafts = draft_claims("On Tuesday, officials said 300 men had arrived.", KNOWN, PartialDate(2021, 9, 17))
    assert [(d.value, d.when) for d in drafts] == [("300", "Tuesday")]


def test_guesser_without_attributes_of_a_kind_says_so():
    guess = Guesser(Known()).attribute("money", None, "worth", "worth", None, None)
    assert guess.value is None and "no known money attribute" in guess.reason


@pytest.mark.parametrize("article, published", [
    ("Title of the piece here\n\nBy [A. Writer](#)\n\nGlobal Research, July 02, 2019\n\nText of it.", "2019-07-02"),
    ("A blog post title\n\nUpdated: Feb 14, 2023\n\nText.", None),  # an edit date, not the publication
    ("In 2012, on October 23, 2019, things happened in the article's first sentence.", None),
])
def test_publication_date_guessed_from_a_date_line(article, published):
    guessed = guess_published(article)
    assert (str(guessed[0]) if guessed else None) == published


def test_a_rolling_window_is_a_time_not_a_count():
    spans, _ = find_spans("Its influence grew over the past two years.", CONTEXT)
    assert [(s.text, s.when_only) for s in spans] == [("past two years", True)]


def test_french_dates_and_date_line():
    spans, _ = find_spans("Plus de 2 400 militaires étaient déployés en février 2022.", ParseContext(None, "fr"))
    assert [(s.text, s.when_text) for s in spans] == [("Plus de 2 400", None), ("février 2022", "février 2022")]
    guessed = guess_published("Mali : la France achève son retrait\n\nPublié le 15 août 2022 à 18h30\n\nTexte.", "fr")
    assert str(guessed[0]) == "2022-08-15"


def test_more_attributions_and_a_share():
    assert guess_attribution("The attack damaged more than 40 buildings, the city council reported.").value == \
        "city council"
    assert guess_attribution("Ukraine's air force said it shot down 31 of 39 drones.").value == "Ukraine's air force"
    spans, _ = find_spans("The economy shrank by a third in 2022.", CONTEXT)
    assert [s.text for s in spans] == ["a third", "2022"]
