"""The scope of each figure of a text: what exactly it counts, of whom or where, when, who
gives it, and how it stands to the figures around it. Only figures of one scope can conflict.

Pure Python (``re`` only). ``scopes(text, figures)`` returns one ``Scope`` per figure of
``figures.extract_figures(text)``, in the same order, in one pass over the text (no pair of
figures is compared here). The rules read the grammar around a figure, not any page:

* **what** -- the noun phrase the figure counts ("executions") with the qualifier that follows
  it ("for drug-related offences", "on charges of murder"), or, in a breakdown, its label: the
  words right before "(480 cases" or before "480 cases" in "murder: 150 cases", a list item
  "- Murder: 150";
* **of** -- the place the figure is about: a country (a list of names, English and Persian), a
  province or city ("Sistan and Baluchestan province", "استان کردستان") named in its clause,
  preferring the nearest; a country name that is the start of a longer name ("Iran Human
  Rights") is an organisation, not a place;
* **when** -- the figure's period or relative window (``figures`` finds them);
* **source** -- who the text credits the figure to: "according to X", "X estimated/recorded/
  documented/counted/reported/put the toll at", "by X's count", "X's estimate", Persian
  "به گفته/به گزارش/بنا بر/طبق/بر اساس X". Words a person *said* are a quote, not a credited
  estimate: two speakers' different numbers for one thing stay a conflict;
* **relation** -- ``total`` (the default), ``part`` ("including 31 women", "of these, 12",
  "another 18", a rate), ``item`` (an item of a breakdown: a label, a share next to it, a list
  line after a total), ``share`` (the item's percentage: ``share`` holds it), ``comparison``
  ("up from 582", "compared with 834", "rose from 582 to 834"), and the event ("at risk of
  execution" is not "executed") from ``figures``.

A bare number ("30,000 according to another") credited to a source takes what the figure
before it in the paragraph counts: estimates are usually written that way.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import discovery
from .figures import Figure, _context_of, _count_key

# --- places ---------------------------------------------------------------------------------

_COUNTRIES = """
Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain
Bangladesh Belarus Belgium Bolivia Bosnia Botswana Brazil Bulgaria Burundi Cambodia Cameroon
Canada Chad Chile China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Ecuador
Egypt Eritrea Estonia Ethiopia Finland France Gabon Gambia Georgia Germany Ghana Greece
Guatemala Guinea Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy
Japan Jordan Kazakhstan Kenya Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Liberia Libya
Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mexico Moldova
Mongolia Montenegro Morocco Mozambique Myanmar Burma Namibia Nepal Netherlands Nicaragua Niger
Nigeria Norway Oman Pakistan Palestine Gaza Panama Paraguay Peru Philippines Poland Portugal
Qatar Romania Russia Rwanda Senegal Serbia Singapore Slovakia Slovenia Somalia Spain Sudan
Sweden Switzerland Syria Taiwan Tajikistan Tanzania Thailand Togo Tunisia Turkey Türkiye
Turkmenistan Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia Zimbabwe
Belize Benin Bhutan Brunei Comoros Fiji Grenada Guyana Jamaica Kiribati Lesotho Liechtenstein
Mauritius Monaco Nauru Palau Samoa Seychelles Suriname Tonga Tuvalu Vanuatu Singapore
""".split() + [
    "Saudi Arabia", "United States", "United Kingdom", "United Arab Emirates", "North Korea",
    "South Korea", "South Africa", "South Sudan", "Sri Lanka", "New Zealand", "Costa Rica",
    "El Salvador", "Sierra Leone", "Burkina Faso", "Ivory Coast", "Côte d'Ivoire",
    "Dominican Republic", "Central African Republic", "Equatorial Guinea", "Papua New Guinea",
    "Trinidad and Tobago", "North Macedonia", "Western Sahara", "West Bank", "the US", "the UK",
    "the USA", "the UAE", "the Netherlands", "the Philippines", "the DRC",
]
_FA_COUNTRIES = (
    "ایران عراق افغانستان پاکستان ترکیه عربستان سعودی عربستان سوریه لبنان یمن مصر چین روسیه آمریکا"
    " ایالات\u200cمتحده بریتانیا انگلستان فرانسه آلمان سوئد کانادا اسرائیل امارات کویت بحرین قطر"
    " عمان اردن تاجیکستان آذربایجان ارمنستان ترکمنستان"
).split() + ["عربستان سعودی", "ایالات متحده", "کره شمالی"]
_PLACE_WORDS = r"(?:Province|province|Provinces|County|county|City|city|Prison|prison|District|district|Region|region)"
_CAP = r"[A-Z][\w'’-]+"
_PLACE_RE = re.compile(
    r"(?<![\w-])(?:(?P<country>"
    + "|".join(sorted((re.escape(c) for c in _COUNTRIES), key=len, reverse=True))
    + r")(?![\w-])(?!\s+(?:[A-Z][a-z]|of\s+[A-Z]|Human|Rights|International))"
    + rf"|(?P<named>{_CAP}(?:\s+(?:and\s+)?{_CAP}){{0,2}}\s+{_PLACE_WORDS})(?![\w-])"
    + r"|(?P<world>worldwide|globally|world-wide|nationwide|around\s+the\s+world|across\s+the\s+world)"
    + r"|(?P<fa>(?:استان|شهر|زندان)\s+[\u0600-\u06ff\u200c]+"
    + "|" + "|".join(sorted(_FA_COUNTRIES, key=len, reverse=True)) + r")(?![\u0600-\u06ff\u200c]))"
)

# --- sources --------------------------------------------------------------------------------

_NAME = r"(?:the\s+)?(?:[A-Z][\w'’&.-]*|of|for|on|and|de|al-)(?:\s+(?:[A-Z][\w'’&.-]*|of|for|on|the|and|de|al-)){0,7}"
_ATTR_AFTER_RE = re.compile(
    r"(?:,\s*)?(?<![\w])(?:according\s+to|as\s+(?:counted|documented|recorded|reported|estimated)\s+by"
    r"|by\s+the\s+(?:count|estimate|tally)\s+of)\s+(?P<src>(?:an?\s+|one\s+|another\s+|other\s+)?"
    r"(?:[\w'’&.-]+)(?:\s+(?!and\b|to\b|in\b|for\b|with\b|while\b|but\b)[\w'’&.-]+){0,6})",
    re.I,
)
_ATTR_BEFORE_RE = re.compile(
    rf"(?P<src>{_NAME})['’]s\s+(?:own\s+)?(?:estimate|estimates|count|figures|tally|data|records|report)\b"
    rf"|(?P<src2>{_NAME})\s+(?:has\s+|have\s+|had\s+)?(?:estimated|estimates|recorded|records|documented"
    r"|documents|counted|counts|reported|reports|registered|registers|verified|confirmed|put\s+the"
    r"\s+(?:toll|number|figure|total)\s+at|puts\s+the\s+(?:toll|number|figure|total)\s+at"
    r"|gave\s+a\s+(?:toll|figure)\s+of|says|said)(?![\w])"
)
_FA_ATTR_RE = re.compile(
    r"(?:به\s+گفته|به\s+گزارش|بنا\s+بر(?:\s+گزارش|\s+آمار)?|طبق(?:\s+گزارش|\s+آمار)?"
    r"|بر\s+اساس(?:\s+گزارش|\s+آمار)?|به\s+نوشته|به\s+تخمین|به\s+برآورد)\s+"
    r"(?P<src>[\u0600-\u06ff\u200c]+(?:\s+(?!که|و|در|از|تا|را)[\u0600-\u06ff\u200c]+){0,3})"
)
_ATTR_VERB_RE = re.compile(
    r"(?<![\w])(?:estimated|estimates|estimate|recorded|records|documented|documents|counted|counts"
    r"|reported|reports|registered|put\s+the\s+(?:death\s+)?(?:toll|number|figure|total)\s+at"
    r"|puts\s+the\s+(?:death\s+)?(?:toll|number|figure|total)\s+at|gave\s+a\s+(?:toll|figure)\s+of"
    r"|claimed|claims|announced|announces)(?:\s+that)?(?![\w])",
    re.I,
)
_SUBJECT_STOP = frozenset("that which who while whereas and but or when as because since although".split())


def _subject_before(before: str) -> str | None:
    """The noun phrase that ends right before an attribution verb: "rights groups", "the interior
    ministry", "A news agency" (skipping ", citing officials it did not name,")."""
    before = re.sub(r",[^,]{0,60},\s*\Z", " ", before)  # a parenthetical between subject and verb
    before = re.split(r"[.;:!?()\[\]“”\"،]|,", before)[-1]
    words = []
    for w in reversed(before.split()):
        if w.lower() in _SUBJECT_STOP or re.search(r"[0-9۰-۹]", w):
            break
        words.append(w)
        if len(words) >= 6:
            break
    words.reverse()
    subject = " ".join(words).strip()
    return subject or None


