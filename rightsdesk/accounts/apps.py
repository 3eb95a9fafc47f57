from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rightsdesk.accounts"
    label = "rightsdesk_accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import csp

        csp.nonce_wagtail_choosers()
