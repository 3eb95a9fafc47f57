"""The editorial workflow of a record: a draft until a second editor verifies it; withdrawn with a
reason, never deleted. Every step is in the record's history (who, when, what)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import Act, State


class WorkflowError(Exception):
    """A step that is not allowed; the message says why and what to do."""


def can_verify(act: Act, user) -> str | None:
    """None when `user` may verify `act`, else the reason they may not."""
    if not user.has_perm("cases.verify_act"):
        return "you are not in a group that verifies records (Case verifiers)"
    if act.state == State.WITHDRAWN:
        return "the record is withdrawn"
    if act.state == State.APPROVED:
        return "the record is already verified"
    editors = set(act.revisions.values_list("user_id", flat=True)) | {act.created_by_id}
    editors.discard(None)
    if user.pk in editors:
        return "a second editor must verify it: you entered or edited this record"
    return None


def verify(act: Act, user) -> Act:
    reason = can_verify(act, user)
    if reason:
        raise WorkflowError(reason)
    with transaction.atomic():
        act.state = State.APPROVED
        act.approved_by = user
        act.approved_at = timezone.now()
        act.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
        log(instance=act, action="cases.verify", user=user)
    return act


def withdraw(act: Act, user, reason: str) -> Act:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("give the reason for withdrawing the record")
    if user is not None and not user.has_perm("cases.withdraw_act"):
        raise WorkflowError("you are not in a group that withdraws records (Case verifiers)")
    if act.state == State.WITHDRAWN:
        raise WorkflowError("the record is already withdrawn")
    with transaction.atomic():
        act.state = State.WITHDRAWN
        act.withdrawn_reason = reason
        act.save(update_fields=["state", "withdrawn_reason", "updated_at"])
        log(instance=act, action="cases.withdraw", user=user, data={"reason": reason})
    return act


def edited(act: Act, user):
    """After an editor changes a verified record it needs verifying again."""
    if act.state == State.APPROVED:
        Act.objects.filter(pk=act.pk).update(state=State.DRAFT, approved_by=None, approved_at=None)
        act.state = State.DRAFT
        log(instance=act, action="cases.unverify", user=user, data={"reason": "edited after verification"})
