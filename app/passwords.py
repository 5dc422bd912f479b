"""The password policy: at least 12 characters, and not one of the most common passwords.

The common-password check is a short built-in list (the passwords at the top of public breach
lists, with the Danish ones added), compared case-insensitively and ignoring spaces, plus
passwords made of one repeated character or the user's e-mail address. No network lookup.
"""
from __future__ import annotations

MIN_LENGTH = 12
MAX_LENGTH = 1000
COMMON = frozenset("""
123456789012 1234567890123 12345678901234 123456123456 qwertyuiop12 qwertyuiopå
password1234 passwordpassword password123456 iloveyou1234 adminadmin12 administrator
letmein12345 welcome12345 changeme1234 sommerfugl12 kodeord12345 adgangskode1 adgangskode12
velkommen123 velkommen1234 qwerty123456 qwertyqwerty 1q2w3e4r5t6y 1qaz2wsx3edc abc123abc123
abcdefghijkl aaaaaaaaaaaa 111111111111 000000000000 football1234 baseball1234 monkey123456
dragon123456 sunshine1234 princess1234 trustno11234 passw0rd1234 p@ssw0rd1234 p@ssword1234
mypassword12 secret123456 hemmelig1234 danmark12345 københavn123 kobenhavn123 kommune12345
sikkerhed123 resilience12 digitalresilience
""".split())


def password_problem(password: str, email: str = "") -> str | None:
    """Why the password is refused (English, for logs and the CLI), or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    folded = "".join(password.casefold().split())
    if folded in COMMON or len(set(folded)) <= 2 or (email and folded == email.casefold()):
        return "is one of the most common passwords; choose another"
    return None
