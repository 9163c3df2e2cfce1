"""Issue 9's evaluation categories (called by bench/evaluate.py; also runs alone):

- cyr_org_dev / cyr_org_report: organisations whose list carries a Cyrillic name next to
  English/Latin ones, HELD-OUT entities only (bench/build_lexicon.is_train is False, so
  the mined lexicon never saw them), in two halves (held_out_split): the matching is tuned
  on dev, the figures are reported on report. Every Cyrillic name is removed from every
  list and the Cyrillic name is the query. Recall at the default threshold (the target
  entry itself among the hits), rank 1, and party recall: the target entry or another
  entry the lists themselves tie to it (the same IMO, tax or registration number, or the
  same name, compared as written less case and punctuation).
- bank_file: a realistic customer file: persons in Cyrillic, Hangul and Latin (real
  first and last names of Russian, Korean, Western and Arab populations, checked not to
  be listed, with birth dates and countries), companies in Cyrillic, Latin and Hangul
  (the eval's company negatives: real companies in Latin and Cyrillic,
  bench/company_negatives.py; composed Hangul ones), and a few listed records (2%: UK
  Cyrillic persons, dev-split Cyrillic organisations, listed Hangul names). Share of
  records alerting;
  every listed record must be found. Session 6's design (1,147 records, 22 listed: 1.9%),
  kept as it was so its figure stands beside the new one.
- bank5k_dev / bank5k_report: the bank file as the issue describes it, decided in
  session 7 before any result on it was seen. Two independent files of 5,000 records
  each: 4,978 unlisted customers and 22 listed (0.44%). Why: the issue's bank tried a
  5,000-customer file with few listed; a real bank's share of designated customers is
  far under 1%, so the <= 2% target reads as "about 2% of customers alert, and every
  listed one is among them". The old file's 1.9% listed share left room for no false
  alert at all. 22 listed records are kept (not the ~1 a real bank would hold) so that
  "every listed record found" still tests all three scripts. Unlisted: the old file's
  five populations in its proportions (Russian, Korean, Western and Arab persons with
  birth years and countries; companies: two thirds real Latin and Cyrillic ones, one
  third composed Hangul ones, since no real source of Hangul company names exists in
  the shared data or the packages). Listed: 7 UK Cyrillic persons, 7 Cyrillic
  organisations of the file's own half of cyr_org (dev / report), 8 listed Hangul
  names. The two files share no listed record; their unlisted customers are independent
  draws (own random streams) from the same word pools (evaluate.py's real first and last
  names, paired at random), so a common name can sit in both, as in two banks' files:
  excluding them left the report file 1,100 short. Tuning looks at the dev file only
  (--show-misses) and fixes general causes, never a name; the report file is run, not read.
- namesakes: listed persons with a birth year, queried by a listed name with a birth
  year 5-20 years away from the first date and at least 5 from every other date the entry
  gives, and another country. Share alerting on that person.
- types: listed vessels queried as a Company, companies as a Vessel or a Person, persons
  as a Company, name alone. Share alerting on an entity of the other type.

Every figure is printed beside the naive baseline (unidecode + rapidfuzz WRatio >= 90,
which sees names only) computed in the same run.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build_lexicon import held_out_split  # noqa: E402
from evaluate import (  # noqa: E402
    BASELINE_CUTOFF,
    CYRILLIC,
    HANGUL,
    SEED,
    Case,
    cyrillic_cases,
    hangul_cases,
    lists_dir,
    negative_cases,
    strip_names,
)

from matching.engine import DEFAULT_THRESHOLD, Engine  # noqa: E402
from matching.features import types_conflict  # noqa: E402
from matching.lists import load_spec  # noqa: E402
from matching.model import Entity, LoadedList, Query  # noqa: E402

BANK_SIZE = 2000
LISTED_SHARE = 0.02
COUNTRIES = ["ru", "kr", "de", "fr", "us", "gb", "ae", "tr", "kz", "cn"]


@dataclass(slots=True)
class Scored:
    engine_hit: bool  # the category's event, by the engine
    base_hit: bool  # ...and by the baseline


def _entities(lists: Sequence[LoadedList]) -> dict[tuple[str, str], Entity]:
    return {(e.list, e.source_id): e for lst in lists for e in lst.entities}


def cyr_org_cases(lists: Sequence[LoadedList], split: str = "dev") -> list[Case]:
    out = []
    for lst in lists:
        for e in lst.entities:
            if e.schema in ("Person", "Vessel", "Airplane") or held_out_split(e) != split:
                continue
            names = [e.name, *e.aliases]
            cyr = [n for n in names if CYRILLIC.search(n)]
            if cyr and any(not CYRILLIC.search(n) and not HANGUL.search(n) for n in names):
                out.append(Case(f"cyr_org_{split}", Query(cyr[0], schema=e.schema),
                                (e.list, e.source_id)))
    return out


_PUNCT = re.compile(r"[^\w]+")


def same_party(lists: Sequence[LoadedList]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Entry -> the entries the lists tie to it: a shared IMO, tax or registration number
    (6+ characters), or a shared name compared as written less case and punctuation.
    The eval's own rule, independent of the engine's merging."""
    by_key: dict[str, set[tuple[str, str]]] = {}
    for lst in lists:
        for e in lst.entities:
            ref = (e.list, e.source_id)
            for ident in e.identifiers:
                v = _PUNCT.sub("", ident.value).lower()
                if ident.kind in ("imo", "tax", "registration") and len(v) >= 6:
                    by_key.setdefault(f"{e.schema == 'Vessel'}:id:{v}", set()).add(ref)
            for n in [e.name, *e.aliases]:
                v = _PUNCT.sub(" ", n).lower().strip()
                if len(v) >= 6:
                    by_key.setdefault(f"{e.schema == 'Person'}:name:{v}", set()).add(ref)
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for refs in by_key.values():
        if len(refs) > 1:
            for r in refs:
                out.setdefault(r, set()).update(refs)
    return out


