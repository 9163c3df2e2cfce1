"""The analyst's flows in headless Chromium through the real stack: sign in; the instant
check's side-by-side view; a small job submitted from the page, its progress, summary,
downloads and hits; and (with the compliance record) the queue, a hit, a decision by
keyboard, four-eyes confirmation, and the audit export."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import (
    NEEDS_RECORD,
    UiStack,
    make_driver,
    page_fetch,
    sign_in,
    wait_for,
)
from tests.integration.procs import wait_until

pytestmark = pytest.mark.integration

KOZLOV = "Козлов Сергей Михайлович"
KIM = "김정은"
JOB_LINES = f"{KOZLOV} | 1960-05-31 | RU\n{KIM} | 1987"
DOCS = Path(__file__).resolve().parents[2] / "docs"
DOCS_ENV = "SCREENING_UI_DOCS_SHOTS"  # set to 1 to refresh docs/ui-*.png


def _tenant(ui_stack: UiStack, *extra: str) -> str:
    return ui_stack.tenant(f"ui-{uuid.uuid4().hex[:8]}", *extra)


def _no_horizontal_scroll(driver: Any) -> None:
    widths = driver.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"


def _shot(driver: Any, artefacts: Path, name: str, docs: bool = False) -> None:
    """A screenshot of the whole page (the window grows to fit it, then shrinks back)."""
    size = driver.get_window_size()
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(size["width"], min(max(height + 140, size["height"]), 4000))
    driver.save_screenshot(str(artefacts / name))
    if docs and os.environ.get(DOCS_ENV):  # refresh the README's pictures on request
        driver.save_screenshot(str(DOCS / name))
    driver.set_window_size(size["width"], size["height"])


def _pair_texts(card: Any) -> list[tuple[str, str, str]]:
    """(as written, Latin reading, listed token) of each aligned pair in a match card."""
    out = []
    for pair in card.find_elements(By.CSS_SELECTOR, ".pair"):
        written = pair.find_elements(By.CSS_SELECTOR, ".query .written")
        reading = pair.find_elements(By.CSS_SELECTOR, ".query .reading")
        out.append((written[0].text if written else "", reading[0].text if reading else "",
                    pair.get_attribute("data-list") or ""))
    return out


def _effect(card: Any, feature: str) -> tuple[str, float]:
    """The direction class and drawn width (px) of a feature's bar."""
    bar = card.find_element(By.CSS_SELECTOR, f'.effect[data-feature="{feature}"] .bar')
    direction = next(c for c in ("raise", "lower", "none") if c in bar.get_attribute("class"))
    return direction, float(bar.size["width"])


def _submit_job(driver: Any, base: str) -> str:
    driver.get(f"{base}/ui/jobs")
    wait_for(driver, "#j-records").send_keys(JOB_LINES)
    driver.find_element(By.ID, "j-ref").send_keys("browser test batch")
    driver.find_element(By.CSS_SELECTOR, "#job-form button[type=submit]").click()
    accepted = wait_for(driver, "#job-form-message.ok")
    job_id = accepted.text.split()[1]
    wait_for(driver, f'li.job[data-job-id="{job_id}"] .job-summary[data-status="completed"]', 180)
    return job_id


