"""Duplicate candidates: the same act reported twice under other spellings, and merging them.

Candidates are found by blocking (same act kind and the same family-name skeleton, see
``names.block_keys``) and, inside a block, comparing records whose dates are at most
``WINDOW_DAYS`` apart (a sorted sweep, so the work grows with the records, not their square).
Each pair gets a score from 0 to 100 and the reasons for it:

* names: the best similarity of their Latin/Persian skeletons (a different first name sinks it);
* dates: overlapping, or a few days apart; further apart costs more;
* province: the same (whatever the spelling in the file), or different (a strong reason against);
* prison, age, reporters: small evidence either way.

Two different people with the same common name months apart in other provinces never meet in
the sweep (more than WINDOW_DAYS apart) or score below THRESHOLD (a different province).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from . import names
from .models import Act, ActReport, ActSource, DismissedPair, State

WINDOW_DAYS = 31
THRESHOLD = 70


@dataclass
class Candidate:
    first: int  # act pk
    second: int
    record_ids: tuple
    score: int
    reasons: list

    def as_dict(self):
        return {"record_ids": list(self.record_ids), "score": self.score, "reasons": self.reasons}


@dataclass(slots=True)
class _Rec:
    pk: int
    record_id: str
    kind: int
    key: str
    start: int  # ordinal day
    end: int
    province: int | None
    prison: int | None
    age: int | None


def _score(a: _Rec, b: _Rec):
    reasons = []
    similarity = names.similarity(a.key, b.key)
    if similarity < 80:
        return 0, []
    score = (similarity - 80) * 2  # 0..40
    reasons.append("same name" if similarity >= 99.5 else f"similar names ({similarity:.0f}%)")
    gap = max(0, max(a.start, b.start) - min(a.end, b.end))
    if gap == 0:
        score += 40
        reasons.append("same date" if a.start == a.end == b.start == b.end else "dates overlap")
    elif gap <= 7:
        score += 35 - gap * 2
        reasons.append(f"dates {gap} day{'s' if gap > 1 else ''} apart")
    else:
        score += max(0, 20 - gap)
        reasons.append(f"dates {gap} days apart")
    if a.province and b.province:
        if a.province == b.province:
            score += 20
            reasons.append("same province")
        else:
            score -= 40
            reasons.append("different provinces")
    if a.prison and b.prison and a.prison == b.prison:
        score += 5
        reasons.append("same prison")
    if a.age is not None and b.age is not None:
        if abs(a.age - b.age) <= 1:
            score += 5
            reasons.append("same age")
        elif abs(a.age - b.age) > 3:
            score -= 30
            reasons.append("different ages")
    return max(0, min(100, round(score))), reasons


def _records(queryset=None):
    qs = queryset if queryset is not None else Act.objects.counted()
    rows = qs.filter(date_start__isnull=False).values_list(
        "pk", "record_id", "kind_id", "person__name_key", "date_start", "date_end", "province_id", "prison_id", "age")
    return [_Rec(pk, rid, kind, key, s.toordinal(), e.toordinal(), prov, prison, age)
            for pk, rid, kind, key, s, e, prov, prison, age in rows.iterator(chunk_size=5000)]


def candidates(queryset=None, threshold=THRESHOLD) -> list[Candidate]:
    """Candidate pairs, best first."""
    records = _records(queryset)
    blocks = defaultdict(list)
    for rec in records:
        for block in names.block_keys(rec.key):
            blocks[(rec.kind, block)].append(rec)
    dismissed = set(DismissedPair.objects.values_list("first_id", "second_id"))
    found = {}
    for members in blocks.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda r: r.start)
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if b.start - a.end > WINDOW_DAYS:
                    break
                pair = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
                if pair in found or pair in dismissed:
                    continue
                score, reasons = _score(a, b)
                if score >= threshold:
                    first, second = (a, b) if a.pk < b.pk else (b, a)
                    found[pair] = Candidate(first.pk, second.pk, (first.record_id, second.record_id), score, reasons)
    return sorted(found.values(), key=lambda c: (-c.score, c.record_ids))


def merge(keep: Act, other: Act, user=None) -> Act:
    """Merge ``other`` into ``keep``: every source and reporter of ``other`` moves to ``keep``,
    charges are joined, what ``keep`` lacks is filled from ``other``; ``other`` is withdrawn
    ("merged into ...") and stays in the history. Nothing is deleted."""
    from wagtail.log_actions import log

    if keep.pk == other.pk:
        raise ValueError("a record cannot be merged into itself")
    if other.state == State.WITHDRAWN:
        raise ValueError(f"{other.record_id} is withdrawn: it cannot be merged")
    with transaction.atomic():
        moved_sources = ActSource.objects.filter(act=other).update(act=keep)
        existing = set(keep.reports.values_list("organisation_id", "external_id"))
        moved_reports = 0
        for report in ActReport.objects.filter(act=other):
            if (report.organisation_id, report.external_id) in existing:
                continue
            ActReport.objects.filter(pk=report.pk).update(act=keep)
            moved_reports += 1
        keep.charges.add(*other.charges.all())
        for field in ("province", "prison", "age", "age_at_offence"):
            if getattr(keep, field) is None and getattr(other, field) is not None:
                setattr(keep, field, getattr(other, field))
        for field in ("city", "narrative"):
            if not getattr(keep, field) and getattr(other, field):
                setattr(keep, field, getattr(other, field))
        person, other_person = keep.person, other.person
        if not person.name and other_person.name:
            person.name = other_person.name
        if not person.name_fa and other_person.name_fa:
            person.name_fa = other_person.name_fa
        person.save()
        note = f"Merged {other.record_id} into this record."
        keep.notes = f"{keep.notes}\n{note}".strip()
        keep.save()
        other.state = State.WITHDRAWN
        other.merged_into = keep
        other.withdrawn_reason = f"Duplicate: merged into {keep.record_id}"
        other.save(update_fields=["state", "merged_into", "withdrawn_reason", "updated_at"])
        data = {"kept": keep.record_id, "merged": other.record_id, "sources": moved_sources, "reports": moved_reports}
        log(instance=keep, action="cases.merge", user=user, data=data)
        log(instance=other, action="cases.merge", user=user, data=data)
        keep.save_revision(user=user, log_action=False)
    return keep


def dismiss(a: Act, b: Act, user=None):
    first, second = (a, b) if a.pk < b.pk else (b, a)
    DismissedPair.objects.get_or_create(first=first, second=second, defaults={"by": user})