_SAY_RE = re.compile(r"(?<![\w])(?:says|said|say|stated|states|told\s+(?:[\w-]+\s+){1,3}?)(?:\s+that)?\s*\Z"
                     r"|(?<![\w])(?:says|said|say|stated|states)(?:\s+that)?(?![\w])", re.I)
_QUOTE_MARK_RE = re.compile(r"[“\"«‘]|(?<!\w)'")
_INSTITUTION_WORDS = frozenset(discovery.ORG_NOUNS | {
    "agencies", "groups", "organisations", "organizations", "authorities", "ministries", "judiciary",
    "un", "unhcr", "unicef", "amnesty", "monitors", "monitor", "activists", "lawyers", "media",
    "television", "radio", "newspaper", "report", "census", "survey", "researchers", "ngo", "ngos",
    "officials", "governor", "governorate", "prosecutor", "spokesman", "spokeswoman", "spokesperson",
})


def _is_institution(subject: str) -> bool:
    """Is the one who says it an institution (a government, an agency, a group) rather than a
    person speaking? Only an institution's statement credits an estimate."""
    words = {w.strip(".,'’").lower() for w in subject.split()}
    words |= {w[:-1] for w in words if w.endswith("s")}
    return bool(words & _INSTITUTION_WORDS)


_SAID_ONLY = re.compile(r"\s(?:says|said)\Z")
_SOURCE_STOP = re.compile(r"^(?:the|a|an)\s+", re.I)

