"""The screening engine: lists in, scored and explained matches out.

Build once per set of list versions (`Engine(lists)`), then screen from any number of
threads: after __init__ nothing is mutated (only lru caches of pure functions fill up).
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from matching.countries import to_country_code
from matching.features import (
    COUNTRY_MATCH,
    DOB_EXACT,
    GENDER_MATCH,
    IDENTIFIER_MATCH_SCORE,
    Effect,
    country_effect,
    dob_effect,
    gender_effect,
    identifier_effect,
    normalize_identifier,
    schema_effect,
)
from matching.forms import NameForms, build_forms, token_key
from matching.glossary import is_concept
from matching.index import KeyIndex, TrigramIndex, token_idf
from matching.korean_syllables import Reading, name_readings
from matching.model import Entity, LoadedList, Match, Query
from matching.scoring import (
    WEAK_ALIAS_FACTOR,
    ListName,
    NameScore,
    explain_tokens,
    miss_weights,
    score_name,
)

ALGORITHM_NAME = "xscript-tfidf-align"
ALGORITHM_VERSION = "1.0.0"
DEFAULT_THRESHOLD = 0.8

BLOCK_K = 24  # distinct index names kept per query form (bench/evaluate.py measures recall)
SCORE_K = 12  # best trigram candidates fully scored per query
RELATIVE_COS = 0.55  # ...and only those within this share of the best cosine
COS_FLOOR = 0.3  # below this trigram cosine no name reaches an alerting score...
COS_FLOOR_FROM = 0.5  # ...when screening at such a threshold (0 still lists the top N)
N_FLOOR = 20000  # IDF as if the lists held at least this many entities
COMMON_TOKEN_WEIGHT = 3.5
CONCEPT_WEIGHT = 3.0
BATCH_CHUNK = 512
MAX_BONUS = DOB_EXACT + COUNTRY_MATCH + GENDER_MATCH


@lru_cache(maxsize=1)
def _common_tokens() -> frozenset[str]:
    raw = json.loads(
        resources.files("matching").joinpath("data/common_name_tokens.json").read_text("utf-8")
    )
    out: set[str] = set()
    for key, words in raw.items():
        if not key.startswith("_"):
            out.update(token_key(w) for phrase in words for w in phrase.split())
    return frozenset(out)


@dataclass(slots=True)
class _Prepared:
    query: Query
    forms: NameForms
    qweights: list[tuple[float, ...]]
    qmiss: list[tuple[float, ...]]
    identifiers: tuple[str, ...]
    country: str | None
    readings: tuple[Reading, ...] = ()  # Korean personal-name readings, every order


class Engine:
    """Screens queries against the entities of `lists`.

    Pipeline per query: forms (every romanisation, glossary translation) -> trigram
    blocking over distinct list names + exact Korean-name-key and identifier lookups ->
    token alignment weighted by IDF (or Korean key comparison) -> secondary features.
    `screen_many` batches the blocking into one sparse product per chunk.
    """

    def __init__(self, lists: Sequence[LoadedList]) -> None:
        self._lists = list(lists)
        self.entities: list[Entity] = [e for lst in self._lists for e in lst.entities]
        self.names: list[ListName] = []
        self.keys = KeyIndex()
        entity_keys: list[set[str]] = []
        for ei, entity in enumerate(self.entities):
            keys: set[str] = set()
            for text, quality in entity.all_names():
                if not text or not text.strip():
                    continue
                nf = build_forms(text, entity.schema, query=False)
                for form in nf.forms:
                    keys.update(form.keys)
                    korean = nf.korean[0] if nf.korean else None
                    self.names.append(
                        ListName(
                            ei, text, quality, form, (), korean, person=entity.schema == "Person"
                        )
                    )
            for ident in entity.identifiers:
                self.keys.add_identifier(normalize_identifier(ident.value), ei)
            entity_keys.append(keys)
        idf, self._unseen = token_idf(entity_keys)
        # Small lists must not make common names rare: floor N, cap known-common tokens.
        shift = math.log((max(len(self.entities), N_FLOOR) + 1.0) / (len(self.entities) + 1.0))
        common = _common_tokens()
        self._idf = {
            k: min(v + shift, COMMON_TOKEN_WEIGHT) if k in common else v + shift
            for k, v in idf.items()
        }
        self._unseen += shift
        for row, ln in enumerate(self.names):
            ln.weights = self._weights(ln.form.tokens, ln.form.keys)
            ln.miss = miss_weights(ln.form.tokens, ln.weights)
            if ln.korean is not None:
                self.keys.add_korean(ln.korean, row)
        self._row_entity = np.fromiter((n.entity for n in self.names), dtype=np.int32)
        # One index row per distinct key sequence: the same name on four lists is
        # searched once and expanded afterwards.
        unique: dict[tuple[str, ...], int] = {}
        self._unique_rows: list[list[int]] = []
        for row, ln in enumerate(self.names):
            uid = unique.setdefault(ln.form.keys, len(unique))
            if uid == len(self._unique_rows):
                self._unique_rows.append([])
            self._unique_rows[uid].append(row)
        self.trigrams = TrigramIndex(list(unique))
        self.block_k = BLOCK_K

    # -- public API ---------------------------------------------------------------------

    @property
    def entity_count(self) -> int:
        return len(self.entities)

    def versions(self) -> list[dict[str, Any]]:
        return [lst.meta.to_dict() for lst in self._lists]

    def screen(
        self, query: Query, threshold: float = DEFAULT_THRESHOLD, limit: int = 10
    ) -> list[Match]:
        return self.screen_many([query], threshold=threshold, limit=limit)[0]

    def screen_many(
        self, queries: Sequence[Query], threshold: float = DEFAULT_THRESHOLD, limit: int = 10
    ) -> list[list[Match]]:
        out: list[list[Match]] = []
        for start in range(0, len(queries), BATCH_CHUNK):
            out.extend(self._screen_chunk(queries[start : start + BATCH_CHUNK], threshold, limit))
        return out

    # -- internals ----------------------------------------------------------------------

    def _weights(self, tokens: tuple[str, ...], keys: tuple[str, ...]) -> tuple[float, ...]:
        out = []
        for t, k in zip(tokens, keys, strict=True):
            w = self._idf.get(k)
            if w is None:
                w = COMMON_TOKEN_WEIGHT if k in _common_tokens() else self._unseen
            # Glossary words (bank, trading, group) never identify anyone alone.
            out.append(min(w, CONCEPT_WEIGHT) if is_concept(t) else w)
        return tuple(out)

    def _prepare(self, query: Query) -> _Prepared:
        nf = build_forms(query.name, query.schema, query=True)
        qweights = [self._weights(f.tokens, f.keys) for f in nf.forms]
        qmiss = [miss_weights(f.tokens, w) for f, w in zip(nf.forms, qweights, strict=True)]
        ids = tuple(v for v in (normalize_identifier(i) for i in query.identifiers) if v)
        country = to_country_code(query.country) if query.country else None
        readings = name_readings(query.name, query=True) if nf.korean else ()
        return _Prepared(query, nf, qweights, qmiss, ids, country, readings)

    def _screen_chunk(
        self, queries: Sequence[Query], threshold: float, limit: int
    ) -> list[list[Match]]:
        prepared = [self._prepare(q) for q in queries]
        flat = [(qi, fi) for qi, p in enumerate(prepared) for fi in range(len(p.forms.forms))]
        hits = self.trigrams.search(
            [prepared[qi].forms.forms[fi].keys for qi, fi in flat], self.block_k
        )
        per_query: list[dict[int, float]] = [{} for _ in prepared]
        for (qi, _fi), (uids, cos) in zip(flat, hits, strict=True):
            best = per_query[qi]
            for u, c in zip(uids.tolist(), cos.tolist(), strict=True):
                if c > best.get(u, 0.0):
                    best[u] = c
        return [
            self._finish(p, cands, threshold, limit)
            for p, cands in zip(prepared, per_query, strict=True)
        ]

    def _finish(
        self, p: _Prepared, cands: dict[int, float], threshold: float, limit: int
    ) -> list[Match]:
        chosen = heapq.nlargest(SCORE_K, cands.items(), key=lambda kv: kv[1])
        floor = chosen[0][1] * RELATIVE_COS if chosen else 0.0
        if threshold >= COS_FLOOR_FROM:
            floor = max(floor, COS_FLOOR)
        rows: set[int] = {r for u, c in chosen if c >= floor for r in self._unique_rows[u]}
        for key in p.forms.korean:
            rows.update(self.keys.korean.get(key, ()))
        id_entities: set[int] = set()
        for ident in p.identifiers:
            id_entities.update(self.keys.identifiers.get(ident, ()))
        best: dict[int, tuple[float, int, int, NameScore]] = {}
        # The same name is often on several lists: score each distinct form once.
        memo: dict[tuple[int, tuple[str, ...], bool], NameScore] = {}
        for r in sorted(rows):
            cand = self.names[r]
            factor = WEAK_ALIAS_FACTOR if cand.quality == "weak" else 1.0
            for fi, form in enumerate(p.forms.forms):
                mkey = (fi, cand.form.tokens, cand.person)
                ns_memo = memo.get(mkey)
                if ns_memo is None or cand.korean is not None:
                    ns = score_name(
                        form, p.qweights[fi], p.qmiss[fi], cand, p.forms.korean, p.readings
                    )
                    memo[mkey] = ns
                else:
                    ns = ns_memo
                s = ns.score * factor
                old = best.get(cand.entity)
                if old is None or s > old[0]:
                    best[cand.entity] = (s, r, fi, ns)
                if ns.korean:
                    break  # the Korean key comparison does not depend on the form
        for ei in id_entities:
            if ei not in best:
                best[ei] = self._best_name_of(p, ei)
        results: list[Match] = []
        for ei, (name_score, r, fi, ns) in best.items():
            if name_score + MAX_BONUS < threshold and ei not in id_entities:
                continue  # no feature can lift it: skip the work
            entity = self.entities[ei]
            effects = self._effects(p, entity)
            score = name_score + sum(e.effect for e in effects if e.feature != "identifier")
            if any(e.feature == "identifier" and e.effect >= 1.0 for e in effects):
                score = max(score, IDENTIFIER_MATCH_SCORE)
            else:
                score += sum(e.effect for e in effects if e.feature == "identifier")
            score = min(max(score, 0.0), 1.0)
            if score < threshold:
                continue
            results.append(self._match(p, entity, r, fi, ns, name_score, effects, score))
        results.sort(key=lambda m: (-m.score, m.list, m.source_id))
        return results[:limit]

    def _best_name_of(self, p: _Prepared, ei: int) -> tuple[float, int, int, NameScore]:
        rows = np.nonzero(self._row_entity == ei)[0].tolist()
        best: tuple[float, int, int, NameScore] | None = None
        for r in rows:
            for fi, form in enumerate(p.forms.forms):
                ns = score_name(
                    form, p.qweights[fi], p.qmiss[fi], self.names[r], p.forms.korean, p.readings
                )
                if best is None or ns.score > best[0]:
                    best = (ns.score, r, fi, ns)
        assert best is not None
        return best

    def _effects(self, p: _Prepared, entity: Entity) -> list[Effect]:
        q = p.query
        found = [
            dob_effect(q.birth_date, entity),
            country_effect(p.country, entity),
            gender_effect(q.gender, entity),
            schema_effect(q.schema, entity),
            identifier_effect(p.identifiers, entity),
        ]
        return [e for e in found if e is not None]

    def _match(
        self,
        p: _Prepared,
        entity: Entity,
        row: int,
        fi: int,
        ns: NameScore,
        name_score: float,
        effects: list[Effect],
        score: float,
    ) -> Match:
        form = p.forms.forms[fi]
        cand = self.names[row]
        explanation: dict[str, Any] = {
            "algorithm": {"name": ALGORITHM_NAME, "version": ALGORITHM_VERSION},
            "query_form": {"text": form.text, "script": form.script, "scheme": form.scheme},
            "list_name": {"text": cand.text, "quality": cand.quality},
            "name_score": round(name_score, 4),
            "method": "korean_name_key" if ns.korean else "token_alignment",
            "tokens": explain_tokens(ns),
            **({"korean_syllables": list(ns.readings)} if ns.readings else {}),
            "features": [e.to_dict() for e in effects],
            "score": round(score, 4),
        }
        return Match(
            list=entity.list,
            source_id=entity.source_id,
            schema=entity.schema,
            name=entity.name,
            matched_name=cand.text,
            score=score,
            explanation=explanation,
        )
