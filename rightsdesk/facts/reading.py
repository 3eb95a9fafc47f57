"""Turn what an editor hands the lint (text, Markdown or HTML) into plain text, and find where the
article is in a page that still carries its site's chrome.

Offsets reported by the lint are offsets into the text returned by ``to_text``. The main-text
rule is general: an article is a run of prose paragraphs; a page's navigation, "latest news",
"must read" and "related" blocks are runs of short lines (titles, section names) and teasers
cut off with an ellipsis. Whatever precedes the first prose paragraph (except a headline
directly above it) and whatever follows the last one is left out.
"""
from __future__ import annotations

import re
from html import unescape
from pathlib import Path

SUPPORTED = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
             ".html": "html", ".htm": "html", ".xhtml": "html"}
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3",
    "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "table", "tr", "figure",
    "figcaption", "dd", "dt", "dl", "br", "hr", "address", "details", "summary", "body", "title",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?(\+\+\+|---)[ \t]*\n.*?\n\1[ \t]*(?:\n|\Z)", re.S)


class InputError(Exception):
    """Input the lint cannot read; the message says what to do."""


def read(path: str, stdin=None) -> tuple[str, str]:
    """(text, format) of a path, or of standard input for '-'."""
    if path == "-":
        import sys

        data = (stdin or sys.stdin.buffer).read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return to_text(_decode(data, "standard input"), sniff(data)), sniff(data)
    file = Path(path)
    if not file.exists():
        raise InputError(f"{path}: no such file")
    if file.is_dir():
        raise InputError(f"{path}: is a folder; give the text, Markdown or HTML files in it")
    fmt = SUPPORTED.get(file.suffix.lower())
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if fmt is None:
        if file.suffix and file.suffix.lower() not in {".text", ""}:
            raise InputError(
                f"{path}: unsupported format {file.suffix!r}; give a .txt, .md or .html file "
                "(save a PDF or Word document as text first)"
            )
        fmt = sniff(data)
    return to_text(_decode(data, path), fmt), fmt


def _decode(data: bytes, name: str) -> str:
    if b"\x00" in data[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text; give a .txt, .md or .html file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: is not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None


def sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or re.search(
        rb"<(p|div|body|article|h1|h2)[\s>]", head
    ):
        return "html"
    return "text"


def to_text(content: str, fmt: str) -> str:
    if fmt == "markdown":
        return markdown_to_text(content)
    if fmt == "html":
        return html_to_text(content)
    return content.replace("\r\n", "\n").replace("\r", "\n")


def markdown_to_text(content: str) -> str:
    from markdown_it import MarkdownIt

    content = _FRONT_MATTER.sub("", content.replace("\r\n", "\n"), count=1)
    return html_to_text(MarkdownIt("commonmark").render(content), main_only=False)


def html_to_text(content: str, main_only: bool = True) -> str:
    """Readable text of an HTML document: paragraphs separated by blank lines. For whole pages,
    trafilatura picks the main content; fragments (or pages it finds nothing in) are read whole."""
    if main_only and re.search(r"<(html|body)[\s>]", content[:4096], re.I):
        import trafilatura

        extracted = trafilatura.extract(
            content, output_format="txt", include_comments=False, include_tables=True,
            favor_precision=True, with_metadata=False,
        )
        if extracted and extracted.strip():
            title = _html_title(content)
            text = "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())
            if title and not text.startswith(title):
                text = f"{title}\n\n{text}"
            return text
    return _html_blocks(content)


def _html_title(content: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", content, re.I | re.S) or re.search(
        r"<title[^>]*>(.*?)</title>", content, re.I | re.S
    )
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", m.group(1))).split()) if m else ""


def _html_blocks(content: str) -> str:
    from html.parser import HTMLParser

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.blocks, self.current, self.skip = [], [], 0

        def flush(self):
            text = " ".join("".join(self.current).split())
            if text:
                self.blocks.append(text)
            self.current = []

        def handle_starttag(self, tag, attrs):
            if tag in _SKIP_TAGS:
                self.skip += 1
            elif tag in _BLOCK_TAGS:
                self.flush()

        def handle_startendtag(self, tag, attrs):
            if tag in _BLOCK_TAGS:
                self.flush()

        def handle_endtag(self, tag):
            if tag in _SKIP_TAGS:
                self.skip = max(0, self.skip - 1)
            elif tag in _BLOCK_TAGS:
                self.flush()

        def handle_data(self, data):
            if not self.skip:
                self.current.append(data)

    parser = Collector()
    parser.feed(content)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.blocks)


# --- Where the article is -----------------------------------------------------------------

_TRUNCATED = re.compile(r"(\.\.\.|…|\.\.\.\.)\s*[\"'”’»)]*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–]\s+|[0-9]{1,2}[.)]\s+)?[^:\n]{1,50}:\s*\S+.{0,80}$|^\s*[-*•·–]\s+\S")
_FULL_STOP = re.compile(r"[.!?؟][\"'”’»)]*\s*$")
_SENTENCE_END = re.compile(r"[.!?؟؛:)\]\"'”’»]\s*$")


def blocks(text: str) -> list[tuple[int, int]]:
    """Spans of the non-empty lines of a text."""
    out, position = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped[0])
            out.append((start, start + len(stripped)))
        position += len(line) + 1
    return out


def _is_prose(block: str) -> bool:
    words = len(block.split())
    if _TRUNCATED.search(block):
        return False
    return words >= 12 and bool(_SENTENCE_END.search(block)) or words >= 30


def main_span(text: str) -> tuple[int, int]:
    """(start, end) of the article in ``text``: from the headline above the first prose paragraph
    to the end of the last prose paragraph; the whole text when it has no clear prose."""
    spans = blocks(text)
    prose = [i for i, (s, e) in enumerate(spans) if _is_prose(text[s:e])]
    if not prose:
        return 0, len(text)
    first, last = prose[0], prose[-1]
    # The article goes on over the lines right after its last paragraph that belong to it: list
    # items ("- Tehran: 120 arrests", "Murder: 150 cases") and short complete sentences; the
    # site's teasers that follow are titles (no full stop) or cut off with an ellipsis.
    while last + 1 < len(spans):
        line = text[spans[last + 1][0]:spans[last + 1][1]]
        if _TRUNCATED.search(line):
            break
        if not (_LIST_ITEM.match(line) or (len(line.split()) >= 3 and _FULL_STOP.search(line))):
            break
        last += 1
    # Keep up to two short, untruncated lines right above the first paragraph (headline, dek).
    for _ in range(2):
        if first == 0:
            break
        s, e = spans[first - 1]
        line = text[s:e]
        if _TRUNCATED.search(line) or len(line.split()) > 40:
            break
        first -= 1
    return spans[first][0], spans[last][1]
