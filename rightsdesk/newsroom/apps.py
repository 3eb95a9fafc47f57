from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "rightsdesk.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self):
        from . import search, signals  # noqa: F401

        search.connect()  # after signals.py's receivers: the public version is bumped first
