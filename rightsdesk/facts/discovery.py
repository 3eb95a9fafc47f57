"""Find the names a text uses and group those that mean the same entity, with no registry at all.

Rules, all general (nothing here knows any particular name):

* Candidate names are runs of capitalised words (with connectors such as "of the", "for",
  "-e", and a year inside a name), outside headline-case lines. A capitalised word at the start
  of a sentence counts only if the text also capitalises it elsewhere mid-sentence; leading
  titles ("President", "Ayatollah") are part of the mention but not of the name; a role before
  "of" ("Director of the …") is not part of the name.
* Definitions in the text join names: "X (A or B)", "X (A/B)", "X, also known as Y",
  "X (aka Y)", "X, formerly Y". An acronym before a parenthesis keeps only the words its letters
  cover ("Director of the Campaign for Iran Change (CIC)" -> "Campaign for Iran Change").
* An acronym joins the one name whose capital initials spell it (UN -> United Nations).
* A shorter name joins a longer one when its head word (last distinctive word) is one of the
  longer name's distinctive words, matched across spellings (Raisi -> Ebrahim Raisi, Mujahedeen's
  organization -> People's Mojahedin); two full personal names with the same surname but
  different first names stay apart. Words the text also uses in lower case ("people", "rights")
  and generic nouns ("council", "house") are not distinctive.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from . import names

CONNECTORS = {
    "of", "the", "for", "and", "de", "del", "della", "di", "da", "du", "la", "le", "al", "el",
    "e", "ul", "ol", "ud", "bin", "ibn", "van", "von", "y", "against",
}
STOPWORDS = {
    "a", "an", "the", "he", "she", "it", "they", "we", "you", "i", "his", "her", "its", "their",
    "our", "this", "that", "these", "those", "in", "on", "at", "by", "for", "from", "to", "with",
    "as", "of", "and", "or", "but", "so", "if", "when", "while", "after", "before", "since",
    "now", "then", "there", "here", "all", "some", "many", "most", "no", "not", "yes", "one",
    "two", "three", "every", "each", "both", "also", "however", "meanwhile", "today", "yesterday",
    "tomorrow", "according", "speaking", "referring", "reminding", "although", "though", "what",
    "who", "which", "where", "why", "how", "mr", "mrs", "ms", "dr", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "latest", "news", "read", "more", "related", "recommended", "share", "comments", "home",
    "later", "earlier", "last", "next", "during", "despite", "therefore", "thus", "still", "yet",
    "instead", "indeed", "finally", "first", "second", "third", "another", "such", "several",
    "under", "over", "about", "between", "among", "within", "without", "across", "through",
    "into", "upon", "towards", "toward", "article", "articles", "paragraph", "section", "chapter",
    "resolution", "rule", "clause", "page", "item", "no", "number",
}
# Nouns that name a kind of organisation: generic in a name, and a sign the name is an organisation.
ORG_NOUNS = {
    "agency", "alliance", "army", "assembly", "association", "campaign", "center", "centre",
    "coalition", "commission", "committee", "commons", "corps", "council", "court",
    "federation", "forces", "foundation", "front", "fund", "government", "group", "guards",
    "institute", "justice", "league", "lords", "ministry", "mission", "movement", "nations",
    "network", "news", "office", "organisation", "organization", "parliament", "party",
    "police", "rights", "service", "society", "times", "trust", "union", "university", "watch",
}
GENERIC = ORG_NOUNS | {
    "act", "change", "charter", "church", "city", "code", "committees", "convention",
    "councils", "courts", "covenant", "day", "declaration", "department", "executions",
    "general", "house", "human", "initiative", "international", "islamic", "law", "leader",
    "massacre", "national", "people", "peoples", "press", "prison", "program", "programme",
    "project", "protests", "protocol", "province", "rapporteur", "regime", "report", "republic",
    "revolution", "school", "special", "square", "state", "street", "supreme", "treaty",
    "united", "victims", "war", "week", "year",
}
ROLES = {
    "director", "coordinator", "head", "chair", "chairman", "chairwoman", "member", "members",
    "spokesperson", "spokesman", "spokeswoman", "secretary", "minister", "president", "leader",
    "founder", "chief", "deputy", "representative", "ambassador", "governor", "mayor", "judge",
    "prosecutor", "lawyer", "advocate", "professor", "editor", "author", "official", "officials",
    "survivor", "supporters", "supporter", "families", "relatives",
}
ORG_WORDS = ORG_NOUNS | {"bank"}
EVENT_WORDS = {
    "massacre", "war", "executions", "execution", "protests", "protest", "revolution", "uprising",
    "trial", "election", "genocide", "killings", "crackdown", "strike", "movement", "summit",
    "day", "conference", "games", "festival", "elections", "campaign",
}
PLACE_WORDS = {
    "prison", "street", "square", "city", "province", "cemetery", "county", "district", "house",
    "mountain", "river", "island", "hospital", "gate", "road", "sea", "gulf", "desert", "hall",
    "states", "kingdom",
}
LAW_WORDS = {"code", "law", "act", "convention", "covenant", "charter", "treaty", "protocol", "bill", "decree"}
PERSON_TITLES_HINT = {
    "mr", "mrs", "ms", "dr", "president", "ayatollah", "baroness", "lord", "sir", "dame",
    "prof", "professor", "judge", "minister", "sheikh", "imam", "hojatoleslam", "madam", "lady",
}
_DEFINERS = re.compile(
    r"^\s*(?:,\s*|\(\s*)?(?:also\s+known\s+as|better\s+known\s+as|known\s+as|a\.?k\.?a\.?|"
    r"formerly(?:\s+known\s+as)?|or\s+simply)\s+",
    re.I,
)
_PAREN = re.compile(r"^\s*\(([^()\n]{1,80})\)")


@dataclass
class Candidate:
    """A name as written in the text."""

    start: int
    end: int
    text: str
    name: str  # the name without leading titles
    words: list  # names.Token of the name (titles excluded)
    title: str = ""
    sentence_initial: bool = False

    @property
    def key(self) -> tuple:
        return tuple(w.key for w in self.words)

    @property
    def is_acronym(self) -> bool:
        return len(self.words) == 1 and self.words[0].is_upper and 2 <= len(self.words[0].text) <= 7


@dataclass
class Group:
    """Names the text uses for one entity."""

    mentions: list = field(default_factory=list)  # Candidate
    defined: set = field(default_factory=set)  # names defined in the text (acronyms, aka)
    definers: set = field(default_factory=set)  # the names those definitions explain
    kind: str = "unknown"

    @property
    def forms(self) -> list[str]:
        seen, out = set(), []
        for m in sorted(self.mentions, key=lambda m: m.start):
            folded = names.normalize_name(m.text)
            if folded not in seen:
                seen.add(folded)
                out.append(m.text)
        return out

    @property
    def canonical(self) -> str:
        # The name the text itself defines ("X (ACRONYM)", "X, also known as Y"), else the fullest.
        full = [m for m in self.mentions if not m.is_acronym] or self.mentions
        best = max(full, key=lambda m: (m.name in self.definers, len(m.words), len(m.name), -m.start))
        return best.name

    def drift_forms(self) -> list[str]:
        return drift_forms([m.text for m in self.mentions], self.defined)


def drift_forms(surfaces, defined=()) -> list[str]:
    """The distinct ways of naming one entity that count as drift: titles removed, a name whose
    words all appear in a longer name counted once with it, and acronyms the text itself defines
    left out (defining an abbreviation is good practice)."""
    variants = {}
    for surface in surfaces:
        name = names.strip_titles(surface)
        words = names.tokens(name)
        if len(words) == 1 and words[0].is_upper and name in defined:
            continue
        key = tuple(w.folded for w in words)
        if key:
            variants.setdefault(key, name)
    keys = list(variants)
    kept = [k for k in keys if not any(k != other and set(k) < set(other) for other in keys)]
    return [variants[k] for k in kept]


def _sentence_starts(text: str, toks) -> set[int]:
    starts = set()
    previous_end = 0
    for index, token in enumerate(toks):
        gap = text[previous_end:token.start]
        if index == 0 or re.search(r"[.!?؟:;\"“”«»\n]\s*$|^\s*[“\"«]", gap) or "\n" in gap:
            starts.add(index)
        previous_end = token.end
    return starts


def _headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in headline case (most words capitalised)."""
    out, position = [], 0
    for line in text.split("\n"):
        words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line)]
        if len(words) >= 4:
            caps = sum(1 for w in words if w[0].isupper())
            if caps / len(words) >= 0.6 and not line.rstrip().endswith((".", "”", '"')):
                out.append((position, position + len(line)))
        position += len(line) + 1
    return out


