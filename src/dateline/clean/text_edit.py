"""An editable text that remembers where every character came from in the raw text.

Cleaning deletes boilerplate, strips the headline and dateline, repairs damage and normalises
Unicode. Each edit is applied in the coordinates of the *current* text; the pieces keep their raw
spans, so at the end we can give the record its ``offset_map`` and each repair its final offsets.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

from dateline.record import Repair


@dataclass
class Piece:
    """A run of the current text.

    A copied piece is ``raw[raw_start:raw_end]`` unchanged. A replaced piece holds new text for
    that raw span (possibly empty raw span for an insertion); ``repair`` names the damage kind
    when the replacement was a repair rather than a normalisation.
    """

    text: str
    raw_start: int
    raw_end: int
    copied: bool
    repair: str | None = None


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` of the current text by ``text``; ``repair`` names a damage kind."""

    start: int
    end: int
    text: str
    repair: str | None = None


class EditableText:
    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._pieces: list[Piece] = [Piece(raw, 0, len(raw), True)] if raw else []
        self._text: str | None = raw

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(piece.text for piece in self._pieces)
        return self._text

    def __len__(self) -> int:
        return len(self.text)

    def replace(self, start: int, end: int, text: str, repair: str | None = None) -> None:
        self.apply([Edit(start, end, text, repair)])

    def delete(self, start: int, end: int) -> None:
        self.apply([Edit(start, end, "")])

    def apply(self, edits: Iterable[Edit]) -> None:
        """Apply non-overlapping edits, all given in the coordinates of the current text."""
        ordered = sorted((edit for edit in edits if edit.start < edit.end or edit.text), key=_edit_key)
        if not ordered:
            return
        length = len(self.text)
        previous_end = 0
        for edit in ordered:
            if not 0 <= edit.start <= edit.end <= length:
                raise ValueError(f"edit {edit} outside text of length {length}")
            if edit.start < previous_end:
                raise ValueError(f"edit {edit} overlaps an earlier edit")
            previous_end = edit.end
        self._pieces = _apply_sorted(self.text, self._pieces, ordered)
        self._text = None

    def raw_offset(self, offset: int) -> int:
        """Raw position of a current-text position (the start of its raw span inside a replacement)."""
        position = 0
        for piece in self._pieces:
            size = len(piece.text)
            if offset < position + size:
                inside = offset - position
                if piece.copied:
                    return piece.raw_start + inside
                return piece.raw_start + min(inside, max(piece.raw_end - piece.raw_start - 1, 0))
            position += size
        return self._pieces[-1].raw_end if self._pieces else 0

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span covered by ``[start, end)`` of the current text."""
        if start >= end:
            point = self.raw_offset(start)
            return point, point
        raw_start = self.raw_offset(start)
        position = 0
        raw_end = raw_start
        for piece in self._pieces:
            size = len(piece.text)
            if position < end and start < position + size:
                if piece.copied:
                    raw_end = piece.raw_start + (min(end, position + size) - position)
                else:
                    raw_end = piece.raw_end
            position += size
            if position >= end:
                break
        return raw_start, max(raw_end, raw_start)

    def offset_map(self) -> list[tuple[int, int]]:
        """Anchors (text offset, raw offset) as :meth:`dateline.record.Record.raw_offset` reads them.

        Between anchors the texts run in step; inside a replacement longer than its raw span the
        extra characters are pinned to the last raw character, so every text position maps inside
        the raw span it came from.
        """
        anchors: list[tuple[int, int]] = []
        position = 0
        for piece in self._pieces:
            size = len(piece.text)
            if size == 0:
                continue
            raw_size = piece.raw_end - piece.raw_start
            steps = size if piece.copied else min(size, max(raw_size, 1))
            _add_anchor(anchors, position, piece.raw_start)
            for extra in range(steps, size):
                _add_anchor(anchors, position + extra, piece.raw_start + steps - 1)
            position += size
        last_raw_end = self._pieces[-1].raw_end if self._pieces else 0
        _add_anchor(anchors, position, last_raw_end)
        return anchors or [(0, 0)]

    def repairs(self) -> list[Repair]:
        found: list[Repair] = []
        position = 0
        for piece in self._pieces:
            if piece.repair is not None:
                before = self.raw[piece.raw_start : piece.raw_end]
                found.append(Repair(piece.repair, position, position + len(piece.text), before, piece.text))
            position += len(piece.text)
        return found

    def changed_spans(self) -> list[tuple[int, int]]:
        """Spans of the current text that are not plain copies of raw (repairs and normalisations)."""
        spans: list[tuple[int, int]] = []
        position = 0
        for piece in self._pieces:
            if not piece.copied and piece.text:
                spans.append((position, position + len(piece.text)))
            position += len(piece.text)
        return spans


def _edit_key(edit: Edit) -> tuple[int, int]:
    return edit.start, edit.end


def _add_anchor(anchors: list[tuple[int, int]], text_offset: int, raw_offset: int) -> None:
    if anchors:
        last_text, last_raw = anchors[-1]
        if last_raw + (text_offset - last_text) == raw_offset:
            return
        if last_text == text_offset:
            anchors[-1] = (text_offset, raw_offset)
            return
    anchors.append((text_offset, raw_offset))


def _apply_sorted(text: str, pieces: list[Piece], edits: list[Edit]) -> list[Piece]:
    """One pass over pieces and edits (both in text order), splitting copied pieces at edit bounds."""
    pending = pieces[::-1]  # a stack: pending[-1] is the next piece, starting at `position`
    position = 0
    result: list[Piece] = []
    for edit in _aligned(text, pieces, edits):
        while pending and position + len(pending[-1].text) <= edit.start:
            piece = pending.pop()
            result.append(piece)
            position += len(piece.text)
        covered: list[Piece] = []
        while pending and position < edit.end:
            piece = pending.pop()
            size = len(piece.text)
            head = max(edit.start - position, 0)
            tail = max(position + size - edit.end, 0)
            if head:
                result.append(_copied_part(piece, 0, head))
            covered.append(_copied_part(piece, head, size - tail) if piece.copied else piece)
            if tail:
                pending.append(_copied_part(piece, size - tail, size))
            position += size - tail
        if covered:
            raw_start, raw_end = covered[0].raw_start, max(part.raw_end for part in covered)
        else:
            raw_start = raw_end = pending[-1].raw_start if pending else (result[-1].raw_end if result else 0)
        inherited = next((part.repair for part in covered if part.repair is not None), None)
        if edit.text or edit.repair is not None:
            # A deletion that is itself a repair (a stray control byte) stays as an empty piece,
            # so the record still says what was taken out and where.
            result.append(Piece(edit.text, raw_start, raw_end, False, edit.repair or inherited))
    result.extend(reversed(pending))
    return [piece for piece in result if piece.text or (piece.repair is not None and not piece.copied)]


def _aligned(text: str, pieces: list[Piece], edits: list[Edit]) -> list[Edit]:
    """The edits widened so none cuts into a replaced piece, merged where they then meet.

    A replaced piece has no character-level map to raw, so it is only ever replaced whole; the
    untouched parts of it are carried into the widened edit's text.
    """
    replaced: list[tuple[int, int]] = []
    position = 0
    for piece in pieces:
        if not piece.copied:
            replaced.append((position, position + len(piece.text)))
        position += len(piece.text)
    if not replaced:
        return edits
    starts = [span[0] for span in replaced]
    groups: list[tuple[int, int, list[Edit]]] = []
    for edit in edits:
        start, end = edit.start, edit.end
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        while index < len(replaced) and replaced[index][0] < max(end, start + 1):
            piece_start, piece_end = replaced[index]
            if piece_start < start < piece_end or piece_start < end < piece_end:
                start, end = min(start, piece_start), max(end, piece_end)
            index += 1
        if groups and start < groups[-1][1]:
            group_start, group_end, members = groups[-1]
            groups[-1] = (group_start, max(group_end, end), [*members, edit])
        else:
            groups.append((start, end, [edit]))
    aligned: list[Edit] = []
    for start, end, members in groups:
        parts = [text[start : members[0].start]]
        for member, following in zip(members, [*members[1:], None], strict=True):
            parts.append(member.text)
            parts.append(text[member.end : following.start if following else end])
        repair = next((member.repair for member in members if member.repair is not None), None)
        aligned.append(Edit(start, end, "".join(parts), repair))
    return aligned


def _copied_part(piece: Piece, start: int, end: int) -> Piece:
    return Piece(piece.text[start:end], piece.raw_start + start, piece.raw_start + end, True)
