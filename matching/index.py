"""Candidate search, built once per set of list versions.

- Character trigrams of the romanisation-insensitive token keys, TF-IDF weighted and
  L2-normalised in a scipy CSR matrix; a batch of query forms is one sparse product.
- Exact lookups: Korean name keys (romanisations too far apart for trigrams) and
  identifiers (IMO, passport, tax numbers) -> entities.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

try:  # scipy's own sparse product kernel (the one `@` runs), called without its sizing pass
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
except ImportError:  # pragma: no cover - another scipy layout: `@` does the same
    _csr_matmat = None

from matching.forms import KoreanKey

# Trigrams present in more than this share of names carry no blocking signal and cost
# most of the sparse product.
COMMON_TRIGRAM_SHARE = 0.03


def trigrams(keys: Iterable[str]) -> list[str]:
    out: list[str] = []
    for k in keys:
        padded = f"#{k}#"
        if len(padded) == 3:
            out.append(padded)
        out.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return out


class TrigramIndex:
    def __init__(self, rows: Sequence[tuple[str, ...]]) -> None:
        vocab: dict[str, int] = {}
        indptr = [0]
        indices: list[int] = []
        for keys in rows:
            cols = {vocab.setdefault(t, len(vocab)) for t in trigrams(keys)}
            indices.extend(sorted(cols))
            indptr.append(len(indices))
        n_rows = max(len(rows), 1)
        ind = np.asarray(indices, dtype=np.int32)
        df = np.bincount(ind, minlength=len(vocab)).astype(np.float64)
        self.idf = np.log((n_rows + 1.0) / (df + 1.0)) + 1.0
        self.common = df > COMMON_TRIGRAM_SHARE * n_rows
        data = self.idf[ind].astype(np.float32)
        m = sp.csr_matrix(
            (data, ind, np.asarray(indptr, dtype=np.int64)), shape=(len(rows), len(vocab))
        )
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        m = sp.csr_matrix(sp.diags((1.0 / norms).astype(np.float32)) @ m)
        self.vocab = vocab
        self.matrix_t = m.T.tocsr()  # trigram x name: rows of query vectors times this

    def vectors(self, rows: Sequence[tuple[str, ...]]) -> sp.csr_matrix:
        """Each query form's L2-normalised TF-IDF row over its rare trigrams (all when it
        has fewer than two rare ones); the arithmetic in one vectorised pass."""
        indptr = [0]
        indices: list[int] = []
        vocab, common = self.vocab, self.common.tolist()
        for keys in rows:
            cols = sorted({c for t in trigrams(keys) if (c := vocab.get(t)) is not None})
            rare = [c for c in cols if not common[c]]
            indices.extend(rare if len(rare) >= 2 else cols)
            indptr.append(len(indices))
        ind = np.asarray(indices, dtype=np.int32)
        ptr = np.asarray(indptr, dtype=np.int64)
        w = self.idf[ind]
        counts = np.diff(ptr)
        norms = np.ones(len(rows))
        filled = counts > 0
        # (reduceat's segments are the rows' own: each sum is the one row.sum() gives)
        norms[filled] = np.sqrt(np.add.reduceat(w * w, ptr[:-1][filled]))
        norms[norms == 0.0] = 1.0
        data = (w / np.repeat(norms, counts)).astype(np.float32)
        return sp.csr_matrix((data, ind, ptr), shape=(len(rows), len(self.vocab)))

    def search(
        self, rows: Sequence[tuple[str, ...]], k: int, min_cos: float = 0.0
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Top-k (index row ids, cosine) for each query form: one sparse product.

        Cosines below `min_cos` are dropped first, in one vectorised pass over the whole
        product: the caller would discard them anyway, and the per-row top-k then sorts
        a few dozen values instead of thousands."""
        if not rows:
            return []
        indptr, indices, data = self._product(self.vectors(rows))
        if min_cos > 0.0:
            # Positions kept, ascending; a row's new start is the count kept before it.
            kept = np.flatnonzero(data >= min_cos)
            indptr = np.searchsorted(kept, indptr)
            indices, data = indices[kept], data[kept]
        out: list[tuple[np.ndarray, np.ndarray]] = []
        for a, b in pairwise(indptr.tolist()):
            idx, val = indices[a:b], data[a:b]
            if len(val) > k:
                # (the method np.argpartition calls, without its Python wrapper)
                top = (-val).argpartition(k)[:k]
                idx, val = idx[top], val[top]
            out.append((idx, val))
        return out


    def _product(self, vec: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, indices, data) of vec @ matrix_t. scipy's `@` first runs the whole
        product once only to count its nonzeros; here the output is sized by the postings
        the rows touch instead (an upper bound of them) and the same kernel runs once."""
        mt = self.matrix_t
        bound = int(np.diff(mt.indptr)[vec.indices].sum())
        if _csr_matmat is None or bound >= 2**31 - 1:
            prod = (vec @ mt).tocsr()
            return prod.indptr, prod.indices, prod.data
        i32 = np.int32
        indptr = np.empty(vec.shape[0] + 1, dtype=i32)
        indices = np.empty(bound, dtype=i32)
        data = np.empty(bound, dtype=np.result_type(vec.dtype, mt.dtype))
        _csr_matmat(
            vec.shape[0], mt.shape[1],
            np.asarray(vec.indptr, dtype=i32), np.asarray(vec.indices, dtype=i32), vec.data,
            np.asarray(mt.indptr, dtype=i32), np.asarray(mt.indices, dtype=i32), mt.data,
            indptr, indices, data,
        )
        nnz = int(indptr[-1])
        return indptr, indices[:nnz], data[:nnz]


class KeyIndex:
    """Exact-key lookups: Korean name keys -> name rows, identifiers -> entities."""

    def __init__(self) -> None:
        self.korean: dict[KoreanKey, list[int]] = defaultdict(list)
        self.identifiers: dict[str, list[int]] = defaultdict(list)

    def add_korean(self, key: KoreanKey, row: int) -> None:
        self.korean[key].append(row)

    def add_identifier(self, value: str, entity: int) -> None:
        if len(value) >= 5 and entity not in self.identifiers[value]:
            self.identifiers[value].append(entity)


def token_idf(entity_keys: Iterable[set[str]]) -> tuple[dict[str, float], float]:
    """IDF of each token key over entities; returns (table, weight of an unseen token)."""
    df: dict[str, int] = defaultdict(int)
    n = 0
    for keys in entity_keys:
        n += 1
        for k in keys:
            df[k] += 1
    n = max(n, 1)
    unseen = math.log(n + 1.0) + 1.0
    table = {k: min(math.log((n + 1.0) / (c + 0.5)) + 1.0, unseen) for k, c in df.items()}
    return table, unseen