def find_candidates(text: str, toks=None) -> list[Candidate]:
    toks = names.tokens(text) if toks is None else toks
    if not toks:
        return []
    lowercase_words = {t.folded for t in toks if t.text[:1].islower()}
    sentence_starts = _sentence_starts(text, toks)
    headlines = _headline_lines(text)
    capitalised_mid = {t.folded for i, t in enumerate(toks) if t.is_capitalised and i not in sentence_starts}

    headline_starts = [s for s, _ in headlines]

    def in_headline(token):
        i = bisect.bisect_right(headline_starts, token.start) - 1
        return i >= 0 and token.start < headlines[i][1]

    def is_cap(i):
        t = toks[i]
        if not t.is_capitalised or t.folded.isdigit() or names.script_of(t.text) != names.LATIN:
            return False
        if i in sentence_starts:
            if re.search(r"(ly|ing|ed)$", t.folded) and t.folded not in capitalised_mid:
                return False  # "Speaking …", "Reportedly …", "Asked …"
            return t.folded not in STOPWORDS and t.folded not in lowercase_words and (
                t.folded in capitalised_mid or (i + 1 < len(toks) and _joined(text, t, toks[i + 1]) and toks[i + 1].is_capitalised)
            )
        return t.folded not in STOPWORDS or t.is_upper

    out = []
    i, n = 0, len(toks)
    while i < n:
        if in_headline(toks[i]) or not (is_cap(i) or _year_before_cap(toks, i, text)):
            i += 1
            continue
        j = i
        while j + 1 < n:
            nxt = j + 1
            if not _joined(text, toks[j], toks[nxt]):
                break
            if is_cap(nxt) and nxt not in sentence_starts:
                j = nxt
                continue
            # connectors or a year inside a name, when a capitalised word follows
            k = nxt
            while k < n and k - nxt < 3 and (toks[k].folded in CONNECTORS or toks[k].folded.isdigit()
                                              or (toks[k].folded == "on" and toks[k - 1].folded in GENERIC)) \
                    and _joined(text, toks[k - 1], toks[k]):
                if toks[k].folded == "and" and (
                    not any(t.folded in {"of", "for", "on"} for t in toks[i:k])
                    or (k + 1 < n and toks[k + 1].folded == "the")
                ):
                    break  # "Germany and Iceland" are two names; "Campaign for Justice and Truth" one
                k += 1
            if k > nxt and k < n and _joined(text, toks[k - 1], toks[k]) and is_cap(k) and k not in sentence_starts:
                j = k
                continue
            break
        span = toks[i : j + 1]
        span = _drop_role_prefix(span)
        while span and (span[-1].folded in CONNECTORS or span[-1].folded.isdigit()):
            span = span[:-1]
        if span and not _not_a_name(span):
            out.append(_candidate(text, span, i in sentence_starts))
        i = j + 1
    return out


