from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "rightsdesk.demo"
    label = "demo"
    verbose_name = "Demo content"
