"""The subject and attribute guesses of `ledger extract`, on a small made-up ledger (no seed text)."""

from __future__ import annotations

import pytest

from ledger.core.extract import Known, KnownAttribute, KnownClaim, KnownEntity, draft_claims
from ledger.core.extract.guesses import Guesser, counted_words, measure_of
from ledger.core.extract.words import roots, words_of
from ledger.core.readings import PartialDate

LEDGER = Known(
    entities=(
        KnownEntity("Freedonia", ("Republic of Freedonia",), frozenset({"population"})),
        KnownEntity("Sylvanian peacekeeping deployment in Freedonia", (), frozenset({"troops_deployed", "start_date"})),
        KnownEntity("Freedonia–Sylvania trade summit (2019)", (), frozenset({"date_held"})),
        KnownEntity("Freedonia–Sylvania trade summit (2021)", (), frozenset({"date_held"})),
        KnownEntity("Freedonia–Sylvania relations", (), frozenset({"start_date"})),
        KnownEntity("Rufus Firefly", (), frozenset({"salary"})),
        KnownEntity("Grand Duchy Trade Organisation", (), frozenset({"members"})),
    ),
    attributes=(
        KnownAttribute("population", "quantity", "Number of inhabitants"),
        KnownAttribute("troops_deployed", "quantity", "Number of soldiers deployed"),
        KnownAttribute("members", "quantity", "Number of member states"),
        KnownAttribute("distance_km", "quantity", "Distance between two places"),
        KnownAttribute("salary", "money", "Yearly pay of a person"),
        KnownAttribute("date_held", "date", "Date a meeting or summit was held"),
        KnownAttribute("start_date", "date", "Date something began"),
    ),
    claims=(
        KnownClaim("Freedonia, home to 4 million people, is small.", "Freedonia", "population", "4 million"),
        KnownClaim("Sylvania sent 800 soldiers to Freedonia.", "Sylvanian peacekeeping deployment in Freedonia",
                   "troops_deployed", "800"),
        KnownClaim("The organisation has 12 member states.", "Grand Duchy Trade Organisation", "members", "12"),
        KnownClaim("The border post lies 40 km from the capital.", "Freedonia", "distance_km", "40 km"),
    ),
)


def guess(sentence: str, published: PartialDate | None = PartialDate(2019, 11), value: str | None = None):
    drafts = draft_claims(sentence, LEDGER, published)
    draft = next(d for d in drafts if value is None or d.value == value)
    return draft.subject.value, draft.attribute.value


def test_words_are_compared_stemmed_with_synonyms_folded():
    assert words_of("deployed") == words_of("deployment") == words_of("deploys")
    assert words_of("withdrew") == words_of("withdrawal")
    assert words_of("the pact") == words_of("a treaty") == words_of("agreement")
    assert words_of("northern") == words_of("north")


@pytest.mark.parametrize("word, country", [("french", "france"), ("russian", "russia"), ("moscow", "russia"),
                                           ("paris", "france"), ("malian", "mali")])
def test_a_peoples_word_or_a_capital_stands_for_its_country(word, country):
    (country_stem,) = words_of(country)
    assert country_stem in roots(words_of(word)[0])


def test_a_capital_names_its_country_in_an_entitys_name():
    # "Freedonia" is no real country: the made-up ledger uses a real one for this rule
    known = Known((KnownEntity("French naval exercise"), KnownEntity("Spanish naval exercise")),
                  (KnownAttribute("ships", "quantity", "Number of ships"),))
    draft = draft_claims("Paris sent 12 ships to the naval exercise.", known)[0]
    assert draft.subject.value == "French naval exercise"


def test_a_name_written_whole_is_guessed_however_common_its_words():
    assert guess("With aid, Freedonia spent about 10% of its budget on schools.")[0] == "Freedonia"


def test_a_year_in_an_entitys_name_must_agree_with_the_claims_time():
    # published in 2019: "September" is September 2019, so not the summit of 2021
    assert guess("The Freedonia-Sylvania trade summit took place in September.") == (
        "Freedonia–Sylvania trade summit (2019)", "date_held")
    assert guess("The trade summit took place in September.", PartialDate(2021, 11)) == (
        "Freedonia–Sylvania trade summit (2021)", "date_held")


def test_a_sentence_opening_with_a_pronoun_is_read_with_the_one_before():
    article = "The relationship between Freedonia and Sylvania is not new. Indeed, it started in the 1950s."
    assert guess(article) == ("Freedonia–Sylvania relations", "start_date")


def test_a_persons_surname_alone_names_them():
    assert guess("Firefly earned $2 million last year.")[0] == "Rufus Firefly"


