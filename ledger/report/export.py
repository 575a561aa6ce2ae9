"""Export formats: CSV rows, JSON Lines in the import format, and schema.org ``Claim`` JSON-LD.

Each writer takes an iterator of rows (see ``ledger.db.export``) and writes
as it goes, so nothing is held whole; each returns how many items it wrote.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ledger.core.records import claim_identity
from ledger.report.encode import plain, to_json

EXPORT_FORMATS = ("csv", "jsonl", "schema-org")
URN = "urn:claim-ledger:"


def write_csv(rows: Iterable[dict], columns: tuple[str, ...], out: TextIO) -> int:
    """One row per claim under a header of ``columns``."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([plain(row.get(column)) for column in columns])
        count += 1
    return count


def write_jsonl(records: Iterable[tuple[str, dict]], out: TextIO, texts: Path | None, base: Path | None) -> dict:
    """Import-format lines; a source's text goes to a file in ``texts`` (named ``text_file``, relative to ``base``).

    Without ``texts`` (writing to stdout) article texts are left out and
    counted under ``texts left out``. Returns counts by record type.
    """
    counts: dict[str, int] = {}
    for kind, fields in records:
        article = fields.pop("text", None)
        if article is not None:
            if texts is None:
                counts["texts left out"] = counts.get("texts left out", 0) + 1
            else:
                fields["text_file"] = _write_article(article, texts, base)
        out.write(to_json({"type": kind, **fields}, indent=None) + "\n")
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def _write_article(article: str, texts: Path, base: Path) -> str:
    import hashlib

    texts.mkdir(parents=True, exist_ok=True)
    path = texts / f"{hashlib.sha256(article.encode()).hexdigest()[:16]}.txt"
    with path.open("w", encoding="utf-8", newline="") as handle:  # byte for byte: the same sha256 on import
        handle.write(article)
    return path.relative_to(base).as_posix()


def write_schema_org(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON-LD document: a ``@graph`` of schema.org ``Claim`` nodes, written a node at a time."""
    out.write('{\n  "@context": "https://schema.org",\n  "@graph": [')
    count = 0
    for row in rows:
        out.write(("," if count else "") + "\n    " + to_json(claim_node(row), indent=None))
        count += 1
    out.write("\n  ]\n}\n")
    return count


def claim_node(row: dict) -> dict:
    """A schema.org ``Claim``: what is stated, about what, where it appeared, and where it first appeared.

    ``firstAppearance`` is the earliest-published source in the ledger stating
    the same figure (same subject, attribute, time and reading); ``author`` is
    whom the article attributes the claim to. No rating: the ledger records
    disagreement, not verdicts on truth (so no ``ClaimReview``).
    """
    node = {
        "@type": "Claim",
        "@id": URN + claim_identity(row["ref"], row["fingerprint"]),
        "name": f"{row['subject']}: {row['attribute']} {row['value']}",
        "text": row["quote"] or row["value"],
        "about": {"@type": "Thing", "name": row["subject"]},
        "appearance": creative_work(row),
        "firstAppearance": creative_work(row["first_source"]),
    }
    if row["when_stated"]:
        node["temporalCoverage"] = _interval(row["time_low"], row["time_high"]) or row["when_stated"]
    if row["attributed_to"]:
        node["author"] = {"name": row["attributed_to"]}
    return node


def creative_work(source: dict) -> dict:
    work = {"@type": "CreativeWork", "@id": source["url"] or f"{URN}source:{source['key']}", "headline": source["title"]}
    if source["url"]:
        work["url"] = source["url"]
    if source["published"]:
        work["datePublished"] = source["published"]
    if source["outlet"]:
        work["publisher"] = {"@type": "Organization", "name": source["outlet"]}
    if source["author"]:
        work["author"] = {"@type": "Person", "name": source["author"]}
    if source["language"]:
        work["inLanguage"] = source["language"]
    return work


def _interval(low, high) -> str | None:
    if low is None and high is None:
        return None
    low, high = plain(low) or "..", plain(high) or ".."
    return low if low == high else f"{low}/{high}"


def left_out_note(counts: dict[str, int], texts_left_out: int) -> str:
    """The stderr note for JSON Lines: what the import format does not carry, and how much of it there was."""
    note = (
        "note: retractions, supersessions and verdicts are outside the import format; exported active claims "
        "as they now stand, leaving out " + ", ".join(f"{n} {what}" for what, n in counts.items())
    )
    if texts_left_out:
        note += f"; {texts_left_out} article texts (give -o FILE to write them beside it)"
    return note
