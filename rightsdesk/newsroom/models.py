"""Page models of the newsroom: Home, Section, Article and Brief, with authors, images and settings.

The public selections (Latest news, Must read, Related, listings, feeds) live in `selectors.py`
and are used by the pages, the feeds and the sitemap alike.
"""

from html import unescape
from urllib.parse import quote_plus

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from wagtail.admin.panels import ObjectList, TabbedInterface
from wagtail.utils.decorators import cached_classmethod

from . import bidi, extensions, paging, selectors
from .blocks import ArticleBodyBlock
from .feeds import feed_response
from .forms import ArticlePageForm
from .routes import FragmentRoutesMixin
from .ui import translate


def paginate(request, queryset, per_page=None):
    """One page of `queryset` for ?page=N; out-of-range or junk page numbers give a 404."""
    per_page = per_page or settings.RIGHTSDESK_PAGE_SIZE
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page", "1")
    if hasattr(queryset, "expect_page"):  # search results: the count and the page read together
        queryset.expect_page(number, per_page)
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage):
        raise Http404("No such page of results") from None


def listing_of_articles(queryset, number=None, key=None):
    """A page of a listing of articles (see paging.py), each with its section attached in one go
    (for the teasers)."""
    return paging.listing_page(queryset, number, key=key, prepare=selectors.attach_sections)


def _rows(instance, relation, related_field):
    """The rows of a one-to-many `relation` with their `related_field` loaded: the rows a listing
    prefetched when it did, otherwise one query joining the related table."""
    rows = getattr(instance, relation).all()
    if relation not in getattr(instance, "_prefetched_objects_cache", {}):
        rows = rows.select_related(related_field)
    return rows


class PublicState(models.Model):
    """One row: the version of what readers can see, bumped on every publish (see signals.py)."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "public state"


class NewsImage(AbstractImage):
    """An image of the media library, with the credit that must follow it wherever it is shown."""

    credit = models.CharField(
        max_length=255, blank=True, help_text="Photographer or illustrator, and licence, e.g. 'Photo: Name / CC BY 4.0'."
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)


class NewsRendition(AbstractRendition):
    """A resized copy of a NewsImage."""

    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_snippet
class Author(index.Indexed, models.Model):
    """A person credited in bylines. Shown on articles and on the author's page."""

    name = models.CharField(max_length=255)
    name_fa = models.CharField("name in Persian", max_length=255, blank=True)
    slug = models.SlugField(max_length=255, unique=True, help_text="Used in the author's page address.")
    role = models.CharField(max_length=255, blank=True)
    bio = models.TextField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_fa"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_fa"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:255] or "author"
        super().save(*args, **kwargs)

    def display_name(self, language="en"):
        return self.name_fa if language == "fa" and self.name_fa else self.name


@register_setting(icon="site")
class SiteIdentity(BaseSiteSetting):
    """Who publishes the site: shown in the header, the footer, feeds and JSON-LD."""

    organisation_name = models.CharField(max_length=255, default="rightsdesk")
    organisation_name_fa = models.CharField(max_length=255, blank=True)
    tagline = models.CharField(max_length=255, blank=True)
    tagline_fa = models.CharField(max_length=255, blank=True)
    notice = models.TextField(
        blank=True,
        help_text="A notice shown on every public page, e.g. that the content is sample content.",
    )
    notice_fa = models.TextField(blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("organisation_name"), FieldPanel("organisation_name_fa")], heading="Organisation"),
        MultiFieldPanel([FieldPanel("tagline"), FieldPanel("tagline_fa")], heading="Tagline"),
        MultiFieldPanel([FieldPanel("notice"), FieldPanel("notice_fa")], heading="Site-wide notice"),
    ]

    class Meta:
        verbose_name = "site identity"

    def for_language(self, language):
        fa = language == "fa"
        return {
            "name": (self.organisation_name_fa if fa and self.organisation_name_fa else self.organisation_name),
            "tagline": (self.tagline_fa if fa and self.tagline_fa else self.tagline),
            "notice": (self.notice_fa if fa and self.notice_fa else self.notice),
        }


