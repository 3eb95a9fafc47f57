from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "rightsdesk.cases"
    label = "cases"
    verbose_name = "Cases desk"
    default_auto_field = "django.db.models.BigAutoField"
