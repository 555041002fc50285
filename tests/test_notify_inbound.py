"""SMS in: a worker's keyword report through POST /api/v1/sms/inbound/ becomes one report of his
district, with him as its reporter, and a reply in his language through the outbox."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from seva.notify import inbound
from seva.notify.choices import Status
from seva.notify.models import InboundOutcome, InboundSms, Notification
from seva.notify.sms import outbox as sms_outbox
from tasks17.choices import ActivityOrigin
from tasks17.models import Activity, DistrictRollup, Metric
from tests.factories import BoothFactory, WorkerFactory, seat_in
from tests.factories_tasks import MetricFactory, TaskFactory, task

URL = "/api/v1/sms/inbound/"
SECRET = "gateway-shared-secret-2021"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.SMS_INBOUND_SECRET = SECRET
    inbound.forget()  # keywords and the gateway's user are kept per process


@pytest.fixture
def booth(db):
    return BoothFactory(assembly_seat=seat_in("patna"), number=45)


@pytest.fixture
def worker(booth):
    return WorkerFactory(
        phone="+919812345678",
        booth=booth,
        assembly_seat=booth.assembly_seat,
        consent_to_contact=True,
        consent_date=datetime.date(2021, 5, 1),
    )


_ids = iter(range(1, 10**6))


def send(api, text, *, phone="+919812345678", message_id=None, secret=SECRET, **extra):
    body = {"message_id": message_id or f"gw-{next(_ids)}", "from": phone, "text": text, **extra}
    headers = {"HTTP_X_SEVA_SMS_SECRET": secret} if secret is not None else {}
    return api.post(URL, body, format="json", **headers)


def reply_row():
    return Notification.objects.get(kind="sms_reply")


def test_a_good_report_is_recorded_with_the_worker_as_reporter_and_a_reply_is_queued(api, worker, booth):
    seat = booth.assembly_seat
    response = send(api, f"SEVA MASKS 500 {seat.number}-45", message_id="gw-1")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    activity = Activity.objects.get()
    assert activity.task.code == "masks-sanitiser"
    assert activity.numbers == {"masks": 500}
    assert activity.booth == booth and activity.assembly_seat == seat
    assert activity.district == worker.district
    assert activity.reporter_worker == worker
    assert activity.reported_by.username == "sms-gateway" and not activity.reported_by.is_active
    assert activity.origin == ActivityOrigin.SMS
    assert activity.client_uuid == inbound.client_uuid_for("gw-1")
    rollup = DistrictRollup.objects.get(district=worker.district, metric__code="masks")
    assert rollup.reported == 500 and rollup.reports == 1
    # The reply: to the worker, in Hindi (his language by default), urgent, queued.
    row = reply_row()
    assert row.worker == worker and row.address == "+919812345678"
    assert row.language == "hi" and row.urgent and row.status == Status.QUEUED
    assert row.body == response.json()["reply"]
    assert row.body.startswith("सेवा: मास्क 500 दर्ज, बूथ 45")
    assert f"संदर्भ {activity.pk}" in row.body
    sms = InboundSms.objects.get()
    assert sms.outcome == InboundOutcome.RECORDED and sms.activity == activity and sms.worker == worker


def test_a_worker_whose_language_is_english_gets_english(api, worker, booth):
    worker.language = "en"
    worker.save()
    response = send(api, "seva masks 500")
    reply = response.json()["reply"]
    assert reply.startswith(f"Seva: recorded masks 500 at booth 45 ({booth.assembly_seat.number}), ref ")
    assert reply_row().language == "en"


def test_the_reply_is_delivered_once_the_report_is_committed(api, worker, django_capture_on_commit_callbacks):
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(api, "SEVA MASKS 20")
    assert [message.to for message in sms_outbox] == ["+919812345678"]
    assert reply_row().status == Status.SENT


def test_the_same_message_twice_is_one_report_and_one_reply(api, worker):
    first = send(api, "SEVA MASKS 500", message_id="gw-77")
    again = send(api, "SEVA MASKS 500", message_id="gw-77")
    assert first.json() == again.json()
    assert Activity.objects.count() == 1
    assert InboundSms.objects.count() == 1
    assert Notification.objects.filter(kind="sms_reply").count() == 1


def test_a_resend_after_the_message_row_was_lost_still_makes_one_report(api, worker):
    send(api, "SEVA MASKS 500", message_id="gw-78")
    InboundSms.objects.all().delete()
    again = send(api, "SEVA MASKS 500", message_id="gw-78")
    assert again.json()["status"] == "recorded"
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("secret", ["wrong", "", None])
def test_a_wrong_or_missing_secret_is_403_and_stores_nothing(api, worker, secret):
    response = send(api, "SEVA MASKS 500", secret=secret)
    assert response.status_code == 403
    assert not InboundSms.objects.exists()
    assert not Activity.objects.exists()
    assert not Notification.objects.exists()


def test_without_a_configured_secret_everything_is_refused(api, worker, settings):
    settings.SMS_INBOUND_SECRET = ""
    assert send(api, "SEVA MASKS 500", secret="").status_code == 403
    assert send(api, "SEVA MASKS 500", secret="anything").status_code == 403
    assert not InboundSms.objects.exists()


def test_a_form_post_with_the_secret_as_a_field_and_other_field_names(api, worker):
    response = api.post(
        URL, {"id": "gw-form-1", "sender": "919812345678", "message": "SEVA MASKS 7", "secret": SECRET}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recorded"
    assert Activity.objects.get().numbers == {"masks": 7}


def test_a_missing_field_is_400_and_stores_nothing(api, worker):
    response = api.post(URL, {"from": "+919812345678", "text": "SEVA MASKS 5"}, HTTP_X_SEVA_SMS_SECRET=SECRET)
    assert response.status_code == 400
    assert "message_id" in response.json()
    assert not InboundSms.objects.exists()


@pytest.mark.parametrize("field", ["message_id", "from", "text"])
def test_a_nul_byte_or_a_list_is_400_not_500(api, worker, field):
    body = {"message_id": "gw-nul", "from": "+919812345678", "text": "SEVA MASKS 5"}
    for bad in ["a\x00b", ["SEVA"]]:
        response = api.post(URL, {**body, field: bad}, format="json", HTTP_X_SEVA_SMS_SECRET=SECRET)
        assert response.status_code == 400
    assert not InboundSms.objects.exists()


def test_the_api_shows_the_worker_who_reported_by_sms(api, worker, state_staff):
    send(api, "SEVA MASKS 5")
    activity = Activity.objects.get()
    api.force_authenticate(state_staff)
    body = api.get(f"/api/v1/activities/{activity.pk}/").json()
    assert body["reporter_worker"] == worker.pk
    assert body["reported_by"] == "sms-gateway"
    assert body["origin"] == "sms"


def test_a_signed_in_user_without_the_secret_is_refused(api, worker, state_admin):
    api.force_authenticate(state_admin)
    assert send(api, "SEVA MASKS 500", secret=None).status_code == 403


def _refused(response, outcome):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "refused"
    assert not Activity.objects.exists()
    sms = InboundSms.objects.get()
    assert sms.outcome == outcome and sms.reply == body["reply"]
    assert reply_row().body == body["reply"]
    return body["reply"]


def test_an_unknown_phone_is_refused_with_a_reply_in_hindi(api, worker):
    reply = _refused(send(api, "SEVA MASKS 500", phone="+919700000001"), InboundOutcome.UNKNOWN_PHONE)
    assert reply.startswith("सेवा: दर्ज नहीं हुआ।")
    assert "सक्रिय कार्यकर्ता" in reply
    assert reply_row().address == "+919700000001" and reply_row().worker is None


def test_an_inactive_worker_is_an_unknown_phone(api, worker):
    worker.is_active = False
    worker.save()
    _refused(send(api, "SEVA MASKS 500"), InboundOutcome.UNKNOWN_PHONE)


@pytest.fixture
def english(worker):
    worker.language = "en"
    worker.save()
    return worker


def test_an_unknown_keyword_is_named_in_the_reply(api, english):
    reply = _refused(send(api, "SEVA GLOVES 500"), InboundOutcome.UNKNOWN_KEYWORD)
    assert reply == "Seva: not recorded. Unknown keyword GLOVES. Example: SEVA MASKS 500."


@pytest.mark.parametrize("text", ["SEVA MASKS abc", "SEVA MASKS", "SEVA MASKS 5.5", "SEVA MASKS -5"])
def test_a_bad_number_is_refused(api, english, text):
    reply = _refused(send(api, text), InboundOutcome.BAD_NUMBER)
    assert "After MASKS send a whole number" in reply


def test_a_number_above_the_metrics_limit_is_refused_with_the_services_reason(api, english):
    reply = _refused(send(api, "SEVA MASKS 900000"), InboundOutcome.REFUSED)
    assert "900000 is more than one report can hold" in reply


def test_a_seat_of_another_district_is_refused(api, english):
    gaya_seat = seat_in("gaya").number
    reply = _refused(send(api, f"SEVA MASKS 500 {gaya_seat}-1"), InboundOutcome.BAD_PLACE)
    assert reply == f"Seva: not recorded. Seat {gaya_seat} is not in your district."


def test_a_booth_that_does_not_exist_is_refused(api, english, booth):
    _refused(send(api, f"SEVA MASKS 500 {booth.assembly_seat.number}-9999"), InboundOutcome.BAD_PLACE)


def test_a_task_fed_by_its_records_is_refused(api, english):
    reply = _refused(send(api, "SEVA BLOODCAMP 1 20 20"), InboundOutcome.REFUSED)
    assert "counted from its records" in reply


def test_a_worker_who_withdrew_consent_is_refused_and_the_reply_is_not_sent(api, worker):
    worker.consent_to_contact = False
    worker.consent_date = None
    worker.save()
    _refused(send(api, "SEVA MASKS 500"), InboundOutcome.NO_CONSENT)
    assert reply_row().status == Status.SUPPRESSED


def test_a_hindi_keyword_with_hindi_digits(api, worker, booth):
    seat = str(booth.assembly_seat.number).translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    response = send(api, f"सेवा मास्क ५०० {seat}-४५")
    assert response.json()["status"] == "recorded", response.json()
    activity = Activity.objects.get()
    assert activity.numbers == {"masks": 500} and activity.booth == booth


def test_a_task_keyword_fills_its_metrics_in_order_at_the_workers_own_booth(api, worker, booth):
    send(api, "SEVA PROTECT 300 20")
    activity = Activity.objects.get()
    assert activity.numbers == {"masks": 300, "sanitiser": 20}
    assert activity.booth == booth


def test_a_seat_alone_reports_for_the_seat(api, worker, booth):
    seat = booth.assembly_seat.number
    send(api, f"SEVA MASKS 300 SANITISER 4 {seat}")
    activity = Activity.objects.get()
    assert activity.assembly_seat_id == booth.assembly_seat_id and activity.booth is None
    assert activity.numbers == {"masks": 300, "sanitiser": 4}


def test_a_new_task_needs_only_its_keyword_set_in_the_admin(api, worker):
    oxygen = TaskFactory(code="oxygen", sms_keyword="OXYGEN", sms_keyword_hi="ऑक्सीजन")
    MetricFactory(task=oxygen, code="cylinders", position=1)
    MetricFactory(task=oxygen, code="refills", position=2)
    response = send(api, "seva oxygen 12 3")
    assert response.json()["status"] == "recorded"
    assert Activity.objects.get().numbers == {"cylinders": 12, "refills": 3}


def test_the_endpoint_has_its_own_throttle(api, worker, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "sms_inbound": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert send(api, "SEVA MASKS 1").status_code == 200
    assert send(api, "SEVA MASKS 2").status_code == 200
    assert send(api, "SEVA MASKS 3").status_code == 429
    assert InboundSms.objects.count() == 2


def test_the_endpoint_is_in_the_openapi_schema(api, state_staff):
    api.force_authenticate(state_staff)
    schema = api.get(reverse("schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/sms/inbound/"]["post"]
    assert operation["operationId"] == "sms_inbound"
    assert {"200", "403"} <= set(operation["responses"])


# --- The parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "numbers", "seat", "booth"),
    [
        ("SEVA MASKS 500 182-45", {"masks": 500}, 182, 45),
        ("Seva masks 500 sanitiser 20", {"masks": 500, "sanitiser": 20}, None, None),
        ("सेवा मास्क ५०० सेनेटाइजर २०", {"masks": 500, "sanitiser": 20}, None, None),
        ("SEVA MASKS:500, SANITISER=20 182", {"masks": 500, "sanitiser": 20}, 182, None),
        ("SEVA MEALS 40 FAMILIES 12", {"meals": 40, "families": 12}, None, None),
        ("SEVA FOOD 40 12 182-7", {"meals": 40, "families": 12}, 182, 7),
    ],
)
def test_parse(db, text, numbers, seat, booth):
    parsed = inbound.parse(text)
    assert {metric.code: number for metric, number in parsed.values} == numbers
    assert (parsed.seat, parsed.booth) == (seat, booth)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("", InboundOutcome.BAD_FORMAT),
        ("MASKS 500", InboundOutcome.BAD_FORMAT),
        ("SEVA", InboundOutcome.BAD_FORMAT),
        ("SEVA 500", InboundOutcome.BAD_NUMBER),
        ("SEVA MASKS 500 MEALS 4", InboundOutcome.BAD_FORMAT),
        ("SEVA MASKS 500 MASKS 4", InboundOutcome.BAD_FORMAT),
        ("SEVA MASKS 500 182-45 SANITISER 3", InboundOutcome.BAD_FORMAT),
        ("SEVA MASKS 500 20 182", InboundOutcome.BAD_NUMBER),
        ("SEVA XYZ 5", InboundOutcome.UNKNOWN_KEYWORD),
    ],
)
def test_parse_refuses(db, text, outcome):
    with pytest.raises(inbound.Refusal) as caught:
        inbound.parse(text)
    assert caught.value.outcome == outcome


# --- Keywords in the catalogue --------------------------------------------------------------


def test_the_shipped_catalogue_has_keywords(db):
    assert task("masks-sanitiser").metrics.get(code="masks").sms_keyword == "MASKS"
    assert task("masks-sanitiser").metrics.get(code="masks").sms_keyword_hi == "मास्क"
    assert task("meals").metrics.get(code="meals").sms_keyword == "MEALS"


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["masks", "Masks", "मास्क", "PROTECT"])
def test_a_keyword_already_used_elsewhere_is_refused_ignoring_case(word):
    metric = Metric(task=task("meals"), code="x", label_en="X", sms_keyword=word)
    with pytest.raises(ValidationError) as caught:
        metric.full_clean()
    assert "is already used by" in str(caught.value.message_dict["sms_keyword"])


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["SEVA", "two words", "MASK5"])
def test_a_keyword_is_one_word_of_letters_and_not_the_prefix(word):
    metric = Metric(task=task("meals"), code="x", label_en="X", sms_keyword=word)
    with pytest.raises(ValidationError):
        metric.full_clean()


def test_the_admin_names_a_keyword_clash(client_as, state_admin):
    meals = task("meals")
    data = {
        "code": "meals",
        "number": meals.number or "",
        "position": meals.position,
        "is_active": "on",
        "title_en": meals.title_en,
        "title_hi": meals.title_hi,
        "description_en": "",
        "description_hi": "",
        "source": meals.source,
        "sms_keyword": "masks",
        "sms_keyword_hi": "",
        "metrics-TOTAL_FORMS": "0",
        "metrics-INITIAL_FORMS": "0",
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "1000",
    }
    response = client_as(state_admin).post(reverse("admin:tasks17_task_change", args=[meals.pk]), data)
    assert response.status_code == 200
    assert "The SMS keyword “MASKS” is already used by" in response.content.decode()
    meals.refresh_from_db()
    assert meals.sms_keyword == "FOOD"


def test_two_metrics_of_a_task_given_one_keyword_in_the_admin_is_an_error(client_as, state_admin):
    oxygen = TaskFactory(code="oxygen")
    rows = []
    for index, code in enumerate(["cylinders", "refills"]):
        rows.append(
            {
                f"metrics-{index}-code": code,
                f"metrics-{index}-label_en": code,
                f"metrics-{index}-label_hi": "",
                f"metrics-{index}-unit_en": "",
                f"metrics-{index}-unit_hi": "",
                f"metrics-{index}-position": index,
                f"metrics-{index}-max_per_report": 100,
                f"metrics-{index}-is_active": "on",
                f"metrics-{index}-sms_keyword": "CYL",
                f"metrics-{index}-sms_keyword_hi": "",
            }
        )
    data = {
        "code": "oxygen",
        "number": oxygen.number,
        "position": 1,
        "is_active": "on",
        "title_en": "Oxygen",
        "title_hi": "",
        "description_en": "",
        "description_hi": "",
        "source": "Test",
        "sms_keyword": "",
        "sms_keyword_hi": "",
        "metrics-TOTAL_FORMS": "2",
        "metrics-INITIAL_FORMS": "0",
        "metrics-MIN_NUM_FORMS": "0",
        "metrics-MAX_NUM_FORMS": "1000",
        **rows[0],
        **rows[1],
    }
    response = client_as(state_admin).post(reverse("admin:tasks17_task_change", args=[oxygen.pk]), data)
    assert response.status_code == 200
    assert "is given twice here" in response.content.decode()
    assert not Metric.objects.filter(task=oxygen).exists()


def test_a_rejected_sms_report_is_explained_to_the_worker_who_sent_it(api, worker, booth, state_staff):
    from seva.notify import rules
    from tasks17 import services as task_services
    from tasks17.models import Activity

    send(api, f"SEVA MASKS 500 {booth.assembly_seat.number}-45")
    activity = Activity.objects.get(reporter_worker=worker)
    task_services.activity_reject(by=state_staff, activity=activity, reason="Booth 45 gave no masks that day")
    rules.run("report_sent_back", dry_run=False)
    row = Notification.objects.get(kind="report_sent_back")
    assert row.worker == worker and row.address == "+919812345678"
    assert "Booth 45 gave no masks that day" in row.body


@pytest.fixture
def asynchronous(settings, monkeypatch):
    """Production's way: the webhook keeps the message, a worker reads it after the commit."""
    settings.SMS_INBOUND_ASYNC = True
    monkeypatch.setattr("django.db.transaction.on_commit", lambda fn, using=None, robust=False: fn())


