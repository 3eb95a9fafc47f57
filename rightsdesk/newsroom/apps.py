from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "rightsdesk.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import bidi, dbstats, publishing

        bidi.connect()

        post_migrate.connect(dbstats.after_migrate, sender=self, dispatch_uid="rightsdesk-analyze")
        publishing.connect()  # what a publish does: publishing.py
