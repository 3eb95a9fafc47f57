"""Load entities, aliases, sources and figures from a TOML file (the format of the demo's
rightsdesk/demo/content/facts.toml, documented in FORMAT.md next to it)."""

from django.core.management.base import BaseCommand, CommandError

from rightsdesk.newsroom.models import ArticlePage


class Command(BaseCommand):
    help = "Load a facts registry from a TOML file; checked first, nothing written if it is malformed; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        from rightsdesk.facts import importer
        from rightsdesk.facts.linking import relink_all

        try:
            data = importer.read(path)
            counts = importer.load(data, find_article=lambda slug: ArticlePage.objects.filter(slug=slug).first())
        except importer.RegistryFileError as exc:
            raise CommandError(f"{exc} (nothing was written)") from None
        mentions = relink_all()
        self.stdout.write(
            f"{counts['entities']} entities, {counts['aliases']} names, {counts['sources']} sources and "
            f"{counts['figures']} figures added; {mentions} mentions in articles."
        )
