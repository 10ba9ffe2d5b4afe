"""One access filter: every registered API route and every page, walked generically as
the outsider (a biller on another team), returns no row of another team; every view is
built on the scoped base classes; the item page's claim history stays within scope."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.access import ScopedPageMixin, ScopedViewSet
from accounts.permissions import StaffPageMixin
from appeals.api.urls import router as appeals_router
from appeals.models import Appeal
from denials.api.urls import router as denials_router
from denials.models import Denial
from remittance.api.urls import router as remittance_router
from remittance.models import Claim
from worklist.api.urls import router as worklist_router
from worklist.models import Team, WorklistItem
from worklist.views.manage import EDITORS

pytestmark = pytest.mark.django_db

ROUTERS = {
    "remittance-api": remittance_router,
    "denials-api": denials_router,
    "worklist-api": worklist_router,
    "appeals-api": appeals_router,
}
API_ROUTES = [
    (ns, basename, viewset) for ns, r in ROUTERS.items() for _, viewset, basename in r.registry
]
PAGE_NAMESPACES = {"remittance", "denials", "worklist", "audit", "appeals"}


def page_patterns():
    """(namespace:name, view class, converter names) of every page of the apps."""
    found = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace in PAGE_NAMESPACES:
                view = getattr(p.callback, "view_class", None)
                found.append((f"{namespace}:{p.name}", view, list(p.pattern.converters)))

    walk(get_resolver().url_patterns, None)
    return found


PAGES = page_patterns()


def test_every_api_route_is_a_scoped_viewset():
    assert API_ROUTES
    for _, basename, viewset in API_ROUTES:
        assert issubclass(viewset, ScopedViewSet), basename
        assert viewset.queryset_model is not None, basename


def test_every_page_needs_a_role_and_pages_reading_rows_are_scoped():
    assert len(PAGES) > 10
    for name, view, _ in PAGES:
        assert view is not None and issubclass(view, StaffPageMixin), name
        if getattr(view, "model", None) is not None or hasattr(view, "get_queryset"):
            assert issubclass(view, ScopedPageMixin), name


def foreign(item):
    """Team A's rows, by model: none of them may reach the outsider (team B)."""
    return {
        WorklistItem: {item.pk},
        Claim: {item.claim_id},
        Denial: set(Denial.objects.filter(item_link__item=item).values_list("pk", flat=True)),
        Team: {item.team_id},
        Appeal: set(Appeal.objects.filter(item=item).values_list("pk", flat=True)),
    }


MARKERS = ("2005555A", "ar-follow-up")  # team A's patient account number and team slug


@pytest.mark.parametrize(("namespace", "basename", "viewset"), API_ROUTES)
def test_outsider_gets_no_row_of_another_team_from_any_api_list(
    as_, item, namespace, basename, viewset
):
    hidden = foreign(item).get(viewset.queryset_model, set())
    response = as_("outsider").get(reverse(f"{namespace}:{basename}-list"))
    assert response.status_code in (200, 403), response.content
    body = response.content.decode()
    assert not any(marker in body for marker in MARKERS), body[:500]
    if response.status_code == 200:
        rows = response.data["results"]
        assert not hidden & {row["id"] for row in rows}
    for pk in hidden:
        detail = as_("outsider").get(reverse(f"{namespace}:{basename}-detail", args=[pk]))
        assert detail.status_code == 404


def page_urls(name, converters, item):
    """Every URL of a page pattern, filled with team A's objects."""
    appeals = list(Appeal.objects.filter(item=item).values_list("pk", flat=True))
    candidates = {
        "pk": sorted({item.pk, item.claim_id, item.claim.remittance_id, item.team_id, *appeals}),
        "appeal_pk": appeals,
        "slug": [item.team.slug],
        "kind": sorted(EDITORS),
        "action": ["note"],
    }
    urls = [{}]
    for converter in converters:
        urls = [{**u, converter: value} for u in urls for value in candidates[converter]]
    return [reverse(name, kwargs=kwargs) for kwargs in urls]


@pytest.fixture(autouse=True)
def appealed(item, people):
    """Team A's item is appealed, so appeal pages and routes have a row to hide."""
    from appeals.services import appeal_start
    from worklist.services import item_assign

    item_assign(item=item, assignee=people["biller"], actor=people["manager"])
    return appeal_start(item=item, actor=people["biller"], argument="Team A's case.")


@pytest.fixture
def outsider_client(client, people):
    client.force_login(people["outsider"])
    return client


def test_the_outsider_is_signed_in_on_pages(outsider_client):
    assert outsider_client.get("/worklist/").status_code == 200


@pytest.mark.parametrize(("name", "view", "converters"), PAGES, ids=[p[0] for p in PAGES])
def test_outsider_sees_no_row_of_another_team_on_any_page(
    outsider_client, item, name, view, converters
):
    for url in page_urls(name, converters, item):
        response = outsider_client.get(url)
        assert response.status_code in (200, 403, 404, 405), url
        body = response.content.decode()
        assert not any(marker in body for marker in MARKERS), url


def test_outsider_gets_404_for_team_a_item_page_and_action(outsider_client, item):
    client = outsider_client
    assert client.get(f"/worklist/items/{item.pk}/").status_code == 404
    assert client.post(f"/worklist/items/{item.pk}/take/").status_code == 404
    assert client.get(f"/worklist/team/{item.team.slug}/").status_code == 404


@pytest.fixture
def other_teams_claim(item, team_b):
    """The same patient account and payer, billed again, with its item on team B."""
    claim = Claim.objects.get(pk=item.claim_id)
    claim.pk = None
    claim.payer_claim_control_number = "OTHER-TEAM-CLAIM"
    claim.save()
    WorklistItem.objects.create(
        claim=claim,
        payer_id=item.payer_id,
        patient_control_number=item.patient_control_number,
        team=team_b,
        category="coding",
        routing_rule="test",
        open_amount=1,
    )
    return claim


def test_claim_history_shows_only_claims_the_user_may_see(client, people, item, other_teams_claim):
    client.force_login(people["biller"])
    response = client.get(f"/worklist/items/{item.pk}/")
    history = [c.pk for c in response.context["history"]]
    assert item.claim_id in history and other_teams_claim.pk not in history
    client.force_login(people["manager"])
    history = [c.pk for c in client.get(f"/worklist/items/{item.pk}/").context["history"]]
    assert other_teams_claim.pk in history


def test_teams_api_shows_a_biller_only_their_teams(as_, item, team_a, team_b):
    slugs = {t["slug"] for t in as_("outsider").get("/api/v1/worklist/teams/").data["results"]}
    assert slugs == {team_b.slug}
    assert as_("outsider").get(f"/api/v1/worklist/teams/{team_a.pk}/").status_code == 404
