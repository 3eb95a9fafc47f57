from django.apps import AppConfig


class MirrorConfig(AppConfig):
    name = "rightsdesk.mirror"
    label = "mirror"
    verbose_name = "Mirror"

    def ready(self):
        from . import signals  # noqa: F401  (incremental re-bake on publish, when configured)
