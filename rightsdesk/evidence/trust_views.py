"""The evidence desk's trust pages in the admin: the capture replayed by ReplayWeb.page (served
from the npm package installed at build time, never from a CDN), and the watched sources with
the differences found."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from csp.constants import SELF
from csp.decorators import csp_replace

from . import watch
from .capture import log_view
from .models import Capture, WatchedSource
from .export import ExportError
from .store import StoreError, default_store, sha256_file
from .wacz import replay_package

REPLAY_FILES = {"ui.js": "text/javascript", "sw.js": "text/javascript"}

# ReplayWeb.page's service worker hashes and unpacks the WACZ with WebAssembly and reads its own
# icons as data: addresses: its two files and its base page get the admin's policy with exactly
# that added (the service worker runs under the policy its script was served with).
REPLAY_CSP = csp_replace({"script-src": [SELF, "'wasm-unsafe-eval'"], "connect-src": [SELF, "data:", "blob:"]})


def replay_dir() -> Path:
    configured = getattr(settings, "RIGHTSDESK_REPLAY_DIR", "")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent / "replay" / "node_modules" / "replaywebpage"


def replay_available() -> bool:
    return all((replay_dir() / name).is_file() for name in REPLAY_FILES)


@REPLAY_CSP
@permission_required("evidence.view_capture", raise_exception=True)
def replay_asset(request, name):
    """ReplayWeb.page's own files (its service worker's scope is this folder)."""
    if name not in REPLAY_FILES:
        raise Http404("Not a file of the replay")
    path = replay_dir() / name
    if not path.is_file():
        raise Http404("ReplayWeb.page is not installed: run `make replay` (npm ci)")
    response = FileResponse(open(path, "rb"), content_type=REPLAY_FILES[name])
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@xframe_options_sameorigin  # the capture page shows it in a frame
@REPLAY_CSP
@permission_required("evidence.view_capture", raise_exception=True)
def replay_index(request):
    """The page ReplayWeb.page's frame loads at its base (its service worker serves it too)."""
    response = HttpResponse('<!doctype html><html><head><meta charset="utf-8"><title>Replay</title>'
                            '<script src="./ui.js"></script></head><body><replay-app-main></replay-app-main>'
                            "</body></html>")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@permission_required("evidence.view_capture", raise_exception=True)
def replay_source(request, pk, name):
    """The capture as a WACZ for the replay (made from the stored WARC once its hash is checked);
    the opening is logged (not each range of it)."""
    capture = get_object_or_404(Capture, pk=pk)
    if name != f"capture-{capture.pk}.wacz":
        raise Http404("No such file for this capture")
    path = default_store().path(capture.warc_name)
    if not path.is_file() or sha256_file(path) != capture.warc_sha256:
        raise Http404("The stored file is missing or altered: run `rightsdesk verify`")
    try:
        package = replay_package(capture)
    except (ExportError, OSError):
        raise Http404("The replay package could not be made") from None
    if request.method == "GET" and request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
        try:
            log_view(capture, "warc", user=request.user)
        except StoreError:
            raise Http404("The opening could not be recorded in the custody log") from None
    response = FileResponse(open(package, "rb"), content_type="application/wacz")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class WatchForm(forms.Form):
    url = forms.URLField(label="Address (URL)", max_length=2000, assume_scheme="https")
    every_hours = forms.IntegerField(label="Check every (hours)", min_value=1, initial=24)
    watch_text = forms.CharField(label="Words that must stay on the page", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text="Optional: e.g. the sentence an article quotes; its removal is reported.")


@permission_required("evidence.view_capture", raise_exception=True)
def watch_index(request):
    form = WatchForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("evidence.add_capture"):
            raise Http404
        if form.is_valid():
            try:
                source = watch.add(form.cleaned_data["url"], every_hours=form.cleaned_data["every_hours"],
                                   watch_text=form.cleaned_data["watch_text"], user=request.user)
            except watch.WatchError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Watching {source.url}.")
                return redirect("evidence:watch")
    sources = list(WatchedSource.objects.select_related("last_capture"))
    for source in sources:
        source.cited_pages, source.cited_figures = watch.citing(source) if source.removed else ([], [])
    return TemplateResponse(request, "evidence/admin/watch_index.html", {
        "sources": sources, "form": form, "can_add": request.user.has_perm("evidence.add_capture")})


@permission_required("evidence.view_capture", raise_exception=True)
def watch_detail(request, pk):
    source = get_object_or_404(WatchedSource, pk=pk)
    pages, figures = watch.citing(source)
    return TemplateResponse(request, "evidence/admin/watch_detail.html", {
        "source": source, "checks": source.checks.select_related("capture", "previous_capture")[:50],
        "cited_pages": pages, "cited_figures": figures, "can_check": request.user.has_perm("evidence.add_capture")})


@require_POST
@permission_required("evidence.add_capture", raise_exception=True)
def watch_check(request, pk):
    source = get_object_or_404(WatchedSource, pk=pk)
    try:
        result = watch.check(source, user=request.user)
    except StoreError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, result.line())
    return redirect("evidence:watch_detail", pk)


def trust_context(capture) -> dict:
    """What the capture page shows of the trust work: the replay, the timestamps, the flag."""
    return {
        "replay_available": replay_available(),
        "replay_base": reverse("evidence:replay_index"),
        "replay_source": reverse("evidence:replay_source", args=[capture.pk, f"capture-{capture.pk}.wacz"]),
        "timestamps": list(capture.timestamps.all()),
        "removed_source": watch.status_for_capture(capture),
    }