def test_sign_in_refuses_a_wrong_key_then_signs_in_and_out(
    ui_stack: UiStack, browser: Any
) -> None:
    key = _tenant(ui_stack)
    browser.get(f"{ui_stack.base}/ui/queue")
    assert "/ui/login" in browser.current_url  # pages need a session
    browser.find_element(By.ID, "user").send_keys("alice")
    browser.find_element(By.ID, "key").send_keys("sk_not-a-key")
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "unknown or revoked" in wait_for(browser, "#login-error").text
    assert "sk_not-a-key" not in browser.page_source  # never echoed back
    sign_in(browser, ui_stack.base, key, "alice")
    assert "/ui/queue" in browser.current_url
    assert "alice" in browser.find_element(By.CSS_SELECTOR, ".who").text
    assert key not in browser.current_url
    cookie = browser.get_cookie("screening_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert key not in cookie["value"]
    browser.find_element(By.CSS_SELECTOR, ".signout button").click()
    wait_until(lambda: "/ui/login" in browser.current_url, 30, "the sign-out")
    assert page_fetch(browser, "/v1/jobs")["status"] == 401


def test_instant_check_shows_the_names_aligned_and_each_feature_as_a_bar(
    ui_stack: UiStack, browser: Any, artefacts: Path
) -> None:
    sign_in(browser, ui_stack.base, _tenant(ui_stack), "alice")
    browser.get(f"{ui_stack.base}/ui/check")
    wait_for(browser, "#c-name").send_keys(KOZLOV)
    browser.find_element(By.ID, "c-birth").send_keys("1960-05-31")
    browser.find_element(By.ID, "c-country").send_keys("RU")
    browser.find_element(By.CSS_SELECTOR, "#check-form button[type=submit]").click()
    card = wait_for(browser, '#check-result .match[data-source-id="KR-MOFA-2024-004"]')
    pairs = _pair_texts(card)
    # Cyrillic as written, its Latin reading beneath, and the listed token it met.
    assert ("Козлов", "kozlov", "kozlov") in pairs
    assert ("Сергей", "sergei", "sergey") in pairs
    assert "Cyrillic" in card.find_element(By.CSS_SELECTOR, ".how").text
    assert _effect(card, "dob")[0] == "raise" and _effect(card, "dob")[1] > 0
    assert _effect(card, "country")[0] == "raise"
    assert "Sergey Mikhailovich Kozlov" in card.find_element(By.CSS_SELECTOR, ".listed").text
    _shot(browser, artefacts, "ui-check.png")

    # A namesake with a conflicting birth year: the bar points the other way.
    name = browser.find_element(By.ID, "c-name")
    name.clear()
    name.send_keys(KIM)
    birth = browser.find_element(By.ID, "c-birth")
    birth.clear()
    birth.send_keys("1987")
    browser.find_element(By.ID, "c-country").clear()
    browser.find_element(By.CSS_SELECTOR, "#check-form button[type=submit]").click()
    card = wait_for(browser, '#check-result .match[data-source-id="kp-kim-jong-un"]')
    assert [p[:2] for p in _pair_texts(card)] == [("김", "kim"), ("정", "jong"), ("은", "un")]
    listed = [t.text for t in card.find_elements(By.CSS_SELECTOR, ".pair .listed .reading")]
    assert listed == ["kim", "jong", "un"]  # KIM JONG UN as listed, not the comparison keys
    direction, width = _effect(card, "dob")
    assert direction == "lower" and width > 0

    browser.set_window_size(420, 900)
    _no_horizontal_scroll(browser)
    _shot(browser, artefacts, "ui-check-420.png")


def test_a_job_submitted_in_the_page_shows_progress_summary_downloads_and_hits(
    ui_stack: UiStack, browser: Any, artefacts: Path
) -> None:
    sign_in(browser, ui_stack.base, _tenant(ui_stack), "alice")
    job_id = _submit_job(browser, ui_stack.base)
    item = browser.find_element(By.CSS_SELECTOR, f'li.job[data-job-id="{job_id}"]')
    progress = item.find_element(By.TAG_NAME, "progress")
    assert progress.get_attribute("value") == progress.get_attribute("max") == "2"
    facts = item.find_element(By.CSS_SELECTOR, ".facts").text
    assert "2 records" in facts and "2 with hits" in facts
    csv_link = item.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href")
    download = page_fetch(browser, csv_link)
    assert download["status"] == 200 and "Sergey Mikhailovich Kozlov" in download["text"]
    _shot(browser, artefacts, "ui-jobs.png")

    item.find_element(By.CSS_SELECTOR, "h2 a").click()
    card = wait_for(browser, '#job-results .match[data-source-id="KR-MOFA-2024-004"]')
    assert ("Козлов", "kozlov", "kozlov") in _pair_texts(card)
    assert _effect(card, "dob")[0] == "raise"
    assert wait_for(browser, '#job-results .match[data-source-id="kp-kim-jong-un"]')


def test_a_csv_file_uploaded_in_the_page_is_screened(
    ui_stack: UiStack, browser: Any, tmp_path: Path
) -> None:
    upload = tmp_path / "customers.csv"
    upload.write_text("id,name,schema,birth_date,country,identifier\n"
                      "c-1,Panfilov Aleksandr Fyodorovich,Person,,RU,\n"
                      "c-2,Maria Schmidt,Person,1985,DE,\n", encoding="utf-8")
    sign_in(browser, ui_stack.base, _tenant(ui_stack), "alice")
    browser.get(f"{ui_stack.base}/ui/jobs")
    wait_for(browser, "#j-file").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "#job-form button[type=submit]").click()
    job_id = wait_for(browser, "#job-form-message.ok").text.split()[1]
    done = f'li.job[data-job-id="{job_id}"] .job-summary[data-status="completed"]'
    item = wait_for(browser, done, 180)
    facts = item.find_element(By.CSS_SELECTOR, ".facts").text
    assert "2 records" in facts and "1 with hits" in facts

    # A bad row is refused whole, and the page says which line and field.
    upload.write_text("id,name,schema,birth_date,country,identifier\n"
                      "c-1,Someone,Person,31/12/1990,,\n", encoding="utf-8")
    browser.find_element(By.ID, "j-file").send_keys(str(upload))
    browser.find_element(By.CSS_SELECTOR, "#job-form button[type=submit]").click()
    refused = wait_for(browser, "#job-form-message.error").text
    assert "birth_date" in refused


