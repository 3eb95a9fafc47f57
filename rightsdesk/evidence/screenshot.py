"""A full-page screenshot of a page captured by the plain fetch (--no-browser, or a page saved by
hand), and the stamp every capture screenshot gets.

The capture browser is given the captured document itself (the bytes that were hashed), not a
second download of it; the images and styles it refers to are fetched by rightsdesk through the
address policy (rightsdesk/net.py), as every server-side request is. The capture time, the
address and the payload hash are stamped both visibly (a strip under the page) and in the PNG's
text chunks.
"""

from __future__ import annotations

from io import BytesIO

from rightsdesk import net

from .browser import BrowserError, chromium_path, render

__all__ = ["ScreenshotError", "chromium_path", "stamp_png", "take"]
SUBRESOURCE_LIMIT = 20 * 1000 * 1000


class ScreenshotError(Exception):
    pass


def take(url: str, payload: bytes, content_type: str, *, stamp: dict, timeout_s: float = 30) -> bytes:
    """PNG bytes of the page at `url` rendered from `payload`, stamped. Raises ScreenshotError."""
    if not chromium_path():
        raise ScreenshotError("chromium is not installed (Debian package `chromium`)")
    guard = net.Guard(total_seconds=timeout_s)
    session = net.session(guard)

    def fetch_other(address):
        try:
            with session.get(address, stream=True, timeout=(5, timeout_s)) as response:
                body = response.raw.read(SUBRESOURCE_LIMIT + 1, decode_content=True)
                if len(body) > SUBRESOURCE_LIMIT:
                    return None
                headers = {k: v for k, v in response.headers.items()
                           if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")}
                return response.status_code, headers, body
        except Exception:  # noqa: BLE001 (a missing image leaves a gap in the picture, no more)
            return None

    try:
        png = render(url, payload, content_type, fetch_other, timeout=timeout_s + 30)
    except BrowserError as exc:
        raise ScreenshotError(str(exc)) from None
    finally:
        guard.close()
        session.close()
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
    out.save(buffer, format="PNG", pnginfo=info, optimize=False, compress_level=1)
    return buffer.getvalue()
