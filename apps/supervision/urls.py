from django.urls import path

from apps.supervision import views

app_name = "supervision"

urlpatterns = [
    path("me/", views.MyTasksView.as_view(), name="my_tasks"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("tasks/urge/", views.TaskBulkUrgeView.as_view(), name="task_urge"),
    path("tasks/<int:pk>/urge/", views.TaskUrgeView.as_view(), name="task_urge_one"),
    path("tasks/<int:pk>/owners/", views.TaskOwnersView.as_view(), name="task_owners"),
]
