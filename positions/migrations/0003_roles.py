"""The curators' roles, as groups: Curator adds and changes claims and sources; Editor also reviews
and publishes. Neither manages users, and a cited source cannot be deleted by anyone (PROTECT)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATED = ["source", "actor", "issue", "talkround", "stance", "demand", "response", "citation"]
CLAIMS = ["stance", "demand", "response", "citation"]


def codenames_for_curator():
    codenames = [f"{action}_{model}" for model in CURATED for action in ("add", "change", "view")]
    codenames += [f"delete_{model}" for model in CLAIMS]
    codenames += ["delete_source"]  # refused for a cited source by the foreign keys' PROTECT
    codenames += [f"view_historical{model}" for model in CURATED]
    return codenames


def codenames_for_editor():
    return codenames_for_curator() + ["publish_stance", "publish_demand", "publish_response"]


def make_roles(apps, schema_editor):
    app_config = apps.get_app_config("positions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Curator", codenames_for_curator()), ("Editor", codenames_for_editor())):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="positions", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions not found: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0002_history_and_review"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