def _open_hits(driver: Any) -> dict[str, str]:
    """Customer name -> hit id of the rows the queue shows."""
    wait_until(lambda: driver.execute_script("return document.body.dataset.queueReady"),
               60, "the queue to load")
    rows = driver.find_elements(By.CSS_SELECTOR, "#hits tbody tr")
    return {row.find_element(By.CSS_SELECTOR, "td a").text: row.get_attribute("data-hit-id")
            for row in rows}


def test_review_a_hit_decide_by_keyboard_and_find_it_in_the_audit(
    ui_stack: UiStack, browser: Any, artefacts: Path
) -> None:
    key = _tenant(ui_stack)
    if not ui_stack.has_compliance_record(key):
        pytest.skip(NEEDS_RECORD)
    sign_in(browser, ui_stack.base, key, "alice")
    job_id = _submit_job(browser, ui_stack.base)
    browser.get(f"{ui_stack.base}/ui/queue")
    hits = _open_hits(browser)
    assert KOZLOV in hits and KIM in hits, hits
    counts = browser.find_element(By.CSS_SELECTOR, '#counts [data-state="open"] .count').text
    assert int(counts) >= 2
    _shot(browser, artefacts, "ui-queue.png", docs=True)
    browser.find_element(By.ID, "f-list").send_keys("ftm_dprk_ftm")
    browser.find_element(By.CSS_SELECTOR, "#filters button[type=submit]").click()
    wait_until(lambda: list(_open_hits(browser)) == [KIM], 30, "the list filter")
    assert "list=ftm_dprk_ftm" in browser.current_url  # a filtered queue can be bookmarked
    browser.get(f"{ui_stack.base}/ui/queue")
    assert KOZLOV in _open_hits(browser)
    rows = browser.find_elements(By.CSS_SELECTOR, "#hits tbody td:nth-child(2) a")
    for _ in range([a.text for a in rows].index(KOZLOV) + 1):  # j walks down the queue
        ActionChains(browser).send_keys("j").perform()
    assert browser.switch_to.active_element.text == KOZLOV
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    card = wait_for(browser, "#hit-view .match")
    assert ("Козлов", "kozlov", "kozlov") in _pair_texts(card)
    direction, width = _effect(card, "dob")
    assert direction == "raise" and width > 0
    assert "kr-mofa" in card.find_element(By.CSS_SELECTOR, ".listed").text
    _shot(browser, artefacts, "ui-hit.png", docs=True)

    browser.get(f"{ui_stack.base}/ui/hits/{hits[KIM]}")
    wait_for(browser, "#hit-view .match")
    browser.find_element(By.TAG_NAME, "body").send_keys("f")
    comment = browser.switch_to.active_element
    assert comment.get_attribute("id") == "comment"  # the shortcut chose and moved on
    assert browser.find_element(By.CSS_SELECTOR, "input[value=false_positive]").is_selected()
    comment.send_keys("Namesake: our customer was born 1987, the listed man 1984.", Keys.ENTER)
    assert "Recorded: False positive" in wait_for(browser, "#decision-result.ok").text
    wait_until(lambda: browser.switch_to.active_element.get_attribute("id") == "next-hit", 30,
               "the focus on the next open hit")  # Enter goes on to it
    assert browser.switch_to.active_element.get_attribute("href").endswith(hits[KOZLOV])

    browser.get(f"{ui_stack.base}/ui/queue")
    after = _open_hits(browser)
    assert KIM not in after and KOZLOV in after, after
    browser.get(f"{ui_stack.base}/ui/jobs")
    facts = wait_for(browser, f'li.job[data-job-id="{job_id}"] .facts').text
    assert "1 decided" in facts and "1 open" in facts, facts

    # The same person checked again is shown, marked as cleared, not raised afresh.
    browser.get(f"{ui_stack.base}/ui/check")
    wait_for(browser, "#c-name").send_keys(KIM)
    browser.find_element(By.ID, "c-birth").send_keys("1987")
    browser.find_element(By.CSS_SELECTOR, "#check-form button[type=submit]").click()
    badge = wait_for(browser, '#check-result .match[data-source-id="kp-kim-jong-un"] .review')
    assert badge.get_attribute("data-state") == "suppressed"
    assert "False positive by alice" in badge.text

    audit = page_fetch(browser, "/v1/audit?format=csv")
    assert audit["status"] == 200, audit
    assert hits[KIM] in audit["text"] and "false_positive" in audit["text"]

    browser.set_window_size(420, 900)
    browser.get(f"{ui_stack.base}/ui/hits/{hits[KOZLOV]}")
    wait_for(browser, "#hit-view .match")
    _no_horizontal_scroll(browser)
    _shot(browser, artefacts, "ui-hit-420.png")

    # `t` on the Kozlov hit: a true match takes effect at once and leaves the open queue.
    browser.find_element(By.TAG_NAME, "body").send_keys("t")
    browser.switch_to.active_element.send_keys("Same person: name, birth date, country.",
                                               Keys.ENTER)
    assert "Recorded: True match" in wait_for(browser, "#decision-result.ok").text
    wait_until(lambda: "Decided" in browser.find_element(By.ID, "hit-state").text, 30,
               "the hit to show as decided")
    browser.get(f"{ui_stack.base}/ui/queue")
    assert KOZLOV not in _open_hits(browser)


