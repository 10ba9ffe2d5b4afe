"""Forms of the worklist pages: the actions on an item, the manager's bulk change, and
the editors for teams, routing rules and payer rules. They parse and validate input only;
the views hand the cleaned data to the services."""

from django import forms
from django.contrib.auth import get_user_model
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from denials.choices import ControlPoint

from .choices import OPEN_STATUSES, ItemStatus, Resolution
from .models import PayerRule, RoutingRule, Team

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OneOrAnySelect(forms.Select):
    """A plain select for a multiple-choice filter: one value, or any."""

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        return [v for v in values if v]


FILTER_LABELS = {
    "kind": "Kind",
    "team": "Team",
    "assignee": "Assignee",
    "unassigned": "Held",
    "status": "Status",
    "payer": "Payer",
    "category": "Category",
    "reason_code": "Reason code",
    "deadline_state": "Deadline",
    "due_within_days": "Due within (days)",
    "min_priority": "Priority from",
    "max_priority": "Priority to",
    "min_amount": "Open $ from",
    "max_amount": "Open $ to",
    "age_days": "Older than (days)",
}
MORE_FILTERS = ("min_priority", "max_priority", "min_amount", "max_amount", "age_days")


def queue_filter_form(form, *, drop: tuple[str, ...], teams=None, members=None):
    """Dress the shared FilterSet's form for a queue page: short labels, "any" choices,
    open statuses only, the fields the page needs; the rarer ones go under "more"."""
    for name in drop:
        form.fields.pop(name, None)
    for name, field in form.fields.items():
        field.label = FILTER_LABELS.get(name, field.label)
        if getattr(field, "empty_label", None) is not None:  # single-choice selects
            field.empty_label = "Any"
            field.widget.choices = field.choices  # the widget's list, built with the new label
    fields = form.fields
    fields["status"].choices = [
        ("", "Any open"),
        *((s, ItemStatus(s).label) for s in OPEN_STATUSES),
    ]
    fields["status"].widget = OneOrAnySelect(choices=fields["status"].choices)
    if "unassigned" in fields:
        fields["unassigned"].widget = forms.Select(
            choices=[("", "Anyone"), ("true", "Unassigned"), ("false", "Assigned")]
        )
    if teams is not None and "team" in fields:
        fields["team"].queryset = teams
    if members is not None and "assignee" in fields:
        fields["assignee"].queryset = members
    form.primary_fields = [form[n] for n in fields if n not in MORE_FILTERS]
    form.more_fields = [form[n] for n in fields if n in MORE_FILTERS]
    form.more_used = any(form.data.get(n) for n in MORE_FILTERS)
    return form


class ItemForm(forms.Form):
    """An action's form on one item: ``item`` gives choices and prefills."""

    def __init__(self, *args, item, **kwargs):
        self.item = item
        super().__init__(*args, **kwargs)


