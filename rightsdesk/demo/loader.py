"""Load the original demo content (content/*.md, *.toml, images.py) into the site.

Idempotent: pages, authors and images are matched by slug/title and never created twice, so
`rightsdesk demo` can be run any number of times. Every page is saved with a Wagtail revision and
published through it, as an editor's would be.
"""

import datetime as dt
import html
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

CONTENT_DIR = Path(__file__).resolve().parent / "content"

SAMPLE_NOTICE_EN = (
    "Sample content: this is the rightsdesk demo site. Articles are written for the demo; authors are "
    "fictional; wire briefs are invented examples."
)
SAMPLE_NOTICE_FA = "محتوای نمونه: این سایت نمایشی rightsdesk است. مطالب برای نمایش نوشته شده‌اند و نویسندگان خیالی‌اند."


class DemoContentError(ValueError):
    """A demo content file is malformed; the message names the file and the problem."""


@dataclass
class ArticleSource:
    path: Path
    language: str
    meta: dict
    body: list = field(default_factory=list)

    @property
    def slug(self):
        return self.meta["slug"]


# --- parsing ------------------------------------------------------------------------------------

_INLINE_RE = re.compile(r"\*\*(?P<b>.+?)\*\*|\*(?P<i>[^*]+?)\*|\[(?P<lt>[^\]]+)\]\((?P<lu>https?://[^)\s]+)\)")
_IMAGE_RE = re.compile(r"^!\[(?P<caption>[^\]]*)\]\(image:(?P<key>[\w-]+)\)$")


