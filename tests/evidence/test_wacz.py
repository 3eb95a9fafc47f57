"""WACZ export: a WACZ 1.1.1 package that py-wacz validates, signed with the organisation's key
as the WACZ signing spec describes, carrying the captures' custody entries and timestamp tokens;
`verify --wacz` names a changed byte anywhere."""

import json
import zipfile

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import capture_url

from .test_timestamps import authority, configured  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(tmp_path, settings, capsys):
    path = tmp_path / "keys" / "org.pem"
    assert main(["keys", "generate", "--out", str(path), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    settings.RIGHTSDESK_SIGNING_KEY = str(path)
    return info


def export(tmp_path, capture, capsys, name="out.wacz"):
    out = tmp_path / name
    assert main(["export-evidence", "--capture", str(capture.pk), str(out)]) == 0
    assert "signed by the key with fingerprint" in capsys.readouterr().out
    return out


def test_a_wacz_validates_is_signed_and_verifies(web, key, configured, tmp_path, capsys,  # noqa: F811
                                                 django_capture_on_commit_callbacks):
    from wacz.main import main as wacz_main

    with django_capture_on_commit_callbacks(execute=True):
        capture = capture_url(web + "/article.html").capture
    out = export(tmp_path, capture, capsys)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        datapackage = json.loads(archive.read("datapackage.json"))
        digest = json.loads(archive.read("datapackage-digest.json"))
        pages = archive.read("pages/pages.jsonl").decode().splitlines()
    assert datapackage["wacz_version"] == "1.1.1"
    assert f"archive/{capture.warc_sha256}.warc.gz" in names and "indexes/index.idx" in names
    assert {r["path"] for r in datapackage["resources"]} >= {f"archive/{capture.warc_sha256}.warc.gz",
                                                             "pages/pages.jsonl", "logs/custody.jsonl"}
    assert all(r["hash"].startswith("sha256:") and r["bytes"] > 0 for r in datapackage["resources"])
    assert json.loads(pages[1])["url"] == capture.final_url
    signed = digest["signedData"]
    assert set(signed) == {"hash", "created", "software", "version", "signature", "publicKey"}
    assert signed["publicKey"] == key["public_key"]
    assert any(n.startswith("logs/timestamp-") for n in names)
    assert wacz_main(["validate", "-f", str(out)]) == 0
    capsys.readouterr()
    status = main(["verify", "--wacz", str(out), "--tsa-certs", str(configured.ca)])
    text = capsys.readouterr().out
    assert status == 0, text
    assert key["fingerprint"] in text and "timestamped" in text and text.strip().endswith("signature verifies.")


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as source, zipfile.ZipFile(dst, "w") as target:
        for info in source.infolist():
            target.writestr(info, change(info.filename, source.read(info.filename)))


def test_a_changed_byte_anywhere_is_caught(web, key, tmp_path, capsys):
    capture = capture_url(web + "/article.html").capture
    out = export(tmp_path, capture, capsys)
    warc = f"archive/{capture.warc_sha256}.warc.gz"

    def flip_warc(name, data):
        return data[:100] + bytes([data[100] ^ 1]) + data[101:] if name == warc else data

    def flip_datapackage(name, data):
        return data.replace(b'"title"', b'"Title"', 1) if name == "datapackage.json" else data

    def other_key(name, data):
        if name != "datapackage-digest.json":
            return data
        doc = json.loads(data)
        doc["signedData"]["signature"] = doc["signedData"]["signature"][::-1]
        return json.dumps(doc).encode()

    for change, expected in ((flip_warc, f"ALTERED: {warc}"), (flip_datapackage, "ALTERED: datapackage.json"),
                             (other_key, "SIGNATURE: the signature does not match the package")):
        bad = tmp_path / f"{change.__name__}.wacz"
        _rewrite(out, bad, change)
        assert main(["verify", "--wacz", str(bad)]) == 1
        assert expected in capsys.readouterr().out


def test_an_ed25519_key_signs_too(web, tmp_path, settings, capsys):
    path = tmp_path / "ed.pem"
    assert main(["keys", "generate", "--algorithm", "ed25519", "--out", str(path)]) == 0
    assert "fingerprint" in capsys.readouterr().out
    settings.RIGHTSDESK_SIGNING_KEY = str(path)
    out = export(tmp_path, capture_url(web + "/article.html").capture, capsys)
    assert main(["verify", "--wacz", str(out)]) == 0


def test_a_key_is_never_overwritten_and_a_bad_key_is_one_line(tmp_path, settings, web, capsys):
    path = tmp_path / "k.pem"
    assert main(["keys", "generate", "--out", str(path)]) == 0
    capsys.readouterr()
    assert main(["keys", "generate", "--out", str(path)]) == 1
    assert "never overwritten" in capsys.readouterr().err
    (tmp_path / "bad.pem").write_text("not a key")
    settings.RIGHTSDESK_SIGNING_KEY = str(tmp_path / "bad.pem")
    capture = capture_url(web + "/article.html").capture
    assert main(["export-evidence", "--capture", str(capture.pk), str(tmp_path / "x.wacz")]) == 1
    err = capsys.readouterr().err
    assert "not an unencrypted PEM private key" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.wacz").exists()
