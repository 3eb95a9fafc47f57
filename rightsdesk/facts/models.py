"""The facts desk's registry: entities under all their names, figures with their sources, the
mentions found in articles, and the queue of names waiting for an editor's decision."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import slugify
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable
from wagtail.search import index

from . import names
from .numbers import format_number


class EntityKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    PLACE = "place", "Place"
    EVENT = "event", "Event"


class AliasKind(models.TextChoices):
    OFFICIAL = "official", "Official name"
    TRANSLITERATION = "transliteration", "Transliteration"
    ACRONYM = "acronym", "Acronym"
    FORMER = "former", "Former name"
    HONORIFIC = "honorific", "Honorific form"
    TRANSLATION = "translation", "Name in another language"
    SHORT = "short", "Short form"


class Script(models.TextChoices):
    LATIN = names.LATIN, "Latin"
    PERSIAN = names.PERSIAN, "Persian/Arabic"
    OTHER = names.OTHER, "Other"


class Entity(index.Indexed, ClusterableModel):
    """A person, organisation, place or event, with its canonical name and every other name it
    goes by. Public: its page lists its names, the articles that mention it and its figures."""

    kind = models.CharField(max_length=16, choices=EntityKind.choices)
    name = models.CharField("canonical name", max_length=255, unique=True)
    name_fa = models.CharField("name in Persian", max_length=255, blank=True)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=False, blank=True,
                            help_text="The address of the public entity page; made from the name when empty.")
    description = models.TextField(blank=True, help_text="One or two sentences, shown on the public page.")
    description_fa = models.TextField("description in Persian", blank=True)
    wikidata = models.CharField(
        "Wikidata ID", max_length=20, blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID looks like Q794.")],
    )
    public = models.BooleanField(
        "public page", default=False,
        help_text="Give the entity a public page even when no published article mentions it. "
                  "Without this, the page exists only while a published article names the entity.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
                FieldRowPanel([FieldPanel("name_fa"), FieldPanel("slug")]),
                FieldPanel("description"),
                FieldPanel("description_fa"),
                FieldPanel("wikidata"),
                FieldPanel("public"),
            ],
            heading="Entity",
        ),
        InlinePanel("aliases", heading="Other names", label="Name",
                    help_text="Every other way the entity is written: spellings, acronyms, titles, Persian."),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_fa"),
        index.SearchField("description"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.RelatedFields("aliases", [index.SearchField("name")]),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "entities"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(names.normalize_name(self.name) or self.name)[:100] or "entity"
            slug, n = base, 2
            while Entity.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def display_name(self, language="en"):
        return self.name_fa if language == "fa" and self.name_fa else self.name

    def display_description(self, language="en"):
        return self.description_fa if language == "fa" and self.description_fa else self.description

    def all_names(self):
        return [self.name] + ([self.name_fa] if self.name_fa else []) + [a.name for a in self.aliases.all()]


class Alias(Orderable):
    """Another name of an entity, as written."""

    entity = ParentalKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=20, choices=AliasKind.choices, default=AliasKind.TRANSLITERATION)
    script = models.CharField(max_length=10, choices=Script.choices, editable=False, default=names.LATIN)
    normalized = models.CharField(max_length=255, editable=False, db_index=True)

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("kind")])]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="facts_alias_unique_name")]
        verbose_name_plural = "aliases"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.script = names.script_of(self.name)
        self.normalized = names.normalize_name(self.name)[:255]
        super().save(*args, **kwargs)


class SourceKind(models.TextChoices):
    ARTICLE = "article", "Article of this site"
    DOCUMENT = "document", "External document"
    CAPTURE = "capture", "Captured page (evidence desk)"


class Source(index.Indexed, models.Model):
    """Where a figure comes from: an article of this site or an external document. A
    confidential source (a protected witness) is named only inside the admin."""

    kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.DOCUMENT)
    article = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="For an article of this site. If the article is deleted, the source keeps its title.",
    )
    capture = models.ForeignKey(
        "evidence.Capture", null=True, blank=True, on_delete=models.PROTECT, related_name="sources",
        help_text="For a page captured as evidence: the stored original backs the figures.",
    )
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=255, blank=True)
    url = models.URLField("URL", max_length=1000, blank=True)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="When only the year is known.")
    confidential = models.BooleanField(
        default=False,
        help_text="Never name it publicly: public pages say only that the organisation holds a confidential source.",
    )
    note = models.TextField("internal note", blank=True, help_text="For editors only; never published.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("kind"),
        PageChooserPanel("article", "newsroom.ArticlePage"),
        FieldPanel("capture"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("date"), FieldPanel("year")]),
        FieldPanel("url"),
        FieldPanel("confidential"),
        FieldPanel("note"),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("publisher"),
        index.SearchField("url"),
        index.AutocompleteField("title"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["-date", "title"]

    def __str__(self):
        return self.label()

    def clean(self):
        if self.kind == SourceKind.ARTICLE and not self.article_id:
            raise ValidationError({"article": "Choose the article this source is."})
        if self.kind == SourceKind.ARTICLE and not self.title:
            self.title = self.article.title
        if self.kind == SourceKind.CAPTURE:
            if not self.capture_id:
                raise ValidationError({"capture": "Choose the capture this source is."})
            self.title = self.title or self.capture.title
            self.url = self.url or self.capture.url
        if self.kind == SourceKind.DOCUMENT and not (self.title or self.url):
            raise ValidationError({"title": "Give the document's title or its URL."})

    @property
    def when(self):
        return self.date.year if self.date else self.year

    def label(self, public=False):
        """'Amnesty International, Blood-soaked secrets (2018)'; for the public a confidential
        source is only 'a confidential source'."""
        if public and self.confidential:
            return "A confidential source held by the organisation"
        if self.kind == SourceKind.ARTICLE:
            if self.article_id:
                return f"{self.article.title} (this site)"
            return f"{self.title or 'An article'} (this site, since deleted)"
        parts = [p for p in (self.publisher, self.title) if p]
        text = ", ".join(parts) or self.url
        return f"{text} ({self.when})" if self.when else text


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    OVER = "over", "over / more than"
    AT_LEAST = "at least", "at least"
    ABOUT = "about", "about"
    UP_TO = "up to", "up to"
    FEWER_THAN = "fewer than", "fewer than"
    RANGE = "range", "range"
    VAGUE = "vague", "vague (e.g. thousands)"


class Figure(index.Indexed, ClusterableModel):
    """A number as a source states it: what it counts, about which entities, for which period,
    and the sources that state it."""

    counts = models.CharField(max_length=255, help_text="What it counts, e.g. “political prisoners executed”.")
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    low = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True,
                              help_text="The number, or the lower end of a range.")
    high = models.DecimalField(max_digits=18, decimal_places=3, null=True, blank=True,
                               help_text="The upper end of a range (the same as low for an exact number).")
    about = ParentalManyToManyField(Entity, related_name="figures", blank=True)
    period = models.CharField(max_length=40, blank=True, help_text="The year or years it refers to, e.g. 1988 or 2023–2024.")
    quote = models.TextField(blank=True, help_text="How the source states it.")
    note = models.TextField("internal note", blank=True, help_text="For editors only; never published.")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("counts"),
        FieldRowPanel([FieldPanel("qualifier"), FieldPanel("low"), FieldPanel("high")]),
        FieldPanel("about"),
        FieldPanel("period"),
        FieldPanel("quote"),
        InlinePanel("figure_sources", heading="Sources", label="Source", min_num=1),
        FieldPanel("note"),
    ]

    search_fields = [
        index.SearchField("counts"),
        index.SearchField("quote"),
        index.AutocompleteField("counts"),
        index.FilterField("qualifier"),
    ]

    class Meta:
        ordering = ["counts", "period", "low"]

    def __str__(self):
        return f"{self.display_value()} {self.counts}" + (f" ({self.period})" if self.period else "")

    def clean(self):
        if self.low is None and self.high is None and self.qualifier != Qualifier.VAGUE:
            raise ValidationError({"low": "Give the number (or the ends of the range)."})
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError({"high": "The upper end must not be below the lower end."})
        if self.qualifier == Qualifier.EXACT and self.high is None:
            self.high = self.low

    def display_value(self):
        low, high = self.low, self.high
        if self.qualifier == Qualifier.RANGE and low is not None and high is not None:
            return f"{format_number(low)}–{format_number(high)}"
        if self.qualifier in (Qualifier.UP_TO, Qualifier.FEWER_THAN):
            return f"{self.get_qualifier_display().split(' /')[0]} {format_number(high if high is not None else low)}"
        if low is None:
            return "—"  # a source that gives no number ("thousands"): its words are in the quote
        if self.qualifier == Qualifier.EXACT:
            return format_number(low)
        return f"{self.get_qualifier_display().split(' /')[0]} {format_number(low)}"

    def bounds(self):
        """(low, high) as floats the lint understands (None = unbounded)."""
        low = float(self.low) if self.low is not None else None
        high = float(self.high) if self.high is not None else None
        if self.qualifier in (Qualifier.UP_TO, Qualifier.FEWER_THAN):
            return (0.0, high if high is not None else low)
        if self.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST):
            return (low, None)
        if self.qualifier == Qualifier.EXACT:
            return (low, low if high is None else high)
        return (low, high)


class FigureSource(Orderable):
    figure = ParentalKey(Figure, on_delete=models.CASCADE, related_name="figure_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figure_links")
    location = models.CharField(max_length=255, blank=True, help_text="Page, paragraph or time code.")

    panels = [FieldPanel("source"), FieldPanel("location")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["figure", "source"], name="facts_figure_source_once")]


class Mention(models.Model):
    """A registered name found in an article when it was saved: where, and which entity."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="facts_mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    alias = models.ForeignKey(Alias, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=255)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["page", "start"]
        indexes = [models.Index(fields=["entity", "page"])]

    def __str__(self):
        return f"{self.text} → {self.entity}"


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Waiting for review"
    ACCEPTED = "accepted", "Added as a name of an entity"
    CREATED = "created", "Created as a new entity"
    REJECTED = "rejected", "Rejected"


class NameCandidate(models.Model):
    """A name found in articles that the registry does not know: an editor accepts it as another
    name of an entity, creates a new entity from it, or rejects it (and it is not offered again)."""

    name = models.CharField(max_length=255)
    normalized = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=16, choices=EntityKind.choices + [("unknown", "Unknown")], default="unknown")
    context = models.TextField(blank=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    near = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             help_text="The registered entity the text itself ties this name to, if any.")
    seen = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.OPEN, db_index=True)
    entity = models.ForeignKey(Entity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen", "name"]

    def __str__(self):
        return self.name


@register_setting(icon="warning")
class FactsSettings(BaseSiteSetting):
    """How the facts desk shows itself in articles and in the editor."""

    link_first_mentions = models.BooleanField(
        "link first mentions to entity pages", default=True, help_text="Link the first mention of each registered entity in an article to its entity page."
    )
    block_on_figure_conflict = models.BooleanField(
        "block publication on a figure conflict", default=False,
        help_text="Refuse to publish an article whose figures contradict each other (drafts can still be saved).",
    )

    panels = [FieldPanel("link_first_mentions"), FieldPanel("block_on_figure_conflict")]

    class Meta:
        verbose_name = "Facts desk"
