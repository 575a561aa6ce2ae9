"""``ledger verify``: recompute the journal's hash chain and prove the tables agree with it.

The journal is replayed into the state it says the tables must be in
(``Expected``): sources, entity names, aliases and the entity each points to,
attribute definitions and rules, claim batches, statuses, corrections and
verdicts, with the actor of each decision. Each table is then compared with it
by one function (``_check_*``), naming every row that differs. Which entity a
claim belongs to is not journalled per claim but follows from journalled
facts: the entity its subject's alias points to.

Memory and time stay bounded by the journal's and the tables' sizes, never by
numbers a payload states: claim id runs are kept as runs, never expanded.

Readings and conflicts are derived; ``deep=True`` recomputes them
(``ledger.db.verify_derived``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.records import name_key
from ledger.db.journal import CLAIM_FIELDS, GENESIS, SOURCE_FIELDS, claim_digest, entry_hash, source_digest
from ledger.db.models import Alias, Attribute, Claim, Correction, Entity, JournalEntry, Source, Verdict
from ledger.db.verify_report import VerifyReport, guarded

STREAM_ROWS = 2_000  # rows fetched at a time: memory stays flat however many claims are checked
SHOWN_IDS = 5  # ids named in one problem before the rest are counted
#: What reading a raw-SQL-edited value may raise (a date that is no date, text that is not UTF-8).
@dataclass
class _Batch:
    """One ``claims_added`` entry: its runs, its digest, and what the table holds of it."""

    seq: int
    digest: str
    count: int | None
    runs: list[list[int]] = field(default_factory=list)  # [first, last] as journalled
    hasher: object = field(default_factory=hashlib.sha256)
    missing: list[list[int]] = field(default_factory=list)  # id runs the table lacks
    forged: bool = False  # its runs overlap another entry's: its claims cannot be attributed

    @property
    def total(self) -> int:
        return sum(last - first + 1 for first, last in self.runs)


@dataclass
class Expected:
    """The state the journal says the tables must be in (decisions carry their actor)."""

    sources: dict[int, str] = field(default_factory=dict)
    entities: dict[int, str] = field(default_factory=dict)
    aliases: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (alias, entity id)
    attributes: dict[int, dict] = field(default_factory=dict)  # id -> journalled columns
    runs: list[tuple[int, int, _Batch]] = field(default_factory=list)
    status: dict[int, str] = field(default_factory=dict)  # claims that are no longer active
    corrections: dict[int, list[dict]] = field(default_factory=dict)  # claim id -> its corrections
    verdicts: dict[int, dict] = field(default_factory=dict)


def verify(session: Session, expect_head: str | None = None, deep: bool = False) -> VerifyReport:
    """Check the chain, then every table against what the journal says; ``deep`` also recomputes derived tables."""
    report = VerifyReport(deep=deep)
    expected = _replay(session, report, expect_head)
    for table, check in CHECKS:
        guarded(report, table, check, session, expected, report)
    if deep:
        from ledger.db.verify_derived import check_derived

        check_derived(session, report)
    return report


# -- the journal ---------------------------------------------------------------

def _replay(session: Session, report: VerifyReport, expect_head: str | None) -> Expected:
    expected = Expected()
    prev = GENESIS
    chain_ok = True
    head_found = False
    query = select(JournalEntry).order_by(JournalEntry.seq).execution_options(yield_per=STREAM_ROWS)
    for entry in session.execute(query).scalars():
        report.entries += 1
        if chain_ok:
            problem = _check_link(entry, report.head_seq, prev)
            if problem:
                report.problems.append(problem)
                chain_ok = False
        prev = entry.hash
        report.head_seq, report.head_hash = entry.seq, entry.hash
        head_found = head_found or entry.hash == expect_head
        try:
            _apply(expected, entry, json.loads(entry.payload))
        except (ValueError, KeyError, TypeError, AttributeError):
            report.problems.append(f"journal entry {entry.seq}: payload is not what {entry.operation!r} records")
    session.expunge_all()  # journal entries are not needed again; keep the identity map small
    if expect_head is not None and not head_found:
        report.problems.append(
            f"expected head {expect_head[:16]}… is not in the journal: entries were removed or rewritten "
            f"(current head is entry {report.head_seq})"
        )
    _order_runs(expected, report)
    return expected


def _check_link(entry: JournalEntry, previous_seq: int, prev_hash: str) -> str | None:
    if entry.seq != previous_seq + 1:
        return f"journal entry {previous_seq + 1} is missing (the sequence jumps from {previous_seq} to {entry.seq})"
    if entry.prev_hash != prev_hash:
        return f"journal entry {entry.seq}: does not chain to entry {previous_seq} (an entry was removed or replaced)"
    if entry.hash != entry_hash(entry.prev_hash, entry.seq, entry.recorded_at, entry.actor, entry.operation, entry.payload):
        return f"journal entry {entry.seq}: its hash does not match its content (the entry was edited)"
    return None


def _apply(expected: Expected, entry: JournalEntry, payload: dict) -> None:
    """Bring ``expected`` up to date with one entry; raise on a payload its operation never writes."""
    operation, seq, actor = entry.operation, entry.seq, entry.actor
    if operation == "source_added":
        expected.sources[_id(payload["id"])] = payload["digest"]
    elif operation == "attribute_added":
        expected.attributes[_id(payload["id"])] = _columns(Attribute, payload)
    elif operation == "attribute_rules_set":
        expected.attributes[_id(payload["id"])].update(_columns(Attribute, payload))
    elif operation == "names_added":
        for entity_id, name in payload["entities"]:
            expected.entities[_id(entity_id)] = name
        for key, alias, entity_id in payload["aliases"]:
            expected.aliases[key] = (alias, _id(entity_id))
    elif operation == "entities_merged":
        merged, into = _id(payload["merged"]), _id(payload["into"])
        expected.entities.pop(merged)
        expected.aliases.update({k: (a, into) for k, (a, e) in expected.aliases.items() if e == merged})
    elif operation == "claims_added":
        batch = _Batch(seq, payload["digest"], payload.get("count"))
        for first, last in payload["ids"]:
            if not (_id(first) <= _id(last)):
                raise ValueError("an id run ends before it starts")
            batch.runs.append([first, last])
            expected.runs.append((first, last, batch))
    elif operation in ("claim_retracted", "claim_superseded"):
        claim_id = _id(payload["claim_id"])
        action = "retract" if operation == "claim_retracted" else "supersede"
        expected.status[claim_id] = "retracted" if action == "retract" else "superseded"
        correction = {"action": action, "actor": actor, **_columns(Correction, payload)}
        correction.setdefault("new_claim_id", None)
        expected.corrections.setdefault(claim_id, []).append(correction)
    elif operation == "verdict_recorded":
        expected.verdicts[_id(payload["id"])] = {"actor": actor, **_columns(Verdict, payload)}


def _id(value) -> int:
    if type(value) is not int or value < 1:
        raise ValueError(f"{value!r} is not a row id")
    return value


def _columns(model, payload: dict) -> dict:
    """The payload's fields that are columns of ``model`` (an older entry may have fewer: it is checked for those)."""
    columns = model.__table__.columns
    return {name: value for name, value in payload.items() if name in columns and name != "id"}