_DEMONYM = re.compile(r"(ian|ean|ese|ish|ic|ist|ists|ians|eans)$")


def _not_a_name(span) -> bool:
    """Titles and roles alone ("President", "Supreme Leader"), demonyms and adjectives
    ("Iranian", "European"), plural acronyms ("NGOs")."""
    words = [t.folded for t in span]
    if all(w in ROLES or w in PERSON_TITLES_HINT or w in CONNECTORS or w in {"supreme", "general", "special", "former"} for w in words):
        return True
    if all((_DEMONYM.search(w) and not t.is_upper) or w in CONNECTORS or w in STOPWORDS for w, t in zip(words, span)):
        return True  # "Iranian", "Kurdish and Baluch", "Swedish-Iranian"
    if len(span) == 1:
        text = span[0].text
        if words[0] in GENERIC:
            return True  # "Council", "Assembly" alone: a reference, not a name
        if len(text) > 2 and text[:-1].isupper() and text.endswith("s"):
            return True
    return False


def _year_before_cap(toks, i, text):
    t = toks[i]
    return (
        t.folded.isdigit() and len(t.folded) == 4 and i + 1 < len(toks)
        and toks[i + 1].is_capitalised and _joined(text, t, toks[i + 1])
        and i > 0 and toks[i - 1].folded == "the"
    )


