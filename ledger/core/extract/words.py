"""Words as the guesses compare them: content words, stemmed, with news vocabulary and demonyms folded.

``words_of`` lower-cases, drops accents and function words, maps a few
spellings and synonyms to one word ("pact", "treaty", "deal" → agreement) and
stems with the Snowball English stemmer, so "deployed", "deployment" and
"deploys" are one word, and so are "withdrawal" and "withdraw". ``cue_words``
adds, for news verbs and nouns, the words attribute names and descriptions use
for them ("killed" → deaths, "hosted" → held). ``roots`` adds, for a people's
word or a capital, its country's ("Malian" → Mali, "French" → France, "Moscow" → Russia). Every table here is
general news English, not the vocabulary of one ledger.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STOP = frozenset(
    "a an and or but the of in on at to for from by with as is was were are be been has have had it its "
    "this that these those their his her our which who whom whose when where than then into over under about "
    "after before since until during while not no also will would could should may might can did do does "
    "s de la le les des du et en un une au aux d l".split()
)
#: Spellings, near-synonyms and irregular forms news writes for the same thing, mapped to one word.
_SAME_WORD = {
    "defence": "defense", "offence": "offense", "pact": "agreement", "treaty": "agreement", "accord": "agreement",
    "deal": "agreement", "discussion": "talk", "negotiation": "talk", "organisation": "organization",
    "relationship": "relation", "ties": "relation", "withdrew": "withdraw", "withdrawn": "withdraw",
    "began": "begin", "begun": "begin", "sent": "send", "fought": "fight", "took": "take", "taken": "take",
    "met": "meet", "paid": "pay", "sold": "sell", "bought": "buy", "spent": "spend", "won": "win",
    "overthrew": "overthrow", "overthrown": "overthrow", "died": "die", "dead": "death", "men": "man",
    "women": "woman", "people": "people", "persons": "people", "discuss": "talk", "discussed": "talk",
    "northern": "north", "southern": "south", "eastern": "east", "western": "west",
}
#: News words → the words attribute names and descriptions use for them.
_CUE_WORDS = {
    "killed": "killed deaths dead", "kill": "killed deaths", "killing": "killed deaths", "die": "deaths dead",
    "death": "deaths dead killed", "victim": "deaths killed", "casualty": "deaths killed", "toll": "deaths",
    "wounded": "injured", "injured": "injured",
    "signed": "signed signing", "sign": "signed signing", "concluded": "signed signing concluded",
    "clinched": "signed signing", "inked": "signed signing", "agreement": "agreement signed",
    "launched": "start began launched", "begin": "start began", "started": "start began",
    "established": "start began established", "founded": "start began", "created": "start began",
    "since": "start began since", "beginning": "start began", "entered": "start began",
    "ended": "end ended", "until": "end ended", "end": "end ended", "withdraw": "withdrawal withdrew end",
    "independence": "end ended",
    "soldier": "troops soldiers", "troop": "troops soldiers", "mercenary": "troops mercenaries soldiers",
    "force": "troops soldiers", "personnel": "troops soldiers", "instructor": "troops instructors",
    "deployed": "deployed troops", "send": "deployed", "stationed": "deployed troops",
    "held": "held", "meet": "held meeting", "meeting": "held meeting", "summit": "held summit",
    "visit": "held visit", "visited": "held visit", "gathered": "held summit", "talk": "held talks",
    "hosted": "held", "hosting": "held", "host": "held", "conference": "held",
    "worth": "price cost value", "pay": "price paid", "cost": "cost", "spend": "cost spent",
    "buy": "price purchased purchase", "purchase": "price purchase", "sell": "price sold sale",
    "budget": "cost", "contract": "price contract",
    "announced": "announced announcement", "announce": "announced announcement",
    "coup": "coup", "overthrow": "coup", "ousted": "coup", "toppled": "coup", "putsch": "coup",
    "election": "elections scheduled", "vote": "elections", "scheduled": "scheduled",
    "inhabitant": "population inhabitants", "home": "population inhabitants", "resident": "population",
    "percent": "share", "share": "share",
    "increased": "increase grown", "fivefold": "increase factor", "tripled": "increase factor",
    "doubled": "increase factor", "time": "factor",
}
#: What the value's unit says about its attribute.
KIND_OF_UNIT = {"percent": "share percentage", "times": "factor times increase"}
#: Demonyms that do not end in -an/-ian: the country they name.
_DEMONYMS = {
    "french": "france", "british": "britain", "english": "england", "scottish": "scotland", "welsh": "wales",
    "irish": "ireland", "dutch": "netherlands", "german": "germany", "swiss": "switzerland", "danish": "denmark",
    "swedish": "sweden", "finnish": "finland", "norwegian": "norway", "polish": "poland", "spanish": "spain",
    "portuguese": "portugal", "greek": "greece", "turkish": "turkey", "chinese": "china", "japanese": "japan",
    "vietnamese": "vietnam", "thai": "thailand", "filipino": "philippines", "israeli": "israel",
    "iraqi": "iraq", "pakistani": "pakistan", "afghan": "afghanistan", "saudi": "saudi", "emirati": "emirates",
    "yemeni": "yemen", "qatari": "qatar", "kuwaiti": "kuwait", "omani": "oman", "bangladeshi": "bangladesh",
    "sudanese": "sudan", "senegalese": "senegal", "congolese": "congo", "togolese": "togo",
    "beninese": "benin", "gabonese": "gabon", "lebanese": "lebanon", "nepalese": "nepal", "burmese": "myanmar",
    "nigerien": "niger", "burkinabe": "burkina", "ivorian": "ivoire", "malagasy": "madagascar",
    "soviet": "ussr", "american": "america", "belgian": "belgium", "ukrainian": "ukraine",
}
#: Capitals news writes for their country's government ("Paris announced"): the country.
_CAPITALS = {
    "paris": "france", "london": "britain", "berlin": "germany", "madrid": "spain", "rome": "italy",
    "brussels": "belgium", "amsterdam": "netherlands", "lisbon": "portugal", "warsaw": "poland",
    "vienna": "austria", "athens": "greece", "ankara": "turkey", "moscow": "russia", "kremlin": "russia",
    "kyiv": "ukraine", "kiev": "ukraine", "minsk": "belarus", "washington": "america", "ottawa": "canada",
    "beijing": "china", "tokyo": "japan", "seoul": "korea", "pyongyang": "korea", "delhi": "india",
    "islamabad": "pakistan", "kabul": "afghanistan", "tehran": "iran", "baghdad": "iraq", "damascus": "syria",
    "beirut": "lebanon", "amman": "jordan", "riyadh": "saudi", "doha": "qatar", "cairo": "egypt",
    "tripoli": "libya", "tunis": "tunisia", "algiers": "algeria", "rabat": "morocco", "khartoum": "sudan",
    "bamako": "mali", "niamey": "niger", "ouagadougou": "burkina", "dakar": "senegal", "abuja": "nigeria",
    "accra": "ghana", "abidjan": "ivoire", "conakry": "guinea", "nouakchott": "mauritania", "ndjamena": "chad",
    "kinshasa": "congo", "brazzaville": "congo", "luanda": "angola", "nairobi": "kenya",
    "kampala": "uganda", "kigali": "rwanda", "addis": "ethiopia", "mogadishu": "somalia",
    "harare": "zimbabwe", "maputo": "mozambique", "caracas": "venezuela", "havana": "cuba",
    "brasilia": "brazil", "jerusalem": "israel", "canberra": "australia",
}

_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1 << 15)
def stem(word: str) -> str:
    """One word's stem, after its common spellings and irregular forms are folded."""
    word = _SAME_WORD.get(word, word)
    return _STEMMER.stemWord(word)