def _order_runs(expected: Expected, report: VerifyReport) -> None:
    """Sort claim id runs; runs of two entries that overlap are a forged payload (neither batch is compared)."""
    expected.runs.sort(key=lambda run: run[0])
    reach, widest = 0, None  # the highest id a run so far covers, and its batch
    for first, last, batch in expected.runs:
        if first <= reach and batch is not widest:
            report.problems.append(
                f"journal entries {widest.seq} and {batch.seq} both record claim {first}: a payload was forged"
            )
            widest.forged = batch.forged = True
        if last > reach:
            reach, widest = last, batch


# -- the tables ----------------------------------------------------------------

def _check_sources(session: Session, expected: Expected, report: VerifyReport) -> None:
    seen = set()
    columns = [getattr(Source, name) for name in (*SOURCE_FIELDS, "text")]
    for source in session.execute(select(*columns).order_by(Source.id).execution_options(yield_per=500)):
        seen.add(source.id)
        digest = expected.sources.get(source.id)
        if digest is None:
            report.problems.append(f"source {source.id} ({source.key}) was inserted outside the ledger (no journal entry)")
        elif digest != source_digest(source):
            report.problems.append(f"source {source.id} ({source.key}) was edited after it was recorded")
    for missing in sorted(set(expected.sources) - seen):
        report.problems.append(f"source {missing} was deleted")


def _check_entities(session: Session, expected: Expected, report: VerifyReport) -> None:
    found = {row.id: row for row in session.execute(select(Entity.id, Entity.name))}
    wanted = {entity_id: {"name": name} for entity_id, name in expected.entities.items()}
    _compare_by_id(found, wanted, "entity", "name", report)


