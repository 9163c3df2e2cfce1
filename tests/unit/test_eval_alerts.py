"""bench/eval_alerts.py's namesake set: a query year drawn from a person's first birth
date must also be far from the other dates the list gives, or it is no namesake."""

from __future__ import annotations

import random

from bench import eval_alerts as ea
from matching.model import Entity, ListMeta, LoadedList


def _list(entities: list[Entity]) -> LoadedList:
    meta = ListMeta("eu", "eu", "test", "test", "test", None, "0" * 64, len(entities), 0, "now")
    return LoadedList(meta, entities)


def test_a_namesake_year_is_far_from_every_listed_date() -> None:
    # Real EU entries: three dates, and a range.
    nabi = Entity("eu", "1", "Person", "Mohammed Omar GHULAM NABI",
                  birth_dates=["1966", "1953", "1960"])
    htan = Entity("eu", "2", "Person", "Hmu Htan", birth_dates=["1960..1975"])
    cases = ea.namesake_cases([_list([nabi, htan])] * 50, random.Random(1), 100)
    assert cases
    dates = {"1": [1953, 1960, 1966], "2": [1960, 1975]}
    for c in cases:
        year, listed = int(c.query.birth_date or 0), dates[c.target[1] if c.target else ""]
        assert all(abs(year - d) >= 5 for d in listed), (year, listed)