def test_in_production_the_gateway_is_answered_at_once_and_a_worker_reads_it(
    api, worker, booth, asynchronous
):
    from tasks17.models import Activity

    response = send(api, f"SEVA MASKS 500 {booth.assembly_seat.number}-45", message_id="gw-async-1")
    assert response.status_code == 200
    assert response.json()["status"] in {"accepted", "recorded"}
    sms = InboundSms.objects.get(message_id="gw-async-1")
    assert sms.outcome == "recorded"  # read by the (in-process) worker after the commit
    assert Activity.objects.get(reporter_worker=worker).values.get().value == 500
    assert reply_row().status == "sent"
    again = send(api, "SEVA MASKS 500", message_id="gw-async-1")
    assert again.json()["status"] == "recorded"
    assert Activity.objects.count() == 1


def test_a_message_accepted_while_the_broker_was_down_is_read_later(api, worker, asynchronous, monkeypatch):
    from celery.exceptions import OperationalError

    from seva.celery import app
    from seva.notify import tasks
    from tasks17.models import Activity

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.read_inbound_sms, "delay", broker_down)
        app.conf.task_always_eager = False
        try:
            response = send(api, "SEVA MASKS 200", message_id="gw-async-2")
        finally:
            app.conf.task_always_eager = True
    assert response.json() == {"reply": "", "status": "accepted"}
    assert not Activity.objects.exists()
    InboundSms.objects.filter(message_id="gw-async-2").update(
        received_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert tasks.reread_inbound_sms() == 1
    assert InboundSms.objects.get(message_id="gw-async-2").outcome == "recorded"
    assert Activity.objects.count() == 1
