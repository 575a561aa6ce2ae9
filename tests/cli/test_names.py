"""Subject and attribute names at import: cleaned, refused when confusable, warned about when near a known one."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import write

BASE = """\
sources:
  - key: s1
    title: First
    outlet: Outlet One
entities:
  - name: Wagner Group contract with Mali
  - name: 2020 Mali coup
attributes:
  - name: troops_deployed
    kind: quantity
claims:
  - source: s1
    subject: Wagner Group contract with Mali
    attribute: troops_deployed
    value: "1,000"
"""


def claim(subject: str, attribute: str = "troops_deployed", value: str = "1,000") -> str:
    return f"""\
sources:
  - key: s2
    title: Second
claims:
  - source: s2
    subject: "{subject}"
    attribute: "{attribute}"
    value: "{value}"
"""


def _entities(db_path) -> list[str]:
    with sqlite3.connect(db_path) as db:
        return [name for (name,) in db.execute("select name from entities order by id")]


def test_a_subject_near_a_known_entity_is_a_warning_naming_it_and_the_alias_command(run, tmp_path, db_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    result = run("import", str(write(tmp_path / "new.yaml", claim("Wagner contract"))))
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: new.yaml:5: claims[0].subject: new entity 'Wagner contract' is close to the entity "
        "'Wagner Group contract with Mali' (shortened); if they are one, run "
        '`ledger entities alias "Wagner contract" "Wagner Group contract with Mali"`\n'
    ).replace("new.yaml", str(tmp_path / "new.yaml"))
    assert _entities(db_path)[-1] == "Wagner contract"


def test_strict_refuses_a_near_subject_and_writes_nothing(run, tmp_path, db_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    result = run("import", "--strict", str(write(tmp_path / "new.yaml", claim("Wagner contract"))))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --strict: ") and "nothing was imported" in result.stderr
    assert "Wagner contract" not in _entities(db_path)


def test_strict_refuses_a_near_attribute(run, tmp_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    lenient = run("import", str(write(tmp_path / "new.yaml", claim("Wagner Group contract with Mali", "troop_deployed"))))
    assert "new attribute 'troop_deployed' is close to the attribute 'troops_deployed' (spelling)" in lenient.stderr
    other = write(tmp_path / "other.yaml", claim("Wagner Group contract with Mali", "troop_deployd").replace("s2", "s3"))
    strict = run("import", "--strict", str(other))
    assert strict.exit_code == 1 and "troop_deployd" in strict.stderr


def test_names_differing_only_in_numbers_are_not_near(run, tmp_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    result = run("import", "--strict", str(write(tmp_path / "new.yaml", claim("2021 Mali coup"))))
    assert result.exit_code == 0 and result.stderr == ""


def test_claim_add_strict_refuses_a_near_subject(run, tmp_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    result = run("claim", "add", "--source", "s1", "--subject", "Wagner contract", "--attribute", "troops_deployed",
                 "--value", "900", "--strict")
    assert result.exit_code == 1 and result.stderr.startswith("Error: --strict: command line: claim.subject: ")


def test_invisible_characters_resolve_to_the_known_entity(run, tmp_path, db_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    before = _entities(db_path)
    result = run("import", str(write(tmp_path / "new.yaml", claim("Wagner Group\\u200b contract with\\u00a0Mali\\u2060"))))
    assert result.exit_code == 0 and result.stderr == ""
    assert _entities(db_path) == before
    claims = json.loads(run("claims", "--subject", "Wagner Group contract with Mali", "--format", "json").stdout)
    assert len(claims) == 2


def test_a_new_name_is_stored_cleaned(run, tmp_path, db_path):
    result = run("import", str(write(tmp_path / "new.yaml", claim("Operation  Barkhane\\u200b"))))
    assert result.exit_code == 0
    assert _entities(db_path) == ["Operation Barkhane"]


def test_a_subject_mixing_cyrillic_into_a_latin_word_is_refused(run, tmp_path, db_path):
    result = run("import", str(write(tmp_path / "new.yaml", claim("Operation B\\u0430rkhane"))))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path / 'new.yaml'}:5: claims[0].subject: subject 'Operation B\u0430rkhane' mixes Cyrillic and "
        "Latin letters in the word 'B\u0430rkhane' ('\u0430' is CYRILLIC SMALL LETTER A); retype it in one script\n"
    )
    assert _entities(db_path) == []


def test_a_confusable_attribute_name_is_refused(run, tmp_path):
    result = run("import", str(write(tmp_path / "new.yaml", claim("Mali", "tr\\u043eops"))))  # Cyrillic о
    assert result.exit_code == 1 and "claims[0].attribute: attribute" in result.stderr


def test_blank_and_confusable_aliases_are_refused(run, tmp_path):
    text = BASE.replace("  - name: 2020 Mali coup\n", "  - name: 2020 Mali coup\n    aliases: [\"\\u200b \"]\n")
    result = run("import", str(write(tmp_path / "base.yaml", text)))
    assert result.exit_code == 1 and "entities[1].aliases: alias" in result.stderr and "is blank" in result.stderr
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    blank = run("entities", "alias", "  ", "2020 Mali coup")
    assert blank.exit_code == 1 and blank.stderr == "Error: alias '  ' is blank; give a name\n"
    mixed = run("entities", "alias", "W\u0430gner contract", "Wagner Group contract with Mali")
    assert mixed.exit_code == 1 and "retype it in one script" in mixed.stderr


def test_entities_suggest_lists_likely_aliases_with_the_command(run, tmp_path):
    assert run("import", str(write(tmp_path / "base.yaml", BASE))).exit_code == 0
    assert run("import", str(write(tmp_path / "new.yaml", claim("Wagner contract")))).exit_code == 0
    assert run("import", str(write(tmp_path / "more.yaml", claim("2021 Mali coup").replace("s2", "s3")))).exit_code == 0
    rows = json.loads(run("entities", "suggest", "--format", "json").stdout)
    assert rows == [dict(
        entity="Wagner contract", name="Wagner contract", claims=1, near="Wagner Group contract with Mali",
        near_name="Wagner Group contract with Mali", near_claims=1, rule="shortened",
        command='ledger entities alias "Wagner contract" "Wagner Group contract with Mali"',
    )]
    assert run("entities", "alias", "Wagner contract", "Wagner Group contract with Mali").exit_code == 0
    assert json.loads(run("entities", "suggest", "--format", "json").stdout) == []


AUTHORS = """\
sources:
  - {key: a, title: A, outlet: Outlet A}
  - {key: b, title: B, outlet: Outlet B}
  - {key: c, title: C, outlet: Outlet C}
  - {key: d, title: D, outlet: Outlet D}
