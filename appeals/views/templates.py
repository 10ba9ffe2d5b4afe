"""Manager pages for letter templates: the list, create and edit with a live preview
(htmx, against a built-in sample or an appeal the manager may see), retire."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from worklist.views.common import ManagerPageMixin

from .. import letters
from ..forms import LetterTemplateForm
from ..letters.services import letter_template_retire, letter_template_save
from ..models import Appeal, LetterTemplate

PREVIEW_APPEALS = 20


class LetterTemplatePageMixin(ManagerPageMixin):
    """Templates hold no patient data: reads are not audited; every write is."""

    model = LetterTemplate
    audit_reads = False

    def scope_queryset(self, queryset):
        return queryset.select_related("payer", "updated_by")


class LetterTemplateListView(LetterTemplatePageMixin, ListView):
    template_name = "appeals/lettertemplate_list.html"
    context_object_name = "templates"


class LetterTemplateFormMixin(LetterTemplatePageMixin):
    form_class = LetterTemplateForm
    template_name = "appeals/lettertemplate_form.html"

    def get_context_data(self, **kwargs):
        appeals = (
            Appeal.objects.for_user(self.request.user)
            .select_related("payer")
            .order_by("-created_at", "-id")[:PREVIEW_APPEALS]
        )
        return super().get_context_data(
            merge_fields=letters.MERGE_FIELDS, preview_appeals=appeals, **kwargs
        )

    def form_valid(self, form):
        try:
            self.object = letter_template_save(
                template=form.instance, actor=self.request.user, changed=form.changed_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved letter template “{self.object}”.")
        return redirect("appeals:template_list")


class LetterTemplateCreateView(LetterTemplateFormMixin, CreateView):
    def get_initial(self):
        return {"subject": letters.DEFAULT_SUBJECT, "body": letters.DEFAULT_BODY}


class LetterTemplateUpdateView(LetterTemplateFormMixin, UpdateView):
    pass


class LetterTemplateDeleteView(LetterTemplatePageMixin, View):
    """Delete a template no appeal used; deactivate one an appeal did."""

    def post(self, request, pk: int):
        template = self.get_object()
        name = str(template)
        done = letter_template_retire(template=template, actor=request.user)
        messages.success(request, f"Letter template “{name}” {done}.")
        return redirect("appeals:template_list")


class LetterTemplatePreviewView(ManagerPageMixin, View):
    """The letter as the form stands (htmx), or what is wrong with it. An appeal chosen
    to preview with is a read of that appeal, and audited."""

    model = Appeal

    def post(self, request):
        subject = request.POST.get("subject", "")
        body = request.POST.get("body", "")
        errors = letters.validate_template(body, subject)
        context = letters.sample_context()
        appeal = None
        if not errors and request.POST.get("preview_appeal", "").isdigit():
            appeal = self.get_queryset().filter(pk=request.POST["preview_appeal"]).first()
        if appeal is not None:
            self.audit_object(appeal, "letter template preview")
            context = letters.letter_context(appeal)
        preview = {"errors": errors, "appeal": appeal}
        if not errors:
            preview["subject"] = letters.render_text(subject, context)
            preview["letter"] = letters.render_body(body, context)
        return render(request, "appeals/lettertemplate_preview.html", preview)
