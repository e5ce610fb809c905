from django.contrib.auth.management import create_permissions
from django.db import migrations

# Stories, events and tags: viewers read them; editors make and change them, take articles in and out of a
# story and tags off claims. Deleting a whole story is left to administrators, as deleting an article is.
READ = ["view_story", "view_event", "view_tag", "view_storyarticle", "view_claimtag"]
GRANTS = {
    "Viewers": READ,
    "Editors": [
        *READ,
        *("add_story", "change_story"),
        *("add_event", "change_event", "delete_event"),
        *("add_tag", "change_tag"),
        *("add_storyarticle", "delete_storyarticle"),
        *("add_claimtag", "delete_claimtag"),
    ],
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("factcheck")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="factcheck", codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0015_stories_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
