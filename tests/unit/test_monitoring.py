"""Monitoring and webhooks, the pure parts: list deltas, fingerprints, blocking keys,
Standard Webhooks signatures (verified by the reference package), URL checks, backoff."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from matching.engine import DEFAULT_THRESHOLD, Engine
from matching.model import Entity, Identifier, ListMeta, LoadedList, Query
from matching.reverse import entity_fingerprint, entity_keys, hangul_fold, record_keys, skeleton
from workers import settings
from workers.monitoring.delta import list_delta
from workers.monitoring.webhooks import WebhookError, backoff, check_url, new_secret, sign


def _kozlov(**changes: object) -> Entity:
    base = dict(list="x", source_id="1", schema="Person", name="KOZLOV, Sergey Mikhaylovich",
                birth_dates=["1960-05-31"], countries=["ru"],
                identifiers=[Identifier("passport", "723367854")], programs=["DPRK2"])
    base.update(changes)
    return Entity(**base)  # type: ignore[arg-type]


def test_list_delta_sorts_entities_into_added_changed_removed() -> None:
    old = {"a": "1", "b": "2", "c": "3"}
    new = {"b": "2", "c": "9", "d": "4"}
    assert list_delta(old, new) == {"added": ["d"], "changed": ["c"], "removed": ["a"]}
    assert list_delta(new, new) == {"added": [], "changed": [], "removed": []}


def test_fingerprint_moves_with_what_scores_not_with_programmes() -> None:
    fp = entity_fingerprint(_kozlov())
    assert entity_fingerprint(_kozlov(programs=["OTHER"])) == fp
    assert entity_fingerprint(_kozlov(aliases=["Sergei Kozlov"])) != fp
    assert entity_fingerprint(_kozlov(birth_dates=["1961"])) != fp
    assert entity_fingerprint(_kozlov(identifiers=[])) != fp


def test_a_cyrillic_record_shares_blocking_keys_with_the_latin_listing() -> None:
    keys = entity_keys(_kozlov())
    record = record_keys(Query(name="Козлов Сергей Михайлович"))
    assert any(all(set(token) & record for token in form) for form in keys.forms)
    assert "i:723367854" in keys.exact
    assert "i:723367854" in record_keys(Query(name="X Y", identifiers=["723 367 854"]))
    schmidt = record_keys(Query(name="Maria Schmidt"))
    assert not any(set(token) & schmidt for form in keys.forms for token in form)
    assert skeleton("kirilov") == skeleton("krylov") == "s:krlv" and skeleton("ivan") is None


LATIN_ONLY = [  # listed in Latin letters only, as OFAC lists them
    Entity(list="x", source_id="kozlov", schema="Person", name="KOZLOV, Sergey Mikhaylovich"),
    Entity(list="x", source_id="panfilov", schema="Person",
           name="PANFILOV, Aleksandr Fyodorovich"),
    Entity(list="x", source_id="intellekt", schema="Company", name="INTELLEKT LLC"),
    Entity(list="x", source_id="sodeistvie", schema="Company", name="SODEISTVIE LLC"),
    Entity(list="x", source_id="lady-r", schema="Vessel", name="LADY R"),
    Entity(list="x", source_id="ri", schema="Person", name="RI, Pyong Chol"),
]
HANGUL_RECORDS = [  # as Korean banks hold them
    "코즐로프 세르게이", "세르게이 미하일로비치 코즐로프", "판필로프 알렉산드르 표도로비치",
    "인텔렉트 유한책임회사", "소데이스트비예", "레이디 알", "리병철", "이병철",
]


def test_reverse_blocking_finds_every_hangul_record_a_forward_screen_finds() -> None:
    """A list delta reaches a Hangul-written record whenever a job would: every entity the
    engine matches it with shares a blocking key with it (the Korean foreign-word
    readings of matching.hangul_foreign, their Hangul fold, Korean name keys)."""
    meta = ListMeta("x", "x", "x", "x", "x", None, "0", len(LATIN_ONLY), len(LATIN_ONLY), "")
    engine = Engine([LoadedList(meta, LATIN_ONLY)])
    found_forward = 0
    for name in HANGUL_RECORDS:
        keys = record_keys(Query(name=name))
        blocked = set()
        for e in LATIN_ONLY:
            ek = entity_keys(e)
            if set(ek.exact) & keys or any(
                set(token) & keys for form in ek.forms for token in form
            ):
                blocked.add(e.source_id)
        forward = {m.source_id for m in engine.screen(Query(name=name), DEFAULT_THRESHOLD)}
        assert forward <= blocked, name
        found_forward += bool(forward)
    assert found_forward >= len(HANGUL_RECORDS) - 1  # the property is not vacuous
    # 레이디 is read "redi", listed LADY: only the fold (r=l, vowels dropped) meets it.
    assert hangul_fold("lady") == hangul_fold("redi") == "h:rd"
    assert "h:rd" in record_keys(Query(name="레이디 알"))
    assert not any(k.startswith("h:") for k in record_keys(Query(name="Lady Rose")))


def test_per_entry_screening_keeps_each_list_entry_of_one_party() -> None:
    """Jobs see one party on two lists as one match; monitoring asks per entry, so a new
    designation of a party already alerted on another list is an alert of its own."""
    def listed(name: str) -> LoadedList:
        meta = ListMeta(name, name, name, name, "x", None, name, 1, 1, "")
        return LoadedList(meta, [_kozlov(list=name, source_id=f"{name}-1")])

    engine = Engine([listed("kr"), listed("ofac")])
    query = Query(name="Sergei Kozlov")
    (merged,) = engine.screen(query)
    assert {s["list"] for s in merged.sources} == {"kr", "ofac"}
    each = engine.screen(query, per_entry=True)
    assert sorted(m.list for m in each) == ["kr", "ofac"]
    for m in each:
        assert m.sources[0] == {"list": m.list, "source_id": m.source_id}
        assert {s["list"] for s in m.sources} == {"kr", "ofac"}
    assert [m.score for m in each] == [merged.score] * 2


def test_signatures_verify_with_the_standard_webhooks_reference() -> None:
    old, new = new_secret(), new_secret()
    body = json.dumps({"type": "alert.created", "data": {"alert_id": "al_1"}})
    ts = int(__import__("time").time())
    header = f"{sign(old, 'evt_1', ts, body)} {sign(new, 'evt_1', ts, body)}"
    headers = {"webhook-id": "evt_1", "webhook-timestamp": str(ts), "webhook-signature": header}
    for secret in (old, new):  # during a rotation either secret verifies
        Webhook(secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(body + " ", headers)


@pytest.mark.parametrize(
    "url",
    [
        "http://93.184.216.34/hook",  # not https
        "https://127.0.0.1/hook",  # loopback
        "https://10.1.2.3/hook",  # private
        "https://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "https://[::1]/hook",
        "https://user:pw@93.184.216.34/hook",  # credentials in the URL
        "ftp://93.184.216.34/x",
        "https:///nohost",
    ],
)
def test_unsafe_webhook_urls_are_refused(url: str) -> None:
    with pytest.raises(WebhookError) as err:
        check_url(url, allow_private=False)
    assert err.value.field == "url"


def test_public_https_is_accepted_and_development_allows_local_http() -> None:
    check_url("https://93.184.216.34/hook", allow_private=False)
    check_url("http://127.0.0.1:8080/hook", allow_private=True)


def test_backoff_is_exponential_and_retries_last_a_day() -> None:
    gaps = [backoff(n) for n in range(1, 6)]
    assert gaps == sorted(gaps) and gaps[1] == 4 * gaps[0]
    assert settings.WEBHOOK_GIVE_UP_SECONDS >= 24 * 3600
    elapsed, attempts = 0.0, 1
    while elapsed + backoff(attempts) <= settings.WEBHOOK_GIVE_UP_SECONDS:
        elapsed += backoff(attempts)
        attempts += 1
    assert elapsed >= 24 * 3600 - settings.WEBHOOK_RETRY_MAX_GAP_SECONDS
    assert attempts < 60  # a bounded number of attempts per delivery
