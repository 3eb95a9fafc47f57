"""The site's skeleton: locales, a home page per language, the default sections, the admin account.

Used by `rightsdesk init` (an empty site for real use) and `rightsdesk demo`. Every function here
is idempotent: running it again changes nothing that exists.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import HomePage, SectionPage, SiteIdentity

DEFAULT_SECTIONS = [
    # slug, English title, Persian title, English intro, Persian intro
    ("news", "News", "اخبار", "Reporting on human-rights violations as they happen.", "گزارش نقض حقوق بشر در لحظه."),
    ("reports", "Reports", "گزارش‌ها", "In-depth research and documentation.", "پژوهش و مستندسازی مفصل."),
    ("statements", "Statements", "بیانیه‌ها", "Public statements and appeals.", "بیانیه‌ها و درخواست‌های عمومی."),
    ("analysis", "Analysis", "تحلیل", "Context and analysis.", "زمینه و تحلیل."),
    ("wire", "Wire", "خبرگزاری‌ها", "Briefs from news agencies.", "خلاصه اخبار خبرگزاری‌ها."),
]

HOME_TITLES = {"en": "Home", "fa": "خانه"}


def ensure_locales():
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES}


def _publish(page):
    page.save_revision().publish()
    return page


@transaction.atomic
def ensure_site(site_name=None, base_url=None):
    """Create what an empty rightsdesk site needs; return the English home page."""
    locales = ensure_locales()
    root = Page.get_first_root_node()
    # Wagtail's initial migration creates a placeholder "Welcome" page; replace it with ours.
    for placeholder in root.get_children().filter(content_type__model="page", content_type__app_label="wagtailcore"):
        placeholder.delete()  # its Site record goes with it; a new one is made below
        root.refresh_from_db()

    home_en = HomePage.objects.filter(locale=locales["en"], depth=2).first()
    if home_en is None:
        home_en = HomePage(title=HOME_TITLES["en"], slug="home", locale=locales["en"])
        root.add_child(instance=home_en)
        _publish(home_en)
        root.refresh_from_db()
    home_fa = HomePage.objects.filter(locale=locales["fa"], depth=2).first()
    if home_fa is None:
        home_fa = HomePage(
            title=HOME_TITLES["fa"], slug="fa", locale=locales["fa"], translation_key=home_en.translation_key
        )
        root.add_child(instance=home_fa)
        _publish(home_fa)

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home_en
    if base_url or site.pk is None:
        parsed = urlsplit(base_url or settings.WAGTAILADMIN_BASE_URL)
        site.hostname = parsed.hostname or "localhost"
        site.port = parsed.port or (443 if parsed.scheme == "https" else 80)
    site.site_name = site_name or site.site_name or settings.WAGTAIL_SITE_NAME
    site.save()
    identity = SiteIdentity.for_site(site)
    if not identity.organisation_name or identity.organisation_name == "rightsdesk":
        identity.organisation_name = site.site_name
        identity.save()

    for slug, title_en, title_fa, intro_en, intro_fa in DEFAULT_SECTIONS:
        en = ensure_section(home_en, slug, title_en, intro_en)
        ensure_section(home_fa, slug, title_fa, intro_fa, translation_of=en)
    return home_en


def ensure_section(home, slug, title, intro="", translation_of=None):
    existing = SectionPage.objects.child_of(home).filter(slug=slug).first()
    if existing:
        return existing
    section = SectionPage(title=title, slug=slug, intro=intro, locale=home.locale)
    if translation_of is not None:
        section.translation_key = translation_of.translation_key
    home.add_child(instance=section)
    return _publish(section)


def home_for(language):
    return HomePage.objects.filter(locale__language_code=language, depth=2).first()


def ensure_admin(username, password, email=""):
    """Create the admin account if missing. Returns (user, created). Never changes an existing
    account's password unless `password` is given explicitly by the caller for a reset."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User.objects.create_superuser(username=username, email=email, password=password)
    return user, True


def set_password(user, password):
    user.set_password(password)
    user.save(update_fields=["password"])
