"""The `rightsdesk` command.

Output is for people; errors are one line that says what to do, with a non-zero exit status.
Settings: DJANGO_SETTINGS_MODULE if set, otherwise production settings for `serve` and
development settings for everything else.
"""

import argparse
import errno
import getpass
import importlib
import os
import secrets
import socket
import sys
from pathlib import Path

from . import __version__
from .console import CommandError, check_data_dir, ensure_writable, run_migrations, setup_django  # noqa: F401


def _program():
    """How the user can call this command again: `.venv/bin/rightsdesk` after `make demo`."""
    path = Path(sys.argv[0])
    if path.name == "rightsdesk" and path.exists():
        try:
            return os.path.relpath(path)
        except ValueError:
            return str(path)
    return "rightsdesk"


def _err(message):
    print(f"rightsdesk: error: {message}", file=sys.stderr)


# --- start-up -----------------------------------------------------------------------------------


def check_port_free(host, port):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Like the servers themselves: connections in TIME_WAIT do not make a port busy.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise CommandError(
                    f"port {port} on {host} is already in use (or not allowed): stop what runs there, "
                    f"or choose another port with --port (make demo PORT=8123)"
                ) from None
            raise CommandError(f"cannot listen on {host}:{port} ({exc.strerror}): choose another --host/--port") from None


def public_url(host, port):
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{shown}:{port}/"


# --- verbs ---------------------------------------------------------------------------------------


def cmd_init(args):
    setup_django()
    run_migrations(args.verbose)
    from .newsroom import setup

    setup.ensure_site(site_name=args.site_name, base_url=os.environ.get("RIGHTSDESK_BASE_URL"))
    print("Site ready: home pages and sections in English and Persian.")
    password = os.environ.get("RIGHTSDESK_ADMIN_PASSWORD")
    from django.contrib.auth import get_user_model

    if get_user_model().objects.filter(username=args.admin_user).exists():
        print(f"Admin account {args.admin_user!r} exists; left unchanged.")
        return 0
    if not password:
        if not sys.stdin.isatty():
            raise CommandError(
                "no admin password: set RIGHTSDESK_ADMIN_PASSWORD, or run `rightsdesk init` in a terminal to type one"
            )
        password = _ask_password(args.admin_user)
    _validate_password(password, args.admin_user)
    admin, _ = setup.ensure_admin(args.admin_user, password, args.admin_email)
    print(f"Admin account {args.admin_user!r} created. Log in at /admin/.")
    _enrol_second_factor(admin)
    return 0


def _enrol_second_factor(user):
    """An administrator's authenticator, made here on the server and shown once (accounts/)."""
    from .accounts import secondfactor
    from .accounts.cli import print_enrolment

    device = secondfactor.enrol(user)
    print()
    print_enrolment(user.get_username(), device.config_url)
    print("  (shown only now; `rightsdesk otp USERNAME --replace` makes a new one)")


def _ask_password(username):
    for _ in range(3):
        first = getpass.getpass(f"Password for the admin account {username!r}: ")
        second = getpass.getpass("Again: ")
        if first and first == second:
            return first
        print("The two passwords differ or are empty; try again.", file=sys.stderr)
    raise CommandError("no password set: run `rightsdesk init` again, or set RIGHTSDESK_ADMIN_PASSWORD")


def _validate_password(password, username):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    class _Probe:
        pass

    probe = _Probe()
    probe.username = username
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        raise CommandError("the admin password is too weak: " + " ".join(exc.messages)) from None