class FeedRoutesMixin:
    """RSS 2.0 and Atom feeds at feed/rss/ and feed/atom/ below the page."""

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        return feed_response(request, self, "rss")

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        return feed_response(request, self, "atom")

    def feed_items(self):
        raise NotImplementedError


class MustReadItem(Orderable):
    """One editor's pick in the home page's Must read list."""

    home = ParentalKey("newsroom.HomePage", on_delete=models.CASCADE, related_name="must_read_items")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("page", ["newsroom.ArticlePage", "newsroom.BriefPage"])]

    class Meta(Orderable.Meta):
        verbose_name = "must-read item"


class PublicPageMixin:
    """Wagtail asks the database for a page's view restrictions (its own and its ancestors') on
    every request for it; the paths of the restricted pages are kept until they or the content
    change (selectors.restricted_paths), and a page below none of them has none."""

    def full_clean(self, *args, **kwargs):
        # Before Wagtail's checks (and the slug made from the title): no direction controls.
        bidi.clean_page_titles(self)
        return super().full_clean(*args, **kwargs)

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if self.path and not any(self.path.startswith(path) for path in selectors.restricted_paths()):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(PublicPageMixin, FragmentRoutesMixin, FeedRoutesMixin, RoutablePageMixin, Page):
    """The front page of one language: Latest news and Must read, and the site-wide routes
    (archive, tags, authors, search, feeds) of that language, with those the other apps add
    (extensions.HOME_ROUTES: entity pages, "How Recommended works"...)."""

    intro = models.TextField(blank=True, help_text="A sentence under the site name on the front page.")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "must_read_items",
            heading="Must read",
            label="Item",
            help_text="Editor's picks, in order. When empty, the newest wire briefs are shown.",
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["newsroom.SectionPage"]

    class Meta:
        verbose_name = "home page"

    def feed_items(self):
        return selectors.published_articles(self.locale_id)

    @property
    def localized(self):
        """This front page in the active language (see selectors.localized_home): the site's root
        page, localized by Wagtail before it routes each request."""
        return selectors.localized_home(self, get_language()) or super().localized

    @classmethod
    def get_subpage_urls(cls):
        """The newsroom's own routes first (they win on a clash), then the apps' (see extensions.py)."""
        return tuple(super().get_subpage_urls()) + tuple(extensions.home_routes())

    @path("archive/", name="archive")
    @path("archive/page/<int:number>/", name="archive_page")
    def archive(self, request, number=None):
        listing = listing_of_articles(lambda: selectors.published_articles(self.locale_id), number, key=f"archive:{self.pk}")
        return self.render(
            request,
            context_overrides={"listing": listing, "listing_title": "archive", "listing_route": ("archive", ())},
            template="newsroom/listing_page.html",
        )

    @path("tags/<str:tag>/", name="tag")
    @path("tags/<str:tag>/page/<int:number>/", name="tag_page")
    def tag(self, request, tag, number=None):
        tag_obj = selectors.named(Tag, slug=tag)
        if tag_obj is None:
            raise Http404("No such tag")
        listing = listing_of_articles(
            lambda: selectors.published_articles(self.locale_id).filter(tags=tag_obj), number,
            key=f"tag:{self.pk}:{tag_obj.pk}",
        )
        if not listing.count:
            raise Http404("No published article has this tag in this language")
        return self.render(
            request,
            context_overrides={
                "listing": listing,
                "listing_title": "tag",
                "tag": tag_obj,
                "listing_route": ("tag", (tag_obj.slug,)),
            },
            template="newsroom/listing_page.html",
        )

    @path("authors/<slug:slug>/", name="author")
    @path("authors/<slug:slug>/page/<int:number>/", name="author_page")
    def author(self, request, slug, number=None):
        author = selectors.named(Author, slug=slug)
        if author is None:
            raise Http404("No such author")
        return self.render(
            request,
            context_overrides={
                "listing": listing_of_articles(
                    lambda: selectors.published_articles(self.locale_id).filter(article_authors__author=author),
                    number, key=f"author:{self.pk}:{author.pk}",
                ),
                "listing_title": "author",
                "author": author,
                "author_name": author.display_name(selectors.language_of(self)),
                "listing_route": ("author", (author.slug,)),
            },
            template="newsroom/listing_page.html",
        )

    @path("search/", name="search")
    def search(self, request):
        if request.META.get("rightsdesk.bake"):
            # The baked mirror searches in the reader's browser (Pagefind; see mirror/bake.py).
            return self.render(request, template="mirror/search_page.html")
        query = request.GET.get("q", "").strip()[:200]
        results = None
        if query:
            results = paginate(request, selectors.search(query, self.locale_id))
        title = translate("Search", selectors.language_of(self)) + (f": {query}" if query else "")
        context = {"search_query": query, "search_query_encoded": quote_plus(query), "search_results": results,
                   "search_title": title}
        if not request.user.is_authenticated:  # an editor gets the page as any other (their userbar in it)
            response = self._reader_search_response(request, context)
            if response is not None:
                return response
        return self.render(request, context_overrides=context, template="newsroom/search_page.html")

    _FRAME_TITLE, _FRAME_CONTENT = "\ue010", "\ue011"

    def _reader_search_response(self, request, context):
        """The search page for a reader: every query renders a new page (the site cache seldom
        has it), but all that differs from one query to the next is the title and the results.
        The rest (head, header, sidebars, footer: bench/RESULTS.md, "Design measurements") is rendered once
        per publish, host and language, with markers where the two go, and kept; the marked
        frame is split at the markers, so nothing typed in a query is ever taken for one. None
        when the frame cannot be kept (see below): the page is then rendered whole."""
        from django.http import HttpResponse
        from django.template.loader import render_to_string
        from django.utils.html import escape

        from .cache import versioned

        def frame():
            marked = render_to_string(
                "newsroom/search_page.html",
                {**self.get_context(request),
                 "search_frame": {"title": self._FRAME_TITLE, "content": self._FRAME_CONTENT}},
                request=request,
            )
            head, _, rest = marked.partition(self._FRAME_TITLE)
            middle, _, tail = rest.partition(self._FRAME_CONTENT)
            unmarked = head + middle + tail
            if self._FRAME_TITLE in unmarked or self._FRAME_CONTENT in unmarked or not tail:
                return False  # a marker in the frame's own text (a site name?): render whole pages
            return head, middle, tail

        kept = versioned(f"search-frame:{request.scheme}:{request.get_host()}:{request.path}:{self.pk}", frame)
        if not kept:
            return None
        head, middle, tail = kept
        # Rendered without the context processors (the frame's concern): only what it uses.
        content = render_to_string(
            "newsroom/includes/search_content.html",
            {**context, "lang": selectors.language_of(self), "request": request},
        )
        return HttpResponse(head + escape(context["search_title"]) + middle + content + tail)


