from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "rightsdesk.evidence"
    label = "evidence"
    verbose_name = "Evidence desk"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401 (registers the deploy checks)
        from . import timestamps, verify

        if timestamps.check_tokens not in verify.EXTRA_CHECKS:
            verify.EXTRA_CHECKS.append(timestamps.check_tokens)
