"""The facts lint: what a text claims (figures, names) checked against itself and the registry.

Pure Python: the registry is passed in (``Registry``), built from the database by
``facts.registry.current()`` or empty. Problem kinds:

* ``figure-conflict`` -- two figures of one scope (``scope.py``: what, of whom/where, when,
  relation) with incompatible values and nothing in the text to explain the difference;
* ``competing-estimates`` -- one scope, different figures credited to different sources
  ("2,000 to 5,000 according to one group … 30,000 according to another"): information for the
  editor, listed with each source, not an error;
* ``breakdown-exceeds-total`` -- the items of a breakdown add up to more than their stated
  total, or a share does not match its count and total;
* ``registry-divergence`` -- a figure outside what the registry's sourced figures say;
* ``alias-drift`` -- one entity named three or more ways in the text;
* ``unsourced-figure`` -- a figure of a count that no sourced registry figure supports
  (reported when ``strict``: always in the editor, with ``--strict`` on the command line).

Only the article part of the text is checked (``reading.main_span``): a page's trailing
"latest news" teasers do not conflict with the article.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Hashable

from . import discovery, headline, names, reading, scope as scoping
from .figures import _ANCHORED, _disjoint, _interval, _tolerance, Figure, extract_figures
from .linker import Alias, Linker
from .numbers import format_number

FIGURE_CONFLICT = "figure-conflict"
COMPETING_ESTIMATES = "competing-estimates"
BREAKDOWN_EXCEEDS_TOTAL = "breakdown-exceeds-total"
REGISTRY_DIVERGENCE = "registry-divergence"
ALIAS_DRIFT = "alias-drift"
UNSOURCED_FIGURE = "unsourced-figure"
TEXT_TOO_LONG = "text-too-long"
KINDS = (FIGURE_CONFLICT, BREAKDOWN_EXCEEDS_TOTAL, COMPETING_ESTIMATES, REGISTRY_DIVERGENCE,
         ALIAS_DRIFT, UNSOURCED_FIGURE, TEXT_TOO_LONG)
#: kinds shown to the editor as information, not as errors
INFO_KINDS = frozenset({COMPETING_ESTIMATES, TEXT_TOO_LONG})
#: the lint reads at most this many characters of a text (an article is ~10,000; a whole
#: book-length report ~1,000,000, checked in a few seconds); the rest is named as not checked
MAX_CHARS = 2_000_000
DRIFT_THRESHOLD = 3
#: figures of one head noun compared pairwise at most (distinct scope and value): keeps the lint
#: linear in the text whatever the text holds (a real article has a handful per noun)
MAX_COMPARED_PER_NOUN = 24


@dataclass
class EntityInfo:
    id: Hashable
    name: str
    kind: str
    url: str = ""


@dataclass
class RegistryFigure:
    """A figure of the registry with its sources, as the lint sees it."""

    figure: Figure
    about: frozenset = frozenset()  # entity ids
    sources: tuple = ()  # readable source labels
    id: Hashable = None


@dataclass
class Registry:
    linker: Linker
    entities: dict = field(default_factory=dict)  # id -> EntityInfo
    figures: list = field(default_factory=list)  # RegistryFigure (with at least one source)

    @classmethod
    def empty(cls) -> "Registry":
        return cls(Linker([]))

    @classmethod
    def build(cls, entities, aliases, figures=()) -> "Registry":
        """entities: EntityInfo; aliases: (entity id, name, alias id); figures: RegistryFigure."""
        entities = {e.id: e for e in entities}
        linker = Linker(Alias(entity, name, alias_id) for entity, name, alias_id in aliases)
        return cls(linker, entities, [f for f in figures if f.sources])


@dataclass
class Problem:
    kind: str
    message: str
    quotes: list
    spans: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "quotes": list(self.quotes)}


@dataclass
class EntityReport:
    name: str
    kind: str
    registered: bool
    mentions: list  # (text, start, end)
    id: Hashable = None
    defined: set = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "registered": self.registered,
            "mentions": [{"text": t, "start": s, "end": e} for t, s, e in self.mentions],
        }


@dataclass
class Report:
    text: str
    start: int
    end: int
    figures: list
    entities: list
    problems: list
    matches: list = field(default_factory=list)  # the registry's linker.Match in the checked part
    scopes: list = field(default_factory=list)  # scope.Scope of each figure
    comparisons: int = 0  # pairs of figures compared (the work the conflict check did)

    def as_dict(self, path=None) -> dict:
        return {
            "path": path,
            "figures": [f.as_dict() for f in self.figures],
            "entities": [e.as_dict() for e in self.entities],
            "problems": [p.as_dict() for p in self.problems],
        }

    def by_kind(self, kind) -> list:
        return [p for p in self.problems if p.kind == kind]


def lint_text(text: str, registry: Registry | None = None, *, strict: bool = False,
              whole: bool = False) -> Report:
    """Lint ``text``. ``whole`` checks all of it (an article body); otherwise only the article
    part of a page is checked. Offsets in the report are offsets into ``text``."""
    registry = registry or Registry.empty()
    text = text or ""
    full = text
    if len(text) > MAX_CHARS:
        cut = text.rfind("\n", 0, MAX_CHARS)
        text = text[: cut if cut > MAX_CHARS // 2 else MAX_CHARS]
    start, end = (0, len(text)) if whole else reading.main_span(text)
    # the site's lines inside the article part (a date line, a caption, a share button, a
    # sidebar's teasers) are blanked, offsets kept: their numbers and names are not the article's
    region = text[start:end] if whole else headline.blank_chrome(text)[start:end]

    figures = [replace(f, start=f.start + start, end=f.end + start) for f in extract_figures(region)]
    toks = names.tokens(region)
    matches = registry.linker.find(region, toks)
    groups = discovery.group_names(region, toks)
    entities = _entities(registry, matches, groups, start)

    problems = []
    scopes = scoping.scopes(text, figures)
    conflicts, comparisons = _conflicts(text, figures, scopes)
    problems += conflicts
    problems += _breakdowns(text, figures, scopes)
    problems += _divergences(text, figures, entities, registry)
    problems += _drift(entities)
    if strict:
        problems += _unsourced(text, figures, entities, registry)
    problems.sort(key=lambda p: (min((s for s, _ in p.spans), default=0), KINDS.index(p.kind)))
    if full is not text:
        problems.append(Problem(TEXT_TOO_LONG, (
            f"the text has {len(full):,} characters; only the first {len(text):,} were checked "
            f"(the lint reads at most {MAX_CHARS:,}): split the document to check the rest"),
            [], [(len(text), len(text))]))
    matches = [replace(m, start=m.start + start, end=m.end + start) for m in matches]
    return Report(full, start, end, figures, entities, problems, matches, scopes, comparisons)


# --- entities -------------------------------------------------------------------------------

def _entities(registry, matches, groups, offset) -> list[EntityReport]:
    by_entity: dict = {}
    for m in matches:
        info = registry.entities.get(m.entity)
        report = by_entity.get(m.entity)
        if report is None:
            report = by_entity[m.entity] = EntityReport(
                info.name if info else m.alias.name, info.kind if info else "unknown", True, [], m.entity
            )
        report.mentions.append((m.text, m.start + offset, m.end + offset))
    registered_spans = [(m.start, m.end, m.entity) for m in matches]
    out = list(by_entity.values())
    for group in groups:
        hits = {e for s, t, e in registered_spans for c in group.mentions if c.start < t and s < c.end}
        loose = [c for c in group.mentions
                 if not any(c.start < t and s < c.end for s, t, _ in registered_spans)]
        if len(hits) == 1:
            # The text's own variants of a registered entity: mentions of it too (and alias
            # candidates for the review queue).
            report = by_entity[next(iter(hits))]
            report.mentions.extend((c.text, c.start + offset, c.end + offset) for c in loose)
            report.defined |= group.defined
            continue
        if hits or not loose:
            continue
        out.append(EntityReport(
            group.canonical, group.kind, False,
            [(c.text, c.start + offset, c.end + offset) for c in loose],
            defined=set(group.defined),
        ))
    for report in out:
        report.mentions.sort(key=lambda m: m[1])
    out.sort(key=lambda r: r.mentions[0][1] if r.mentions else 0)
    return out


# --- problems -------------------------------------------------------------------------------

def snippet(text, start, end, width=60, marks=True) -> str:
    """The line around text[start:end], at most ``width`` characters either side, cut between
    words; with ``marks``, an ellipsis where the line goes on."""
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    if start - left > width:
        cut = text.find(" ", start - width, start)
        left = cut + 1 if cut >= 0 else start - width
    if right - end > width:
        cut = text.rfind(" ", end, end + width)
        right = cut if cut > end else end + width
    words = " ".join(text[left:right].split())
    if not marks:
        return words
    return ("…" if left > 0 and text[left - 1] != "\n" else "") + words + ("…" if right < len(text) and text[right] != "\n" else "")


def describe(f: Figure) -> str:
    """'over 30,000', '2,800–3,800', 'thousands'."""
    if f.qualifier == "vague" or f.value is None:
        return f.quote
    if f.qualifier == "range":
        return f"{format_number(f.low)}–{format_number(f.high)}"
    if f.qualifier == "exact":
        return format_number(f.value)
    return f"{f.qualifier} {format_number(f.value)}"


def phrase(f: Figure) -> str:
    """The figure and what it counts, without saying the count twice."""
    if f.counts and f.counts in f.quote:
        return f.quote
    return f"{describe(f)} {f.counts or ''}".strip()


def _is_count(f: Figure) -> bool:
    return f.same_thing(f)


def _comparable(figures, scopes):
    """Per head noun, the figures that may conflict, one per distinct (scope, value): parts,
    comparisons and figures without a count never conflict. At most MAX_COMPARED_PER_NOUN each."""
    buckets: dict = {}
    for f, sc in zip(figures, scopes):
        if sc.head is None or sc.relation in ("part", "comparison"):
            continue
        if sc.counts != f.counts:
            f = replace(f, counts=sc.counts)
        if not _is_count(f):
            continue
        bucket = buckets.setdefault(sc.head, {})
        signature = (f.qualifier, f.low, f.high, f.counts, sc, getattr(f, "_context", None))
        if signature in bucket or len(bucket) >= MAX_COMPARED_PER_NOUN:
            continue
        bucket[signature] = (f, sc)
    return [list(b.values()) for b in buckets.values()]


def _conflicts(text, figures, scopes) -> list[Problem]:
    """figure-conflict for one scope and incompatible values with nothing to explain them;
    competing-estimates where the text credits the different values to different sources."""
    comparisons = 0
    out, seen = [], set()
    competing: list[list] = []
    for entries in _comparable(figures, scopes):
        # figures of one noun for two or more places are a comparison; one with no place beside
        # them is the whole ("320 journalists worldwide … China held 44 journalists"), not a rival
        placed = len({sc.of for _, sc in entries if sc.of}) >= 2
        groups: dict = {}  # id of an entry -> its competing group
        for i, (a, sa) in enumerate(entries):
            for b, sb in entries[i + 1:]:
                comparisons += 1
                if placed and bool(sa.of) != bool(sb.of):
                    continue
                if not (scoping.compatible(sa, sb) and a.same_thing(b)):
                    continue
                differ = (a.qualifier, a.low, a.high) != (b.qualifier, b.low, b.high)
                if sa.source and sb.source and sa.source != sb.source and differ:
                    group = groups.get(id(a)) or groups.get(id(b))
                    if group is None:
                        group = []
                        competing.append(group)
                    for f, sc in ((a, sa), (b, sb)):
                        if id(f) not in groups:
                            groups[id(f)] = group
                            group.append((f, sc))
                    continue
                if not a.conflicts_with(b):
                    continue
                key = tuple(sorted([(a.qualifier, a.low, a.high), (b.qualifier, b.low, b.high)], key=str))
                if key in seen:
                    continue
                seen.add(key)
                counts = a.counts or b.counts or "the same thing"
                message = (
                    f"{describe(a)} vs {describe(b)} {counts}: "
                    f"“{snippet(text, a.start, a.end)}” / “{snippet(text, b.start, b.end)}”"
                )
                out.append(Problem(FIGURE_CONFLICT, message, [a.quote, b.quote], [(a.start, a.end), (b.start, b.end)]))
    for group in competing:
        group.sort(key=lambda item: item[0].start)
        counts = next((f.counts for f, _ in group if f.counts), "the same thing")
        listed = "; ".join(
            f"{describe(f)} ({_source_label(sc.credited or sc.source)}): “{snippet(text, f.start, f.end, width=40)}”"
            for f, sc in group
        )
        message = f"the text gives different estimates of {counts}, from different sources: {listed}"
        out.append(Problem(COMPETING_ESTIMATES, message, [f.quote for f, _ in group],
                           [(f.start, f.end) for f, _ in group]))
    return out, comparisons


def _source_label(source: str | None) -> str:
    return f"according to {source}" if source else "not credited to a source"


def _breakdowns(text, figures, scopes) -> list[Problem]:
    """breakdown-exceeds-total: items listed after a total that add up to more than it, and
    shares that do not match their count and total."""
    out = []
    total = None  # (figure, scope, items)
    groups = []
    for f, sc in zip(figures, scopes):
        if sc.relation == "total" and sc.head and f.low is not None and sc.share is None:
            total = (f, sc, [])
            groups.append(total)
            continue
        if total is None or sc.relation not in ("item", "part"):
            continue
        if text.count("\n\n", total[0].end, f.start) > 1:
            total = None  # a breakdown is in the total's paragraph or the list right after it
            continue
        if f.qualifier != "exact" or f.value is None or (f.counts and sc.head is None and sc.counts == f.counts):
            continue  # not a count ("40%", "6 years")
        if sc.head not in (None, total[1].head) and not (
                sc.relation == "part" and sc.head in _PERSON_KINDS and total[1].head in _PEOPLE):
            continue
        if sc.relation == "part" and sc.head is None:
            continue  # "120 of them": an item's own part
        total[2].append((f, sc))
    for t, tsc, items in groups:
        if len(items) >= 2 and t.high is not None and t.qualifier in ("exact", "about", "range", "up to", "fewer than"):
            added = sum(f.value for f, _ in items)
            # a round total may be rounded, but not by more than a fiftieth
            allowed = t.high + (min(_tolerance(t), 0.02 * t.high) if t.qualifier == "exact" else 0)
            if added > allowed:
                listed = " + ".join(f"{describe(f)}" for f, _ in items)
                message = (
                    f"the items add up to {format_number(added)}, more than the total of "
                    f"{describe(t)} {t.counts or ''}: {listed}. “{snippet(text, t.start, t.end)}”"
                )
                out.append(Problem(BREAKDOWN_EXCEEDS_TOTAL, message, [t.quote] + [f.quote for f, _ in items],
                                   [(t.start, t.end)] + [(f.start, f.end) for f, _ in items]))
        shared = [(f, sc) for f, sc in items if sc.share is not None and f.qualifier == "exact"]
        if t.qualifier == "exact" and t.value:
            for f, sc in shared:
                if abs(f.value / t.value * 100 - sc.share) > 1.0:
                    message = (
                        f"{describe(f)} is {f.value / t.value * 100:.1f}% of {describe(t)} "
                        f"{t.counts or ''}, not {sc.share:g}%: “{snippet(text, f.start, f.end)}”"
                    )
                    out.append(Problem(BREAKDOWN_EXCEEDS_TOTAL, message, [f.quote, t.quote],
                                       [(f.start, f.end), (t.start, t.end)]))
    # shares with no stated total: each implies one; they must agree
    share_items = [(f, sc) for f, sc in zip(figures, scopes)
                   if sc.share and sc.share > 0 and f.qualifier == "exact" and f.value and sc.head]
    by_head: dict = {}
    for f, sc in share_items:
        by_head.setdefault((sc.head, sc.when), []).append((f, sc))
    for items in by_head.values():
        if len(items) < 2 or len(items) > 12:
            continue
        lows = [f.value * 100 / (sc.share + 1.0) for f, sc in items]
        highs = [f.value * 100 / max(sc.share - 1.0, 0.01) for f, sc in items]
        if max(lows) > min(highs) and not any(_covered(p, f) for p in out for f, _ in items):
            listed = "; ".join(f"{describe(f)} ({sc.share:g}%)" for f, sc in items)
            message = f"these counts and shares cannot come from one total: {listed}"
            out.append(Problem(BREAKDOWN_EXCEEDS_TOTAL, message, [f.quote for f, _ in items],
                               [(f.start, f.end) for f, _ in items]))
    return out


#: kinds of people that split a count of people ("among the detainees are 40 women and 70 men")
_PERSON_KINDS = frozenset({"woman", "man", "child", "boy", "girl", "minor", "adult",
                           "نفر", "تن", "زن", "مرد", "کودک"})
_PEOPLE = frozenset({"person", "detainee", "prisoner", "protester", "defendant", "victim", "student",
                     "journalist", "worker", "activist", "lawyer", "migrant", "refugee", "inmate",
                     "worshipper", "demonstrator", "civilian", "resident", "teacher", "member",
                     "نفر", "تن", "زندانی", "معترض", "دانشجو", "کارگر", "بازداشتی", "زن", "مرد"})


def _covered(problem, figure) -> bool:
    return (figure.start, figure.end) in problem.spans


def _paragraph(text, position) -> tuple[int, int]:
    left = text.rfind("\n\n", 0, position)
    right = text.find("\n\n", position)
    return (0 if left < 0 else left, len(text) if right < 0 else right)


def _nearby_entities(text, entities) -> dict:
    """Paragraph start -> ids of the registered persons, organisations and events it mentions
    (a country or city named nearby ties nothing: nearly every paragraph names one). Computed
    once per lint: per figure it made the lint quadratic in the text."""
    out: dict = {}
    for e in entities:
        if e.registered and e.kind != "place":
            for _, s, _ in e.mentions:
                out.setdefault(_paragraph(text, s)[0], set()).add(e.id)
    return out


def _applicable(text, f: Figure, nearby_map, registry, *, same_value=False) -> list[RegistryFigure]:
    """Registry figures about the same thing as ``f``: same count (and period, when both say),
    tied to the text either by the period or by a mention of what the figure is about nearby.
    With ``same_value``, a registry figure of exactly the same value about an entity mentioned
    nearby also counts (the text may call the 463 signatories "463 signatures")."""
    if not registry.figures or not _is_count(f):
        return []
    nearby = nearby_map.get(_paragraph(text, f.start)[0], set())
    out = []
    for rf in registry.figures:
        tied = (f.period and rf.figure.period and f.period == rf.figure.period) or bool(rf.about & nearby)
        if not tied:
            continue
        if f.same_thing(rf.figure) or (same_value and _same_value(f, rf.figure) and rf.about & nearby):
            out.append(rf)
    return out


def _same_value(a: Figure, b: Figure) -> bool:
    return a.low == b.low and a.high == b.high and a.low is not None


def _registry_range(figures: list[RegistryFigure]) -> str:
    low, _, high, _ = _envelope(figures)
    low = low or None
    high = None if high == float("inf") else high
    if low is not None and high is not None:
        return format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
    if low is not None:
        return f"at least {format_number(low)}"
    return f"up to {format_number(high)}" if high is not None else "an open range"


def _envelope(figures: list[RegistryFigure]) -> tuple:
    """The span of values the registry's sources give for one thing, as a closed interval:
    from the lowest stated floor (0 when every source only gives a ceiling) to the highest
    stated ceiling (unbounded when a source gives only a floor)."""
    figures = [rf for rf in figures if rf.figure.low is not None or rf.figure.high is not None]
    floors = [rf.figure.low for rf in figures
              if rf.figure.qualifier not in ("up to", "fewer than") and rf.figure.low is not None]
    ceilings = [rf.figure.high for rf in figures]
    if not figures:
        return (-float("inf"), False, float("inf"), False)
    low = min(floors) if floors else 0.0
    high = float("inf") if any(h is None for h in ceilings) else max(ceilings)
    return (low, False, high, False)


def _diverges(f: Figure, applicable: list[RegistryFigure]) -> bool:
    """Is the figure outside everything the registry's sources say? An anchored statement
    ("over 300") is read with its implied magnitude, as in figure conflicts."""
    return _disjoint(_interval(f, soft=f.qualifier in _ANCHORED), _envelope(applicable))


def _divergences(text, figures, entities, registry) -> list[Problem]:
    out = []
    nearby = _nearby_entities(text, entities) if registry.figures else {}
    for f in figures:
        applicable = _applicable(text, f, nearby, registry)
        applicable = [rf for rf in applicable if rf.figure.low is not None or rf.figure.high is not None]
        if applicable and _diverges(f, applicable):
            sources = "; ".join(
                f"{describe(rf.figure)} ({', '.join(rf.sources)})" for rf in applicable
            )
            counts = applicable[0].figure.counts
            message = (
                f"{phrase(f)} is outside what the registry says "
                f"({_registry_range(applicable)} {counts}): {sources}. In the text: "
                f"“{snippet(text, f.start, f.end)}”"
            )
            out.append(Problem(REGISTRY_DIVERGENCE, message, [f.quote], [(f.start, f.end)]))
    return out


def _drift(entities) -> list[Problem]:
    out = []
    for e in entities:
        forms = discovery.drift_forms([t for t, _, _ in e.mentions], e.defined)
        if len(forms) < DRIFT_THRESHOLD:
            continue
        written = []
        for t, s, end in e.mentions:
            if t not in written:
                written.append(t)
        where = "registered as" if e.registered else "most complete form"
        message = (
            f"{e.name} ({e.kind}) is named {len(forms)} different ways ("
            + ", ".join(f"“{t}”" for t in forms)
            + "); every form used: "
            + ", ".join(f"“{t}”" for t in written)
            + f"; {where} “{e.name}”. Pick one form and use it throughout."
        )
        first = {}
        for t, s, end in e.mentions:
            first.setdefault(t, (s, end))
        out.append(Problem(ALIAS_DRIFT, message, written, [first[t] for t in written]))
    return out


def _unsourced(text, figures, entities, registry) -> list[Problem]:
    out = []
    nearby = _nearby_entities(text, entities) if registry.figures else {}
    for f in figures:
        if not _is_count(f):
            continue
        supported = [
            rf for rf in _applicable(text, f, nearby, registry, same_value=True)
            if _same_value(f, rf.figure) or not f.conflicts_with(rf.figure)
        ]
        if supported:
            continue
        message = (
            f"{phrase(f)}: no source in the registry supports this figure; add it with its "
            f"source in the facts desk. “{snippet(text, f.start, f.end)}”"
        )
        out.append(Problem(UNSOURCED_FIGURE, message, [f.quote], [(f.start, f.end)]))
    return out


def human_lines(report: Report, path: str) -> list[str]:
    """One line per problem: 'path:line: kind: message'."""
    lines = []
    for p in report.problems:
        start = p.spans[0][0] if p.spans else 0
        line = report.text.count("\n", 0, start) + 1
        message = " ".join(p.message.split())
        lines.append(f"{path}:{line}: {p.kind}: {message}")
    return lines
