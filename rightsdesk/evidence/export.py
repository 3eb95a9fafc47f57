"""`rightsdesk export-evidence`: a zip an investigator can check with standard tools.

Contents::

    README.txt            how to check it (sha256sum, a WARC reader, the custody log's chain)
    SHA256SUMS            `sha256sum -c SHA256SUMS` checks every file below
    manifest.json         the captures: addresses, times, who, HTTP status, hashes
    custody.jsonl         the custody log entries about these captures, verbatim
    captures/<id>/…       the originals (WARC, screenshot) under their stored names, and
                          payload.<ext>: the document as served, taken out of the WARC
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from rightsdesk.facts.models import Entity, Mention
from rightsdesk import __version__

from . import custody
from .models import Capture
from .store import StoreError, default_store, sha256_file

EXTENSIONS = {"text/html": "html", "application/xhtml+xml": "xhtml", "text/plain": "txt", "application/pdf": "pdf",
              "text/markdown": "md", "application/xml": "xml", "text/xml": "xml"}


class ExportError(Exception):
    pass


def captures_for(*, capture_id=None, article_slug=None, entity_id=None):
    """The captures behind one capture id, an article (imported from them, or citing them as
    sources of the figures about what it mentions), or an entity (sources of its figures, and
    captures behind the articles that mention it)."""
    from wagtail.models import Page


    if capture_id is not None:
        capture = Capture.objects.filter(pk=capture_id).first()
        if capture is None:
            raise ExportError(f"there is no capture {capture_id}; the admin's Evidence desk › Captures "
                              "lists them")
        return [capture]
    if article_slug is not None:
        pages = list(Page.objects.filter(slug=article_slug))
        if not pages:
            raise ExportError(f"there is no article with the slug {article_slug!r}")
        entity_ids = Mention.objects.filter(page__in=pages).values("entity")
        query = Capture.objects.filter(links__page__in=pages) | Capture.objects.filter(
            sources__figure_links__figure__about__in=entity_ids)
    else:
        if not Entity.objects.filter(pk=entity_id).exists():
            raise ExportError(f"there is no entity {entity_id}; the Facts desk's Entities list shows their ids")
        pages = Mention.objects.filter(entity_id=entity_id).values("page")
        query = Capture.objects.filter(sources__figure_links__figure__about=entity_id) | Capture.objects.filter(
            links__page__in=pages)
    captures = list(query.distinct().order_by("pk"))
    if not captures:
        raise ExportError("no captured evidence is linked to it yet: import captures as the article, or cite them "
                          "as sources of its figures")
    return captures


def _payload(path: Path):
    """The document as served, from the WARC's last response or resource record."""
    from warcio.archiveiterator import ArchiveIterator

    data = None
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type in ("response", "resource"):
                data = record.content_stream().read()
    return data


