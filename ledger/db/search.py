"""Full-text search: keeping ``passages`` current, and finding passages with the claims that quote them.

``passages`` and its engine's index come from migration 0008. Every write
that adds sources or claims calls ``index_new`` once, after its claims are
written (``Importer.index_passages``): the new sources' titles and
paragraphs, and the new distinct quotes of sources without text. The index
follows by itself (a trigger into FTS5 on SQLite, a generated ``tsvector``
on PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ledger.core.passages import Term, paragraphs, quote_spans, search_terms
from ledger.db.fastinsert import Rows, rows_in
from ledger.db.models import Attribute, Claim, Entity, Passage, Source

DEFAULT_LIMIT = 20

_NEW_QUOTES = text("""
INSERT INTO passages (source_id, kind, body)
SELECT DISTINCT c.source_id, 'quote', c.quote
FROM claims c JOIN sources s ON s.id = c.source_id
WHERE c.id >= :first AND s.text IS NULL AND c.quote IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.source_id = c.source_id AND p.kind = 'quote' AND p.body = c.quote)
""")

_ANY_QUOTE = text("SELECT 1 FROM passages WHERE kind = 'quote' LIMIT 1")

_SQLITE_SEARCH = """
SELECT p.id, p.source_id, p.kind, p.position, p.text_start, p.text_end, p.body,
       snippet(passages_fts, 0, '[', ']', '…', 24) AS snippet
FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid
WHERE passages_fts MATCH :query
ORDER BY rank, p.id
LIMIT :limit
"""
_POSTGRES_SEARCH = """
SELECT p.id, p.source_id, p.kind, p.position, p.text_start, p.text_end, p.body,
       ts_headline('simple', p.body, q, 'StartSel=[, StopSel=], MaxWords=24, MinWords=8') AS snippet
