"""What every command of rightsdesk shares (the `rightsdesk` command and the apps' own verbs in
their `cli.py`): the one-line error, Django's start-up, the data folder, migrations.

It sits below every app (apps' command modules import it; it imports none of them)."""

import os
from pathlib import Path


class CommandError(Exception):
    """An error the user can fix; printed as one line, exit status 2 unless given."""

    def __init__(self, message, status=2):
        super().__init__(message)
        self.status = status


def setup_django(default_settings="rightsdesk.settings.dev"):
    """Configure Django, turning configuration mistakes into one-line errors."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings)
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
        from django.conf import settings

        settings.DATABASES  # noqa: B018  (forces the settings module to load)
    except ImproperlyConfigured as exc:
        raise CommandError(str(exc)) from None
    check_data_dir()


def ensure_writable(folder):
    """Create `folder` if needed and check that a file can be written in it (raises OSError)."""
    folder.mkdir(parents=True, exist_ok=True)
    probe = folder / f".write-test-{os.getpid()}"
    probe.write_bytes(b"")
    probe.unlink()


def check_data_dir():
    """The data folder must exist (it is created) and be writable."""
    from django.conf import settings

    data_dir = Path(settings.DATA_DIR)
    try:
        ensure_writable(data_dir)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CommandError(
            f"the data folder {data_dir} is not writable ({reason}): set RIGHTSDESK_DATA_DIR to a folder "
            "you can write to, or fix its permissions"
        ) from None


def run_migrations(verbose=False):
    from django.core.management import call_command
    from django.db.utils import OperationalError

    try:
        call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    except OperationalError as exc:
        raise CommandError(f"cannot use the database ({exc}): check DATABASE_URL and that the server is running") from None
