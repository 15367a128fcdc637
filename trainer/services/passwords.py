"""The password rule, after NIST SP 800-63B: length and guessability, no composition rules.

Length is counted in characters after Unicode NFKC normalisation (so the same password typed
on two keyboards is the same password). Guessability is zxcvbn's estimate: it matches the
password against its lists of the most common breached passwords, dictionary words, names,
keyboard patterns, repeats and sequences, and the user's own username and e-mail. A password
it estimates at fewer than a million guesses (score 0 or 1, "too guessable" even for an online
attacker who is throttled) is refused with zxcvbn's own reason.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

MIN_LENGTH = 8
MAX_LENGTH = 128  # NIST: permit at least 64
MIN_SCORE = 2  # zxcvbn: 2 = at least 10^6 guesses
# Words an attacker tries first against this product.
SITE_WORDS = ("coding", "trainer", "coder", "medical", "icd10", "cpt")


def normalise(password: str) -> str:
    """The form a password is hashed and compared in."""
    return unicodedata.normalize("NFKC", password)


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why this password may not be used, or None when it may."""
    text = normalise(password)
    if len(text) < MIN_LENGTH:
        return f"A password has at least {MIN_LENGTH} characters."
    if len(text) > MAX_LENGTH:
        return f"A password has at most {MAX_LENGTH} characters."
    from zxcvbn import zxcvbn  # its dictionaries load on the first password set, not at start-up

    words = [w for w in user_inputs if w] + list(SITE_WORDS)
    result = zxcvbn(text, user_inputs=words, max_length=MAX_LENGTH)
    if result["score"] >= MIN_SCORE:
        return None
    warning = result["feedback"].get("warning") or "This password is too easy to guess."
    return (
        f"{warning.rstrip('.')}. Choose a longer password that is not a common one, "
        "for example a few unrelated words."
    )
