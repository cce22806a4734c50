"""Each app offers its own part of the export and the erasure (core.personal_records); accounts finds them and
calls them, and no app's part reaches into another app's models."""

import pytest

from accounts.personal_data import account
from accounts.personal_data.sources import app_sources, export_sources


def app_of(module) -> str:
    return module.__name__.split(".")[0]


def test_the_apps_offer_their_part_in_installed_order_and_the_mail_outbox_last():
    assert [app_of(source) for source in app_sources()] == [
        "programs",
        "submissions",
        "transparency",
        "studio",
        "calls",
        "core",
    ]
    assert export_sources()[0] is account


@pytest.mark.parametrize("source", export_sources(), ids=app_of)
def test_each_part_offers_the_same_interface_and_names_only_its_own_models(source):
    assert callable(source.records) and callable(source.erase)
    own = {"accounts": {"accounts", "portal", "account", "mfa", "usersessions", "admin"}}.get(
        app_of(source), {app_of(source)}
    )
    labels = {kind.model._meta.label for kind in source.KINDS} | set(source.LEFT_OUT)
    assert {label.split(".")[0] for label in labels} <= own
    assert all(file_set.stage and file_set.pattern and file_set.description for file_set in source.FILES)


def test_records_are_the_apps_kinds_bound_to_the_person_and_read_only_when_asked(artist, django_assert_num_queries):
    with django_assert_num_queries(0):
        bound = [records for source in export_sources() for records in source.records(artist)]
    assert [records.kind for records in bound] == [kind for source in export_sources() for kind in source.KINDS]
    (profile,) = bound[0].rows()
    assert profile["email"] == artist.email
