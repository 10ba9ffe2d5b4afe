from django.contrib import admin

from .models import Denial, ReasonCode, RemarkCode


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "short_description",
        "is_denial",
        "denial_groups",
        "category",
        "severity",
        "control_point",
        "next_action",
    ]
    list_filter = ["is_denial", "category", "severity", "control_point", "next_action"]
    list_editable = ["is_denial", "category", "severity"]
    search_fields = ["code", "description"]

    @admin.display(description="Description")
    def short_description(self, obj):
        return obj.description[:80]


@admin.register(RemarkCode)
class RemarkCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "short_description", "effect", "category", "next_action"]
    list_filter = ["effect", "category"]
    search_fields = ["code", "description"]

    @admin.display(description="Description")
    def short_description(self, obj):
        return obj.description[:80]


@admin.register(Denial)
class DenialAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "payer",
        "level",
        "reason_code",
        "category",
        "severity",
        "denied_amount",
        "created_at",
    ]
    list_filter = ["category", "severity", "level", "appealable"]
    raw_id_fields = ["remittance", "era", "claim", "service_line"]
    readonly_fields = ["remittance", "era", "claim", "service_line", "payer"]
