"""factory-boy factories for the rows tests need. Invented data only.

Booked rows (claims and below) are normally written by the booking service from a parsed
835; these build the few a test needs directly, with consistent parents."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from remittance.models import Claim, Era, Payer, Remittance
from worklist.models import Team, WorklistItem


class UserFactory(factory.django.DjangoModelFactory):
    """A user with ``roles`` (group names) and ``teams`` (team slugs)."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.LazyAttribute(lambda u: f"pw-{u.username}-1")

    @classmethod
    def _create(cls, model_class, *args, password, **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)

    @factory.post_generation
    def roles(self, create, names, **kwargs):
        for name in names or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])

    @factory.post_generation
    def teams(self, create, slugs, **kwargs):
        for slug in slugs or ():
            Team.objects.get(slug=slug).members.add(self)


class PayerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payer
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"TEST HEALTH PLAN {n}")
    identifier = factory.Sequence(lambda n: f"TP{n:04d}")
    key = factory.LazyAttribute(lambda p: p.identifier)
    payer_type = "commercial"


class RemittanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Remittance

    source = "api"
    filename = factory.Sequence(lambda n: f"remit-{n}.835")
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    status = "processed"
    processed_at = factory.LazyFunction(timezone.now)


class EraFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Era

    remittance = factory.SubFactory(RemittanceFactory)
    payer = factory.SubFactory(PayerFactory)
    position = 0
    st_control_number = "0001"
    payment_amount = Decimal("0.00")
    production_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    era = factory.SubFactory(EraFactory)
    remittance = factory.SelfAttribute("era.remittance")
    payer = factory.SelfAttribute("era.payer")
    position = 0
    patient_control_number = factory.Sequence(lambda n: f"PCN{n:05d}")
    status_code = "4"
    charge = Decimal("1000.00")
    paid = Decimal("0.00")
    statement_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))
    statement_to = factory.SelfAttribute("statement_from")


class WorklistItemFactory(factory.django.DjangoModelFactory):
    """An open item on a claim of its own, in the default team unless told otherwise."""

    class Meta:
        model = WorklistItem

    claim = factory.SubFactory(ClaimFactory)
    payer = factory.SelfAttribute("claim.payer")
    patient_control_number = factory.SelfAttribute("claim.patient_control_number")
    team = factory.LazyFunction(lambda: Team.objects.get(is_default=True))
    category = "coding"
    reason_code = "16"
    routing_rule = "test"
    open_amount = Decimal("100.00")
    priority = Decimal("10.00")
    control_point = "coding"
    root_cause = "Coding"
    service_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=20))
    received_date = factory.LazyFunction(lambda: date.today() - timedelta(days=3))
