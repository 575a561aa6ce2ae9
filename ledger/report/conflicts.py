"""Conflict pairs for people (grouped tables, one conflict in full) and for scripts (JSON, flat CSV)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import TextIO

from ledger.core.listing_order import growing_batches
from ledger.core.safe_text import escaped
from ledger.report.encode import json_elements, plain, show, to_json

PAIR_FIELDS = ("id", "subject", "attribute", "severity", "status", "reason", "nature", "note", "stale")
CLAIM_FIELDS = ("id", "ref", "source", "outlet", "published", "value", "when", "low", "high", "unit", "currency",
                "period", "time_basis", "support", "origins", "attributed_to", "status", "quote")
CSV_COLUMNS = (*PAIR_FIELDS, *(f"{side}_{key}" for side in "ab" for key in CLAIM_FIELDS))
WRITTEN_AT_ONCE = 1_000  # most pairs written (and encoded) in one call
TABLE_HEADERS = ["claim", "source", "value", "when", "low", "high", "attributed to", "support/origins"]


def render(rows: list[dict], fmt: str) -> str:
    """A list of conflict pairs (``list_conflicts`` rows) in ``fmt``."""
    if fmt == "json":
        return to_json(rows)
    if fmt == "csv":
        from ledger.report.rows import rows_text  # here, with tabulate: a streamed listing needs neither

        return rows_text([flat(row) for row in rows], CSV_COLUMNS, "csv")
    return table(rows)


def write(rows: Iterable[dict], fmt: str, out: TextIO) -> None:
    """Conflict pairs in ``fmt`` written to ``out`` as they come: the bytes of ``render`` plus a newline.

    JSON and CSV are written in batches of pairs (1, 2, 4 … up to 1,000), so
    the first pair shows before the last is read and memory stays flat; a table
    needs them all at once. A claim's CSV text is made once for a claim dict
    shown by several pairs, as ``stream_conflicts`` gives them.
    """
    if fmt == "json":
        opening = "[\n  "
        # Elements of an indented array: each batch's, joined at the array's margin.
        for batch in growing_batches(rows, 1, WRITTEN_AT_ONCE):
            out.write(opening + json_elements(batch))
            opening = ",\n  "
        out.write("[]\n" if opening.startswith("[") else "\n]\n")
    elif fmt == "csv":
        line = csv.writer(_Echo(), lineterminator="\n").writerow  # a row's text: fields quoted as ``rows_text`` does
        claim_text = _Reused(lambda claim: "," + line(_cells(claim))[:-1])  # a claim's cells after the pair's
        pair_text = _PairText(line)
        no_claim = "," * len(CLAIM_FIELDS)
        out.write(line(CSV_COLUMNS))
        for batch in growing_batches(rows, 1, WRITTEN_AT_ONCE):
            out.write("".join([
                pair_text(row)
                + (claim_text(claims[0]) + claim_text(claims[1]) if len(claims := row["claims"]) == 2
                   else "".join([claim_text(claim) for claim in claims[:2]]) + no_claim * (2 - len(claims))) + "\n"
                for row in batch
            ]))
    else:
        out.write(table(list(rows)) + "\n")


class _Echo:
    """Where a CSV writer writes: ``writerow`` then returns the text of the row."""

    def write(self, text: str) -> str:
        return text


def _cells(claim: dict) -> list:
    """One side's CSV cells (``flat``): support as a count."""
    values = list(map(claim.get, CLAIM_FIELDS))
    values[_SUPPORT] = len(values[_SUPPORT])
    return _plain_all(values)


_SUPPORT = CLAIM_FIELDS.index("support")


class _PairText:
    """A pair's own CSV cells as text (``flat``): its id, then the rest, made by the csv writer once while it repeats.

    After its id, a pair's cells are (subject, attribute, severity, status,
    reason, nature, note, stale), which the pairs of a group mostly share (all
    of them, in bulk data whose claims of a group differ alike): the writer
    (~2 µs a row) makes that text once; an id is its own text unless it holds
    a character that may be quoted. Pairs of other types go through the writer.
    """

    def __init__(self, line):
        self.line, self.cells = line, _PairCells()
        self.rests: dict[tuple, str] = {}  # (subject, attribute, severity, status, reason, nature, note, stale) -> text

    def __call__(self, row: dict) -> str:
        conflict_id, severity, note, stale = row["id"], row["severity"], row["note"], row["stale"]
        rest = row["subject"], row["attribute"], severity, row["status"], row["reason"], row["nature"], note, stale
        if not (type(conflict_id) is type(rest[0]) is type(rest[1]) is type(rest[3]) is type(rest[4]) is type(rest[5])
                is str and type(severity) is float and (note is None or type(note) is str) and type(stale) is bool):
            return self.line(self.cells(row))[:-1]
        text = self.rests.get(rest)
        if text is None:
            if len(self.rests) >= _KEPT:
                self.rests.clear()
            text = self.rests[rest] = self.line(_plain_all([*rest[:2], plain(severity), *rest[3:]]))[:-1]
        if _MAY_QUOTE.search(conflict_id):
            return f"{self.line([conflict_id])[:-1]},{text}"  # never empty: alone, an empty cell is written ""
        return f"{conflict_id},{text}"


