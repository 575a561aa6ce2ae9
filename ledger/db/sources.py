"""One source in full: its article, and where each claim's quote sits in it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.core.errors import NotFound
from ledger.core.passages import quote_spans
from ledger.db.models import Claim, Source
from ledger.db.search import claim_rows


def source_detail(session: Session, key: str) -> dict:
    """The source ``key`` with its ``text`` and ``claims``, each with ``span``: where its quote is in the text (or None).

    Raises NotFound for an unknown key.
    """
    source = session.execute(select(Source).where(Source.key == key)).scalar_one_or_none()
    if source is None:
        raise NotFound(f"no source with key {key!r}; `ledger sources` lists them")
    claims = claim_rows(session, Claim.source_id == source.id)
    spans = quote_spans([c["quote"] for c in claims], source.text) if source.text else [None] * len(claims)
    for claim, span in zip(claims, spans):
        claim["span"] = span
    return dict(
        key=source.key, title=source.title, outlet=source.outlet, author=source.author, url=source.url,
        published=source.published, language=source.language, sha256=source.sha256, text=source.text, claims=claims,
    )
