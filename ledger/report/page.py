"""The conflict report as text: a self-contained HTML page, or the same content as Markdown.

Both are Jinja2 templates (``templates/``, shipped with the package) walking
one ``Document``. The HTML page loads nothing: styles are inline, number lines
are inline SVG, and no script is needed to read or print it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ledger.report.document import Document, build, span
from ledger.report.encode import plural

FORMATS = ("html", "md")
PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#b45309", "#0e7490", "#be123c", "#4d7c0f")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def render(document: Document, fmt: str) -> str:
    """``document`` as HTML (``fmt`` "html") or Markdown ("md")."""
    template = _environment().get_template(f"report.{fmt}.j2")
    return template.render(doc=document, palette=PALETTE).rstrip() + "\n"


def markdown_text(value) -> str:
    """Text safe inside Markdown: characters that would start markup escaped, lines joined."""
    text = str(value)
    joined = " ".join(text.split())
    if joined and text[:1].isspace():
        joined = " " + joined
    if joined and text[-1:].isspace():
        joined += " "
    return _MARKDOWN_SPECIAL.sub(r"\\\1", joined)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, the only kind the page links to (never ``javascript:``)."""
    return url if url and re.match(r"https?://[^\s<>\"']+$", url) else None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("ledger.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )
    environment.filters["span"] = span
    environment.filters["md"] = markdown_text
    environment.filters["web_url"] = web_url
    return environment


def report_text(data, fmt: str, *, ledger: str = "") -> tuple[str, str]:
    """The report of ``data`` (a ``ReportData``) in ``fmt``, and one line saying what it holds."""
    document = build(data, ledger=_without_password(ledger))
    pairs = sum(len(group.pairs) for group in document.groups)
    summary = (f"{plural(len(document.groups), 'conflict group')} ({plural(pairs, 'pair')}), "
               f"{plural(len(document.incomparable), 'incomparable group')}; journal head {document.head_seq} "
               f"{document.head_hash[:12]}…" + (f"; {document.left_out[0]}" if document.left_out else ""))
    return render(document, fmt), summary


def _without_password(target: str) -> str:
    """A database URL as the header shows it: 'postgresql://analyst:***@host/db'."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", target)