_MAY_QUOTE = re.compile('[,"\r\n]')  # what makes the writer quote a cell (a comma, a quote, a line end), and "\r"
_KEPT = 10_000  # texts kept at a time


class _PairCells:
    """A pair's own CSV cells (``flat``), its severity's text made once per severity (pairs come in runs of one)."""

    def __init__(self):
        self.severity, self.text = None, None

    def __call__(self, row: dict) -> list:
        values = list(map(row.get, PAIR_FIELDS))
        severity = values[_SEVERITY]
        if type(severity) is float:
            if severity != self.severity:  # NaN too: never equal, made each time
                self.severity, self.text = severity, plain(severity)
            values[_SEVERITY] = self.text
        return _plain_all(values)


_SEVERITY = PAIR_FIELDS.index("severity")


def _plain_all(values: list) -> list:
    """The cells of ``plain`` for ``values``, as the csv writer is to write them.

    Values of the types in ``_AS_WRITTEN`` are left to the writer, which writes
    them as ``plain`` does (text as is, None empty, ints and bools by ``str``):
    most rows hold only those, told in one pass in C; elsewhere a call of
    ``plain`` only for the rest (floats, dates ...), few cells a row.
    """
    if _AS_WRITTEN.issuperset(map(type, values)):
        return values
    return [value if type(value) in _AS_WRITTEN else plain(value) for value in values]


_AS_WRITTEN = frozenset({str, int, bool, type(None)})


class _Reused:
    """What ``make`` makes of a dict, made once per dict object while kept (at most ``keep`` at a time).

    Keyed by ``id``: each kept entry holds its dict, so no other object can
    take that id meanwhile. The dicts must not change while listed.
    """

    def __init__(self, make, keep: int = 10_000):
        self.make, self.keep = make, keep
        self.made: dict[int, tuple[dict, object]] = {}

    def __call__(self, value: dict):
        made = self.made.get(id(value))
        if made is None:
            if len(self.made) >= self.keep:
                self.made.clear()
            made = self.made[id(value)] = (value, self.make(value))
        return made[1]


def flat(row: dict) -> dict:
    """One conflict as one CSV row: every JSON field of the pair, then each side's as ``a_…`` and ``b_…``.

    ``support`` (the ids of agreeing claims in JSON) is their count here.
    """
    result = {key: row.get(key) for key in PAIR_FIELDS}
    for side, claim in zip("ab", row["claims"]):
        for key in CLAIM_FIELDS:
            result[f"{side}_{key}"] = claim.get(key)
        result[f"{side}_support"] = len(claim["support"])
    return result


def table(rows: list[dict]) -> str:
    """Conflicts under a heading per subject/attribute, each pair as a small table; stale verdicts in one line."""
    if not rows:
        return "No conflicts."
    from tabulate import tabulate  # here: a streamed JSON or CSV listing starts without it

    lines: list[str] = []
    current = None
    for row in rows:
        if row["stale"]:
            lines += ["", f"[stale] {row['id']} {row['status']}: {row['reason']}"]
            continue
        if (row["subject"], row["attribute"]) != current:
            current = (row["subject"], row["attribute"])
            lines += ["", f"== {row['subject']} / {row['attribute']}"]
        lines.append(f"{row['id']}  severity {row['severity']:.3f}  [{row['status']}]  {row['reason']}")
        claims = [
            [c["id"], f"{c['outlet'] or c['source']} ({c['published'] or 'undated'})", c["value"],
             c["when"] or ("(as of publication)" if c["time_basis"] == "published" else ""),
             show(c["low"]), show(c["high"]), c["attributed_to"] or "",
             f"{len(c['support'])} / {c['origins']}"]
            for c in row["claims"]
        ]
        lines.append(tabulate(claims, headers=TABLE_HEADERS, tablefmt="simple", disable_numparse=True))
        if row.get("note"):
            lines.append(f"note: {row['note']}")
    return escaped("\n".join(lines))


def detail(row: dict, fmt: str) -> str:
    """One conflict in full (``conflict_detail``): both claims, quotes, sources and how each was read."""
    if fmt == "json":
        return to_json(row)
    lines = [
        f"{row['id']}: {row['subject']} / {row['attribute']} [{row['status']}] severity {row['severity']}",
        row["reason"],
    ]
    for claim in row["claims"]:
        lines += [
            "",
            f"claim {claim['id']} ({claim['ref'] or 'no ref'}) from {claim['outlet'] or claim['source']}, "
            f"published {claim['published'] or 'undated'}",
            f"  value: {claim['value']}   when: {claim['when'] or '(not stated)'}   "
            f"read as: {show(claim['low'])} to {show(claim['high'])}",
            f"  quote: \u201c{claim['quote'] or ''}\u201d",
        ]
        if claim["attributed_to"]:
            lines.append(f"  attributed to: {claim['attributed_to']}")
        lines.append(f"  support: {len(claim['support'])} claims from other sources, {claim['origins']} independent origins")
        lines += [f"  - {step}" for step in claim["steps"]]
    return escaped("\n".join(lines))
