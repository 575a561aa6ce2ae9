"""How well the near-name rules (``ledger.core.lookalikes``) find the seed ledger's aliases, and what else they suggest.

Every two spellings of one seed entity (its name and aliases, after the
ledger's name key: "Assimi Goita" is "Assimi Goïta") is a true alias pair;
every two names of different entities is a pair that must not be suggested.
Recall is the share of true pairs found; false suggestions are counted over
all other name pairs, and as entity pairs. The seed attributes' names are
all different things: every pair suggested among them is false too.

    python bench/name_suggestions.py            # prints, and writes its section of bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ledger.core import lookalikes  # noqa: E402
from ledger.core.lookalikes import name_form, near  # noqa: E402
from ledger.core.records import name_key  # noqa: E402
from results import write_section  # noqa: E402


#: Different countries whose names look alike: every pair suggested is false (a stress test beside the seeds).
LOOKALIKE_COUNTRIES = [
    ("Iran", "Iraq"), ("Gambia", "Zambia"), ("Slovenia", "Slovakia"), ("Austria", "Australia"), ("Mali", "Malawi"),
    ("Niger", "Nigeria"), ("Sudan", "South Sudan"), ("Korea", "North Korea"), ("Guinea", "Guinea-Bissau"),
    ("Guinea", "Equatorial Guinea"), ("Congo", "DR Congo"), ("Dominica", "Dominican Republic"),
    ("Serbia", "Siberia"), ("Latvia", "Lithuania"), ("Armenia", "Albania"), ("Mauritania", "Mauritius"),
    ("Colombia", "Columbia"), ("Sweden", "Switzerland"), ("Samoa", "American Samoa"), ("Georgia", "South Georgia"),
]


def seed_names(path: Path) -> tuple[dict[str, list[str]], list[str]]:
    """Per seed entity its distinct spellings (by name key); and the attribute names."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entities: dict[str, list[str]] = {}
    for entity in data["entities"]:
        spellings: dict[str, str] = {}
        for name in [entity["name"], *entity.get("aliases", [])]:
            spellings.setdefault(name_key(name), name)
        entities[entity["name"]] = list(spellings.values())
    for claim in data["claims"]:
        known = {name_key(n) for names in entities.values() for n in names}
        if name_key(claim["subject"]) not in known:
            entities[claim["subject"]] = [claim["subject"]]
    attributes = sorted({a["name"] for a in data.get("attributes", [])} | {c["attribute"] for c in data["claims"]})
    return entities, attributes


def _rule(a: str, b: str) -> str | None:
    return near(name_form(a), name_form(b))


def evaluate(entities: dict[str, list[str]], attributes: list[str]) -> dict:
    """Each true alias pair found or missed; every pair of names of different entities (and of attributes) suggested."""
    true_pairs = [(a, b) for names in entities.values() for a, b in itertools.combinations(names, 2)]
    found = [(a, b, _rule(a, b)) for a, b in true_pairs]
    owners = [(name, entity) for entity, names in entities.items() for name in names]
    other_pairs = [(a, x, b, y) for (a, x), (b, y) in itertools.combinations(owners, 2) if x != y]
    false = [(a, x, b, y, rule) for a, x, b, y in other_pairs if (rule := _rule(a, b))]
    indexed = list(lookalikes.near_pairs(owners))
    attribute_false = [(a, b, rule) for a, b in itertools.combinations(attributes, 2) if (rule := _rule(a, b))]
    return dict(
        true_pairs=len(true_pairs),
        found=[f for f in found if f[2]],
        missed=[(a, b) for a, b, rule in found if not rule],
        other_pairs=len(other_pairs),
        false=false,
        entity_pairs=len(entities) * (len(entities) - 1) // 2,
        false_entities=len({frozenset((x, y)) for _, x, _, y, _ in false}),
        index_agrees=len(indexed) == len(false),
        attributes=len(attributes),
        attribute_pairs=len(attributes) * (len(attributes) - 1) // 2,
        attribute_false=attribute_false,
    )