# --- relations --------------------------------------------------------------------------------

_BASELINE_LEAD_RE = re.compile(
    r"(?<![\w])(?:up|down)\s+from\s*\Z|(?<![\w])(?:compared\s+(?:with|to)|as\s+against|versus|vs\.?"
    r"|than|rose\s+from|fell\s+from|in\s+contrast\s+to)\s*\Z"
    r"|(?:نسبت\s+به|در\s+مقایسه\s+با)\s*\Z",
    re.I,
)
_CHANGE_TO_RE = re.compile(r"(?<![\w])(?:rose|rising|fell|falling|increased|decreased|dropped|climbed|jumped"
                           r"|grew|declined)\s+(?:from\s+\S+\s+)?to\s*\Z", re.I)
_SHARE_AFTER_RE = re.compile(
    r"\s*(?:\(\s*|,\s*(?:or\s+)?|—\s*)(?P<p>[0-9]+(?:\.[0-9]+)?)\s*(?:%|per\s?cent|percent|درصد|٪)"
    r"(?:\s+of\s+(?:the\s+)?(?:total|all))?\s*\)?",
    re.I,
)
_LABEL_PAREN_RE = re.compile(r"(?P<label>[^\s(),;:.][^(),;:.\n]{0,70}?)\s*\(\s*\Z")
_LABEL_COLON_RE = re.compile(r"(?:^|\n)[ \t]*(?:[-*•·–]\s*|[0-9]{1,2}[.)]\s+)?(?P<label>[^:\n]{1,70}?)\s*:\s*\Z")
_LIST_LINE_RE = re.compile(r"(?:^|\n)[ \t]*(?:[-*•·–]|[0-9]{1,2}[.)])\s+")
_QUALIFIER_AFTER_RE = re.compile(
    r"[ \t]+(?P<q>(?:for|on\s+charges?\s+of|charged\s+with|convicted\s+of|related\s+to|in\s+connection\s+with"
    r"|به\s+اتهام|به\s+جرم|در\s+ارتباط\s+با)\s+"
    r"[^\s,;:.()\n][^,;:.()\n]{0,60}?)(?=\s*[,;:.()\n]|\s+(?:and\s+\d|while|but|were|was|are|is|in\s+\d|compared|up\s+from|down\s+from|و\s)|\Z)",
    re.I,
)
_LABEL_WORDS_MAX = 6
_COORDINATED_RE = re.compile(r"[ \t]*(?:[^\s.;:!?؟]{1,20}[ \t]+){0,2}?(?:,|and|or|و|یا|،)[ \t]*", re.I)
_RELATIVE_AFTER_RE = re.compile(r"\s+(?:who|whom|whose)\b|\s*,\s*(?:who|whom|whose)\b", re.I)
_FA_PART_RE = re.compile(r"(?:از\s+این\s+(?:تعداد|میان|شمار|رقم)|از\s+(?:آنان|آنها|میان\s+آنان)|از\s+جمله|شامل)[\s،,:]*\Z")
_LOCATION_OBJECT_RE = re.compile(
    r"(?<![\w])(?:in|across|throughout)\s+(?:(?:at\s+least|more\s+than|over|some|about|nearly|almost)\s+)?\Z",
    re.I,
)
_LABEL_NOISE = re.compile(
    r"^(?:(?:and|or|of|with|including|for|the|a|an|in|on|by|to|as|were|was|are|is|while|whereas"
    r"|followed\s+by|then|then\s+came)\s+)+",
    re.I,
)


