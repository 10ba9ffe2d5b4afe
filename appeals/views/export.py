"""The export page: a team's, a payer's or a date range's appeals, with their history,
notes, letters and evidence, as a ZIP (see ``appeals.export``)."""

from __future__ import annotations

from django import forms
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from accounts.access import ScopedPageMixin
from audit.services import audit_list_read
from remittance.models import Payer
from worklist.models import Team

from ..export import appeals_export_file, appeals_for_export
from ..models import Appeal, Evidence


class AppealExportForm(forms.Form):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), to_field_name="slug", required=False, empty_label="Any"
    )
    payer = forms.ModelChoiceField(queryset=Payer.objects.none(), required=False, empty_label="Any")
    dates = forms.ChoiceField(
        choices=[("created", "Started"), ("submitted", "Sent to the payer")],
        required=False,
        label="Dates of",
    )
    date_from = forms.DateField(required=False, label="From")
    date_to = forms.DateField(required=False, label="To")

    def __init__(self, *args, user, appeals, **kwargs):
        super().__init__(*args, **kwargs)
        # Managers pick any team, billers theirs; payers are those of appeals they see.
        self.fields["team"].queryset = Team.objects.for_user(user)
        self.fields["payer"].queryset = Payer.objects.filter(
            pk__in=appeals.values("payer_id")
        ).order_by("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range is before its start.")
        return data


class AppealExportView(ScopedPageMixin, View):
    model = Appeal

    def get(self, request):
        appeals = self.get_queryset()
        form = AppealExportForm(request.GET or None, user=request.user, appeals=appeals)
        if not form.is_bound:
            return render(request, "appeals/export.html", {"form": form})
        if not form.is_valid():
            return render(request, "appeals/export.html", {"form": form}, status=400)
        chosen = appeals_for_export(
            appeals,
            team=form.cleaned_data["team"],
            payer=form.cleaned_data["payer"],
            dates=form.cleaned_data["dates"] or "created",
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
        export = appeals_export_file(appeals_qs=chosen, actor=request.user)
        self.audit_list(export.appeals)
        if export.evidence:  # the files went out too: their reads are on record
            audit_list_read(
                actor=request.user,
                model=Evidence,
                channel="page",
                rows=export.evidence,
                params=request.GET,
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = FileResponse(
            export.file,
            as_attachment=True,
            filename=f"appeals-export-{stamp}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store"
        return response
