"""The strict Content Security Policy holds on the main pages, in Chromium: no page (nor
an htmx swap on it) loads or runs anything the policy refuses."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_worklist import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """Console messages in which Chromium reports something the policy refused."""
    heard = []
    page.on(
        "console",
        lambda message: (
            heard.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: heard.append(f"page error: {error}"))
    return heard


def test_main_pages_report_no_policy_violation(page, items, django_user_model, violations):
    person(django_user_model, "meg", team="coding", group="manager")
    item = items.filter(team__slug="coding").first()
    sign_in(page, "meg")

    page.goto("/worklist/")
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    page.goto("/worklist/team/coding/")
    page.keyboard.press("j")  # static/js/queue.js runs
    expect(page.locator("#queue-rows tr.selected")).to_have_count(1)

    page.goto(f"/worklist/items/{item.pk}/")
    page.get_by_placeholder("Add a note…").fill("Checked under the policy.")
    page.get_by_role("button", name="Add note").click()  # an htmx swap
    expect(page.locator(".timeline")).to_contain_text("Checked under the policy.")

    page.goto("/remittances/upload/")
    expect(page.locator("#upload-form")).to_be_visible()
    page.goto("/remittances/")
    page.locator("table a").first.click()
    expect(page.locator("h1")).to_be_visible()
    for url in ("/worklist/overview/", "/worklist/health/", "/worklist/manage/", "/denials/"):
        assert page.goto(url).status == 200, url
    page.goto("/api/docs/")
    expect(page.locator("#swagger-ui .info .title")).to_contain_text("Denials API")
    page.wait_for_load_state("networkidle")

    assert violations == []

    # The listener does hear a violation: an inline style attribute is refused.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in v for v in violations)
