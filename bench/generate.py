"""Write a realistic bulk claim set with a fixed seed: sources as JSON Lines, claims as CSV.

    python bench/generate.py 1000000 --out bench/out

writes ``bench/out/sources-1000000.jsonl`` (attribute and source records) and
``bench/out/claims-1000000.csv`` (exactly N claims). The shape follows what a
newsroom or research group loads:

* about N/10 subjects, each with a few attributes (troops, fees, contract
  values, dates, commanders), reported by 1 to 40 sources (skewed: most
  subjects get a handful, some get dozens);
* one "true" value per (subject, attribute), stated in the round numbers and
  stock phrases the press repeats ("about 3,000", "more than 2,700",
  "nearly 3,300", "several thousand", "$10.8 million a month",
  "6 billion CFA francs"), money in USD, EUR, GBP and XOF, some per period;
* about 5% of claims disagree (a different figure, name or date);
* times stated as years, "mid-2020", "late 2019", "March 2021", or left out
  (the article's date is used); refs on half the claims, quotes and
  attributions on some.

Rows are written as they are generated: memory stays flat whatever N.

``--shape conflict-heavy`` writes the shape of multi-source data where every
source reports every item (every site reports every flight): 40 sources,
N/20 subjects with 20 claims each from 20 different sources, one quantity
attribute stated as a plain count ("1,234"), ``when`` "2021", and 5% of
claims doubled, so most groups hold a conflict (``sources-conflict-heavy-N.jsonl``,
``claims-conflict-heavy-N.csv``).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

SEED = 20261101
CLAIM_COLUMNS = ("ref", "source", "subject", "attribute", "value", "when", "quote", "attributed_to")

OUTLETS = (
    "Reuters", "AFP", "AP", "BBC Africa", "Le Monde", "RFI", "Jeune Afrique", "Al Jazeera",
    "The Guardian", "France 24", "Bloomberg", "Financial Times", "DW", "VOA Afrique", "Le Figaro",
    "The New York Times", "Mail & Guardian", "Premium Times", "Le Point", "Africa Confidential",
)
CITED = ("Reuters", "ACLED", "the UN", "a diplomatic source", "the defence ministry", "local officials",
         "Human Rights Watch", "a security source")
ACTORS = ("Wagner", "Barkhane", "MINUSMA", "Takuba", "EUTM", "ECOWAS", "G5 Sahel", "Africa Corps",
          "Serval", "AFISMA", "Sangaris", "EUCAP", "Dozo militia", "Koglweogo", "VDP", "JNIM")
THINGS = ("deployment", "contract", "operation", "mission", "arms deal", "training programme",
          "airlift", "base", "convoy", "aid package", "ceasefire", "patrol")
PLACES = ("Mali", "Niger", "Burkina Faso", "Chad", "Gao", "Timbuktu", "Kidal", "Ménaka", "Mopti",
          "Ségou", "Tillabéri", "Ouagadougou", "Bamako", "Niamey", "N'Djamena", "Central African Republic")
COMMANDERS = ("Col. Assimi Goïta", "Gen. Abdourahamane Tiani", "Capt. Ibrahim Traoré", "Dmitry Utkin",
              "Gen. Laurent Michon", "Col. Malick Diaw", "Gen. Salifou Mody", "Col. Sadio Camara")

# name, kind, per-period?  ("a few attributes" per subject are drawn from these)
ATTRIBUTES = (
    ("troops_deployed", "quantity", False),
    ("casualties", "quantity", False),
    ("displaced_people", "quantity", False),
    ("weapons_delivered", "quantity", False),
    ("contract_value", "money", False),
    ("aid_budget", "money", False),
    ("monthly_fee", "money", True),
    ("start_date", "date", False),
    ("commander", "text", False),
)
ROUND_COUNTS = (40, 60, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1_000, 1_200, 1_500, 2_000,
                2_500, 3_000, 4_000, 4_500, 5_000, 6_000, 8_000, 10_000, 12_000, 15_000, 20_000)
ROUND_MILLIONS = (0.5, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 10.8, 12, 15, 20, 25, 40, 50, 100)
CURRENCIES = ("USD", "EUR", "GBP", "XOF")
XOF_PER_EUR = 655.957
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
FIRST_DAY = date(2016, 1, 1)
DAYS = 8 * 365


def count_phrase(rng: random.Random, n: int) -> str:
    """How the press states a head count, mostly round and hedged."""
    shown = f"{n:,}"
    roll = rng.random()
    if roll < 0.30:
        return shown
    if roll < 0.50:
        return f"{rng.choice(('about', 'some', 'around', 'an estimated', 'roughly'))} {shown}"
    if roll < 0.62:
        return f"more than {int(n * 0.9):,}"
    if roll < 0.72:
        return f"nearly {int(n * 1.1):,}"
    if roll < 0.80:
        return f"at least {int(n * 0.8):,}"
    if roll < 0.88 and 3_000 <= n < 10_000:
        return "several thousand"
    if roll < 0.88 and 300 <= n < 1_000:
        return "several hundred"
    return f"{shown} {rng.choice(('troops', 'people', 'fighters', 'soldiers'))}" if roll < 0.95 else shown


def money_phrase(rng: random.Random, millions: float, currency: str, per_month: bool) -> str:
    """An amount as stated: "$10.8 million a month", "6 billion CFA francs", "€ 1 million"."""
    hedge = rng.choice(("", "", "", "about ", "more than ", "nearly ", "some "))
    if hedge == "more than ":
        millions = round(millions * 0.9, 2)
    elif hedge == "nearly ":
        millions = round(millions * 1.1, 2)
    amount = f"{millions:g}"
    if currency == "XOF":
        billions = round(millions * XOF_PER_EUR / 1000, 1)
        phrase = f"{billions:g} billion CFA francs" if rng.random() < 0.8 else f"{billions:g} billion XOF"
    elif currency == "USD":
        phrase = f"${amount} million" if rng.random() < 0.7 else f"{amount} million dollars"
    elif currency == "EUR":
        phrase = f"€{amount} million" if rng.random() < 0.6 else f"{amount} million euros"
    else:
        phrase = f"£{amount} million" if rng.random() < 0.7 else f"{amount} million pounds"
    if per_month:
        phrase += rng.choice((" a month", " per month", " a month"))
    return hedge + phrase


def when_phrase(rng: random.Random, year: int) -> str | None:
    roll = rng.random()
    if roll < 0.35:
        return None  # as of publication
    if roll < 0.65:
        return str(year)
    if roll < 0.80:
        return rng.choice((f"early {year}", f"mid-{year}", f"late {year}"))
    return f"{rng.choice(MONTHS)} {year}"


class Group:
    """One (subject, attribute): its true value, the year it is about, and how it is stated."""

    def __init__(self, rng: random.Random, subject: str, attribute: tuple[str, str, bool]):
        self.rng = rng
        self.subject = subject
        self.name, self.kind, self.per_month = attribute
        self.year = rng.randint(2016, 2023)
        self.count = rng.choice(ROUND_COUNTS)
        self.millions = rng.choice(ROUND_MILLIONS)
        self.currency = rng.choice(CURRENCIES)
        self.month = rng.randrange(12)
        self.commander = rng.choice(COMMANDERS)

    def value(self, disagree: bool) -> str:
        rng = self.rng
        if self.kind == "quantity":
            n = self.count * rng.choice((2, 3, 5)) if disagree else self.count
            return count_phrase(rng, n)
        if self.kind == "money":
            millions = self.millions * rng.choice((2, 3, 0.25)) if disagree else self.millions
            currency = self.currency if rng.random() < 0.85 else rng.choice(CURRENCIES)
            return money_phrase(rng, millions, currency, self.per_month)
        if self.kind == "date":
            month = (self.month + rng.randint(3, 8)) % 12 if disagree else self.month
            return f"{MONTHS[month]} {self.year}" if rng.random() < 0.8 else f"{'late' if month > 7 else 'early'} {self.year}"
        name = rng.choice([c for c in COMMANDERS if c != self.commander]) if disagree else self.commander
        return name

    def when(self) -> str | None:
        return None if self.kind in ("date", "text") and self.rng.random() < 0.7 else when_phrase(self.rng, self.year)


def claims_per_subject(rng: random.Random) -> int:
    """1 to 40 sources per subject, skewed (median ~7, mean ~10)."""
    return min(40, max(1, int(rng.lognormvariate(2.0, 0.75))))


def generate(n: int, out: Path, seed: int = SEED) -> tuple[Path, Path]:
    """Write the sources (JSONL) and exactly ``n`` claims (CSV); return both paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    sources_path, claims_path = out / f"sources-{n}.jsonl", out / f"claims-{n}.csv"
    source_count = max(40, n // 25)
    with sources_path.open("w", encoding="utf-8") as handle:
        for name, kind, _ in ATTRIBUTES:
            handle.write(json.dumps({"type": "attribute", "name": name, "kind": kind}) + "\n")
        for i in range(source_count):
            published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            outlet = OUTLETS[i % len(OUTLETS)]
            record = {"type": "source", "key": f"src-{i:06d}", "title": f"{outlet} report {i}",
                      "outlet": outlet, "published": published.isoformat()}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    written = 0
    subject_no = 0
    with claims_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLAIM_COLUMNS)
        while written < n:
            subject_no += 1
            subject = f"{rng.choice(ACTORS)} {rng.choice(THINGS)} in {rng.choice(PLACES)} {subject_no}"
            groups = [Group(rng, subject, a) for a in rng.sample(ATTRIBUTES, rng.choice((1, 2, 3, 3, 4)))]
            sources = rng.sample(range(source_count), min(source_count, claims_per_subject(rng)))
            for source in sources:
                if written >= n:
                    break
                group = rng.choice(groups)
                value = group.value(disagree=rng.random() < 0.05)
                ref = f"c{written:08d}" if rng.random() < 0.5 else ""
                quote = f"{OUTLETS[source % len(OUTLETS)]} put it at {value}." if rng.random() < 0.4 else ""
                cited = rng.choice(CITED) if rng.random() < 0.2 else ""
                writer.writerow((ref, f"src-{source:06d}", subject, group.name, value, group.when() or "", quote, cited))
                written += 1
    return sources_path, claims_path