def export(captures, out: str, *, actor="system") -> dict:
    out_path = Path(out)
    if out_path.exists():
        raise ExportError(f"{out} exists already; give a new file name")
    if not out_path.parent.exists():
        raise ExportError(f"the folder {out_path.parent} does not exist")
    if not out_path.parent.is_dir():
        raise ExportError(f"{out_path.parent} is not a folder: give a file name inside a folder; nothing was exported")
    store = default_store()
    ids = {c.pk for c in captures}
    files, manifest_captures = [], []
    for capture in captures:
        entry = {"id": capture.pk, "method": capture.method, "requested_url": capture.requested_url,
                 "final_url": capture.final_url, "redirects": capture.redirects, "http_status": capture.http_status,
                 "content_type": capture.content_type, "captured_at": capture.captured_at.isoformat(),
                 "captured_by": capture.captured_by_name, "software": capture.software, "note": capture.note,
                 "original_filename": capture.original_filename, "payload_sha256": capture.payload_sha256,
                 "withdrawn": capture.withdrawn, "withdrawn_reason": capture.withdrawn_reason or None,
                 "capture_events": [{"captured_at": e.captured_at.isoformat(), "by": e.captured_by_name,
                                     "stored": e.stored, "custody_entry": e.custody_seq}
                                    for e in capture.events.all()],
                 "files": {}}
        for kind, name, sha in capture.originals():
            path = store.path(name)
            if not path.is_file() or sha256_file(path) != sha:
                raise ExportError(f"capture {capture.pk}: the stored {kind} {name} is missing or altered; run "
                                  "`rightsdesk verify` (nothing was exported)")
            arcname = f"captures/{capture.pk}/{Path(name).name}"
            files.append((arcname, path, None))
            entry["files"][kind] = {"path": arcname, "sha256": sha}
        payload = _payload(store.path(capture.warc_name))
        if payload is not None and hashlib.sha256(payload).hexdigest() == capture.payload_sha256:
            ext = EXTENSIONS.get(capture.content_type.split(";")[0].strip().lower(), "bin")
            arcname = f"captures/{capture.pk}/payload.{ext}"
            files.append((arcname, None, payload))
            entry["files"]["payload"] = {"path": arcname, "sha256": capture.payload_sha256}
        manifest_captures.append(entry)
    custody_lines = [raw for _, raw, e in store.entries() if e and e.get("capture") in ids]
    custody_bytes = b"".join(line + b"\n" for line in custody_lines)
    exported_at = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    manifest = {"exported_at": exported_at, "exported_by": actor, "software": f"rightsdesk {__version__}",
                "captures": manifest_captures}
    manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    sums = []
    for arcname, path, data in files:
        sums.append((hashlib.sha256(data).hexdigest() if data is not None else sha256_file(path), arcname))
    sums.append((hashlib.sha256(manifest_bytes).hexdigest(), "manifest.json"))
    sums.append((hashlib.sha256(custody_bytes).hexdigest(), "custody.jsonl"))
    sums_bytes = "".join(f"{sha}  {name}\n" for sha, name in sums).encode()
    try:
        handle = tempfile.NamedTemporaryFile(dir=out_path.parent, prefix=".export-", suffix=".zip", delete=False)
    except OSError as exc:
        raise ExportError(f"cannot write into {out_path.parent} ({exc.strerror or exc}): choose a folder you can "
                          "write to; nothing was exported") from None
    temp = Path(handle.name)
    try:
        with handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("README.txt", readme(manifest, len(custody_lines)))
            archive.writestr("SHA256SUMS", sums_bytes)
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr("custody.jsonl", custody_bytes)
            for arcname, path, data in files:
                if data is not None:
                    archive.writestr(arcname, data)
                else:
                    archive.write(path, arcname)
        entry = custody.record("export", actor, captures=sorted(ids), file=out_path.name,
                             manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest())
        os.replace(temp, out_path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise ExportError(f"cannot write {out} ({exc.strerror or exc}); nothing was exported") from None
    except StoreError:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return {"file": str(out_path), "captures": sorted(ids), "files": len(sums), "custody_entry": entry["seq"]}


def readme(manifest, entries):
    lines = [
        "Evidence exported from rightsdesk",
        "=================================",
        "",
        f"Exported {manifest['exported_at']} by {manifest['exported_by']} with {manifest['software']}.",
        f"{len(manifest['captures'])} capture(s); {entries} custody log entr{'ies' if entries != 1 else 'y'}.",
        "",
        "What is here",
        "------------",
        "captures/<id>/<sha256>.warc.gz  the original capture: the HTTP requests and responses as received",
        "                                (WARC 1.1, gzip), named by the file's own SHA-256",
        "captures/<id>/<sha256>.png      a full-page screenshot taken at capture time (the time, address",
        "                                and payload hash are printed under the page and in the PNG's",
        "                                text chunks), when one was taken",
        "captures/<id>/payload.<ext>     the document as served, taken out of the WARC for convenience;",
        "                                its SHA-256 is the capture's payload_sha256",
        "manifest.json                   addresses, redirects, HTTP status, capture times, who captured",
        "custody.jsonl                   the custody log entries about these captures, exactly as stored",
        "SHA256SUMS                      the SHA-256 of every file above",
        "",
        "How to check it",
        "---------------",
        "1. Every file is intact:",
        "       sha256sum -c SHA256SUMS",
        "   Each WARC and screenshot is also named by its SHA-256: `sha256sum captures/*/*.warc.gz`",
        "   prints the name's hash again. The same hashes are in manifest.json and custody.jsonl.",
        "",
        "2. Read a WARC with any WARC reader, e.g. warcio (pip install warcio):",
        "       warcio index captures/1/<sha256>.warc.gz",
        "       warcio extract --payload captures/1/<sha256>.warc.gz <offset>",
        "   or open it in ReplayWeb.page (replayweb.page, runs in the browser, offline).",
        "",
        "3. The custody log is a hash chain. Each line is a JSON object; its \"hash\" is the SHA-256 of",
        "   the same object without the \"hash\" key, written with sorted keys and no spaces (UTF-8),",
        "   and its \"prev\" is the hash of the entry before it in the full log (entries about other",
        "   captures are not included here, so \"seq\" numbers may jump). With jq:",
        "       while IFS= read -r line; do",
        "         printf '%s' \"$line\" | jq -cSj 'del(.hash)' | sha256sum | cut -d' ' -f1",
        "         printf '%s' \"$line\" | jq -r .hash; done < custody.jsonl",
        "   prints each computed hash above the recorded one; they must be equal. Or with Python 3:",
        "       python3 -c \"import json,hashlib,sys; [print(e['seq'], hashlib.sha256(json.dumps({k:v for",
        "         k,v in e.items() if k!='hash'}, sort_keys=True, separators=(',',':'),",
        "         ensure_ascii=False).encode()).hexdigest()==e['hash']) for e in map(json.loads, sys.stdin)]\"",
        "         < custody.jsonl",
        "   The organisation can show the full log, whose chain `rightsdesk verify` checks from the",
        "   first entry to the last.",
        "",
    ]
    return "\n".join(lines)
