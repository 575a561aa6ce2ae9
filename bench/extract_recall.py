"""How well ``ledger extract`` drafts the curated seed claims, one command:

    python bench/extract_recall.py

For each seed article it drafts claims the way ``ledger extract`` does and compares
them with the curated claims of ``seeds/claims.yaml``:

* recall: the share of seed claims whose value is proposed where the seed quote
  states it (the proposal's value and the seed's value overlap in the article, so
  the proposal's quote contains the seed quote's figure); also the share proposed
  with exactly the seed's value phrase (case aside);
* precision: the share of proposals that match a seed claim, with a sample of
  the others (most are fine claims the curators did not keep);
* guesses, LEAVE-ONE-ARTICLE-OUT: an article's subjects and attributes are
  guessed from the entities and attributes of the other four articles' claims
  only (the shipped ledger.db holds every seed claim and would leak the answer);
  right = the seed's canonical subject / attribute (a guess is always a canonical
  name, so an alias written in the article counts through its entity), over all
  matched claims and over those whose answer was knowable (used by another
  article); also "right or rightly blank": right, or left blank when the answer
  was not in the ledger the guess came from (a draft may only name known
  entities and attributes, and a blank is what the issue asks for then); and
  the share of the guesses made (not blank) that are right;
* time per article (the fastest of three runs, parser caches cleared before each;
  start-up not counted), and for one long article: all five articles in one text.

It prints the figures and writes them to the ``extract`` section of ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import write_section  # noqa: E402

from ledger.readers.yaml_file import load_claim_file  # noqa: E402
from ledger.core import dates, values  # noqa: E402
from ledger.core.extract import attribution  # noqa: E402
from ledger.core.extract.words import words_of  # noqa: E402
from ledger.core.extract import Known, KnownAttribute, KnownClaim, KnownEntity, draft_claims  # noqa: E402
from ledger.core.quotes import normalise_text  # noqa: E402
from ledger.core.records import name_key  # noqa: E402

SEEDS = HERE.parent / "seeds" / "claims.yaml"


def known_without(bundle, source_key: str, canonical: dict[str, str]) -> Known:
    """Entities and attributes used by the claims of every other article."""
    others = [c for c in bundle.claims if c.source != source_key]
    used_by: dict[str, set[str]] = {}
    for claim in others:
        used_by.setdefault(canonical[name_key(claim.subject)], set()).add(claim.attribute)
    entities = tuple(
        KnownEntity(e.name, e.aliases, frozenset(used_by[e.name])) for e in bundle.entities if e.name in used_by
    )
    attribute_names = {c.attribute for c in others}
    attributes = tuple(
        KnownAttribute(a.name, a.kind, a.description) for a in bundle.attributes if a.name in attribute_names
    )
    claims = tuple(KnownClaim(c.quote, canonical[name_key(c.subject)], c.attribute, c.value) for c in others if c.quote)
    return Known(entities, attributes, claims)


def locate(article: str, quote: str, value: str, inner: int | None = None) -> tuple[int, int] | None:
    """Where ``value`` is, inside ``quote`` (at ``inner`` if known, else its first place), in the article."""
    at = article.find(normalise_text(quote))
    if at < 0:
        return None
    if inner is None:
        inner = normalise_text(quote).casefold().find(normalise_text(value).casefold())
    if inner < 0:
        return None
    return at + inner, at + inner + len(normalise_text(value))


def timed(draft, runs: int = 3):
    """(result, seconds): the fastest of ``runs`` runs, each with every cache cleared (a shared machine is noisy)."""
    best = None
    for _ in range(runs):
        for cached in (values._parse_cached, dates._read, words_of, attribution.guess_attribution):
            cached.cache_clear()
        started = time.perf_counter()
        result = draft()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return result, best


def measure(show: int) -> str:
    bundle = load_claim_file(SEEDS)
    canonical = {}
    for entity in bundle.entities:
        for name in (entity.name, *entity.aliases):
            canonical[name_key(name)] = entity.name
    lines, totals = [], dict(seeds=0, found=0, exact=0, proposals=0, matched_proposals=0, subject=0,
                             attribute=0, attributed=0, attributed_right=0, unattributed=0, unattributed_right=0, knowable_subject=0, subject_of_knowable=0, knowable_attribute=0,
                             attribute_of_knowable=0, subject_or_blank=0, attribute_or_blank=0,
                             subject_guessed=0, attribute_guessed=0)
    unmatched, times = [], []
    per_article = []
    for source in bundle.sources:
        known = known_without(bundle, source.key, canonical)
        drafts, seconds = timed(lambda: draft_claims(source.text, known, source.published, source.language))
        times.append(seconds)
        article = normalise_text(source.text)
        proposed = [(d, locate(article, d.quote, d.value, d.value_at)) for d in drafts]
        matched_proposals = set()
        seeds = [c for c in bundle.claims if c.source == source.key]
        found = 0
        for claim in seeds:
            where = locate(article, claim.quote, claim.value)
            hits = [i for i, (_, at) in enumerate(proposed) if at and where and at[0] < where[1] and where[0] < at[1]]
            if not hits:
                print(f"  missed [{source.key}] {claim.value!r} in {claim.quote!r}", file=sys.stderr)
                continue
            found += 1
            matched_proposals.update(hits)
            best = min(hits, key=lambda i: abs(len(proposed[i][0].value) - len(claim.value)))
            draft = proposed[best][0]
            subject = canonical[name_key(claim.subject)]
            totals["exact"] += any(proposed[i][0].value.casefold() == claim.value.casefold() for i in hits)
            totals["subject"] += draft.subject.value == subject
            for field, right, guess in (("subject", subject, draft.subject), ("attribute", claim.attribute, draft.attribute)):
                if guess.value != right:
                    print(f"  wrong {field} [{source.key}] {claim.value!r}: {guess.value!r} for {right!r} ({guess.reason})",
                          file=sys.stderr)
            totals["attribute"] += draft.attribute.value == claim.attribute
            if claim.attributed_to:
                totals["attributed"] += 1
                totals["attributed_right"] += (draft.attributed_to.value or "").casefold() == claim.attributed_to.casefold()
            else:
                totals["unattributed"] += 1
                totals["unattributed_right"] += draft.attributed_to.value is None
            for field, right, guess, knowable in (
                    ("subject", subject, draft.subject.value, any(e.name == subject for e in known.entities)),
                    ("attribute", claim.attribute, draft.attribute.value,
                     any(a.name == claim.attribute for a in known.attributes))):
                totals[f"knowable_{field}"] += knowable
                totals[f"{field}_of_knowable"] += knowable and guess == right
                totals[f"{field}_or_blank"] += guess == right or (not knowable and guess is None)
                totals[f"{field}_guessed"] += guess is not None
        totals["seeds"] += len(seeds)
        totals["found"] += found
        totals["proposals"] += len(drafts)
        totals["matched_proposals"] += len(matched_proposals)
        unmatched += [(source.key, d) for i, (d, _) in enumerate(proposed) if i not in matched_proposals]
        per_article.append((source.key, len(source.text.split()), len(seeds), found, len(drafts), times[-1]))
    long_text = "\n\n".join(s.text for s in bundle.sources)
    long_drafts, long_time = timed(lambda: draft_claims(long_text, Known(), None, "en"))

    def share(part, whole):
        return f"{part}/{whole} = {part / whole:.0%}" if whole else "—"

    lines.append(f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
                 f"Python {platform.python_version()}; `python bench/extract_recall.py`.")
    lines.append("")
    lines.append("| measure | result |")
    lines.append("|---|---|")
    lines.append(f"| recall: seed claims whose value is proposed where the seed quote states it | "
                 f"{share(totals['found'], totals['seeds'])} |")
    lines.append(f"| … proposed with exactly the seed's value phrase (case aside) | "
                 f"{share(totals['exact'], totals['seeds'])} |")
    lines.append(f"| precision: proposals matching a seed claim | "
                 f"{share(totals['matched_proposals'], totals['proposals'])} |")
    lines.append(f"| subject guessed right (leave-one-article-out), of matched | "
                 f"{share(totals['subject'], totals['found'])} |")
    lines.append(f"| … of matched whose subject another article uses | "
                 f"{share(totals['subject_of_knowable'], totals['knowable_subject'])} |")
    lines.append(f"| attribute guessed right (leave-one-article-out), of matched | "
                 f"{share(totals['attribute'], totals['found'])} |")
    lines.append(f"| … of matched whose attribute another article uses | "
                 f"{share(totals['attribute_of_knowable'], totals['knowable_attribute'])} |")
    lines.append(f"| subject right or rightly left blank (not in the ledger), of matched | "
                 f"{share(totals['subject_or_blank'], totals['found'])} |")
    lines.append(f"| attribute right or rightly left blank (not in the ledger), of matched | "
                 f"{share(totals['attribute_or_blank'], totals['found'])} |")
    lines.append(f"| subjects guessed (not blank) that are right | "
                 f"{share(totals['subject'], totals['subject_guessed'])} |")
    lines.append(f"| attributes guessed (not blank) that are right | "
                 f"{share(totals['attribute'], totals['attribute_guessed'])} |")
    lines.append(f"| attributed_to guessed exactly, of matched seed claims that have one | "
                 f"{share(totals['attributed_right'], totals['attributed'])} |")
    lines.append(f"| attributed_to left empty, of matched seed claims without one | "
                 f"{share(totals['unattributed_right'], totals['unattributed'])} |")
    lines.append(f"| slowest article (caches cleared, fastest of 3 runs) | {max(times) * 1000:.0f} ms |")
    lines.append(f"| all five articles as one text ({len(long_text.split()):,} words) | "
                 f"{long_time * 1000:.0f} ms, {len(long_drafts)} proposals |")
    lines.append("")
    lines.append(f"Leave-one-article-out, {totals['found'] - totals['knowable_subject']} matched seed claims have a "
                 f"subject and {totals['found'] - totals['knowable_attribute']} an attribute that no other article "
                 "uses: no guess can name them, so the rows “of matched” cannot exceed "
                 f"{share(totals['knowable_subject'], totals['found'])} (subjects) and "
                 f"{share(totals['knowable_attribute'], totals['found'])} (attributes); the rows below them count "
                 "only the claims whose answer was knowable. “Rightly left blank”: a draft names only known entities "
                 "and attributes and leaves the rest null for the analyst, so a blank counts as right only where the "
                 "answer was not known; a blank where it was known counts as wrong.")
    lines.append("")
    lines.append("| article | words | seed claims | found | proposals | time |")
    lines.append("|---|---|---|---|---|---|")
    for key, words, seeds, found, proposals, seconds in per_article:
        lines.append(f"| {key} | {words:,} | {seeds} | {found} | {proposals} | {seconds * 1000:.0f} ms |")
    lines.append("")
    lines.append(f"A sample of {show} proposals that match no seed claim (fixed seed):")
    lines.append("")
    for key, draft in random.Random(19).sample(unmatched, min(show, len(unmatched))):
        lines.append(f"- [{key}] `{draft.value}` ({draft.kind}) in “{draft.quote}”")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=12, help="How many unmatched proposals to show.")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    report = measure(args.sample)
    print(report)
    write_section(args.results, "extract", "## Drafting claims from articles (`ledger extract`)\n\n" + report)


if __name__ == "__main__":
    main()
