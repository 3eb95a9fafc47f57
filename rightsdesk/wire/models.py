"""The wire monitor's models: the agency feeds it polls and every item it has seen in them.

An item is stored once per (feed, guid), whether it became a brief, was grouped with an earlier
item as the same story from another agency, or was skipped: that is how "seen before" is known.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel


class WireFeed(models.Model):
    """An agency's RSS or Atom feed, polled by `rightsdesk monitor`. Each new item becomes a wire
    brief credited "Agency: title" in the chosen section, published or kept as a draft."""

    url = models.URLField("feed URL", max_length=1000, unique=True,
                          help_text="The address of the agency's RSS or Atom feed.")
    agency = models.CharField(max_length=100, help_text="Credited on every brief, e.g. Reuters or AFP.")
    section = models.ForeignKey(
        "newsroom.SectionPage", null=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Where the briefs go, usually Wire (its language is the briefs' language).",
    )
    publish_new_items = models.BooleanField(
        default=False,
        help_text="Publish new briefs at once. Off: they wait as drafts for an editor to publish.",
    )
    active = models.BooleanField(default=True, help_text="Off: the monitor leaves this feed alone.")

    # Kept by the monitor, shown read-only.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    error_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Failed checks in a row; back to 0 after a good one.")

    panels = [
        FieldPanel("url"),
        FieldRowPanel([FieldPanel("agency"), FieldPanel("section")]),
        FieldRowPanel([FieldPanel("publish_new_items"), FieldPanel("active")]),
        MultiFieldPanel(
            [
                FieldPanel("last_checked_at", read_only=True),
                FieldPanel("last_success_at", read_only=True),
                FieldPanel("last_error", read_only=True),
                FieldPanel("error_count", read_only=True),
            ],
            heading="Status",
        ),
    ]

    class Meta:
        ordering = ["agency", "url"]
        verbose_name = "wire feed"

    def __str__(self):
        return f"{self.agency} ({self.url})"

    @property
    def status(self):
        """One word for the listing: never checked, OK, or failing."""
        if self.last_checked_at is None:
            return "not checked yet"
        return f"failing: {self.last_error}" if self.last_error else "OK"

    def item_count(self):
        return self.items.count()

    def brief_count(self):
        return self.items.filter(brief__isnull=False).count()

    def duplicate_count(self):
        return self.items.filter(duplicate_of__isnull=False).count()


class WireItem(models.Model):
    """One item of a feed as the monitor saw it: its brief, or the earlier item of the same story
    (from another agency) it was grouped with. Written by the monitor only."""

    feed = models.ForeignKey(WireFeed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000, help_text="The entry's id in the feed, or its link.")
    link = models.URLField(max_length=1000, db_index=True)
    title = models.CharField(max_length=255)
    published = models.DateTimeField(help_text="The entry's own date, or when it was first seen.")
    summary = models.TextField(blank=True, help_text="The excerpt used for the brief (plain text).")
    signature = models.BinaryField(
        editable=False, help_text="MinHash of the title and summary (32-bit hash values), for grouping.")
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)
    brief = models.ForeignKey(
        "newsroom.BriefPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates",
        help_text="The first item of the same story, when this one was grouped with it.",
    )

    panels = [
        FieldPanel("title", read_only=True),
        FieldPanel("link", read_only=True),
        FieldPanel("published", read_only=True),
        FieldPanel("summary", read_only=True),
        FieldPanel("brief", read_only=True),
        FieldPanel("duplicate_of", read_only=True),
    ]

    class Meta:
        ordering = ["-seen_at", "-pk"]
        verbose_name = "wire item"
        constraints = [models.UniqueConstraint(fields=["feed", "guid"], name="wire_item_once_per_feed")]

    def __str__(self):
        return f"{self.feed.agency}: {self.title}"

    @property
    def group(self):
        """What the listing shows: the item this one was grouped with, or the state of its brief."""
        if self.duplicate_of_id:
            return f"same story as {self.duplicate_of}"
        if self.brief_id is None:
            return "brief deleted"
        return "published brief" if self.brief.live else "draft brief"