@dataclass(frozen=True)
class Scope:
    """What a figure is about (see the module docstring)."""

    what: str | None  # the noun phrase and qualifier, or the breakdown label, as written
    head: str | None  # head noun lemma of what it counts
    of: str | None  # place
    label: str | None  # breakdown label ("drug-related offences")
    qualifier: str | None  # "for drug-related offences"
    when: str | None  # period or window
    event: str | None
    relation: str  # total | part | item | comparison
    share: float | None  # the percentage written with it: "480 cases (37%)"
    source: str | None  # who the text credits it to
    counts: str | None  # what it counts, possibly taken from the figure before it
    credited: str | None = None  # the source as the text writes it (``source`` is its folded form)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("what", "of", "when", "relation", "share", "credited")}


def _norm(s: str | None) -> str | None:
    if not s:
        return None
    s = " ".join(s.replace("\u200c", " ").split()).strip(" ,;:-–—\"'“”‘’")
    s = _SOURCE_STOP.sub("", s)
    return s.lower() or None


def _sentence_bounds(text: str, ends: list[int], s: int, e: int) -> tuple[int, int]:
    i = bisect.bisect_right(ends, s)
    start = ends[i - 1] if i else 0
    j = bisect.bisect_left(ends, e)
    end = ends[j] if j < len(ends) else len(text)
    return max(start, s - 400), min(end, e + 400)


_SENT_END_RE = re.compile(r"(?<![A-Z][a-z])(?<![A-Z])[.!?؟](?=\s)|\n")