FROM passages p, to_tsquery('simple', fold_accents(:query)) q
WHERE p.search_vector @@ q
ORDER BY ts_rank(p.search_vector, q) DESC, p.id
LIMIT :limit
"""


def index_new(
    connection: Connection, source_ids: Sequence[int], first_claim_id: int | None,
    new_quotes: Iterable[tuple[int, str]] | None = None,
) -> None:
    """Make searchable what one write added: sources ``source_ids`` and claims from ``first_claim_id`` on.

    ``new_quotes``: when the ledger held no quote passages, the writer's (source id, quote) of those claims, in
    claim order and once each, whose source has no text: the rows ``_NEW_QUOTES`` would find, in its order.
    """
    if source_ids:
        rows = []
        query = select(Source.id, Source.title, Source.text)
        for source_id, title, article in rows_in(connection, query, Source.id, list(source_ids)):
            rows.append(dict(source_id=source_id, kind="title", position=0, text_start=None, text_end=None, body=title))
            rows += [
                dict(source_id=source_id, kind="text", position=p.position, text_start=p.start, text_end=p.end,
                     body=p.body)
                for p in paragraphs(article or "")
            ]
        connection.execute(insert(Passage.__table__), rows)
    if first_claim_id is None:
        return
    if new_quotes is not None and connection.execute(_ANY_QUOTE).first() is None:
        _insert_quotes(connection, list(new_quotes))
    else:
        connection.execute(_NEW_QUOTES, {"first": first_claim_id})


def _insert_quotes(connection: Connection, quotes: list[tuple[int, str]]) -> None:
    """Quote passages (source id, quote), in order, added in one statement, as ``_NEW_QUOTES`` adds them.

    On SQLite through a temporary table: FTS5 writes its pending terms into the index at statement
    boundaries, so rows added one statement each would leave the index in other (equivalent) bytes.
    """
    if not quotes:
        return
    if connection.dialect.name != "sqlite":
        Rows(connection, Passage.__table__, columns=("source_id", "kind", "body")).execute(
            [(source_id, "quote", quote) for source_id, quote in quotes]
        )
        return
    connection.exec_driver_sql("CREATE TEMP TABLE new_quotes (source_id INTEGER NOT NULL, body TEXT NOT NULL)")
    connection.exec_driver_sql("INSERT INTO temp.new_quotes (source_id, body) VALUES (?, ?)", quotes)
    connection.exec_driver_sql(
        "INSERT INTO passages (source_id, kind, body) SELECT source_id, 'quote', body FROM temp.new_quotes ORDER BY rowid"
    )
    connection.exec_driver_sql("DROP TABLE temp.new_quotes")


def search(session: Session, query: str, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """Passages matching every term of ``query``, best first, each with its source and the claims quoting it.

    A row: ``passage_id, source, title, outlet, published, kind`` (title,
    text or quote), ``position`` (paragraph number), ``snippet`` (the match in
    [brackets]), ``passage`` (the whole passage) and ``claims`` (id, ref,
    subject, attribute, value, status of each claim whose quote lies in it).
    A query with no words finds nothing.
    """
    terms = search_terms(query)
    if not terms:
        return []
    postgres = session.get_bind().dialect.name == "postgresql"
    statement = text(_POSTGRES_SEARCH if postgres else _SQLITE_SEARCH)
    found = session.execute(
        statement, {"query": _tsquery(terms) if postgres else _fts5_query(terms), "limit": limit}
    ).mappings().all()
    sources = {
        row.id: row for row in session.execute(
            select(Source.id, Source.key, Source.title, Source.outlet, Source.published, Source.text)
            .where(Source.id.in_({row["source_id"] for row in found}))
        )
    }
    quoting = _claims_quoting(session, found, sources)
    return [
        dict(
            passage_id=row["id"], source=sources[row["source_id"]].key, title=sources[row["source_id"]].title,
            outlet=sources[row["source_id"]].outlet, published=sources[row["source_id"]].published,
            kind=row["kind"], position=row["position"], snippet=row["snippet"], passage=row["body"],
            claims=quoting[row["id"]],
        )
        for row in found
    ]


def _fts5_query(terms: list[Term]) -> str:
    """FTS5 syntax: each term a quoted phrase (words only, so nothing needs escaping), all required."""
    return " ".join(f'"{" ".join(term.words)}"' + ("*" if term.prefix else "") for term in terms)


def _tsquery(terms: list[Term]) -> str:
    """PostgreSQL ``to_tsquery`` syntax: phrases with ``<->``, prefixes with ``:*``, all required (``&``)."""
    return " & ".join(" <-> ".join(term.words) + (":*" if term.prefix else "") for term in terms)


def _claims_quoting(session: Session, passages: Sequence, sources: dict) -> dict[int, list[dict]]:
    """For each passage, the claims whose quote lies in it (a paragraph's span, or the quote itself)."""
    quoting: dict[int, list[dict]] = defaultdict(list)
    by_source: dict[int, list] = defaultdict(list)
    for passage in passages:
        by_source[passage["source_id"]].append(passage)
    for source_id, found in by_source.items():
        texts = [p for p in found if p["kind"] == "text"]
        quotes = {p["body"]: p["id"] for p in found if p["kind"] == "quote"}
        condition = Claim.quote.in_(list(quotes)) if not texts else Claim.quote.is_not(None)
        if not texts and not quotes:
            continue
        claims = claim_rows(session, Claim.source_id == source_id, condition)
        article = sources[source_id].text
        spans = quote_spans([c["quote"] for c in claims], article) if texts and article else [None] * len(claims)
        for claim, span in zip(claims, spans):
            if claim["quote"] in quotes:
                quoting[quotes[claim["quote"]]].append(claim)
            for passage in texts:
                if span and span[0] < passage["text_end"] and passage["text_start"] < span[1]:
                    quoting[passage["id"]].append(claim)
    return quoting


CLAIM_KEYS = ("id", "ref", "subject", "attribute", "value", "status")


def claim_rows(session: Session, *conditions) -> list[dict]:
    """Claims (``CLAIM_KEYS`` and ``quote``) meeting ``conditions``, in id order."""
    query = (
        select(Claim.id, Claim.ref, Entity.name.label("subject"), Attribute.name.label("attribute"), Claim.value,
               Claim.status, Claim.quote)
        .join(Entity, Entity.id == Claim.entity_id)
        .join(Attribute, Attribute.id == Claim.attribute_id)
        .where(*conditions)
        .order_by(Claim.id)
    )
    return [dict(row) for row in session.execute(query).mappings()]
