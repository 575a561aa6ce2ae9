"""bench/results.py: a benchmark rewrites only its own section of RESULTS.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from results import markers, write_section  # noqa: E402


def test_first_write_appends_the_section_after_what_is_there(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nHand-written analysis.\n")
    write_section(results, "bulk", "## Bulk\n\n| a |\n")
    text = results.read_text()
    begin, end = markers("bulk")
    assert text.startswith("# Results\n\nHand-written analysis.\n\n" + begin)
    assert text.rstrip().endswith(end)


def test_rewrite_replaces_only_its_own_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    write_section(results, "bulk", "old bulk")
    with results.open("a") as handle:
        handle.write("\nTruth discovery, by hand.\n")
    write_section(results, "engines", "old engines")
    write_section(results, "bulk", "new bulk")
    text = results.read_text()
    assert "old bulk" not in text and "new bulk" in text
    assert "old engines" in text and "Truth discovery, by hand." in text
    assert text.index("new bulk") < text.index("Truth discovery") < text.index("old engines")


def test_missing_file_is_created(tmp_path):
    results = tmp_path / "RESULTS.md"
    write_section(results, "engines", "table")
    assert results.read_text() == "\n".join([markers("engines")[0], "table", markers("engines")[1]]) + "\n"
