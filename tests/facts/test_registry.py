"""The facts desk in the database: the demo registry, mentions, entity pages, the review queue."""

import pytest

from rightsdesk.facts import names
from rightsdesk.facts.models import (
    Alias,
    CandidateStatus,
    Entity,
    FactsSettings,
    Figure,
    Mention,
    NameCandidate,
    Source,
)
from rightsdesk.facts.registry import article_text, lint_article

pytestmark = pytest.mark.django_db


def entity_url(slug, language=""):
    return f"/{language + '/' if language else ''}entities/{slug}/"


def test_demo_registry_has_entities_in_both_scripts_and_sourced_figures():
    assert Entity.objects.count() >= 30
    scripts = set(Alias.objects.values_list("script", flat=True))
    assert {names.LATIN, names.PERSIAN} <= scripts
    sourced = Figure.objects.filter(figure_sources__isnull=False).distinct()
    assert sourced.count() >= 10
    # one thing counted differently by different sources
    disputed = [
        f for f in Figure.objects.all()
        if Figure.objects.filter(counts=f.counts, period=f.period).exclude(low=f.low, high=f.high).exists()
    ]
    assert disputed


def test_mentions_are_stored_with_offsets_into_the_article_text():
    mention = Mention.objects.select_related("page").filter(entity__slug="ebrahim-raisi").first()
    assert mention is not None
    text = article_text(mention.page.specific)
    assert text[mention.start:mention.end] == mention.text


def test_entity_page_shows_names_articles_and_disputed_figures_with_sources(client):
    entity = Figure.objects.filter(period="1988", counts__icontains="executed").first().about.first()
    html = client.get(entity_url(entity.slug)).content.decode()
    assert entity.name in html
    for alias in entity.aliases.all()[:3]:
        assert alias.name in html.replace("&#x27;", "'")
    assert 'id="mentions"' in html and 'class="teaser"' in html  # articles that mention it
    assert "Sources differ" in html and "2,800" in html and "30,000" in html  # the range and who says what
    assert "Amnesty International" in html or "Montazeri" in html


def test_confidential_sources_and_internal_notes_never_reach_the_public(client):
    source = Source.objects.filter(confidential=True).first()
    assert source is not None and source.note
    figure = source.figure_links.first().figure
    entity = figure.about.first()
    html = client.get(entity_url(entity.slug)).content.decode()
    assert "A confidential source held by the organisation" in html
    assert source.title not in html
    assert source.note not in html
    for f in entity.figures.exclude(note=""):
        assert f.note not in html