def test_initials_of_a_long_name_name_it():
    assert guess("The GDTO admitted 3 new member states in 2019.", value="3")[0] == "Grand Duchy Trade Organisation"


@pytest.mark.parametrize("sentence, attribute", [
    ("Sylvania has 900 soldiers in Freedonia.", "troops_deployed"),
    ("Sylvania sent 900 military instructors to Freedonia.", "troops_deployed"),  # people, as its claims count
    ("The convoy stopped at a distance of 300 km.", "distance_km"),  # km: only claims in km fit
    ("Freedonia has seen two military coups since 2012.", None),  # coups: no attribute counts them
    ("Sylvania's share of the market reached 39%.", None),  # a percentage: no attribute's claims are one
])
def test_a_quantity_attribute_fits_only_values_like_its_claims(sentence, attribute):
    drafts = draft_claims(sentence, LEDGER, PartialDate(2019, 11))
    assert drafts[0].attribute.value == attribute, drafts[0].attribute.reason


def test_measures_and_counted_nouns():
    assert [measure_of(u) for u in (None, "percent", "times", "km", "russian mercenaries")] == [
        "count", "percent", "times", "measure", "count"]
    assert counted_words("Russian military instructors") == set(words_of("instructors"))


def test_a_loose_resemblance_to_one_recorded_claim_guesses_nothing():
    # "people" is all this shares with the population claim's quote: no evidence of a population
    sentence = "About 70 people attended the concert."
    assert Guesser(LEDGER).nearest(sentence, "quantity").attributes["population"][2] == 1  # one word in common
    assert draft_claims(sentence, LEDGER)[0].attribute.value is None


def test_names_shared_with_a_recorded_claim_say_who_not_what_happened():
    known = Known(
        (KnownEntity("Freedonia–Sylvania trade pact", (), frozenset({"signing_date"})),),
        (KnownAttribute("signing_date", "date", "Date an agreement was signed"),
         KnownAttribute("coup_date", "date", "Date of a military coup")),
        (KnownClaim("In May 2019, President Rufus Firefly signed a trade pact with Sylvania.",
                    "Freedonia–Sylvania trade pact", "signing_date", "May 2019"),),
    )
    draft = draft_claims("The coup of June 3, 2020 ousted President Rufus Firefly.", known)[0]
    assert draft.attribute.value == "coup_date", draft.attribute.reason


def test_an_attribute_nothing_points_to_is_the_one_the_subjects_claims_use():
    draft = draft_claims("Freedonia counted 3,000 in the spring.", LEDGER, PartialDate(2019, 11))[0]
    assert (draft.subject.value, draft.attribute.value) == ("Freedonia", "population")
    assert draft.attribute.reason == "the only quantity attribute the claims of 'Freedonia' use"


def test_the_words_near_a_value_stop_at_the_next_figure():
    known = Known((), (KnownAttribute("deaths", "quantity", "People killed"),
                       KnownAttribute("displaced", "quantity", "People forced from their homes")))
    drafts = draft_claims("The storm killed 39 people and forced 24,000 residents from their homes.", known)
    assert [(d.value, d.attribute.value) for d in drafts] == [("39", "deaths"), ("24,000", "displaced")]


def test_one_word_of_a_longer_name_is_no_evidence_of_it():
    # "forced" and "Force" share a stem; one word of three is a coincidence
    known = Known((KnownEntity("Task Force Takuba"),), (KnownAttribute("troops", "quantity", "Soldiers"),))
    assert draft_claims("The rain forced 2,000 residents out.", known)[0].subject.value is None


def test_wording_alike_alone_names_no_subject():
    # the quote reads like the population claim, but no word names Freedonia
    draft = draft_claims("The island is home to 4,000 people, a small town.", LEDGER)[0]
    assert draft.subject.value is None


def test_of_two_names_written_the_one_in_the_values_clause_wins():
    known = Known((KnownEntity("Freedonia"), KnownEntity("Sylvania")), (KnownAttribute("budget", "money"),))
    for sentence, subject in (("Freedonia grew fast in the last decade, while Sylvania spent $2 million on roads.",
                               "Sylvania"),
                              ("Sylvania grew fast in the last decade, while Freedonia spent $2 million on roads.",
                               "Freedonia")):
        (money,) = [d for d in draft_claims(sentence, known) if d.kind == "money"]
        assert money.subject.value == subject


def test_only_a_persons_name_is_looked_for_by_its_last_word():
    known = Known((KnownEntity("BBC Africa"), KnownEntity("Rufus Firefly")), (KnownAttribute("budget", "money"),))
    assert draft_claims("Africa spent $2 billion on roads.", known)[0].subject.value is None
    assert draft_claims("Firefly spent $2 billion on roads.", known)[0].subject.value == "Rufus Firefly"