def cmd_demo(args):
    setup_django()
    if not args.no_serve:
        check_port_free(args.host, args.port)
    run_migrations(args.verbose)
    from django.contrib.auth import get_user_model

    from .demo.loader import DemoContentError, load_demo
    from .newsroom import setup

    try:
        report = load_demo(progress=print if args.verbose else None, base_url=public_url(args.host, args.port))
    except DemoContentError as exc:
        raise CommandError(f"demo content is malformed, nothing was loaded: {exc}") from None
    print(
        f"Demo content: {report['created']} pages added, {report['existing']} already there "
        f"({report['articles']} articles, {report['briefs']} briefs in English and Persian)."
    )
    from .facts.models import Entity, Figure

    print(f"Facts registry: {Entity.objects.count()} entities, {Figure.objects.count()} figures with sources.")

    username = args.admin_user
    env_password = os.environ.get("RIGHTSDESK_ADMIN_PASSWORD")
    user = get_user_model().objects.filter(username=username).first()
    shown_password = None
    if user is None:
        shown_password = env_password or secrets.token_urlsafe(12)
        user, _ = setup.ensure_admin(username, shown_password)
    elif args.reset_password or env_password:
        shown_password = env_password or secrets.token_urlsafe(12)
        setup.set_password(user, shown_password)
    from .accounts import secondfactor

    # The admin's second factor: made with the account (and again with --reset-password, which is
    # for someone who lost their way in), shown once below the login.
    otp_url = None
    if shown_password is not None or not secondfactor.has_device(user):
        otp_url = secondfactor.enrol(user).config_url

    url = public_url(args.host, args.port)
    print()
    print(f"  Site:   {url}")
    print(f"  Admin:  {url}admin/")
    if shown_password and not env_password:
        print(f"  Login:  {username} / {shown_password}   (random; shown only now)")
    elif shown_password:
        print(f"  Login:  {username} / the password in RIGHTSDESK_ADMIN_PASSWORD")
    else:
        print(f"  Login:  {username} / the password printed when the demo was first set up")
        print(f"          (forgotten? `{_program()} demo --reset-password` prints a new one)")
    if otp_url:
        from .accounts.cli import print_enrolment

        print()
        print_enrolment(username, otp_url)
    else:
        print("  Second factor: the authenticator app enrolled when the demo was first set up")
        print(f"          (lost? `{_program()} demo --reset-password` enrols a new one)")
    print()
    if args.no_serve:
        return 0
    from django.core.management import call_command

    worker = None if args.no_worker else start_worker()
    print("Serving until you press Ctrl+C" + (" (with a background worker)." if worker else "."))
    sys.stdout.flush()
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, skip_checks=True)
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    return 0


