"""`manage.py seed_demo` (run by `make run`): every app's demo data, through the services,
and nothing twice when run again."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from seva.people.models import Worker
from tasks17.models import Activity, BoothDeclaration, DonationCamp, Donor, Target, VideoConference

MODELS = [Worker, Activity, Target, DonationCamp, Donor, VideoConference, BoothDeclaration]


@override_settings(DEBUG=True)
def test_the_demo_fills_every_list_once(db):
    call_command("seed_demo", verbosity=0)
    first = {model.__name__: model.objects.count() for model in MODELS}
    assert all(first.values()), first
    assert (
        Activity.objects.filter(status="verified").exists()
        and Activity.objects.filter(origin="camp").exists()
    )
    # A task fed by its records gets its reports from them only (issue 11: counted once).
    assert not Activity.objects.filter(task__fed_by_records=True, origin="report").exists()
    assert Activity.objects.filter(task__fed_by_records=True).exclude(origin="report").exists()
    call_command("seed_demo", verbosity=0)
    assert {model.__name__: model.objects.count() for model in MODELS} == first


def test_the_demo_is_refused_without_debug(db):
    with pytest.raises(Exception, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
    assert not Activity.objects.exists()
