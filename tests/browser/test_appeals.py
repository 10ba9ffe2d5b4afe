"""An appeal in a real browser: a biller starts one from an item, marks it submitted and
records the payer's decision; the item closes as recovered."""

import pytest
from playwright.sync_api import expect

from appeals.models import Appeal
from tests.browser.test_worklist import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_biller_starts_submits_and_decides_an_appeal(page, items, django_user_model):
    item = (
        items.filter(appealable=True, kind="denial", payer__payer_type="commercial")
        .exclude(category="timely_filing")
        .order_by("-open_amount")
        .first()
    )
    assert item is not None
    person(django_user_model, "ann", team=item.team.slug)
    sign_in(page, "ann")

    page.goto(f"/worklist/items/{item.pk}/")
    page.get_by_role("link", name="Start an appeal…").click()
    expect(page.locator("#proposal")).to_contain_text("First level")
    page.get_by_label("Your argument").fill("The records attached show the service was needed.")
    page.get_by_role("button", name="Start").click()

    appeal = Appeal.objects.get(item=item)
    expect(page).to_have_url(f"{page.url.split('/appeals/')[0]}/appeals/{appeal.pk}/")
    expect(page.locator("#appeal-status")).to_have_text("Draft")
    expect(page.locator("#letter-preview")).to_contain_text("The records attached show")

    page.get_by_text("Mark submitted", exact=True).first.click()
    page.get_by_label("Method").select_option("portal")
    page.get_by_label("Payer's reference").fill("PORTAL-7781")
    page.get_by_role("button", name="Mark submitted").click()
    expect(page.locator("#appeal-status")).to_have_text("Submitted")
    expect(page.locator(".timeline")).to_contain_text("PORTAL-7781")

    page.get_by_text("Record the decision").click()
    page.get_by_label("Outcome").select_option("overturned")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator("#appeal-status")).to_have_text("Decided")
    expect(page.locator("#appeal-outcome")).to_have_text("Overturned in full")

    appeal.refresh_from_db()
    item.refresh_from_db()
    assert (appeal.outcome, appeal.recovered_amount) == ("overturned", item.open_amount)
    assert appeal.decided_by.username == "ann"
    assert (item.status, item.resolution) == ("resolved", "recovered_full")
