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


class StoreState(models.Model):
    """What the database knows about the evidence store it belongs to: the store's id (also in the
    store folder and in the custody log's first entry) and the last custody log entry written
    together with the database. `verify` refuses a store this database does not know, and fails
    when the log and the database are not at the same entry (a restore older than the log)."""

    store_id = models.CharField(max_length=64)
    head_seq = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64, default="0" * 64)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"evidence store {self.store_id} at entry {self.head_seq}"


class TimestampToken(models.Model):
    """An RFC 3161 time-stamp token from a timestamp authority for one custody log entry: the
    entry of a capture (its hashes) or the log's latest entry (the daily anchor of the whole log).
    The token file is kept in the evidence store; its message imprint is the entry's hash."""

    class Subject(models.TextChoices):
        CAPTURE = "capture", "A capture's custody entry"
        LOG = "log", "The custody log's latest entry"

    subject = models.CharField(max_length=10, choices=Subject.choices)
    capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.PROTECT, related_name="timestamps")
    custody_seq = models.PositiveBigIntegerField(help_text="The custody log entry whose hash was stamped.")
    digest = models.CharField(max_length=64, help_text="The SHA-256 that was stamped (the entry's hash).")
    authority = models.CharField(max_length=500)
    token_name = models.CharField(max_length=200)
    token_sha256 = models.CharField(max_length=64)
    gen_time = models.DateTimeField(help_text="The time the authority put in the token.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["custody_seq", "pk"]

    def __str__(self):
        return f"timestamp of entry {self.custody_seq} by {self.authority}"


class WatchedSource(models.Model):
    """An address re-captured on a schedule; what changed is kept as `WatchCheck`s and in the
    custody log."""

    class State(models.TextChoices):
        NEW = "new", "Not checked yet"
        SAME = "same", "Unchanged"
        CHANGED = "changed", "Content changed"
        TEXT_REMOVED = "text-removed", "Watched text removed"
        GONE = "gone", "Removed (404 or 410)"
        REDIRECTED = "redirected", "Redirected elsewhere"
        ERROR = "error", "Could not be checked"

    url = models.URLField("address (URL)", max_length=2000, unique=True)
    every_hours = models.PositiveIntegerField("check every (hours)", default=24)
    watch_text = models.TextField(blank=True, help_text="Optional: a sentence that must stay on the page "
                                  "(e.g. the quoted words); its removal is reported.")
    active = models.BooleanField(default=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NEW)
    last_checked = models.DateTimeField(null=True, blank=True)
    last_capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    removed_since = models.DateTimeField(null=True, blank=True, help_text="When it was first found removed.")
    added_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["url"]

    def __str__(self):
        return self.url

    @property
    def removed(self):
        return self.state in (self.State.GONE, self.State.TEXT_REMOVED, self.State.REDIRECTED)


class WatchCheck(models.Model):
    """One check of a watched source."""

    source = models.ForeignKey(WatchedSource, on_delete=models.CASCADE, related_name="checks")
    checked_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=WatchedSource.State.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    previous_capture = models.ForeignKey(Capture, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    diff = models.TextField(blank=True, help_text="The text's difference from the previous capture.")
    detail = models.TextField(blank=True)
    custody_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-checked_at"]

    def __str__(self):
        return f"{self.source} at {self.checked_at:%Y-%m-%d %H:%M} : {self.outcome}"
