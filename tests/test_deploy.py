"""The production configuration: Django's deploy checks, security headers, throttled logins."""

import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.models import User

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "parley.example.org",
}


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_weak_secret_fails_the_deploy_checks():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "SECRET_KEY": "short"}
    )
    assert result.returncode != 0 and "security.W009" in result.stderr


def test_redis_cache_is_configured_from_a_url_and_a_bad_one_fails():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {**PRODUCTION, "DJANGO_SETTINGS_MODULE": "project.settings"}
    ok = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env={**env, "CACHE_URL": "redis://127.0.0.1:6379/1"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.stdout.strip() == "django.core.cache.backends.redis.RedisCache", ok.stderr
    bad = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "CACHE_URL": "memcached://x"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "CACHE_URL='memcached://x' is not a redis:// URL" in bad.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def lock_out(client, username, **meta):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": username, "password": "wrong"}, **meta)


def logs_in(client, username, password, **meta):
    response = client.post("/admin/login/", {"username": username, "password": password}, **meta)
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("behind_proxy", [False, True])
def test_nobody_locks_an_editor_out_from_another_address(client, settings, behind_proxy):
    """Five bad passwords lock out that user from that address only. Not behind a proxy, a
    forged X-Forwarded-For changes nothing; behind one, the address the proxy gives counts."""
    settings.PROXY_COUNT = 1 if behind_proxy else 0
    User.objects.create_user("editor", password="the-right-password-1", is_staff=True)
    proxy = {"REMOTE_ADDR": "10.0.0.1"} if behind_proxy else {"REMOTE_ADDR": "192.0.2.66"}
    lock_out(client, "editor", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    assert not logs_in(
        client, "editor", "the-right-password-1", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy
    )
    elsewhere = {"HTTP_X_FORWARDED_FOR": "203.0.113.5", **proxy}
    assert logs_in(client, "editor", "the-right-password-1", **elsewhere) == behind_proxy


@pytest.mark.django_db
def test_admin_logins_are_throttled(client):
    User.objects.create_superuser("admin", password="the-right-password-1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "admin", "password": "wrong"})
    locked = client.post("/admin/login/", {"username": "admin", "password": "the-right-password-1"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
