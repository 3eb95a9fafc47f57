"""The headline and body of a saved page: its own title, never a line of the site's chrome.

A page saved by hand (text, Markdown, HTML, PDF) carries lines that are not the article: the
navigation, breadcrumbs, share and close buttons, cookie banners, photo captions, date and
byline lines, an encyclopaedia's tagline, sidebars of other stories, an archive's "Capture 3".
``is_chrome(line)`` recognises them by their form (general patterns, English and Persian, no
list of sites). ``find(lines, hints)`` then takes as headline the short line above the first
prose paragraph that best shares the words of the article's opening (a sidebar teaser about
another subject shares few), preferring a heading the document marks as such (``hints``: an
HTML ``<h1>``, a Markdown ``#`` line, a PDF's title); a breadcrumb run into the headline
("Home › News › Iran: …") or a site name after it ("… | Site") is cut off. When no line
qualifies, the first sentence of the text is used and ``found`` is False: the import says so
and marks the draft for the editor. The body is the article's lines without chrome lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import reading

NOT_FOUND_NOTE = "headline not found in the page: the first sentence is the title; check it"

_NAV_WORDS = frozenset("""
home about news reports report statements statement analysis publications resources contact donate
menu search subscribe login log sign in up register english français español العربية فارسی
press media campaigns campaign take action get involved who we are what do countries country regions
region topics issues careers jobs events blog newsletter privacy terms policy sitemap faq help
podcasts podcast videos video photos gallery opinion world politics business sport sports culture
africa americas asia europe middle east the and our us shop store archive archives more latest
multimedia features investigations data map maps live tv radio login account français deutsch
خانه اخبار گزارش گزارش‌ها تماس با ما درباره جستجو منو اشتراک ورود ویدیو عکس بیانیه‌ها آرشیو
""".split())
_BUTTON_RE = re.compile(
    r"^(?:share(?:\s+(?:this|on|via)\b.*)?|tweet|facebook|twitter|x|whatsapp|telegram|linkedin|reddit"
    r"|e-?mail|print|copy(?:\s+link)?|close|×|✕|✖|menu|search|skip\s+to\s+(?:main\s+)?content"
    r"|jump\s+to\s+(?:navigation|search|content)|back\s+to\s+top|read\s+more|show\s+more|load\s+more"
    r"|see\s+more|view\s+all|subscribe|sign\s+up|sign\s+in|log\s+in|donate(?:\s+now)?|listen(?:\s+to\s+this\s+article)?"
    r"|download(?:\s+(?:pdf|the\s+report|report|full\s+report))?|next|previous|prev|toggle\s+navigation"
    r"|open\s+menu|close\s+menu|comments?(?:\s+\(\d+\))?|\d+\s+comments?|save|bookmark|follow\s+us|rss"
    r"|اشتراک(?:\u200cگذاری|\s+گذاری)?|بستن|جستجو|منو|چاپ|دانلود|بیشتر\s+بخوانید|ادامه\s+مطلب|ارسال)"
    r"[\s:|·•/]*$",
    re.I,
)
_SOCIAL_RUN_RE = re.compile(
    r"^(?:(?:share|tweet|facebook|twitter|whatsapp|telegram|linkedin|reddit|e-?mail|print|copy link|x)"
    r"[\s|·•/,]*){2,}$",
    re.I,
)
_COOKIE_RE = re.compile(
    r"\bcookies?\b|\bconsent\b.*\b(?:accept|preferences|privacy)\b|^(?:accept|reject)(?:\s+all)?(?:\s+cookies)?$"
    r"|^manage\s+(?:preferences|settings|cookies)$|^got\s+it!?$|^i\s+agree$|کوکی",
    re.I,
)
_CAPTION_RE = re.compile(
    r"^(?:\(?(?:photo|image|picture|photograph|illustration|file\s+photo|credit|caption|video|graphic"
    r"|infographic|source|عکس|تصویر|منبع\s+تصویر|ویدیو)\b\s*(?:credit)?\s*[:：|/-])"
    r"|(?:©|\(c\)\s|getty\s+images|/\s*(?:afp|reuters|ap|epa|anadolu)\b|\b(?:afp|reuters|ap|epa)\s+photo\b)"
    r"|^\((?:photo|image|file)[^)]*\)$",
    re.I,
)
_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_FA_MONTHS = ("فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|ژانویه|فوریه|مارس"
              "|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر")
_DATE_BITS = (
    rf"(?:[0-9۰-۹]{{1,4}}(?:st|nd|rd|th)?|{_MONTHS}|{_FA_MONTHS}|monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه|شنبه"
    r"|at|on|of|am|pm|a\.m\.|p\.m\.|gmt|utc|cet|cest|irst|local\s+time|[0-9۰-۹]{1,2}[:٫.][0-9۰-۹]{2}"
    r"|[0-9۰-۹]{1,4}[/.\-][0-9۰-۹]{1,2}[/.\-][0-9۰-۹]{1,4}|ساعت|و)"
)
_DATE_LINE_RE = re.compile(
    r"^(?:(?:published|posted|updated|last\s+updated|modified|date|first\s+published|issued|released"
    r"|تاریخ(?:\s+انتشار)?|منتشر\s+شده|به\u200cروز\s*رسانی|بروزرسانی)\s*(?:on|:|-|–)?\s*)?"
    rf"(?:{_DATE_BITS}[\s,،|·•/\-–]*)+$",
    re.I,
)
_READING_TIME_RE = re.compile(r"^(?:\d+|[۰-۹]+)\s*(?:min(?:ute)?s?|دقیقه)\s*(?:read|reading|مطالعه)?$|^reading\s+time\b", re.I)
_BYLINE_RE = re.compile(
    r"^(?:by|written\s+by|words\s+by|reporting\s+by|author|authors|نویسنده|نوشته|گزارش\s+از|گزارشگر)\s*[:：]?\s+"
    r"[^.!?]{2,80}$|^(?:by)\s+[A-Z]",
    re.I,
)
_ENCYCLOPAEDIA_RE = re.compile(
    r"^from\s+wikipedia|the\s+free\s+encyclopedia|^from\s+[\w\s]+,\s+the\s+free\b|^\(redirected\s+from\b"
    r"|^this\s+article\s+is\s+about\b|^for\s+other\s+uses\b|^not\s+to\s+be\s+confused\s+with\b"
    r"|^(?:contents|hide|show|\[edit\]|edit|coordinates\s*:.*|main\s+article\s*:.*|see\s+also\s*:.*)$"
    r"|از\s+ویکی\u200cپدیا|دانشنامهٔ?\s+آزاد|^محتویات$|^ویرایش$",
    re.I,
)
_ARCHIVE_RE = re.compile(
    r"^(?:capture\s*#?\s*\d+|captures?\s*:?.*\d+\s+captures?|screenshot(?:\s+\d+)?|saved\s+from\b.*"
    r"|archived\s+(?:from|on)\b.*|wayback\s+machine.*|https?://\S+|www\.\S+|page\s+\d+(?:\s+of\s+\d+)?"
    r"|\d+\s*/\s*\d+|\d+)$",
    re.I,
)
_SIDEBAR_HEAD_RE = re.compile(
    r"^(?:latest(?:\s+news|\s+stories|\s+articles)?|most\s+(?:read|popular|viewed|shared)|popular(?:\s+now)?"
    r"|trending(?:\s+now)?|related(?:\s+(?:articles|stories|news|content|reading|posts))?|you\s+might\s+also\s+like"
    r"|you\s+may\s+also\s+like|recommended(?:\s+for\s+you|\s+to\s+you)?|more\s+(?:from|on|in|stories|news)\b.*"
    r"|read\s+(?:next|also)|see\s+also|also\s+read|editor['’]s\s+picks?|must\s+read|top\s+stories|in\s+other\s+news"
    r"|tags?|topics?|categories|category|filed\s+under|keywords|follow\s+us.*|sign\s+up\s+for.*|newsletter"
    r"|support\s+our\s+work|share\s+this(?:\s+\w+)?|آخرین\s+(?:اخبار|مطالب)|پربازدیدترین(?:\s+ها)?"
    r"|مطالب\s+مرتبط|بیشتر\s+بخوانید|برچسب\u200cها|برچسب\s*ها|پیشنهاد\s+سردبیر)\s*[:：]?\s*(?:[:：].*)?$",
    re.I,
)
_BREADCRUMB_SEP_RE = re.compile(r"\s+(?:›|»|>|→|/|\\|::|·|•|\|)\s+|\s*[›»→]\s*")
_TITLE_SUFFIX_RE = re.compile(r"\s+(?:\||–|—|-|::|·)\s+")
_WORD_RE = re.compile(r"[^\W\d_][\w'’\u200c]*|[0-9۰-۹][0-9۰-۹,٬.]*")
_STOP = frozenset("""
the a an of in on at to for from by with and or but is are was were be been has have had it its this
that these those as not no more than after before over under into about their his her they we you
said says will would could should can may new also which who whom when where while than then there
و در از به که را با این آن برای تا یک هم شد شده است بود می
""".split())


@dataclass
class Headline:
    title: str
    found: bool
    paragraphs: list[str] = field(default_factory=list)
    chrome: list[str] = field(default_factory=list)  # the lines left out


def is_chrome(line: str) -> bool:
    """Is this line part of the site's chrome (see the module docstring)?"""
    s = " ".join(line.split())
    if not s:
        return True
    words = s.split()
    if len(words) > 70:
        return False  # a paragraph
    low = s.lower()
    if len(words) <= 8 and (_BUTTON_RE.match(low) or _SOCIAL_RUN_RE.match(low)):
        return True
    if len(words) <= 6 and all(_BUTTON_RE.match(w) for w in re.split(r"[\s|·•/,]+", low) if w):
        return True  # "Close ×", "Print Save"
    if len(words) <= 70 and _COOKIE_RE.search(low) and not reading._is_prose(s) or (
            len(words) <= 70 and re.search(r"\bcookies?\b", low) and re.search(r"\b(?:accept|agree|consent|browsing|experience)\b", low)):
        return True
    if len(words) <= 40 and _CAPTION_RE.search(s):
        return True
    if len(words) <= 14 and (_DATE_LINE_RE.match(low) or _READING_TIME_RE.match(low)):
        return True
    if len(words) <= 12 and _BYLINE_RE.match(s) and not s.rstrip().endswith((".", "!", "?")):
        return True
    if len(words) <= 25 and _ENCYCLOPAEDIA_RE.search(low):
        return True
    if len(words) <= 12 and _ARCHIVE_RE.match(low):
        return True
    if len(words) <= 8 and _SIDEBAR_HEAD_RE.match(low):
        return True
    if _is_nav(s):
        return True
    parts = [p for p in re.split(r"\s+[·•|]\s+", s) if p.strip()]
    if len(parts) >= 2 and all(is_chrome(p) for p in parts):
        return True  # "Updated 3 March 2024 · 4 min read"
    if _is_breadcrumb(s) and not _breadcrumb_tail(s):
        return True
    return False


