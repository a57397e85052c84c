"""Near-duplicate search over stored articles with MinHash and LSH (datasketch)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

PERMUTATIONS = 64
SHINGLE_WORDS = 5
# Jaccard similarity of word 5-shingles above which two articles are the same story re-edited.
THRESHOLD = 0.7
# Stored signatures must be read back with the scheme that made them.
SCHEME = "affine32"

_WORD = re.compile(r"\w+")


def signature(text: str) -> list[int]:
    words = _WORD.findall(text.lower())
    minhash = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))}
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return [int(value) for value in minhash.hashvalues]


class NearDuplicateIndex:
    """The articles seen so far, queried for one whose text is nearly the same."""

    def __init__(self, stored: Iterable[tuple[str, list[int]]] = ()):
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
        self._signatures: dict[str, MinHash] = {}
        for article, values in stored:
            self.add(article, values)

    @staticmethod
    def _minhash(values: list[int]) -> MinHash:
        return MinHash(num_perm=PERMUTATIONS, hashvalues=values, scheme=SCHEME)

    def add(self, article: str, values: list[int]) -> None:
        if article in self._signatures:
            return
        minhash = self._minhash(values)
        self._signatures[article] = minhash
        self._lsh.insert(article, minhash)

    def nearest(self, values: list[int], exclude: str = "") -> str | None:
        """The stored article most similar to this signature, if any passes the threshold."""
        minhash = self._minhash(values)
        candidates = [key for key in self._lsh.query(minhash) if key != exclude]
        if not candidates:
            return None
        return max(sorted(candidates), key=lambda key: minhash.jaccard(self._signatures[key]))
