"""An appeal's letter (HTML and PDF) and its packet, for those who may see the appeal
(anyone else: 404). Each download is an audited read of the appeal, never stored by a
browser or proxy. A sent appeal's letter is the one frozen when it was sent; a draft's
is rendered as it stands."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views import View

from accounts.access import ScopedPageMixin

from .. import letters, pdf
from ..models import Appeal


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


class AppealLetterMixin(ScopedPageMixin):
    model = Appeal

    def scope_queryset(self, queryset):
        return queryset.select_related(
            "item__claim__era", "payer", "submitted_claim__file", "template"
        )

    def appeal(self, what: str) -> Appeal:
        appeal = self.get_object()
        self.audit_object(appeal, what)
        return appeal

    def pdf_response(self, data: bytes, name: str) -> HttpResponse:
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return _no_store(response)


class LetterHtmlView(AppealLetterMixin, View):
    def get(self, request, pk: int):
        appeal = self.appeal("letter")
        context = {
            "appeal": appeal,
            "subject": letters.render_subject(appeal),
            "letter": letters.current_html(appeal),
        }
        return _no_store(render(request, "appeals/letter.html", context))


class LetterPdfView(AppealLetterMixin, View):
    def get(self, request, pk: int):
        appeal = self.appeal("letter pdf")
        return self.pdf_response(pdf.letter_pdf(appeal), f"appeal-{appeal.pk}-letter.pdf")


class PacketPdfView(AppealLetterMixin, View):
    def get(self, request, pk: int):
        appeal = self.appeal("packet pdf")
        return self.pdf_response(pdf.packet_pdf(appeal), f"appeal-{appeal.pk}-packet.pdf")
