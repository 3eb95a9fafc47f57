"""Near-duplicate stories: MinHash signatures of an item's words, and an LSH index of the
recent ones (datasketch).

Two agencies' rewrites of one story share most of their significant words (names, places,
numbers) but few word sequences (measured on the test fixtures: word pairs halve the resemblance
of two rewrites), so the set hashed is the words of the folded title and summary, without the
commonest function words.
"""

import re

import numpy as np
from datasketch import MinHash, MinHashLSH

from rightsdesk.facts.names import fold

NUM_PERM = 128
SCHEME = "affine32"  # 32-bit hash values: a signature is 512 bytes
_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "a an the and or but of in on at to for from by with as is are was were be been has have had "
    "it its this that these those he she they his her their after before over under into than "
    "says said say will would could also not no who which what when where while about".split()
)


def features(text):
    """The words of `text`, folded (case, accents, Persian letter variants), function words dropped."""
    return {w for w in _WORD.findall(fold(text)) if w not in _STOP}


def signature(text):
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    minhash.update_batch([f.encode("utf-8") for f in features(text)])
    return minhash


def to_bytes(minhash):
    return minhash.hashvalues.astype("<u4").tobytes()


def from_bytes(data):
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(bytes(data), dtype="<u4"), scheme=SCHEME)


class StoryIndex:
    """The recent stories, for finding the one a new item repeats."""

    def __init__(self, threshold):
        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.signatures = {}

    def add(self, key, minhash):
        self.signatures[key] = minhash
        self.lsh.insert(key, minhash)

    def find(self, minhash):
        """The key of the most similar story at or above the threshold, or None."""
        best, best_score = None, self.threshold
        for key in self.lsh.query(minhash):
            score = minhash.jaccard(self.signatures[key])
            if score >= best_score:
                best, best_score = key, score
        return best
