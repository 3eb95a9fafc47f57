"""nginx serving a baked folder with the configuration of deploy/, for the tests and
bench/serve_speed.py (not a test module: pytest collects test_*.py only).

The configuration is rendered from the files of deploy/ themselves: nginx-onion.conf for a folder
at the root of the address, nginx-mirror-subpath.conf for a folder under a sub-path, with
deploy/rightsdesk-nginx/ as their includes. Only the folder, the port and the sub-path are put in,
and each must be found exactly where the documented file has it, so the tested configuration is the
documented one. nginx runs in the foreground (`daemon off`) in its own process group, with its pid,
logs and temporary files in a folder of its own; stop() ends that group.

    with MirrorNginx(folder, prefix="/mirror/") as server:
        urllib.request.urlopen(server.url + "index.html")

scripts/ensure-nginx.sh installs Debian's nginx (and wrk).
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
NGINX = os.environ.get("RIGHTSDESK_NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
DOCUMENTED_FOLDER = "/srv/rightsdesk-mirror"


class ConfigDrift(Exception):
    """deploy/ no longer has a line this helper puts the folder, port or path into."""


def nginx_available():
    return os.path.exists(NGINX) and os.access(NGINX, os.X_OK)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _replace_once(text, old, new, name):
    if text.count(old) != 1:
        raise ConfigDrift(f"deploy/{name}: expected {old!r} once, found it {text.count(old)} times")
    return text.replace(old, new)


def render_site(folder, port, prefix="/"):
    """The `server` block of deploy/ for `folder` at `prefix`, listening on 127.0.0.1:`port`."""
    folder = str(Path(folder).resolve())
    if prefix == "/":
        name = "nginx-onion.conf"
        text = (DEPLOY / name).read_text()
        text = _replace_once(text, "listen 127.0.0.1:8081;", f"listen 127.0.0.1:{port};", name)
        text = _replace_once(text, f"root {DOCUMENTED_FOLDER};", f"root {folder};", name)
    else:
        if not (prefix.startswith("/") and prefix.endswith("/")):
            raise ValueError(f"the sub-path starts and ends with a slash: {prefix!r}")
        name = "nginx-mirror-subpath.conf"
        text = (DEPLOY / name).read_text()
        text = _replace_once(text, "listen 127.0.0.1:8082;", f"listen 127.0.0.1:{port};", name)
        text = _replace_once(text, "location ^~ /mirror/ {", f"location ^~ {prefix} {{", name)
        text = _replace_once(text, f"alias {DOCUMENTED_FOLDER}/;", f"alias {folder}/;", name)
    return text


def render_primary(folder, port, redirect_port, data_dir, app_port, certificate, key):
    """The primary host of deploy/nginx-mirror.conf: https on 127.0.0.1:`port` with the given
    certificate, its http redirect on `redirect_port`, the application on 127.0.0.1:`app_port`."""
    name = "nginx-mirror.conf"
    text = (DEPLOY / name).read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{redirect_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;"),
        ("ssl_certificate     /etc/letsencrypt/live/news.example.org/fullchain.pem;", f"ssl_certificate {certificate};"),
        ("ssl_certificate_key /etc/letsencrypt/live/news.example.org/privkey.pem;", f"ssl_certificate_key {key};"),
        (f"root {DOCUMENTED_FOLDER};", f"root {Path(folder).resolve()};"),
    ):
        text = _replace_once(text, old, new, name)
    if text.count("root /srv/rightsdesk-data;") != 2 or text.count("http://127.0.0.1:8000;") != 2:
        raise ConfigDrift(f"deploy/{name}: expected the data folder and the application twice each")
    text = text.replace("root /srv/rightsdesk-data;", f"root {Path(data_dir).resolve()};")
    return text.replace("http://127.0.0.1:8000;", f"http://127.0.0.1:{app_port};")


def render_main(workdir, site_file, workers="auto"):
    """The main nginx.conf around a site file: everything nginx writes stays in `workdir`. The
    http-level settings are those of Debian's /etc/nginx/nginx.conf that matter for speed."""
    w = Path(workdir)
    user = "user root;\n" if os.geteuid() == 0 else ""  # else workers run as nobody: no access to /tmp/…
    return f"""{user}worker_processes {workers};
pid {w}/nginx.pid;
error_log {w}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {w}/tmp/body;
    proxy_temp_path {w}/tmp/proxy;
    fastcgi_temp_path {w}/tmp/fastcgi;
    uwsgi_temp_path {w}/tmp/uwsgi;
    scgi_temp_path {w}/tmp/scgi;
    access_log off;
    include {site_file};
}}
"""


