"""Writes for appeals: start, edit, submit, decide (by a person or from the payer's
remittance), withdraw, take to the next level, correct an outcome. Each change is one
transaction with its history row, the item's move and the audit row."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from claims.choices import EventKind as ClaimEventKind
from claims.models import ClaimEvent
from denials.choices import ControlPoint
from denials.models import Denial
from remittance.models import Claim, ServiceLine
from worklist.choices import ActivityKind, ItemKind, ItemStatus, Resolution
from worklist.models import Activity, WorklistItem
from worklist.querysets import is_manager
from worklist.services import AssignmentRefused, InvalidTransition
from worklist.services.items import _check_holder, _rescore_on_commit, _take, item_transition

from . import deadlines, letters, routes, selectors
from .choices import (
    APPEAL_TRANSITIONS,
    OVERTURNED,
    PENDING_STATUSES,
    AppealKind,
    AppealLevel,
    AppealStatus,
    DecisionSource,
    EventKind,
    Outcome,
    SubmissionMethod,
    level_name,
)
from .models import Appeal, AppealDenial, AppealEvent

logger = logging.getLogger(__name__)


class AppealRefused(ValueError):
    """The appeal cannot be started or moved; ``reasons`` says why, in words."""

    def __init__(self, reasons: list[str] | str, suggested_kind: str = ""):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        self.suggested_kind = suggested_kind
        super().__init__(" ".join(self.reasons))


def _event(appeal, actor, kind, note="", from_status="", to_status="", remittance_id=None):
    return AppealEvent.objects.create(
        appeal=appeal,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind,
        note=note,
        from_status=from_status,
        to_status=to_status,
        remittance_id=remittance_id,
    )


def _audit(actor, appeal, detail):
    if actor is not None:
        audit_record(actor=actor, action=AuditAction.CHANGE, obj=appeal, detail=detail)


# ---- Starting ----------------------------------------------------------------------


def appeal_proposal(
    item: WorklistItem,
    *,
    kind: str = AppealKind.APPEAL,
    level: str = "",
    clerical_error: bool = False,
    timely_filing_proof: bool = False,
) -> dict:
    """What starting an appeal on this item would give: level, deadline, the route check
    and the template. The page shows it before anything is saved; ``appeal_start`` saves
    exactly this."""
    if item.kind != ItemKind.DENIAL or item.payer_id is None:
        raise AppealRefused("Only a payer's denial is appealed; a rejection is corrected.")
    rules = selectors.rules_for(item.payer)
    previous = _last_upheld(item)
    if not level:
        level = AppealLevel.FIRST
        if previous is not None and kind == AppealKind.APPEAL:
            level = deadlines.next_level(rules, previous.level, previous.decided_on) or ""
    denials = selectors.item_denials(item)
    codes = selectors.reason_codes(denials)
    proof = selectors.timely_filing_proof(item)
    problems: list[str] = []
    if kind == AppealKind.APPEAL and level != AppealLevel.FIRST:
        if not level:
            problems.append(
                f"The {previous.level_name} was the payer's last level: no further appeal."
            )
            due = deadlines.Deadline(None, "")
        elif previous is None:
            problems.append("A later level follows an upheld decision at the level before it.")
            due = deadlines.Deadline(None, "")
        elif deadlines.next_level(rules, previous.level, previous.decided_on) != level:
            problems.append(
                f"After the {previous.level_name}, the next level is "
                f"{level_name(deadlines.next_level(rules, previous.level) or previous.level, item.payer.payer_type)}."  # noqa: E501
            )
            due = deadlines.Deadline(None, "")
        else:
            due = deadlines.level_deadline(rules, level, previous.decided_on)
    else:
        level = AppealLevel.FIRST
        due = deadlines.first_deadline(
            kind,
            appeal_deadline=item.appeal_deadline,
            refile_deadline=item.refile_deadline,
            received_date=item.received_date,
            rules=rules,
        )
    check = routes.check_route(
        routes.RouteFacts(
            kind=kind,
            level=level or AppealLevel.FIRST,
            payer_type=item.payer.payer_type,
            reason_codes=tuple(codes),
            appealable=item.appealable,
            clerical_error=clerical_error,
            timely_filing_proof=bool(proof) or timely_filing_proof,
            amount=item.open_amount,
            min_amount_in_controversy=due.min_amount,
        )
    )
    warnings = []
    if due.on is not None and due.on < timezone.localdate():
        warnings.append(
            f"The deadline ({due.on:%Y-%m-%d}) has passed: the payer may refuse it unless "
            "there is good cause for the delay."
        )
    return {
        "item": item,
        "kind": kind,
        "level": level or AppealLevel.FIRST,
        "level_name": level_name(level or AppealLevel.FIRST, item.payer.payer_type)
        if kind == AppealKind.APPEAL
        else AppealKind(kind).label,
        "previous": previous if kind == AppealKind.APPEAL and level != AppealLevel.FIRST else None,
        "deadline": due,
        "denials": denials,
        "codes": codes,
        "proof": proof,
        "check": check,
        "refusals": problems + check.refusals,
        "notes": check.notes + warnings,
        "template": selectors.template_for(category=item.category, payer=item.payer, kind=kind),
    }


def _last_upheld(item: WorklistItem) -> Appeal | None:
    return (
        Appeal.objects.filter(
            item=item,
            kind=AppealKind.APPEAL,
            status=AppealStatus.DECIDED,
            outcome=Outcome.UPHELD,
        )
        .order_by("-decided_on", "-id")
        .first()
    )


@transaction.atomic
def appeal_start(
    *,
    item: WorklistItem,
    actor,
    kind: str = AppealKind.APPEAL,
    level: str = "",
    argument: str = "",
    clerical_error: bool = False,
    timely_filing_proof: bool = False,
    template=None,
) -> Appeal:
    """Start an appeal (or a reopening, or a corrected claim) of an item's denials at the
    proposed level, after the route check. The item moves to "appealed" (a corrected
    claim's to "resubmitted") in the actor's hands."""
    if kind not in AppealKind.values:
        raise AppealRefused(f"Unknown kind {kind!r}: appeal, reopening or corrected_claim.")
    if level and level not in AppealLevel.values:
        raise AppealRefused(f"Unknown level {level!r}.")
    item = (
        WorklistItem.objects.select_for_update(of=("self",))
        .select_related("payer", "claim", "assignee")
        .get(pk=item.pk)
    )
    _check_holder(item, actor)
    if item.status == ItemStatus.RESOLVED:
        raise AppealRefused("This item is closed; reopen it before appealing.")
    open_appeal = item.appeals.open().first()
    if open_appeal is not None:
        raise AppealRefused(f"This item already has an open {open_appeal.level_name.lower()}.")
    plan = appeal_proposal(
        item,
        kind=kind,
        level=level,
        clerical_error=clerical_error,
        timely_filing_proof=timely_filing_proof,
    )
    if plan["refusals"]:
        raise AppealRefused(plan["refusals"], plan["check"].suggested_kind)
    denials = plan["denials"]
    claim = item.claim
    appeal = Appeal.objects.create(
        item=item,
        previous=plan["previous"],
        submitted_claim_id=getattr(claim, "submitted_claim_id", None),
        payer=item.payer,
        payer_type=item.payer.payer_type,
        kind=kind,
        level=plan["level"],
        patient_control_number=item.patient_control_number,
        payer_claim_control_number=getattr(claim, "payer_claim_control_number", "") or "",
        category=item.category,
        reason_codes=plan["codes"],
        procedure_code=item.procedure_code,
        service_date=item.service_date,
        amount_appealed=item.open_amount,
        deadline=plan["deadline"].on,
        deadline_explanation=plan["deadline"].explanation[:300],
        min_amount_in_controversy=plan["deadline"].min_amount,
        clerical_error=clerical_error,
        argument=argument,
        template=template or plan["template"],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    AppealDenial.objects.bulk_create([AppealDenial(appeal=appeal, denial=d) for d in denials])
    _event(appeal, actor, EventKind.CREATED, "; ".join(plan["notes"]), to_status=appeal.status)
    item = _take(item, actor)
    to_status = (
        ItemStatus.RESUBMITTED if kind == AppealKind.CORRECTED_CLAIM else ItemStatus.APPEALED
    )
    item_transition(
        item=item,
        to_status=to_status,
        actor=actor,
        note=f"{appeal.level_name} started (appeal {appeal.pk})"
        + (f", due {appeal.deadline:%Y-%m-%d}." if appeal.deadline else "."),
    )
    WorklistItem.objects.filter(pk=item.pk).update(next_level_deadline=None)
    _audit(actor, appeal, f"started {kind} {appeal.level}")
    return appeal


@transaction.atomic
def corrected_claim_record(*, item: WorklistItem, actor, on: date, reference: str) -> Appeal | None:
    """A corrected claim sent from the item page: tracked like an appeal (sent, expected
    decision, decided by the payer's next remittance) but reported apart. An item with an
    open appeal gets a note on it instead of a second record."""
    item = WorklistItem.objects.select_related("payer", "claim").get(pk=item.pk)
    if item.kind != ItemKind.DENIAL or item.payer_id is None:
        return None
    current = item.appeals.open().first()
    if current is not None:
        _event(current, actor, EventKind.NOTE, f"Corrected claim sent {on:%Y-%m-%d} {reference}")
        return None
    claim = item.claim
    due = deadlines.first_deadline(
        AppealKind.CORRECTED_CLAIM,
        appeal_deadline=item.appeal_deadline,
        refile_deadline=item.refile_deadline,
        received_date=item.received_date,
        rules=[],
    )
    appeal = Appeal.objects.create(
        item=item,
        submitted_claim_id=getattr(claim, "submitted_claim_id", None),
        payer=item.payer,
        payer_type=item.payer.payer_type,
        kind=AppealKind.CORRECTED_CLAIM,
        level=AppealLevel.FIRST,
        status=AppealStatus.SUBMITTED,
        patient_control_number=item.patient_control_number,
        payer_claim_control_number=getattr(claim, "payer_claim_control_number", "") or "",
        category=item.category,
        reason_codes=selectors.reason_codes(selectors.item_denials(item)),
        procedure_code=item.procedure_code,
        service_date=item.service_date,
        amount_appealed=item.open_amount,
        deadline=due.on,
        deadline_explanation=due.explanation,
        method=SubmissionMethod.ELECTRONIC,
        submitted_on=on,
        reference=reference,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    appeal.expected_decision_on, why = selectors.expected_decision(appeal)
    appeal.expected_explanation = why[:300]
    appeal.save(update_fields=["expected_decision_on", "expected_explanation"])
    AppealDenial.objects.bulk_create(
        [AppealDenial(appeal=appeal, denial=d) for d in selectors.item_denials(item)]
    )
    _event(
        appeal,
        actor,
        EventKind.CREATED,
        f"Corrected claim sent {on:%Y-%m-%d} from the item page; decision expected by "
        f"{appeal.expected_decision_on:%Y-%m-%d} ({why}).",
        to_status=AppealStatus.SUBMITTED,
    )
    _audit(actor, appeal, "corrected claim recorded")
    return appeal


# ---- Editing and moving -------------------------------------------------------------


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("item", "item__assignee", "payer")
        .get(pk=appeal.pk)
    )


def _move(appeal: Appeal, to_status: str, actor, note: str = "", remittance_id=None) -> None:
    if to_status not in APPEAL_TRANSITIONS[appeal.status]:
        raise AppealRefused(
            f"An appeal that is {appeal.get_status_display().lower()} cannot become "
            f"{AppealStatus(to_status).label.lower()}."
        )
    from_status, appeal.status = appeal.status, to_status
    appeal.save()
    _event(
        appeal,
        actor,
        EventKind.DECIDED if to_status == AppealStatus.DECIDED else EventKind.STATUS,
        note,
        from_status,
        to_status,
        remittance_id,
    )


@transaction.atomic
def appeal_update(
    *, appeal: Appeal, actor, argument: str | None = None, template=False, ready=None
) -> Appeal:
    """Edit a draft: the argument, the template; ``ready`` marks it ready to send (or
    back to draft). A sent appeal is not edited: its letter is what the payer has."""
    appeal = _locked(appeal)
    _check_holder(appeal.item, actor)
    if appeal.status not in (AppealStatus.DRAFT, AppealStatus.READY):
        raise AppealRefused("A sent appeal cannot be edited: its letter is what the payer has.")
    changed = []
    if argument is not None and argument != appeal.argument:
        appeal.argument, changed = argument, [*changed, "argument"]
    if template is not False and template != appeal.template:
        appeal.template, changed = template, [*changed, "template"]
    if changed:
        appeal.save()
        _event(appeal, actor, EventKind.EDITED, f"Changed: {', '.join(changed)}.")
    if ready is not None:
        target = AppealStatus.READY if ready else AppealStatus.DRAFT
        if target != appeal.status:
            _move(appeal, target, actor)
    _audit(actor, appeal, "edited")
    return appeal


@transaction.atomic
def appeal_submit(
    *, appeal: Appeal, actor, method: str, submitted_on: date, reference: str = ""
) -> Appeal:
    """Sent to the payer: how, when, the payer's reference. The letter is frozen as sent,
    the expected decision date set from the payer's decision times, and the item waits
    for the payer until then (then it comes back as a follow-up)."""
    appeal = _locked(appeal)
    _check_holder(appeal.item, actor)
    if method not in SubmissionMethod.values:
        raise AppealRefused(f"Unknown method {method!r}: portal, mail, fax or electronic.")
    today = timezone.localdate()
    if submitted_on > today:
        raise AppealRefused("The submission date cannot be in the future.")
    denied_on = appeal.item.received_date
    if denied_on is not None and submitted_on < denied_on:
        raise AppealRefused(
            f"The submission date cannot be before the denial's remittance ({denied_on:%Y-%m-%d})."
        )
    appeal.method, appeal.submitted_on, appeal.reference = method, submitted_on, reference[:80]
    appeal.letter_html = letters.render_html(appeal)
    appeal.expected_decision_on, why = selectors.expected_decision(appeal)
    appeal.expected_explanation = why[:300]
    note = f"Sent by {SubmissionMethod(method).label.lower()} on {submitted_on:%Y-%m-%d}"
    note += f", reference {reference}" if reference else ""
    note += f"; decision expected by {appeal.expected_decision_on:%Y-%m-%d} ({why})."
    _move(appeal, AppealStatus.SUBMITTED, actor, note)
    item = appeal.item
    if item.status in (ItemStatus.APPEALED, ItemStatus.RESUBMITTED):
        item_transition(item=item, to_status=ItemStatus.AWAITING_PAYER, actor=actor, note=note)
    due = appeal.expected_decision_on
    # The item now races the payer's decision: back to the top when it is overdue (the
    # follow-up sweep), its countdown the days to (or past) the expected decision.
    WorklistItem.objects.filter(pk=item.pk).update(
        follow_up_on=due, follow_up_due=due <= today, deadline=due, updated_at=timezone.now()
    )
    _rescore_on_commit({(item.payer_id, item.category)})
    if appeal.submitted_claim_id:
        ClaimEvent.objects.get_or_create(
            submitted_claim_id=appeal.submitted_claim_id,
            kind=ClaimEventKind.APPEALED,
            occurred_on=submitted_on,
            remittance_claim=None,
            rejection=None,
            defaults={"detail": f"{appeal.level_name} sent ({appeal.get_method_display()})."},
        )
    _audit(actor, appeal, f"submitted {method}")
    return appeal


@transaction.atomic
def appeal_acknowledge(*, appeal: Appeal, actor, note: str = "") -> Appeal:
    """The payer confirmed receipt: awaiting its decision."""
    appeal = _locked(appeal)
    _check_holder(appeal.item, actor)
    _move(appeal, AppealStatus.AWAITING_DECISION, actor, note or "The payer confirmed receipt.")
    _audit(actor, appeal, "acknowledged")
    return appeal


@transaction.atomic
def appeal_withdraw(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Withdrawn before a decision: the item goes back to its holder to work."""
    if not reason.strip():
        raise AppealRefused("Say why the appeal is withdrawn.")
    appeal = _locked(appeal)
    _check_holder(appeal.item, actor)
    _move(appeal, AppealStatus.WITHDRAWN, actor, f"Withdrawn: {reason.strip()}")
    _back_to_queue(appeal.item, actor, f"{appeal.level_name} withdrawn: {reason.strip()}")
    _audit(actor, appeal, "withdrawn")
    return appeal


def _back_to_queue(item: WorklistItem, actor, note: str) -> None:
    """The item returns to work: with its holder (in progress), or to its team's queue."""
    item = WorklistItem.objects.get(pk=item.pk)
    if item.status in (ItemStatus.APPEALED, ItemStatus.RESUBMITTED):
        item = item_transition(item=item, to_status=ItemStatus.AWAITING_PAYER, actor=actor)
    if item.status == ItemStatus.AWAITING_PAYER:
        target = ItemStatus.IN_PROGRESS if item.assignee_id else ItemStatus.NEW
        item_transition(item=item, to_status=target, actor=actor, note=note)
    else:
        Activity.objects.create(item=item, actor=actor, kind=ActivityKind.NOTE, note=note)


@transaction.atomic
def appeal_note(*, appeal: Appeal, actor, text: str) -> AppealEvent:
    text = text.strip()
    if not text:
        raise AppealRefused("A note needs some text.")
    Appeal.objects.filter(pk=appeal.pk).update(updated_at=timezone.now())
    _audit(actor, appeal, "note added")
    return _event(appeal, actor, EventKind.NOTE, text)


# ---- Decisions ----------------------------------------------------------------------


def _check_outcome(appeal: Appeal, outcome: str, recovered: Decimal | None) -> Decimal:
    if outcome not in Outcome.values:
        raise AppealRefused(
            f"Unknown outcome {outcome!r}: overturned, partially_overturned or upheld."
        )
    appealed = appeal.amount_appealed
    if outcome == Outcome.OVERTURNED:
        recovered = appealed if recovered is None else recovered
    if outcome == Outcome.UPHELD:
        if recovered not in (None, Decimal(0)):
            raise AppealRefused("An upheld appeal recovered nothing.")
        return Decimal(0)
    if recovered is None:
        raise AppealRefused("An appeal overturned in part needs the recovered amount.")
    if not (0 <= recovered <= appealed):
        raise AppealRefused(
            f"The recovered amount must be between $0.00 and the amount appealed ${appealed:,.2f}."
        )
    if outcome == Outcome.PARTIALLY_OVERTURNED and not (0 < recovered < appealed):
        raise AppealRefused(
            "An appeal overturned in part recovered more than $0.00 and less than the "
            f"${appealed:,.2f} appealed."
        )
    return recovered


@transaction.atomic
def appeal_decide(
    *,
    appeal: Appeal,
    actor,
    outcome: str,
    recovered_amount: Decimal | None = None,
    decided_on: date | None = None,
    note: str = "",
    remittance_id: int | None = None,
) -> Appeal:
    """Record the payer's decision: by a person (``actor``) or from a remittance
    (``actor=None``, ``remittance_id``). Overturned closes the item as recovered; upheld
    sends it back to work with the next level's deadline, when the payer has one."""
    appeal = _locked(appeal)
    if actor is not None:
        _check_holder(appeal.item, actor)
    if appeal.status not in PENDING_STATUSES:
        raise AppealRefused(
            "Only a sent appeal is decided: mark it submitted first."
            if appeal.status in (AppealStatus.DRAFT, AppealStatus.READY)
            else f"This appeal is {appeal.get_status_display().lower()} already."
        )
    recovered = _check_outcome(appeal, outcome, recovered_amount)
    decided_on = decided_on or timezone.localdate()
    if appeal.submitted_on and decided_on < appeal.submitted_on:
        raise AppealRefused("The decision date cannot be before the submission date.")
    appeal.outcome, appeal.recovered_amount, appeal.decided_on = outcome, recovered, decided_on
    appeal.decision_source = DecisionSource.USER if actor else DecisionSource.REMITTANCE
    appeal.decided_by = actor if actor is not None else None
    appeal.decided_by_remittance_id = remittance_id
    words = f"{Outcome(outcome).label}" + (f", ${recovered:,.2f} recovered" if recovered else "")
    source = f" (remittance {remittance_id})" if remittance_id else ""
    _move(appeal, AppealStatus.DECIDED, actor, f"{words}{source}. {note}".strip(), remittance_id)
    item = WorklistItem.objects.select_related("payer").get(pk=appeal.item_id)
    if outcome in OVERTURNED:
        _close_item(appeal, item, actor, recovered, remittance_id)
    else:
        _upheld(appeal, item, actor, remittance_id)
    _audit(actor, appeal, f"decided {outcome}")
    return appeal


def _close_item(appeal, item, actor, recovered, remittance_id) -> None:
    if item.status == ItemStatus.RESOLVED:
        return  # the remittance's payment closed it already
    full = recovered >= item.open_amount
    item_transition(
        item=item,
        to_status=ItemStatus.RESOLVED,
        actor=actor,
        resolution=Resolution.RECOVERED_FULL if full else Resolution.RECOVERED_PARTIAL,
        recovered_amount=min(recovered, item.open_amount),
        kind=ActivityKind.PAYER if remittance_id else ActivityKind.STATUS,
        note=f"{appeal.level_name} {Outcome(appeal.outcome).label.lower()}.",
        root_cause={
            "control_point": item.control_point or ControlPoint.BILLING,
            "cause": item.root_cause or item.get_category_display(),
        },
        remittance_id=remittance_id,
    )


def _upheld(appeal, item, actor, remittance_id) -> None:
    next_level = None
    if appeal.kind == AppealKind.APPEAL:
        rules = selectors.rules_for(appeal.payer)
        next_level = deadlines.next_level(rules, appeal.level, appeal.decided_on)
    if next_level:
        due = deadlines.level_deadline(rules, next_level, appeal.decided_on)
        name = level_name(next_level, appeal.payer_type)
        note = f"{appeal.level_name} upheld; next: {name}" + (
            f", due {due.on:%Y-%m-%d}." if due.on else "."
        )
        WorklistItem.objects.filter(pk=item.pk).update(
            next_level_deadline=due.on,
            appeal_deadline=due.on,
            deadline=due.on,
            follow_up_on=None,
            follow_up_due=False,
        )
        _rescore_on_commit({(item.payer_id, item.category)})
    else:
        note = f"{appeal.level_name} upheld; no further level: write off or bill elsewhere."
    if item.status == ItemStatus.RESOLVED:
        Activity.objects.create(
            item=item, actor=actor, kind=ActivityKind.NOTE, note=note, remittance_id=remittance_id
        )
        return
    _back_to_queue(item, actor, note)
    if remittance_id:  # the item's changes from this remittance are done (follow-up skips it)
        Activity.objects.create(
            item=item,
            actor=None,
            kind=ActivityKind.PAYER,
            note=f"Denied again in remittance {remittance_id}.",
            remittance_id=remittance_id,
        )


@transaction.atomic
def appeal_correct_outcome(
    *, appeal: Appeal, actor, outcome: str, recovered_amount: Decimal | None, reason: str
) -> Appeal:
    """A manager corrects a recorded outcome (an automatic one, usually). The correction
    and the outcome it replaced are logged; the item's recovered amount follows."""
    if not is_manager(actor):
        raise AssignmentRefused("Only a manager corrects an appeal's outcome.")
    if not reason.strip():
        raise AppealRefused("Say why the outcome is corrected.")
    appeal = _locked(appeal)
    if appeal.status != AppealStatus.DECIDED:
        raise AppealRefused("Only a decided appeal's outcome is corrected.")
    recovered = _check_outcome(appeal, outcome, recovered_amount)
    before = f"{appeal.get_outcome_display()} (${appeal.recovered_amount:,.2f}, {appeal.get_decision_source_display().lower()})"  # noqa: E501
    appeal.outcome, appeal.recovered_amount = outcome, recovered
    appeal.decision_source, appeal.decided_by = DecisionSource.USER, actor
    appeal.save()
    after = f"{appeal.get_outcome_display()} (${recovered:,.2f})"
    _event(appeal, actor, EventKind.CORRECTED, f"{before} → {after}: {reason.strip()}")
    item = WorklistItem.objects.select_for_update().get(pk=appeal.item_id)
    if item.status == ItemStatus.RESOLVED and item.resolution in (
        Resolution.RECOVERED_FULL,
        Resolution.RECOVERED_PARTIAL,
    ):
        item.recovered_amount = min(recovered, item.open_amount)
        item.resolution = (
            Resolution.RECOVERED_FULL
            if item.recovered_amount >= item.open_amount
            else Resolution.RECOVERED_PARTIAL
        )
        item.save(update_fields=["recovered_amount", "resolution", "updated_at"])
    Activity.objects.create(
        item=item, actor=actor, kind=ActivityKind.NOTE, note=f"Appeal outcome corrected: {after}."
    )
    _audit(actor, appeal, f"outcome corrected to {outcome}")
    return appeal


# ---- From the payer's remittance ----------------------------------------------------

IDENTITY = Coalesce("submitted_claim__original_id", "submitted_claim_id")


def appeals_follow_remittance(*, remittance_id: int) -> int:
    """Decide the sent appeals a remittance answers, with no one typing it: a payment of
    the appealed claim (or line) of at least the amount appealed overturns it in full, a
    smaller payment in part; a repeated denial of the same lines with nothing paid
    upholds it. Each appeal is decided in its own savepoint; one that cannot be is
    logged and left for a person. Idempotent: a decided appeal is not decided again.
    Returns how many were decided."""
    claims = list(
        Claim.objects.filter(remittance_id=remittance_id)
        .exclude(status_code="22")  # a reversal takes back; it decides nothing
        .annotate(identity=IDENTITY)
        .values("id", "payer_id", "patient_control_number", "paid", "identity")
    )
    if not claims:
        return 0
    identities = {c["identity"] for c in claims} - {None}
    appeals = list(
        Appeal.objects.pending()
        .filter(
            Q(item__claim__submitted_claim_id__in=identities)
            | Q(item__claim__submitted_claim__original_id__in=identities)
            | Q(
                item__claim__submitted_claim__isnull=True,
                payer_id__in={c["payer_id"] for c in claims},
                patient_control_number__in={c["patient_control_number"] for c in claims},
            )
        )
        .exclude(item__claim__remittance_id=remittance_id)
        .annotate(
            identity=Coalesce(
                "item__claim__submitted_claim__original_id", "item__claim__submitted_claim_id"
            )
        )
        .select_related("item")
    )
    if not appeals:
        return 0
    line_paid: dict[tuple, Decimal] = defaultdict(Decimal)
    for claim_id, code, paid in ServiceLine.objects.filter(
        claim_id__in=[c["id"] for c in claims]
    ).values_list("claim_id", "procedure_code", "paid"):
        line_paid[(claim_id, code)] += paid
    denied = set(
        Denial.objects.filter(remittance_id=remittance_id).values_list(
            "claim_id", "service_line__procedure_code"
        )
    )
    decided = 0
    for appeal in appeals:
        mine = [
            c
            for c in claims
            if c["id"] > appeal.item.claim_id
            and (
                c["identity"] == appeal.identity
                if appeal.identity
                else (c["payer_id"], c["patient_control_number"])
                == (appeal.payer_id, appeal.patient_control_number)
            )
        ]
        if not mine:
            continue
        code = appeal.procedure_code
        paid = sum(
            (line_paid.get((c["id"], code), Decimal(0)) if code else c["paid"] for c in mine),
            Decimal(0),
        )
        again = any((c["id"], code or None) in denied for c in mine) or (
            not code and any(claim_id == c["id"] for c in mine for claim_id, _ in denied)
        )
        if paid >= appeal.amount_appealed and paid > 0:
            outcome, recovered = Outcome.OVERTURNED, appeal.amount_appealed
        elif paid > 0:
            outcome, recovered = Outcome.PARTIALLY_OVERTURNED, paid
        elif again:
            outcome, recovered = Outcome.UPHELD, Decimal(0)
        else:
            continue
        try:
            with transaction.atomic():
                appeal_decide(
                    appeal=appeal,
                    actor=None,
                    outcome=outcome,
                    recovered_amount=recovered,
                    decided_on=max(_remittance_date(remittance_id), appeal.submitted_on),
                    remittance_id=remittance_id,
                )
        except (AppealRefused, InvalidTransition, IntegrityError) as exc:
            logger.warning("remittance %s: appeal %s left for a person: %s",
                           remittance_id, appeal.pk, exc)  # fmt: skip
            continue
        decided += 1
    return decided


def _remittance_date(remittance_id: int) -> date:
    from remittance.models import Era

    era = Era.objects.filter(remittance_id=remittance_id).order_by("id").first()
    day = era and (era.payment_date or era.production_date)
    today = timezone.localdate()
    return min(day, today) if day else today


__all__ = [
    "AppealRefused",
    "AssignmentRefused",
    "appeal_acknowledge",
    "appeal_correct_outcome",
    "appeal_decide",
    "appeal_note",
    "appeal_proposal",
    "appeal_start",
    "appeal_submit",
    "appeal_update",
    "appeal_withdraw",
    "appeals_follow_remittance",
    "corrected_claim_record",
]
