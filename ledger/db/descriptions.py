"""What every table, view and column analysts see means: the words Datasette shows beside them.

``describe_column`` answers for any column of the schema: a table's own
entry first, then the meaning the name has everywhere (``recorded_at``,
``low``...), and for ``conflict_pairs`` the ``a_``/``b_`` sides. A test
holds every table, view and column of the migrated schema to having one.
"""

from __future__ import annotations

TABLES = {
    "sources": "One article, website or dataset that claims come from (as recorded; never edited).",
    "entities": "Canonical subjects: a person, organisation, deal or event. Claims are grouped by entity.",
    "aliases": "Every way a subject is written, pointing at its entity (merges move aliases).",
    "attributes": "What claims measure (price, troops_deployed...), with the kind of value and how to compare it.",
    "claims": "Claims exactly as stated in their source. Stated fields are never edited; corrections are new rows.",
    "distinct_readings": "Derived: what the parser made of values and times (intervals, currency, EUR base), one row "
                         "per distinct reading; claims point to theirs (claims.reading_id). Recomputed by "
                         "`ledger renormalise`.",
    "readings": "View: the reading of each claim, one row per claim (distinct_readings by claims.reading_id).",
    "conflicts": "View: pairs of active claims from different sources that cannot both be true (or cannot be "
                 "compared), kept current by every write (stored_conflicts, reasons joined from their phrases).",
    "stored_conflicts": "Derived: the pairs the conflicts view shows, each reason as phrase ids (conflict_phrases) "
                        "and its detection time by scan (conflict_scans).",
    "conflict_phrases": "Derived: the phrases conflict reasons are made of (claim labels, gaps), each stored once.",
    "conflict_scans": "Derived: when each conflict scan that wrote pairs ran.",
    "conflict_verdicts": "Analysts' triage of conflicts, append-only; the latest verdict per conflict counts.",
    "corrections": "Retractions and supersessions of claims, with reason and actor.",
    "journal": "Every change, hash-chained (`ledger verify` checks it).",
    "reliability_estimates": "Derived: source reliability kept by `ledger estimate`, valid for one journal head.",
    "passages": "Derived: what full-text search finds: titles, paragraphs of article text, and quotes of sources "
                "without text. Searchable (FTS5 index passages_fts).",
    "claim_facts": "View: one readable row per claim with its source, canonical subject, attribute and reading.",
    "conflict_pairs": "View: detected conflicts with both claims side by side (a_ and b_) and the latest verdict.",
    "passage_search": "View: searchable passages with their source; search box = full-text search "
                      "(every word, case and accents ignored).",
}

