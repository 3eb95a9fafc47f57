"""Where each address of the site goes in a baked folder, and how a baked page links to it.

Pages whose address ends in a slash become `index.html` in a folder of that name; feeds become
`rss.xml` / `atom.xml` and the page fragments `<name>.html`, so that any static server, which
knows nothing of our routes, sends them with the right type. Every link in a baked page is
rewritten relative to the page itself, so the folder works at any host and under any path.
"""

import functools
import posixpath
import re
from html import unescape
from urllib.parse import unquote, urlsplit

from django.conf import settings

# Addresses that end in a slash but are files, not folders, in the bake.
_FILE_ROUTES = [
    (re.compile(r"^(.*/)feed/(rss|atom)/$"), r"\1feed/\2.xml"),
    (re.compile(r"^(.*/)fragments/([a-z-]+)/$"), r"\1fragments/\2.html"),
]
# Attributes whose values are addresses (srcset is not used by our templates).
_ATTRIBUTES = re.compile(r'(\s(?:href|src|action|poster|data-feed|data-fragment|data-bundle)=")(/(?!/)[^"]*)"')


@functools.lru_cache(maxsize=65536)
def output_path(url_path):
    """The file (relative to the baked folder, without a leading slash) of a site address."""
    path = unquote(url_path)
    for pattern, replacement in _FILE_ROUTES:
        if pattern.match(path):
            path = pattern.sub(replacement, path)
            break
    else:
        if path.endswith("/"):
            path += "index.html"
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or "\x00" in path:
        raise ValueError(f"address outside the site: {url_path!r}")
    return path


def _relative(target, base):
    """posixpath.relpath(target, base) for two normalised paths inside the folder ('' = its
    root), without relpath's absolute-path work (a page has some 40 links)."""
    to = target.split("/") if target else []
    start = base.split("/") if base else []
    common = 0
    for a, b in zip(to, start):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def link_from(source_file, url_path):
    """The relative link from `source_file` (a baked file) to `url_path` (a site address)."""
    return _link(posixpath.dirname(source_file), url_path)


@functools.lru_cache(maxsize=1 << 17)
def _link(base, url_path):
    """The relative link from the folder `base` to `url_path` (pages in one folder share most
    of their links: the frame, sections, tags)."""
    target = output_path(url_path)
    if target == "index.html" or target.endswith("/index.html"):
        rel = _relative(posixpath.dirname(target), base)
        return "./" if rel == "." else rel + "/"
    return _relative(target, base)


def is_asset(url_path):
    return url_path.startswith((settings.STATIC_URL, settings.MEDIA_URL, "/pagefind/"))


def rewrite_html(source_file, html):
    """`html` with every site-absolute address relative to `source_file`, and the addresses
    (paths, without query or fragment) it refers to."""
    found = set()
    base = posixpath.dirname(source_file)

    def replace(match):
        value = match.group(2)
        if "&" in value or "?" in value or "#" in value:
            parts = urlsplit(unescape(value))
            path, query, fragment = parts.path, parts.query, parts.fragment
        else:
            path, query, fragment = value, "", ""
        found.add(path)
        link = _link(base, path)
        if query:
            link += "?" + query
        if fragment:
            link += "#" + fragment
        return match.group(1) + link.replace("&", "&amp;").replace('"', "&quot;") + '"'

    return _ATTRIBUTES.sub(replace, html), found


def rewrite_absolute(text, origin, base_url):
    """Feeds and the sitemap: addresses on the primary site (`origin`) moved to the mirror at
    `base_url` (with the mirror's file names). Without `base_url`, they stay on the primary site."""
    if not base_url:
        return text
    pattern = re.compile(re.escape(origin) + r"(/[^\s<>\"']*)")

    def replace(match):
        path = unescape(match.group(1))
        parts = urlsplit(path)
        target = output_path(parts.path)
        if target == "index.html" or target.endswith("/index.html"):
            target = target[: -len("index.html")]
        link = base_url + target
        if parts.query:
            link += "?" + parts.query
        return link.replace("&", "&amp;")

    return pattern.sub(replace, text)
