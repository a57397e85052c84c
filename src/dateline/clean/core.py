"""clean: from the raw text of one article to a :class:`~dateline.record.Record`.

The order matters. Stray control bytes go first (a repair). Then furniture, so it neither
passes for a headline nor lends its commas to the damage statistics; then the headline, a
byline and the dateline; then the damage repairs, which must see the text before ftfy; then
ftfy and NFC; last, whitespace.
Every step is an edit of one :class:`EditableText`, so ``text`` always maps back to ``raw``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import ftfy

from dateline.clean.boilerplate import BoilerplateMemory, find_furniture, publisher_in, text_lines
from dateline.clean.dateline import FoundDateline, parse_dateline, title_case
from dateline.clean.headline import find_headline, is_title_case
from dateline.clean.language import identify_language
from dateline.clean.repair import FTFY_CONFIG, control_edits, damage_edits, mojibake_edits, nfc_edits
from dateline.clean.text_edit import Edit, EditableText
from dateline.record import Dateline, RawDoc, Record, Removed, article_id

BYLINE = "byline"

_NAME_PART = r"[A-Z][\w.'’-]*"
_BYLINE = re.compile(
    r"^(?:By|BY|Byline:|BYLINE:)\s+"
    rf"(?P<name>{_NAME_PART}(?:\s+(?:{_NAME_PART}|de|da|van|von|der|al|bin|and)){{0,6}})"
    r"\s*(?:[,|/–—-]\s*.{0,60})?$"
)
_MAX_BYLINE_WORDS = 12
_MAX_HEADLINE_WORDS = 25
_MIN_LEDE_WORDS = 5
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LINE_BREAKS = re.compile(r"\r\n?|\ufeff")
_EDGE_SPACE = re.compile(r"[ \t]+$|^[ \t]+", re.MULTILINE)
_INNER_SPACE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean(
    raw: RawDoc,
    *,
    published: str | None = None,
    publisher: str | None = None,
    boilerplate: BoilerplateMemory | None = None,
) -> Record:
    """Clean one article.

    ``published`` and ``publisher`` given by the caller win over what came with the article;
    ``boilerplate`` remembers the lines that open and close articles of one source, so furniture
    repeated across a site is recognised.
    """
    identifier = article_id(raw.text)
    text = EditableText(raw.text)
    text.apply(_line_break_edits(text.text))
    # Before anything reads lines: a NUL inside a headline would hide it.
    text.apply(control_edits(text.text))

    source = publisher or raw.publisher or _host(raw.url)
    furniture = find_furniture(text.text, source=source, memory=boilerplate, article=identifier)
    removed = [_removed(text, item.start, item.end, item.reason) for item in furniture]
    text.apply(Edit(item.start, item.end, "") for item in furniture)

    title = _strip_title(text, raw.title)
    author = raw.author
    byline = _strip_byline(text)
    if byline is not None:
        removed.append(byline[1])
        author = author or byline[0]

    given_published = str(published) if published else raw.published
    dateline = _strip_dateline(text, given_published)

    text.apply(damage_edits(text.text))
    # NFC first too: ftfy cannot see "Ã©" whose "Ã" came decomposed.
    text.apply(nfc_edits(text.text))
    text.apply(mojibake_edits(text.text))
    text.apply(nfc_edits(text.text))
    text.apply(_whitespace_edits(text.text))

    body = text.text
    language = identify_language(f"{title}\n\n{body}" if title else body, raw.language)
    return Record(
        id=identifier,
        raw=raw.text,
        text=body,
        offset_map=text.offset_map(),
        source=raw.name,
        url=raw.url,
        publisher=publisher or raw.publisher or publisher_in(item.text for item in furniture),
        author=author,
        title=title,
        published=given_published or _full_date(dateline),
        language=language.language,
        language_confidence=language.confidence,
        language_reason=language.reason,
        dateline=dateline,
        repairs=text.repairs(),
        removed=sorted(removed, key=lambda item: item.raw_start),
    )


def _removed(text: EditableText, start: int, end: int, reason: str) -> Removed:
    raw_start, raw_end = text.raw_span(start, end)
    return Removed(raw_start, raw_end, text.raw[raw_start:raw_end], reason)


def _line_break_edits(text: str) -> list[Edit]:
    """CR LF loses its CR, a lone CR becomes LF, a byte-order mark goes."""
    return [
        Edit(match.start(), match.start() + 1, "\n" if match.group() == "\r" else "")
        for match in _LINE_BREAKS.finditer(text)
    ]


def _strip_title(text: EditableText, known_title: str | None) -> str | None:
    """Take the headline line out of the text; the title is the page's, else that line."""
    headline = find_headline(text.text, known_title)
    if headline is not None and not _opens_with_dateline(headline.text):
        text.delete(headline.start, headline.end)
        return _tidy_title(known_title or headline.text)
    if headline is None and known_title is None:
        # A sentence-like first line is still the headline when the story's dateline follows it.
        lines = text_lines(text.text)
        if len(lines) >= 2 and _heads_a_dateline(lines[0].text, lines[1].text):
            text.delete(lines[0].start, lines[0].end)
            return _tidy_title(lines[0].text)
    return _tidy_title(known_title) if known_title else None


