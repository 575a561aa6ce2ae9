"""The one encoder behind fingerprints and journal digests writes what json.dumps writes."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from ledger.core.digests import json_list, stated_fingerprint

SCALARS = st.lists(st.one_of(st.text(), st.integers(), st.none()), max_size=12)


@given(SCALARS)
def test_json_list_is_json_dumps(values):
    assert json_list(values) == json.dumps(values, ensure_ascii=False)


@given(SCALARS)
def test_json_list_with_commas_is_canonical_json(values):
    assert json_list(values, ",") == json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def test_other_scalars_are_written_as_json_dumps_writes_them():
    values = ["a", True, 1.5, date(2021, 9, 14), None]
    assert json_list(values, ",") == json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=str)


@given(st.text(), st.text(), st.text(), st.text(), st.one_of(st.none(), st.text()),
       st.one_of(st.none(), st.text(), st.integers()))
def test_stated_fingerprint_is_the_sha256_of_json_dumps(source, subject, attribute, value, when, quote):
    """The fingerprint written in one format is the definition's: any text, None, and (rare) a field not text."""
    stated = [source, subject, attribute, value, when, quote]
    expected = hashlib.sha256(json.dumps(stated, ensure_ascii=False).encode()).hexdigest()
    assert stated_fingerprint(*stated) == expected
