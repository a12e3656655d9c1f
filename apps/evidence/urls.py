from django.urls import path

from apps.evidence import views

app_name = "evidence"

urlpatterns = [
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path(
        "evidence/<int:pk>/thumbnail/",
        views.EvidenceThumbnailView.as_view(),
        name="evidence_thumbnail",
    ),
]