class _FetchedChoices(ModelChoiceIterator):
    """Choices from one plain fetch: Django's default streams them through a server-side
    cursor, which on PostgreSQL costs a transaction and four round trips for a handful of
    team members."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class MemberChoiceField(forms.ModelChoiceField):
    iterator = _FetchedChoices


class AssignForm(ItemForm):
    title, button = "Assign to a teammate", "Assign"
    assignee = MemberChoiceField(queryset=get_user_model().objects.none(), label="Assign to")

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        self.fields["assignee"].queryset = item.team.members.order_by("username")
        self.fields["assignee"].initial = item.assignee_id


class NoteForm(ItemForm):
    title, button = "Add a note", "Add note"
    text = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Add a note…"})
    )


class RejectWriteOffForm(ItemForm):
    title, button = "Reject the write-off", "Reject write-off"
    reason = forms.CharField(label="Why", max_length=200)


class FollowUpForm(ItemForm):
    title, button = "Set a follow-up date", "Set follow-up"
    on = forms.DateField(label="Follow up on", widget=DATE)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        self.fields["on"].initial = item.follow_up_on


class ResubmitForm(ItemForm):
    title, button = "Mark corrected and resubmitted", "Mark resubmitted"
    on = forms.DateField(label="Sent on", widget=DATE, initial=timezone.localdate)
    new_claim_reference = forms.CharField(
        label="New claim reference", max_length=50, required=False
    )


class CloseForm(ItemForm):
    """Closing always records the root cause, prefilled from the item. As it stands:
    move the balance to the patient or a secondary payer."""

    title, button = "Move to patient or secondary", "Move and close"

    control_point = forms.ChoiceField(
        label="Root cause: control point",
        choices=[("", "— choose —"), *ControlPoint.choices],
        error_messages={"required": "Closing an item needs a root cause: pick a control point."},
    )
    cause = forms.CharField(
        label="Cause",
        max_length=200,
        error_messages={"required": "Closing an item needs a root cause: say what caused it."},
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, item=item, **kwargs)
        self.fields["control_point"].initial = item.control_point
        self.fields["cause"].initial = item.root_cause


class WriteOffForm(CloseForm):
    title, button = "Write off", "Write off"
    reason = forms.CharField(label="Write-off reason", max_length=200)


class PaidForm(CloseForm):
    title, button = "Resolve as paid", "Resolve as paid"
    resolution = forms.ChoiceField(
        label="Paid",
        choices=[
            (Resolution.RECOVERED_FULL, "In full"),
            (Resolution.RECOVERED_PARTIAL, "In part"),
        ],
        initial=Resolution.RECOVERED_FULL,
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label="Amount recovered", max_digits=14, decimal_places=2, required=False
    )

    field_order = ["resolution", "amount", "control_point", "cause"]

    def clean(self):
        data = super().clean()
        amount = data.get("amount")
        if data.get("resolution") == Resolution.RECOVERED_PARTIAL:
            if amount is None or amount <= 0:
                self.add_error("amount", "Say how much was recovered.")
            elif amount >= self.item.open_amount:
                self.add_error("amount", "A partial recovery is less than the open amount.")
        elif amount is not None and amount < 0:
            self.add_error("amount", "Must not be negative.")
        return data


class BulkForm(forms.Form):
    """A manager's change to every item a team queue's filters select."""

    KEEP, UNASSIGN = "", "-"

    assignee = forms.ChoiceField(label="Assignee", required=False)
    team = forms.ModelChoiceField(
        label="Move to team", queryset=Team.objects.none(), required=False, empty_label="—"
    )
    follow_up_on = forms.DateField(label="Follow up on", required=False, widget=DATE)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(u.pk): u for u in team.members.order_by("username")}
        self.fields["assignee"].choices = [
            (self.KEEP, "Keep as is"),
            (self.UNASSIGN, "Unassign"),
            *((pk, u.get_username()) for pk, u in self.members.items()),
        ]
        self.fields["team"].queryset = Team.objects.exclude(pk=team.pk)

    def clean(self):
        data = super().clean()
        choice, team = data.get("assignee"), data.get("team")
        if choice in (self.KEEP, None) and team is None and data.get("follow_up_on") is None:
            raise forms.ValidationError("Choose something to change.")
        user = self.members.get(choice)
        if user is not None and team is not None and not team.members.filter(pk=user.pk).exists():
            self.add_error("assignee", f"{user.get_username()} is not a member of {team.name}.")
        return data

    def changes(self) -> dict:
        """Keyword arguments for ``items_bulk_update``."""
        choice, out = self.cleaned_data["assignee"], {}
        if choice == self.UNASSIGN:
            out["assignee"] = None
        elif choice != self.KEEP:
            out["assignee"] = self.members[choice]
        if self.cleaned_data["team"] is not None:
            out["team"] = self.cleaned_data["team"]
        if self.cleaned_data["follow_up_on"] is not None:
            out["follow_up_on"] = self.cleaned_data["follow_up_on"]
        return out


class TeamForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        # The default team is chosen in the API or the admin (one default at a time).
        fields = [n for n in Team.EDITABLE_FIELDS if n != "is_default"]


class RoutingRuleForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = RoutingRule.EDITABLE_FIELDS

    # Validation: RoutingRule.clean(), which the API uses too.


class PayerRuleForm(forms.ModelForm):
    class Meta:
        model = PayerRule
        fields = PayerRule.EDITABLE_FIELDS
        widgets = {"effective_from": DATE, "effective_to": DATE}

    # Validation: PayerRule.clean(), which the API uses too.
