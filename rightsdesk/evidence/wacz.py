"""`rightsdesk export-evidence … OUT.wacz`: a WACZ 1.1.1 package (py-wacz writes it: the WARC
files under archive/, a CDXJ index, pages/pages.jsonl, datapackage.json with every file's SHA-256
and size, datapackage-digest.json), signed with the organisation's key (signing.py), carrying in
logs/ the custody entries of its captures, their RFC 3161 timestamp tokens and a README. It opens
in ReplayWeb.page; `rightsdesk verify --wacz` and `wacz validate` check it."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings

from . import custody
from .export import ExportError
from .models import TimestampToken
from .store import default_store, sha256_file


def _iso(moment):
    return moment.astimezone().isoformat().replace("+00:00", "Z")


def export_wacz(captures, out: str, *, actor="system") -> dict:
    from wacz.main import main as wacz_main

    from .signing import SigningError, fingerprint, load_key, sign_wacz

    out_path = Path(out)
    if out_path.exists():
        raise ExportError(f"{out} exists already; give a new file name")
    if not out_path.parent.is_dir():
        raise ExportError(f"the folder {out_path.parent} does not exist; nothing was exported")
    key = None
    if settings.RIGHTSDESK_SIGNING_KEY:
        try:
            key = load_key(settings.RIGHTSDESK_SIGNING_KEY)
        except SigningError as exc:
            raise ExportError(f"{exc}; nothing was exported") from None
    store = default_store()
    ids = {c.pk for c in captures}
    with tempfile.TemporaryDirectory(prefix="rightsdesk-wacz-") as work:
        work = Path(work)
        (work / "archive").mkdir()
        logs = work / "logs"
        logs.mkdir()
        inputs, pages = [], [{"format": "json-pages-1.0", "id": "pages", "title": "Captured pages"}]
        for capture in captures:
            for kind, name, sha in capture.originals():
                path = store.path(name)
                if not path.is_file() or sha256_file(path) != sha:
                    raise ExportError(f"capture {capture.pk}: the stored {kind} {name} is missing or altered; run "
                                      "`rightsdesk verify` (nothing was exported)")
            link = work / "archive" / Path(capture.warc_name).name
            if not link.exists():
                os.symlink(store.path(capture.warc_name), link)
                inputs.append(str(link))
            url = capture.final_url or capture.requested_url or f"urn:sha256:{capture.payload_sha256}"
            pages.append({"id": f"capture-{capture.pk}", "url": url, "ts": _iso(capture.captured_at),
                          "title": capture.title or url})
        (work / "pages.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages))
        entries = [raw for _, raw, e in store.entries() if e and e.get("capture") in ids]
        (logs / "custody.jsonl").write_bytes(b"".join(line + b"\n" for line in entries))
        for token in TimestampToken.objects.filter(capture_id__in=ids).order_by("pk"):
            data = store.path(token.token_name).read_bytes()
            if hashlib.sha256(data).hexdigest() != token.token_sha256:
                raise ExportError(f"the timestamp token {token.token_name} is altered; run `rightsdesk verify` "
                                  "(nothing was exported)")
            (logs / f"timestamp-entry{token.custody_seq}-{token.pk}.tsr").write_bytes(data)
        (logs / "README.txt").write_text(readme(key is not None))
        try:
            handle = tempfile.NamedTemporaryFile(dir=out_path.parent, prefix=".export-", suffix=".wacz", delete=False)
            handle.close()
        except OSError as exc:
            raise ExportError(f"cannot write into {out_path.parent} ({exc.strerror or exc}): choose a folder you can "
                              "write to; nothing was exported") from None
        temp = Path(handle.name)
        temp.unlink()
        try:
            chatter = io.StringIO()
            with contextlib.redirect_stdout(chatter):
                status = wacz_main(["create", "-o", str(temp), "--hash-type", "sha256", "--copy-pages", "-p",
                                    str(work / "pages.jsonl"), "-l", str(logs), "--title",
                                    f"rightsdesk evidence: {len(ids)} capture(s)", *inputs])
            if status:
                raise ExportError(f"the WACZ package could not be written ({chatter.getvalue().strip()[-200:]}); "
                                  "nothing was exported")
            signed = sign_wacz(temp, key) if key is not None else None
            import zipfile

            with zipfile.ZipFile(temp) as archive:
                datapackage_sha = hashlib.sha256(archive.read("datapackage.json")).hexdigest()
            entry = custody.record("export", actor, captures=sorted(ids), file=out_path.name, format="wacz",
                                   datapackage_sha256=datapackage_sha,
                                   signed_by=fingerprint(signed["publicKey"]) if signed else None)
            os.replace(temp, out_path)
        except OSError as exc:
            raise ExportError(f"cannot write {out} ({exc.strerror or exc}); nothing was exported") from None
        finally:
            with contextlib.suppress(OSError):
                temp.unlink()
    signed_text = (f"signed by the key with fingerprint {fingerprint(signed['publicKey'])}" if signed
                   else "NOT signed (set RIGHTSDESK_SIGNING_KEY, see `rightsdesk keys generate`)")
    return {"wacz": True, "file": str(out_path), "captures": sorted(ids), "custody_entry": entry["seq"],
            "signed": bool(signed),
            "message": f"Wrote {out_path}: a WACZ package of {len(ids)} capture(s), {signed_text}. Check it with "
                       f"`rightsdesk verify --wacz {out_path.name}`; open it in ReplayWeb.page. Recorded as custody log "
                       f"entry {entry['seq']}."}


def readme(signed: bool) -> str:
    return "\n".join([
        "Evidence exported from rightsdesk as a WACZ package",
        "===================================================",
        "",
        "archive/*.warc.gz         the original captures (WARC), named by their SHA-256",
        "indexes/                  the index of every record (CDXJ), pages/pages.jsonl the captured pages",
        "datapackage.json          every file of the package with its SHA-256 and size",
        "datapackage-digest.json   the SHA-256 of datapackage.json" + (" and the organisation's signature" if signed
                                                                        else ""),
        "logs/custody.jsonl        the custody log entries about these captures, exactly as stored",
        "logs/timestamp-*.tsr      RFC 3161 timestamp tokens over custody entries' hashes",
        "",
        "How to check it",
        "---------------",
        "1. Open it in ReplayWeb.page (it runs in the browser, offline) to see the pages as captured.",
        "2. With rightsdesk: `rightsdesk verify --wacz FILE.wacz [--tsa-certs AUTHORITIES.pem]`, or py-wacz:",
        "   `wacz validate -f FILE.wacz`.",
        "3. By hand: unzip it; for every resource of datapackage.json, `sha256sum PATH` must print its hash;",
        "   `sha256sum datapackage.json` must print the hash in datapackage-digest.json.",
        "4. The signature (signedData in datapackage-digest.json) follows the WACZ signing spec: `signature`",
        "   is the base64 ECDSA P-384/SHA-256 (r||s) or Ed25519 signature of the UTF-8 text of `hash`, by",
        "   `publicKey` (base64 DER). With Python's cryptography, or: compare `sha256sum` of the decoded",
        "   publicKey with the fingerprint the organisation publishes, then",
        "       jq -r .signedData.publicKey datapackage-digest.json | base64 -d > key.der",
        "       openssl pkey -pubin -inform DER -in key.der -out key.pem",
        "       jq -r .signedData.signature datapackage-digest.json | base64 -d > sig.raw",
        "   (for ECDSA convert sig.raw's r||s to DER first; `rightsdesk verify --wacz` does all this.)",
        "5. A timestamp token stamps a custody entry's \"hash\" (the SHA-256 of the entry without its",
        "   \"hash\", as `jq -cSj 'del(.hash)'` prints it):",
        "       openssl ts -verify -digest HASH -in logs/timestamp-entryN-M.tsr -CAfile AUTHORITY-ROOT.pem",
        "",
    ])


def replay_package(capture) -> Path:
    """An unsigned WACZ of one capture for the admin's replay (ReplayWeb.page replays a WACZ with
    its index and page list; this copy is derived from the stored WARC, kept in the data folder's
    cache, and is never evidence)."""
    from wacz.main import main as wacz_main

    cache = Path(settings.DATA_DIR) / "cache" / "replay"
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / f"{capture.warc_sha256}-{capture.pk}.wacz"
    if target.is_file():
        return target
    store = default_store()
    with tempfile.TemporaryDirectory(prefix="rightsdesk-replay-") as work:
        work = Path(work)
        link = work / Path(capture.warc_name).name
        os.symlink(store.path(capture.warc_name), link)
        url = capture.final_url or capture.requested_url or f"urn:sha256:{capture.payload_sha256}"
        pages = [{"format": "json-pages-1.0", "id": "pages", "title": "Captured page"},
                 {"id": f"capture-{capture.pk}", "url": url, "ts": _iso(capture.captured_at),
                  "title": capture.title or url}]
        (work / "pages.jsonl").write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages))
        temp = work / "replay.wacz"
        with contextlib.redirect_stdout(io.StringIO()):
            status = wacz_main(["create", "-o", str(temp), "--hash-type", "sha256", "--copy-pages", "-p",
                                str(work / "pages.jsonl"), str(link)])
        if status:
            raise ExportError("the replay package could not be made")
        os.replace(temp, target) if temp.stat().st_dev == cache.stat().st_dev else _copy(temp, target)
    return target


def _copy(src: Path, dst: Path):
    import shutil

    part = dst.with_name(dst.name + ".part")
    shutil.copyfile(src, part)
    os.replace(part, dst)