def check_site_file(site_text):
    """`nginx -t` on a site configuration (a file of deploy/, its paths made local by the caller)
    with deploy/rightsdesk-nginx/ as its includes; raises with nginx's message when it is wrong."""
    workdir = Path(tempfile.mkdtemp(prefix="rightsdesk-nginx-check-"))
    try:
        (workdir / "tmp").mkdir()
        shutil.copytree(DEPLOY / "rightsdesk-nginx", workdir / "rightsdesk")
        (workdir / "site.conf").write_text(site_text)
        main = workdir / "nginx.conf"
        main.write_text(render_main(workdir, workdir / "site.conf"))
        done = subprocess.run([NGINX, "-t", "-p", str(workdir), "-c", str(main), "-e", str(workdir / "error.log")],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nginx -t: {done.stderr.strip()}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class MirrorNginx:
    """nginx serving `folder` at `prefix` on 127.0.0.1:`port` (a free port when None)."""

    def __init__(self, folder, port=None, prefix="/", workers="auto", primary=None):
        """`primary`: dict(data_dir=, app_port=, certificate=, key=) to run deploy/nginx-mirror.conf
        (https on `port`, its http redirect on self.redirect_port) instead of the mirror alone."""
        self.folder = Path(folder)
        self.port = port or free_port()
        self.prefix = prefix
        self.workers = workers
        self.primary = primary
        self.redirect_port = free_port() if primary else None
        self.workdir = None
        self.process = None

    @property
    def url(self):
        return f"{'https' if self.primary else 'http'}://127.0.0.1:{self.port}{self.prefix}"

    def write_config(self):
        """Write the configuration into a new folder; returns the main file."""
        self.workdir = Path(tempfile.mkdtemp(prefix="rightsdesk-nginx-"))
        (self.workdir / "tmp").mkdir()
        # deploy/README.md copies rightsdesk-nginx/ to /etc/nginx/rightsdesk/: includes name
        # `rightsdesk/…` relative to the folder of the main file, here as there.
        shutil.copytree(DEPLOY / "rightsdesk-nginx", self.workdir / "rightsdesk")
        site = self.workdir / "site.conf"
        if self.primary:
            site.write_text(render_primary(self.folder, self.port, self.redirect_port, **self.primary))
        else:
            site.write_text(render_site(self.folder, self.port, self.prefix))
        main = self.workdir / "nginx.conf"
        main.write_text(render_main(self.workdir, site, self.workers))
        return main

    def _command(self, main, *extra):
        return [NGINX, "-p", str(self.workdir), "-c", str(main), "-e", str(self.workdir / "error.log"), *extra]

    def check(self):
        """`nginx -t` on the configuration; raises with nginx's message when it is wrong."""
        main = self.workdir / "nginx.conf" if self.workdir else self.write_config()
        done = subprocess.run(self._command(main, "-t"), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"nginx -t: {done.stderr.strip()}")

    def start(self, timeout=15):
        if not nginx_available():
            raise RuntimeError(f"{NGINX} is missing: run scripts/ensure-nginx.sh")
        main = self.write_config()
        self.process = subprocess.Popen(
            self._command(main, "-g", "daemon off;"),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.process.stderr.read().decode(errors="replace")
                log = self.workdir / "error.log"
                raise RuntimeError(f"nginx exited: {message}{log.read_text() if log.exists() else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on port {self.port} within {timeout} s")

    def stop(self):
        """Stop nginx (its whole process group: master and workers) and remove its folder."""
        if self.process is not None:
            if self.process.poll() is None:
                try:
                    os.killpg(self.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait()
            self.process.stderr.close()
            self.process = None
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
