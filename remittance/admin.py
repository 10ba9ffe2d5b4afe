from django.contrib import admin

from .models import Era, Payer, Remittance, StepFailure


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier", "id_qualifier", "payer_type", "created_at"]
    list_editable = ["payer_type"]
    list_filter = ["payer_type"]
    search_fields = ["name", "identifier"]


class EraInline(admin.TabularInline):
    model = Era
    fields = ["position", "payer", "trace_number", "payment_amount", "payment_date", "claim_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Remittance)
class RemittanceAdmin(admin.ModelAdmin):
    list_display = ["id", "filename", "source", "status", "received_at", "claim_count"]
    list_filter = ["status", "source"]
    search_fields = ["filename", "sha256"]
    readonly_fields = [f.name for f in Remittance._meta.fields]
    inlines = [EraInline]

    def has_add_permission(self, request):
        return False


@admin.register(StepFailure)
class StepFailureAdmin(admin.ModelAdmin):
    list_display = ["remittance", "step", "attempts", "failed_at", "cleared_at"]
    list_filter = ["step", ("cleared_at", admin.EmptyFieldListFilter)]
    readonly_fields = [f.name for f in StepFailure._meta.fields]

    def has_add_permission(self, request):
        return False
