"""Who may see an export: its owner only. Everyone else, staff included, finds nothing (404)."""

from django.http import Http404

from accounts.models import DataExport


def get_export_for_user(user, pk: int) -> DataExport:
    export = DataExport.objects.filter(pk=pk, user_id=user.pk).first() if user.is_authenticated else None
    if export is None:
        raise Http404("No such export.")
    return export
