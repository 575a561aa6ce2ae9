"""Serving a SQLite ledger read-only through Datasette: descriptions, facets and canned queries.

The metadata is generated from the database's own schema: every table, view
and column it holds gets the description ``ledger.db.descriptions`` gives
it; the index tables analysts never query (alembic's, FTS5's shadow tables)
are hidden. Datasette opens the file with ``mode=ro`` and no canned query
writes, so browsing never changes the ledger.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ledger.core.errors import LedgerError
from ledger.db.descriptions import TABLES, describe_column

HOST = "127.0.0.1"  # never another interface: the ledger may hold unpublished material
HIDDEN = ("alembic_version", "passages_fts")  # and passages_fts_* (FTS5's shadow tables)
FACETS = {
    "claim_facts": ["attribute", "outlet", "status"],
    "conflict_pairs": ["attribute", "status"],
    "claims": ["attribute_id", "status"],
    "sources": ["outlet"],
}

# Each canned query: (title, description, SQL). Named parameters become form fields.
CANNED = {
    "open_conflicts": (
        "Open conflicts by severity",
        "Conflicts no one has confirmed or dismissed, most severe first.",
        """select id, subject, attribute, severity, reason, a_source, a_value, a_when, b_source, b_value, b_when
from conflict_pairs where status = 'open' order by severity desc, subject, attribute, id""",
    ),
    "subject_claims": (
        "Claims of a subject, with quotes",
        "Every claim of the subjects any of whose names (canonical, or as some source wrote it) contains the text given.",
        """select claim_id, ref, status, subject, subject_as_written, attribute, value, when_stated, low, high,
       currency, period, quote, attributed_to, source, outlet, published
from claim_facts
where claim_id in (select c.id from claims c where c.entity_id in (
  select a.entity_id from aliases a where a.alias like '%' || :subject || '%'))
order by subject, attribute, published, claim_id""",
    ),
    "claim_history": (
        "A claim's history",
        "Every version of a claim (by ref or id), its corrections and the verdicts on its conflicts.",
        """with recursive target(id) as (
  select id from claims where ref = :claim or id = cast(:claim as integer)
), earlier(id) as (
  select id from target
  union select c.supersedes_id from claims c join earlier e on c.id = e.id where c.supersedes_id is not null
), later(id) as (
  select id from target union select c.id from claims c join later l on c.supersedes_id = l.id
), versions as (
  select c.* from claims c where c.id in (select id from earlier union select id from later)
), identities(identity) as (
  select case when ref is not null then 'ref:' || ref else 'sha256:' || fingerprint end from versions
)
select 'version' as event, recorded_at, id as claim_id, value, when_stated, quote, status as detail,
       null as actor from versions
union all
select 'correction: ' || k.action, k.recorded_at, k.claim_id, null, null, null, k.reason, k.actor
from corrections k where k.claim_id in (select id from versions)
union all
select 'verdict: ' || v.status, v.recorded_at, null, null, null, null,
       v.conflict_id || coalesce(': ' || v.note, ''), v.actor
from conflict_verdicts v
where v.claim_a in (select identity from identities) or v.claim_b in (select identity from identities)
order by recorded_at, event""",
    ),
    "source_conflicts": (
        "Conflicts a source is in",
        "Conflicts where either claim comes from the source (key or outlet) given.",
        """select id, subject, attribute, severity, status, reason, a_source, a_value, b_source, b_value
from conflict_pairs
where a_source = :source or b_source = :source or a_outlet = :source or b_outlet = :source
order by severity desc, id""",
    ),
    "unread_values": (
        "Unread values",
        "Claims whose value or time the parser could not read: kept as stated, left out of conflicts.",
        """select claim_id, ref, source, subject, attribute, value, when_stated, reading_kind, warning
from claim_facts where reading_kind = 'unparsed' or warning is not null order by claim_id""",
    ),
    "stale_verdicts": (
        "Stale verdicts",
        "Latest verdicts whose conflict no longer stands (a claim was retracted, superseded or re-read).",
        """select v.conflict_id, v.status, v.note, v.actor, v.recorded_at, v.claim_a, v.claim_b
from conflict_verdicts v
where v.id = (select max(w.id) from conflict_verdicts w where w.conflict_id = v.conflict_id)
  and not exists (select 1 from conflicts k where k.id = v.conflict_id)
order by v.recorded_at""",
    ),
    "claims_between": (
        "Claims between two dates",
        "Active claims about any time between start and end (YYYY-MM-DD), or whose date value falls "
        "between them; by the earliest day they name.",
        """select claim_id, subject, attribute, value, when_stated, low_date, high_date, time_low, time_high,
       time_basis, source, outlet
from claim_facts
where status = 'active' and (
  (time_low <= :end and (time_high is null or time_high >= :start))
  or (low_date <= :end and (high_date is null or high_date >= :start)))
order by coalesce(low_date, time_low), subject, attribute, claim_id""",
    ),
}


def sqlite_file(ledger) -> Path:
    """The file of a SQLite ``Ledger``; LedgerError for other engines, which Datasette cannot open."""
    from ledger.db.engine import sqlite_path

    path = sqlite_path(ledger.url)
    if path is None:
        raise LedgerError(
            "`ledger browse` serves SQLite files; copy this ledger first (`ledger copy --to ledger.db`), "
            "or point a BI tool at the server with a read-only role"
        )
    return path


def database_name(path: Path) -> str:
    """The name Datasette gives a database file (its URL path)."""
    return path.stem


def metadata(path: Path) -> dict:
    """Datasette metadata for the ledger at ``path``, generated from its schema."""
    tables: dict[str, dict] = {}
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
        objects = connection.execute(
            "select name, type from sqlite_master where type in ('table', 'view') order by name"
        ).fetchall()
        for name, kind in objects:
            if name.startswith(HIDDEN) or name.startswith("sqlite_"):
                tables[name] = {"hidden": True}
                continue
            columns = [row[0] for row in connection.execute("select name from pragma_table_info(?)", (name,))]
            tables[name] = {
                "description": TABLES.get(name, ""),
                "columns": {column: describe_column(name, column) or "" for column in columns},
            }
            if name in FACETS:
                tables[name]["facets"] = FACETS[name]
    connection.close()
    tables["passage_search"].update(fts_table="passages_fts", fts_pk="passage_id")
    queries = {
        name: {"title": title, "description": description, "sql": sql}
        for name, (title, description, sql) in CANNED.items()
    }
    return {
        "title": "Claim Ledger",
        "description": "Dated claims from source articles, and where sources disagree. Read-only.",
        "databases": {database_name(path): {"tables": tables, "queries": queries}},
    }


def serve(path: Path, port: int) -> None:
    """Serve the ledger file at ``path`` read-only on 127.0.0.1:``port`` until interrupted.

    Raises LedgerError when Datasette is not installed (the ``browse`` extra).
    """
    try:
        import uvicorn
        from datasette.app import Datasette
    except ImportError:
        raise LedgerError(
            "`ledger browse` needs Datasette: pip install 'claim-ledger[browse]'"
        ) from None
    datasette = Datasette([str(path)], metadata=metadata(path), settings={"sql_time_limit_ms": 5000})
    uvicorn.run(datasette.app(), host=HOST, port=port, log_level="warning")
