from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "rightsdesk.related"
    label = "related"
    verbose_name = "Related and Recommended"
    default_auto_field = "django.db.models.BigAutoField"