#: Meanings a column name has wherever it appears.
COLUMNS = {
    "id": "Row id (stable within this ledger).",
    "recorded_at": "When the row was recorded (UTC).",
    "key": "The source's unique key, as used in claim files (`source:`).",
    "title": "The article's headline.",
    "outlet": "Who published the source (Reuters, France 24...).",
    "author": "The article's author.",
    "url": "Where the source is online.",
    "published": "Publication date, as precise as known: 2021, 2021-09 or 2021-09-17.",
    "published_precision": "day, month or year: how precise `published` is.",
    "language": "Language of the text; decides number separators (5.100 is 5100 in fr/de).",
    "text": "The article's full text.",
    "sha256": "sha256 of the text: the same article twice is one source.",
    "name": "Canonical name.",
    "alias": "A way the subject is written.",
    "alias_key": "The alias normalised for matching (case, accents, dashes and spacing ignored); unique.",
    "entity_id": "The subject entity (entities.id).",
    "kind": "Kind of value: quantity, money, date, text, time or identifier (readings: also unparsed).",
    "description": "What the attribute means.",
    "single_valued": "Can only one value be true at a time? NULL: the default for the kind (true).",
    "timeless": "A fixed fact of its subject whose time is not compared? NULL: the default (true for dates).",
    "tolerance": "How far each reading is widened before comparing: '5%' (quantities, money), '3d' (dates), "
                 "'10min' (times). NULL: none, round figures are exact.",
    "ref": "The claim's unique reference from the claim file (optional).",
    "fingerprint": "sha256 of the claim's stated content: its identity when it has no ref.",
    "source_id": "The source (sources.id).",
    "subject": "The subject as written in the source (views: the canonical entity name).",
    "attribute_id": "The attribute (attributes.id).",
    "attribute": "What is claimed (attribute name).",
    "value": "The value exactly as stated, e.g. 'more than € 1 million'.",
    "when_stated": "The time the claim is about, as stated (empty: as of publication).",
    "quote": "The exact passage of the source the claim comes from.",
    "attributed_to": "Whom the source cites for the claim (Reuters, ACLED...).",
    "status": "active, retracted or superseded (verdicts: open, confirmed or dismissed).",
    "supersedes_id": "The claim this one corrects (claims.id).",
    "claim_id": "The claim (claims.id).",
    "reading_id": "What the parser made of the claim (distinct_readings.id); derived, shared by claims read alike.",
    "parser_version": "Version of the parser that made the reading.",
    "qualifier": "The qualifier read: exact, about, nearly, more than, at least, up to, less than...",
    "low": "Lower end of the value's interval, in the stated unit or currency (a number; empty: no lower bound).",
    "high": "Upper end of the value's interval, in the stated unit or currency (empty: open-ended, e.g. 'more than').",
    "low_open": "1 if the lower end itself is excluded ('more than 1,000').",
    "high_open": "1 if the upper end itself is excluded ('nearly 1,000').",
    "low_date": "For date values: first day the value can mean.",
    "high_date": "For date values: last day the value can mean.",
    "unit": "Unit of a quantity (troops, rifles, percent...).",
    "currency": "ISO currency of a money value, as stated (XOF for CFA francs).",
    "period": "For amounts per period: day, week, month or year ('$10.8 million a month').",
    "text_norm": "For text values: the normalised text compared between claims.",
    "base_currency": "Currency of base_low/base_high: EUR.",
    "base_low": "Money converted to EUR at ECB rates over the claim's days: lower end.",
    "base_high": "Money converted to EUR at ECB rates over the claim's days: upper end.",
    "rate_low": "Lowest conversion rate used (units of the stated currency per EUR).",
    "rate_high": "Highest conversion rate used.",
    "rate_from": "First day of the rates used.",
    "rate_to": "Last day of the rates used.",
    "rate_source": "Where the rates come from (ECB reference rates, fixed peg).",
    "time_low": "First day the claim is about (from when_stated, else the publication date).",
    "time_high": "Last day the claim is about (empty: open-ended).",
    "time_basis": "stated (from when_stated), published (as of publication) or none.",
    "alternatives": "Other readings (JSON), e.g. a parenthetical equivalent in another currency.",
    "notes": "The reading's steps in plain words (JSON).",
    "warning": "Why a value or time could not be read (kept as stated).",
    "read_at": "When the reading was made (UTC).",
    "nature": "conflict, or incomparable (per period vs one-off, money vs count).",
    "claim_a_id": "First claim of the pair (claims.id).",
    "claim_b_id": "Second claim of the pair (claims.id).",
    "reason": "Why: the two values as read and how far apart (or why they cannot be compared).",
    "severity": "0 to 1: the gap between the two intervals relative to their size (0 = they only touch).",
    "detected_at": "When the pair was detected as it stands (UTC); a re-scan finding it unchanged keeps it.",
    "first_label_id": "The reason's first claim label (conflict_phrases.id); empty: the whole reason is the gap.",
    "second_label_id": "The reason's second claim label (conflict_phrases.id).",
    "gap_id": "The reason after its labels: how far apart, or why not comparable (conflict_phrases.id).",
    "scan_id": "The scan that wrote the pair (conflict_scans.id), which holds its detected_at.",
    "phrase": "A claim's label or a gap, as reasons show it.",
    "conflict_id": "The conflict (conflicts.id), stable across rebuilds.",
    "note": "The analyst's note.",
    "actor": "Who made the change (--as, default the OS user).",
    "claim_a": "Identity of the first claim (ref:... or sha256:...), kept for stale verdicts.",
    "claim_b": "Identity of the second claim.",
    "action": "retract or supersede.",
    "new_claim_id": "The superseding claim (claims.id).",
    "seq": "Sequence number of the journal entry.",
    "operation": "What changed (source_added, claims_added, claim_retracted...).",
    "payload": "The change as canonical JSON.",
    "prev_hash": "Hash of the previous entry.",
    "hash": "sha256(prev_hash + canonical JSON of the entry).",
    "judge": "Who is judged: each outlet or each source key.",
    "options": "The method's options (canonical JSON).",
    "journal_seq": "Journal entry the estimate was made at.",
    "journal_hash": "Hash of that entry: the estimate is used only while the journal head is unchanged.",
    "items": "Number of items (subject, attribute, time) estimated over.",
    "estimates": "The estimate (JSON): copy groups, votes, offsets, per-source reports.",
    "estimated_at": "When the estimate was made (UTC).",
    "position": "Paragraph number in the article (title: 0; quotes: empty).",
    "text_start": "Where the paragraph starts in the source's text (character offset).",
    "text_end": "Where the paragraph ends in the source's text.",
    "body": "The passage's text.",
}

