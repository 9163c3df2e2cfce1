"""The screening engine: lists in, scored and explained matches out.

Build once per set of list versions (`Engine(lists)`), then screen from any number of
threads: after __init__ nothing is mutated (only lru caches of pure functions fill up).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from operator import itemgetter
from typing import Any

import numpy as np

from matching.config import WEIGHTS, weights_hash
from matching.countries import to_country_code
from matching.features import (
    Effect,
    country_effect,
    dob_effect,
    gender_effect,
    identifier_effect,
    normalize_identifier,
    schema_effect,
)
from matching.forms import SEARCH_ONLY, NameForms, build_forms, token_key
from matching.glossary import is_concept
from matching.index import KeyIndex, TrigramIndex, token_idf
from matching.korean_syllables import Reading, name_readings
from matching.model import Entity, LoadedList, Match, Query
from matching.policy import DEFAULT_POLICY, MatchingPolicy
from matching.scoring import (
    ListName,
    NameScore,
    explain_tokens,
    is_patronymic,
    miss_weights,
    score_name,
    score_tokens_above,
)

ALGORITHM_NAME = "xscript-tfidf-align"
# Bumped whenever a change alters any score (the weights hash alone misses code changes);
# every result and audit entry records it, so an auditor can tell which engine decided.
ALGORITHM_VERSION = "1.7.0"
DEFAULT_THRESHOLD = WEIGHTS.default_threshold

BLOCK_K = 24  # distinct index names kept per query form (bench/evaluate.py measures recall)
SCORE_K = 12  # best trigram candidates fully scored per query
RELATIVE_COS = 0.55  # ...and only those within this share of the best cosine
COS_FLOOR = 0.3  # below this trigram cosine no name reaches an alerting score...
COS_FLOOR_FROM = 0.5  # ...when screening at such a threshold (0 still lists the top N)
N_FLOOR = WEIGHTS.n_floor  # IDF as if the lists held at least this many entities
COMMON_TOKEN_WEIGHT = WEIGHTS.common_token_weight
CONCEPT_WEIGHT = WEIGHTS.concept_weight
BATCH_CHUNK = 512
# Per-engine caches of pure results (a bank's traffic repeats names and name forms):
# bounded, emptied when full; exact, since an engine's IDF never changes.
FORMS_CACHE_SIZE = 16384
SEARCH_CACHE_SIZE = 8192  # forms; about 2.5 kB each (two lists of up to BLOCK_K numbers)
SCORE_CACHE_SIZE = 131072
MAX_BONUS = WEIGHTS.dob_exact + WEIGHTS.country_match + WEIGHTS.gender_match


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


# One name per reading path of the engine (see Engine._warm_up).
_WARM_UP = (
    Query("John Smith", schema="Person", birth_date="1970-01-01", country="gb"),
    Query("Сергей Петров", schema="Person"),
    Query("ООО «Ромашка»", schema="Company"),
    Query("Acme Trading LLC", schema="Company"),
    Query("김정은", schema="Person"),
    Query("세르게이 코즐로프"),
    Query("Kim Jong Un"),
    Query("조선무역회사", schema="Organization"),
)

_Forms = tuple[NameForms, list[tuple[float, ...]], list[tuple[float, ...]]]
# A form's index rows and cosines (TrigramIndex.search's, as lists: the arrays it returns
# may be views that would keep a whole chunk's sparse product alive in the cache).
_Hits = tuple[list[int], list[float]]


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
        self._schema_of: dict[int, str] = {}  # entities whose type the names tell better
        for ei, entity in enumerate(self.entities):
            keys: set[str] = set()
            first_row = len(self.names)
            legal_rows: list[tuple[ListName, bool]] = []  # (name, carries a legal form)
            for text, quality in entity.all_names():
                if not text or not text.strip():
                    continue
                nf = build_forms(text, entity.schema, query=False)
                legal = bool(nf.legal_forms)
                for form in nf.forms:
                    keys.update(form.keys)
                    korean = nf.korean[0] if nf.korean else None
                    ln = ListName(
                        ei, text, quality, form, (), korean, person=entity.schema == "Person"
                    )
                    self.names.append(ln)
                    legal_rows.append((ln, legal))
            for ident in entity.identifiers:
                self.keys.add_identifier(normalize_identifier(ident.value), ei)
            entity_keys.append(keys)
            if entity.schema == "Person":
                self._mark_partial(first_row)
            elif entity.schema == "LegalEntity" and any(legal for _, legal in legal_rows):
                self._schema_of[ei] = "Company"
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
        # The Korean readings of list names with a Korean key, read once here, not per query.
        self._readings: dict[str, tuple[Reading, ...]] = {
            ln.text: name_readings(ln.text, query=False)
            for ln in self.names
            if ln.korean is not None
        }
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
        # Rows that score alike against any query form (the same tokens and keys, both a
        # person's or not, both partial or not) share one score id: the score cache is
        # keyed by it, so a name on four lists is scored once.
        alike: dict[tuple[Any, ...], int] = {}
        self._score_id: list[int] = [
            alike.setdefault((ln.form.tokens, ln.form.keys, ln.person, ln.partial), len(alike))
            for ln in self.names
        ]
        self.block_k = BLOCK_K
        self._person_of = self._same_parties()
        # Party -> its entries on every list, for parties on more than one: a hit names
        # them all in `sources`, also the entries that scored below the threshold.
        members: dict[int, list[int]] = {}
        for ei, party in enumerate(self._person_of):
            members.setdefault(party, []).append(ei)
        self._party_entries = {p: es for p, es in members.items() if len(es) > 1}
        self._party_of_entry = {
            (self.entities[ei].list, self.entities[ei].source_id): p
            for p, es in self._party_entries.items() for ei in es
        }
        # An entry with no birth date is dated by its party's other entries: a namesake
        # born 15 years apart is told apart on every list that carries the person.
        self._party_dates: dict[int, list[str]] = {}
        for es in self._party_entries.values():
            dates = sorted({d for ei in es for d in self.entities[ei].birth_dates})
            if dates:
                self._party_dates.update(
                    (ei, dates) for ei in es if not self.entities[ei].birth_dates
                )
        self._warm_up()

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A saved engine (matching.index_store) is warmed up as a built one is."""
        self.__dict__.update(state)
        self._warm_up()

    def _warm_up(self) -> None:
        """Screen a name of each kind once, then forget it: the data tables and code
        paths only queries use (Korean syllable weights, the Latin lexicon's stems, the
        sparse product) load now, at build or load time, not in a process's first
        queries."""
        self._init_caches()
        self.screen_many(_WARM_UP)
        self._init_caches()

    def _init_caches(self) -> None:
        self._forms_cache: dict[tuple[str, str | None], _Forms] = {}
        # (key sequence, k, cosine floor) -> search hits, for forms met in earlier chunks
        self._search_cache: dict[tuple[tuple[str, ...], int, float], _Hits] = {}
        # query form -> score id -> score, or a bound below which it is known to lie;
        # `_score_size` entries in all
        self._score_cache: dict[tuple[Any, ...], dict[int, NameScore | float]] = {}
        self._score_size = 0

    def clear_caches(self) -> None:
        """Forget cached forms and scores (benchmarks time cold runs with this)."""
        self._init_caches()

    # -- public API ---------------------------------------------------------------------

    @property
    def entity_count(self) -> int:
        return len(self.entities)

    def versions(self) -> list[dict[str, Any]]:
        return [lst.meta.to_dict() for lst in self._lists]

    def screen(
        self,
        query: Query,
        threshold: float | None = None,
        limit: int = 10,
        policy: MatchingPolicy | None = None,
        per_entry: bool = False,
    ) -> list[Match]:
        return self.screen_many(
            [query], threshold=threshold, limit=limit, policy=policy, per_entry=per_entry
        )[0]

    def screen_many(
        self,
        queries: Sequence[Query],
        threshold: float | None = None,
        limit: int = 10,
        policy: MatchingPolicy | None = None,
        per_entry: bool = False,
    ) -> list[list[Match]]:
        """Matches per query under `policy` (default: the calibrated one); an explicit
        `threshold` overrides the policy's. One party on several lists is one match
        (`sources` names every entry) unless `per_entry`: then every list entry is its
        own match, with its own score, and `sources` still names the party's entries
        (monitoring alerts per entry, so a new designation of a known party is seen)."""
        policy = policy or DEFAULT_POLICY
        if threshold is not None:
            policy = replace(policy, threshold=threshold)
        out: list[list[Match]] = []
        for start in range(0, len(queries), BATCH_CHUNK):
            chunk = queries[start : start + BATCH_CHUNK]
            out.extend(self._screen_chunk(chunk, policy, limit, per_entry))
        return out

    def _mark_partial(self, first_row: int) -> None:
        """Flag a person's names with fewer words (patronymics aside) than their fullest
        name: given-name-only aliases ("Young-Chul" of Kim Yong Chol) and short forms."""
        rows = self.names[first_row:]
        sizes = [sum(not is_patronymic(t) for t in ln.form.tokens) for ln in rows]
        fullest = max(sizes, default=0)
        for ln, size in zip(rows, sizes, strict=True):
            ln.partial = size < fullest

    def _same_parties(self) -> list[int]:
        """Entity -> the first entity of the same party on several lists: one party, one
        hit. The same party is the same kind (organisation schemas are one kind) on another
        list with the same words in a name (the primary name of persons and vessels, any
        strong name of organisations; one word only if long) and no conflicting birth year,
        or with the same IMO, tax or registration number."""
        parent = list(range(len(self.entities)))

        def root(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        groups: dict[tuple[str, Any], list[int]] = {}
        # Distinctive words of each entity's strong names, to check an identifier by.
        words: list[set[str]] = [set() for _ in self.entities]
        seen: set[tuple[int, str]] = set()
        for ln in self.names:  # an entity's rows, each name's first form first
            if ln.quality == "weak" or (ln.entity, ln.text) in seen:
                continue
            seen.add((ln.entity, ln.text))
            entity = self.entities[ln.entity]
            kind = _PARTY_KIND.get(entity.schema, entity.schema)
            keys = ln.form.keys
            words[ln.entity].update(k for k in keys if len(k) >= 3 and not is_concept(k))
            if kind != "org" and ln.quality != "primary":
                continue
            if len(keys) >= 2 or (kind == "org" and len(keys) == 1
                                  and len(ln.form.tokens[0]) >= _ONE_WORD_PARTY):
                groups.setdefault((kind, frozenset(keys)), []).append(ln.entity)
        for ei, entity in enumerate(self.entities):
            kind = _PARTY_KIND.get(entity.schema, entity.schema)
            for ident in entity.identifiers:
                value = normalize_identifier(ident.value)
                if ident.kind in _PARTY_IDS and len(value) >= 6:
                    groups.setdefault((kind, (ident.kind, value)), []).append(ei)
        for (_, key), members in groups.items():
            # Lists copy a tax or registration number onto the wrong party now and then:
            # it links two entries only if their names share a word (an IMO suffices).
            check = isinstance(key, tuple) and key[0] != "imo"
            for ei in members[1:]:
                if check and not words[members[0]] & words[ei]:
                    continue
                a, b = root(members[0]), root(ei)
                ea, eb = self.entities[a], self.entities[b]
                if a == b or ea.list == eb.list:
                    continue
                ya, yb = _years(ea), _years(eb)
                if ya and yb and not ya & yb:
                    continue
                parent[max(a, b)] = min(a, b)
        return [root(i) for i in range(len(self.entities))]

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

    def _forms(self, name: str, schema: str | None) -> _Forms:
        key = (name, schema)
        hit = self._forms_cache.get(key)
        if hit is None:
            nf = build_forms(name, schema, query=True)
            qweights = [self._weights(f.tokens, f.keys) for f in nf.forms]
            qmiss = [miss_weights(f.tokens, w) for f, w in zip(nf.forms, qweights, strict=True)]
            hit = (nf, qweights, qmiss)
            if len(self._forms_cache) >= FORMS_CACHE_SIZE:
                self._forms_cache = {}
            self._forms_cache[key] = hit
        return hit

    def _form_scores(self, p: _Prepared, fi: int) -> dict[int, NameScore | float]:
        """The cached token scores of query form `fi`, by list score id: a token score
        depends only on the two token sequences (weights derive from them in one engine),
        the query's script, whether the list name is a person's (or partial) and whether
        the query reads as a Korean name. Keys too: a Hangul-written foreign name's forms
        share tokens, not keys."""
        form = p.forms.forms[fi]
        key = (form.tokens, form.keys, form.scheme, form.script, bool(p.forms.korean))
        scores = self._score_cache.get(key)
        if scores is None:
            if self._score_size >= SCORE_CACHE_SIZE:
                self._score_cache, self._score_size = {}, 0
            scores = self._score_cache[key] = {}
        return scores

    def _prepare(self, query: Query) -> _Prepared:
        nf, qweights, qmiss = self._forms(query.name, query.schema)
        ids = tuple(v for v in (normalize_identifier(i) for i in query.identifiers) if v)
        country = to_country_code(query.country) if query.country else None
        readings = name_readings(query.name, query=True) if nf.korean else ()
        return _Prepared(query, nf, qweights, qmiss, ids, country, readings)

    def _screen_chunk(
        self, queries: Sequence[Query], policy: MatchingPolicy, limit: int,
        per_entry: bool = False,
    ) -> list[list[Match]]:
        prepared = [self._prepare(q) for q in queries]
        flat = [(qi, fi) for qi, p in enumerate(prepared) for fi in range(len(p.forms.forms))]
        hits = self._search(
            [prepared[qi].forms.forms[fi].keys for qi, fi in flat],
            # Below COS_FLOOR no candidate is kept (see _finish): drop them in the search.
            COS_FLOOR if policy.floor() >= COS_FLOOR_FROM else 0.0,
        )
        per_query: list[dict[int, float]] = [{} for _ in prepared]
        for (qi, _fi), (uids, cos) in zip(flat, hits, strict=True):
            best = per_query[qi]
            if not best:
                # A query's first form: its names are distinct and every cosine > 0.
                best.update(zip(uids, cos, strict=True))
                continue
            for u, c in zip(uids, cos, strict=True):
                if c > best.get(u, 0.0):
                    best[u] = c
        return [
            self._finish(p, cands, policy, limit, per_entry)
            for p, cands in zip(prepared, per_query, strict=True)
        ]

    def _search(self, keys: list[tuple[str, ...]], min_cos: float) -> list[_Hits]:
        """The search hits of each key sequence. A sequence repeated in the chunk (a name
        screened twice, two names sharing a reading) or met in an earlier chunk is searched
        once: a row's hits do not depend on the other rows searched with it."""
        k = self.block_k
        cache = self._search_cache
        found: dict[tuple[str, ...], _Hits] = {}
        missing: dict[tuple[str, ...], None] = {}  # (a dict: first-seen order, once each)
        for key in keys:
            if key in found or key in missing:
                continue
            hit = cache.get((key, k, min_cos))
            if hit is None:
                missing[key] = None
            else:
                found[key] = hit
        if missing:
            if len(cache) + len(missing) > SEARCH_CACHE_SIZE:
                cache = self._search_cache = {}
            rows = list(missing)
            for key, (uids, cos) in zip(rows, self.trigrams.search(rows, k, min_cos), strict=True):
                found[key] = cache[(key, k, min_cos)] = (uids.tolist(), cos.tolist())
        return [found[key] for key in keys]

    def _finish(
        self, p: _Prepared, cands: dict[int, float], policy: MatchingPolicy, limit: int,
        per_entry: bool = False,
    ) -> list[Match]:
        threshold = policy.floor()
        # heapq.nlargest's result (documented as this), without its Python-level heap.
        chosen = sorted(cands.items(), key=itemgetter(1), reverse=True)[:SCORE_K]
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
        forms = p.forms.forms
        form_scores = [self._form_scores(p, fi) for fi in range(len(forms))]
        scored_forms = [fi for fi, f in enumerate(forms) if f.scheme != SEARCH_ONLY]
        korean = p.forms.korean
        names, score_id = self.names, self._score_id
        # A name matters only if it can beat its entity's best so far (s * factor <= s)
        # and, unless an identifier brings the entity in, come within the bonus of the
        # features this query has data for of the threshold (features it lacks add
        # nothing; every other effect lowers the score).
        need_all = threshold - _bonus(p)
        # Korean key comparisons do not depend on the form: one per list name per query.
        korean_scores: dict[tuple[str, Any], NameScore] = {}
        for r in sorted(rows):
            cand = names[r]
            owner = cand.entity
            factor = WEIGHTS.weak_alias_factor if cand.quality == "weak" else 1.0
            if korean and cand.korean is not None:
                kkey = (cand.text, cand.korean)
                ns = korean_scores.get(kkey)
                if ns is None:
                    ns = korean_scores[kkey] = score_name(
                        forms[0], p.qweights[0], p.qmiss[0], cand, korean,
                        p.readings, self._readings.get(cand.text),
                    )
                s = ns.score * factor
                old = best.get(owner)
                if old is None or s > old[0]:
                    best[owner] = (s, r, 0, ns)
                continue
            need = 0.0 if owner in id_entities else need_all
            sid = score_id[r]
            for fi in scored_forms:
                old = best.get(owner)
                floor = need if old is None else max(need, old[0])
                # The same name is often on several lists: each distinct form is scored
                # once, and a bound below which it lies is kept for a later floor.
                scores = form_scores[fi]
                found = scores.get(sid)
                if found is None or (isinstance(found, float) and found >= floor - 1e-9):
                    if sid not in scores:
                        self._score_size += 1
                    found = scores[sid] = score_tokens_above(
                        forms[fi], p.qweights[fi], p.qmiss[fi], cand, korean, floor
                    )
                if isinstance(found, float):
                    continue  # below the floor
                s = found.score * factor
                if old is None or s > old[0]:
                    best[owner] = (s, r, fi, found)
        for ei in id_entities:
            if ei not in best:
                best[ei] = self._best_name_of(p, ei)
        results: list[tuple[int, Match]] = []
        for ei, (name_score, r, fi, ns) in best.items():
            if name_score + MAX_BONUS < threshold and ei not in id_entities:
                continue  # no feature can lift it: skip the work
            entity = self.entities[ei]
            if policy.lists is not None and entity.list not in policy.lists:
                continue
            effects = self._effects(p, ei, policy)
            score = name_score + sum(e.effect for e in effects if e.feature != "identifier")
            if any(e.feature == "identifier" and e.effect >= 1.0 for e in effects):
                score = max(score, WEIGHTS.identifier_match_score)
            else:
                score += sum(e.effect for e in effects if e.feature == "identifier")
            score = min(max(score, 0.0), 1.0)
            if score < policy.threshold_for(entity.list):
                continue
            match = self._match(p, entity, r, fi, ns, name_score, effects, score, policy)
            results.append((self._person_of[ei], match))
        results.sort(key=lambda pm: (-pm[1].score, pm[1].list, pm[1].source_id))
        if per_entry:
            return _every_entry(results)[:limit]
        hits = _one_hit_per_party(results)[:limit]
        if self._party_entries:
            self._add_party_sources(hits, policy)
        return hits

    def _add_party_sources(self, hits: list[Match], policy: MatchingPolicy) -> None:
        """A party's hit names every entry of the party on the lists in force, also one
        its own name scores below the threshold (the English EU entry of a bank met
        through its transliterated OFAC name)."""
        for m in hits:
            party = self._party_of_entry.get((m.list, m.source_id))
            if party is None:
                continue
            have = {(s["list"], s["source_id"]) for s in m.sources}
            for ei in self._party_entries[party]:
                e = self.entities[ei]
                if (e.list, e.source_id) not in have and (
                    policy.lists is None or e.list in policy.lists
                ):
                    m.sources.append({"list": e.list, "source_id": e.source_id})

    def _best_name_of(self, p: _Prepared, ei: int) -> tuple[float, int, int, NameScore]:
        rows = np.nonzero(self._row_entity == ei)[0].tolist()
        best: tuple[float, int, int, NameScore] | None = None
        for r in rows:
            for fi, form in enumerate(p.forms.forms):
                cand = self.names[r]
                ns = score_name(
                    form, p.qweights[fi], p.qmiss[fi], cand, p.forms.korean, p.readings,
                    self._readings.get(cand.text),
                )
                if best is None or ns.score > best[0]:
                    best = (ns.score, r, fi, ns)
        assert best is not None
        return best

    def _effects(self, p: _Prepared, ei: int, policy: MatchingPolicy) -> list[Effect]:
        entity = self.entities[ei]
        q = p.query
        schema = q.schema
        if schema is None and p.forms.legal_forms:
            schema = "Company"  # "NOVAK OOO" is a company whatever the record says
        found = [
            dob_effect(q.birth_date, entity, policy.namesake_year_gap, self._party_dates.get(ei)),
            country_effect(p.country, entity),
            gender_effect(q.gender, entity),
            schema_effect(schema, entity, policy.strict_types, self._schema_of.get(ei)),
            identifier_effect(p.identifiers, entity),
        ]
        if policy.missing_data == "lower":
            found += _missing(q.birth_date, entity.birth_dates, "dob", entity.schema)
            found += _missing(p.country, entity.countries, "country", entity.schema)
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
        policy: MatchingPolicy,
    ) -> Match:
        form = p.forms.forms[fi]
        cand = self.names[row]
        explanation: dict[str, Any] = {
            "algorithm": {
                "name": ALGORITHM_NAME,
                "version": ALGORITHM_VERSION,
                "weights_hash": weights_hash(),
            },
            "policy": policy.to_dict(),
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
            sources=[{"list": entity.list, "source_id": entity.source_id}],
        )


