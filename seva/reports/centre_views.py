"""Pages and downloads of the report centre, and the streamed activity register."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from seva.base.dbrouters import reading_database, replica_reads
from seva.base.rest import needs_permission
from seva.base.scoping import user_scope
from seva.base.web import ServiceFormView
from seva.geo.models import District
from tasks17.choices import ActivityStatus
from tasks17.selectors import Period, campaign_period

from . import builders, register
from .centre_forms import ReportRequestForm
from .centre_models import ReportFile
from .centre_serializers import RegisterFilterSerializer
from .centre_services import report_request
from .exportlog import record_export


def visible_reports(user: Any) -> Any:
    """The report files ``user`` may see: his own, or everybody's for a state admin."""
    files = ReportFile.objects.select_related("requested_by")
    if user.has_perm("reports.download_any_report"):
        return files
    return files.filter(requested_by=user)


class ReportCentreView(ServiceFormView):
    """``/reports/``: ask for a report; the reports asked for, with their progress and links."""

    template_name = "reports/centre/index.html"
    form_class = ReportRequestForm
    permission_required = "reports.request_report"
    success_url = reverse_lazy("reports:centre")
    success_message = _("Your report is being built. It appears below when ready.")

    def perform(self, form: ReportRequestForm) -> ReportFile:
        data = form.cleaned_data
        return report_request(
            by=self.request.user,
            kind=data["kind"],
            start=data.get("start"),
            end=data.get("end"),
            district=data.get("district"),
            task=data.get("task"),
            language=get_language() or "en",
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        files = visible_reports(self.request.user).filter(expires_at__gt=timezone.now())[:30]
        return {
            **super().get_context_data(**kwargs),
            "files": files,
            "state_wide": user_scope(self.request.user).everything,
        }


class ReportFileProgressView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """The fragment htmx polls while a report is built: its progress bar, then its link."""

    permission_required = "reports.request_report"
    template_name = "reports/centre/_file.html"
    context_object_name = "file"

    def get_queryset(self) -> Any:
        return visible_reports(self.request.user)


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    """The file of a ready report, for the user who asked and for state admins; anybody else
    signed in gets a 404, as for a report that does not exist. Nobody signed in is sent to
    sign in first (a link from an e-mail then comes back here)."""
    report = get_object_or_404(visible_reports(request.user), pk=pk, status="ready")
    if not report.file:
        raise Http404
    response = FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _page_period(request: HttpRequest) -> Period:
    default = campaign_period(timezone.localdate())
    form = ReportRequestForm(request.GET or None, user=request.user)
    start = end = None
    if request.GET and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
    return Period(start or default.start, end or default.end)


class StatePackPage(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """The state pack as a printable A4 page (``?start=&end=``)."""

    permission_required = "reports.request_report"
    template_name = "reports/centre/state_pack.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if not user_scope(self.request.user).everything:
            raise Http404
        with replica_reads():
            pack = builders.state_pack_figures(period=_page_period(self.request))
        rows = [
            (district, [pack.achieved.get((district.pk, task.pk)) for task in pack.tasks])
            for district in pack.districts
        ]
        return {**super().get_context_data(**kwargs), "pack": pack, "rows": rows}


class DistrictReportPage(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A district report as a printable A4 page."""

    permission_required = "reports.request_report"
    template_name = "reports/centre/district_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        district = get_object_or_404(District.objects.visible_to(self.request.user), code=kwargs["code"])
        with replica_reads():
            report = builders.district_report_figures(district=district, period=_page_period(self.request))
        metrics = [(task, metric) for task in report.tasks for metric in task.metrics.all()]
        seats = [
            (seat, [report.seat_sums.get((seat.pk, metric.pk), 0) for _task, metric in metrics])
            for seat in report.seats
        ]
        lines = [(task, report.metrics[metric.pk]) for task, metric in metrics]
        return {
            **super().get_context_data(**kwargs),
            "report": report,
            "metrics": metrics,
            "seats": seats,
            "lines": lines,
        }


class ActivityRegisterCSV(APIView):
    """``GET /reports/activities.csv?from=&to=&district=&task=&status=``: the register of
    the reports in the user's scope, streamed (session or token). Bad filters: a 400 with
    field errors; a district outside the user's scope: a 404."""

    permission_classes = needs_permission("tasks17.view_activity")

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A client asking for text/csv gets the CSV, not a 406; errors are answered in JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="activity_register_csv",
        summary="The activity register, streamed as CSV",
        description=(
            "Every report in the caller's scope, one row a report and one column a metric; "
            "personal data masked without reports.view_personal_data (docs/reports.md)."
        ),
        parameters=[
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="First day (default: 29 days before to)."
            ),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default: today)."),
            OpenApiParameter("district", OpenApiTypes.STR, description="A district code in scope."),
            OpenApiParameter("task", OpenApiTypes.STR, description="A task code."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=ActivityStatus.values),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        filters = RegisterFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        district = None
        if data.get("district"):
            try:
                district = District.objects.visible_to(request.user).get(code=data["district"])
            except District.DoesNotExist:
                raise Http404 from None
        query = register.register_query(
            user=request.user,
            start=data["start"],
            end=data["end"],
            district=district,
            task=data.get("task"),
            status=data.get("status", ""),
            using=reading_database(),
        )
        log = record_export(
            request.user,
            "activity register",
            "csv",
            filters={
                "from": data["start"],
                "to": data["end"],
                "district": district.code if district else "",
                "task": data["task"].code if data.get("task") else "",
                "status": data.get("status", ""),
            },
            masked=query.masked,
        )

        def finished(rows: int) -> None:
            log.rows = rows
            log.save(update_fields=["rows"])

        response = StreamingHttpResponse(
            register.csv_lines(query, on_finish=finished), content_type="text/csv; charset=utf-8"
        )
        name = f"activities-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        # Tell a buffering proxy (nginx) to pass the rows on as they come.
        response["X-Accel-Buffering"] = "no"
        return response