def namesake_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    pool = [
        e for lst in lists for e in lst.entities
        if e.schema == "Person" and e.birth_dates and e.birth_dates[0].lstrip("~")[:4].isdigit()
        and not CYRILLIC.search(e.name) and not HANGUL.search(e.name)
    ]
    out = []
    for e in rng.sample(pool, min(n, len(pool))):
        year = int(e.birth_dates[0].lstrip("~")[:4]) + rng.choice([-1, 1]) * rng.randint(5, 20)
        country = next(c for c in rng.sample(COUNTRIES, len(COUNTRIES)) if c not in e.countries)
        if _near_any(year, e.birth_dates):
            # Drawn from the first date, near another the list gives (1954 for a person
            # born 1966, 1953 or 1960): no namesake. Skipped after the draws, so every
            # other case is the one drawn before.
            continue
        out.append(Case("namesakes", Query(e.name, birth_date=str(year), country=country),
                        (e.list, e.source_id)))
    return out


def _near_any(year: int, dates: Sequence[str], gap: int = 5) -> bool:
    """True if `year` is under `gap` years from any published date or inside a range."""
    for d in dates:
        years = [int(y) for y in re.findall(r"\d{4}", d)]
        if years and min(years) - gap < year < max(years) + gap:
            return True
    return False


_SWAP = {"Vessel": ["Company"], "Company": ["Vessel", "Person"], "Person": ["Company"]}


def type_cases(lists: Sequence[LoadedList], rng: random.Random, n: int) -> list[Case]:
    pool = [e for lst in lists for e in lst.entities if e.schema in _SWAP
            and not CYRILLIC.search(e.name) and not HANGUL.search(e.name)]
    out = []
    for e in rng.sample(pool, min(n, len(pool))):
        out.append(Case("types", Query(e.name, schema=rng.choice(_SWAP[e.schema])),
                        (e.list, e.source_id)))
    return out


