"""The cases desk: one record per victim and per act, after HURIDOCS' events standard formats
(an act ties a victim, the sources that document it and the organisations that reported it).

* Controlled lists (act kinds, charges, provinces, ethnicities, prisons, reporting
  organisations), each in English and Persian with the other spellings it is matched by.
* ``Person`` -- the victim: names in Latin and Persian script, gender, ethnicity, religion...
* ``Act`` -- what happened to them: kind, uncertain date, place, charges, verification status,
  editorial state (draft until a second editor verifies; withdrawn with a reason, never deleted)
  and visibility on the public site (public, anonymised, internal).
* ``ActSource`` -- a capture of the evidence desk or an external address, with a reliability
  grade; a confidential source is never named publicly.
* ``ActReport`` -- an organisation that reported the act, with its own id for it.
* ``PublishedCount`` -- a count an organisation published for a period (for reconciliation).
* ``SavedFilter`` -- a count of records the facts desk treats as a registry figure.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import RevisionMixin

from . import dates


# --- controlled lists ---------------------------------------------------------------------------

class ListEntry(models.Model):
    """An entry of a controlled list: a stable code, English and Persian names, other spellings."""

    code = models.SlugField(max_length=40, unique=True, help_text="Stable code used in files and statistics.")
    name = models.CharField("English name", max_length=120)
    name_fa = models.CharField("Persian name", max_length=120, blank=True)
    aliases = models.TextField(
        "other spellings", blank=True,
        help_text="One per line: spellings that files may use (English or Persian). Matching ignores case, "
        "spaces, hyphens and Arabic/Persian letter variants.",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("code"), FieldPanel("name"), FieldPanel("name_fa"), FieldPanel("aliases"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def label(self, language="en"):
        return self.name_fa if language == "fa" and self.name_fa else self.name

    def spellings(self):
        return [self.code, self.name, self.name_fa, *(line.strip() for line in self.aliases.splitlines())]


class ActKind(ListEntry):
    """A kind of act: execution, death sentence, death in custody, killing, arrest, disappearance."""

    class Meta(ListEntry.Meta):
        verbose_name = "act kind"


class Charge(ListEntry):
    """A charge (drug, murder, moharebeh...)."""


class Province(ListEntry):
    """One of Iran's 31 provinces."""


class Ethnicity(ListEntry):
    """An ethnic group."""

    class Meta(ListEntry.Meta):
        verbose_name_plural = "ethnicities"


class Prison(ListEntry):
    """A prison or detention centre."""

    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    code = models.SlugField(max_length=80, unique=True)
    panels = ListEntry.panels + [FieldPanel("province")]


class ReportingOrganisation(ListEntry):
    """An organisation that reports acts (a monitor, a news agency, the judiciary's own outlet)."""

    url = models.URLField(blank=True)
    code = models.SlugField(max_length=80, unique=True)
    panels = ListEntry.panels + [FieldPanel("url")]


# --- records ------------------------------------------------------------------------------------

class Gender(models.TextChoices):
    MALE = "male", "male"
    FEMALE = "female", "female"
    UNKNOWN = "unknown", "unknown"


class YesNo(models.TextChoices):
    YES = "yes", "yes"
    NO = "no", "no"
    UNKNOWN = "unknown", "unknown"


class Status(models.TextChoices):
    REPORTED = "reported", "reported"
    CORROBORATED = "corroborated", "corroborated"
    VERIFIED = "verified", "verified"


class State(models.TextChoices):
    DRAFT = "draft", "draft (awaiting a second editor)"
    APPROVED = "approved", "verified by a second editor"
    WITHDRAWN = "withdrawn", "withdrawn"


class Visibility(models.TextChoices):
    PUBLIC = "public", "public: a page with the name"
    ANONYMISED = "anonymised", "anonymised: a page without name, city, prison, narrative or sources"
    INTERNAL = "internal", "internal: counted in statistics, no page"