def cmd_serve(args):
    os.environ.setdefault("RIGHTSDESK_SERVE_MEDIA", "1")
    setup_django(default_settings="rightsdesk.settings.production")
    check_port_free(args.host, args.port)
    from django.core.management import call_command

    if not args.no_migrate:
        run_migrations()
    call_command("collectstatic", interactive=False, verbosity=0)
    workers = args.workers or max(2, (os.cpu_count() or 1) * 2)
    gunicorn_args = [
        sys.executable,
        "-m",
        "gunicorn",
        "rightsdesk.wsgi:application",
        "--bind",
        f"{args.host}:{args.port}",
        "--workers",
        str(workers),
        "--threads",
        str(args.threads),
        "--forwarded-allow-ips",
        os.environ.get("RIGHTSDESK_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        # gunicorn's control socket is one path per user ($HOME/.gunicorn/gunicorn.ctl): two servers
        # on one machine (tests, benches, a second site) would take it from each other. Unused here.
        "--no-control-socket",
    ]
    if args.access_log:
        # Without the option gunicorn formats no access line at all (an access log to /dev/null
        # still costs a formatted line per request: a fifth of a site-cache hit).
        gunicorn_args += ["--access-logfile", "-"]
    worker = None if args.no_worker else start_worker()
    print(f"Serving {public_url(args.host, args.port)} with gunicorn ({workers} workers)"
          + (", and a background worker." if worker else "."))
    sys.stdout.flush()
    os.execv(sys.executable, gunicorn_args)


def start_worker():
    """`rightsdesk worker` in a process of its own beside the server (the same settings, from the
    environment); it is stopped when this process (the server, after exec) ends. None when the
    tasks run at once (no worker needed)."""
    from django.conf import settings

    if settings.RIGHTSDESK_TASKS_BACKEND == "immediate":
        return None
    import ctypes
    import signal
    import subprocess

    def stop_with_parent():
        # Linux: the worker gets SIGTERM when its parent (the server) exits, however it exits.
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except OSError:
            pass

    command = [sys.executable, "-m", "rightsdesk.cli", "worker"]
    return subprocess.Popen(command, preexec_fn=stop_with_parent)


def cmd_worker(args):
    """Run the background tasks (see newsroom/background.py) until stopped."""
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from .newsroom import background

    backend = settings.RIGHTSDESK_TASKS_BACKEND
    if backend == "immediate":
        raise CommandError("RIGHTSDESK_TASKS_BACKEND=immediate runs tasks at once: there is no worker to run; "
                           "unset it to use the database, or set it to rq")
    if backend == "rq":
        print("Worker: running background tasks from Redis (RQ) until stopped.", flush=True)
        call_command("rqworker", "default", job_class="django_tasks_rq.backend.Job", burst=args.batch,
                     with_scheduler=False)
        return 0
    again = background.requeue_abandoned()
    if again:
        print(f"Worker: {again} task(s) whose worker stopped half-way will run again.", flush=True)
    print("Worker: running background tasks from the database" + (" waiting now." if args.batch else " until stopped."),
          flush=True)
    try:
        # (As command-line arguments: the command checks them only when parsed.)
        options = ["--backend", background.BACKEND, "--queue-name", "*", "--no-reload", "--no-startup-delay",
                   "--worker-id", background.worker_id(), "--interval", str(args.interval)]
        call_command("db_worker", *options, *(["--batch"] if args.batch else []), verbosity=0)
    except KeyboardInterrupt:
        print("\nWorker stopped.")
    return 0


def _lint_registry(args):
    """The registry of this installation, or an empty one (with a note) when there is none."""
    from .facts.lint import Registry

    if args.no_registry:
        return Registry.empty()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.utils import DatabaseError

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(str(database["NAME"])).exists():
        print("rightsdesk: note: no database yet (`rightsdesk demo` or `rightsdesk init` makes one): "
              "checking the text without the registry", file=sys.stderr)
        return Registry.empty()
    from .facts.registry import current

    try:
        tables = connection.introspection.table_names()
    except DatabaseError as exc:
        raise CommandError(f"cannot read the registry from the database ({exc}); use --no-registry "
                           "to check the text on its own") from None
    if "facts_entity" not in tables:
        print("rightsdesk: note: the database has no facts registry yet (run `rightsdesk init`): "
              "checking the text without it", file=sys.stderr)
        return Registry.empty()
    return current()


def cmd_lint(args):
    import json

    from .facts import lint, reading

    inputs = []
    for path in args.paths:
        try:
            text, _ = reading.read(path)
        except reading.InputError as exc:
            raise CommandError(str(exc)) from None
        inputs.append(("-" if path == "-" else path, text))
    registry = _lint_registry(args)
    problems = 0
    for path, text in inputs:
        report = lint.lint_text(text, registry, strict=args.strict)
        # competing estimates are information for the editor, not errors: they do not fail the run
        problems += sum(1 for p in report.problems if p.kind not in lint.INFO_KINDS)
        if args.json:
            print(json.dumps(report.as_dict(path), ensure_ascii=False))
        else:
            for line in lint.human_lines(report, path):
                print(line)
    if not args.json:
        files = f"{len(inputs)} file{'s' if len(inputs) != 1 else ''}"
        print(f"{files} checked: {problems or 'no'} problem{'s' if problems != 1 else ''}"
              f"{'' if registry.linker.size else ' (without a registry)'}", file=sys.stderr)
    return 1 if problems else 0


def cmd_backup_key(args):
    from .backup import BackupError, make_key

    try:
        recipient = make_key(args.keyfile)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"Private key written to {args.keyfile} (keep it offline: it opens every backup made for it).")
    print(f"Public key, for the server (RIGHTSDESK_BACKUP_RECIPIENTS or --recipient): {recipient}")
    return 0


