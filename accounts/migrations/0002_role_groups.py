"""Roles are explicit: create the biller, manager and integration groups, and make a
biller of every active account that worked as one before (on a team, or staff), so no one
loses access. An account with no role now sees no patient data."""

from django.conf import settings
from django.db import migrations

ROLE_GROUPS = ("biller", "manager", "integration")


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Team = apps.get_model("worklist", "Team")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_GROUPS}
    on_a_team = Team.members.through.objects.values("user_id")
    billers = (
        User.objects.filter(is_active=True, is_superuser=False)
        .exclude(groups__name="integration")
        .filter(pk__in=on_a_team)
        | User.objects.filter(is_active=True, is_superuser=False, is_staff=True).exclude(
            groups__name="integration"
        )
    )
    groups["biller"].user_set.add(*billers.distinct())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("worklist", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
