"""The cases desk's own admin pages: a record's workflow (verify, withdraw), duplicate candidates
(merge, not a duplicate), reconciliation for a period, and importing a file."""
from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from wagtail.models import ModelLogEntry

from . import duplicates, importing, stats, workflow
from .models import Act, ActKind


@permission_required("cases.view_act")
def record_workflow(request, pk):
    act = get_object_or_404(Act.objects.select_related("person", "kind", "approved_by", "created_by"), pk=pk)
    history = ModelLogEntry.objects.for_instance(act).select_related("user").order_by("-timestamp")[:50]
    return TemplateResponse(request, "cases/admin/workflow.html", {
        "act": act, "history": history, "cannot_verify": workflow.can_verify(act, request.user),
        "can_withdraw": request.user.has_perm("cases.withdraw_act") and act.state != "withdrawn",
        "edit_url": reverse("wagtailsnippets_cases_act:edit", args=[act.pk]),
    })


@require_POST
@permission_required("cases.view_act")
def record_verify(request, pk):
    act = get_object_or_404(Act, pk=pk)
    try:
        workflow.verify(act, request.user)
        messages.success(request, f"{act.record_id} verified: it is counted on the public pages.")
    except workflow.WorkflowError as exc:
        messages.error(request, f"Not verified: {exc}.")
    return redirect("cases_admin:workflow", pk=pk)


@require_POST
@permission_required("cases.withdraw_act")
def record_withdraw(request, pk):
    act = get_object_or_404(Act, pk=pk)
    try:
        workflow.withdraw(act, request.user, request.POST.get("reason", ""))
        messages.success(request, f"{act.record_id} withdrawn. It stays in the history; it is no longer counted.")
    except workflow.WorkflowError as exc:
        messages.error(request, f"Not withdrawn: {exc}.")
    return redirect("cases_admin:workflow", pk=pk)


@permission_required("cases.view_act")
def duplicate_list(request):
    found = duplicates.candidates()[:200]
    acts = Act.objects.in_bulk([pk for c in found for pk in (c.first, c.second)])
    rows = [{"candidate": c, "a": acts.get(c.first), "b": acts.get(c.second)} for c in found]
    return TemplateResponse(request, "cases/admin/duplicates.html", {"rows": rows})


@require_POST
@permission_required("cases.merge_act")
def duplicate_decide(request):
    keep = get_object_or_404(Act, pk=request.POST.get("keep"))
    other = get_object_or_404(Act, pk=request.POST.get("other"))
    if request.POST.get("action") == "dismiss":
        duplicates.dismiss(keep, other, request.user)
        messages.success(request, f"{keep.record_id} and {other.record_id} will not be proposed again.")
    else:
        try:
            duplicates.merge(keep, other, request.user)
        except ValueError as exc:
            messages.error(request, f"Not merged: {exc}.")
        else:
            messages.success(request, f"{other.record_id} merged into {keep.record_id}: every source and reporter kept.")
    return redirect("cases_admin:duplicates")


def _date(value, default):
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@permission_required("cases.view_act")
def reconciliation(request):
    today = dt.date.today()
    start = _date(request.GET.get("start"), dt.date(today.year - 1, 1, 1))
    end = _date(request.GET.get("end"), dt.date(today.year - 1, 12, 31))
    act = request.GET.get("act") or None
    result = stats.reconcile(start, end, act=act)
    return TemplateResponse(request, "cases/admin/reconciliation.html", {
        "start": start, "end": end, "act": act or "", "result": result,
        "kinds": ActKind.objects.all(),
    })


@permission_required("cases.add_act")
def import_upload(request):
    context = {}
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            messages.error(request, "Choose a .csv (UTF-8) or .xlsx file.")
        else:
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    _, rows = importing.read_rows(tmp.name)
                    result = importing.import_rows(rows, dry_run=bool(request.POST.get("dry_run")),
                                                   user=request.user, source=upload.name)
                    context["result"] = result
                except importing.FileError as exc:
                    messages.error(request, str(exc).replace(tmp.name, upload.name))
    context["columns"] = importing.COLUMNS
    return TemplateResponse(request, "cases/admin/import.html", context)
