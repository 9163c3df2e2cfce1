"""Issue 14's speed changes keep results exact: the hand-written fast paths give what
the generic code they replace gives."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rapidfuzz.distance import OSA

from matching.config import WEIGHTS
from matching.policy import FIELDS, MatchingPolicy
from matching.scoring import _short_vowel_sim, fuzzy_sim, max_edits, stem_sim, token_sim


def test_policy_dict_is_asdict() -> None:
    for policy in (
        MatchingPolicy(),
        MatchingPolicy(threshold=0.7, list_thresholds={"un": 0.9}, lists=("un", "eu"),
                       strict_types=False, namesake_year_gap=3, missing_data="lower"),
    ):
        expected = asdict(policy)
        expected["lists"] = list(policy.lists) if policy.lists is not None else None
        got = policy.to_dict()
        assert got == expected
        assert list(got) == list(FIELDS)
        assert got["list_thresholds"] is not policy.list_thresholds  # a copy


def _fuzzy_reference(a: str, b: str) -> float:
    limit = max_edits(min(len(a), len(b)))
    if limit == 0:
        return _short_vowel_sim(a, b)
    if abs(len(a) - len(b)) > limit:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=limit)
    return 0.0 if d > limit else 1.0 - WEIGHTS.fuzzy_penalty * d / max(len(a), len(b))


WORDS = ["said", "saed", "saqr", "saqar", "rad", "raad", "alia", "sa", "al", "ali", "aly",
         "omar", "amar", "petrov", "petrova",
         "petrow", "sergei", "sergey", "aleksandr", "alexander", "aleksandrovich",
         "konstantinopolskii", "konstantinopolskiy", "tomsk", "tomskaya", "kama", "kamskii",
         "arzamas", "arzamasskiy", "a", "s", "mohammedzuhair", "mohammed", "x"]


def test_fuzzy_and_token_sim_match_the_reference() -> None:
    for a in WORDS:
        for b in WORDS:
            assert fuzzy_sim(a, b) == _fuzzy_reference(a, b), (a, b)
            full = max(_fuzzy_reference(a, b), stem_sim(a, b)) if a != b else 1.0
            if len(a) == 1 or len(b) == 1:
                continue  # initials: their own rule
            assert token_sim(a, a, b, b) == full, (a, b)


def test_a_form_repeated_in_a_chunk_is_searched_once_with_the_same_matches() -> None:
    from matching.engine import Engine
    from matching.model import Query
    from tests.unit.engine_lists import make_lists

    engine = Engine(make_lists())
    # Names screened twice, among others with other candidates.
    queries = [Query("세르게이 코즐로프"), Query("LADY R"), Query("세르게이 코즐로프"),
               Query("SODEISTVIE"), Query("LADY R"), Query("Сергей Козлов")]
    alone = [engine.screen(q, threshold=0.0) for q in queries]
    together = engine.screen_many(queries, threshold=0.0)
    assert [[(m.source_id, m.score, m.explanation) for m in ms] for ms in together] == [
        [(m.source_id, m.score, m.explanation) for m in ms] for ms in alone
    ]
    assert all(together)


def test_trigram_product_and_vectors_match_scipy() -> None:
    """The one-pass product (scipy's kernel, output sized by the postings) and the
    vectorised query rows give exactly what `@` and the row-by-row arithmetic give:
    the same nonzeros in the same order, the same float bits."""
    import numpy as np

    from matching.index import TrigramIndex, trigrams

    names = [("ivan", "petrov"), ("petrov", "ivan"), ("ivanova",), ("acme", "trading"),
             ("sergei", "kozlov"), ("kozlova", "anna"), ("a",), ("trading", "group")]
    # Fillers make their own trigrams common (searched only when a form lacks two rare).
    names += [("namen" + chr(97 + i % 26) + chr(97 + i // 26),) for i in range(60)]
    index = TrigramIndex(names)
    assert index.common.any() and not index.common.all()
    queries = [("ivan", "petrova"), ("zzqx",), (), ("acme",), ("kozlov", "sergei", "ivan"),
               ("namenab",), ("namen", "ivan")]
    vec = index.vectors(queries)
    for r, keys in enumerate(queries):  # the row-by-row arithmetic it replaced
        cols = sorted({c for t in trigrams(keys) if (c := index.vocab.get(t)) is not None})
        rare = [c for c in cols if not index.common[c]]
        use = rare if len(rare) >= 2 else cols
        w = index.idf[use] if use else np.zeros(0)
        want = (w / (float(np.sqrt((w * w).sum())) or 1.0)).astype(np.float32)
        a, b = vec.indptr[r], vec.indptr[r + 1]
        assert vec.indices[a:b].tolist() == use
        assert vec.data[a:b].tobytes() == want.tobytes()
    prod = (vec @ index.matrix_t).tocsr()
    indptr, indices, data = index._product(vec)
    assert indptr.tolist() == prod.indptr.tolist()
    assert indices.tolist() == prod.indices.tolist()
    assert data.tobytes() == prod.data.tobytes()


# fold_latin's ASCII fast path against the full path (_strip_marks): varied tokens.
FOLD_SAMPLE = [
    "sergey", "Sergei", "SERGUEI", "mikhaylovich", "Michajlovič", "ivanoff", "kozlow",
    "o'brien", "al-hassan", "jean-pierre", "o.k.", "3rd", "007", "ak47", "a1b2", "x",
    "", "-", "..", "yuriy", "Jurij", "Iouri", "sodeïstvie", "straße", "łódź", "đorđević",
    "Şahin", "İstanbul", "ǅemal", "ﬁnn", "ⅸ", "²", "ｓｅｒｇｅｙ", "ß", "Ə", "müller",
    "tschaikowsky", "Schtschedrin", "zhukov", "CHUKOVSKY", "kh", "tsch", "tab\tx", "sp ace",
]


def test_fold_latin_fast_path_gives_the_full_path_result() -> None:
    from matching.cyrillic import _strip_marks, fold_latin

    samples = FOLD_SAMPLE + [chr(c) for c in range(128)] + [
        "".join(chr(32 + (i * 37 + j * 11) % 95) for j in range(1 + i % 12)) for i in range(300)
    ]
    for t in samples:
        if t.isascii():
            # The full path, forced: a combining mark that _strip_marks drops.
            assert fold_latin(t) == fold_latin(t + "\u0301"), t
            assert _strip_marks(t.lower()) == "".join(c for c in t.lower() if c.isalnum()), t
    # Non-ASCII input keeps the full path: marked letters still meet their plain forms.
    assert fold_latin("Michajlovič") == fold_latin("mikhaylovich")
    assert fold_latin("straße") == fold_latin("strasse")


def test_fuzzy_sim_of_a_hangul_word_and_a_latin_token_is_zero() -> None:
    """Why token_sim skips the pair: with no character in common, fuzzy_sim's short-word
    rules need all but one vowel to be equal, and the edit distance is the longer length,
    5 or more, above every edit limit (3 at most)."""
    hangul = ["김", "세르", "이바노", "세르게이", "알렉산드르", "코즐로프스키", "블라디미로비치",
              "도널드트럼프주니어", "가", "힣힣힣힣힣"]
    latin = ["a", "ki", "kim", "sergei", "aleksandr", "kozlovskii", "vladimirovich", "iaeou",
             "aeio", "aeiou", "x1", "o'brien", "donaldtrumpjr", "12345", "abcde", "a-b-c-d-e"]
    for w in hangul:
        for t in latin + [t.upper() for t in latin]:
            assert fuzzy_sim(w, t) == 0.0 and fuzzy_sim(t, w) == 0.0, (w, t)
            for key in (t.lower(), "sergei", "x"):
                # The skip leaves token_sim as it was: the keys' and the stems' scores.
                expected = max(fuzzy_sim(key, t), fuzzy_sim(w, t), stem_sim(w, t))
                if len(w) == 1 or len(t) == 1:
                    expected = 0.0  # (initials: no Hangul word is a Latin initial)
                if key == t:
                    expected = 1.0 if min(len(w), len(t)) >= 4 else 0.0
                assert token_sim(w, key, t, t) == expected, (w, key, t)


def test_search_top_k_matches_the_reference() -> None:
    """search's per-row top-k (ndarray.argpartition over Python-int row bounds) keeps
    what np.argpartition over the product's rows keeps, in the same order."""
    import numpy as np

    from matching.index import TrigramIndex

    names = [("namen" + chr(97 + i % 26) + chr(97 + i // 26),) for i in range(80)]
    names += [("ivan", "petrov"), ("ivanova",), ("petrova", "anna")]
    index = TrigramIndex(names)
    queries = [("namenab",), ("namen",), ("ivan", "petrova"), ("zzqx",), ()]
    for k, min_cos in ((3, 0.0), (3, 0.2), (50, 0.0)):
        got = index.search(queries, k, min_cos)
        prod = (index.vectors(queries) @ index.matrix_t).tocsr()
        for r, (idx, val) in enumerate(got):
            a, b = prod.indptr[r], prod.indptr[r + 1]
            ref_i, ref_v = prod.indices[a:b], prod.data[a:b]
            keep = ref_v >= min_cos
            ref_i, ref_v = ref_i[keep], ref_v[keep]
            if len(ref_v) > k:
                top = np.argpartition(-ref_v, k)[:k]
                ref_i, ref_v = ref_i[top], ref_v[top]
            assert idx.tolist() == ref_i.tolist() and val.tobytes() == ref_v.tobytes()


def test_a_form_met_in_an_earlier_chunk_is_searched_once_with_the_same_matches(
    monkeypatch: Any,
) -> None:
    """The search cache serves a form met in an earlier chunk (or call): the same matches
    as a fresh engine screening each name alone, at both cosine floors, and the sparse
    product runs once per distinct form and floor."""
    import matching.engine as engine_module
    from matching.engine import Engine
    from matching.model import Query
    from tests.unit.engine_lists import make_lists

    queries = [Query("세르게이 코즐로프"), Query("LADY R"), Query("SODEISTVIE"),
               Query("LADY R"), Query("Сергей Козлов"), Query("세르게이 코즐로프")]
    for threshold in (0.0, None):
        want = []
        for q in queries:
            fresh = Engine(make_lists())
            want.append(fresh.screen(q, threshold=threshold))
        engine = Engine(make_lists())
        searched: list[tuple[str, ...]] = []
        search = engine.trigrams.search

        def counting(
            rows: Any, k: int, min_cos: float = 0.0, search: Any = search, seen: Any = searched
        ) -> Any:
            seen.extend(rows)
            return search(rows, k, min_cos)

        monkeypatch.setattr(engine.trigrams, "search", counting)
        monkeypatch.setattr(engine_module, "BATCH_CHUNK", 2)  # repeats fall in later chunks
        got = engine.screen_many(queries, threshold=threshold)
        assert [[(m.source_id, m.score, m.explanation) for m in ms] for ms in got] == [
            [(m.source_id, m.score, m.explanation) for m in ms] for ms in want
        ]
        assert len(searched) == len(set(searched))
        again = engine.screen_many(queries, threshold=threshold)
        assert again == got and len(searched) == len(set(searched))
    assert any(want)


def test_legal_spellings_by_length_match_every_word_scanned() -> None:
    """_legal_spellings looks at legal words of a near length only: the same words as
    scanning every legal word, for typos of every legal word and other tokens."""
    from rapidfuzz.distance import OSA as osa

    from matching.normalize import _legal_spellings, _legal_words

    words = sorted(_legal_words())
    tokens = ["holdings", "trading", "ivanova", "obshchestvo", "aktsionernoe", "x" * 9]
    for w in words:
        tokens += [w[1:], w + "s", w[:2] + w[3:], w[:-2] + w[-1] + w[-2], w[:3] + "q" + w[4:]]
    for t in tokens:
        _legal_spellings.cache_clear()
        if len(t) < 5 or t in _legal_words():
            assert _legal_spellings(t) == (t,)
            continue
        want = tuple(sorted(w for w in words if abs(len(w) - len(t)) <= 1
                            and osa.distance(w, t, score_cutoff=1) <= 1)) or (t,)
        assert _legal_spellings(t) == want, t
