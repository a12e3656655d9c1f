from django.apps import AppConfig


class SubdistrictsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.subdistricts"
    verbose_name = "街道（镇）与科室"