attributes:
  - {name: authors, kind: names}
claims:
  - {ref: a, source: a, subject: Data Mining book, attribute: authors, value: "Han, Jiawei; Kamber, Micheline"}
  - {ref: b, source: b, subject: Data Mining book, attribute: authors, value: "Jiawei Han, Micheline Kamber"}
  - {ref: c, source: c, subject: Data Mining book, attribute: authors, value: "J. Han et al."}
  - {ref: d, source: d, subject: Data Mining book, attribute: authors, value: "By (author) Jiawei Han, Jian Pei"}
  - {ref: e, source: d, subject: Other book, attribute: authors, value: "Not Available"}
"""


def test_parse_shows_a_names_reading_with_its_steps(run):
    result = run("parse", "--kind", "names", "Dan Oandapos;Leary (Editor) & Han, J.", "--format", "json")
    reading = json.loads(result.stdout)
    assert (reading["kind"], reading["text"]) == ("names", "han, j; oleary, dan")
    assert reading["notes"][0].startswith("HTML entities undone") and reading["notes"][1].startswith("role markers dropped")


def test_a_names_attribute_is_read_stored_and_compared_as_sets(run, tmp_path, db_path):
    result = run("import", str(write(tmp_path / "authors.yaml", AUTHORS)))
    assert result.exit_code == 0, result.output
    assert "could not read 'Not Available': a placeholder names no one" in result.stderr
    with sqlite3.connect(db_path) as db:
        stored = dict(db.execute("select c.ref, r.text_norm from claims c join readings r on r.claim_id = c.id"))
    assert stored["a"] == stored["b"] == "han, jiawei; kamber, micheline" and stored["e"] is None
    pairs = json.loads(run("conflicts", "--format", "json").stdout)
    assert sorted((p["claims"][0]["ref"], p["claims"][1]["ref"], p["severity"]) for p in pairs) == [
        ("a", "d", 0.666667), ("b", "d", 0.666667),
    ]  # equal sets agree; "J. Han et al." is inside every list
    clusters = json.loads(run("conflicts", "--clusters", "--format", "json").stdout)[0]["clusters"]
    assert [sorted(c["id"] for c in cluster["claims"]) for cluster in clusters] == [[1, 2, 3], [4]]


def test_a_names_kind_is_never_inferred(run, tmp_path):
    assert run("import", str(write(tmp_path / "authors.yaml", claim("Book", "editors", "Jiawei Han")))).exit_code == 0
    assert [a["kind"] for a in json.loads(run("attributes", "--format", "json").stdout)] == ["text"]
