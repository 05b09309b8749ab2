"""Offline matcher: fuzzy comparison of normalised titles with rapidfuzz.

It catches the same title with different case, punctuation, accents or word
order, and close rewordings that keep most of the words. It does not match
translations, nor paraphrases that share few words, because it compares
characters, not meaning.
"""

import re
import unicodedata

from rapidfuzz import fuzz

from issues.dedup.matching import Candidate, Decision, Proposal

# Scores run from 0 to 100. Tuned on evaluation_set.json: at 85 no near-miss
# (a different problem sharing most words, such as "Login with Microsoft fails
# with error 400" against "Login with Google fails with error 400", which scores
# 78) is merged. Lowering it to about 66 catches half of the English paraphrases
# but merges a fifth of the near-misses.
MATCH_THRESHOLD = 85.0

# Words that carry no meaning of their own in an issue title. English only:
# other languages keep theirs, which lowers their scores a little.
STOPWORDS = frozenset(
    """a an the of to for in on at by with and or but is are was were be been being
    not no does do did doesn don isn aren wasn t can cannot could i my me we our you
    your it its this that these those when after before from as into than instead
    every all any some there""".split()
)

_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower-case TEXT, strip accents and punctuation, and collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", without_accents.casefold()).split())


def content_words(text: str) -> str:
    return " ".join(word for word in normalise(text).split() if word not in STOPWORDS)


def similarity(first: str, second: str) -> float:
    """Score two titles from 0 to 100 on their content words.

    token_set_ratio alone gives 100 whenever one title's words are a subset of
    the other's, and token_sort_ratio alone punishes an extra word heavily, so
    the score is their mean.
    """
    a, b = content_words(first), content_words(second)
    if not a or not b:
        # A title made only of stopwords: compare what there is.
        a, b = normalise(first), normalise(second)
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


class LocalMatcher:
    """Pick the most similar candidate title, if it reaches the threshold."""

    name = "local"

    def __init__(self, threshold: float = MATCH_THRESHOLD):
        self.threshold = threshold

    def match(self, proposal: Proposal, candidates: list[Candidate]) -> Decision:
        best_score, best = 0.0, None
        for candidate in candidates:
            score = similarity(proposal.title, candidate.title)
            if score > best_score:
                best_score, best = score, candidate

        if best is None or best_score < self.threshold:
            closest = f" (closest: {best.shortcode} at {best_score:.0f})" if best else ""
            # A low similarity does not measure how sure "different" is, so none is given.
            return Decision(
                shortcode=None,
                confidence=None,
                reason=f"No title reaches similarity {self.threshold:.0f}{closest}.",
            )
        return Decision(
            shortcode=best.shortcode,
            confidence=round(best_score / 100, 3),
            reason=f"Title similarity {best_score:.0f} with {best.shortcode} (threshold {self.threshold:.0f}).",
        )