def _is_nav(s: str) -> bool:
    parts = [p for p in re.split(r"\s*[|·•]\s*|\s{2,}|\t", s) if p.strip()]
    words = [w.strip(".,:;").lower() for w in s.replace("|", " ").split() if w.strip(".,:;|·•")]
    if not words:
        return True
    if len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts):
        return True
    nav = sum(1 for w in words if w in _NAV_WORDS)
    return len(words) >= 2 and nav / len(words) >= 0.75 and not re.search(r"[.!?؟:]$", s)


def _is_breadcrumb(s: str) -> bool:
    parts = _BREADCRUMB_SEP_RE.split(s)
    return len(parts) >= 2 and len(parts[0].split()) <= 3 and bool(re.search(r"[›»>→]|\s/\s", s))


def _breadcrumb_tail(s: str) -> str:
    """The headline a breadcrumb runs into: "Home › News › Iran: 834 …" -> "Iran: 834 …"."""
    parts = [p.strip() for p in _BREADCRUMB_SEP_RE.split(s) if p.strip()]
    if len(parts) < 2:
        return ""
    head, tail = parts[:-1], parts[-1]
    if all(len(p.split()) <= 4 for p in head) and len(tail.split()) >= 4:
        return tail
    return ""


def clean_title(s: str) -> str:
    """A candidate title without a breadcrumb before it or a site name after it."""
    s = " ".join(s.split()).strip()
    s = re.sub(r"^#+\s+", "", s)
    tail = _breadcrumb_tail(s) if _is_breadcrumb(s) else ""
    if tail:
        s = tail
    parts = _TITLE_SUFFIX_RE.split(s)
    if len(parts) >= 2:
        longest = max(parts, key=lambda p: len(p.split()))
        others = [p for p in parts if p is not longest]
        if len(longest.split()) >= 3 and all(len(p.split()) <= 5 for p in others):
            s = longest.strip()
    return s


