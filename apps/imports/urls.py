from django.urls import path

from apps.imports import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="draft_list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="draft_create"),
    path("imports/<int:pk>/", views.ImportDraftView.as_view(), name="draft_detail"),
    path("imports/<int:pk>/draft.json", views.ImportDraftJsonView.as_view(), name="draft_json"),
    path("imports/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="draft_confirm"),
    path("imports/<int:pk>/file/", views.ImportFileView.as_view(), name="draft_file"),
    path("tasks/assign/", views.TaskBulkAssignView.as_view(), name="task_assign"),
]
