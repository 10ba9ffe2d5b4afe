"""The dashboards' base view: managers only, one filter form, one audit row per read,
and every table downloadable as CSV or Excel from the same URL (``?format=csv&table=``).

Access (docs/metrics.md, "Dashboards"): managers see every dashboard. Billers get 403:
the dashboards compare payers and teams across the whole organisation, which is a
manager's view; a biller's own figures are in the metrics API, scoped to their teams.
Integration accounts get 403 as on every page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from accounts.access import ScopedPageMixin
from accounts.roles import is_manager
from remittance.models import Claim

from ..filters import MetricFilters
from ..forms import DashboardFilterForm
from ..tables import Table, export

EXPORTS = ("csv", "xlsx")


class ManagerDashboardMixin(ScopedPageMixin):
    model = Claim  # the audit row names what the figures are read from, as the API's

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_manager(request.user):
            raise PermissionDenied("Only managers may open the dashboards.")
        return super().dispatch(request, *args, **kwargs)


class DashboardView(ManagerDashboardMixin, TemplateView):
    """Subclasses set ``template_name``, ``title`` and ``slug`` and implement
    ``build(filters)``, returning a context with ``tables`` (a list of ``Table``) and
    optionally ``charts`` (a list of ``{"id", "spec"}`` for static/js/charts.js)."""

    title = ""
    slug = ""

    def get(self, request, *args, **kwargs):
        form = DashboardFilterForm(request.GET)
        context = self.get_context_data(form=form, title=self.title, **kwargs)
        if not form.is_valid():
            self.audit_list(0)
            return self.render_to_response(context, status=400)
        filters = form.filters()
        data = self.build(filters)
        tables: list[Table] = data.get("tables", [])
        fmt = request.GET.get("format", "")
        if fmt:
            return self.download(fmt, filters, data)
        self.audit_list(sum(len(t.rows) for t in tables))
        context.update(data, filters=filters, query=self.query_without("format", "table"))
        return self.render_to_response(context)

    def download(self, fmt: str, filters: MetricFilters, data: dict):
        tables = {t.key: t for t in data.get("tables", [])}
        key = self.request.GET.get("table") or next(iter(tables), "")
        if fmt not in EXPORTS or key not in tables:
            raise Http404("No such export.")
        self.audit_list(len(tables[key].rows))
        return export(tables[key], fmt, f"{self.slug}-{filters.date_from}-{filters.date_to}")

    def query_without(self, *names: str) -> str:
        params = self.request.GET.copy()
        for name in names:
            params.pop(name, None)
        return params.urlencode()

    def build(self, filters: MetricFilters) -> dict:
        """The dashboard's own figures and tables: each dashboard view defines it."""
        raise NotImplementedError
