from django.contrib import admin

from .models import Activity, CategoryPolicy, PayerRule, RoutingRule, Team, WorklistItem


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "is_default"]
    filter_horizontal = ["members"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = RoutingRule.EDITABLE_FIELDS
    list_display_links = ["order", "name"]
    list_editable = ["active"]
    list_filter = ["active", "team", "category", "payer_type"]


@admin.register(PayerRule)
class PayerRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", *PayerRule.EDITABLE_FIELDS]
    list_filter = ["payer_type", "kind"]


@admin.register(CategoryPolicy)
class CategoryPolicyAdmin(admin.ModelAdmin):
    list_display = CategoryPolicy.EDITABLE_FIELDS
    list_editable = ["prior_recovery_rate", "prior_weight", "work_cost"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "note"]
    can_delete = False


@admin.register(WorklistItem)
class WorklistItemAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "team",
        "status",
        "assignee",
        "payer",
        "category",
        "open_amount",
        "deadline",
        "deadline_state",
        "priority",
    ]
    list_filter = ["team", "status", "category", "deadline_state"]
    raw_id_fields = ["claim", "assignee"]
    readonly_fields = ["priority_explanation", "routing_rule", "guardrail"]
    inlines = [ActivityInline]
