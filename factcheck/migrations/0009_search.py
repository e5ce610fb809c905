"""Full-text search indexes, kept in step by the database (see factcheck/search.py)."""

from django.db import migrations

from factcheck import search


def install(apps, schema_editor):
    search.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0008_claim_orphaned_index")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
