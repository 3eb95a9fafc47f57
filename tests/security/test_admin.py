"""The admin against password guessing and a stolen password: sign-in throttling and lockout
(django-axes), a second factor required of administrators (TOTP), a Content-Security-Policy on the
site and the admin, and a secret key that is really secret."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

CLI = str(Path(sys.executable).parent / "rightsdesk")
PASSWORD = "a correct horse staple 17"


@pytest.fixture
def second_factor(settings):
    settings.RIGHTSDESK_SECOND_FACTOR = "administrators"


@pytest.fixture
def administrator(db, django_user_model):
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    cache.clear()
    return django_user_model.objects.create_superuser("chief-editor", "chief@example.org", PASSWORD)


def _code(device, later=0):
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + later
    return f"{totp.token():06d}"


def _sign_in(client, username, password, code=""):
    return client.post("/admin/login/", {"username": username, "password": password, "otp_token": code,
                                         "next": "/admin/"})


def test_fifty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client, administrator, second_factor):
    from rightsdesk.accounts import secondfactor

    device = secondfactor.enrol(administrator)
    statuses = [_sign_in(client, "chief-editor", f"guess {n}").status_code for n in range(50)]
    assert statuses[:4] == [200] * 4  # the form again, with its error
    assert set(statuses[5:]) == {429}  # locked out after 5 failures
    response = _sign_in(client, "chief-editor", PASSWORD, _code(device))
    assert response.status_code == 429 and b"Sign-in locked" in response.content
    assert client.get("/admin/pages/").status_code == 302  # not signed in


def test_an_administrator_needs_the_code_of_the_authenticator_app(client, administrator, second_factor):
    from rightsdesk.accounts import secondfactor

    device = secondfactor.enrol(administrator)
    # The password alone: refused, with the same words as a wrong password.
    response = _sign_in(client, "chief-editor", PASSWORD)
    assert response.status_code == 200 and b"Please enter a correct username and password" in response.content
    assert client.get("/admin/pages/").status_code == 302
    response = _sign_in(client, "chief-editor", PASSWORD, "000000" if _code(device) != "000000" else "111111")
    assert response.status_code == 200 and client.get("/admin/pages/").status_code == 302
    # Right after a wrong code even the right one is refused (each failure doubles the wait)...
    assert _sign_in(client, "chief-editor", PASSWORD, _code(device)).status_code == 200
    # ...and once the wait is over (here: lifted), the code the app shows now signs in.
    device.refresh_from_db()
    device.throttle_reset()
    response = _sign_in(client, "chief-editor", PASSWORD, _code(device))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/pages/").status_code == 200
    # A code is good once: replaying it after signing out does not sign in.
    client.post("/admin/logout/")
    assert _sign_in(client, "chief-editor", PASSWORD, _code(device)).status_code == 200


def test_wrong_codes_count_toward_the_lockout(client, administrator, second_factor):
    from rightsdesk.accounts import secondfactor

    device = secondfactor.enrol(administrator)
    wrong = "000000" if _code(device) != "000000" else "111111"
    statuses = [_sign_in(client, "chief-editor", PASSWORD, wrong).status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_an_administrator_without_an_authenticator_reaches_no_admin_page_and_cannot_enrol_one_in_the_browser(
        client, administrator, second_factor):
    response = _sign_in(client, "chief-editor", PASSWORD)
    assert response.status_code == 302
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == "/admin/second-factor/"
    page = client.get("/admin/second-factor/")
    assert b"rightsdesk otp chief-editor" in page.content and b"otpauth://" not in page.content
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=administrator).exists()


def test_an_editor_enrols_an_authenticator_in_the_browser_when_everyone_needs_one(client, db, django_user_model,
                                                                                  settings):
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.RIGHTSDESK_SECOND_FACTOR = "everyone"
    editor = django_user_model.objects.create_user("reporter", "r@example.org", PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    assert _sign_in(client, "reporter", PASSWORD).status_code == 302
    assert client.get("/admin/pages/")["Location"] == "/admin/second-factor/"
    page = client.get("/admin/second-factor/").content.decode()
    assert "data-second-factor-secret" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    response = client.post("/admin/second-factor/", {"otp_token": _code(device)})
    assert response.status_code == 302
    assert client.get("/admin/pages/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


# --- Content-Security-Policy --------------------------------------------------------------------------


def _policy(response):
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split("; ")}


def test_public_pages_have_a_strict_policy(client, db):
    for address in ("/", "/fa/", "/news/", "/search/?q=prison", "/entities/"):
        response = client.get(address)
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], address
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["default-src"] == ["'self'"] and policy["base-uri"] == ["'none'"]
        html = response.content.decode()
        # No inline script would run under it (structured data is not run by browsers)...
        for attributes, _body in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S):
            assert "application/ld+json" in attributes, address
        # ...and no inline style.
        assert "<style" not in html and ' style="' not in html, address


def test_every_inline_script_of_the_article_editor_carries_the_nonce(admin_client, section):
    news = section("news")
    response = admin_client.get(f"/admin/pages/add/newsroom/articlepage/{news.pk}/")
    assert response.status_code == 200
    policy = _policy(response)
    nonces = [v for v in policy["script-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1 and "'unsafe-inline'" not in policy["script-src"]
    nonce = nonces[0][len("'nonce-"):-1]
    html = response.content.decode()
    inline = [a for a, _ in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", html, re.S)
              if "json" not in a and "text/template" not in a]
    assert len(inline) >= 3  # the date pickers, the byline's inline panel, the image chooser
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline)


# --- the secret key -------------------------------------------------------------------------------------


def _production(tmp_path, key, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "RIGHTSDESK_", "DATABASE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "rightsdesk.settings.production", "RIGHTSDESK_SECRET_KEY": key,
                "RIGHTSDESK_DATA_DIR": str(tmp_path)})
    return subprocess.run([CLI, "manage", "check", *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("key", ["a" * 50, "secret" * 10, "django-insecure-" + "k3y" * 20])
def test_a_weak_secret_key_is_refused_at_production_start(tmp_path, key):
    done = _production(tmp_path, key)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "RIGHTSDESK_SECRET_KEY" in done.stderr and "token_urlsafe" in done.stderr


def test_check_deploy_is_clean_with_a_good_key(tmp_path):
    import secrets

    done = _production(tmp_path, secrets.token_urlsafe(64), "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_mirrors_nginx_headers_carry_the_sites_public_policy():
    from rightsdesk.accounts.policy import MIRROR_POLICY, PUBLIC_POLICY, header_value

    headers = (Path(__file__).resolve().parents[2] / "deploy/rightsdesk-nginx/headers.conf").read_text()
    found = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', headers)
    assert found and found.group(1) == header_value(MIRROR_POLICY)
    # The same as the application's, with WebAssembly for Pagefind and nothing else.
    assert {k: v for k, v in MIRROR_POLICY.items() if k != "script-src"} == \
        {k: v for k, v in PUBLIC_POLICY.items() if k != "script-src"}


def test_the_admin_on_its_own_host_name_is_not_found_on_the_public_one(client, db, settings):
    settings.RIGHTSDESK_ADMIN_HOST = "admin.news.example.org"
    assert client.get("/admin/login/", HTTP_HOST="news.example.org").status_code == 404
    assert client.get("/admin/login/", HTTP_HOST="admin.news.example.org").status_code == 200
    assert client.get("/", HTTP_HOST="news.example.org").status_code == 200
