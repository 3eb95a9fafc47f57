"""The capture browser: Debian's chromium, driven by Playwright, kept running for many captures.

Chromium never touches the network itself. Every request it makes (the page, its scripts, data,
images, fonts, frames) is intercepted, made in Python by the capture's `Recorder` (through the
address policy of rightsdesk/net.py, written into the WARC as sent and received), and its answer
handed back to the browser. As a second wall, chromium is started with a proxy that does not
exist and a resolver that resolves nothing, so a request that escaped the interception (a
WebSocket) fails instead of reaching the network.

When rightsdesk runs as root, chromium runs as an unprivileged user (RIGHTSDESK_CHROMIUM_USER,
`nobody` by default) with its own sandbox on, never as root with --no-sandbox.

One browser serves every capture of the process: it lives in a thread of its own with an asyncio
loop (Playwright's objects belong to the thread that made them); each capture gets a fresh
browser context (no cookies or storage shared between captures) and runs on that loop, so the
admin's threads and a bench can capture in parallel.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import os
import pwd
import shutil
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

VIEWPORT = {"width": 1280, "height": 900}
# A proxy that does not exist and a resolver that resolves nothing: only the intercepted
# requests (answered by rightsdesk) ever complete.
LAUNCH_ARGS = [
    "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>", "--host-resolver-rules=MAP * ~NOTFOUND",
]
HTML_TYPES = ("text/html", "application/xhtml+xml")
MEDIA_TYPES = ("video/", "audio/", "application/vnd.apple.mpegurl", "application/x-mpegurl", "application/dash+xml")

# Scroll down a screen at a time until the bottom stays the bottom (lazy content has loaded),
# at most 40 screens, then wait for the fonts.
SCROLL_JS = """async () => {
  const pause = (ms) => new Promise((r) => setTimeout(r, ms));
  const fits = () => document.documentElement.scrollHeight <= window.innerHeight + 2;
  for (let i = 0; i < 40 && !fits(); i++) {
    const before = document.documentElement.scrollHeight;
    window.scrollBy(0, window.innerHeight);
    await pause(60);
    const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
    if (atBottom) {
      await pause(120);
      if (document.documentElement.scrollHeight <= before) break;
    }
  }
  if (document.fonts && document.fonts.ready) await document.fonts.ready;
}"""

MEDIA_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('video, audio, video source, audio source')) {
    for (const u of [el.currentSrc, el.src, el.getAttribute('src') && new URL(el.getAttribute('src'), document.baseURI).href]) {
      if (u && /^https?:/.test(u) && !out.includes(u)) out.push(u);
    }
  }
  return out;
}"""


class BrowserError(Exception):
    """The capture browser could not be started or could not render the page."""


def chromium_path() -> str | None:
    from django.conf import settings

    configured = getattr(settings, "RIGHTSDESK_CHROMIUM", "") or ""
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


_WRAPPER = """#!/bin/sh
# Written by rightsdesk: start chromium as an unprivileged user, inside chromium's own sandbox.
set -e
for arg in "$@"; do
  case "$arg" in
    --user-data-dir=*) chown -R "$RIGHTSDESK_SANDBOX_UID:$RIGHTSDESK_SANDBOX_GID" "${arg#--user-data-dir=}" ;;
  esac
done
exec setpriv --reuid="$RIGHTSDESK_SANDBOX_UID" --regid="$RIGHTSDESK_SANDBOX_GID" --clear-groups \\
  --inh-caps=-all --bounding-set=-all -- "$RIGHTSDESK_CHROMIUM_BIN" "$@"
"""


def _sandboxed(executable: str):
    """(program to launch, extra environment): chromium itself when not root; as root, a wrapper
    that drops to the unprivileged user first."""
    if os.geteuid() != 0:
        return executable, {}
    from django.conf import settings

    user = getattr(settings, "RIGHTSDESK_CHROMIUM_USER", "nobody") or "nobody"
    try:
        account = pwd.getpwnam(user)
    except KeyError:
        raise BrowserError(f"the capture browser's user {user!r} does not exist: create it (an account with no "
                           "rights) or set RIGHTSDESK_CHROMIUM_USER") from None
    if account.pw_uid == 0:
        raise BrowserError("RIGHTSDESK_CHROMIUM_USER is root: name an unprivileged account")
    if not shutil.which("setpriv"):
        raise BrowserError("setpriv (Debian package util-linux) is missing: the capture browser cannot drop root")
    folder = tempfile.mkdtemp(prefix="rightsdesk-chromium-")
    os.chmod(folder, 0o755)
    home = os.path.join(folder, "home")
    os.mkdir(home, 0o700)
    os.chown(home, account.pw_uid, account.pw_gid)
    wrapper = os.path.join(folder, "chromium")
    with open(wrapper, "w") as handle:
        handle.write(_WRAPPER)
    os.chmod(wrapper, 0o755)
    atexit.register(shutil.rmtree, folder, True)
    return wrapper, {"RIGHTSDESK_SANDBOX_UID": str(account.pw_uid), "RIGHTSDESK_SANDBOX_GID": str(account.pw_gid),
                     "RIGHTSDESK_CHROMIUM_BIN": executable, "HOME": home, "XDG_CONFIG_HOME": home,
                     "XDG_CACHE_HOME": home}


