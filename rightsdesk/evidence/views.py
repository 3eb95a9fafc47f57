"""The evidence desk in the Wagtail admin: capture a page, browse captures, read the extracted text,
download originals (logged), import a capture as a draft article or a source, withdraw a capture
(logged, with a reason). Nothing here edits or deletes a stored original."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from rightsdesk.newsroom.models import SectionPage

from .capture import CaptureError, capture_file, capture_url, log_view, withdraw
from .models import Capture, CaptureMethod
from .store import StoreError, default_store
from .trust_views import trust_context


class CaptureForm(forms.Form):
    url = forms.URLField(label="Address (URL)", required=False, max_length=2000, assume_scheme="https",
                         help_text="The page is fetched now, with its redirects, and stored as evidence.")
    file = forms.FileField(label="…or a page saved by hand", required=False,
                           help_text="A saved web page (.html), a text (.txt, .md) or a PDF. Give its original "
                           "address above.")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           help_text="Why it is captured, or what it shows. Kept in the custody log.")

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise forms.ValidationError("Give the address of the page to capture, or a saved file.")
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text="Why this capture should no longer be used. The original stays stored.")


@permission_required("evidence.view_capture", raise_exception=True)
def index(request):
    captures = Capture.objects.all()
    query = request.GET.get("q", "").strip()
    if query:
        captures = captures.filter(Q(title__icontains=query) | Q(requested_url__icontains=query)
                                   | Q(final_url__icontains=query) | Q(note__icontains=query)
                                   | Q(payload_sha256__startswith=query.lower()))
    state = request.GET.get("state", "")
    if state == "withdrawn":
        captures = captures.filter(withdrawn=True)
    elif state == "current":
        captures = captures.filter(withdrawn=False)
    method = request.GET.get("method", "")
    if method in CaptureMethod.values:
        captures = captures.filter(method=method)
    page = Paginator(captures.order_by("-captured_at"), 50).get_page(request.GET.get("p"))
    return TemplateResponse(request, "evidence/admin/index.html", {
        "page": page, "query": query, "state": state, "method": method, "methods": CaptureMethod.choices,
        "can_capture": request.user.has_perm("evidence.add_capture"),
    })


@permission_required("evidence.add_capture", raise_exception=True)
def add(request):
    form = CaptureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("file")
            if upload:
                result = capture_file(upload.name, original_url=form.cleaned_data["url"], user=request.user,
                                      note=form.cleaned_data["note"], data=upload.read(), filename=upload.name)
            else:
                result = capture_url(form.cleaned_data["url"], user=request.user, note=form.cleaned_data["note"])
        except CaptureError as exc:
            form.add_error(None, str(exc))
        else:
            if result.stored:
                messages.success(request, f"Captured and stored as capture {result.capture.pk}.")
            else:
                messages.info(request, f"The same bytes were already stored as capture {result.capture.pk}; this "
                              "capture is recorded in the custody log.")
            return redirect("evidence:detail", result.capture.pk)
    return TemplateResponse(request, "evidence/admin/add.html", {"form": form})


def _custody_entries(capture):
    return [entry for _, _, entry in default_store().entries() if entry and entry.get("capture") == capture.pk]


@permission_required("evidence.view_capture", raise_exception=True)
def detail(request, pk):
    capture = get_object_or_404(Capture, pk=pk)
    sections = SectionPage.objects.live().select_related("locale").order_by("locale__language_code", "path")
    return TemplateResponse(request, "evidence/admin/detail.html", {
        "capture": capture,
        "events": capture.events.all(),
        "links": capture.links.select_related("page"),
        "sources": capture.sources.all(),
        "custody": _custody_entries(capture),
        "paragraphs": [p for p in capture.text.split("\n\n") if p.strip()],
        "sections": sections,
        "withdraw_form": WithdrawForm(),
        "can_withdraw": request.user.has_perm("evidence.withdraw_capture") and not capture.withdrawn,
        "can_import": not capture.withdrawn and bool(capture.text.strip()),
        "can_source": request.user.has_perm("facts.add_source") and not capture.withdrawn,
        **trust_context(capture),  # trust: replay, timestamps, watched-source flag
    })


@permission_required("evidence.view_capture", raise_exception=True)
def original(request, pk, kind):
    capture = get_object_or_404(Capture, pk=pk)
    files = {k: (name, sha) for k, name, sha in capture.originals()}
    if kind not in files:
        raise Http404("No such original for this capture")
    name, sha = files[kind]
    path = default_store().path(name)
    if not path.is_file():
        raise Http404("The stored file is missing: run `rightsdesk verify`")
    try:
        log_view(capture, kind, user=request.user)
    except StoreError as exc:
        messages.error(request, f"Not opened: the view could not be recorded in the custody log ({exc}).")
        return redirect("evidence:detail", pk)
    suffix = "warc.gz" if kind == "warc" else "png"
    response = FileResponse(open(path, "rb"), as_attachment=kind == "warc",
                            filename=f"capture-{capture.pk}-{sha[:12]}.{suffix}",
                            content_type="application/warc" if kind == "warc" else "image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@permission_required("evidence.view_capture", raise_exception=True)
def import_article(request, pk):
    from .importing import ImportRefused, as_article

    capture = get_object_or_404(Capture, pk=pk)
    section = SectionPage.objects.filter(pk=request.POST.get("section") or 0).first()
    if section is None:
        messages.error(request, "Choose the section the draft goes in.")
        return redirect("evidence:detail", pk)
    if not section.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    try:
        imported = as_article(capture, section_slug=section.slug, user=request.user, section=section)
    except (ImportRefused, StoreError) as exc:
        messages.error(request, str(exc))
        return redirect("evidence:detail", pk)
    problems = len(imported.report.problems) if imported.report else 0
    if imported.needs_title:
        messages.warning(request, "No headline was found in the saved page: the draft's title is its first "
                                  "sentence. Check the title before publishing.")
    messages.success(request, f"Draft article created from capture {capture.pk}."
                     + (f" The facts check found {problems} thing(s) to look at: see the Facts check panel."
                        if problems else ""))
    return redirect(reverse("wagtailadmin_pages:edit", args=[imported.obj.pk]))


@require_POST
@permission_required("facts.add_source", raise_exception=True)
def make_source(request, pk):
    from .importing import ImportRefused, as_source

    capture = get_object_or_404(Capture, pk=pk)
    try:
        imported = as_source(capture, user=request.user)
    except (ImportRefused, StoreError) as exc:
        messages.error(request, str(exc))
        return redirect("evidence:detail", pk)
    messages.success(request, ("Source created" if imported.created else "This capture is already a source")
                     + f": {imported.obj.label()}.")
    return redirect("evidence:detail", pk)


@require_POST
@permission_required("evidence.withdraw_capture", raise_exception=True)
def withdraw_view(request, pk):
    capture = get_object_or_404(Capture, pk=pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for withdrawing the capture.")
        return redirect("evidence:detail", pk)
    try:
        withdraw(capture, form.cleaned_data["reason"], user=request.user)
    except CaptureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Capture {capture.pk} is withdrawn. Its original stays stored and verifiable.")
    return redirect("evidence:detail", pk)
