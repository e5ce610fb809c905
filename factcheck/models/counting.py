from django.apps import apps
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce


def count_of(model, field):
    """The number of `model` rows whose `field` points at the outer row: a correlated subquery,
    run for the rows a page shows only, where Count() would group the whole joined table."""
    if isinstance(model, str):
        model = apps.get_model(model)
    rows = model._default_manager.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(rows.annotate(count=Count("pk")).values("count"), output_field=IntegerField()), 0)