def _check_aliases(session: Session, expected: Expected, report: VerifyReport) -> None:
    found = {key: (alias, entity_id) for key, alias, entity_id in
             session.execute(select(Alias.alias_key, Alias.alias, Alias.entity_id))}
    for key in sorted(set(found) | set(expected.aliases)):
        have, want = found.get(key), expected.aliases.get(key)
        if want is None:
            problem = f"alias {have[0]!r} (of entity {have[1]}) was inserted outside the ledger"
        elif have is None:
            problem = f"alias {want[0]!r} (of entity {want[1]}) was deleted"
        elif have[0] != want[0]:
            problem = f"alias {key!r} is written {have[0]!r}; the journal says {want[0]!r}"
        elif have[1] != want[1]:
            problem = f"alias {have[0]!r} points to entity {have[1]}; the journal says entity {want[1]}"
        else:
            continue
        report.problems.append(f"aliases differ from the journal: {problem}")


def _check_attributes(session: Session, expected: Expected, report: VerifyReport) -> None:
    found = {a.id: a for a in session.execute(select(Attribute)).scalars()}
    _compare_by_id(found, expected.attributes, "attribute", "name", report)


def _check_claims(session: Session, expected: Expected, report: VerifyReport) -> None:
    """Stream claims in id order beside the journal's sorted id runs: digests, statuses and entities."""
    columns = [getattr(Claim, name) for name in CLAIM_FIELDS] + [Claim.status, Claim.entity_id]
    query = select(*columns).order_by(Claim.id).execution_options(yield_per=STREAM_ROWS)
    runs = expected.runs
    index, next_id = 0, runs[0][0] if runs else 0
    outside: list[list[int]] = []
    entity_of = _subject_entities(expected)
    for row in session.execute(query):
        claim_id = row.id
        while index < len(runs) and runs[index][1] < claim_id:
            _missing(runs[index], max(next_id, runs[index][0]), runs[index][1])
            index += 1
            next_id = runs[index][0] if index < len(runs) else 0
        if index < len(runs) and runs[index][0] <= claim_id:
            first, _, batch = runs[index]
            if claim_id > max(next_id, first):
                _missing(runs[index], max(next_id, first), claim_id - 1)
            next_id = claim_id + 1
            batch.hasher.update(claim_digest(row).encode())
            _check_status(row, expected.status.get(claim_id, "active"), report)
        else:
            _add_to_runs(outside, claim_id)
        _check_entity(row, entity_of(row.subject), report)
    for run in runs[index:]:
        _missing(run, max(next_id, run[0]), run[1])
        next_id = 0
    if outside:
        report.problems.append(f"claims {_runs_text(outside)} were inserted outside the ledger (no journal entry)")
    _check_batches(session, runs, report)


def _subject_entities(expected: Expected):
    """Subject as written -> the entity the journal's alias for it points to (None: no such alias)."""

    @lru_cache(maxsize=65_536)
    def entity_of(subject: str) -> int | None:
        alias = expected.aliases.get(name_key(subject))
        return alias[1] if alias else None

    return entity_of


def _missing(run: tuple[int, int, _Batch], first: int, last: int) -> None:
    if first <= last:
        run[2].missing.append([first, last])


def _check_status(row, want: str, report: VerifyReport) -> None:
    if row.status != want:
        report.problems.append(f"claim {row.id} has status {row.status!r}; the journal says {want!r}")


def _check_entity(row, want: int | None, report: VerifyReport) -> None:
    if want is None:
        report.problems.append(f"claim {row.id}: no journalled alias names its subject {row.subject!r}")
    elif row.entity_id != want:
        report.problems.append(
            f"claim {row.id} belongs to entity {row.entity_id}; the journal resolves its subject "
            f"{row.subject!r} to entity {want}"
        )


def _check_batches(session: Session, runs: list, report: VerifyReport) -> None:
    batches = list({id(batch): batch for _, _, batch in runs}.values())
    for batch in sorted(batches, key=lambda b: b.seq):
        if batch.forged:
            continue
        if batch.missing:
            report.problems.append(f"claims {_runs_text(batch.missing)} of journal entry {batch.seq} were deleted")
        elif batch.count is not None and batch.count != batch.total:
            report.problems.append(f"journal entry {batch.seq}: its count does not match its id runs (a forged payload)")
        elif batch.hasher.hexdigest() != batch.digest:
            report.problems.append(
                f"{_edited_claims(session, batch.runs)} (journal entry {batch.seq}) was edited after it was recorded"
            )


