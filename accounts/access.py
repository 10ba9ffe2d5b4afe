"""One access filter for every page and API: the base classes below start every read
from ``Model.objects.for_user(user)`` (see ``accounts.roles``), so no view can forget the
user's scope, and they write the audit trail of reads and changes, so no door can forget
that either. Missing and forbidden objects are both a 404.

Pages: ``ScopedPageMixin`` (a single object or a custom page) and ``ScopedListView`` (a
filtered, paginated list). API: ``ScopedViewSet`` and its read-only and read-write
variants. Each names the model it reads; ``scope_queryset()`` adds joins and ordering.
"""

from __future__ import annotations

from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from audit.models import AuditAction
from audit.services import audit_list_read, audit_record

from .permissions import StaffOnly, StaffPageMixin


class ScopedPageMixin(StaffPageMixin):
    """A page reading ``model`` rows: ``get_queryset()`` is the user's scope of it (plus
    ``scope_queryset()``), ``get_object()`` a 404 outside it. ``audit_object()`` and
    ``audit_list()`` record reads when ``audit_reads`` (patient data) is set."""

    model: type[models.Model] | None = None
    audit_reads = True
    pk_url_kwarg = "pk"

    def scope_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.scope_queryset(self.model.objects.for_user(self.request.user))

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        return get_object_or_404(queryset, pk=self.kwargs[self.pk_url_kwarg])

    def audit_object(self, obj: models.Model, detail: str = "") -> None:
        if self.audit_reads:
            audit_record(
                actor=self.request.user,
                action=AuditAction.VIEW,
                obj=obj,
                channel="page",
                detail=detail,
            )

    def audit_list(self, rows: int, model: type[models.Model] | None = None) -> None:
        """One row per request, however many rows the page shows."""
        if self.audit_reads:
            audit_list_read(
                actor=self.request.user,
                model=model or self.model,
                channel="page",
                rows=rows,
                params=self.request.GET,
            )


class ScopedListView(ScopedPageMixin, ListView):
    """A list page: the user's scope of ``model``, filtered by ``filterset_class`` (the
    same FilterSet as the API; invalid fields are shown on the form and ignored), one
    audit row per request."""

    filterset_class = None

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=super().get_queryset()
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filterset=self.filterset, **kwargs)
        self.audit_list(len(context["object_list"]))
        return context


class ScopedViewSet(viewsets.GenericViewSet):
    """The API base: staff only, and every queryset is the user's scope of
    ``queryset_model`` (plus ``scope_queryset()``), so lists, details and actions alike
    see nothing else."""

    queryset_model: type[models.Model] | None = None
    permission_classes = [StaffOnly]
    audit_reads = True

    def scope_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        return self.scope_queryset(self.queryset_model.objects.for_user(self.request.user))

    def audit_read(self, obj: models.Model) -> None:
        if self.audit_reads:
            audit_record(actor=self.request.user, action=AuditAction.VIEW, obj=obj, channel="api")


class AuditedListMixin(mixins.ListModelMixin):
    """``list`` writing one audit row per request (not per row)."""

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if self.audit_reads and response.status_code == 200:
            data = response.data
            rows = data.get("results", ()) if isinstance(data, dict) else data
            audit_list_read(
                actor=request.user,
                model=self.queryset_model,
                channel="api",
                rows=len(rows),
                params=request.query_params,
            )
        return response


class AuditedRetrieveMixin(mixins.RetrieveModelMixin):
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self.audit_read(instance)
        return Response(self.get_serializer(instance).data)


class ScopedReadOnlyViewSet(AuditedListMixin, AuditedRetrieveMixin, ScopedViewSet):
    pass


class ScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedReadOnlyViewSet,
):
    """Read and write: every create, change and delete writes its audit row in the same
    transaction, naming the fields it set (never their values)."""

    def perform_create(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            self._audit(AuditAction.CREATE, obj, serializer)

    def perform_update(self, serializer):
        with transaction.atomic():
            obj = serializer.save()
            self._audit(AuditAction.CHANGE, obj, serializer)

    def perform_destroy(self, instance):
        with transaction.atomic():
            audit_record(
                actor=self.request.user, action=AuditAction.DELETE, obj=instance, channel="api"
            )
            self.delete_object(instance)

    def delete_object(self, instance) -> None:
        instance.delete()

    def _audit(self, action: str, obj, serializer) -> None:
        fields = ", ".join(sorted(serializer.validated_data))
        audit_record(
            actor=self.request.user,
            action=action,
            obj=obj,
            channel="api",
            detail=f"fields: {fields}" if fields else "",
        )
