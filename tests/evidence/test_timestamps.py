"""Trusted timestamps: each capture's custody entry is stamped by the organisation's timestamp
authorities (a test authority on 127.0.0.1, `openssl ts` behind a small server); a capture made
while no authority answers is stored at once and stamped later; the log's latest entry is stamped;
`verify` checks every token."""

import json
import subprocess

import pytest

from rightsdesk.cli import main
from rightsdesk.evidence.capture import capture_url
from rightsdesk.evidence.models import TimestampToken

from .test_verify import flip_byte
from .tsa import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    a = Authority(tmp_path_factory.mktemp("tsa"))
    yield a
    a.close()


@pytest.fixture(scope="module")
def second_authority(tmp_path_factory):
    a = Authority(tmp_path_factory.mktemp("tsa2"), label="Second")
    yield a
    a.close()


@pytest.fixture
def configured(settings, authority, tmp_path):
    authority.answering = True
    settings.RIGHTSDESK_TSA_URLS = authority.url
    settings.RIGHTSDESK_TSA_CERTS = str(authority.ca)
    return authority


def capture(url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return capture_url(url).capture


def verify_json(capsys):
    status = main(["verify", "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_a_capture_is_stamped_and_a_recipient_checks_the_token_with_openssl(
        web, configured, evidence_store, django_capture_on_commit_callbacks, capsys):
    c = capture(web + "/article.html", django_capture_on_commit_callbacks)
    token = TimestampToken.objects.get(capture=c)
    entry = next(e for _, _, e in evidence_store.entries() if e["seq"] == token.custody_seq)
    assert entry["action"] == "capture" and entry["payload_sha256"] == c.payload_sha256
    assert token.digest == entry["hash"]
    # The recipient's check, with the authority's certificate and the entry's hash only.
    done = subprocess.run(["openssl", "ts", "-verify", "-digest", entry["hash"], "-in",
                           str(evidence_store.path(token.token_name)), "-CAfile", str(configured.ca)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "Verification: OK" in done.stdout, done.stderr
    status, data = verify_json(capsys)
    assert status == 0, data["problems"]
    assert data["checked"]["timestamp_tokens"] == 1


def test_no_authority_answering_stores_at_once_and_stamps_later(
        web, configured, evidence_store, django_capture_on_commit_callbacks, capsys):
    configured.answering = False
    c = capture(web + "/article.html", django_capture_on_commit_callbacks)
    assert c.pk and not TimestampToken.objects.exists()
    status, data = verify_json(capsys)
    assert status == 0 and any("wait for a timestamp" in n for n in data["notes"])
    assert main(["timestamp", "--pending"]) == 1  # still down: it says so, nothing lost
    assert "1 capture(s) still wait" in capsys.readouterr().out
    configured.answering = True
    assert main(["timestamp", "--pending"]) == 0
    assert "Timestamped 1 capture token(s); 0 capture(s) still wait" in capsys.readouterr().out
    assert TimestampToken.objects.filter(capture=c).count() == 1
    status, data = verify_json(capsys)
    assert status == 0 and data["checked"]["timestamp_tokens"] == 1


def test_the_log_head_is_stamped_and_a_changed_token_fails_verify(
        web, configured, evidence_store, django_capture_on_commit_callbacks, capsys):
    capture(web + "/article.html", django_capture_on_commit_callbacks)
    assert main(["timestamp", "--log"]) == 0
    assert "Custody log entry 2 stamped by 1 authority." in capsys.readouterr().out
    log_token = TimestampToken.objects.get(subject="log")
    status, data = verify_json(capsys)
    assert status == 0 and data["checked"]["timestamp_tokens"] == 2
    flip_byte(evidence_store.path(log_token.token_name))
    status, data = verify_json(capsys)
    assert status == 1
    assert [p["kind"] for p in data["problems"]] == ["altered"]
    assert data["problems"][0]["item"] == f"timestamp of custody entry {log_token.custody_seq} by {configured.url}"


def test_a_token_from_an_authority_not_trusted_fails(web, configured, second_authority, settings, evidence_store,
                                                    django_capture_on_commit_callbacks, capsys):
    settings.RIGHTSDESK_TSA_URLS = f"{configured.url} {second_authority.url}"
    c = capture(web + "/article.html", django_capture_on_commit_callbacks)
    assert set(TimestampToken.objects.filter(capture=c).values_list("authority", flat=True)) == {
        configured.url, second_authority.url}
    # Only the first authority's root is trusted: the second's token is named.
    status, data = verify_json(capsys)
    assert status == 1
    assert [(p["kind"], p["item"]) for p in data["problems"]] == [
        ("unsigned", f"timestamp of custody entry 1 by {second_authority.url}")]
    both = settings.RIGHTSDESK_TSA_CERTS.replace("ca.crt", "both.pem")
    with open(both, "wb") as handle:
        handle.write(configured.ca.read_bytes() + second_authority.ca.read_bytes())
    settings.RIGHTSDESK_TSA_CERTS = both
    status, data = verify_json(capsys)
    assert status == 0, data["problems"]


def test_a_deleted_token_row_fails(web, configured, evidence_store, django_capture_on_commit_callbacks, capsys):
    capture(web + "/article.html", django_capture_on_commit_callbacks)
    TimestampToken.objects.all().delete()
    status, data = verify_json(capsys)
    assert status == 1 and data["problems"][0]["kind"] == "deleted"
