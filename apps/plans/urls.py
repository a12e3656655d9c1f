from django.urls import path

from apps.plans import views

app_name = "plans"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task_detail"),
    path(
        "tasks/<int:pk>/evidence.zip",
        views.TaskEvidenceArchiveView.as_view(),
        name="task_evidence_archive",
    ),
    path(
        "plans/<int:pk>/evidence.zip",
        views.PlanEvidenceArchiveView.as_view(),
        name="plan_evidence_archive",
    ),
]
