from django.urls import path

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.OverviewView.as_view(), name="overview"),
    path("dashboard/themes/", views.ThemeComparisonView.as_view(), name="theme_comparison"),
    path(
        "subdistricts/<int:pk>/",
        views.SubdistrictDetailView.as_view(),
        name="subdistrict_detail",
    ),
    path("plans/<int:pk>/", views.PlanDashboardView.as_view(), name="plan_detail"),
    path(
        "plans/<int:pk>/reports/",
        views.PlanReportCreateView.as_view(),
        name="plan_report_create",
    ),
    path(
        "plans/<int:pk>/reports/status/",
        views.PlanReportStatusView.as_view(),
        name="plan_report_status",
    ),
    path(
        "plans/<int:pk>/reports/<int:report_pk>/",
        views.PlanReportDownloadView.as_view(),
        name="plan_report_download",
    ),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
]
