"""A small ledger with one conflict group of each kind the report draws, for the report's tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write

ARTICLE_A = """\
Deals and troops

In 2012 Mali agreed to buy 3,000 rifles for nearly one million euros in 2012, officials said. Nobody denied it.
About 300 Russian instructors were in the country in 2021, according to the ministry.
The coup took place on 18 August 2020. Its leader named Ivan Petrov as commander.
A possible contract could be worth $10.8 million a month.
The helicopters cost $5 million in 2020.
"""

ARTICLE_B = """\
The view from Bamako

The rifles cost more than € 1 million, according to BBC Africa. They arrived late.
By mid-2021, 30,000 troops were deployed.
Soldiers seized power on 24 August 2020, and Dmitry Utkin was commander of the unit.
For this, 6 billion CFA francs (about 10 million dollars) will be paid.
Two helicopters were bought for €20 million in 2020.
"""

CLAIMS = """\
sources:
  - key: a
    title: Deals and troops
    outlet: Outlet A
    published: 2021-09-14
    url: {url}/a
    text_file: a.txt
  - key: b
    title: The view from Bamako
    outlet: Outlet B
    published: 2021-10-01
    url: {url}/b
    text_file: b.txt
attributes:
  - name: price
    kind: money
  - name: troops_deployed
    kind: quantity
  - name: coup_date
    kind: date
  - name: commander
    kind: text
claims:
  - {{source: a, subject: Rifle deal, attribute: price, value: nearly one million euros, when: "2012",
     quote: "agreed to buy 3,000 rifles for nearly one million euros in 2012"}}
  - {{source: b, subject: Rifle deal, attribute: price, value: "more than € 1 million", when: "2012",
     quote: "The rifles cost more than € 1 million", attributed_to: BBC Africa}}
  - {{source: a, subject: Russian presence, attribute: troops_deployed, value: about 300, when: "2021",
     quote: "About 300 Russian instructors were in the country in 2021"}}
  - {{source: b, subject: Russian presence, attribute: troops_deployed, value: "30,000", when: mid-2021,
     quote: "By mid-2021, 30,000 troops were deployed"}}
  - {{source: a, subject: Coup, attribute: coup_date, value: 18 August 2020, quote: "The coup took place on 18 August 2020"}}
  - {{source: b, subject: Coup, attribute: coup_date, value: 24 August 2020, quote: "Soldiers seized power on 24 August 2020"}}
  - {{source: a, subject: Coup, attribute: commander, value: Ivan Petrov, when: "2020", quote: "Its leader named Ivan Petrov as commander"}}
  - {{source: b, subject: Coup, attribute: commander, value: Dmitry Utkin, when: "2020", quote: "Dmitry Utkin was commander of the unit"}}
  - {{source: a, subject: Wagner contract, attribute: price, value: $10.8 million a month, when: "2021",
     quote: "A possible contract could be worth $10.8 million a month"}}
  - {{source: b, subject: Wagner contract, attribute: price, value: 6 billion CFA francs (about 10 million dollars), when: "2021",
     quote: "6 billion CFA francs (about 10 million dollars) will be paid"}}
  - {{source: a, subject: Helicopters, attribute: price, value: $5 million, when: "2020",
     quote: "The helicopters cost $5 million in 2020"}}
  - {{source: b, subject: Helicopters, attribute: price, value: €20 million, when: "2020",
     quote: "Two helicopters were bought for €20 million in 2020"}}
"""


def report_claims(directory: Path, url: str = "http://127.0.0.1:9") -> Path:
    """The claim file (and its two articles) in ``directory``; sources link to ``url``/a and ``url``/b."""
    write(directory / "a.txt", ARTICLE_A)
    write(directory / "b.txt", ARTICLE_B)
    return write(directory / "report.yaml", CLAIMS.format(url=url))
