"""Stored relatedness: each published article's features (its weighted terms, entities, tags,
section and date), the fitted vocabulary of each language, the computed Related lists with the
reasons of each item, and the editors' pins and exclusions.

Lists are computed when articles are published or unpublished (see `engine.py`), never when a
page is rendered.
"""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import PageChooserPanel
from wagtail.models import Orderable


class Vocabulary(models.Model):
    """The terms and inverse document frequencies fitted on one language's published articles by
    the last full rebuild, and that rebuild's scoring index; new articles are described with the
    vocabulary until the next rebuild (words it does not know are left out)."""

    locale = models.OneToOneField("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    terms = models.JSONField(default=list, help_text="Terms in column order.")
    idf = models.BinaryField(help_text="float32 inverse document frequency of each term.")
    documents = models.PositiveIntegerField(default=0, help_text="Articles the vocabulary was fitted on.")
    snapshot = models.BinaryField(
        null=True, help_text="The scoring index of the language's published articles at the last full rebuild "
        "(numpy arrays), read in one row; publishes since then add their own features rows."
    )
    fitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "vocabularies"

    def __str__(self):
        return f"{self.locale}: {len(self.terms)} terms from {self.documents} articles"


class NewTerm(models.Model):
    """A word first seen in an article published after the last full rebuild: it gets the next
    column of its language's vocabulary (as rare as a word of one article) until the next rebuild
    refits the vocabulary, so a publish appends a few rows instead of rewriting the vocabulary."""

    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    column = models.PositiveIntegerField()
    term = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["locale", "column"], name="related_new_term_column")]

    def __str__(self):
        return f"{self.term} ({self.locale}, column {self.column})"


class ArticleFeatures(models.Model):
    """What the scoring knows about one published, public article (deleted when it is unpublished)."""

    page = models.OneToOneField("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_features",
                                primary_key=True)
    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    section_id = models.PositiveBigIntegerField(null=True)
    day = models.FloatField(help_text="Days since 1970-01-01 of the date readers see.")
    term_ids = models.BinaryField(help_text="int32 columns of the vocabulary.")
    term_weights = models.BinaryField(help_text="float32 weights (the vector is L2-normalised).")
    entities = models.JSONField(default=list, help_text="Facts desk entity ids mentioned.")
    tags = models.JSONField(default=list, help_text="Tag ids.")
    threshold = models.FloatField(
        default=-1.0, help_text="The score another article must beat to enter this article's list (-1: it has room)."
    )
    in_snapshot = models.BooleanField(
        default=False, help_text="These features are in the language's stored index (written by the last full "
        "rebuild, not by a publish since)."
    )

    class Meta:
        # A publish reads the page, threshold and flag of every row of its language: from this
        # index alone (the rows themselves are wide).
        indexes = [models.Index(fields=["locale", "page", "threshold", "in_snapshot"], name="related_features_lists")]
        verbose_name_plural = "article features"

    def __str__(self):
        return f"features of page {self.page_id}"


class RelatedItem(models.Model):
    """One entry of an article's stored Related list, with its score and why it is there."""

    article = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_items")
    target = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    pinned = models.BooleanField(default=False)
    parts = models.JSONField(default=dict, help_text="Score parts: text, entities, tags, section, recency.")
    reasons = models.JSONField(default=dict, help_text="Shared entities, terms and tags, as text.")

    class Meta:
        ordering = ["article", "rank"]
        constraints = [models.UniqueConstraint(fields=["article", "target"], name="related_item_once")]
        indexes = [models.Index(fields=["target"])]

    def __str__(self):
        return f"{self.article_id} → {self.target_id} ({self.score:.3f})"


class RelatedPin(Orderable):
    """An article an editor put first in another article's Related list."""

    article = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_pins")
    page = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+",
                             verbose_name="article")

    panels = [PageChooserPanel("page", "newsroom.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = "pinned related article"


class RelatedExclusion(Orderable):
    """An article an editor never wants in another article's Related list."""

    article = ParentalKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="related_exclusions")
    page = models.ForeignKey("newsroom.ArticlePage", on_delete=models.CASCADE, related_name="+",
                             verbose_name="article")

    panels = [PageChooserPanel("page", "newsroom.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = "excluded related article"