def inline_to_richtext(text):
    """**bold**, *italic* and [links](https://...) to Wagtail rich-text HTML; everything else escaped."""
    out, pos = [], 0
    for match in _INLINE_RE.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        if match.group("b"):
            out.append(f"<b>{html.escape(match.group('b'), quote=False)}</b>")
        elif match.group("i"):
            out.append(f"<i>{html.escape(match.group('i'), quote=False)}</i>")
        else:
            out.append(f'<a href="{html.escape(match.group("lu"))}">{html.escape(match.group("lt"), quote=False)}</a>')
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def parse_body(text):
    """Body text to a list of (block_type, value) pairs; image values hold the image key."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in chunk.strip().splitlines()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("## "):
            blocks.append(("heading", first[3:].strip()))
            rest = " ".join(lines[1:]).strip()
            if rest:
                blocks.append(("paragraph", f"<p>{inline_to_richtext(rest)}</p>"))
        elif first.startswith(">"):
            quote_lines = [line.lstrip(">").strip() for line in lines]
            attribution = ""
            if quote_lines and quote_lines[-1].startswith(("--", "—")):
                attribution = quote_lines.pop().lstrip("-—").strip()
            blocks.append(("quote", {"text": " ".join(quote_lines), "attribution": attribution}))
        elif _IMAGE_RE.match(first):
            match = _IMAGE_RE.match(first)
            blocks.append(("image", {"key": match.group("key"), "caption": match.group("caption")}))
        else:
            blocks.append(("paragraph", f"<p>{inline_to_richtext(' '.join(lines))}</p>"))
    return blocks


REQUIRED = ("slug", "title", "section", "date")
SECTIONS = {"news", "reports", "statements", "analysis"}


def parse_article(path, language):
    raw = path.read_text(encoding="utf-8")
    parts = re.split(r"^\+\+\+\s*$", raw, maxsplit=2, flags=re.M)
    if len(parts) != 3 or parts[0].strip():
        raise DemoContentError(f"{path}: expected a TOML header between two '+++' lines at the top")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as exc:
        raise DemoContentError(f"{path}: header is not valid TOML ({exc})") from None
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise DemoContentError(f"{path}: header lacks {', '.join(missing)}")
    if meta["section"] not in SECTIONS:
        raise DemoContentError(f"{path}: section {meta['section']!r} is not one of {sorted(SECTIONS)}")
    return ArticleSource(path=path, language=language, meta=meta, body=parse_body(parts[2]))


def read_content(content_dir=CONTENT_DIR):
    articles = []
    for language in ("en", "fa"):
        for path in sorted((content_dir / language).glob("*.md")):
            articles.append(parse_article(path, language))
    authors = tomllib.loads((content_dir / "authors.toml").read_text(encoding="utf-8"))
    briefs = tomllib.loads((content_dir / "briefs.toml").read_text(encoding="utf-8")).get("brief", [])
    site_file = content_dir / "site.toml"
    site = tomllib.loads(site_file.read_text(encoding="utf-8")) if site_file.exists() else {}
    return articles, authors, briefs, site


def _aware(value, hour=9):
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, dt.timezone.utc)
    return dt.datetime(value.year, value.month, value.day, hour, 0, tzinfo=dt.timezone.utc)


# --- loading ------------------------------------------------------------------------------------


class Loader:
    def __init__(self, progress=None):
        self.progress = progress or (lambda message: None)
        self.created = 0
        self.existing = 0
        self.images = {}

    def image(self, key):
        from rightsdesk.newsroom.models import NewsImage

        from . import images

        if key in self.images:
            return self.images[key]
        spec = images.IMAGES.get(key)
        if spec is None:
            raise DemoContentError(f"image {key!r} is not defined in rightsdesk/demo/images.py")
        title = spec["title"]
        image = NewsImage.objects.filter(title=title).first()
        if image is None:
            from io import BytesIO

            image = NewsImage(title=title, description=spec.get("alt", ""), credit=spec.get("credit", ""))
            image.file = ImageFile(BytesIO(images.render(key)), name=f"demo-{key}.png")
            image.save()
        self.images[key] = image
        return image

    def authors(self, authors):
        from rightsdesk.newsroom.models import Author

        result = {}
        for slug, data in authors.items():
            author, _ = Author.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": data["name"],
                    "name_fa": data.get("name_fa", ""),
                    "role": data.get("role", ""),
                    "bio": data.get("bio", ""),
                },
            )
            result[slug] = author
        return result

    def _publish(self, parent, page):
        parent.add_child(instance=page)
        revision = page.save_revision()
        revision.publish()
        self.created += 1
        return page

    def article(self, source, homes, authors, originals):
        from rightsdesk.newsroom.models import ArticleAuthor, ArticlePage, SectionPage

        meta = source.meta
        home = homes[source.language]
        section = SectionPage.objects.child_of(home).get(slug=meta["section"])
        existing = ArticlePage.objects.child_of(section).filter(slug=meta["slug"]).first()
        if existing:
            self.existing += 1
            return existing
        body = []
        for block_type, value in source.body:
            if block_type == "image":
                body.append(("image", {"image": self.image(value["key"]), "caption": value["caption"], "credit": ""}))
            else:
                body.append((block_type, value))
        page = ArticlePage(
            title=meta["title"],
            slug=meta["slug"],
            dek=meta.get("dek", ""),
            first_published=_aware(meta["date"]),
            updated=_aware(meta["updated"], hour=12) if meta.get("updated") else None,
            locale=home.locale,
            body=body,
        )
        if meta.get("image"):
            spec_image = self.image(meta["image"])
            page.lead_image = spec_image
            page.lead_image_caption = meta.get("image_caption") or _image_caption(meta["image"], source.language)
        original_slug = meta.get("translation_of")
        if original_slug:
            original = originals.get(original_slug)
            if original is None:
                raise DemoContentError(f"{source.path}: translation_of {original_slug!r} names no English article")
            page.translation_key = original.translation_key
        for position, key in enumerate(meta.get("authors", [])):
            if key not in authors:
                raise DemoContentError(f"{source.path}: author {key!r} is not in authors.toml")
            page.article_authors.add(ArticleAuthor(author=authors[key], sort_order=position))
        page.tags.add(*meta.get("tags", []))
        self._publish(section, page)
        # Wagtail sets first_published_at at publish; keep the sample's own dates for the history.
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=page.first_published, last_published_at=page.updated or page.first_published
        )
        self.progress(f"  {source.language}: {meta['slug']}")
        return page

    def brief(self, data, homes):
        from rightsdesk.newsroom.models import BriefPage, SectionPage

        home = homes[data.get("lang", "en")]
        section = SectionPage.objects.child_of(home).get(slug="wire")
        existing = BriefPage.objects.child_of(section).filter(slug=data["slug"]).first()
        if existing:
            self.existing += 1
            return existing
        page = BriefPage(
            title=data["title"],
            slug=data["slug"],
            agency=data["agency"],
            original_url=data.get("url", ""),
            text=data["text"],
            date=_aware(data["date"], hour=8),
            locale=home.locale,
        )
        self._publish(section, page)
        return page


def _image_caption(key, language):
    from . import images

    spec = images.IMAGES[key]
    if language == "fa" and spec.get("caption_fa"):
        return spec["caption_fa"]
    return spec.get("caption", "")


def load_demo(progress=None, content_dir=CONTENT_DIR, base_url=None):
    """Load the demo content; return counts. Raises DemoContentError on malformed files before
    writing anything (everything is parsed first, then written in one transaction)."""
    from rightsdesk.newsroom import setup
    from rightsdesk.newsroom.models import ArticlePage, BriefPage, HomePage, MustReadItem, SiteIdentity

    from rightsdesk.facts import importer
    from rightsdesk.facts.linking import relink_all

    articles, authors_data, briefs, site_data = read_content(content_dir)
    registry_file = content_dir / "facts.toml"
    try:
        registry_data = importer.read(registry_file) if registry_file.exists() else {}
    except importer.RegistryFileError as exc:
        raise DemoContentError(str(exc)) from None
    loader = Loader(progress)
    with transaction.atomic():
        setup.ensure_site(site_name=site_data.get("site_name", "rightsdesk demo"), base_url=base_url)
        homes = {"en": setup.home_for("en"), "fa": setup.home_for("fa")}
        authors = loader.authors(authors_data)
        originals = {}
        for source in sorted(articles, key=lambda s: (s.language != "en", s.path.name)):
            page = loader.article(source, homes, authors, originals)
            if source.language == "en":
                originals[source.slug] = page
        brief_pages = {data["slug"]: loader.brief(data, homes) for data in briefs}

        from wagtail.models import Site

        site = Site.objects.get(is_default_site=True)
        identity = SiteIdentity.for_site(site)
        if not identity.notice:
            identity.organisation_name = site_data.get("organisation_name", "Rights Monitor (demo)")
            identity.organisation_name_fa = site_data.get("organisation_name_fa", "دیده‌بان حقوق (نمایشی)")
            identity.tagline = site_data.get("tagline", "Documenting executions and mass atrocities")
            identity.tagline_fa = site_data.get("tagline_fa", "مستندسازی اعدام‌ها و جنایات جمعی")
            identity.notice = SAMPLE_NOTICE_EN
            identity.notice_fa = SAMPLE_NOTICE_FA
            identity.save()

        for language in ("en", "fa"):
            home = HomePage.objects.get(pk=homes[language].pk)
            picks = site_data.get(f"must_read_{language}", site_data.get("must_read", []) if language == "en" else [])
            if home.must_read_items.exists() or not picks:
                continue
            for position, ref in enumerate(picks):
                kind, _, slug = ref.partition(":")
                if kind == "brief":
                    target = brief_pages.get(slug)
                else:
                    target = ArticlePage.objects.filter(locale=home.locale, slug=slug).first()
                if target is None:
                    raise DemoContentError(f"site.toml: must_read entry {ref!r} names nothing that was loaded")
                home.must_read_items.add(MustReadItem(page=target, sort_order=position))
            home.save_revision().publish()

        def find_article(slug):
            # English first: a Persian article may share its original's slug pattern.
            matches = ArticlePage.objects.filter(slug=slug)
            return matches.filter(locale=homes["en"].locale).first() or matches.first()

        try:
            registry_counts = importer.load(registry_data, find_article=find_article)
        except importer.RegistryFileError as exc:
            raise DemoContentError(f"{registry_file.name}: {exc}") from None

        # Cases desk: the invented sample records (demo/cases.py).
        from .cases import load_cases

        cases_counts = load_cases()

    # New articles were linked as they were committed (with the registry of the same transaction);
    # a registry that grew on its own needs the existing articles linked again.
    if not loader.created and (registry_counts["entities"] or registry_counts["aliases"]):
        loader.progress("Linking names in articles to the facts registry…")
        relink_all()

    # Related lists scored with the mentions just linked (a no-op's worth of work when nothing changed).
    from rightsdesk.related.engine import rebuild as rebuild_related

    loader.progress("Computing related articles…")
    rebuild_related()
    # The query planner's statistics, now that the tables are filled (see newsroom/dbstats.py).
    from rightsdesk.newsroom.dbstats import analyze

    analyze()

    return {
        "created": loader.created,
        "existing": loader.existing,
        "articles": ArticlePage.objects.count(),
        "briefs": BriefPage.objects.count(),
        "registry": registry_counts,
        "cases": cases_counts.imported,
    }