def _heads_a_dateline(line: str, following: str) -> bool:
    short = len(line.split()) <= _MAX_HEADLINE_WORDS
    return short and not _BYLINE.match(line) and _lede_dateline(following) is not None


def _opens_with_dateline(line: str) -> bool:
    """A dateline then a sentence; "BOOM: Trump Just Fired A Missile" is a headline."""
    found = _lede_dateline(line)
    return found is not None and not is_title_case(line[found.end :])


def _lede_dateline(line: str, published: str | None = None) -> FoundDateline | None:
    """The dateline opening ``line`` when the story's first sentence follows it; a slug or a
    label ("AP-US--Trump-Impeachment, 4th Ld-Writethru") is not one."""
    found = parse_dateline(line, published)
    if found is None:
        return None
    rest = line[found.end :]
    lede = len(rest.split()) >= _MIN_LEDE_WORDS or rest.rstrip()[-1:] in (".", "!", "?", '"', "”")
    return found if lede else None


def _tidy_title(title: str) -> str:
    fixed = ftfy.fix_text(title, FTFY_CONFIG)
    return unicodedata.normalize("NFC", " ".join(fixed.split()))


def _strip_byline(text: EditableText) -> tuple[str, Removed] | None:
    lines = text_lines(text.text)
    if not lines:
        return None
    first = lines[0]
    match = _BYLINE.match(first.text)
    if match is None or len(first.text.split()) > _MAX_BYLINE_WORDS or len(lines) < 2:
        return None
    name = match.group("name").strip().rstrip(".")
    if name.isupper():
        name = title_case(name)
    removed = _removed(text, first.start, first.end, BYLINE)
    text.delete(first.start, first.end)
    return name, removed


def _strip_dateline(text: EditableText, published: str | None) -> Dateline | None:
    lines = text_lines(text.text)
    if not lines:
        return None
    first = lines[0]
    found = _lede_dateline(first.text, published)
    if found is None:
        return None
    text.delete(first.start, first.start + found.end)
    return found.dateline


def _whitespace_edits(text: str) -> list[Edit]:
    """Trim lines and the text, collapse runs of spaces and of blank lines."""
    edits: list[Edit] = []
    leading = len(text) - len(text.lstrip())
    trailing = len(text.rstrip())
    if leading:
        edits.append(Edit(0, leading, ""))
    for pattern, keep in ((_EDGE_SPACE, 0), (_INNER_SPACE, 1), (_BLANK_LINES, 2)):
        for match in pattern.finditer(text):
            start, end = match.start() + keep, match.end()
            if start >= leading and end <= trailing and start < end:
                edits.append(Edit(start, end, ""))
    if trailing < len(text):
        edits.append(Edit(trailing, len(text), ""))
    return _disjoint(edits)


def _disjoint(edits: list[Edit]) -> list[Edit]:
    """Deletions may overlap (a space run at a line's end); merge them."""
    merged: list[Edit] = []
    for edit in sorted(edits, key=lambda item: (item.start, item.end)):
        if merged and edit.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Edit(last.start, max(last.end, edit.end), "")
        else:
            merged.append(edit)
    return merged


def _host(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _full_date(dateline: Dateline | None) -> str | None:
    if dateline is not None and dateline.date and _ISO_DAY.match(dateline.date):
        return dateline.date
    return None