def scopes(text: str, figures: list[Figure]) -> list[Scope]:
    """One Scope per figure (see the module docstring); linear in the text and the figures."""
    if not figures:
        return []
    ends = [m.end() for m in _SENT_END_RE.finditer(text)]
    paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
    out: list[Scope] = []
    last_counts_in_paragraph: tuple[int, str] | None = None
    totals: list[tuple[int, int, Figure]] = []  # (paragraph, end, figure): totals a list may follow
    previous = None  # (end, relation) of the figure before
    for f in figures:
        ctx = _context_of(f)
        s, e = f.start, f.end
        sent_start, sent_end = _sentence_bounds(text, ends, s, e)
        paragraph = bisect.bisect_right(paragraph_starts, s) - 1
        lead = text[max(sent_start, s - 80):s]
        line_start = text.rfind("\n", 0, s) + 1
        line_lead = text[line_start:s]

        # who gives it
        source = _source(text, s, e, sent_start, sent_end)

        counts = f.counts
        # a bare number credited to a source counts what the figure before it counts, or (with
        # none before it) the quantity the paragraph's estimates are about
        if counts is None and source and not ctx.part:
            if last_counts_in_paragraph and last_counts_in_paragraph[0] == paragraph:
                counts = last_counts_in_paragraph[1]
            else:
                counts = f"estimates{paragraph}"

        # relation
        relation = "part" if ctx.part or _FA_PART_RE.search(lead) else "total"
        if relation == "total" and _LOCATION_OBJECT_RE.search(lead):
            relation = "part"  # "set up in 10 provinces": where something happened, not a total
        if relation == "total" and previous is not None and previous[1] in ("part", "item") \
                and _COORDINATED_RE.fullmatch(text[previous[0]:s]):
            relation = previous[1]  # "including 40 women and 70 men": both items of the list
        if relation == "total" and counts and _RELATIVE_AFTER_RE.match(text, e):
            relation = "part"  # "two lawyers who represented protesters": a group the clause defines
        if _BASELINE_LEAD_RE.search(lead) or _CHANGE_TO_RE.search(lead):
            relation = "comparison"
        share = None
        m = _SHARE_AFTER_RE.match(text, e)
        if m and not (counts and _count_key(counts) is None):
            share = float(m.group("p"))
        label = None
        pm = _LABEL_PAREN_RE.search(line_lead[-80:]) if line_lead.rstrip().endswith("(") else None
        if pm:
            label = _clean_label(pm.group("label"))
        else:
            cm = _LABEL_COLON_RE.search(text, max(line_start - 1, 0), s) if ":" in line_lead else None
            if cm and cm.end() == s:
                label = _clean_label(cm.group("label"))
        qualifier = None
        q = _QUALIFIER_AFTER_RE.match(text, e)
        if q:
            qualifier = _norm(q.group("q"))
        in_list = bool(_LIST_LINE_RE.match(text, max(line_start - 1, 0))) and line_start > 0
        if relation == "total" and (label or share is not None or (in_list and totals and totals[-1][0] >= paragraph - 1)):
            relation = "item"
        if counts and relation == "total" and not label:
            totals.append((paragraph, e, f))
        if counts and _count_key(counts) is not None:
            last_counts_in_paragraph = (paragraph, counts)

        key = _count_key(counts)
        place = _place(text, s, e, sent_start, sent_end)
        what = counts
        if qualifier:
            what = f"{counts or ''} {qualifier}".strip()
        if label:
            what = f"{counts or ''} ({label})".strip()
        previous = (e, relation)
        out.append(Scope(
            what=what, head=key[0] if key else None, of=place, label=_norm(label) if label else None,
            qualifier=qualifier, when=f.period or ctx.window, event=ctx.event, relation=relation,
            share=share, source=_norm(source), counts=counts,
            credited=" ".join(source.split()).strip(" ,;:") if source else None,
        ))
    return out


def _clean_label(label: str) -> str | None:
    label = _LABEL_NOISE.sub("", label.strip())
    words = label.split()
    if not words:
        return None
    return " ".join(words[-_LABEL_WORDS_MAX:])


