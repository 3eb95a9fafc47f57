from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "rightsdesk.facts"
    label = "facts"
    verbose_name = "Facts desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from rightsdesk.newsroom.publishing import watch

        from .steps import REGISTRY_MODELS

        watch(*REGISTRY_MODELS, label="facts.registry")  # entity pages and links are made from the registry
