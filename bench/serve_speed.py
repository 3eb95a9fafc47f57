"""Serving speed with wrk: the front page and one article page served (a) from a baked folder by
nginx (the configuration of deploy/, run by tests/mirror_nginx.py), (b) by `rightsdesk serve` with
its site cache, (c) by `rightsdesk serve` with the site cache off (RIGHTSDESK_PAGE_CACHE_SECONDS=0;
the fragment caches stay, as between two publishes). Requests/s and latency (p50/p99 of
`wrk --latency`) side by side.

Usage: .venv/bin/python bench/serve_speed.py --data-dir DIR --baked DIR [--bake]
           [--article /section/slug/] [--duration 10] [--connections 16] [--threads 2] [--json]

--data-dir is a migrated data folder (SQLite) with published articles; --baked the folder that
`rightsdesk bake` wrote from it (--bake runs `rightsdesk bake BAKED` first). The servers run one
after the other, each alone on the machine with wrk; each URL gets a short warm-up (which fills
the site cache of every worker) before it is measured. Needs Debian's nginx and wrk
(scripts/ensure-nginx.sh).
"""

import argparse
import importlib.util
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "rightsdesk")
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def load_nginx_helper():
    """tests/mirror_nginx.py, by its path (the bench does not change sys.path)."""
    spec = importlib.util.spec_from_file_location("mirror_nginx", REPO / "tests" / "mirror_nginx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base_env(data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_URL"))}
    env.update(RIGHTSDESK_DATA_DIR=str(data_dir))
    return env


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


class AppServer:
    """`rightsdesk serve` (gunicorn, production settings) in its own process group."""

    def __init__(self, data_dir, cache=True, workers=0):
        self.data_dir, self.cache, self.workers = data_dir, cache, workers
        nginx = load_nginx_helper()
        self.port = nginx.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        env = base_env(self.data_dir)
        env.update(RIGHTSDESK_SECRET_KEY=secrets.token_urlsafe(64), RIGHTSDESK_SSL_REDIRECT="0",
                   RIGHTSDESK_ALLOWED_HOSTS="127.0.0.1", RIGHTSDESK_PAGE_CACHE_SECONDS="600" if self.cache else "0")
        command = [CLI, "serve", "--port", str(self.port)]
        if self.workers:
            command += ["--workers", str(self.workers)]
        self.log = open(Path(self.data_dir) / f"serve-bench-{self.port}.log", "w")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"rightsdesk serve exited: {Path(self.log.name).read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.__exit__()
            raise SystemExit("rightsdesk serve did not start within 120 s")
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def wrk(url, duration, connections, threads):
    """requests/s, p50 and p99 in ms, and the count of errors and non-2xx answers."""
    done = subprocess.run([WRK, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "--latency", url],
                          capture_output=True, text=True, check=True)
    out = done.stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(50), "p99_ms": ms(99), "errors": errors,
    }


def measure(base, paths, args, label):
    rows = []
    for name, path in paths:
        url = base + path
        status, _ = get(url)
        if status != 200:
            raise SystemExit(f"{label}: {url} answered {status}, not 200")
        wrk(url, max(2, args.duration // 4), args.connections, args.threads)  # warm-up: every worker
        result = wrk(url, args.duration, args.connections, args.threads)
        rows.append({"server": label, "page": name, "url": path, **result})
        print(f"  {label:28} {name:12} {result['requests_per_s']:9.0f} req/s  p50 {result['p50_ms']:7.2f} ms  "
              f"p99 {result['p99_ms']:7.2f} ms  errors {result['errors']}", file=sys.stderr)
    return rows


def pick_article(front_html):
    """The first article of the front page (an address /section/slug/)."""
    skip = ("feed", "tags", "authors", "archive", "entities", "search", "recommended", "fragments", "static", "media")
    for link in re.findall(r'href="/([a-z0-9-]+)/([a-z0-9-]+)/"', front_html):
        if link[0] not in skip and link[0] != "fa" and link[1] not in ("page",):
            return f"/{link[0]}/{link[1]}/"
    raise SystemExit("no article link on the front page: give one with --article")


def machine():
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"cpus": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "wrk": subprocess.run([WRK, "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip(),
            "nginx": subprocess.run([load_nginx_helper().NGINX, "-v"], capture_output=True, text=True).stderr.strip()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", required=True, help="a migrated data folder (RIGHTSDESK_DATA_DIR)")
    parser.add_argument("--baked", required=True, help="the baked folder of that data folder")
    parser.add_argument("--bake", action="store_true", help="run `rightsdesk bake BAKED` first")
    parser.add_argument("--article", help="the article address to measure (default: the first on the front page)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: rightsdesk serve's)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    data_dir, baked = Path(args.data_dir).resolve(), Path(args.baked).resolve()
    if not (data_dir / "rightsdesk.sqlite3").exists() and not os.environ.get("DATABASE_URL"):
        raise SystemExit(f"{data_dir} has no rightsdesk.sqlite3: give a migrated data folder")
    if not os.path.exists(WRK):
        raise SystemExit("wrk is missing: run scripts/ensure-nginx.sh")
    nginx = load_nginx_helper()
    if not nginx.nginx_available():
        raise SystemExit("nginx is missing: run scripts/ensure-nginx.sh")
    if args.bake:
        started = time.monotonic()
        if subprocess.run([CLI, "bake", str(baked)], env=base_env(data_dir)).returncode != 0:
            raise SystemExit("rightsdesk bake failed (see above)")
        print(f"baked in {time.monotonic() - started:.1f} s", file=sys.stderr)
    if not (baked / "index.html").exists():
        raise SystemExit(f"{baked} has no index.html: bake it first (--bake)")
    info = machine()
    results = []
    with AppServer(data_dir, cache=True, workers=args.workers) as app:
        article = args.article or pick_article(get(app.url + "/")[1].decode())
        paths = [("front page", "/"), ("article", article)]
        print(f"front page and {article}; wrk -t{args.threads} -c{args.connections} -d{args.duration}s",
              file=sys.stderr)
        results += measure(app.url, paths, args, "rightsdesk serve, cached")
    if not (baked / article.lstrip("/") / "index.html").exists():
        raise SystemExit(f"{article} is not in {baked}: give an article of the bake with --article")
    with nginx.MirrorNginx(baked) as server:
        results = measure(server.url.rstrip("/"), paths, args, "nginx, baked folder") + results
    with AppServer(data_dir, cache=False, workers=args.workers) as app:
        results += measure(app.url, paths, args, "rightsdesk serve, uncached")
    info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    if args.json:
        print(json.dumps({"machine": info, "article": article, "results": results}, indent=2))
        return
    print(f"\nMachine: {info['cpus']} × {info['cpu']}, Python {info['python']}, {info['nginx']}, {info['wrk']}; "
          f"load average before {info['load_average']}, after {info['load_average_after']}")
    print(f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --timeout 10s --latency; article {article}\n")
    print("| server | page | requests/s | p50 ms | p99 ms | errors |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for row in results:
        print(f"| {row['server']} | {row['page']} | {row['requests_per_s']:,.0f} | {row['p50_ms']:.2f} | "
              f"{row['p99_ms']:.2f} | {row['errors']} |")


if __name__ == "__main__":
    main()
