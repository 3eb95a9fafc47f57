"""Audio and video of a captured page, downloaded with yt-dlp (the Python library) into the
capture's WARC: each file a resource record under its own address, with its SHA-256 in the
capture's metadata, within a size limit per capture.

yt-dlp's requests go through the address policy like every other request of the capture: its
only request handler is yt-dlp's own requests handler with the capture's guarded connection
pool (rightsdesk/net.py), and proxies are refused. External programs (ffmpeg, aria2c) are never
used: yt-dlp's native downloaders fetch direct files and HLS playlists through that handler.
"""

from __future__ import annotations

import hashlib
import mimetypes
import tempfile
import threading
from pathlib import Path

from rightsdesk import net

EXTENSION_TYPES = {".ts": "video/mp2t", ".m4a": "audio/mp4", ".mp4": "video/mp4", ".webm": "video/webm",
                   ".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".oga": "audio/ogg", ".ogv": "video/ogg"}


class _QuietLogger:
    def __init__(self):
        self.errors = []

    def debug(self, message):
        pass

    def info(self, message):
        pass

    def warning(self, message):
        pass

    def error(self, message):
        self.errors.append(" ".join(str(message).replace("ERROR: ", "").split())[:200])


def _handler_for(guard):
    """yt-dlp's requests handler with every connection through `guard`."""
    from yt_dlp.networking._requests import RequestsRH
    from yt_dlp.networking.exceptions import UnsupportedRequest

    class GuardedRH(RequestsRH):
        def _create_instance(self, cookiejar, legacy_ssl_support=None):
            session = super()._create_instance(cookiejar, legacy_ssl_support)
            for adapter in session.adapters.values():
                net.guard_poolmanager(adapter.poolmanager, guard)
            return session

        def _check_proxies(self, proxies):
            if any(proxies.values()):
                raise UnsupportedRequest("proxies are not used for server-side requests")

    GuardedRH.__name__ = "GuardedRH"
    return GuardedRH


def candidates(page_url: str, found: list[str]) -> list[str]:
    """The addresses to give yt-dlp: the page itself when an extractor knows the site (a video
    platform), and every audio or video address the page used."""
    out = list(dict.fromkeys(found))
    try:
        if any(ie.suitable(page_url) for ie in _site_extractors()):
            out.insert(0, page_url)
    except Exception:  # noqa: BLE001 (an extractor failing to load must not stop the capture)
        pass
    return out


_extractors = None
_extractors_lock = threading.Lock()


def _site_extractors():
    """yt-dlp's extractors for particular sites (not the generic one), loaded once."""
    global _extractors
    with _extractors_lock:
        if _extractors is None:
            from yt_dlp.extractor import gen_extractor_classes

            _extractors = [ie for ie in gen_extractor_classes() if ie.ie_key() != "Generic"]
        return _extractors


def download(urls: list[str], recorder, *, max_bytes: int, ca_bundle: str | None = None) -> list[dict]:
    """Download each address's media into the recorder's WARC; a list of what was stored or why
    not: {"url", "sha256", "size", "content_type", "title"} or {"url", "error"}."""
    if not urls or max_bytes <= 0:
        return []
    import yt_dlp

    results, used = [], 0
    with tempfile.TemporaryDirectory(prefix="rightsdesk-media-") as folder:
        for number, url in enumerate(urls):
            left = max_bytes - used
            if left <= 0:
                results.append({"url": url, "error": f"not downloaded: the media limit of {max_bytes / 1e6:g} MB "
                                "per capture (RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES) was reached"})
                continue
            if recorder.guard.expired:
                results.append({"url": url, "error": "not downloaded: the capture's time limit was reached"})
                continue
            logger = _QuietLogger()
            target = Path(folder) / str(number)
            options = {
                "outtmpl": str(target / "%(id).60s.%(ext)s"), "logger": logger, "quiet": True, "no_warnings": True,
                "noprogress": True, "noplaylist": True, "max_filesize": left, "retries": 0, "fragment_retries": 0,
                "socket_timeout": recorder.timeout, "hls_prefer_native": True, "fixup": "never",
                "cachedir": False, "proxy": "", "overwrites": True, "format": "best/bestvideo+bestaudio",
                "external_downloader": {}, "postprocessors": [], "check_formats": False, "playlistend": 1,
            }
            if ca_bundle:
                options["compat_opts"] = ["no-certifi"]
            try:
                with yt_dlp.YoutubeDL(options) as ydl:
                    ydl.__dict__["_request_director"] = ydl.build_request_director([_handler_for(recorder.guard)])
                    info = ydl.extract_info(url, download=True)
            except Exception as exc:  # noqa: BLE001 (yt-dlp's errors are many; one line is kept)
                reason = logger.errors[-1] if logger.errors else " ".join(str(exc).split())[:200]
                results.append({"url": url, "error": reason})
                continue
            files = sorted(p for p in target.glob("**/*") if p.is_file() and not p.name.endswith(".part"))
            if not files:
                results.append({"url": url, "error": logger.errors[-1] if logger.errors else
                                f"nothing downloaded (larger than the {left / 1e6:g} MB left of the media limit?)"})
                continue
            for path in files:
                size = path.stat().st_size
                if used + size > max_bytes:
                    results.append({"url": url, "error": f"not kept: over the media limit of {max_bytes / 1e6:g} MB "
                                    "per capture (RIGHTSDESK_CAPTURE_MEDIA_MAX_BYTES)"})
                    continue
                data = path.read_bytes()
                used += size
                media_url = (info or {}).get("url") or (info or {}).get("webpage_url") or url
                content_type = EXTENSION_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or \
                    "application/octet-stream"
                record = recorder.resource(media_url, data, content_type)
                results.append({"url": url, "media_url": media_url, "file": path.name, "record": record,
                                "sha256": hashlib.sha256(data).hexdigest(), "size": size, "content_type": content_type,
                                "title": (info or {}).get("title") or "", "extractor": (info or {}).get("extractor")})
    return results
