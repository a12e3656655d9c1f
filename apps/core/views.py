"""Generic bases for the CRUD pages, after netbox's ObjectListView and healthchecks'
`_get_check_for_user`.

Why bases: row scoping must happen in exactly one place, so no page can forget it. A list
page is a handful of class attributes; the base narrows the queryset with
`for_user(request.user)`, applies the filterset, builds the table and handles the export.
Objects outside the user's scope answer 404 (they are indistinguishable from missing ones);
writes by a read-only user answer 403.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django_tables2 import RequestConfig

from apps.core.paginators import EstimatedCountPaginator

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The most rows one page of any table shows, whatever `?per_page=` asks: a page of
# 100,000 rows once grew one worker past 23 GB. More rows than this is what the export is for.
MAX_PER_PAGE = 200


class CappedPaginator(Paginator):
    """A paginator that holds `per_page` between 1 and MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


class CappedEstimatedCountPaginator(CappedPaginator, EstimatedCountPaginator):
    """The list pages' paginator: pages bounded by MAX_PER_PAGE, the count capped (约 beyond)."""


def paginate_table(
    request: HttpRequest,
    table,
    *,
    per_page: int,
    paginator_class: type = CappedPaginator,
    **options,
) -> None:
    """Sort and paginate a table from the request, every page bounded by MAX_PER_PAGE.
    `options` go to the paginator (`count_with_page` for EstimatedCountPaginator)."""
    if not issubclass(paginator_class, CappedPaginator):
        raise TypeError("a table's paginator must bound its pages (CappedPaginator)")
    RequestConfig(
        request, paginate={"per_page": per_page, "paginator_class": paginator_class, **options}
    ).configure(table)


def require_write(request: HttpRequest) -> None:
    """Raise PermissionDenied (403) unless the user may change anything at all
    (`User.can_write()`; an anonymous user never may)."""
    can_write = getattr(request.user, "can_write", None)
    if can_write is None or not can_write():
        raise PermissionDenied("只读用户不能修改数据。")


