"""The one encoder behind claims' fingerprints and their journal digests.

A fingerprint is the sha256 of ``json.dumps([source, subject, attribute,
value, when, quote], ensure_ascii=False)``; a claim's journal digest is the
sha256 of the canonical JSON (no spaces) of its stated columns. Both are
lists of text, whole numbers and nulls, so ``json_list`` writes exactly what
``json.dumps`` writes for them, without building an encoder per call: a bulk
import encodes every claim twice (a third of its Python time before this).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from json.encoder import encode_basestring

_JSON_SCALAR = {str: encode_basestring, int: int.__repr__, type(None): lambda _: "null"}


def _json_value(value) -> str:
    encode = _JSON_SCALAR.get(type(value))
    return encode(value) if encode is not None else json.dumps(value, ensure_ascii=False, default=str)


def json_items(values: Iterable, separator: str = ", ") -> str:
    """The items of ``json.dumps(list(values), ensure_ascii=False)``, without the brackets.

    ``separator`` is ``", "`` as json.dumps writes by default, ``","`` for canonical JSON.
    """
    try:
        return separator.join([_JSON_SCALAR[type(v)](v) for v in values])
    except KeyError:  # a value of another type (a date, a float): rare, so not on the fast line
        return separator.join([_json_value(v) for v in values])


def json_list(values: Iterable, separator: str = ", ") -> str:
    """``json.dumps(list(values), ensure_ascii=False)`` for scalars (``","``: the canonical form)."""
    return f"[{json_items(values, separator)}]"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def stated_fingerprint(
    source: str, subject: str, attribute: str, value: str, when: str | None, quote: str | None
) -> str:
    """sha256 of what a claim states: its identity when it has no ``ref``.

    ``json_list`` of the six fields, written in one format when they are text (and ``when``
    and ``quote`` perhaps None), as every reader makes them; anything else through ``json_list``.
    """
    try:
        text = (
            f"[{encode_basestring(source)}, {encode_basestring(subject)}, {encode_basestring(attribute)}, "
            f"{encode_basestring(value)}, {'null' if when is None else encode_basestring(when)}, "
            f"{'null' if quote is None else encode_basestring(quote)}]"
        )
    except TypeError:  # a field that is not text (``encode_basestring`` refuses it)
        text = json_list((source, subject, attribute, value, when, quote))
    return hashlib.sha256(text.encode()).hexdigest()


def fields_digest(values: Iterable) -> str:
    """sha256 of the canonical JSON list of a row's values (text, whole numbers, nulls)."""
    return sha256_hex(json_list(values, ","))
