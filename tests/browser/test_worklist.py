"""The worklist in a real browser: a biller's next item, note and resubmission; a
manager's bulk reassignment; and a biller kept out of another team's item."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from worklist.choices import ItemStatus
from worklist.models import Team, WorklistItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person(django_user_model, name, team=None, group="biller"):
    user = django_user_model.objects.create_user(username=name, password=f"pw-{name}-1")
    if team:
        Team.objects.get(slug=team).members.add(user)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def sign_in(page, name):
    page.goto("/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(f"pw-{name}-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".topbar")).to_contain_text(name)


def test_biller_takes_next_item_adds_a_note_and_marks_it_resubmitted(
    page, items, django_user_model
):
    biller = person(django_user_model, "ann", team="ar-follow-up")
    best = items.filter(team__slug="ar-follow-up").order_by("-follow_up_due", "-priority", "-id")
    expected = best.first()
    sign_in(page, "ann")
    page.get_by_role("button", name="Next item").first.click()
    expect(page).to_have_url(f"{page.url.split('/worklist/')[0]}/worklist/items/{expected.pk}/")

    page.get_by_placeholder("Add a note…").fill("Called the payer: resubmit with the modifier.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".timeline")).to_contain_text("Called the payer: resubmit")

    page.get_by_text("Mark corrected and resubmitted").click()
    page.get_by_label("New claim reference").fill("NEWICN42")
    page.get_by_role("button", name="Mark resubmitted").click()
    expect(page.locator(".timeline")).to_contain_text("NEWICN42")

    expected.refresh_from_db()
    assert expected.assignee == biller
    assert expected.status == ItemStatus.AWAITING_PAYER
    assert expected.new_claim_reference == "NEWICN42"
    assert expected.activities.filter(kind="note", actor=biller).exists()


def test_manager_bulk_reassigns_a_filtered_selection(page, items, django_user_model):
    bob = person(django_user_model, "bob", team="coding")
    person(django_user_model, "meg", group="manager")
    ids = list(items.filter(team__slug="coding").open().values_list("pk", flat=True))
    assert ids
    sign_in(page, "meg")
    page.goto("/worklist/team/coding/")
    page.get_by_text("matching these filters").click()
    page.locator("details.bulk").get_by_label("Assignee").select_option(label="bob")
    page.get_by_role("button", name="Review change").click()
    page.get_by_role("button", name="Change").click()
    expect(page.locator(".message").first).to_be_visible()
    assert WorklistItem.objects.filter(pk__in=ids, assignee=bob).count() == len(ids)
    assert not WorklistItem.objects.filter(pk__in=ids, status=ItemStatus.NEW).exists()


def test_biller_cannot_open_another_teams_item(page, items, django_user_model):
    person(django_user_model, "cal", team="coding")
    foreign = items.exclude(team__slug="coding").first()
    sign_in(page, "cal")
    response = page.goto(f"/worklist/items/{foreign.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    page.goto("/worklist/team/ar-follow-up/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
