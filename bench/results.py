"""Write one generated section of ``bench/RESULTS.md`` and keep every other section as it is.

Each benchmark owns a section between two markers; a re-run replaces only its
own (or appends it the first time), so hand-written analysis and the other
benchmarks' results survive.
"""

from __future__ import annotations

from pathlib import Path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- begin {name} (generated: edit outside these markers) -->", f"<!-- end {name} -->"


def write_section(path: Path, name: str, text: str) -> None:
    """Put ``text`` between the markers of section ``name`` in ``path``: in place, else at the end."""
    begin, end = markers(name)
    block = f"{begin}\n{text.strip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    start = current.find(begin)
    stop = current.find(end, start) if start >= 0 else -1
    if start >= 0 and stop >= 0:
        updated = current[:start] + block + current[stop + len(end):]
    else:
        updated = (current.rstrip() + "\n\n" if current.strip() else "") + block + "\n"
    path.write_text(updated, encoding="utf-8")
