"""The recommendations file: the public articles of one language (the newest 3,000 by default, see
`max_articles`), compactly, for the reader's browser to score against the history it keeps on the
device (static/related/recommended.js).

The file is the same for every reader and carries nothing about any reader. Its format (version 1):

    {"v": 1, "lang": "en", "sections": [["News", "news/"], ...],
     "items": [[id, section index, "news/slug/", "Title", day, "features"], ...]}

URLs are relative to the language's home page, where the file lives (`recommendations.json`),
so the file and the script work unchanged on a static mirror under any path. `day` counts days
since 1970-01-01; `features` are the article's stored Related list ("r" + id, in base 36, best
first), its strongest terms as short hashes, and the facts desk entities it mentions most ("e" +
id, in base 36): no text of the article beyond its title.
"""

import json
import zlib

from django.conf import settings

FORMAT_VERSION = 1
TERM_BUCKETS = 36**3
DEFAULT_MAX_ARTICLES = 3000


def _base36(number):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def term_hash(term):
    """A term as three base-36 characters (stable across rebuilds: no vocabulary needed)."""
    return _base36(zlib.crc32(term.encode("utf-8")) % TERM_BUCKETS).rjust(3, "0")


def features_string(top_terms, entities, related=(), terms=5, max_entities=5):
    parts = ["r" + _base36(int(r)) for r in related]
    parts += [term_hash(t) for t in top_terms[:terms]]
    parts += ["e" + _base36(int(e)) for e in list(entities)[:max_entities]]
    return " ".join(parts)


def _related_ids(article_ids):
    from .models import RelatedItem

    related = {}
    for article_id, target_id in RelatedItem.objects.filter(article_id__in=article_ids).order_by(
        "article_id", "rank"
    ).values_list("article_id", "target_id"):
        related.setdefault(article_id, []).append(target_id)
    return related


def article_features(page_id):
    """The features string of one article, as the page hands it to the script ('' if unknown)."""
    from .models import ArticleFeatures

    row = ArticleFeatures.objects.filter(page_id=page_id).values_list("top_terms", "entities").first()
    return features_string(*row, _related_ids([page_id]).get(page_id, ())) if row else ""


def max_articles():
    """How many articles the file describes, newest first (0: all). Each costs about 75 bytes
    gzipped, mostly its title and address: 3,000 keep the file near 220 KB. Older articles still
    count in a reader's history (each article page hands the script its own features); they are
    only not recommended."""
    return getattr(settings, "RIGHTSDESK_RECOMMEND_MAX_ARTICLES", DEFAULT_MAX_ARTICLES)


def _relative(url_path, home_path):
    return url_path[len(home_path):] if url_path.startswith(home_path) else url_path.lstrip("/")


def recommendations_data(home):
    """The recommendations file of `home`'s language, as a Python object."""
    from rightsdesk.newsroom import selectors

    from .models import ArticleFeatures

    frame = selectors.language_frame(home.locale_id)
    sections = frame["sections"]
    section_index = {s.path: i for i, s in enumerate(sections)}
    limit = max_articles()
    qs = selectors.published_articles(home.locale_id).only("id", "title", "path", "url_path", "first_published")
    if limit:
        qs = qs[:limit]
    pages = list(qs)
    features = dict(
        (pk, (terms, entities))
        for pk, terms, entities in ArticleFeatures.objects.filter(page_id__in=[p.pk for p in pages]).values_list(
            "page_id", "top_terms", "entities"
        )
    )
    related = _related_ids(qs.values("pk")) if not limit else _related_ids([p.pk for p in pages])
    items = []
    for page in pages:
        section = section_index.get(page.path[: -page.steplen], -1)
        day = int(page.first_published.timestamp() // 86400) if page.first_published else 0
        terms, entities = features.get(page.pk, ([], []))
        items.append([page.pk, section, _relative(page.url_path, home.url_path), page.title, day,
                      features_string(terms, entities, related.get(page.pk, ()))])
    return {
        "v": FORMAT_VERSION,
        "lang": frame["lang"],
        "sections": [[s.title, _relative(s.url_path, home.url_path)] for s in sections],
        "items": items,
    }


def recommendations_json(home):
    """The file's bytes (compact JSON, UTF-8)."""
    return json.dumps(recommendations_data(home), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
