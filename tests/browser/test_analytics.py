"""A manager in Chromium: opens each dashboard, changes a filter, follows a figure to the
denial list, and downloads a CSV and an Excel file."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_worklist import person, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START, END = "2000-01-01", "2099-12-31"
DASHBOARDS = [
    ("/analytics/", "Overview"),
    ("/analytics/payer/", "Payer"),
    ("/analytics/root-cause/", "Root cause"),
    ("/analytics/deadlines/", "Deadline risk"),
    ("/analytics/productivity/", "Team productivity"),
    ("/analytics/scorecards/", "Payer scorecards"),
]


def test_manager_opens_dashboards_filters_drills_down_and_downloads(page, items, django_user_model):
    person(django_user_model, "meg", group="manager")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, "meg")
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()

    for path, title in DASHBOARDS:
        page.goto(path)
        expect(page.locator("h1")).to_have_text(title)

    # A filter: a period wide enough for the generated remittance, then a category.
    page.goto(f"/analytics/root-cause/?from={START}&to={END}")
    first = items.filter(kind="denial").first()
    page.get_by_label("Category").select_option(first.category)
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(f"category={first.category}"))
    expect(page.locator("canvas[data-chart]")).to_have_count(1)

    # Downloads: the root-cause table as CSV and as Excel.
    with page.expect_download() as csv_download:
        page.locator('[data-testid="csv-root_cause"]').click()
    assert csv_download.value.suggested_filename.endswith("-root_cause.csv")
    assert b"Category" in Path(csv_download.value.path()).read_bytes()
    with page.expect_download() as xlsx_download:
        page.locator('[data-testid="xlsx-root_cause"]').click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    assert Path(xlsx_download.value.path()).read_bytes()[:2] == b"PK"

    # A figure to the list behind it: the denied dollars of the first row.
    link = page.locator("#table-root_cause tbody tr").first.locator("a").first
    link.click()
    expect(page).to_have_url(re.compile(r"/denials/\?"))
    assert f"category={first.category}" in page.url
    assert f"adjudicated_before={END}" in page.url
    expect(page.locator("table tbody tr").first).to_be_visible()
    assert errors == []
