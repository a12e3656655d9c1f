"""Task pages. Views set attributes on the apps/core bases; scope and writes go through
`for_user` and `user_can_update_task`, business logic through services and selectors."""

from django.views.generic import TemplateView

# === Task list (owner: list helper) =====================================================


class TaskListView(TemplateView):
    template_name = "base.html"


# === Task detail and update (owner: detail helper) ======================================


class TaskDetailView(TemplateView):
    template_name = "base.html"
