"""What the benchmark scripts share: a data folder with the demo loaded, and Django set up on it.

Imported by the scripts next to it (`from _django import …`: a script's own folder is first on
sys.path)."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path


def demo_data_dir(data_dir=None, prefix="rightsdesk-bench-"):
    """`data_dir` (or a new temporary folder) with the demo loaded by `rightsdesk demo --no-serve`
    (SQLite; loading twice adds nothing)."""
    data_dir = Path(data_dir or tempfile.mkdtemp(prefix=prefix))
    env = dict(os.environ, RIGHTSDESK_DATA_DIR=str(data_dir))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    cli = str(Path(sys.executable).parent / "rightsdesk")
    subprocess.run([cli, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    return data_dir


def setup_django(data_dir, settings="production", allowed_host="127.0.0.1"):
    """Django on the SQLite database of `data_dir`, with production settings (plain http on
    loopback) or development ones."""
    os.environ.update(RIGHTSDESK_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE=f"rightsdesk.settings.{settings}")
    if settings == "production":
        os.environ.update(RIGHTSDESK_SECRET_KEY=secrets.token_urlsafe(64), RIGHTSDESK_SSL_REDIRECT="0",
                          RIGHTSDESK_ALLOWED_HOSTS=allowed_host)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def percentile(values, p):
    """The p-th percentile of `values` (nearest rank)."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
