"""Files read one line at a time, for the streaming readers (JSON Lines and CSV).

Each line is decoded on its own, so bad UTF-8 is named by its line, and read
bytes are reported to a progress callback every few thousand lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from ledger.core.errors import InvalidClaimFile

#: Called with the number of bytes read since the last call (drives a progress bar).
Progress = Callable[[int], None]
_REPORT_EVERY = 2_000  # lines between progress reports: cheap, and smooth enough for a bar


def numbered_lines(path: Path, label: str, progress: Progress | None) -> Iterator[tuple[int, str]]:
    """(line number, text) pairs, decoded one line at a time so bad UTF-8 is named by its line."""
    handle = _open(path, label)
    with handle:
        unreported = 0
        for number, raw in enumerate(handle, 1):
            unreported += len(raw)
            if progress is not None and number % _REPORT_EVERY == 0:
                progress(unreported)
                unreported = 0
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidClaimFile(
                    f"{label}:{number}: byte {exc.start + 1} of the line is not UTF-8: save the file as UTF-8"
                ) from None
            if number == 1:
                text = text.lstrip("\ufeff")
            yield number, text
        if progress is not None and unreported:
            progress(unreported)


def _open(path: Path, label: str) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InvalidClaimFile(f"{label}: cannot read the file ({exc.strerror})") from None


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def total_size(paths: Iterable[Path]) -> int:
    """Bytes a progress bar over ``paths`` counts to."""
    return sum(file_size(path) for path in paths)