def sweep(entities: dict[str, list[str]], attributes: list[str]) -> list[str]:
    """Recall and false suggestions for other thresholds of the spelling rule (how the defaults were chosen)."""
    rows = ["| shortest word compared by consonants | slip: Jaro-Winkler, from word length | recall | false name pairs "
            "| false attribute pairs |", "|---|---|---|---|---|"]
    chosen = lookalikes.SHORT_WORD, lookalikes.TYPO_SIMILARITY, lookalikes.TYPO_LENGTH
    try:
        tried = [(3, 0.95, 8), (4, 0.90, 6), (4, 0.93, 8), (4, 0.95, 8), (5, 0.95, 8), (4, 0.98, 12)]
        for short, typo, length in tried:
            lookalikes.SHORT_WORD, lookalikes.TYPO_SIMILARITY, lookalikes.TYPO_LENGTH = short, typo, length
            result = evaluate(entities, attributes)
            mark = " (chosen)" if (short, typo, length) == chosen else ""
            found = f"{len(result['found'])} of {result['true_pairs']}"
            rows.append(f"| {short}{mark} | {typo}, {length} letters | {found} | {len(result['false'])} | "
                        f"{len(result['attribute_false'])} |")
    finally:
        lookalikes.SHORT_WORD, lookalikes.TYPO_SIMILARITY, lookalikes.TYPO_LENGTH = chosen
    return rows


def cost(count: int = 100_000) -> str:
    """Microseconds per new name of the import-time check (look up, then index), over generated subjects."""
    rng = random.Random(7)
    words = ["Wagner", "Barkhane", "MINUSMA", "Malian army", "Takuba", "EU training mission", "Russian instructors"]
    things = ["contract", "deployment", "patrol", "convoy", "base", "ceasefire"]
    places = ["Gao", "Timbuktu", "Kidal", "Mopti", "Ségou", "Ménaka"]
    names = [f"{rng.choice(words)} {rng.choice(things)} in {rng.choice(places)} {i}" for i in range(count)]
    index = lookalikes.NameIndex()
    index.add("Mali", 0)
    start = time.perf_counter()
    for owner, name in enumerate(names, 1):
        form = name_form(name)
        next(iter(index.matches(form)), None)
        index.add(form, owner)
    per_name = (time.perf_counter() - start) / count * 1e6
    return (f"Cost at import: {per_name:.0f} µs per new subject ({count:,} generated subjects such as "
            f"{names[0]!r} checked and indexed one after another, in one process); names already known cost nothing.")


def report(result: dict, thresholds: list[str], timing: str) -> str:
    found, true = len(result["found"]), result["true_pairs"]
    rules = Counter(rule for _, _, rule in result["found"])
    lines = [
        f"Rules of `ledger/core/lookalikes.py` (words under {lookalikes.SHORT_WORD} letters exact; a slip of a letter: "
        f"Jaro-Winkler ≥ {lookalikes.TYPO_SIMILARITY} in words of {lookalikes.TYPO_LENGTH} letters or more), "
        "on `seeds/claims.yaml`; `python bench/name_suggestions.py`.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| recall of true alias pairs | **{found} of {true}** ({found / true:.0%}) |",
        f"| found by rule | {', '.join(f'{r}: {n}' for r, n in sorted(rules.items()))} |",
        f"| false suggestions, name pairs of different entities | **{len(result['false'])} of {result['other_pairs']:,}** |",
        f"| false suggestions, entity pairs | {result['false_entities']} of {result['entity_pairs']:,} |",
        f"| false suggestions among the {result['attributes']} attribute names | "
        f"{len(result['attribute_false'])} of {result['attribute_pairs']:,} |",
        f"| indexed lookup (`entities suggest`) finds the same pairs as all pairs compared | {result['index_agrees']} |",
        "",
        "Missed true pairs (no rule can tell these are one thing; alias them by hand):",
        "",
        *[f"- {a!r} / {b!r}" for a, b in result["missed"]],
        "",
        "False suggestions:",
        "",
        *[f"- {a!r} / {b!r} ({rule})" for a, _, b, _, rule in result["false"]],
        *[f"- attributes {a!r} / {b!r} ({rule})" for a, b, rule in result["attribute_false"]],
    ]
    if not result["false"] and not result["attribute_false"]:
        lines.append("- none")
    countries = [(a, b, near(name_form(a), name_form(b))) for a, b in LOOKALIKE_COUNTRIES]
    suggested = [(a, b, rule) for a, b, rule in countries if rule]
    lines += ["", f"Stress test, {len(countries)} pairs of different countries whose names look alike "
              f"(`LOOKALIKE_COUNTRIES`): **{len(suggested)} suggested** — "
              + "; ".join(f"{a!r} / {b!r} ({rule})" for a, b, rule in suggested) + "."]
    lines += ["", "Thresholds tried:", "", *thresholds, "", timing]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds" / "claims.yaml")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    names = seed_names(args.seeds)
    text = report(evaluate(*names), sweep(*names), cost())
    print(text)
    if not args.no_write:
        write_section(args.results, "names", "## Near names: alias suggestions on the seeds (issue 14)\n\n" + text)


if __name__ == "__main__":
    main()
