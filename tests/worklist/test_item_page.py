"""The item page stays cheap: only the note form (and a form posted with errors, or one
opened without JavaScript) is rendered with the page; every other action's form is fetched
when its <details> opens (GET on the action's URL), and the timeline shows the latest
activities with the rest one request away. Same rules as the POSTs: a form the item's state
or the user's role does not allow is a 404, another team's item too."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from worklist.choices import ItemStatus
from worklist.views.items import TIMELINE_LATEST

from .test_pages import HTMX, make_item

pytestmark = pytest.mark.django_db


def test_page_renders_the_note_form_and_fetches_the_others(as_, item):
    body = as_("biller").get(f"/worklist/items/{item.pk}/").content.decode()
    assert 'name="note-text"' in body and "Add a note…" in body
    assert "Mark corrected and resubmitted" in body  # the action's title, to open it
    assert 'name="resubmit-new_claim_reference"' not in body
    url = f"/worklist/items/{item.pk}/resubmit/"
    assert f'hx-get="{url}"' in body and 'hx-trigger="toggle once from:closest details"' in body
    assert f'href="{url}"' in body  # without JavaScript: the page with that form open


def test_an_opened_action_fetches_its_blank_form(as_, item):
    response = as_("biller").get(f"/worklist/items/{item.pk}/resubmit/", **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "partials/worklist_action_form.html"
    assert "<html" not in body and 'name="resubmit-new_claim_reference"' in body
    assert f'hx-post="/worklist/items/{item.pk}/resubmit/"' in body
    assert 'hx-target="#item-panel"' in body
    assert "HX-Request" in response["Vary"]
    event = AuditEvent.objects.filter(action="view", object_id=str(item.pk)).last()
    assert event.detail == "form resubmit"


def test_close_forms_fetched_are_prefilled_with_the_root_cause(as_, item):
    target = make_item(item, control_point="billing", root_cause="Late follow-up")
    body = as_("biller").get(f"/worklist/items/{target.pk}/write_off/", **HTMX)
    assert 'value="Late follow-up"' in body.content.decode()


def test_without_javascript_the_action_url_opens_the_page_with_its_form(as_, item):
    response = as_("biller").get(f"/worklist/items/{item.pk}/follow_up/")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" in body
    assert 'id="action-follow_up" class="action action-follow_up" open' in body
    assert 'name="follow_up-on"' in body
    assert 'name="resubmit-new_claim_reference"' not in body


def test_forms_the_item_or_the_user_does_not_allow_are_404(as_, people, item):
    client = as_("biller")
    assert client.get(f"/worklist/items/{item.pk}/assign/", **HTMX).status_code == 404
    assert client.get(f"/worklist/items/{item.pk}/take/", **HTMX).status_code == 404
    assert client.get(f"/worklist/items/{item.pk}/fly/", **HTMX).status_code == 404
    closed = make_item(item, status=ItemStatus.RESOLVED, resolution="written_off")
    assert client.get(f"/worklist/items/{closed.pk}/resubmit/", **HTMX).status_code == 404
    assert client.get(f"/worklist/items/{closed.pk}/note/", **HTMX).status_code == 200
    manager = as_("manager").get(f"/worklist/items/{item.pk}/assign/", **HTMX)
    assert people["teammate"].username in manager.content.decode()
    assert as_("outsider").get(f"/worklist/items/{item.pk}/note/", **HTMX).status_code == 404


def test_a_posted_form_with_errors_stays_inline_and_open(as_, item):
    data = {"paid-resolution": "recovered_partial", "paid-amount": ""}
    response = as_("biller").post(f"/worklist/items/{item.pk}/paid/", data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="action-paid" class="action action-paid" open' in body
    assert "Say how much was recovered." in body
    assert 'name="write_off-reason"' not in body  # the others stay closed and empty


def test_timeline_shows_the_latest_and_loads_the_rest(as_, item):
    client = as_("biller")
    url = f"/worklist/items/{item.pk}/"
    for n in range(TIMELINE_LATEST + 5):
        client.post(url + "note/", {"note-text": f"Call {n}"})
    body = client.get(url).content.decode()
    assert f"Call {TIMELINE_LATEST + 4}" in body and "Call 4<" not in body
    assert f'hx-get="{url}timeline/"' in body and "Show all activities" in body
    fragment = client.get(url + "timeline/", **HTMX)
    assert fragment.templates[0].name == "partials/worklist_timeline.html"
    text = fragment.content.decode()
    assert "Call 0<" in text and "Show all activities" not in text and "<html" not in text
    page = client.get(url + "timeline/").content.decode()
    assert "<html" in page and "Call 0<" in page
    assert as_("outsider").get(url + "timeline/", **HTMX).status_code == 404


def test_a_form_fragment_takes_few_queries(as_, item):
    client = as_("biller")
    client.get(f"/worklist/items/{item.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/worklist/items/{item.pk}/patient/", **HTMX).status_code == 200
    assert len(queries) <= 8
