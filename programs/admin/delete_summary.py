"""A delete confirmation whose cost does not grow with the rows it would delete.

Django's default confirmation collects every related row and renders each one: thousands of queries for a
program a few months in. This one walks the models instead (the cascade graph), and asks one COUNT per kind of
record: what would be deleted, what protects the object (and so refuses the delete), and which delete
permissions the person lacks. The delete itself (POST) still goes through Django's collector.
"""

from collections import defaultdict

from django.db import models
from django.db.models import Q

PROTECTING = (models.PROTECT, models.RESTRICT)
MAX_DEPTH = 4


def _paths(model, path: str = "", seen: tuple = (), depth: int = 0):
    """(related model, lookup from it to the root, protects?) for every model a delete of `model` reaches."""
    if depth >= MAX_DEPTH:
        return
    for relation in model._meta.related_objects:
        if relation.many_to_many or relation.on_delete not in (models.CASCADE, *PROTECTING):
            continue
        related = relation.related_model
        if related in seen or related is model:
            continue
        lookup = f"{relation.field.name}__{path}" if path else relation.field.name
        protects = relation.on_delete in PROTECTING
        yield related, lookup, protects
        if not protects:
            yield from _paths(related, lookup, (*seen, model), depth + 1)


class SummarisedDeleteMixin:
    """For a ModelAdmin: the delete confirmation lists counts per kind of record, in a constant number of queries."""

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        cascades: dict = defaultdict(Q)  # model: rows a delete would take with it
        protects: dict = defaultdict(Q)  # model: rows that refer to it with PROTECT
        for related, lookup, protecting in _paths(self.model):
            (protects if protecting else cascades)[related] |= Q(**{f"{lookup}__in": objs})
        deleted, model_count, perms_needed, protected = [], {}, set(), []
        for related in dict.fromkeys([*cascades, *protects]):
            opts, manager = related._meta, related._default_manager
            if related in cascades and (count := manager.filter(cascades[related]).distinct().count()):
                deleted.append(f"{opts.verbose_name_plural.capitalize()}: {count}")
                model_count[opts.verbose_name_plural] = count
                if not request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
                    perms_needed.add(opts.verbose_name)
            if related in protects:
                # as Django's collector: a protecting row that the delete takes anyway does not protect
                blocking = manager.filter(protects[related]).exclude(cascades.get(related, Q(pk__in=[])))
                if count := blocking.distinct().count():
                    protected.append(f"{opts.verbose_name_plural.capitalize()}: {count}")
        opts = self.model._meta
        model_count[opts.verbose_name_plural] = len(objs)
        names = ", ".join(str(obj) for obj in objs)
        summary = [f"{opts.verbose_name_plural.capitalize()}: {names}", sorted(deleted)]
        return summary, model_count, perms_needed, sorted(protected)
