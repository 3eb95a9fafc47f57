"""The recommendations file: every public article of one language, compactly, for the reader's
browser to score against the history it keeps on the device (static/related/recommended.js).

The file is the same for every reader and carries nothing about any reader. Format (version 2),
one column per field, articles newest first:

    {"v": 2, "lang": "en",
     "sections": [["News", "news/"], ...],
     "id":    [id of the first, then each id as the previous one minus this number, ...],
     "day":   [day of the first, then how many days before the previous one, ...],
     "sec":   [index in "sections" (-1: none), ...],
     "words": "word\nword\n...",
     "title": "codes\ncodes\n...",
     "slug":  "line\nline\n...",
     "rel":   [[position, ...], ...]}

Days count from 1970-01-01 (UTC) to the first publication. A title is written as the positions in
"words" (base 36, separated by spaces) of its space-separated words; "words" lists them most
frequent first. Addresses are relative to the language's home page, where the file lives
(`recommendations.json`), so the file and the script work unchanged on a static mirror under any
path. An article's address is its section's address, then its slug, then "/"; its line in "slug"
is empty when the slug is `derived_slug(title)`, else the slug's hyphen-separated parts, each
either one base-36 character (that word of the derived slug: "0-1-2-~2024" for the first three
words and "2024"), or "~" and the part; a line with a "/" is the whole address (an article outside
a section). "rel" holds the stored Related lists (positions in the file, best first) of the
newest `fresh_count()` articles.

Why this shape: at 10,000 articles the titles alone take most of the 300 KB a slow connection can
afford, so nothing else may cost more than a few bytes an article, and the titles themselves are coded
word by word (a quarter smaller, gzipped, than plain text). A reader's history keeps the
Related list each article had when it was read (its page hands it over, see `article_features`),
which already names every older related article; only articles published after the reading are
missing from it, and those are the newest ones, whose own Related lists the file carries (the
score of a pair is symmetric, so a new article close to one the reader read usually lists it).
Nothing of an article's text beyond its title is in the file.
"""

import json
import re
from collections import Counter

from django.conf import settings
from django.utils.http import int_to_base36

from rightsdesk.newsroom import selectors

from .models import RelatedItem

FORMAT_VERSION = 2

_SLUG_DROP = re.compile(r"[^A-Za-z0-9 _-]")
_SLUG_JOIN = re.compile(r"[ -]+")


def derived_slug(title):
    """The slug the script derives from a title (recommended.js does exactly the same): ASCII
    letters, digits, "_" and "-" kept, lower-cased, runs of spaces and hyphens made one hyphen,
    hyphens and underscores trimmed. It equals Django's and Wagtail's slug of most English titles;
    for the others the file gives the address."""
    return _SLUG_JOIN.sub("-", _SLUG_DROP.sub("", title).lower()).strip("-_")


def encode_slug(slug, title):
    """The slug's line in the file (see the format above): '' if derived from the title."""
    words = derived_slug(title).split("-")
    if slug == "-".join(words):
        return ""
    out = []
    for part in slug.split("-"):
        i = words.index(part) if part in words else -1
        out.append(int_to_base36(i) if 0 <= i < 36 else "~" + part)
    return "-".join(out)


def _code_titles(titles):
    """(word list, coded titles): each title as the base-36 positions of its words."""
    counts = Counter(word for title in titles for word in title.split(" "))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    code = {w: int_to_base36(i) for i, w in enumerate(words)}
    return words, [" ".join(code[w] for w in title.split(" ")) for title in titles]


def stored_ids(article_ids):
    """{article id: [target ids of its stored Related list, best first]} for `article_ids`."""
    related = {}
    for article_id, target_id in RelatedItem.objects.filter(article_id__in=article_ids).order_by(
        "article_id", "rank"
    ).values_list("article_id", "target_id"):
        related.setdefault(article_id, []).append(target_id)
    return related


def article_features(page_id, related_ids=None):
    """What an article page hands the script for the reader's history: its Related list as it is
    now ("r" + id in base 36, best first; '' if it has none). `related_ids`: the list, when the
    caller has it already."""
    if related_ids is None:
        related_ids = stored_ids([page_id]).get(page_id, ())
    return " ".join("r" + int_to_base36(int(r)) for r in related_ids)


def fresh_count():
    """How many of the newest articles carry their Related list in the file (about 14 bytes each,
    gzipped). They must cover what a returning reader has not seen yet: at five articles a day,
    500 are three months."""
    return settings.RIGHTSDESK_RECOMMEND_FRESH


def _relative(url_path, home_path):
    return url_path[len(home_path):] if url_path.startswith(home_path) else url_path.lstrip("/")


def _deltas(values):
    """First value, then each as the previous one minus it."""
    return values[:1] + [a - b for a, b in zip(values, values[1:])]


def recommendations_data(home):
    """The recommendations file of `home`'s language, as a Python object."""
    frame = selectors.language_frame(home.locale_id)
    sections = frame["sections"]
    section_index = {s.path: i for i, s in enumerate(sections)}
    section_urls = [_relative(s.url_path, home.url_path) for s in sections]
    rows = list(
        selectors.published_articles(home.locale_id).values_list("pk", "title", "path", "url_path", "first_published")
    )
    position = {pk: k for k, (pk, *_rest) in enumerate(rows)}
    steplen = home.steplen
    ids, days, secs, titles, slugs = [], [], [], [], []
    for pk, title, path, url_path, first_published in rows:
        title = " ".join(title.split())  # one line, single spaces: the coding splits on them
        section = section_index.get(path[:-steplen], -1)
        url = _relative(url_path, home.url_path)
        prefix = section_urls[section] if section >= 0 else None
        if prefix is not None and url.startswith(prefix) and url.endswith("/") and "/" not in url[len(prefix):-1]:
            slugs.append(encode_slug(url[len(prefix):-1], title))
        else:
            slugs.append(url)
        ids.append(pk)
        days.append(int(first_published.timestamp() // 86400) if first_published else 0)
        secs.append(section)
        titles.append(title)
    fresh = [pk for pk, *_rest in rows[: fresh_count()]]
    related = stored_ids(fresh)
    words, coded = _code_titles(titles)
    return {
        "v": FORMAT_VERSION,
        "lang": frame["lang"],
        "sections": [[s.title, url] for s, url in zip(sections, section_urls)],
        "id": _deltas(ids),
        "day": _deltas(days),
        "sec": secs,
        "words": "\n".join(words),
        "title": "\n".join(coded),
        "slug": "\n".join(slugs),
        "rel": [[position[t] for t in related.get(pk, ()) if t in position] for pk in fresh],
    }


def recommendations_json(home):
    """The file's bytes (compact JSON, UTF-8)."""
    return json.dumps(recommendations_data(home), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
