"""The facts desk keeps private what is private: an entity that only the registry knows has no
public page, a confidential source's words are never printed publicly, and a registry file can
only link to http/https addresses (issue 21, item 1)."""

import pytest
from django.core.management import CommandError, call_command

from rightsdesk.facts.models import Entity, Figure, FigureSource, Source

pytestmark = pytest.mark.django_db

QUOTE = "Witness Q-17 counted the bodies in the yard one by one"


def registry_only_entity(**fields):
    """A person the organisation is looking into: in the registry, named in no published article."""
    entity = Entity.objects.create(kind="person", name="Quentin Holloway-Faridi",
                                   description="Under investigation; not yet reported.", **fields)
    figure = Figure.objects.create(counts="prisoners interrogated", qualifier="exact", low=40, high=40)
    figure.about.add(entity)
    figure.save()
    FigureSource.objects.create(figure=figure, source=Source.objects.create(title="Internal memo", publisher="NGO"))
    return entity


def test_registry_only_entity_has_no_public_page(client):
    entity = registry_only_entity()
    for prefix in ("", "/fa"):
        assert client.get(f"{prefix}/entities/{entity.slug}/").status_code == 404
    assert entity.name not in client.get("/entities/").content.decode()
    assert f"/entities/{entity.slug}/" not in client.get("/sitemap.xml").content.decode()


def test_an_editor_can_make_a_registry_only_entity_public(client):
    entity = registry_only_entity(public=True)
    response = client.get(f"/entities/{entity.slug}/")
    assert response.status_code == 200 and entity.name in response.content.decode()
    assert entity.name in client.get("/entities/").content.decode()


def test_mentioned_entities_keep_their_pages(client):
    assert client.get("/entities/ebrahim-raisi/").status_code == 200


def test_a_confidential_sources_words_are_never_printed(client):
    entity = Entity.objects.get(slug="ebrahim-raisi")
    figure = Figure.objects.create(counts="prisoners seen in the yard", qualifier="exact", low=12, high=12, quote=QUOTE)
    figure.about.add(entity)
    figure.save()
    FigureSource.objects.create(figure=figure, source=Source.objects.create(
        title="Testimony of witness Q-17", confidential=True))
    for prefix in ("", "/fa"):
        html = client.get(f"{prefix}/entities/{entity.slug}/").content.decode()
        assert "prisoners seen in the yard" in html  # the figure itself is public
        assert QUOTE not in html and "Q-17" not in html


def test_a_public_sources_words_are_still_printed(client):
    entity = Entity.objects.get(slug="ebrahim-raisi")
    figure = Figure.objects.create(counts="prisoners seen in the yard", qualifier="exact", low=12, high=12,
                                   quote="Twelve prisoners were seen in the yard")
    figure.about.add(entity)
    figure.save()
    FigureSource.objects.create(figure=figure, source=Source.objects.create(title="Public report", url="https://example.org/r"))
    assert "Twelve prisoners were seen in the yard" in client.get("/entities/ebrahim-raisi/").content.decode()


REGISTRY = """
[[source]]
key = "evil"
title = "Looks harmless"
url = "{url}"

[[entity]]
slug = "some-entity"
kind = "person"
name = "Some Entity For Links"

[[figure]]
counts = "people"
about = ["some-entity"]
low = 3
sources = ["evil"]
"""


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,x",
                                 "ftp://example.org/x", "//example.org/x"])
def test_registry_file_accepts_only_http_and_https_links(tmp_path, url):
    path = tmp_path / "facts.toml"
    path.write_text(REGISTRY.format(url=url), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_registry", str(path))
    message = str(raised.value)
    assert "\n" not in message and "source #1 (evil)" in message and "http" in message
    assert not Source.objects.filter(title="Looks harmless").exists()
    assert not Entity.objects.filter(slug="some-entity").exists()


def test_registry_file_with_an_https_link_loads(tmp_path):
    path = tmp_path / "facts.toml"
    path.write_text(REGISTRY.format(url="https://example.org/report"), encoding="utf-8")
    call_command("import_registry", str(path))
    assert Source.objects.get(title="Looks harmless").url == "https://example.org/report"


def test_a_stored_javascript_link_is_never_a_public_link(client):
    """Even a source written before the check (or straight into the database) is shown as text."""
    entity = Entity.objects.get(slug="ebrahim-raisi")
    figure = Figure.objects.create(counts="people warned", qualifier="exact", low=5, high=5)
    figure.about.add(entity)
    figure.save()
    source = Source.objects.create(title="Old entry", url="https://placeholder.invalid/")
    Source.objects.filter(pk=source.pk).update(url="javascript:alert(1)")
    FigureSource.objects.create(figure=figure, source=source)
    html = client.get("/entities/ebrahim-raisi/").content.decode()
    assert "Old entry" in html and "javascript:" not in html
