"""Hand-written entities (spelled as the real lists spell them) for engine unit tests."""

from __future__ import annotations

from matching.model import Entity, Identifier, ListMeta, LoadedList


def _e(source_id: str, schema: str, name: str, **kw: object) -> Entity:
    return Entity("test", source_id, schema, name, **kw)  # type: ignore[arg-type]


ENTITIES = [
    _e(
        "37621",
        "Person",
        "KOZLOV, Sergey Mikhaylovich",
        aliases=["KOZLOV, Sergei Mikhailovich"],
        birth_dates=["1960-05-31"],
        countries=["ru"],
        gender="male",
        identifiers=[Identifier("passport", "723367854")],
    ),
    _e("15106", "Person", "KOZLOV, Sergey Ivanovich", birth_dates=["1963"]),
    _e("15924", "Person", "KOZLOV, Alexei"),
    _e(
        "36217",
        "Organization",
        "INTELLEKT LLC",
        aliases=["INTELLEKT OOO"],
        identifiers=[Identifier("tax", "7701080141")],
    ),
    _e("S1", "Organization", "SODEISTVIE LLC", aliases=["OOO SODEISTVIE"]),
    _e("P1", "Person", "PANFILOV, Aleksandr Fedorovich"),
    _e("37095", "Vessel", "LADY R", identifiers=[Identifier("imo", "9161003")]),
    _e("37059", "Vessel", "ANGARA", identifiers=[Identifier("imo", "9179842")]),
    _e("V2", "Vessel", "LADY D", identifiers=[Identifier("imo", "9100001")]),
    _e("V3", "Vessel", "SASCO ANGARA", identifiers=[Identifier("imo", "9242986")]),
    _e("KPi.001", "Person", "KIM JONG UN", birth_dates=["1984-01-08"]),
    _e("KPi.002", "Person", "KIM JONG IL"),
    _e("KPi.003", "Person", "KIM Yong Chun"),
    _e("KPi.004", "Person", "RI, Pyong Chol"),
    _e("KPi.005", "Person", "PAK Jong Chon"),
    _e("KPi.006", "Person", "CHOE Ryong Hae"),
    _e("KPi.007", "Person", "JONG Kyong Taek"),
    _e("KPi.008", "Person", "KANG, P'il-Hun"),
    _e("KPi.009", "Person", "CHON Chi Bu", aliases=["CHON Chi-bu"]),
    _e("KPe.001", "Organization", "Korea Kwangson Banking Corporation", aliases=["KKBC"]),
    _e("KPe.002", "Organization", "Dangun Trading Company"),
    _e("KPe.003", "Organization", "Reconnaissance General Bureau"),
    _e("RU.GRU", "Organization", "Main Intelligence Directorate", aliases=["GRU"]),
    _e("I1", "Person", "IVANOV, Viktor Petrovich"),
    _e("I2", "Person", "PETROV, Ivan Sergeyevich"),
    _e("C1", "Company", "INTEGRAL TRADING GROUP LLC"),
]

META = ListMeta(
    name="test",
    title="Engine test list",
    authority="tests",
    source="tests/unit/engine_lists.py",
    format="python",
    published="2026-01-01",
    content_hash="0" * 64,
    entity_count=len(ENTITIES),
    name_count=0,
    loaded_at="2026-01-01T00:00:00Z",
)


def make_lists() -> list[LoadedList]:
    return [LoadedList(META, list(ENTITIES))]
