from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["article", "claim", "source", "claimlink"]
GROUPS = {
    "Viewers": [f"view_{model}" for model in MODELS],
    "Editors": [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")]
    + ["delete_claim", "delete_claimlink"],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now
    # so the groups can hold them on a fresh database.
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