def _place(text: str, s: int, e: int, sent_start: int, sent_end: int) -> str | None:
    """The place named nearest the figure in its sentence, before it (same clause first)."""
    best = None
    lo, hi = max(sent_start, s - 160), min(sent_end, e + 80)
    for m in _PLACE_RE.finditer(text, lo, hi):
        ms, me = m.span()
        if me <= s:
            gap = text[me:s]
            crossed = len(re.findall(r"[;:]|,|\b(?:while|whereas|but|compared)\b|—|،", gap))
            if re.search(r"[;]|\b(?:while|whereas|but|compared)\b", gap):
                crossed += 3
            key = (crossed, s - me)
        elif ms >= e:
            gap = text[e:ms]
            if not re.match(r"\s*(?:\w+\s+){0,4}?(?:in|across|inside|throughout|در)\s+(?:the\s+)?\Z", gap + " ", re.I) \
                    and not re.match(r"\s*(?:[\w-]+\s+){0,5}(?:in|across|inside|throughout|در)\s+\Z", gap):
                continue
            key = (0, ms - e)
        else:
            continue
        if best is None or key < best[0]:
            best = (key, m.group(0))
    if best is None or best[0][0] > 3:
        return None
    return _norm(best[1])


#: a number between a figure and an attribution (a year is not one: "… in 2023, according to X")
_OTHER_NUMBER_RE = re.compile(r"(?<![0-9۰-۹])(?!(?:19|20)[0-9]{2}(?![0-9])|۱[۳۴][۰-۹]{2}(?![۰-۹]))[0-9۰-۹]")
_CLAUSE_BREAK_RE = re.compile(r"[;]|(?<![\w])(?:while|whereas|but|however|although|though)(?![\w])|،\s*(?:اما|ولی)|(?:اما|ولی)\s")


def _source(text: str, s: int, e: int, sent_start: int, sent_end: int) -> str | None:
    """Who the text credits the figure to (see the module docstring): the attribution nearest
    the figure in its clause, after it ("…, according to X") or before it ("X estimated that …")."""
    found = []  # (distance, source)
    after = text[e:min(sent_end, e + 90)]
    for rx in (_ATTR_AFTER_RE, _FA_ATTR_RE):
        m = rx.search(after)
        if m and not _OTHER_NUMBER_RE.search(after[: m.start()]) and not _CLAUSE_BREAK_RE.search(after[: m.start()]):
            found.append((m.start(), m.group("src")))
    before = text[max(sent_start, s - 160):s]

    def usable(m) -> bool:
        gap = before[m.end():]
        return not _OTHER_NUMBER_RE.search(gap) and not _CLAUSE_BREAK_RE.search(gap)

    for rx in (_ATTR_AFTER_RE, _FA_ATTR_RE):
        last = None
        for last in rx.finditer(before):
            pass
        if last and usable(last):
            found.append((len(before) - last.end(), last.group("src")))
    last = None
    for last in _ATTR_BEFORE_RE.finditer(before):
        pass
    if last and not _SAID_ONLY.search(last.group(0)) and usable(last):
        found.append((len(before) - last.end(), last.group("src") or last.group("src2")))
    last = None
    for last in _ATTR_VERB_RE.finditer(before):
        pass
    if last and usable(last):
        subject = _subject_before(before[: last.start()])
        if subject:
            found.append((len(before) - last.end(), subject))
    # "The government says 80,000 people …" credits the figure; "He said, “… 30,000 …”" quotes
    # a speaker: a figure inside a direct quotation is the speaker's words, not a credited estimate
    last = None
    for last in _SAY_RE.finditer(before):
        pass
    if last and usable(last) and not _QUOTE_MARK_RE.search(before[last.start():]):
        subject = _subject_before(before[: last.start()])
        if subject and _is_institution(subject):
            found.append((len(before) - last.end(), subject))
    if not found:
        return None
    return min(found, key=lambda item: item[0])[1]


def compatible(a: Scope, b: Scope) -> bool:
    """Can two figures of these scopes count the same thing (beyond what figures.same_thing
    checks)? Different places, labels, qualifiers or relations make different scopes."""
    if a.relation != b.relation or a.relation in ("comparison", "part"):
        return False
    if a.of and b.of and a.of != b.of:
        return False
    if a.label != b.label:
        return False
    if a.qualifier != b.qualifier:
        return False
    if a.share is not None or b.share is not None:
        return False
    return True
