"""What the evidence desk knows about its captures. The originals themselves (WARC files and
screenshots) live in the evidence store on disk (`store.py`), named by their SHA-256; these rows
describe them, hold the working copy of the extracted text, and are never the evidence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from wagtail.search import index


class CaptureMethod(models.TextChoices):
    FETCHED = "fetched", "Fetched by rightsdesk"
    SAVED = "saved", "Saved by hand, then stored"


class Capture(index.Indexed, models.Model):
    """One stored original: the page as served (in a WARC file) and its screenshot. The same
    bytes captured again are stored once; each capture is a `CaptureEvent`."""

    method = models.CharField(max_length=10, choices=CaptureMethod.choices, default=CaptureMethod.FETCHED)
    requested_url = models.URLField("requested URL", max_length=2000, blank=True)
    final_url = models.URLField("final URL", max_length=2000, blank=True,
                                help_text="Where the redirects ended: the address the content came from.")
    redirects = models.JSONField(default=list, blank=True, help_text="Each hop: URL, status, Location.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    http_headers = models.JSONField(default=list, blank=True, help_text="Response headers as [name, value] pairs.")
    content_type = models.CharField(max_length=255, blank=True)
    original_filename = models.CharField(max_length=255, blank=True, help_text="For a page saved by hand.")
    captured_at = models.DateTimeField(db_index=True)
    captured_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    captured_by_name = models.CharField(max_length=150, help_text="Kept if the user account is deleted.")
    software = models.CharField(max_length=100)
    note = models.TextField(blank=True)

    payload_sha256 = models.CharField("payload SHA-256", max_length=64, unique=True,
                                      help_text="Of the document's bytes as served (after transfer and content "
                                      "encodings are undone).")
    payload_size = models.BigIntegerField()
    warc_sha256 = models.CharField("WARC SHA-256", max_length=64)
    warc_name = models.CharField(max_length=200)
    warc_size = models.BigIntegerField()
    screenshot_sha256 = models.CharField("screenshot SHA-256", max_length=64, blank=True)
    screenshot_name = models.CharField(max_length=200, blank=True)
    screenshot_note = models.CharField(max_length=255, blank=True, help_text="Why there is no screenshot.")

    # Working copy: what the extraction read from the original. Never evidence.
    title = models.CharField(max_length=500, blank=True)
    author = models.CharField(max_length=255, blank=True)
    published = models.CharField("publication date", max_length=40, blank=True,
                                 help_text="As the page states it (ISO date when it could be read).")
    text = models.TextField("extracted text", blank=True)
    extraction = models.CharField(max_length=255, blank=True, help_text="How the text was extracted.")

    withdrawn = models.BooleanField(default=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_name = models.CharField(max_length=150, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    search_fields = [
        index.SearchField("title"),
        index.SearchField("requested_url"),
        index.SearchField("final_url"),
        index.SearchField("note"),
        index.FilterField("withdrawn"),
        index.FilterField("method"),
    ]

    class Meta:
        ordering = ["-captured_at"]
        permissions = [("withdraw_capture", "Can withdraw a capture")]

    def __str__(self):
        return f"#{self.pk} {self.title or self.url}"

    @property
    def url(self):
        return self.final_url or self.requested_url

    @property
    def short_hash(self):
        return self.payload_sha256[:12]

    def get_admin_url(self):
        return reverse("evidence:detail", args=[self.pk])

    def originals(self):
        """(kind, store name, SHA-256) of the files kept for this capture."""
        files = [("warc", self.warc_name, self.warc_sha256)]
        if self.screenshot_name:
            files.append(("screenshot", self.screenshot_name, self.screenshot_sha256))
        return files


class CaptureEvent(models.Model):
    """One act of capturing: the first one stored the original; a later one that got the same
    bytes is recorded here (and in the custody log) without storing them again."""

    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="events")
    captured_at = models.DateTimeField()
    captured_by_name = models.CharField(max_length=150)
    requested_url = models.URLField(max_length=2000, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    stored = models.BooleanField(help_text="Whether this event stored the original (the first capture of these bytes).")
    note = models.TextField(blank=True)
    custody_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["captured_at"]

    def __str__(self):
        return f"{self.capture_id} at {self.captured_at:%Y-%m-%d %H:%M:%S}"


class CaptureLink(models.Model):
    """A page made from a capture (an imported draft article): the capture is its source."""

    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="links")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="evidence_links")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        unique_together = [("capture", "page")]

    def __str__(self):
        return f"capture {self.capture_id} → page {self.page_id}"