def _joined(text, a, b) -> bool:
    gap = text[a.end:b.start]
    if a.end < len(text) and text[a.end:a.end + 2] in ("'s", "’s"):
        gap = gap[2:]
        return gap.strip() == "" and "\n" not in gap
    if gap in (" ", "-", "‐", "–") or (gap.strip() == "" and "\n" not in gap and len(gap) <= 2):
        return True
    # initials and abbreviated titles: "T. Boumedra", "Mr. Stevenson"
    return gap.strip() == "." and (len(a.text) == 1 or a.folded in PERSON_TITLES_HINT) and "\n" not in gap


def _drop_role_prefix(span):
    # "Director of the Justice for …" -> "Justice for …"; "Member of the House of Lords" -> …
    for index, token in enumerate(span[:3]):
        if token.folded == "of" and index > 0 and all(t.folded in ROLES or t.folded in {"former", "deputy"} for t in span[:index]):
            rest = span[index + 1 :]
            while rest and rest[0].folded in CONNECTORS:
                rest = rest[1:]
            return rest or span
    return span


def _candidate(text, span, sentence_initial) -> Candidate:
    start, end = span[0].start, span[-1].end
    surface = text[start:end]
    name = names.strip_titles(surface)
    title = surface[: len(surface) - len(name)].strip() if name != surface else ""
    offset = start + (len(surface) - len(name))
    words = [t for t in span if t.start >= offset]
    return Candidate(start, end, surface, name, words or span, title, sentence_initial)


def _initials(candidate: Candidate) -> str:
    return "".join(
        w.text[0].upper() for w in candidate.words
        if (w.is_capitalised or w.folded == "e") and not w.folded.isdigit()
    )


def _trim_to_acronym(text, candidate: Candidate, acronym: str) -> Candidate:
    letters = set(acronym.upper())
    words = candidate.words
    for index, word in enumerate(words):
        if not word.is_capitalised:
            continue
        rest = words[index:]
        initials = {w.text[0].upper() for w in rest if w.is_capitalised and not w.folded.isdigit()}
        if initials and initials <= letters:
            if index == 0:
                return candidate
            return _candidate(text, rest, False)
    return candidate


