from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "rightsdesk.wire"
    label = "wire"
    verbose_name = "Wire monitor"
    default_auto_field = "django.db.models.BigAutoField"