class WriteRequiredMixin:
    """For views that change data: a read-only user (a viewer) gets 403 before any work."""

    def dispatch(self, request, *args, **kwargs):
        require_write(request)
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(View):
    """A filtered, sortable, paginated table of the rows the user may see, exportable to xlsx.

    Subclasses set `queryset` (a queryset whose model has a scoping `for_user`), `filterset`
    (a FilterSet class; it receives `request` so its choices can be scoped too), `table`
    (a django-tables2 Table class), `template_name`, and for the export `export_filename`
    and `exporter` (a callable `(table, file) -> None` that writes the workbook to the
    file). `default_filters(request)` may return
    filter values to apply when the user has not chosen any.
    """

    queryset = None
    filterset = None
    table = None
    template_name = "generic/object_list.html"
    export_filename = "export.xlsx"
    exporter: Callable[[Any, IO[bytes]], None] | None = None
    per_page = 25
    # Exact for short lists, PostgreSQL's estimate (shown as 约) for city-wide ones.
    paginator_class = CappedEstimatedCountPaginator
    # Parameters that are not filters: their presence does not switch the defaults off,
    # so that sorting, paging or exporting the default view keeps its filters.
    non_filter_params = frozenset({"sort", "page", "per_page", "_export"})

    def get_queryset(self, request: HttpRequest):
        # The one place list rows are scoped.
        return self.queryset.for_user(request.user)

    def default_filters(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def get_filter_data(self, request: HttpRequest) -> tuple[QueryDict, bool]:
        """The filter values to use and whether they are the defaults."""
        if set(request.GET) - self.non_filter_params:
            return request.GET, False
        defaults = self.default_filters(request)
        if not defaults:
            return request.GET, False
        data = request.GET.copy()
        for key, value in defaults.items():
            data[key] = value
        return data, True

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def is_search(self, filterset) -> bool:
        """Whether the list is a search, which the paginator may count with its page
        (`EstimatedCountPaginator`, `count_with_page`)."""
        return False

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        queryset = self.get_queryset(request)
        data, using_defaults = self.get_filter_data(request)
        filterset = self.filterset(data, queryset=queryset, request=request)
        # An invalid value (a plan outside the user's scope, a word where a number goes)
        # shows the form error and no rows rather than silently ignoring the filter.
        rows = filterset.qs if filterset.is_valid() else queryset.none()
        # Not `request=request`: tables2 would then paginate with its own paginator by the
        # raw `?per_page=`, and count every row, before ours is configured below.
        table = self.table(rows)

        if request.GET.get("_export") == "xlsx":
            RequestConfig(request, paginate=False).configure(table)
            return self.export_xlsx(table)

        options = {}
        if issubclass(self.paginator_class, EstimatedCountPaginator):
            options["count_with_page"] = filterset.is_valid() and self.is_search(filterset)
        paginate_table(
            request,
            table,
            per_page=self.per_page,
            paginator_class=self.paginator_class,
            **options,
        )
        context = {
            "title": queryset.model._meta.verbose_name_plural,
            "filterset": filterset,
            "filter_form": filterset.form,
            "table": table,
            "using_defaults": using_defaults,
            **self.get_extra_context(request),
        }
        return render(request, self.template_name, context)

    def export_xlsx(self, table) -> HttpResponse:
        if self.exporter is None:
            raise Http404("此列表不支持导出。")
        # Built in a temporary file, not in memory, and streamed from there; the file is
        # deleted when the response closes it.
        out = tempfile.TemporaryFile(suffix=".xlsx")
        self.exporter(table, out)
        out.seek(0)
        return FileResponse(
            out,
            as_attachment=True,
            filename=self.export_filename,
            content_type=XLSX_CONTENT_TYPE,
        )


class ObjectDetailView(View):
    """One object the user may see; 404 when it is outside their scope.

    Subclasses set `queryset` and `template_name` and may add context with
    `get_extra_context(request, obj)`.
    """

    queryset = None
    template_name: str | None = None

    def get_object(self):
        return get_object_or_404(self.queryset.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_extra_context(self, request: HttpRequest, obj) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        obj = self.get_object()
        context = {"object": obj, **self.get_extra_context(request, obj)}
        return render(request, self.template_name, context)


class BulkSelectionView(View):
    """A list's rows (the list's own filters) with check boxes and one form that acts on
    the checked ones: bulk assignment, 批量催办.

    Subclasses set `filterset` and `template_name` and define `selectable(request)` (the
    rows the user may act on, already scoped), `form(request, data=None)` (its `tasks`
    field offers those rows) and `act(request, form) -> str`, which calls the service and
    returns the success message (a ValidationError it raises is shown on the form). At
    most `max_rows` rows are shown; the template says when there were more.
    """

    filterset = None
    template_name: str | None = None
    max_rows = 300

    def selectable(self, request: HttpRequest):
        raise NotImplementedError

    def form(self, request: HttpRequest, data=None):
        raise NotImplementedError

    def act(self, request: HttpRequest, form) -> str:
        raise NotImplementedError

    def rows(self, request: HttpRequest):
        selectable = self.selectable(request)
        filterset = self.filterset(request.GET, queryset=selectable, request=request)
        return filterset, (filterset.qs if filterset.is_valid() else selectable.none())

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, self.form(request))

    def render(self, request: HttpRequest, form, status: int = 200) -> HttpResponse:
        filterset, rows = self.rows(request)
        context = {
            "form": form,
            "filter_form": filterset.form,
            "rows": list(rows[: self.max_rows]),
            "truncated": rows.count() > self.max_rows,
            "selected": {str(v) for v in form.data.getlist("tasks")} if form.is_bound else set(),
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if form.is_valid():
            try:
                message = self.act(request, form)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, message)
                return redirect(f"{request.path}?{request.GET.urlencode()}")
        return self.render(request, form, status=400)
