from django.apps import AppConfig
from django.db.models.signals import post_migrate


def repair_search_indexes(sender, using, **kwargs):
    """SQLite drops a table's triggers when a migration rebuilds the table: put them back (and
    re-index) after every migrate, so that search never silently misses a change."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from . import search

    connection = connections[using]
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps a generated column through any later migration
    applied = MigrationRecorder(connection).applied_migrations()
    if ("factcheck", "0009_search") in applied:
        search.install(connection)


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact check"

    def ready(self):
        post_migrate.connect(repair_search_indexes, sender=self)
