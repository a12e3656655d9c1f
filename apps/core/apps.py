from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.core"
    verbose_name = "核心"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from apps.core.sessions import mark_renewed

        user_logged_in.connect(mark_renewed, dispatch_uid="core.sessions.mark_renewed")