def test_four_eyes_needs_a_second_analyst_to_confirm(
    ui_stack: UiStack, browser: Any
) -> None:
    if not ui_stack.has_compliance_record(ui_stack.stack.key):
        pytest.skip(NEEDS_RECORD)
    key = _tenant(ui_stack, "--four-eyes")
    sign_in(browser, ui_stack.base, key, "alice")
    _submit_job(browser, ui_stack.base)
    browser.get(f"{ui_stack.base}/ui/queue")
    hit_id = _open_hits(browser)[KIM]
    browser.get(f"{ui_stack.base}/ui/hits/{hit_id}")
    wait_for(browser, "#hit-view .match")
    browser.find_element(By.TAG_NAME, "body").send_keys("f")
    browser.switch_to.active_element.send_keys("Namesake, different birth year.", Keys.ENTER)
    assert "another analyst must confirm" in wait_for(browser, "#decision-result.ok").text
    pending = wait_for(browser, '#decisions li[data-status="pending_confirmation"]')
    assert not pending.find_elements(By.CSS_SELECTOR, "button.confirm")  # not by its author

    second = make_driver()
    try:
        sign_in(second, ui_stack.base, key, "bob")
        second.get(f"{ui_stack.base}/ui/hits/{hit_id}")
        wait_for(second, '#decisions li[data-status="pending_confirmation"] button.confirm').click()
        assert "Confirmed" in wait_for(second, "#decision-result.ok").text
        confirmed = wait_for(second, '#decisions li[data-status="effective"]')
        assert "confirmed by bob" in confirmed.text
    finally:
        second.quit()
    decisions = json.loads(page_fetch(browser, f"/v1/decisions?hit_id={hit_id}")["text"])
    assert [d["confirmed_by"] for d in decisions["decisions"]] == ["bob"]


# WCAG 2 contrast of visible text, unlabelled controls, the page language.
_A11Y_JS = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def _accessible(driver: Any) -> None:
    found = driver.execute_script(_A11Y_JS)
    assert found["lang"] == "en"
    assert not found["unlabelled"], f"inputs without a label: {found['unlabelled']}"
    assert not found["low"], f"text below WCAG AA contrast: {found['low']}"


def test_pages_have_labels_contrast_and_a_sensible_focus_order(
    ui_stack: UiStack, browser: Any
) -> None:
    key = _tenant(ui_stack)
    browser.get(f"{ui_stack.base}/ui/login")
    wait_for(browser, "#user")
    _accessible(browser)
    assert browser.switch_to.active_element.get_attribute("id") == "user"
    order = []
    for _ in range(2):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        active = browser.switch_to.active_element
        order.append(active.get_attribute("id") or active.get_attribute("type"))
    assert order == ["key", "submit"]

    sign_in(browser, ui_stack.base, key, "alice")
    browser.get(f"{ui_stack.base}/ui/check")
    wait_for(browser, "#c-name").send_keys(KIM)
    browser.find_element(By.ID, "c-birth").send_keys("1987")
    browser.find_element(By.CSS_SELECTOR, "#check-form button[type=submit]").click()
    wait_for(browser, "#check-result .match")
    _accessible(browser)  # the match card: badges, bars, muted notes
    _submit_job(browser, ui_stack.base)
    _accessible(browser)
    # A fresh page: the skip link is the first stop, then the navigation.
    browser.get(f"{ui_stack.base}/ui/check")
    wait_for(browser, "#c-name")
    stops = []
    for _ in range(3):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        stops.append(browser.switch_to.active_element.text)
    assert stops == ["Skip to content", "Queue", "Jobs"]
