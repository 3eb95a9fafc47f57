"""The `rightsdesk` command as a newcomer meets it: help, set-up, and one-line errors."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "rightsdesk")


def run(args, tmp_path, env=None, input=None, timeout=300):
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    full_env["RIGHTSDESK_DATA_DIR"] = str(tmp_path / "data")
    full_env.update(env or {})
    return subprocess.run(
        [CLI, *args], env=full_env, capture_output=True, text=True, input=input, timeout=timeout,
        stdin=None if input is not None else subprocess.DEVNULL,
    )


def assert_one_line_error(result, *needles):
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("rightsdesk: error: ")
    for needle in needles:
        assert needle in lines[0], lines[0]


def test_help_lists_the_verbs_and_each_verb_has_help(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0
    for verb in ("init", "demo", "serve", "manage"):
        assert verb in result.stdout
    for verb in ("init", "demo", "serve"):
        sub = run([verb, "--help"], tmp_path)
        assert sub.returncode == 0 and "usage: rightsdesk " + verb in sub.stdout
    assert "manage.py" in run(["manage", "--help"], tmp_path).stdout or run(["manage", "help"], tmp_path).returncode == 0


@pytest.mark.parametrize(
    "url, needle",
    [
        ("mysql://user@host/db", "is not understood"),
        ("postgres://", "names no database"),
        ("not a url", "is not understood"),
    ],
)
def test_malformed_database_url_is_a_one_line_error(tmp_path, url, needle):
    result = run(["init"], tmp_path, env={"DATABASE_URL": url, "RIGHTSDESK_ADMIN_PASSWORD": "x" * 20})
    assert_one_line_error(result, "DATABASE_URL", needle)
    assert result.returncode == 2


def test_unwritable_data_folder_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run(["init"], tmp_path, env={"RIGHTSDESK_DATA_DIR": str(blocker / "data")})
    assert_one_line_error(result, "data folder", "RIGHTSDESK_DATA_DIR")


def test_port_in_use_is_a_one_line_error(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(["demo", "--port", str(port)], tmp_path)
    assert_one_line_error(result, f"port {port}", "--port")


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run(["manage", "check"], tmp_path, env={"DJANGO_SETTINGS_MODULE": "rightsdesk.settings.production"})
    assert_one_line_error(result, "RIGHTSDESK_SECRET_KEY")


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(
        ["manage", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        env={
            "DJANGO_SETTINGS_MODULE": "rightsdesk.settings.production",
            "RIGHTSDESK_SECRET_KEY": secrets.token_urlsafe(64),
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_model_change_has_its_migration(tmp_path):
    result = run(["manage", "makemigrations", "--check", "--dry-run"], tmp_path)
    assert result.returncode == 0, "a model change has no migration:\n" + result.stdout + result.stderr


def shell(tmp_path, code, env=None):
    result = run(["manage", "shell", "--no-imports", "-c", code], tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


COUNT_PAGES = (
    "from rightsdesk.newsroom.models import *; from django.contrib.auth.models import User; "
    "print(HomePage.objects.count(), SectionPage.objects.count(), ArticlePage.objects.count(), "
    "BriefPage.objects.count(), User.objects.count())"
)


def test_init_makes_an_empty_site_and_is_safe_to_run_twice(tmp_path):
    env = {"RIGHTSDESK_ADMIN_PASSWORD": "a-long-enough-passphrase-42"}
    first = run(["init"], tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "Admin account 'admin' created" in first.stdout
    second = run(["init"], tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "left unchanged" in second.stdout
    # Two home pages (en, fa), five sections in each language, no demo content, one admin.
    assert shell(tmp_path, COUNT_PAGES) == "2 10 0 0 1"
    titles = shell(tmp_path, "from rightsdesk.newsroom.models import SectionPage; "
                             "print(sorted(SectionPage.objects.values_list('locale__language_code', 'title')))")
    assert "'fa', 'اخبار'" in titles and "'en', 'News'" in titles


def test_init_without_a_password_and_without_a_terminal_says_what_to_do(tmp_path):
    result = run(["init"], tmp_path)
    assert_one_line_error(result, "RIGHTSDESK_ADMIN_PASSWORD")


def test_init_refuses_a_weak_password(tmp_path):
    result = run(["init"], tmp_path, env={"RIGHTSDESK_ADMIN_PASSWORD": "123"})
    assert_one_line_error(result, "too weak")


def test_demo_prints_a_random_login_once_and_never_duplicates_content(tmp_path):
    first = run(["demo", "--no-serve"], tmp_path)
    assert first.returncode == 0, first.stderr
    login = [line for line in first.stdout.splitlines() if "Login:" in line][0]
    password = login.split("/", 1)[1].split()[0]
    assert len(password) >= 12 and "random" in login
    counts = shell(tmp_path, COUNT_PAGES)
    homes, sections, articles, briefs, users = map(int, counts.split())
    assert (homes, sections, users) == (2, 10, 1)
    assert articles >= 46 and briefs >= 6

    second = run(["demo", "--no-serve"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 pages added" in second.stdout
    assert password not in second.stdout
    assert shell(tmp_path, COUNT_PAGES) == counts
    ok = shell(tmp_path, f"from django.contrib.auth import get_user_model; "
                         f"print(get_user_model().objects.get(username='admin').check_password('{password}'))")
    assert ok == "True"

    other = run(["demo", "--no-serve"], tmp_path / "other")
    other_password = [l for l in other.stdout.splitlines() if "Login:" in l][0].split("/", 1)[1].split()[0]
    assert other_password != password


def test_init_in_a_terminal_asks_for_the_password_twice(tmp_path):
    """A person running `rightsdesk init` at a terminal types the password (not echoed)."""
    import pty
    import select
    import time

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    env["RIGHTSDESK_DATA_DIR"] = str(tmp_path / "data")
    password = "typed-at-the-terminal-42"
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, with the pty as its terminal
        os.execve(CLI, [CLI, "init"], env)
    output = b""
    answers = [b"Password for the admin account", b"Again:"]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if answers and answers[0] in output:
            os.write(fd, password.encode() + b"\n")
            output = output.replace(answers.pop(0), b"<asked>")
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert text.count("<asked>") == 2
    assert password not in text, "the password is not echoed"
    assert "Admin account 'admin' created" in text
    ok = shell(tmp_path, f"from django.contrib.auth import get_user_model; "
                         f"print(get_user_model().objects.get(username='admin').check_password('{password}'))")
    assert ok == "True"