def cmd_backup(args):
    setup_django()
    from .backup import BackupError, backup, parse_recipients

    try:
        recipients = parse_recipients(args.recipient or [os.environ.get("RIGHTSDESK_BACKUP_RECIPIENTS", "")])
        manifest = backup(args.out, recipients, progress=None if args.json else _note)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    summary = {"file": str(args.out), "created": manifest["created"], "database": manifest["database"]["engine"],
               "files": len(manifest["files"]), "bytes": Path(args.out).stat().st_size}
    if args.json:
        import json

        print(json.dumps(summary))
    else:
        print(f"Backup written to {args.out}: the {summary['database']} database, the evidence store and the media "
              f"({summary['files']} files), encrypted ({summary['bytes']:,} bytes).")
    return 0


def cmd_restore(args):
    setup_django()
    from .backup import BackupError, read_identities, restore

    try:
        identities = read_identities(args.identity)
        manifest, result = restore(args.backup, identities, progress=None if args.json else _note)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        import json

        print(json.dumps({"restored": manifest["created"], "files": len(manifest["files"]),
                          "verify": result.as_dict()}, ensure_ascii=False))
    else:
        print(f"Restored the backup of {manifest['created']} ({len(manifest['files'])} files).")
        for line in result.human_lines():
            print(line)
    if not result.ok:
        if not args.json:
            _err("the restored evidence store does not pass `rightsdesk verify` (above): do not use it as evidence "
                 "before the differences are explained")
        return 1
    return 0


def _note(message):
    print(f"  {message}", file=sys.stderr)


def cmd_manage(args):
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rightsdesk manage", *args.rest])
    return 0


# --- parser --------------------------------------------------------------------------------------


def _add_listen_options(parser):
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")),
                        help="TCP port (default 8000, or $PORT)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")


