from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "rightsdesk.facts"
    label = "facts"
    verbose_name = "Facts desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