#: Where a table or view uses a name in its own sense.
TABLE_COLUMNS = {
    "entities": {"name": "Canonical name of the subject."},
    "attributes": {"name": "Attribute name, e.g. price."},
    "distinct_readings": {"kind": "Kind of the reading: quantity, money, date, text, time, identifier or unparsed.",
                          "read_at": "When the reading was first made (UTC); claims read alike share it."},
    "readings": {"kind": "Kind of the reading: quantity, money, date, text, time, identifier or unparsed."},
    "passages": {"kind": "title, text (a paragraph of the article) or quote (for sources without text)."},
    "conflict_verdicts": {"status": "open, confirmed or dismissed."},
    "claim_facts": {
        "source": "The source's key.", "source_title": "The source's headline.",
        "subject": "Canonical subject (entity name).", "subject_as_written": "The subject as the source wrote it.",
        "kind": "Kind of value the attribute takes.", "reading_kind": "Kind of the reading (unparsed: not read).",
    },
    "conflict_pairs": {
        "id": "Conflict id (stable: derived from the two claims' identities).",
        "subject": "Canonical subject (entity name).",
        "status": "Latest verdict: open, confirmed or dismissed.",
        "note": "The latest verdict's note (a verdict repeated without a note keeps it).",
    },
    "passage_search": {
        "passage_id": "The passage (passages.id).", "passage": "The passage's text (searched).",
        "kind": "title, text (a paragraph of the article) or quote (for sources without text).",
        "source": "The source's key.", "title": "The source's headline.",
        "rank": "Relevance when searching (bm25; lower is better).",
        "document": "The passage as a tsvector (PostgreSQL), GIN-indexed.",
    },
}

_SIDE_ALIASES = {"source": "key", "when": "when_stated"}


def describe_column(table: str, column: str) -> str | None:
    """What ``column`` of ``table`` means, or None if nobody wrote it down."""
    own = TABLE_COLUMNS.get(table, {}).get(column)
    if own is not None:
        return own
    if table == "conflict_pairs" and column[:2] in ("a_", "b_"):
        name = column[2:]
        meaning = COLUMNS.get(_SIDE_ALIASES.get(name, name)) if name != "id" else "The claim (claims.id)."
        return f"Claim {column[0].upper()}: {meaning}" if meaning else None
    return COLUMNS.get(column)