_PARTY_KIND = {"Company": "org", "Organization": "org", "LegalEntity": "org"}
_PARTY_IDS = ("imo", "tax", "registration")
_ONE_WORD_PARTY = 6  # letters of a one-word organisation name that tells a party apart


def _bonus(p: _Prepared) -> float:
    """The most the secondary features can add to this query's name score: MAX_BONUS's
    terms (same order) for the data the query gives."""
    q = p.query
    return (
        (WEIGHTS.dob_exact if q.birth_date else 0.0)
        + (WEIGHTS.country_match if p.country else 0.0)
        + (WEIGHTS.gender_match if q.gender else 0.0)
    )


def _years(entity: Entity) -> set[str]:
    return {d.lstrip("~")[:4] for d in entity.birth_dates}


def _missing(query: object, listed: list[str], feature: str, schema: str) -> list[Effect | None]:
    """policy missing_data="lower": a datum one side gives and the other lacks costs a
    little (persons only for birth dates)."""
    if feature == "dob" and schema != "Person":
        return []
    if bool(query) == bool(listed):
        return []
    side = "the list" if query else "the record"
    return [Effect(feature, query or None, listed or None, WEIGHTS.missing_data,
                   f"missing on {side} (policy lowers the score)")]


def _one_hit_per_party(found: list[tuple[int, Match]]) -> list[Match]:
    """The same party on several lists is one hit (the best-scoring), listing every
    list that carries it in `sources`."""
    out: list[Match] = []
    by_party: dict[int, Match] = {}
    for party, match in found:
        kept = by_party.get(party)
        if kept is None:
            by_party[party] = match
            out.append(match)
        else:
            kept.sources.extend(match.sources)
    return out


def _every_entry(found: list[tuple[int, Match]]) -> list[Match]:
    """Every list entry its own match; `sources` names the party's matched entries, this
    one first."""
    party: dict[int, list[dict[str, str]]] = {}
    for pid, match in found:
        party.setdefault(pid, []).extend(match.sources)
    for pid, match in found:
        mine = match.sources[0]
        match.sources = [mine, *(s for s in party[pid] if s != mine)]
    return [m for _, m in found]
