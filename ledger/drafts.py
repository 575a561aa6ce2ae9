"""Draft claim files: written by ``ledger extract``, refused by ``ledger import`` until finished.

A draft is an ordinary claim file with ``draft: true`` at the top, ``null``
where the analyst must decide (subject, attribute, a source's title), and the
reading of each value and the reason for each guess as YAML comments. The
analyst checks every claim against the article, deletes what is no claim,
fills in the nulls and deletes the flag; until then import names every
unfinished field.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ledger.core.errors import InvalidClaimFile, LedgerError
from ledger.core.quotes import normalise_text
from ledger.core.readings import PartialDate

if TYPE_CHECKING:  # every `ledger import` reads this module: drafting is imported only to draft
    from ledger.core.extract import Draft

#: Fields a record cannot do without, per section of a claim file.
REQUIRED = {
    "sources": ("key", "title"),
    "entities": ("name",),
    "attributes": ("name", "kind"),
    "claims": ("source", "subject", "attribute", "value"),
}
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class DraftFile:
    text: str
    claims: int


@dataclass(frozen=True)
class Article:
    """What a draft is made from: the text, and the source it belongs to."""

    key: str
    text: str
    published: PartialDate | None
    language: str
    path: Path | None  # the article's file, when the source is not yet in the ledger
    in_ledger: bool
    published_from: str | None = None  # the date line the publication date was guessed from


def unfinished_draft_problems(root: Node, label: str) -> list[str]:
    """Every reason the claim file ``root`` is an unfinished draft: ``draft: true``, required fields left null.

    Each problem is ``file:line: section[i].field: what to do``. A missing
    field is left to the reader's own "is required" error; this names the
    ones written as null, which is how a draft marks what is left to decide.
    """
    if not isinstance(root, MappingNode):
        return []
    problems = []
    for key_node, value in root.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else None
        if name == "draft" and not (isinstance(value, ScalarNode) and value.value.lower() in ("false", "no")):
            problems.append(f"{label}:{key_node.start_mark.line + 1}: draft: the file is an unchecked draft; "
                            "check every claim against the article, then delete this line")
        if name not in REQUIRED or not isinstance(value, SequenceNode):
            continue
        for index, record in enumerate(value.value):
            if not isinstance(record, MappingNode):
                continue
            for field_node, field_value in record.value:
                if field_node.value in REQUIRED[name] and _null(field_value):
                    problems.append(f"{label}:{field_value.start_mark.line + 1}: {name}[{index}].{field_node.value}: "
                                    "is null; fill it in")
    return problems


def refuse_unfinished_draft(root: Node, label: str) -> None:
    """Raise InvalidClaimFile naming every unfinished field of a draft (one line), if any."""
    problems = unfinished_draft_problems(root, label)
    if problems:
        raise InvalidClaimFile(f"{label} is not finished ({len(problems)} to do): " + "; ".join(problems))


def _null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def extract_draft(ledger_target: str, article_path: Path | None, source_key: str,
                  published: PartialDate | None, language: str | None, output: Path | None) -> DraftFile:
    """Draft claims for ``article_path`` (or the ledger's text of ``source_key``) as a claim file.

    Names and attributes come from the ledger at ``ledger_target`` when there is
    one. With ``output`` the file is written (never over an existing one) and
    its ``text_file`` is relative to it. Raises LedgerError for an unknown
    source without an article, or an existing output file.
    """
    from ledger.core.extract import Known, draft_claims, guess_published
    from ledger.db.known import known_names, require_text, stored_source

    if output is not None and output.exists():
        raise LedgerError(f"{output} exists; give another -o file (a draft may hold your edits)")
    known, stored = Known(), None
    if _ledger_exists(ledger_target):
        from ledger.db.access import Ledger

        ledger = Ledger(ledger_target, read_only=True)
        ledger.require_head()
        with ledger.read() as session:
            known, stored = known_names(session), stored_source(session, source_key)
    if article_path is None:
        stored = require_text(stored, source_key)
        article = Article(source_key, stored.text, published or stored.published, language or stored.language,
                          None, True)
    else:
        text = _read_article(article_path)
        published = published or (stored and stored.published)
        language = language or (stored and stored.language) or "en"
        date_line = None
        if published is None and (guessed := guess_published(text, language)):
            published, date_line = guessed
        article = Article(source_key, text, published, language, article_path, stored is not None, date_line)
    drafts = draft_claims(article.text, known, article.published, article.language)
    text = draft_yaml(article, drafts, output, len(known.entities), len(known.attributes))
    if output is not None:
        _write_whole(output, text)
    return DraftFile(text, len(drafts))


def _ledger_exists(target: str) -> bool:
    from ledger.db.engine import database_url, sqlite_path

    path = sqlite_path(database_url(target))
    return path is None or path.exists()


def _read_article(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LedgerError(f"{path} is not UTF-8 text; save the article as UTF-8") from None
    except OSError as exc:
        raise LedgerError(f"cannot read {path} ({exc.strerror})") from None


def _write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: a reader never sees half a draft."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise LedgerError(f"cannot write {path} ({exc.strerror})") from None


def draft_yaml(article: Article, drafts: list[Draft], output: Path | None, entities: int = 0,
               attributes: int = 0) -> str:
    """The draft claim file: a header saying what to do, the source if new, one commented claim per draft."""
    lines = [
        f"# Draft claims for source {article.key}, made by `ledger extract` on {date.today().isoformat()}",
        f"# ({len(drafts)} values read; names guessed from {entities} entities and {attributes} attributes"
        " of the ledger).",
        "# Check every claim against the article: delete what is no claim, fill in every null,",
        "# correct the guesses (the comments say how each value was read and why each field was",
        "# guessed), then delete the `draft: true` line and run `ledger import` on this file.",
        "draft: true",
    ]
    if not article.in_ledger:
        lines += ["", "sources:", *_source_lines(article, output)]
    lines += ["", "claims:" if drafts else "claims: []"]
    for number, draft in enumerate(drafts, start=1):
        lines += _claim_lines(number, article.key, draft)
    return "\n".join(lines) + "\n"


def _source_lines(article: Article, output: Path | None) -> list[str]:
    title = _first_line(article.text)
    base = output.parent if output is not None else Path.cwd()
    text_file = Path(os.path.relpath(article.path.resolve(), base.resolve())).as_posix()
    outside = "  # import refuses a file outside the draft's folder: move one of them" if text_file.startswith("..") else ""
    return [
        f"  - key: {_scalar(article.key)}",
        f"    title: {_scalar(title)}" + ("  # guessed: the article's first line" if title else "  # required"),
        "    outlet: null",
        "    author: null",
        f"    published: {_scalar(str(article.published)) if article.published else 'null'}" + _published_comment(article),
        "    url: null",
        f"    language: {_scalar(article.language)}",
        f"    text_file: {_scalar(text_file)}{outside}",
    ]


def _published_comment(article: Article) -> str:
    if article.published_from:
        return f"  # guessed from the line '{_one_line(article.published_from)}'"
    return "" if article.published else "  # YYYY, YYYY-MM or YYYY-MM-DD: relative dates need it"


def _first_line(text: str) -> str | None:
    for line in text.splitlines():
        line = normalise_text(line).lstrip("# ").strip()
        if len(line.split()) >= 3:
            return line
    return None


def _claim_lines(number: int, key: str, draft: Draft) -> list[str]:
    counted = f", counting '{draft.counted}'" if draft.counted and draft.kind == "quantity" else ""
    comments = [f"{number}. {draft.kind} {draft.reading}{counted}"]
    if draft.note:
        comments.append(draft.note)
    comments += [f"subject: {draft.subject.reason}", f"attribute: {draft.attribute.reason}",
                 f"attributed_to: {draft.attributed_to.reason}"]
    lines = [""] + [f"  # {_one_line(c)}" for c in comments]
    lines += [
        f"  - source: {_scalar(key)}",
        f"    subject: {_scalar(draft.subject.value)}",
        f"    attribute: {_scalar(draft.attribute.value)}",
        f"    value: {_scalar(draft.value)}",
        f"    when: {_scalar(draft.when)}",
        f"    quote: {_scalar(draft.quote)}",
        f"    attributed_to: {_scalar(draft.attributed_to.value)}",
    ]
    return lines


def _scalar(value: str | None) -> str:
    """A YAML scalar: null, or a double-quoted string (JSON's escaping is valid YAML)."""
    return "null" if value is None else json.dumps(value, ensure_ascii=False)


def _one_line(text: str) -> str:
    return " ".join(text.split())