class BrowserService:
    """One chromium for the whole process, on a loop in its own thread."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="rightsdesk-browser", daemon=True)
        self.thread.start()
        self.executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="rightsdesk-fetch")
        self._playwright = None
        self._browser = None
        self._starting = None
        self._spare = None
        self.version = ""

    def run(self, factory, timeout: float):
        """Run `factory(browser)` (a coroutine function) on the browser's loop; its result."""
        future = asyncio.run_coroutine_threadsafe(self._run(factory), self.loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise BrowserError(f"the browser did not finish within {timeout:g} s") from None

    async def _run(self, factory):
        browser = await self._ensure()
        return await factory(browser)

    async def _ensure(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        if self._starting is None:
            self._starting = asyncio.ensure_future(self._start())
        try:
            return await asyncio.shield(self._starting)
        finally:
            self._starting = None

    async def _start(self):
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright

        executable = chromium_path()
        if not executable:
            raise BrowserError("chromium is not installed (Debian package `chromium`)")
        program, extra_env = _sandboxed(executable)
        if self._playwright is None:
            self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=program, args=LAUNCH_ARGS, chromium_sandbox=True, timeout=60_000,
                env={**os.environ, **extra_env}, handle_sigint=False, handle_sigterm=False, handle_sighup=False)
        except PlaywrightError as exc:
            raise BrowserError(f"chromium could not be started ({str(exc).splitlines()[0][:160]})") from None
        self.version = self._browser.version
        return self._browser

    async def _new_page(self, browser):
        context = await browser.new_context(viewport=VIEWPORT, service_workers="block", accept_downloads=False)
        return context, await context.new_page()

    async def fresh_page(self, browser):
        """A new context with its page (nothing shared with earlier captures). One is always
        made ready ahead, so a capture does not wait for it."""
        spare, self._spare = getattr(self, "_spare", None), None
        ready = None
        if spare is not None:
            with contextlib.suppress(Exception):
                ready = await spare
        if ready is None or ready[1].is_closed():
            ready = await self._new_page(browser)
        self._spare = asyncio.ensure_future(self._new_page(browser))
        return ready

    async def _close(self):
        with contextlib.suppress(Exception):
            if self._browser is not None:
                await self._browser.close()
        with contextlib.suppress(Exception):
            if self._playwright is not None:
                await self._playwright.stop()
        self._browser = self._playwright = None

    def close(self):
        if self.loop.is_running():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._close(), self.loop).result(15)
            self.loop.call_soon_threadsafe(self.loop.stop)
        self.executor.shutdown(wait=False, cancel_futures=True)


_service = None
_service_lock = threading.Lock()


def service() -> BrowserService:
    global _service
    with _service_lock:
        if _service is None:
            _service = BrowserService()
        return _service


@atexit.register
def shutdown():
    global _service
    with _service_lock:
        if _service is not None:
            _service.close()
            _service = None


@dataclass
class Visit:
    """What one visit of a page gave."""

    main: object = None  # the final Exchange of the page itself
    redirects: list = field(default_factory=list)
    main_error: Exception | None = None
    rendered: bool = False
    dom: str = ""
    title: str = ""
    screenshot: bytes | None = None
    pdf: bytes | None = None
    media: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    browser_version: str = ""
    timings: dict = field(default_factory=dict)  # seconds per step of the visit


def _fulfil_headers(exchange) -> dict:
    headers = {}
    for name, value in exchange.headers:
        key = name.lower()
        if key in ("content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"):
            continue
        headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    return headers


