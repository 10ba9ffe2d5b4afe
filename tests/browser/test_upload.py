"""The upload page in Chromium: a file is booked with its progress shown; pressing Upload
with no file says so."""

import pytest
from playwright.sync_api import expect

from .test_login import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_upload_with_no_file_says_so_and_a_file_is_booked(page, user, data_file):
    sign_in(page, "biller", "pw-biller-1")
    page.goto("/remittances/upload/")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#no-file")).to_be_visible()
    expect(page.locator("#no-file")).to_contain_text("Choose one or more X12 files first")

    page.locator("#files").set_input_files(str(data_file("pyx12_835-mult-loops.835")))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#no-file")).to_be_hidden()
    expect(page.locator("#uploads .result")).to_contain_text("Booked: 835: 1 claims, 1 denials")


def test_an_837_on_the_same_page_is_read_as_claims(page, user, data_file):
    sign_in(page, "biller", "pw-biller-1")
    page.goto("/remittances/upload/")
    page.locator("#files").set_input_files(
        str(data_file("lfh-x12_5010i_two-claims-single-provider.837"))
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#uploads .result")).to_contain_text("Booked: 837: 2 claims submitted")
