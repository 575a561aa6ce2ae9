"""Text that cannot drive a terminal or disguise itself: what the ledger stores, and how tables show the rest.

Two kinds of fields, checked the same in every reader and on the command line:

* **names** — every field not listed below: source ``key``, ``outlet``, ``author``, ``url``,
  ``language``, ``published``, ``text_file``; entity and attribute ``name``, ``aliases``,
  ``kind``; a claim's ``ref``, ``source``, ``subject``, ``attribute``, ``attributed_to`` and its
  stated ``value`` and ``when``; an alias typed on the command line. One line of printable text:
  refused are every control character (C0 including tab, newline and carriage return; DEL; C1)
  and the bidirectional overrides and isolates U+202A–U+202E and U+2066–U+2069, which make a
  name display as another.
* **free text** — ``title``, ``quote``, ``description``, the article a ``text_file`` names, a
  correction's ``--reason`` and a verdict's ``--note``: may hold tab, newline, carriage return
  and bidirectional controls (right-to-left articles use them); every other control character
  (C0, DEL, C1, NUL among them) is refused.

Rows stored before these checks may still hold such characters: ``escaped`` shows them as
``\\x1b`` or ``\\u202e`` wherever a table is printed.
"""

from __future__ import annotations

import re

from ledger.core.errors import HostileText

#: C0 controls but tab, newline and carriage return; DEL; C1 controls.
_FREE_TEXT_REFUSED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_LINE_BREAKS = "\t\n\r"
_BIDI = "\u202a-\u202e\u2066-\u2069"
FREE_TEXT_REFUSED = re.compile(f"[{_FREE_TEXT_REFUSED}]")
NAME_REFUSED = re.compile(f"[{_FREE_TEXT_REFUSED}{_LINE_BREAKS}{_BIDI}]")
SHOWN_ESCAPED = re.compile(f"[{_FREE_TEXT_REFUSED}\r{_BIDI}]")  # never printed raw (a CR can overwrite a line)

FREE_TEXT_FIELDS = frozenset({"title", "quote", "description", "reason", "note"})


def text_problem(value: str, free_text: bool = False) -> str | None:
    """Why ``value`` may not be stored (None when it may): the first refused character, by code point."""
    found = (FREE_TEXT_REFUSED if free_text else NAME_REFUSED).search(value)
    if found is None:
        return None
    char = found.group()
    position = f"at character {found.start() + 1}"
    if char == "\x00":
        return f"contains a NUL byte {position}; remove it"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        return (f"contains the bidirectional control U+{ord(char):04X} {position}, which can make a name "
                "display as another; remove it")
    if char in _LINE_BREAKS:
        return f"contains a tab or line break {position}; a name is one line"
    return f"contains the control character U+{ord(char):04X} {position}; remove it"


def refuse_hostile(field_name: str, value: str | None, free_text: bool = False) -> None:
    """Raise HostileText naming ``field_name`` if ``value`` may not be stored (text typed on the command line)."""
    if value is not None and (problem := text_problem(value, free_text)):
        raise HostileText(f"{field_name}: {problem}")


def escaped(text: str) -> str:
    """``text`` with control and bidirectional characters but tab and newline shown as escapes (``\\x1b``)."""
    if SHOWN_ESCAPED.search(text) is None:
        return text
    return SHOWN_ESCAPED.sub(_escape, text)


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
