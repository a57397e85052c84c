"""Site furniture in plain text: comment policies, share and subscribe blocks, related links,
copyright lines.

Furniture sits before or after the story, so we walk in from both ends and stop at the first
line that reads like the story. A line is furniture by its content (the patterns below) or
because the same line ends or starts several other articles of the same source
(:class:`BoilerplateMemory`). A few one-line kinds (an "Advertisement" slug, a "Read more:"
link) also turn up between paragraphs and are taken out wherever they are.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

COMMENT_POLICY = "comment policy"
COPYRIGHT = "copyright"
SHARE = "share or subscribe"
RELATED = "related links"
NAVIGATION = "navigation"
WIRE_SLUG = "wire slug"
REPEATED = "repeated across articles"
HEADING = "furniture heading"


def _patterns(reason: str, *expressions: str) -> list[tuple[str, re.Pattern[str]]]:
    return [(reason, re.compile(expression, re.IGNORECASE)) for expression in expressions]


_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|reddit|e-?mail|print|pinterest|telegram|flipboard|copy link)"
)

_EDGE_PATTERNS = [
    *_patterns(
        COMMENT_POLICY,
        r"\bdiscussion policy\b",
        r"\bcomments? (?:are|is) (?:welcome|moderated|closed|encouraged|reviewed)",
        r"\breserves? the right to (?:block|remove|delete|edit|ban|refuse|close)",
        r"\b(?:posting|comment(?:ing)?|community) (?:standards|polic(?:y|ies)|guidelines|rules)\b",
        r"^(?:leave|post|add|write|join) (?:a |the )?(?:comment|reply|discussion|conversation)\b",
        r"\bresponsible for the content (?:you|they) post\b",
        r"\bmust be logged in to (?:post|comment|reply)\b",
        r"^\d+\s+comments?$",
    ),
    *_patterns(
        COPYRIGHT,
        r"^(?:copyright\b|©|\(c\)\s*\d{4})",
        r"\ball rights reserved\b",
        r"\bmay not be (?:re)?(?:published|broadcast|rewritten|redistributed|reproduced)\b",
    ),
    *_patterns(
        SHARE,
        rf"^(?:share|tweet|e-?mail|print|pin|save)(?: (?:this|the))?(?: (?:article|story|post|page))?"
        rf"(?: (?:on|via|to) {_SOCIAL})?\s*:?(?:\s*{_SOCIAL}(?:\s*[|·•,/]?\s*{_SOCIAL})*)?\s*$",
        rf"^{_SOCIAL}(?:\s*[|·•,/]?\s*{_SOCIAL})+\s*$",
        r"\b(?:subscribe|sign up|register) (?:to|for|with)\b.{0,40}"
        r"\b(?:newsletters?|channel|updates|alerts|podcast|feed|digest|briefing)\b",
        r"^(?:follow|like|find) us (?:on|at)\b",
        r"^(?:click|tap) here\b",
        r"^get the latest\b.{0,60}\b(?:delivered|in your inbox|sent)\b",
    ),
    *_patterns(
        RELATED,
        r"^(?:related|more|recommended|popular|trending|latest|most read|read next|you may also like)"
        r"(?: (?:articles?|stories|news|posts|links|coverage|content|reading|videos?"
        r"|on (?:this|\w+)))?\s*:?$",
        r"^(?:read more|see also|related|also read|read also|more on this|recommended)\s*:",
        r"^read (?:more|the rest|the full (?:story|article|report))(?: (?:here|at|on)\b.*)?[.!:]?$",
    ),
    *_patterns(
        NAVIGATION,
        # A rule between the story and its trailer: "---", "* * *", "___".
        r"^[-_*=~•·\s]{3,}$",
        r"^advertisement$",
        r"^story continues (?:below|after)\b.{0,30}$",
        r"^skip to (?:main )?content$",
        r"^(?:tags?|filed under|categories|category|topics)\s*:",
        r"^(?:home|menu|search|log ?in|sign in|back to top)(?:\s*[|»>›/]\s*[\w ]+)*$",
    ),
    # Agency routing lines: "AP-US--Trump-Impeachment, 4th Ld-Writethru".
    *_patterns(WIRE_SLUG, r"^(?:ap|bc|ny|dc)-[a-z]{2,}-{1,2}\S", r"\b\d*(?:st|nd|rd|th)? ?ld-writethru\b"),
]

# One-line furniture that may sit between paragraphs, not only at the ends.
_INLINE_PATTERNS = [
    *_patterns(NAVIGATION, r"^advertisement$", r"^story continues (?:below|after)\b.{0,30}$"),
    *_patterns(
        RELATED,
        r"^(?:read more|see also|related|also read|read also|more on this|recommended)\s*:",
        r"^(?:click|tap) here to (?:read|watch|subscribe|sign up|see)\b",
    ),
]

_MAX_INLINE_WORDS = 25
_MAX_HEADING_WORDS = 6


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Furniture:
    """A line found to be furniture: its span in the text handed to :func:`find_furniture`."""

    start: int
    end: int
    text: str
    reason: str


@dataclass
class BoilerplateMemory:
    """Counts the lines that open and close articles, per source.

    A line seen at an edge of at least ``threshold`` *other* articles of the same source is
    that site's furniture. Only the first and last ``edge_lines`` lines of each article are
    remembered, which is where furniture sits and keeps the memory small; lines are kept as
    short digests of their normalised form.
    """

    threshold: int = 3
    edge_lines: int = 8
    _counts: dict[str, Counter[bytes]] = field(default_factory=dict, init=False, repr=False)
    _articles: dict[str, dict[str, frozenset[bytes]]] = field(default_factory=dict, init=False, repr=False)

    def remember(self, source: str, article: str, lines: Iterable[str]) -> None:
        keys = frozenset(key for key in (_line_key(line) for line in lines) if key is not None)
        counts = self._counts.setdefault(source, Counter())
        seen = self._articles.setdefault(source, {})
        previous = seen.get(article)
        if previous is not None:
            counts.subtract(previous)
        seen[article] = keys
        counts.update(keys)

    def articles_with(self, source: str, line: str, article: str | None = None) -> int:
        """How many articles of ``source`` (other than ``article``) have this line at an edge."""
        key = _line_key(line)
        if key is None:
            return 0
        count = self._counts.get(source, Counter())[key]
        own = self._articles.get(source, {}).get(article or "")
        return count - 1 if own is not None and key in own else count

    def is_repeated(self, source: str, line: str, article: str | None = None) -> bool:
        return self.articles_with(source, line, article) >= self.threshold

    def articles(self, source: str) -> int:
        return len(self._articles.get(source, {}))


def _line_key(line: str) -> bytes | None:
    normalised = unicodedata.normalize("NFKC", line).casefold()
    normalised = re.sub(r"\d", "0", normalised)
    normalised = re.sub(r"[\W_]+", " ", normalised).strip()
    if not normalised:
        return None
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=8).digest()


def text_lines(text: str) -> list[Line]:
    """The non-blank lines of a text, stripped, with their spans."""
    lines: list[Line] = []
    position = 0
    for chunk in text.splitlines(keepends=True):
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            lines.append(Line(position + lead, position + lead + len(stripped), stripped))
        position += len(chunk)
    return lines


def furniture_reason(line: str) -> str | None:
    for reason, pattern in _EDGE_PATTERNS:
        if pattern.search(line):
            return reason
    return None


def inline_furniture_reason(line: str) -> str | None:
    if len(line.split()) > _MAX_INLINE_WORDS:
        return None
    for reason, pattern in _INLINE_PATTERNS:
        if pattern.search(line):
            return reason
    return None


def _is_heading(line: str) -> bool:
    """A short line of words with no closing punctuation, such as "Discussion Policy" or "Comments"."""
    short = len(line.split()) <= _MAX_HEADING_WORDS
    return short and line[0].isalpha() and (line[-1].isalnum() or line[-1] == ":")


def find_furniture(
    text: str,
    *,
    source: str | None = None,
    memory: BoilerplateMemory | None = None,
    article: str | None = None,
) -> list[Furniture]:
    """Lines of ``text`` that are site furniture, in text order.

    With a memory and a source, lines repeated at the edges of other articles of that source
    count too; this article's edge lines are then remembered for the next ones.
    """
    lines = text_lines(text)
    reasons: list[str | None] = [None] * len(lines)

    def edge_reason(line: Line) -> str | None:
        found = furniture_reason(line.text)
        if found is not None or memory is None or source is None:
            return found
        return REPEATED if memory.is_repeated(source, line.text, article) else None

    last = len(lines) - 1
    while last >= 0:
        reason = edge_reason(lines[last])
        if reason is None and last < len(lines) - 1 and reasons[last + 1] and _is_heading(lines[last].text):
            reason = HEADING
        if reason is None:
            break
        reasons[last] = reason
        last -= 1
    first = 0
    while first < last:
        reason = edge_reason(lines[first])
        if reason is None:
            break
        reasons[first] = reason
        first += 1
    for index in range(first, last + 1):
        reasons[index] = inline_furniture_reason(lines[index].text)

    if memory is not None and source is not None and article is not None:
        edges = lines[: memory.edge_lines] + lines[-memory.edge_lines :]
        memory.remember(source, article, (line.text for line in edges))

    if lines and all(reasons):
        # Nothing reads like a story: better to keep the text than to hand on an empty article.
        return []
    return [
        Furniture(line.start, line.end, line.text, reason)
        for line, reason in zip(lines, reasons, strict=True)
        if reason is not None
    ]


_NAME_WORD = r"[A-Z][\w&'’-]*"
_NAME = rf"(?P<name>(?:The\s+)?{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|of|and|&|for)){{0,4}})"
_PUBLISHER_PATTERNS = [
    re.compile(rf"(?i:©|\(c\)|copyright)\s*(?:\d{{4}}(?:\s*[-–]\s*\d{{4}})?)?\s*,?\s*(?:(?i:by)\s+)?{_NAME}"),
    re.compile(rf"{_NAME}\s+reserves? the right\b"),
    re.compile(rf"{_NAME}\s+(?i:welcomes|encourages|invites) (?i:comments|readers|discussion)\b"),
    re.compile(rf"\b(?i:subscribe|sign up) to (?:the\s+)?{_NAME}"),
    re.compile(rf"\b(?i:follow) {_NAME} on\b"),
    re.compile(rf"{_NAME}[.,]?\s+(?i:all rights reserved)"),
]
_NOT_NAMES = {
    "all", "we", "you", "our", "your", "this", "the", "they", "it", "comments", "users", "rights",
    "newsletter", "us", "site", "website", "editor", "editors", "staff", "copyright",
}  # fmt: skip
_NAME_TAIL = {"all", "inc", "llc", "ltd", "co", "corp", "the", "of", "and", "for", "&"}


def publisher_in(texts: Iterable[str]) -> str | None:
    """A publisher named in removed furniture ("© 2004 Asbarez", "Asbarez reserves the right")."""
    for text in texts:
        for pattern in _PUBLISHER_PATTERNS:
            for match in pattern.finditer(text):
                name = _clean_name(match.group("name"))
                if name:
                    return name
    return None


def _clean_name(name: str) -> str | None:
    words = name.split()
    while words and words[-1].strip(".,").lower() in _NAME_TAIL:
        words.pop()
    if not words or (len(words) == 1 and words[0].lower() in _NOT_NAMES):
        return None
    if not words[0][0].isupper():
        return None
    return " ".join(words).strip(".,;:")
