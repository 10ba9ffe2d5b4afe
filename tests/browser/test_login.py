"""Signing in and out through the real login form, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def sign_in(page, username, password):
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_user_signs_in_and_lands_on_their_queue(page, user, live_server):
    sign_in(page, "biller", "pw-biller-1")
    expect(page).to_have_url(f"{live_server.url}/worklist/")
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    expect(page.locator(".topbar")).to_contain_text("biller")


def test_wrong_password_shows_the_error(page, user):
    sign_in(page, "biller", "not-the-password")
    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password"
    )
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_user_signs_out(page, user, live_server):
    sign_in(page, "biller", "pw-biller-1")
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/remittances/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/remittances/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
