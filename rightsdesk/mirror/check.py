"""Check a baked folder as a mirror's reader would meet it: every link, image, script, stylesheet,
feed and fragment inside the folder must resolve to a file of the folder, nothing may be loaded
from another host, and nothing may point at the admin. `rightsdesk bake --check` runs it.
"""

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .bake import STATE_DIR

# (tag, attribute) pairs that make the browser load something, and those that are links.
LOADS = {("img", "src"), ("script", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
         ("audio", "src"), ("video", "poster"), ("embed", "src"), ("object", "data"), ("input", "src")}
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data-feed", "data-fragment", "data-bundle", "data"}


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs = []  # (tag, attribute, value, loads)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        for name, value in attrs.items():
            if name not in URL_ATTRIBUTES or value is None:
                continue
            loads = (tag, name) in LOADS or (tag == "link" and name == "href" and (
                {"stylesheet", "icon", "preload", "modulepreload", "manifest"} & set(rel)))
            loads = loads or name in ("data-feed", "data-fragment", "data-bundle")
            self.refs.append((tag, name, value, bool(loads), rel))


def references(html):
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def resolve(outdir, source, value):
    """The file of the folder that a relative reference from `source` names, or None when it
    names no file (a folder without index.html, or nothing)."""
    path = unquote(urlsplit(value).path)
    if not path:
        return outdir / source
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if target.startswith(".."):
        return None
    candidate = outdir / target
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def check_folder(outdir, own_origins=()):
    """Problems found in the baked folder `outdir`, as sentences (an empty list when none).

    `own_origins`: addresses of the primary site and the mirror, which canonical and alternate
    links, feeds and structured data may name (they load nothing from there).
    """
    outdir = Path(outdir)
    problems = []
    for file in sorted(outdir.rglob("*.html")):
        if STATE_DIR in file.parts:
            continue
        source = file.relative_to(outdir).as_posix()
        for tag, attribute, value, loads, rel in references(file.read_text(encoding="utf-8")):
            parts = urlsplit(value)
            where = f"{source}: <{tag} {attribute}=\"{value}\">"
            if parts.scheme in ("mailto", "tel", "data", "javascript"):
                continue
            if parts.scheme or value.startswith("//"):
                own = any(value.startswith(origin) for origin in own_origins)
                if "/admin/" in parts.path and own:
                    problems.append(f"{where} links to the admin")
                elif loads and not own:
                    problems.append(f"{where} loads from another host")
                elif loads:
                    problems.append(f"{where} loads from the primary site, not from the mirror")
                continue
            if value.startswith("/"):
                problems.append(f"{where} is absolute: it breaks when the mirror is served under a path")
                continue
            if "/admin/" in "/" + posixpath.normpath(posixpath.join(posixpath.dirname(source), parts.path)) + "/":
                problems.append(f"{where} links to the admin")
                continue
            if parts.path.startswith("pagefind/") or "/pagefind/" in parts.path:
                if not (outdir / "pagefind").is_dir():
                    problems.append(f"{where}: the folder has no search index")
                elif not parts.path.endswith("/") and resolve(outdir, source, value) is None:
                    problems.append(f"{where} resolves to no file")
                continue
            if resolve(outdir, source, value) is None:
                problems.append(f"{where} resolves to no file")
    return problems
