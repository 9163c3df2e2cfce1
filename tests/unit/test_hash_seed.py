"""Results never depend on Python's string hash seed: the same lists and queries give the
same word weights, forms and scores in processes started with different PYTHONHASHSEED.
(A typo'd legal-form word close to two legal-form words used to be read as whichever a
frozenset yielded first, so an organisation's words, and with them every IDF weight of
the words it shares with others, changed from one process to the next.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from matching.normalize import split_legal_forms

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh interpreter: builds an engine on the unit-test lists plus names whose
# legal-form words are misspelt, and prints every weight, form and score it gives.
_SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from matching.engine import Engine
from matching.model import Entity, LoadedList, Query
from tests.unit.engine_lists import META, make_lists

extra = [
    Entity("test", "X1", "Organization",
           "SLAVKALI INOSTRANNOE OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTIYU"),
    Entity("test", "X2", "Organization", "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU ROMASHKA"),
    Entity("test", "X3", "Company", "SEVERNY VETER LIMITDE"),
    Entity("test", "X4", "Organization", "ООО «Северный ветер»"),
]
lists = make_lists() + [LoadedList(META, extra)]
engine = Engine(lists)
queries = [Query("Slavkali"), Query("Romashka OOO"), Query("Severny Veter"),
           Query("Козлов Сергей"), Query("김정은"), Query("Intellekt"), Query("Lady R")]
print(json.dumps({
    "idf": sorted(engine._idf.items()),
    "names": [[n.entity, n.text, n.form.keys, n.weights] for n in engine.names],
    "results": [[[m.list, m.source_id, repr(m.score), m.matched_name,
                  json.dumps(m.explanation, sort_keys=True, ensure_ascii=False)]
                 for m in found]
                for found in engine.screen_many(queries, threshold=0.0)],
}, ensure_ascii=False))
"""


def _run(seed: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    out = subprocess.run([sys.executable, "-c", _SCRIPT, str(ROOT)], env=env,
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout)


def test_weights_forms_and_scores_do_not_depend_on_the_hash_seed() -> None:
    first, second = _run("0"), _run("1")  # these two read the old typo differently
    assert first["idf"] == second["idf"]
    assert first["names"] == second["names"]
    assert first["results"] == second["results"]
    assert any(first["results"])  # the queries found something to compare


def test_a_typo_close_to_two_legal_words_completes_the_phrase_it_belongs_to() -> None:
    # "otvetstvennostiyu" is one edit from both "otvetstvennostiu" and
    # "otvetstvennostyu"; only the first completes this phrase.
    rest, forms = split_legal_forms(
        ["slavkali", "inostrannoe", "obshchestvo", "s", "ogranichennoi", "otvetstvennostiyu"]
    )
    assert rest == ["slavkali", "inostrannoe"]
    assert forms == ["llc"]
