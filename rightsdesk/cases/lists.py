"""Matching what a file or a form says ('Sistan-Baluchestan', 'سیستان و بلوچستان', 'moharebeh') to
an entry of a controlled list, by any of its spellings."""
from __future__ import annotations

from rapidfuzz import fuzz, process

from .names import compact


class Matcher:
    """Spellings of one list's entries. ``find`` returns the entry or None (never a guess between
    two entries: a fuzzy match is accepted only when it is close and unambiguous)."""

    def __init__(self, entries, fuzzy=True):
        self.exact = {}
        for entry in entries:
            for spelling in entry.spellings():
                key = compact(spelling)
                if key:
                    self.exact.setdefault(key, entry)
        self.keys = list(self.exact)
        self.fuzzy = fuzzy

    def find(self, text):
        key = compact(text)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        if not self.fuzzy or len(key) < 5:
            return None
        best = process.extract(key, self.keys, scorer=fuzz.ratio, limit=2, score_cutoff=88)
        if not best:
            return None
        entries = {id(self.exact[k]) for k, _, _ in best}
        if len(entries) > 1 and best[0][1] - best[1][1] < 5:
            return None
        return self.exact[best[0][0]]

    def names(self, limit=8):
        seen = []
        for entry in self.exact.values():
            if entry.code not in seen:
                seen.append(entry.code)
        return seen[:limit]


def matchers():
    from .models import ActKind, Charge, Ethnicity, Prison, Province, ReportingOrganisation

    return {
        "act": Matcher(ActKind.objects.all()),
        "charge": Matcher(Charge.objects.all()),
        "province": Matcher(Province.objects.all()),
        "prison": Matcher(Prison.objects.all()),
        "ethnicity": Matcher(Ethnicity.objects.all()),
        "organisation": Matcher(ReportingOrganisation.objects.all(), fuzzy=False),
    }