class Person(models.Model):
    """A victim. Names in Latin and Persian script; the normalised key (the facts desk's
    normalisation) is what spellings are matched on."""

    name = models.CharField("name (Latin script)", max_length=200, blank=True,
                            help_text="Empty when unknown: pages say “name unknown”.")
    name_fa = models.CharField("name (Persian script)", max_length=200, blank=True)
    name_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    ethnicity = models.ForeignKey(Ethnicity, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    religion = models.CharField(max_length=100, blank=True)
    nationality = models.CharField(max_length=100, blank=True, default="")
    occupation = models.CharField(max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_fa")]),
        FieldRowPanel([FieldPanel("gender"), FieldPanel("birth_year")]),
        FieldRowPanel([FieldPanel("ethnicity"), FieldPanel("religion")]),
        FieldRowPanel([FieldPanel("nationality"), FieldPanel("occupation")]),
    ]

    class Meta:
        verbose_name_plural = "people"

    def __str__(self):
        return self.name or self.name_fa or "name unknown"

    def save(self, *args, **kwargs):
        from .names import name_key

        self.name_key = name_key(self.name, self.name_fa)
        super().save(*args, **kwargs)


class ActQuerySet(models.QuerySet):
    def counted(self):
        """Every record not withdrawn (what statistics count unless told otherwise)."""
        return self.exclude(state=State.WITHDRAWN)

    def published(self):
        """Records verified by a second editor, not withdrawn: what the public statistics count."""
        return self.filter(state=State.APPROVED)

    def with_pages(self):
        """Published records with a public page (public or anonymised)."""
        return self.published().exclude(visibility=Visibility.INTERNAL)


class Act(RevisionMixin, ClusterableModel):
    """One act against one person: an execution, a death sentence, an arrest... with its date (as
    precise as it is known), place, charges, sources and the organisations that reported it."""

    record_id = models.CharField(
        max_length=100, unique=True, blank=True,
        help_text="The record's id: the id in the file it was imported from, or RD-<number> when made here.",
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="acts")
    kind = models.ForeignKey(ActKind, on_delete=models.PROTECT, related_name="+")
    # The date: the Gregorian interval it covers, as entered; the month/year keys it counts under.
    date_text = models.CharField("date", max_length=40, blank=True,
                                 help_text="YYYY-MM-DD, YYYY-MM, YYYY, or a range FROM/TO (e.g. 2024-04-17/2024-04-27).")
    date_calendar = models.CharField("calendar", max_length=10, choices=[(c, c) for c in dates.CALENDARS],
                                     default=dates.GREGORIAN)
    date_start = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_end = models.DateField(null=True, blank=True, editable=False)
    date_precision = models.CharField(max_length=10, blank=True, editable=False)
    g_year = models.CharField(max_length=7, default=dates.UNKNOWN, editable=False)
    g_month = models.CharField(max_length=7, default=dates.UNKNOWN, editable=False)
    j_year = models.CharField(max_length=7, default=dates.UNKNOWN, editable=False)
    j_month = models.CharField(max_length=7, default=dates.UNKNOWN, editable=False)

    age = models.PositiveSmallIntegerField("age at the act", null=True, blank=True)
    age_at_offence = models.PositiveSmallIntegerField("age at the alleged offence", null=True, blank=True,
                                                      help_text="Under 18: a juvenile offender.")
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    city = models.CharField(max_length=120, blank=True)
    prison = models.ForeignKey(Prison, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    charges = ParentalManyToManyField(Charge, blank=True, related_name="acts")
    public = models.CharField("carried out in public", max_length=10, choices=YesNo.choices, default=YesNo.UNKNOWN)
    officially_announced = models.CharField(max_length=10, choices=YesNo.choices, default=YesNo.UNKNOWN)
    status = models.CharField("verification status", max_length=15, choices=Status.choices, default=Status.REPORTED)
    narrative = models.TextField(blank=True)
    notes = models.TextField("internal notes", blank=True, help_text="For editors only; never published.")

    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged", editable=False)
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActQuerySet.as_manager()

    panels = [
        FieldPanel("person"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        MultiFieldPanel([FieldRowPanel([FieldPanel("date_text"), FieldPanel("date_calendar")])], heading="Date"),
        FieldRowPanel([FieldPanel("age"), FieldPanel("age_at_offence")]),
        FieldRowPanel([FieldPanel("province"), FieldPanel("city"), FieldPanel("prison")]),
        FieldPanel("charges"),
        FieldRowPanel([FieldPanel("public"), FieldPanel("officially_announced")]),
        FieldPanel("narrative"),
        FieldPanel("notes"),
        FieldPanel("visibility"),
        FieldPanel("record_id"),
        InlinePanel("sources", label="Sources"),
        InlinePanel("reports", label="Reported by"),
    ]

    class Meta:
        ordering = ["-date_start", "pk"]
        permissions = [
            ("verify_act", "Can verify a record another editor entered"),
            ("withdraw_act", "Can withdraw a record"),
            ("merge_act", "Can merge duplicate records"),
        ]
        indexes = [
            models.Index(fields=["state", "g_month"]), models.Index(fields=["state", "j_month"]),
            models.Index(fields=["state", "g_year"]), models.Index(fields=["state", "j_year"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(state="withdrawn") | ~Q(withdrawn_reason=""),
                                   name="cases_withdrawn_has_reason"),
        ]

    def __str__(self):
        return f"{self.record_id}: {self.kind.name if self.kind_id else '?'} of {self.person}"

    def set_date(self, value: dates.UncertainDate | None):
        if value is None:
            self.date_start = self.date_end = None
            self.date_precision = ""
        else:
            self.date_text, self.date_calendar = value.text, value.calendar
            self.date_start, self.date_end, self.date_precision = value.start, value.end, value.precision
        self.refresh_date_keys()

    def refresh_date_keys(self):
        s, e = self.date_start, self.date_end
        self.g_year, self.g_month = dates.year_key(s, e, dates.GREGORIAN), dates.month_key(s, e, dates.GREGORIAN)
        self.j_year, self.j_month = dates.year_key(s, e, dates.JALALI), dates.month_key(s, e, dates.JALALI)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.date_text:
            try:
                self.set_date(dates.parse(self.date_text, self.date_calendar))
            except dates.DateError as exc:
                raise ValidationError({"date_text": str(exc)}) from None
        else:
            self.set_date(None)

    def save(self, *args, **kwargs):
        if self.date_text and self.date_start is None:
            self.set_date(dates.parse(self.date_text, self.date_calendar))
        else:
            self.refresh_date_keys()
        super().save(*args, **kwargs)
        if not self.record_id:
            self.record_id = f"RD-{self.pk}"
            type(self).objects.filter(pk=self.pk).update(record_id=self.record_id)

    def date_display(self, language="en"):
        return dates.both(self.date_start, self.date_end, self.date_precision, self.date_calendar, language)

    @property
    def juvenile(self):
        return self.age_at_offence is not None and self.age_at_offence < 18


class Reliability(models.TextChoices):
    """The usual source grades (after the Admiralty code)."""

    A = "A", "A: reliable (official or first-hand, checked before)"
    B = "B", "B: usually reliable"
    C = "C", "C: fairly reliable"
    D = "D", "D: not usually reliable"
    E = "E", "E: unreliable"
    F = "F", "F: cannot be judged"


class ActSource(models.Model):
    """A source of an act: a capture of the evidence desk or an external address."""

    act = ParentalKey(Act, on_delete=models.CASCADE, related_name="sources")
    capture = models.ForeignKey("evidence.Capture", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="case_sources",
                                help_text="A page captured by the evidence desk: the stored original backs the record.")
    url = models.URLField("external address", max_length=1000, blank=True)
    title = models.CharField(max_length=300, blank=True)
    reliability = models.CharField(max_length=1, choices=Reliability.choices, default=Reliability.F)
    confidential = models.BooleanField(
        default=False, help_text="Never named publicly: pages say only that the organisation holds a confidential source.")
    note = models.TextField("internal note", blank=True)

    panels = [FieldPanel("capture"), FieldPanel("url"), FieldPanel("title"),
              FieldRowPanel([FieldPanel("reliability"), FieldPanel("confidential")]), FieldPanel("note")]

    def __str__(self):
        return self.title or self.url or (f"capture {self.capture_id}" if self.capture_id else "source")


class ActReport(models.Model):
    """An organisation's report of an act, with the organisation's own id for it."""

    act = ParentalKey(Act, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(ReportingOrganisation, on_delete=models.PROTECT, related_name="reports")
    external_id = models.CharField("their id", max_length=100, blank=True)
    record_id = models.CharField("imported as", max_length=100, blank=True, editable=False,
                                 help_text="The record id of the file this report came from.")

    panels = [FieldPanel("organisation"), FieldPanel("external_id")]

    class Meta:
        constraints = [models.UniqueConstraint(fields=["act", "organisation", "external_id"], name="cases_report_once")]

    def __str__(self):
        return f"{self.organisation}{' ' + self.external_id if self.external_id else ''}"


class DismissedPair(models.Model):
    """Two records an editor decided are not duplicates (never proposed again)."""

    first = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="cases_dismissed_once")]


class PublishedCount(models.Model):
    """A count an organisation published for a period ("IHR: 975 executions in 2024")."""

    organisation = models.ForeignKey(ReportingOrganisation, on_delete=models.CASCADE, related_name="counts")
    kind = models.ForeignKey(ActKind, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField()
    count = models.PositiveIntegerField()
    source_url = models.URLField(max_length=1000, blank=True)

    panels = [FieldPanel("organisation"), FieldPanel("kind"),
              FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("count"), FieldPanel("source_url")]

    def __str__(self):
        return f"{self.organisation}: {self.count} {self.kind} {self.start}–{self.end}"


class SavedFilter(models.Model):
    """A count of records the facts desk uses as a registry figure: "executions in 2024" counted
    from the verified records. The lint compares an article's figure with it."""

    counts = models.CharField("what it counts", max_length=200, help_text="As an article says it: “executions”.")
    kind = models.ForeignKey(ActKind, on_delete=models.PROTECT, related_name="+")
    calendar = models.CharField(max_length=10, choices=[(c, c) for c in dates.CALENDARS], default=dates.GREGORIAN)
    year = models.CharField(max_length=4, help_text="The year (Iranian year for the Jalali calendar).")
    status = models.CharField(max_length=15, choices=Status.choices, blank=True,
                              help_text="Count only records with this verification status (empty: any).")
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("counts"), FieldPanel("kind"), FieldRowPanel([FieldPanel("calendar"), FieldPanel("year")]),
              FieldPanel("status"), FieldPanel("province")]

    def __str__(self):
        return f"{self.counts} in {self.year}"

    def queryset(self):
        field = "j_year" if self.calendar == dates.JALALI else "g_year"
        qs = Act.objects.counted().filter(kind=self.kind, **{field: self.year})
        if self.status:
            qs = qs.filter(status=self.status)
        if self.province_id:
            qs = qs.filter(province=self.province)
        return qs