@lru_cache(maxsize=1 << 14)
def words_of(text: str) -> tuple[str, ...]:
    """Content words of ``text``, stemmed: "mercenaries deployed" → ("mercenari", "deploy")."""
    plain = plain_text(text).replace("'s ", " ")
    return tuple(stem(word) for word in re.findall(r"[a-z0-9+]+", plain) if word not in STOP and len(word) > 1)


@lru_cache(maxsize=1)
def _stemmed_cues() -> dict[str, tuple[str, ...]]:
    cues: dict[str, tuple[str, ...]] = {}
    for word, meant in _CUE_WORDS.items():
        cues[stem(word)] = tuple(dict.fromkeys(cues.get(stem(word), ()) + tuple(stem(w) for w in meant.split())))
    return cues


def cue_words(word: str) -> tuple[str, ...]:
    """The attribute words a stemmed news word stands for ("kill" → kill, death, dead)."""
    return _stemmed_cues().get(word, ())


@lru_cache(maxsize=1)
def _stemmed_demonyms() -> dict[str, str]:
    return {stem(word): stem(country) for word, country in (*_DEMONYMS.items(), *_CAPITALS.items())}


@lru_cache(maxsize=1 << 15)
def roots(word: str) -> frozenset[str]:
    """The stemmed word and, for a people's word or a capital, its country's: "malian" → mali, "paris" → franc."""
    if country := _stemmed_demonyms().get(word):
        return frozenset((word, country))
    if word.endswith("an") and len(word) > 5:
        return frozenset((word, word[:-1], word[:-2]))
    return frozenset((word,))


@lru_cache(maxsize=1 << 14)
def plain_text(text: str) -> str:
    """Lower case, accents and dash variants folded, spaces single: the form names are looked for in."""
    plain = unicodedata.normalize("NFKD", text.replace("–", "-").replace("—", "-").replace("’", "'"))
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).lower().split())


#: Words of a stated value, not of what it states: no evidence of a claim's attribute or subject.
VALUE_WORDS = frozenset(stem(w) for w in (
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred hundreds "
    "thousand thousands million millions billion billions dozen dozens nearly almost about around some roughly "
    "approximately more less least most over under than up several few many january february march april "
    "june july august september october november december monday tuesday wednesday thursday friday saturday "
    "sunday").split())


def evidence_words(text: str) -> tuple[str, ...]:
    """``words_of`` without numbers and the words of stated values ("nearly", "million")."""
    return tuple(w for w in words_of(text) if not w.isdigit() and w not in VALUE_WORDS)


_CAPITALISED = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*")


def common_words(text: str) -> tuple[str, ...]:
    """``evidence_words`` of the words written in lower case: what happened, not who or where."""
    return evidence_words(_CAPITALISED.sub(" ", text))