async def _visit(browser, url, recorder, *, executor, want_pdf=True, want_screenshot=True):
    from playwright.async_api import Error as PlaywrightError

    from .fetch import FetchError, follow_redirects

    loop = asyncio.get_running_loop()
    visit = Visit()
    try:
        visit.main, visit.redirects = await loop.run_in_executor(executor, follow_redirects, recorder, url)
        main_body = visit.main.payload(recorder.max_bytes)
    except FetchError as exc:
        visit.main_error = exc
        return visit
    if visit.main.status >= 400 or not visit.main.mime.startswith(HTML_TYPES) or b"\x00" in main_body[:8192]:
        return visit  # not a web page to render (an error, a PDF, a text): the plain checks decide
    served = {"main": False}
    activity = {"inflight": 0, "changed": loop.time()}
    context, page = await service().fresh_page(browser)

    def remaining_ms(cap=None):
        left = recorder.guard.remaining()
        left = 60.0 if left is None else left
        return max(1.0, min(left, cap) if cap else left) * 1000

    async def handle(route):
        request = route.request
        activity["inflight"] += 1
        try:
            try:
                is_main = request.is_navigation_request() and request.frame.parent_frame is None
            except PlaywrightError:
                is_main = False
            if is_main:
                if request.url.split("#")[0] == visit.main.url.split("#")[0] and not served["main"]:
                    # The page itself, fetched (with its redirects) before the browser was asked.
                    served["main"] = True
                    await route.fulfill(status=visit.main.status, headers=_fulfil_headers(visit.main),
                                        body=main_body)
                else:
                    # The page navigating itself away: the capture is of what loaded.
                    await route.abort("aborted")
                return
            if request.resource_type == "media":
                # Audio and video are downloaded whole by yt-dlp after the visit.
                if request.url not in visit.media:
                    visit.media.append(request.url)
                await route.abort("aborted")
                return
            headers = await request.all_headers()
            try:
                # A redirect is followed here and its end given to the browser (chromium does not
                # follow a redirect handed to it); every hop is in the WARC.
                exchange, _ = await loop.run_in_executor(executor, functools.partial(
                    follow_redirects, recorder, request.url, method=request.method, headers=headers,
                    body=request.post_data_buffer))
                body = exchange.payload(recorder.max_bytes)
            except FetchError as exc:
                recorder.failures.append({"url": request.url, "reason": str(exc)})
                await route.abort("failed")
                return
            except OSError:
                await route.abort("failed")  # the WARC could not be written: the capture fails
                return
            if exchange.mime.startswith(MEDIA_TYPES) and exchange.url not in visit.media:
                visit.media.append(exchange.url)
            await route.fulfill(status=exchange.status, headers=_fulfil_headers(exchange), body=body)
        except PlaywrightError:
            pass  # the page or the context went away meanwhile
        finally:
            activity["inflight"] -= 1
            activity["changed"] = loop.time()

    async def settle(quiet=0.2, cap=5.0):
        end = loop.time() + min(cap, remaining_ms() / 1000)
        while loop.time() < end:
            if activity["inflight"] == 0 and loop.time() - activity["changed"] >= quiet:
                return True
            await asyncio.sleep(0.05)
        return False

    def lap(name):
        now = loop.time()
        visit.timings[name] = round(now - lap.last, 3)
        lap.last = now

    lap.last = loop.time()
    try:
        await context.route("**/*", handle)
        page.set_default_timeout(remaining_ms(60))
        try:
            await page.goto(visit.main.url, wait_until="load", timeout=remaining_ms())
        except PlaywrightError:
            visit.notes.append("the page did not finish loading within the time limit")
        lap("load")
        await page.evaluate(SCROLL_JS)
        lap("scroll")
        if not await settle():
            visit.notes.append("some of the page's requests were still loading when it was recorded")
        lap("settle")
        await page.evaluate("window.scrollTo(0, 0)")
        visit.dom = await page.content()
        visit.title = await page.title()
        for found in await page.evaluate(MEDIA_JS):
            if found not in visit.media:
                visit.media.append(found)
        lap("dom")
        if want_screenshot:
            visit.screenshot = await page.screenshot(full_page=True, type="png", timeout=remaining_ms(60))
            lap("screenshot")
        if want_pdf:
            visit.pdf = await page.pdf(print_background=True)
            lap("pdf")
        visit.rendered = True
    except PlaywrightError as exc:
        visit.notes.append(f"the browser stopped: {str(exc).splitlines()[0][:160]}")
    finally:
        with contextlib.suppress(PlaywrightError):
            await context.close()
    return visit


def visit(url: str, recorder, *, want_pdf=True, want_screenshot=True) -> Visit:
    """Load `url` once in the capture browser, every request through `recorder`. Raises
    BrowserError when the browser cannot be used."""
    svc = service()
    total = recorder.deadline or 120
    result = svc.run(lambda browser: _visit(browser, url, recorder, executor=svc.executor, want_pdf=want_pdf,
                                            want_screenshot=want_screenshot), total + 30)
    result.browser_version = svc.version
    return result


async def _render(browser, url, payload, content_type, fetch_other, executor):
    from playwright.async_api import Error as PlaywrightError

    loop = asyncio.get_running_loop()
    context = await browser.new_context(viewport=VIEWPORT, service_workers="block", accept_downloads=False)

    async def handle(route):
        request = route.request
        try:
            if request.url == url:
                await route.fulfill(status=200, body=payload, content_type=content_type or "text/html")
                return
            result = await loop.run_in_executor(executor, fetch_other, request.url)
            if result is None:
                await route.abort("failed")
            else:
                status, headers, body = result
                await route.fulfill(status=status, headers=headers, body=body)
        except PlaywrightError:
            pass

    try:
        await context.route("**/*", handle)
        page = await context.new_page()
        page.set_default_timeout(30_000)
        await page.goto(url, wait_until="load")
        return await page.screenshot(full_page=True, type="png")
    finally:
        with contextlib.suppress(PlaywrightError):
            await context.close()


def render(url: str, payload: bytes, content_type: str, fetch_other, timeout: float = 60) -> bytes:
    """A screenshot of `payload` rendered as the page at `url`; every other request the page
    makes goes through `fetch_other(url) -> (status, headers, body) | None`. Raises BrowserError."""
    from playwright.async_api import Error as PlaywrightError

    svc = service()
    try:
        return svc.run(lambda browser: _render(browser, url, payload, content_type, fetch_other, svc.executor),
                       timeout)
    except PlaywrightError as exc:
        raise BrowserError(str(exc).splitlines()[0][:200]) from None