def bank_cases(
    lists: Sequence[LoadedList], stripped: Sequence[LoadedList], rng: random.Random
) -> list[Case]:
    per = BANK_SIZE // 8
    negatives = [c for c in negative_cases(stripped, rng, per) if c.category != "neg_arabic"]
    negatives += [c for c in negative_cases(stripped, random.Random(SEED + 1), per // 2)
                  if c.category == "neg_arabic"]
    for c in negatives:
        _as_customer(c, rng)
        c.category = "bank_file"
    listed_n = max(3, int(len(negatives) * LISTED_SHARE / (1 - LISTED_SHARE)))
    third = listed_n // 3
    listed = (cyrillic_cases(lists, rng, third)
              + rng.sample(cyr_org_cases(lists, "dev") + cyr_org_cases(lists, "report"), third)
              + hangul_cases(lists)[: listed_n - 2 * third])
    for c in listed:
        c.category = "bank_listed"
    return negatives + listed


def _as_customer(c: Case, rng: random.Random) -> None:
    """A negative as a bank holds it: a person with a birth year and a country, or a company."""
    if not c.category.startswith("neg_company"):
        c.query.schema = "Person"
        c.query.birth_date = str(rng.randint(1940, 2004))
        c.query.country = {"neg_russian": "ru", "neg_korean": "kr"}.get(
            c.category, rng.choice(COUNTRIES))
    else:
        c.query.schema = "Company"


BANK5K_RECORDS = 5000
BANK5K_LISTED = (7, 7, 8)  # UK Cyrillic persons, Cyrillic organisations, Hangul names


def bank5k_cases(lists: Sequence[LoadedList], stripped: Sequence[LoadedList]) -> list[Case]:
    """The two 5,000-record bank files (module docstring), each from its own random stream,
    so the other categories' draws are those of earlier sessions."""
    n_p, n_o, n_h = BANK5K_LISTED
    unlisted_n = BANK5K_RECORDS - sum(BANK5K_LISTED)
    persons = cyrillic_cases(lists, random.Random(SEED + 3), 10**6)
    hangul = hangul_cases(lists)
    random.Random(SEED + 3).shuffle(hangul)
    out: list[Case] = []
    for i, half in enumerate(("dev", "report")):
        rng = random.Random(SEED + 10 + i)
        per = unlisted_n * 2 // 9 + 15  # four populations of `per`, Arab names per/2, as before
        negs = negative_cases(stripped, rng, per)
        arab = [c for c in negs if c.category == "neg_arabic"][: per // 2]
        negs = [c for c in negs if c.category != "neg_arabic"] + arab
        rng.shuffle(negs)
        negs = negs[:unlisted_n]
        for c in negs:
            _as_customer(c, rng)
            c.category = f"bank5k_{half}"
        listed = (persons[i * n_p:(i + 1) * n_p] + rng.sample(cyr_org_cases(lists, half), n_o)
                  + hangul[i * n_h:(i + 1) * n_h])
        for c in listed:
            c.category = f"bank5k_{half}_listed"
        out += negs + listed
    return out


def _baseline(stripped: Sequence[LoadedList], cases: Sequence[Case]) -> list[dict[str, float]]:
    """Per case: best WRatio of the target, of any entity, of an entity of another type."""
    names: list[str] = []
    owners: list[tuple[str, str]] = []
    schemas: list[str] = []
    for lst in stripped:
        for e in lst.entities:
            for nm, _ in e.all_names():
                names.append(utils.default_process(unidecode(nm)))
                owners.append((e.list, e.source_id))
                schemas.append(e.schema)
    owner_arr = np.array([f"{a}\x00{b}" for a, b in owners])
    schema_arr = np.array(schemas)
    masks: dict[str, np.ndarray] = {}  # query schema -> names of a conflicting type
    out = []
    queries = [utils.default_process(unidecode(c.query.name)) for c in cases]
    for start in range(0, len(cases), 200):
        # Scores under the cutoff read 0: every use compares with the cutoff (faster).
        block = process.cdist(queries[start:start + 200], names, scorer=fuzz.WRatio,
                              dtype=np.uint8, workers=-1, score_cutoff=BASELINE_CUTOFF)
        for i, c in enumerate(cases[start:start + 200]):
            row = block[i]
            tgt = 0.0
            if c.target is not None:
                mask = owner_arr == f"{c.target[0]}\x00{c.target[1]}"
                tgt = float(row[mask].max()) if mask.any() else 0.0
            other = 0.0
            if c.query.schema:
                mask = masks.get(c.query.schema)
                if mask is None:
                    mask = masks[c.query.schema] = np.array(
                        [types_conflict(c.query.schema, s) for s in schema_arr])
                other = float(row[mask].max()) if mask.any() else 0.0
            out.append({"target": tgt, "any": float(row.max()), "other_type": other})
    return out


GROUPS = {
    "cyr_org_dev": ("cyr_org_dev",),
    "cyr_org_report": ("cyr_org_report",),
    "bank": ("bank_file", "bank_listed"),
    "bank5k_dev": ("bank5k_dev", "bank5k_dev_listed"),
    "bank5k_report": ("bank5k_report", "bank5k_report_listed"),
    "namesakes": ("namesakes",),
    "types": ("types",),
}


def _show(engine: Engine, c: Case, ms: Sequence[object], by_id: dict) -> None:  # type: ignore[type-arg]
    """One dev-half miss (the target's best score at threshold 0) or one false alert."""
    want = by_id.get(c.target) if c.target else None
    print(f"[{c.category}] {c.query.name!r} ({c.query.schema})"
          + (f" -> want {want.name!r} {want.aliases[:4]}" if want else ""))
    shown = list(ms[:2])
    if want is not None:
        shown = [m for m in engine.screen(c.query, threshold=0.0, limit=50)
                 if c.target in [(s["list"], s["source_id"]) for s in m.sources]][:1]
        if not shown:
            print("    target not among the candidates")
    for m in shown:
        ex = m.explanation  # type: ignore[attr-defined]
        toks = [(t["query"], t["list"], t["score"]) for t in ex["tokens"]]
        print(f"    {m.score:.3f} {m.matched_name!r} via {ex['query_form']['text']!r}: {toks}")  # type: ignore[attr-defined]


def report(
    lists: Sequence[LoadedList], stripped: Sequence[LoadedList], engine: Engine,
    rng: random.Random, baseline: bool = True, only: Sequence[str] = (),
    show_misses: int = 0,
) -> None:
    """`only`: GROUPS to run (all when empty); every case is still built, in the same
    order, so a group holds the same cases as in a full run. `show_misses`: print up to
    this many dev-half organisation misses, and the dev bank file's false alerts and missed
    listed records (never report-half entities, which must stay unseen)."""
    cases = (cyr_org_cases(lists, "dev") + cyr_org_cases(lists, "report")
             + bank_cases(lists, stripped, rng)
             + namesake_cases(stripped, rng, 600) + type_cases(stripped, rng, 600)
             + bank5k_cases(lists, stripped))
    if only:
        keep = {cat for g in only for cat in GROUPS[g]}
        cases = [c for c in cases if c.category in keep]
    by_id = _entities(stripped)
    results = engine.screen_many([c.query for c in cases], threshold=DEFAULT_THRESHOLD, limit=10)
    base = _baseline(stripped, cases) if baseline else [{}] * len(cases)
    th, cut = DEFAULT_THRESHOLD, BASELINE_CUTOFF
    rows: dict[str, list[Scored]] = {}
    rank1: dict[str, list[bool]] = {}
    party: dict[str, list[bool]] = {}
    tied = same_party(stripped)
    for c, ms, b in zip(cases, results, base, strict=True):
        found = any((m.list, m.source_id) == c.target or c.target in
                    [(s["list"], s["source_id"]) for s in m.sources] for m in ms)
        if c.category.startswith("cyr_org"):
            ev, bv = found, b.get("target", 0) >= cut
            rank1.setdefault(c.category, []).append(
                bool(ms) and c.target in [(s["list"], s["source_id"]) for s in ms[0].sources])
            ties = tied.get(c.target, set()) | {c.target}
            party.setdefault(c.category, []).append(any(
                (s["list"], s["source_id"]) in ties for m in ms for s in m.sources))
        elif c.category.startswith("bank"):
            ev, bv = bool(ms), b.get("any", 0) >= cut
        elif c.category == "namesakes":
            ev, bv = found, b.get("target", 0) >= cut
        else:  # types: alerts on an entity of a conflicting type
            ev = any(types_conflict(c.query.schema, by_id[(m.list, m.source_id)].schema)
                     and not any(f["feature"] == "identifier" for f in m.explanation["features"])
                     for m in ms if (m.list, m.source_id) in by_id)
            bv = b.get("other_type", 0) >= cut
        rows.setdefault(c.category, []).append(Scored(ev, bv))
        if show_misses and ((c.category in ("cyr_org_dev", "bank5k_dev_listed") and not ev)
                            or (c.category == "bank5k_dev" and ev)):
            show_misses -= 1
            _show(engine, c, ms, by_id)
    bank = rows.get("bank_file", []) + rows.get("bank_listed", [])
    print(f"\nIssue 9 categories at DEFAULT_THRESHOLD={th} (baseline: unidecode + WRatio >= "
          f"{cut:.0f}, same run)")
    print(f"{'category':<14}{'n':>6}  {'metric':<34}{'engine':>8}{'baseline':>10}  target")

    def line(cat: str, n: int, metric: str, e: float, b: float, target: str) -> None:
        print(f"{cat:<14}{n:>6}  {metric:<34}{e:>8.3f}{b:>10.3f}  {target}")

    def share(xs: list[Scored]) -> tuple[float, float]:
        if not xs:
            return float("nan"), float("nan")
        return (sum(x.engine_hit for x in xs) / len(xs), sum(x.base_hit for x in xs) / len(xs))

    for split in ("dev", "report"):
        cat = f"cyr_org_{split}"
        if cat not in rows:
            continue
        e, b = share(rows.get(cat, []))
        line(cat, len(rows.get(cat, [])), f"recall (held-out, {split} half)", e, b, ">= 0.90")
        if rank1.get(cat):
            r1, pr = rank1[cat], party[cat]
            print(f"{'':<22}ranked first: {sum(r1) / len(r1):.3f}; party recall (the target "
                  f"or an entry the lists tie to it): {sum(pr) / len(pr):.3f}")
    e, b = share(bank)
    line("bank_file", len(bank), "records alerting (s6 design)", e, b, "<= 0.02")
    e, b = share(rows.get("bank_file", []))
    line("bank_unlisted", len(rows.get("bank_file", [])), "unlisted records alerting", e, b,
         "(info: false alerts)")
    e, b = share(rows.get("bank_listed", []))
    line("bank_listed", len(rows.get("bank_listed", [])), "listed records found", e, b, "1.00")
    for half in ("dev", "report"):
        neg, pos = rows.get(f"bank5k_{half}", []), rows.get(f"bank5k_{half}_listed", [])
        if not neg:
            continue
        e, b = share(neg + pos)
        line(f"bank5k_{half}", len(neg + pos), "records alerting (5,000-record file)", e, b,
             "<= 0.02")
        e, b = share(neg)
        line("  unlisted", len(neg), "unlisted records alerting", e, b, "(info: false alerts)")
        e, b = share(pos)
        line("  listed", len(pos), "listed records found", e, b, "1.00")
    e, b = share(rows.get("namesakes", []))
    line("namesakes", len(rows.get("namesakes", [])), "alerting (>=5 y apart, other cty)", e, b,
         "<= 0.01")
    e, b = share(rows.get("types", []))
    line("types", len(rows.get("types", [])), "alerting on another type", e, b, "0")
    print("cyr_org_*: entities bench/build_lexicon.is_train() holds out (1 in 5), in two halves"
          " (held_out_split): tuned on dev, reported on report; the lexicon is mined from the"
          " train split only")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--only", action="append", choices=sorted(GROUPS), default=[],
                    help="run only these categories (repeatable); e.g. --only cyr_org_dev")
    ap.add_argument("--show-misses", type=int, default=0,
                    help="print dev-half organisation misses, and the dev bank file's false"
                    " alerts and missed listed records")
    args = ap.parse_args()
    rng = random.Random(SEED)
    lists = load_spec(str(lists_dir()))
    stripped = strip_names(lists, lambda s: bool(CYRILLIC.search(s) or HANGUL.search(s)))
    report(lists, stripped, Engine(stripped), rng, baseline=not args.no_baseline,
           only=args.only, show_misses=args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