CONFLICT_HEAVY = "conflict-heavy"
SHAPES = ("generated", CONFLICT_HEAVY)


def generate_conflict_heavy(n: int, out: Path, seed: int = SEED) -> tuple[Path, Path]:
    """Write the conflict-heavy shape (module docstring): 40 sources, groups of 20, 5% doubled."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    sources_path = out / f"sources-{CONFLICT_HEAVY}-{n}.jsonl"
    claims_path = out / f"claims-{CONFLICT_HEAVY}-{n}.csv"
    with sources_path.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"type": "attribute", "name": "passengers", "kind": "quantity"}) + "\n")
        for i in range(40):
            record = {"type": "source", "key": f"site-{i:02d}", "title": f"Site {i}", "outlet": f"Site {i}",
                      "published": "2021-12-31"}
            handle.write(json.dumps(record) + "\n")
    with claims_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLAIM_COLUMNS)
        for written in range(n):
            subject_no, nth = divmod(written, 20)
            if nth == 0:
                subject = f"Item {subject_no + 1}"
                count = rng.randint(100, 9_999)
                sources = rng.sample(range(40), 20)
            value = count * 2 if rng.random() < 0.05 else count
            writer.writerow(("", f"site-{sources[nth]:02d}", subject, "passengers", f"{value:,}", "2021", "", ""))
    return sources_path, claims_path


def generate_shape(shape: str, n: int, out: Path, seed: int = SEED) -> tuple[Path, Path]:
    """The sources and claims files of ``shape`` ("generated" or "conflict-heavy")."""
    return (generate_conflict_heavy if shape == CONFLICT_HEAVY else generate)(n, out, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of claims")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--shape", choices=SHAPES, default="generated")
    args = parser.parse_args()
    sources, claims = generate_shape(args.shape, args.n, args.out, args.seed)
    print(f"wrote {sources} and {claims}")


if __name__ == "__main__":
    main()
