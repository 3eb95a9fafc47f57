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
    check_database_file()


SQLITE_HEADER = b"SQLite format 3\x00"


def check_database_file():
    """A SQLite DATABASE_URL must name a SQLite database, or a file that does not exist yet (it is
    made): never a folder or another kind of file, which SQLite reports deep inside a query."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if not database["ENGINE"].endswith("sqlite3"):
        return
    path = Path(str(database["NAME"]))
    hint = "set DATABASE_URL to the site's database (sqlite:///PATH/TO/rightsdesk.sqlite3) or to a new file name"
    if path.is_dir():
        raise CommandError(f"DATABASE_URL names the folder {path}, not a database file: {hint}")
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise CommandError(f"cannot read the database {path} ({exc.strerror or exc}): {hint}") from None
    if head and head != SQLITE_HEADER:
        raise CommandError(f"DATABASE_URL names {path}, which is not a SQLite database: {hint}")


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
