from django.apps import AppConfig


class MirrorConfig(AppConfig):
    name = "rightsdesk.mirror"
    label = "mirror"
    verbose_name = "Mirror"
