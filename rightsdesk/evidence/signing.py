"""The organisation's signature on WACZ packages, as the WACZ signing spec (wacz-auth 0.1.0,
"anonymous signature") describes: `datapackage-digest.json` holds the SHA-256 of
`datapackage.json` and a `signedData` object {hash, created, software, version, signature,
publicKey}; `signature` is over the UTF-8 bytes of `hash` ("sha256:…"), `publicKey` the
base64 DER SubjectPublicKeyInfo. Who the key belongs to is settled outside the package: the
organisation publishes its public key's fingerprint.

The default key is ECDSA P-384 with SHA-256 and an IEEE P1363 (r‖s) signature, which is what the
spec names and what ReplayWeb.page checks in the browser (Web Crypto). Ed25519 keys are accepted
too (`rightsdesk keys generate --algorithm ed25519`); `rightsdesk verify --wacz` checks both,
ReplayWeb.page only the first.

Key handling: `rightsdesk keys generate` writes the private key (PEM, PKCS#8, mode 600) and prints
the public key and its fingerprint; `RIGHTSDESK_SIGNING_KEY` names the file. To rotate, generate a
new key, point the setting at it and publish the new fingerprint beside the old one (packages
signed earlier keep verifying with the old public key, which they carry). The custody log records
every export with the fingerprint of the key that signed it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import zipfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from rightsdesk import __version__

SPEC_VERSION = "0.1.0"


class SigningError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def public_key_b64(public_key) -> str:
    return _b64(public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def fingerprint(public_key_b64_text: str) -> str:
    return hashlib.sha256(base64.b64decode(public_key_b64_text)).hexdigest()


def generate_key(out: str | None = None, *, algorithm: str = "ecdsa-p384") -> dict:
    if algorithm == "ed25519":
        key = ed25519.Ed25519PrivateKey.generate()
    elif algorithm == "ecdsa-p384":
        key = ec.generate_private_key(ec.SECP384R1())
    else:
        raise SigningError(f"unknown key algorithm {algorithm!r}: use ecdsa-p384 or ed25519")
    if out is None:
        from django.conf import settings

        folder = Path(settings.DATA_DIR) / "keys"
        out = str(folder / f"signing-{dt.datetime.now(dt.timezone.utc):%Y%m%d-%H%M%S}.pem")
    path = Path(out)
    if path.exists():
        raise SigningError(f"{out} exists already: a key is never overwritten; give another file name")
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
    except OSError as exc:
        raise SigningError(f"cannot write the key to {out} ({exc.strerror or exc}); choose another place") from None
    public = public_key_b64(key.public_key())
    return {"path": str(path), "algorithm": algorithm, "public_key": public, "fingerprint": fingerprint(public)}


def load_key(path: str):
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"RIGHTSDESK_SIGNING_KEY {path}: cannot be read ({exc.strerror or exc})") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise SigningError(f"RIGHTSDESK_SIGNING_KEY {path}: not an unencrypted PEM private key ({exc})") from None
    if not isinstance(key, (ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey)):
        raise SigningError(f"RIGHTSDESK_SIGNING_KEY {path}: use an ECDSA P-384 or Ed25519 key (`rightsdesk keys "
                           "generate`)")
    return key


def sign_hash(key, hash_text: str, created: str) -> dict:
    """The wacz-auth anonymous `signedData` for `hash_text` ("sha256:…")."""
    message = hash_text.encode("utf-8")
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(message)
    else:
        r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
        size = (key.curve.key_size + 7) // 8
        signature = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    return {"hash": hash_text, "created": created, "software": f"rightsdesk {__version__}", "version": SPEC_VERSION,
            "signature": _b64(signature), "publicKey": public_key_b64(key.public_key())}


def check_signature(signed: dict) -> str:
    """'' when `signed` verifies, else why not."""
    try:
        public = serialization.load_der_public_key(base64.b64decode(signed["publicKey"]))
        signature = base64.b64decode(signed["signature"])
        message = signed["hash"].encode("utf-8")
    except (KeyError, ValueError, TypeError):
        return "the signature data is incomplete or unreadable"
    try:
        if isinstance(public, ed25519.Ed25519PublicKey):
            public.verify(signature, message)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            size = (public.curve.key_size + 7) // 8
            if len(signature) != 2 * size:
                return "the signature has the wrong length"
            der = encode_dss_signature(int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big"))
            public.verify(der, message, ec.ECDSA(hashes.SHA256()))
        else:
            return "the public key is neither ECDSA nor Ed25519"
    except InvalidSignature:
        return "the signature does not match the package"
    return ""


def sign_wacz(path: Path, key) -> dict:
    """Add the signature to a WACZ written by py-wacz: its datapackage-digest.json is rewritten
    with `signedData`; every other member is copied unchanged."""
    temp = path.with_name(path.name + ".signing")
    with zipfile.ZipFile(path) as source:
        datapackage = source.read("datapackage.json")
        created = json.loads(datapackage)["created"]
        digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(datapackage).hexdigest()}
        digest["signedData"] = sign_hash(key, digest["hash"], created)
        with zipfile.ZipFile(temp, "w") as target:
            for info in source.infolist():
                if info.filename == "datapackage-digest.json":
                    target.writestr(info, json.dumps(digest, indent=2))
                else:
                    with source.open(info) as src, target.open(info, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)
    os.replace(temp, path)
    return digest["signedData"]


def verify_wacz(path: str, tsa_certs: str | None = None) -> dict:
    """What a recipient runs: every file of the package against datapackage.json, the digest,
    the signature, and the timestamp tokens the package carries against its custody entries."""
    from .store import entry_hash_matches

    lines, problems = [], []
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return {"ok": False, "lines": [f"FAILED: {path} is not a readable WACZ package ({exc})"], "problems": [str(exc)]}
    with archive:
        names = set(archive.namelist())
        try:
            datapackage_bytes = archive.read("datapackage.json")
            datapackage = json.loads(datapackage_bytes)
        except (KeyError, ValueError):
            return {"ok": False, "lines": [f"FAILED: {path} has no readable datapackage.json"], "problems": ["datapackage"]}
        for resource in datapackage.get("resources", []):
            name = resource.get("path")
            if name not in names:
                problems.append(f"MISSING: {name}")
                continue
            digest, size = hashlib.sha256(), 0
            with archive.open(name) as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
            if resource.get("hash") != "sha256:" + digest.hexdigest() or resource.get("bytes") != size:
                problems.append(f"ALTERED: {name}: its hash or size differs from datapackage.json")
        listed = {r.get("path") for r in datapackage.get("resources", [])}
        extra = sorted(n for n in names - listed - {"datapackage.json", "datapackage-digest.json"} if not n.endswith("/"))
        if extra:
            problems.append(f"UNLISTED: {', '.join(extra)}: files datapackage.json does not list")
        lines.append(f"{len(listed)} files checked against datapackage.json.")
        signed_by = None
        if "datapackage-digest.json" not in names:
            problems.append("UNSIGNED: the package has no datapackage-digest.json")
        else:
            digest_doc = json.loads(archive.read("datapackage-digest.json"))
            if digest_doc.get("hash") != "sha256:" + hashlib.sha256(datapackage_bytes).hexdigest():
                problems.append("ALTERED: datapackage.json does not match datapackage-digest.json")
            signed = digest_doc.get("signedData")
            if not signed:
                problems.append("UNSIGNED: datapackage-digest.json carries no signature")
            else:
                why = check_signature(signed)
                if signed.get("hash") != digest_doc.get("hash"):
                    why = why or "the signature is for another datapackage.json"
                if signed.get("created") != datapackage.get("created"):
                    why = why or "the signature's time is not the package's"
                if why:
                    problems.append(f"SIGNATURE: {why}")
                else:
                    signed_by = fingerprint(signed["publicKey"])
                    lines.append(f"Signed {signed.get('created')} by the key with SHA-256 fingerprint {signed_by}: "
                                 "compare it with the one the organisation publishes.")
        # The custody entries and timestamp tokens the package carries.
        entries = {}
        if "logs/custody.jsonl" in names:
            for raw in archive.read("logs/custody.jsonl").splitlines():
                entry = json.loads(raw)
                if not entry_hash_matches(entry):
                    problems.append(f"ALTERED: custody entry {entry.get('seq')} no longer matches its hash")
                entries[entry.get("hash")] = entry
        tokens = sorted(n for n in names if n.startswith("logs/") and n.endswith(".tsr"))
        if tokens:
            problems += _check_tokens(archive, tokens, entries, tsa_certs, lines)
    for problem in problems:
        lines.insert(0, problem)
    lines.append("OK: the package is intact and its signature verifies." if not problems
                 else f"FAILED: {len(problems)} problem(s).")
    return {"ok": not problems, "lines": lines, "problems": problems, "signed_by": signed_by}


def _check_tokens(archive, tokens, entries, tsa_certs, lines):
    from cryptography import x509
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    problems = []
    roots = []
    if tsa_certs:
        roots = x509.load_pem_x509_certificates(Path(tsa_certs).read_bytes())
    for name in tokens:
        try:
            response = decode_timestamp_response(archive.read(name))
        except ValueError:
            problems.append(f"DAMAGED: {name}")
            continue
        imprint = response.tst_info.message_imprint.message.hex()
        entry = entries.get(imprint)
        if entry is None:
            problems.append(f"MISMATCH: {name} stamps {imprint}, which is no custody entry in the package")
            continue
        if roots:
            try:
                builder = VerifierBuilder()
                for root in roots:
                    builder = builder.add_root_certificate(root)
                builder.build().verify(response, bytes.fromhex(imprint))
            except (VerificationError, ValueError) as exc:
                problems.append(f"UNSIGNED: {name}: the authority's signature does not verify ({exc})")
                continue
        lines.append(f"Custody entry {entry.get('seq')} ({entry.get('action')}) timestamped "
                     f"{response.tst_info.gen_time.isoformat()}" + ("" if roots else " (authority's certificate not "
                                                                            "checked: give --tsa-certs)"))
    return problems
