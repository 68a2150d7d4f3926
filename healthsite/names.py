"""The name of a cited author, as author profiles give it and citations read it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    """A cited author: a person (family and given names) or an organization (literal)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    suffix: str = ""