# The apps' own verbs: each module has `register(verbs)`, which adds its subparsers with
# `set_defaults(func=...)`; the functions use `setup_django` and raise `CommandError` from here.
APP_COMMANDS = (
    "rightsdesk.accounts.cli",
    "rightsdesk.evidence.cli",
    "rightsdesk.wire.cli",
    "rightsdesk.related.cli",
    "rightsdesk.cases.cli",
    "rightsdesk.newsroom.cli",
    "rightsdesk.mirror.cli",
)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="rightsdesk",
        description="rightsdesk: newsroom and evidence desk of a human-rights monitoring organisation.",
    )
    parser.add_argument("--version", action="version", version=f"rightsdesk {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB")
    verbs.required = True

    p = verbs.add_parser("init", help="create an empty site for real use (safe to run twice)",
                         description="Migrate the database and create the home pages and default sections in "
                         "English and Persian, and an admin account. Adds no demo content. The password is read "
                         "from RIGHTSDESK_ADMIN_PASSWORD or asked for.")
    p.add_argument("--admin-user", default=os.environ.get("RIGHTSDESK_ADMIN_USER", "admin"))
    p.add_argument("--admin-email", default=os.environ.get("RIGHTSDESK_ADMIN_EMAIL", ""))
    p.add_argument("--site-name", default=None, help="the organisation's name shown on the site")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_init)

    p = verbs.add_parser("demo", help="set up the demo site and serve it on 127.0.0.1",
                         description="Migrate, load the sample content (once; running again adds nothing), print "
                         "the admin login and serve the site until stopped.")
    _add_listen_options(p)
    p.add_argument("--admin-user", default=os.environ.get("RIGHTSDESK_ADMIN_USER", "admin"))
    p.add_argument("--reset-password", action="store_true", help="give the admin account a new random password")
    p.add_argument("--no-serve", action="store_true", help="set up and load only; do not serve")
    p.add_argument("--no-worker", action="store_true", help="do not start the background worker beside the server")
    p.add_argument("-v", "--verbose", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = verbs.add_parser("serve", help="serve the site in production style (gunicorn + whitenoise)",
                         description="Migrate, collect static files and serve with gunicorn. Uses production "
                         "settings unless DJANGO_SETTINGS_MODULE says otherwise: RIGHTSDESK_SECRET_KEY is required.")
    _add_listen_options(p)
    p.add_argument("--workers", type=int, default=0, help="gunicorn worker processes (default: 2 per core)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--no-migrate", action="store_true")
    p.add_argument("--access-log", action="store_true", help="log every request to standard output")
    p.add_argument("--no-worker", action="store_true",
                   help="do not start the background worker (run `rightsdesk worker` elsewhere)")
    p.set_defaults(func=cmd_serve)

    p = verbs.add_parser("worker", help="run the background tasks (re-bakes, indexes, relinking) until stopped",
                         description="Run the tasks the site queues (the mirror's sitemap, recommendations file "
                         "and search index after a publish, whole re-bakes, relinking after a registry change). "
                         "`serve` and `demo` start one; run more on any machine that reaches the database "
                         "(or Redis, with RIGHTSDESK_TASKS_BACKEND=rq). A task whose worker stopped half-way "
                         "runs again when a worker starts.")
    p.add_argument("--interval", type=float, default=1.0, help="seconds between looks for new tasks when idle")
    p.add_argument("--batch", action="store_true", help="run the tasks waiting now, then exit")
    p.set_defaults(func=cmd_worker)

    p = verbs.add_parser(
        "lint", help="check the figures and names of texts (.txt, .md, .html, or - for standard input)",
        description="Report figures that contradict each other (figure-conflict) or the registry "
        "(registry-divergence), entities named three or more ways (alias-drift) and, with --strict, figures "
        "no registered source supports (unsourced-figure). Exit status: 0 no problems, 1 problems, 2 bad input.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="a text, Markdown or HTML file, or - for standard input")
    p.add_argument("--json", action="store_true", help="one JSON object per file, on its own line")
    p.add_argument("--strict", action="store_true", help="also report figures without a source")
    p.add_argument("--no-registry", action="store_true", help="check the text on its own, without this site's registry")
    p.set_defaults(func=cmd_lint)

    p = verbs.add_parser("backup-key", help="make the key pair that backups are encrypted to",
                         description="Write a new age private key to KEYFILE (keep it offline) and print its public "
                         "key, which the server encrypts backups to (RIGHTSDESK_BACKUP_RECIPIENTS).")
    p.add_argument("keyfile")
    p.set_defaults(func=cmd_backup_key)

    p = verbs.add_parser(
        "backup", help="write the database, evidence store and media to one encrypted file",
        description="A consistent set of the database (SQLite's backup API or pg_dump), the evidence store and the "
        "uploaded media, encrypted with age to the organisation's public key(s). See SECURITY.md.")
    p.add_argument("out", metavar="OUT", help="the backup file to write (must not exist)")
    p.add_argument("--recipient", action="append", metavar="AGE1…",
                   help="public key to encrypt to (repeatable; default RIGHTSDESK_BACKUP_RECIPIENTS)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_backup)

    p = verbs.add_parser(
        "restore", help="restore a backup into an empty data folder and verify it",
        description="Decrypt the backup with the private key, check every file against its manifest, put the "
        "database, evidence store and media in place (the data folder and database must be empty), migrate, then "
        "run `rightsdesk verify`. Exit status 0 restored and verified, 1 restored but verify found problems, 2 not "
        "restored.")
    p.add_argument("backup", metavar="IN")
    p.add_argument("--identity", required=True, metavar="KEYFILE", help="the private key file of `backup-key`")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_restore)

    for module in APP_COMMANDS:
        importlib.import_module(module).register(verbs)

    p = verbs.add_parser("manage", help="run a Django manage.py command", add_help=False,
                         description="Pass everything after `manage` to Django's manage.py.")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv[:1] == ["manage"]:
        args = argparse.Namespace(func=cmd_manage, rest=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return args.func(args) or 0
    except CommandError as exc:
        _err(exc)
        return exc.status
    except Exception as exc:
        # A database that fails under a verb (not a database, gone, refusing): one line, not a traceback.
        if type(exc).__module__ == "django.db.utils" or type(exc).__name__ in ("DatabaseError", "OperationalError"):
            _err(f"cannot use the database ({' '.join(str(exc).split())[:200]}): check DATABASE_URL "
                 "and that the database server is running")
            return 2
        raise
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The output was cut (`rightsdesk import … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
