"""Find the registered names in every article again (after a bulk change of the registry)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Relink every article's mentions of registered entities (rightsdesk manage relink_mentions)."

    def handle(self, *args, **options):
        from rightsdesk.facts.linking import relink_all

        total = relink_all()
        self.stdout.write(f"{total} mentions found.")