class SectionPage(PublicPageMixin, FeedRoutesMixin, RoutablePageMixin, Page):
    """A section (News, Reports, Statements, …): lists its articles and briefs, newest first."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage", "newsroom.BriefPage"]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = "section"

    def feed_items(self):
        return selectors.section_items(self)

    @path("", name="listing")
    @path("page/<int:number>/", name="listing_page")
    def listing(self, request, number=None):
        def prepare(items):
            for item in items:
                item.__dict__["section"] = self
            return items

        listing = paging.listing_page(
            lambda: selectors.section_items(self), number, key=f"section:{self.pk}", date_field="shown_date", prepare=prepare
        )
        return self.render(request, context_overrides={"listing": listing, "listing_route": ("listing", ())})


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticleAuthor(Orderable):
    """An author in an article's byline, in byline order."""

    article = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("author")]


class ArticlePage(PublicPageMixin, Page):
    """A report, news story, statement or analysis, with its byline, dates, lead image and body."""

    dek = models.TextField("summary", blank=True, help_text="One or two sentences shown under the title.")
    first_published = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The publication date readers see. Leave empty to use the moment the article is first "
        "published; set it to back-date an article moved from another site.",
    )
    updated = models.DateTimeField(
        "last updated", null=True, blank=True, help_text="Set when the article was substantially corrected or updated."
    )
    lead_image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(max_length=500, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("dek"),
        InlinePanel("article_authors", heading="Byline", label="Author", min_num=0),
        MultiFieldPanel([FieldPanel("first_published"), FieldPanel("updated")], heading="Dates"),
        MultiFieldPanel([FieldPanel("lead_image"), FieldPanel("lead_image_caption")], heading="Lead image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("dek"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("first_published"),
    ]

    parent_page_types = ["newsroom.SectionPage"]
    subpage_types = []
    # Publication is refused when a check of an app refuses it (extensions.PUBLISH_CHECKS).
    base_form_class = ArticlePageForm

    class Meta:
        verbose_name = "article"

    @cached_classmethod
    def get_edit_handler(cls):
        """The editor, as Wagtail makes it, with the apps' panels (extensions.ARTICLE_PANELS) in
        the Content tab: at the top (after the title) and at the end."""
        placed = extensions.article_panels()
        title_panels = Page.content_panels
        content = [*title_panels, *placed["top"], *cls.content_panels[len(title_panels):], *placed["end"]]
        tabs = [ObjectList(content, heading=gettext_lazy("Content"))]
        if cls.promote_panels:
            tabs.append(ObjectList(cls.promote_panels, heading=gettext_lazy("Promote")))
        if cls.settings_panels:
            tabs.append(ObjectList(cls.settings_panels, heading=gettext_lazy("Settings")))
        return TabbedInterface(tabs, base_form_class=cls.base_form_class).bind_to_model(cls)

    @cached_property
    def section(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    @cached_property
    def authors(self):
        """The byline, in order."""
        return [item.author for item in _rows(self, "article_authors", "author")]

    def save(self, *args, **kwargs):
        # A published article always has the date readers see: the editor's, or Wagtail's own
        # first publication time (kept across later publishes), or now.
        if self.live and self.first_published is None:
            self.first_published = self.first_published_at or timezone.now()
        super().save(*args, **kwargs)

    @cached_property
    def tag_list(self):
        """The article's tags, fetched once per request however often templates ask."""
        return [item.tag for item in _rows(self, "tagged_items", "tag")]

    def iter_paragraphs(self, headings=False):
        """The plain text of the body's paragraphs and quotes (and headings, when asked), in
        order (from the stored JSON, without building block objects)."""
        for block in self.body.raw_data:
            if block["type"] == "paragraph":
                text = " ".join(strip_tags(block["value"]).split())
                if text:
                    yield unescape(text)
            elif block["type"] == "quote":
                yield block["value"].get("text", "")
            elif headings and block["type"] == "heading":
                yield block["value"]

    def plain_text(self):
        return "\n\n".join(self.iter_paragraphs())

    def excerpt(self, words=None):
        words = words or settings.RIGHTSDESK_EXCERPT_WORDS
        collected, count = [], 0
        for text in self.iter_paragraphs():
            collected.append(text)
            count += len(text.split())
            if count > words:
                break
        return selectors.excerpt(" ".join(collected) or self.dek, words)



class BriefPage(PublicPageMixin, Page):
    """A wire item from a news agency, shown as "Agency: title" and linking to the original."""

    agency = models.CharField(max_length=100, help_text="The agency credited, e.g. Reuters or AFP.")
    original_url = models.URLField("original URL", max_length=1000, blank=True)
    text = models.TextField(help_text="A short excerpt or summary, a few sentences.")
    date = models.DateTimeField(default=timezone.now)

    content_panels = Page.content_panels + [
        FieldPanel("agency"),
        FieldPanel("original_url"),
        FieldPanel("text"),
        FieldPanel("date"),
    ]

    search_fields = Page.search_fields + [index.SearchField("text"), index.SearchField("agency")]

    parent_page_types = ["newsroom.SectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = "wire brief"

    @property
    def credited_title(self):
        return f"{self.agency}: {self.title}"

    @property
    def first_published(self):
        return self.date

    def excerpt(self, words=None):
        return selectors.excerpt(self.text, words)
