"""Monitoring and webhooks, the pure parts: list deltas, fingerprints, blocking keys,
Standard Webhooks signatures (verified by the reference package), URL checks, backoff."""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from matching.model import Entity, Identifier, Query
from matching.reverse import entity_fingerprint, entity_keys, record_keys, skeleton
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
