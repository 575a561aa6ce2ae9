"""One origin per outlet: a claim attributed to an outlet and that outlet's own article count once."""

from __future__ import annotations

import json

from tests.conftest import write

CLAIMS = """\
sources:
  - {key: reuters-1, title: R, outlet: Reuters}
  - {key: gr-1, title: G, outlet: Global Research}
  - {key: afp-1, title: A, outlet: Agence France-Presse}
  - {key: blog-1, title: B, outlet: Some Blog}
  - {key: f24-1, title: F, outlet: France 24}
entities:
  - name: Agence France-Presse
attributes:
  - {name: price, kind: money}
claims:
  - {ref: r, source: reuters-1, subject: Wagner contract, attribute: price, value: "$10.8 million a month"}
  - {ref: g, source: gr-1, subject: Wagner contract, attribute: price, value: "$10.8 million a month", attributed_to: " reuters"}
  - {ref: a, source: afp-1, subject: Wagner contract, attribute: price, value: "$10.8 million a month"}
  - {ref: b, source: blog-1, subject: Wagner contract, attribute: price, value: "$10.8 million a month", attributed_to: AFP}
  - {ref: f, source: f24-1, subject: Wagner contract, attribute: price, value: "$20 million a month"}
"""


def _origins(run) -> dict[str, tuple[int, int]]:
    pairs = json.loads(run("conflicts", "--format", "json").stdout)
    return {c["ref"]: (len(c["support"]), c["origins"]) for pair in pairs for c in pair["claims"]}


def test_an_outlet_and_a_claim_attributed_to_it_are_one_origin(run, tmp_path):
    assert run("import", str(write(tmp_path / "claims.yaml", CLAIMS))).exit_code == 0
    origins = _origins(run)
    # Reuters (its own article and Global Research quoting " reuters"), Agence France-Presse, AFP: 3 origins of 4 claims
    assert origins["r"] == (3, 3) and origins["g"] == (3, 3) and origins["f"] == (0, 1)


def test_outlets_and_attributions_match_through_entity_aliases(run, tmp_path):
    assert run("import", str(write(tmp_path / "claims.yaml", CLAIMS))).exit_code == 0
    assert run("entities", "alias", "AFP", "Agence France-Presse").exit_code == 0
    assert _origins(run)["r"] == (3, 2)


def test_consensus_counts_an_outlet_once(run, tmp_path):
    assert run("import", str(write(tmp_path / "claims.yaml", CLAIMS))).exit_code == 0
    assert run("entities", "alias", "AFP", "Agence France-Presse").exit_code == 0
    decision = json.loads(run("consensus", "--format", "json").stdout)[0]
    assert (decision["origins"], decision["total_origins"]) == (2, 3)
    clusters = json.loads(run("conflicts", "--clusters", "--format", "json").stdout)
    assert sorted(c["origins"] for item in clusters for c in item["clusters"]) == [1, 2]