def _content_words(s: str) -> set[str]:
    return {w.lower().strip("'’") for w in _WORD_RE.findall(s) if w.lower() not in _STOP and len(w) > 2}


def _title_like(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 30 or reading._TRUNCATED.search(s):
        return False
    return not reading._is_prose(s) or len(words) <= 22 and not s.rstrip().endswith((".", "!", "؟", "?"))


def find(lines: list[str], hints: list[str] = ()) -> Headline:
    """The headline and body of the lines of a saved page (see the module docstring)."""
    lines = [" ".join(line.split()) for line in lines if line and line.strip()]
    chrome = chrome_flags(lines)
    kept = [(i, line) for i, line in enumerate(lines) if not chrome[i]]
    prose = [k for k, (_, line) in enumerate(kept) if reading._is_prose(line)]
    if not prose:  # a page of short lines (a list, a table): its first full sentence opens it
        prose = [k for k, (_, line) in enumerate(kept)
                 if len(line.split()) >= 6 and re.search(r"[.:!?؟][\"'”’»)]*$", line)][:1]
    if not prose:
        body = [line for _, line in kept]
        return _fallback(body, hints, [line for i, line in enumerate(lines) if chrome[i]])
    first, last = prose[0], prose[-1]
    # what the article opens with: its first paragraphs and the lines right above them
    opening_words = [(k, _content_words(kept[k][1])) for k in range(max(0, first - 10), min(len(kept), first + 3))]
    while last + 1 < len(kept):  # the article goes on over list items and short sentences
        line = kept[last + 1][1]
        if reading._TRUNCATED.search(line) or not (
                reading._LIST_ITEM.match(line) or (len(line.split()) >= 3 and reading._FULL_STOP.search(line))):
            break
        last += 1

    candidates = []
    # short lines above the first paragraph (sidebar items included, scored by topic)
    for k in range(first - 1, max(-1, first - 10), -1):
        _, line = kept[k]
        title = clean_title(line)
        if _title_like(title):
            candidates.append((k, title))
    for i in range(len(lines)):
        if chrome[i] == "sidebar":
            title = clean_title(lines[i])
            if _title_like(title) and i < (kept[first][0] if kept else 0):
                candidates.append((-1, title))
    hint_titles = [clean_title(h) for h in hints if h and h.strip()]
    hint_titles = [h for h in hint_titles if h and not is_chrome(h) and _title_like(h)]

    def score(item):
        k, title = item
        words = _content_words(title)
        opening = set().union(*(w for j, w in opening_words if j != k)) if opening_words else set()
        overlap = len(words & opening) / max(1, min(len(words), 8))
        hinted = any(_same(title, h) for h in hint_titles)
        distance = (first - k) if k >= 0 else 20
        ends_sentence = title.rstrip().endswith((".", "!", "?", "؟"))
        # a headline rarely ends with a full stop; a sentence of six words or more that does is
        # a short paragraph of the article
        sentence = title.rstrip().endswith(".") and len(title.split()) >= 6
        return (hinted, not sentence, overlap >= 0.25, overlap - 0.02 * distance - (0.3 if ends_sentence else 0.0))

    title, found, title_at = "", False, first
    if candidates:
        best = max(candidates, key=score)
        best_score = score(best)
        if best_score[0] or (best_score[1] and (best_score[2] or best[0] == first - 1 or len(candidates) == 1)):
            title, found, title_at = best[1], True, (best[0] if best[0] >= 0 else first)
    if not found and hint_titles:
        title, found = hint_titles[0], True
    body_lines = []
    for k, (_, line) in enumerate(kept):
        if k <= title_at and k < first or k > last:
            continue  # above the headline (or the headline itself), or after the article
        if reading._TRUNCATED.search(line) and not reading._is_prose(line):
            continue
        if k < first and _same(clean_title(line), title):
            continue
        body_lines.append(line)
    left_out = [line for i, line in enumerate(lines) if chrome[i]]
    if not found:
        return _fallback(body_lines, (), left_out)
    return Headline(title, True, body_lines, left_out)


def _same(a: str, b: str) -> bool:
    na, nb = " ".join(a.lower().split()), " ".join(b.lower().split())
    return na == nb or (len(nb) > 10 and (na in nb or nb in na))


def _fallback(body: list[str], hints, chrome) -> Headline:
    hint_titles = [clean_title(h) for h in hints if h and h.strip()]
    hint_titles = [h for h in hint_titles if not is_chrome(h) and _title_like(h)]
    if hint_titles:
        return Headline(hint_titles[0], True, body, list(chrome))
    text = " ".join(body)
    m = re.match(r"(.{10,}?[.!?؟])(?:\s|$)", text)
    sentence = (m.group(1) if m else text)[:200].strip()
    return Headline(sentence, False, body, list(chrome))


def chrome_flags(lines: list[str]) -> list:
    """For each line: False, True (a chrome line) or "sidebar" (a teaser under a sidebar heading)."""
    flags = [is_chrome(line) for line in lines]
    in_sidebar = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if _SIDEBAR_HEAD_RE.match(line.strip().lower()) and len(line.split()) <= 8:
            in_sidebar = True
            continue
        if in_sidebar:
            if reading._is_prose(line):
                in_sidebar = False
            elif not flags[i]:
                flags[i] = "sidebar"
    return flags


def blank_chrome(text: str) -> str:
    """``text`` with its chrome lines replaced by spaces (offsets unchanged)."""
    lines = text.split("\n")
    flags = chrome_flags(lines)
    if not any(flags[i] for i, line in enumerate(lines) if line.strip()):
        return text
    return "\n".join(" " * len(line) if flags[i] and line.strip() else line for i, line in enumerate(lines))


def from_text(text: str, hints: list[str] = ()) -> Headline:
    """Headline and body of a page saved as plain text (one paragraph or line per line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start, end = reading.main_span(text)
    lines = text.split("\n")
    # Lines after the article's last paragraph are the site's (teasers): main_span finds where
    # it ends; the top is left to ``find``, which knows chrome lines main_span does not.
    tail_cut = text[:end].count("\n") + 1 if end < len(text) else len(lines)
    return find(lines[:tail_cut], hints)


def markdown_hints(markdown: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"(?m)^#\s+(.+?)\s*#*\s*$", markdown)] + [
        m.group(1) for m in re.finditer(r"(?m)^(?:title|headline)\s*[:=]\s*[\"']?(.+?)[\"']?\s*$", markdown[:2000])]


def html_hints(html: str) -> list[str]:
    from html import unescape

    out = []
    for pattern in (r"<h1[^>]*>(.*?)</h1>", r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']+)",
                    r"<title[^>]*>(.*?)</title>"):
        for m in re.finditer(pattern, html, re.I | re.S):
            text = " ".join(unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split())
            if text:
                out.append(text)
    return out