def group_names(text: str, toks=None) -> list[Group]:
    """Candidate names of the text grouped by the entity they name (see the module docstring)."""
    toks = names.tokens(text) if toks is None else toks
    candidates = find_candidates(text, toks)
    lowercase_words = {t.folded for t in toks if t.text[:1].islower()}

    # Definitions: "X (A or B)", "X, also known as Y".
    by_start = {c.start: c for c in candidates}
    starts = [c.start for c in candidates]  # candidates are in text order
    links, defined, definers = [], set(), set()
    for index, c in enumerate(candidates):
        after = text[c.end : c.end + 120]
        m = _PAREN.match(after)
        if m:
            items = [s.strip(" .;,") for s in re.split(r"\s+or\s+|/|,|;", m.group(1))]
            lo = bisect.bisect_right(starts, c.end)
            hi = bisect.bisect_left(starts, c.end + m.end())
            inner = [x for x in candidates[lo:hi] if c.end < x.start and x.text in items]
            if inner and all(x.text in items for x in inner):
                acronyms = [x for x in inner if x.is_acronym]
                if acronyms:
                    trimmed = _trim_to_acronym(text, c, acronyms[0].text)
                    if trimmed is not c:
                        candidates[index] = c = trimmed
                for x in inner:
                    links.append((c, x))
                    defined.add(x.name)
                    definers.add(c.name)
                continue
        m = _DEFINERS.match(after)
        if m:
            target = by_start.get(c.end + m.end())
            if target is not None:
                links.append((c, target))
                defined.add(target.name)
                definers.add(c.name)

    # Union-find over name keys.
    parent: dict = {}

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    def node(c):
        return tuple(w.folded for w in c.words)

    for c in candidates:
        find(node(c))
    for a, b in links:
        union(node(a), node(b))

    representatives = {}
    for c in candidates:
        representatives.setdefault(node(c), c)
    nodes = list(representatives)

    # Acronyms spelled by a name's initials (names indexed by their initials: one pass).
    by_initials: dict = {}
    for o in nodes:
        r = representatives[o]
        if not r.is_acronym and len(r.words) > 1:
            by_initials.setdefault(_initials(r), []).append(o)
    for k in nodes:
        c = representatives[k]
        if not c.is_acronym:
            continue
        spelled = {find(o) for o in by_initials.get(c.words[0].text.upper(), ()) if o != k}
        if len(spelled) == 1:
            union(spelled.pop(), k)

    def distinctive(word):
        return (
            len(word.folded) > 1 and not word.folded.isdigit() and word.folded not in STOPWORDS
            and word.folded not in GENERIC and word.folded not in CONNECTORS
            and word.folded not in lowercase_words and not word.is_upper
        )

    cores = {}

    def core(c):
        words = cores.get(id(c))
        if words is None:
            words = []
            for w in c.words:
                if w.folded in {"of", "for", "against", "on", "in"}:
                    break
                if distinctive(w):
                    words.append(w)
            cores[id(c)] = words
        return words

    # A name whose head word is a distinctive word of another name joins it, unless in the other
    # name that word only modifies a generic noun ("Iran" in "Iran Human Rights"); a name that is
    # the end of a longer one ("Human Rights Council") joins it.
    def modifies_generic(c, word) -> bool:
        """Is ``word`` followed, in name ``c``, by a generic noun it only qualifies?"""
        index = next(i for i, w in enumerate(c.words) if w is word)
        for x in c.words[index + 1:]:
            if x.folded in {"of", "for", "against", "on", "in"}:
                return False
            if x.folded in GENERIC:
                return True
        return False

    def joins(c, o) -> bool:
        mine, other = core(c), core(o)
        fc, fo = [w.folded for w in c.words], [w.folded for w in o.words]
        if len(fc) >= 2 and len(fc) < len(fo) and fo[-len(fc):] == fc:
            return True
        if not mine or c.is_acronym or not other:
            return False
        head = mine[-1]
        if modifies_generic(c, head):
            return False  # "Iran" in "Iran Human Rights" is not what the name is about
        for w in o.words:
            if w in other and names.same_word(head, w):
                if modifies_generic(o, w):
                    return False
                if (len(mine) >= 2 and len(other) >= 2 and not names.same_word(mine[0], other[0])
                        and _looks_personal(c) and _looks_personal(o)):
                    return False  # same surname, different first name: two people
                return True
        return False

    # Only names sharing a word key (or a last word) can join: index them by those.
    by_key: dict = {}
    for o in nodes:
        other = representatives[o]
        for w in core(other):
            by_key.setdefault(w.key, []).append(o)
        by_key.setdefault(("last", other.words[-1].folded), []).append(o)
    for k in sorted(nodes, key=len):
        c = representatives[k]
        mine = core(c)
        possible = set(by_key.get(("last", c.words[-1].folded), ()))
        if mine:
            possible.update(by_key.get(mine[-1].key, ()))
        targets = {find(o) for o in possible if find(o) != find(k) and joins(c, representatives[o])}
        for target in targets:
            union(target, k)

    groups: dict = {}
    for c in candidates:
        groups.setdefault(find(node(c)), Group()).mentions.append(c)
    out = []
    for g in groups.values():
        g.defined = {m.name for m in g.mentions if m.name in defined}
        g.definers = {m.name for m in g.mentions if m.name in definers}
        g.kind = guess_kind(g, text)
        out.append(g)
    out.sort(key=lambda g: min(m.start for m in g.mentions))
    return out


def _looks_personal(c: Candidate) -> bool:
    return not any(w.folded in ORG_WORDS or w.folded in EVENT_WORDS or w.folded in PLACE_WORDS for w in c.words)


def guess_kind(group: Group, text: str) -> str:
    words = {w.folded for m in group.mentions for w in m.words}
    words |= {w[:-1] for w in words if w.endswith("s")}  # "Courts" -> "court"
    titles = {names.fold(m.title).rstrip(".").split(" ")[-1] for m in group.mentions if m.title}
    if group.defined and any(m.is_acronym for m in group.mentions):
        return "organisation"
    if words & LAW_WORDS:
        return "unknown"  # a law or treaty: not one of the registry's four kinds
    if words & EVENT_WORDS:
        return "event"
    if words & ORG_WORDS:
        return "organisation"
    if titles & PERSON_TITLES_HINT or titles:
        return "person"
    if words & PLACE_WORDS:
        return "place"
    preceded = [text[max(0, m.start - 6) : m.start].strip().lower().split(" ")[-1:] for m in group.mentions]
    if any(p and p[0] in {"in", "at", "from", "to", "across", "near"} for p in preceded) and all(len(m.words) <= 2 for m in group.mentions):
        return "place"
    if any(len(m.words) in (2, 3) for m in group.mentions):
        return "person"
    return "unknown"
