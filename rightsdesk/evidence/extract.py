"""Main text, title, author and date of a captured document: the working copy editors read.

HTML goes through trafilatura. Plain text pages (a page saved as text, like the reference page)
keep what the facts desk's reading rule calls the article: the prose paragraphs and the headline
right above them; the site's chrome before and after (navigation, teaser lists of Latest news,
Must read, Related…, which are runs of short or cut-off lines) is left out. PDFs are read with
pypdf.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO

from rightsdesk.facts import reading

from rightsdesk.facts import headline


@dataclass
class Extracted:
    title: str = ""
    author: str = ""
    date: str = ""
    paragraphs: list[str] = field(default_factory=list)
    method: str = ""

    @property
    def text(self):
        return "\n\n".join(self.paragraphs)


class ExtractionError(Exception):
    pass


def kind_of(content_type: str, data: bytes, filename: str = "") -> str:
    mime = (content_type or "").split(";")[0].strip().lower()
    name = filename.lower()
    if mime == "application/pdf" or data[:5] == b"%PDF-" or name.endswith(".pdf"):
        return "pdf"
    if mime in ("text/html", "application/xhtml+xml") or name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if mime == "text/markdown" or name.endswith((".md", ".markdown")):
        return "markdown"
    if mime.startswith("text/") or name.endswith((".txt", ".text")):
        return reading.sniff(data) if not mime else "text"
    return reading.sniff(data)


def decode(data: bytes, content_type: str = "") -> str:
    match = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    for encoding in ([match.group(1)] if match else []) + ["utf-8-sig", "cp1256", "latin-1"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")


def extract(data: bytes, content_type: str = "", url: str = "", filename: str = "") -> Extracted:
    kind = kind_of(content_type, data, filename)
    if kind == "pdf":
        return _pdf(data)
    text = decode(data, content_type)
    if kind == "html":
        return _html(text, url)
    if kind == "markdown":
        return _plain(reading.markdown_to_text(text), "markdown", headline.markdown_hints(text))
    return _plain(text, "text")


def split_paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def _plain(text: str, method: str, hints=()) -> Extracted:
    found = headline.from_text(text, list(hints))
    return Extracted(title=found.title, paragraphs=found.paragraphs,
                     method=f"{method}: article paragraphs, page chrome left out" + _note(found))


def _note(found) -> str:
    return "" if found.found else f"; {headline.NOT_FOUND_NOTE}"


def _html(html: str, url: str) -> Extracted:
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url or None, with_metadata=True, include_comments=False, include_tables=True,
        favor_precision=True, output_format="python",
    )
    if document is not None and not isinstance(document, dict):
        document = document.as_dict()
    body = (document or {}).get("text") or ""
    hints = headline.html_hints(html) + [document.get("title") or ""] if document else headline.html_hints(html)
    if not body.strip():
        fallback = _plain(reading.html_to_text(html, main_only=False), "html", hints)
        fallback.method = "html: no main text found by trafilatura; paragraphs of the whole page" + (
            f"; {headline.NOT_FOUND_NOTE}" if headline.NOT_FOUND_NOTE in fallback.method else "")
        return fallback
    found = headline.find(body.split("\n"), hints)
    return Extracted(
        title=found.title, author=(document.get("author") or "").strip(), date=(document.get("date") or "").strip(),
        paragraphs=found.paragraphs, method="html: main text by trafilatura" + _note(found),
    )


def _pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta = reader.metadata or {}
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(f"the PDF cannot be read ({exc}); the original is stored, but no text was extracted") from None
    paragraphs = []
    for page_text in pages:
        # Lines of a PDF are wrapped at the page's width: a paragraph ends at a blank line or
        # at a line that ends a sentence and is visibly shorter than the others.
        current = []
        for line in page_text.splitlines():
            line = " ".join(line.split())
            if not line:
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                continue
            if headline.is_chrome(line) or (not current and len(line.split()) <= 12
                                             and not re.search(r"[.,;:!?؟]\s*$", line)):
                if current:
                    paragraphs.append(" ".join(current))
                    current = []
                paragraphs.append(line)  # a running header, a page number, a heading
                continue
            current.append(line)
            if re.search(r"[.!?:؟]\s*$", line) and len(line) < 60:
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
    meta_title = str(meta.get("/Title") or "").strip()
    if re.search(r"^(?:microsoft\s+word|untitled|document\d*$)|\.(?:docx?|pdf|odt)$", meta_title, re.I):
        meta_title = ""  # a word processor's file name, not a title
    found = headline.find(paragraphs, [meta_title])
    title, paragraphs = found.title, found.paragraphs
    date = str(meta.get("/CreationDate") or "")
    if date.startswith("D:") and len(date) >= 10:
        date = f"{date[2:6]}-{date[6:8]}-{date[8:10]}"
    return Extracted(title=title, author=str(meta.get("/Author") or "").strip(), date=date,
                     paragraphs=paragraphs, method="pdf: text by pypdf" + _note(found))