def test_persian_entity_page_uses_persian_names(client):
    entity = Entity.objects.exclude(name_fa="").first() or Entity.objects.filter(aliases__script=names.PERSIAN).first()
    response = client.get(entity_url(entity.slug, "fa"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fa"' in html and 'dir="rtl"' in html


def test_entity_index_lists_entities_by_kind(client):
    html = client.get("/entities/").content.decode()
    assert "Person" in html and "Organisation" in html and "Event" in html
    assert entity_url("ebrahim-raisi") in html


def test_unknown_entity_is_404(client):
    assert client.get(entity_url("no-such-entity")).status_code == 404


def test_first_mention_is_linked_once_when_the_setting_says_so(client, make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(body_text="Ebrahim Raisi spoke. Later Ebrahim Raisi left Evin prison.")
    html = client.get(page.url).content.decode()
    assert html.count(f'href="{entity_url("ebrahim-raisi")}"') == 1
    from wagtail.models import Site

    settings = FactsSettings.for_site(Site.objects.get(is_default_site=True))
    settings.link_first_mentions = False
    settings.save()
    html = client.get(page.url).content.decode()
    assert f'href="{entity_url("ebrahim-raisi")}"' not in html


def test_saving_an_article_links_it_and_queues_unknown_names(make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_article(body_text="The Zarathustra Monitoring Collective (ZMC) wrote to Ebrahim Raeesi in Geneva.")
    assert Mention.objects.filter(page=page, entity__slug="ebrahim-raisi", text="Ebrahim Raeesi").exists()
    candidate = NameCandidate.objects.get(normalized="zarathustra monitoring collective")
    assert candidate.status == CandidateStatus.OPEN and candidate.kind == "organisation"


def test_review_queue_accept_create_and_reject(admin_client, make_article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(body_text="Survivors met the Quillfeather Rights Circle (QRC) and Raisi's envoy Obadiah Quennell.")
    page = admin_client.get("/admin/facts/names/").content.decode()
    assert "Quillfeather Rights Circle" in page
    circle = NameCandidate.objects.get(normalized="quillfeather rights circle")
    person = NameCandidate.objects.get(normalized="obadiah quennell")
    raisi = Entity.objects.get(slug="ebrahim-raisi")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/facts/names/{circle.pk}/", {"action": "create", "kind": "organisation"})
    assert Entity.objects.filter(name="Quillfeather Rights Circle", kind="organisation").exists()

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/facts/names/{person.pk}/", {"action": "accept", "entity": raisi.pk, "alias_kind": "short"})
    assert raisi.aliases.filter(name="Obadiah Quennell").exists()

    reject = NameCandidate.objects.create(name="Zyx Thing", normalized="zyx thing")
    admin_client.post(f"/admin/facts/names/{reject.pk}/", {"action": "reject"})
    reject.refresh_from_db()
    assert reject.status == CandidateStatus.REJECTED and reject.decided_by is not None


def test_editor_lint_of_an_article_reports_conflicts_and_unsourced_figures(make_article):
    page = make_article(body_text="Guards killed 120 protesters in March. Rights groups said the 95 protesters were unarmed.")
    report = lint_article(page)
    kinds = [p.kind for p in report.problems]
    assert "figure-conflict" in kinds
    assert "unsourced-figure" in kinds


def test_admin_lists_and_searches_entities(admin_client):
    html = admin_client.get("/admin/snippets/facts/entity/?q=Raeesi").content.decode()
    assert "Ebrahim Raisi" in html
    html = admin_client.get("/admin/snippets/facts/entity/?kind=place").content.decode()
    assert "Evin" in html and "Ebrahim Raisi" not in html
    assert admin_client.get("/admin/snippets/facts/figure/").status_code == 200
    assert admin_client.get("/admin/snippets/facts/source/").status_code == 200


def test_entity_pages_are_in_the_sitemap_and_the_footer(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/entities/ebrahim-raisi/" in xml
    assert "http://testserver/fa/entities/" in xml
    assert 'href="/entities/"' in client.get("/").content.decode()


def test_import_registry_command_checks_before_writing(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.toml"
    bad.write_text('[[entity]]\nslug = "x"\nkind = "planet"\nname = "X"\n', encoding="utf-8")
    with pytest.raises(CommandError, match="kind 'planet' is not one of"):
        call_command("import_registry", str(bad))
    assert not Entity.objects.filter(slug="x").exists()
    good = tmp_path / "good.toml"
    good.write_text(
        '[[entity]]\nslug = "quill-circle"\nkind = "organisation"\nname = "Quill Rights Circle"\n'
        'aliases = [{ name = "QRC", kind = "acronym" }]\n', encoding="utf-8")
    call_command("import_registry", str(good))
    call_command("import_registry", str(good))  # twice: nothing added the second time
    assert Entity.objects.get(slug="quill-circle").aliases.count() == 1


def test_an_article_cited_as_a_source_can_still_be_deleted(make_article):
    page = make_article(title="A cited report")
    source = Source.objects.create(kind="article", article=page, title=page.title)
    figure = Figure.objects.create(counts="prisoners", qualifier="exact", low=7, high=7)
    figure.figure_sources.create(source=source)
    page.delete()
    source.refresh_from_db()
    assert source.article is None
    assert source.label() == "A cited report (this site, since deleted)"
    assert figure.figure_sources.count() == 1
