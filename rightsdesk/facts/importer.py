"""Load a registry (entities, aliases, sources, figures) from a TOML file: the demo's, or an
organisation's own list kept under version control.

Everything is checked before anything is written; loading twice changes nothing (entities are
matched by slug, sources by key, figures by what they count, their period and their sources).
The format is documented in rightsdesk/demo/content/FORMAT.md.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction

ENTITY_KINDS = {"person", "organisation", "place", "event"}
ALIAS_KINDS = {"official", "transliteration", "acronym", "former", "honorific", "translation", "short"}
QUALIFIERS = {"exact", "over", "at least", "about", "up to", "fewer than", "range", "vague"}


class RegistryFileError(ValueError):
    """The registry file is malformed; the message names the entry and what to fix."""


def read(path: Path) -> dict:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryFileError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise RegistryFileError(f"{path}: not valid TOML ({exc})") from None
    validate(data, str(path))
    return data


def validate(data: dict, where: str = "registry") -> None:
    slugs, keys = set(), set()
    for i, e in enumerate(data.get("entity", [])):
        label = f"{where}: entity #{i + 1} ({e.get('slug') or e.get('name') or '?'})"
        for field in ("slug", "kind", "name"):
            if not isinstance(e.get(field), str) or not e[field].strip():
                raise RegistryFileError(f"{label}: `{field}` is required")
        if e["kind"] not in ENTITY_KINDS:
            raise RegistryFileError(f"{label}: kind {e['kind']!r} is not one of {', '.join(sorted(ENTITY_KINDS))}")
        if not isinstance(e.get("public", False), bool):
            raise RegistryFileError(f"{label}: `public` is true or false")
        if e["slug"] in slugs:
            raise RegistryFileError(f"{label}: slug {e['slug']!r} is used twice")
        slugs.add(e["slug"])
        for a in e.get("aliases", []):
            if not isinstance(a, dict) or not str(a.get("name", "")).strip():
                raise RegistryFileError(f"{label}: every alias needs a name")
            if a.get("kind", "transliteration") not in ALIAS_KINDS:
                raise RegistryFileError(f"{label}: alias {a['name']!r} has kind {a.get('kind')!r}, not one of {', '.join(sorted(ALIAS_KINDS))}")
    for i, s in enumerate(data.get("source", [])):
        label = f"{where}: source #{i + 1} ({s.get('key', '?')})"
        if not s.get("key"):
            raise RegistryFileError(f"{label}: `key` is required")
        if s["key"] in keys:
            raise RegistryFileError(f"{label}: key {s['key']!r} is used twice")
        keys.add(s["key"])
        if not (s.get("article") or s.get("title") or s.get("url")):
            raise RegistryFileError(f"{label}: give `article` (a slug of this site) or the document's `title`/`url`")
        if s.get("url") is not None and not _web_address(s["url"]):
            raise RegistryFileError(
                f"{label}: url {str(s['url'])[:80]!r} is not an http:// or https:// address; "
                "give the document's web address or leave `url` out"
            )
    for i, f in enumerate(data.get("figure", [])):
        label = f"{where}: figure #{i + 1} ({f.get('counts', '?')})"
        if not f.get("counts"):
            raise RegistryFileError(f"{label}: `counts` is required")
        if f.get("qualifier", "exact") not in QUALIFIERS:
            raise RegistryFileError(f"{label}: qualifier {f.get('qualifier')!r} is not one of {', '.join(sorted(QUALIFIERS))}")
        if f.get("low") is None and f.get("high") is None and f.get("qualifier") != "vague":
            raise RegistryFileError(f"{label}: give `low` and/or `high`")
        for slug in f.get("about", []):
            if slug not in slugs:
                raise RegistryFileError(f"{label}: `about` names {slug!r}, which is not an entity slug in this file")
        if not f.get("sources"):
            raise RegistryFileError(f"{label}: a figure needs at least one source")
        for key in f["sources"]:
            if key not in keys:
                raise RegistryFileError(f"{label}: source {key!r} is not defined in this file")


def _web_address(url) -> bool:
    """An absolute http(s) address with a host: nothing a browser would run or resolve locally."""
    if not isinstance(url, str) or url != url.strip() or any(c.isspace() or ord(c) < 32 for c in url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def load(data: dict, *, find_article=None) -> dict:
    """Write the registry; ``find_article(slug)`` returns the article page a source names.
    Returns counts of what was created."""
    from .models import Alias, Entity, Figure, FigureSource, Source

    created = {"entities": 0, "aliases": 0, "sources": 0, "figures": 0}
    with transaction.atomic():
        entities = {}
        for e in data.get("entity", []):
            entity, made = Entity.objects.get_or_create(
                slug=e["slug"],
                defaults={
                    "kind": e["kind"], "name": e["name"].strip(), "name_fa": e.get("name_fa", ""),
                    "description": e.get("description", "").strip(),
                    "description_fa": e.get("description_fa", "").strip(), "wikidata": e.get("wikidata", ""),
                    "public": bool(e.get("public", False)),
                },
            )
            created["entities"] += made
            entities[e["slug"]] = entity
            existing = set(entity.aliases.values_list("name", flat=True)) | {entity.name}
            for order, a in enumerate(e.get("aliases", [])):
                name = " ".join(str(a["name"]).split())
                if name in existing:
                    continue
                Alias.objects.create(entity=entity, name=name, kind=a.get("kind", "transliteration"), sort_order=order)
                existing.add(name)
                created["aliases"] += 1
        sources = {}
        for s in data.get("source", []):
            if s.get("article"):
                page = find_article(s["article"]) if find_article else None
                if page is None:
                    raise RegistryFileError(f"source {s['key']!r}: no article with slug {s['article']!r}")
                source, made = Source.objects.get_or_create(kind="article", article=page, defaults={"title": page.title})
            else:
                date = s.get("date") if isinstance(s.get("date"), dt.date) else None
                source, made = Source.objects.get_or_create(
                    kind="document", title=s.get("title", ""), publisher=s.get("publisher", ""),
                    defaults={"url": s.get("url", ""), "date": date, "year": s.get("year") or (date.year if date else None),
                              "confidential": bool(s.get("confidential")), "note": s.get("note", "")},
                )
            created["sources"] += made
            sources[s["key"]] = source
        for f in data.get("figure", []):
            qualifier = f.get("qualifier", "exact")
            low = Decimal(str(f["low"])) if f.get("low") is not None else None
            high = Decimal(str(f["high"])) if f.get("high") is not None else (low if qualifier == "exact" else None)
            figure = Figure.objects.filter(
                counts=f["counts"], period=str(f.get("period", "")), qualifier=qualifier, low=low, high=high,
            ).first()
            if figure is None:
                figure = Figure.objects.create(
                    counts=f["counts"], period=str(f.get("period", "")), qualifier=qualifier, low=low, high=high,
                    quote=f.get("quote", ""), note=f.get("note", ""),
                )
                created["figures"] += 1
            figure.about.add(*[entities[slug] for slug in f.get("about", [])])
            figure.save()  # a parental many-to-many is written when its figure is saved
            for order, key in enumerate(f["sources"]):
                FigureSource.objects.get_or_create(figure=figure, source=sources[key], defaults={"sort_order": order})
    return created
