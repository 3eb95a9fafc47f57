"""A full-page screenshot of a captured page, taken with Debian's chromium through Playwright.

The browser is given the captured document itself (the bytes that were hashed), not a second
download of it; images and styles it refers to are loaded from the web as a reader's browser
would. The capture time, the address and the payload hash are stamped both visibly (a strip under
the page) and in the PNG's text chunks.
"""

from __future__ import annotations

import os
import shutil
from io import BytesIO

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    from django.conf import settings

    configured = getattr(settings, "RIGHTSDESK_CHROMIUM", "") or ""
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


class ScreenshotError(Exception):
    pass


def take(url: str, payload: bytes, content_type: str, *, stamp: dict, timeout_s: float = 30) -> bytes:
    """PNG bytes of the page at `url` rendered from `payload`, stamped. Raises ScreenshotError."""
    executable = chromium_path()
    if not executable:
        raise ScreenshotError("chromium is not installed (Debian package `chromium`)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ScreenshotError("playwright is not installed") from None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=timeout_s * 1000)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
                page.set_default_timeout(timeout_s * 1000)

                def serve_captured(route):
                    route.fulfill(status=200, body=payload, content_type=content_type or "text/html")

                page.route(url, serve_captured)
                page.goto(url, wait_until="load")
                png = page.screenshot(full_page=True, type="png", timeout=timeout_s * 1000)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise ScreenshotError(str(exc).splitlines()[0][:200]) from None
    return stamp_png(png, stamp)


def stamp_png(png: bytes, stamp: dict) -> bytes:
    """Add a strip with the stamp under the image, and the stamp as PNG text chunks."""
    from PIL import Image, ImageDraw, ImageFont
    from PIL.PngImagePlugin import PngInfo

    image = Image.open(BytesIO(png)).convert("RGB")
    items = [f"{key}: {value}" for key, value in stamp.items()]
    lines = ["  ·  ".join(items[i:i + 2]) for i in range(0, len(items), 2)]
    font = ImageFont.load_default(size=14)
    strip = 8 + 20 * len(lines)
    out = Image.new("RGB", (image.width, image.height + strip), "white")
    out.paste(image, (0, 0))
    draw = ImageDraw.Draw(out)
    draw.rectangle([0, image.height, image.width, image.height + strip], fill=(32, 32, 32))
    for number, line in enumerate(lines):
        draw.text((8, image.height + 5 + 20 * number), line, fill="white", font=font)
    info = PngInfo()
    for key, value in stamp.items():
        info.add_itxt(key, str(value))
    buffer = BytesIO()
    out.save(buffer, format="PNG", pnginfo=info, optimize=False)
    return buffer.getvalue()