def _edited_claims(session: Session, runs: list[list[int]]) -> str:
    """The claims of a batch whose fingerprint no longer matches what they state, or the batch's ids."""
    from ledger.core.digests import stated_fingerprint

    edited = []
    for first, last in runs:
        query = (
            select(Claim.id, Claim.fingerprint, Source.key, Claim.subject, Attribute.name, Claim.value,
                   Claim.when_stated, Claim.quote)
            .join(Source, Source.id == Claim.source_id).join(Attribute, Attribute.id == Claim.attribute_id)
            .where(Claim.id.between(first, last)).execution_options(yield_per=STREAM_ROWS)
        )
        edited += [row.id for row in session.execute(query) if row.fingerprint != stated_fingerprint(*row[2:])]
    if edited:
        return f"claim {_runs_text(_as_runs(edited))}"
    return f"a claim among {_runs_text(runs)}"


def _check_corrections(session: Session, expected: Expected, report: VerifyReport) -> None:
    found: dict[int, list[Correction]] = {}
    for correction in session.execute(select(Correction).order_by(Correction.id)).scalars():
        found.setdefault(correction.claim_id, []).append(correction)
    for claim_id in sorted(set(found) | set(expected.corrections)):
        rows, wants = found.get(claim_id, []), expected.corrections.get(claim_id, [])
        for row, want in zip(rows, wants):
            if changed := _differences(row, want):
                report.problems.append(f"correction {row.id} ({row.action} claim {claim_id}) was edited: {changed}")
        for row in rows[len(wants):]:
            report.problems.append(f"correction {row.id} ({row.action} claim {claim_id}) was inserted outside the ledger")
        for want in wants[len(rows):]:
            report.problems.append(f"the {want['action']} of claim {claim_id} was deleted from corrections")


def _check_verdicts(session: Session, expected: Expected, report: VerifyReport) -> None:
    found = {v.id: v for v in session.execute(select(Verdict)).scalars()}
    _compare_by_id(found, expected.verdicts, "conflict verdict", "conflict_id", report)


def _compare_by_id(found: dict, wanted: dict, what: str, label: str, report: VerifyReport) -> None:
    """Rows by id against the journalled fields of each: inserted, deleted or edited rows, each named."""
    for row_id in sorted(set(found) | set(wanted)):
        row, want = found.get(row_id), wanted.get(row_id)
        name = f"{what} {row_id} ({getattr(row, label) if row is not None else want.get(label)!r})"
        if want is None:
            report.problems.append(f"{name} was inserted outside the ledger (no journal entry)")
        elif row is None:
            report.problems.append(f"{name} was deleted")
        elif changed := _differences(row, want):
            report.problems.append(f"{name} was edited: {changed}")


def _differences(row, want: dict) -> str:
    """The journalled fields ``row`` no longer holds, as "name 'now' (journal: 'then')"."""
    return ", ".join(
        f"{name} {getattr(row, name)!r} (journal: {value!r})"
        for name, value in want.items() if getattr(row, name) != value
    )


# -- id runs as text ---------------------------------------------------------------

def _add_to_runs(runs: list[list[int]], claim_id: int) -> None:
    if runs and runs[-1][1] == claim_id - 1:
        runs[-1][1] = claim_id
    else:
        runs.append([claim_id, claim_id])


def _as_runs(ids: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for claim_id in sorted(ids):
        _add_to_runs(runs, claim_id)
    return runs


def _runs_text(runs: list[list[int]]) -> str:
    """Id runs as "3", "3, 5", "7–9 (3)"; at most ``SHOWN_IDS`` runs named, the rest counted."""
    total = sum(last - first + 1 for first, last in runs)
    shown = [str(first) if first == last else f"{first}–{last}" for first, last in runs[:SHOWN_IDS]]
    text = ", ".join(shown)
    if len(runs) > SHOWN_IDS:
        text += ", …"
    return text if total == len(shown) and len(runs) <= SHOWN_IDS else f"{text} ({total:,})"


CHECKS = (
    ("sources", _check_sources), ("entities", _check_entities), ("aliases", _check_aliases),
    ("attributes", _check_attributes), ("claims", _check_claims), ("corrections", _check_corrections),
    ("conflict_verdicts", _check_verdicts),
)
