"""Article text named by a source's ``text_file``: a regular file beside the claim file, of bounded size.

A claim file from someone else decides which path is opened, so the path
must stay inside the claim file's folder, must be a regular file (a FIFO or
a device would block or never end) and at most ``LEDGER_MAX_ARTICLE_MB``
megabytes (default 50); the text is free text (see ``ledger.core.safe_text``).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ledger.core.errors import InvalidClaimFile
from ledger.core.safe_text import text_problem

MAX_ARTICLE_ENV = "LEDGER_MAX_ARTICLE_MB"
MAX_ARTICLE_MB = 50


def max_article_bytes() -> int:
    """The largest article accepted: ``LEDGER_MAX_ARTICLE_MB`` megabytes (default 50)."""
    raw = os.environ.get(MAX_ARTICLE_ENV, "").strip()
    if not raw:
        return MAX_ARTICLE_MB * 1_000_000
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1
    if not megabytes > 0:
        raise InvalidClaimFile(f"{MAX_ARTICLE_ENV}={raw!r} is not a number of megabytes; use e.g. 50")
    return int(megabytes * 1_000_000)


def read_article(base: Path, text_file: str, record) -> str:
    """The text of ``text_file`` (relative to ``base``); ``record`` (a FieldReader) names the field in errors."""
    path = _inside(base, text_file, record)
    limit = max_article_bytes()
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on what was opened.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise record.error("text_file", f"{str(path)!r} does not exist (paths are relative to the claim file)") from None
    except OSError as exc:
        raise record.error("text_file", f"cannot read {str(path)!r} ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise record.error("text_file", f"{str(path)!r} is not a regular file; name a text file")
    with os.fdopen(descriptor, "rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise record.error(
            "text_file", f"{str(path)!r} is larger than {limit / 1_000_000:g} MB; raise {MAX_ARTICLE_ENV} to import it"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise record.error("text_file", f"{str(path)!r} is not UTF-8 text") from None
    if problem := text_problem(text, free_text=True):
        raise record.error("text_file", f"{str(path)!r} {problem}")
    return text


def _inside(base: Path, text_file: str, record) -> Path:
    """The article's path, refused if it leads outside the claim file's folder.

    A claim file from someone else must not copy an arbitrary local file
    (``/etc/passwd``, ``../../.ssh/id_rsa``) into the ledger as article text.
    """
    path = base / text_file
    if not path.resolve().is_relative_to(base.resolve()):
        raise record.error(
            "text_file", f"{text_file!r} leads outside the claim file's folder; keep articles beside or below it"
        )
    return path
