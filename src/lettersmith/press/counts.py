"""How a release counts and names the letter's signers, from the letter's own list.

The rounding rule (``about``):

- one to nine: the word ("seven");
- 10 to 19, and any count that is itself a round number: the figure ("14", "100");
- otherwise, with round numbers every 10 below 100, every 50 from 100 to 999, every
  500 from 1,000 to 9,999 (and so on): "nearly R" when the count is at least 90%
  of the next round number R, else "more than F" with F the round number below.

So 102 signers are "more than 100", 94 others "nearly 100", 47 "nearly 50",
44 "more than 40", 140 "nearly 150".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import LettersmithError, suggest
from ..signers import Signatories, name_key

WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _step(n: int) -> int:
    return 10 if n < 100 else 5 * 10 ** (len(str(n)) - 2)


def about(n: int, rounded: bool = True) -> str:
    """``n`` as a release writes a count: "seven", "more than 100", "nearly 100"."""
    if n < 10:
        return WORDS[n]
    if not rounded or n < 20 or n % _step(n) == 0:
        return f"{n:,}"
    step = _step(n)
    below, above = n - n % step, n - n % step + step
    if n >= 0.9 * above:
        return f"nearly {above:,}"
    return f"more than {below:,}"


def _key(name: str) -> str:
    """A signer's name for matching: a trailing "(ABBR)" and a leading "the" ignored."""
    return name_key(re.sub(r"\s*\([^()]*\)\s*$", "", name))


@dataclass
class SignerCounts:
    """What the release says about the signers: all of it follows from the list."""

    count: int
    named: list[str] = field(default_factory=list)  # as the release writes them
    describe: str = "organizations"
    noun: str = "organizations"
    rounded: bool = True
    single: str = ""  # the one signer's name, when there is only one

    @property
    def about(self) -> str:
        """The whole list: "more than 100"."""
        return about(self.count, self.rounded)

    @property
    def others(self) -> int:
        return self.count - len(self.named)

    @property
    def others_about(self) -> str:
        """The signers not named: "nearly 100"."""
        return about(self.others, self.rounded)

    @property
    def named_list(self) -> str:
        """"A, B, C" (the caller adds ", and N other ...")."""
        return ", ".join(self.named)


def count_signers(signatories: Signatories | None, settings: dict, brief_file: str,
                  line: int) -> SignerCounts:
    """Counts and names from the letter's list; every name in ``first`` must be on it.

    ``settings`` is the brief's ``press.signers``: ``first`` (names written as the
    release writes them, named first), ``name`` (how many to name in all; more than
    ``first`` are taken from the list in its order), ``describe``, ``noun``, ``round``.
    """
    signers = signatories.signers if signatories else []
    if not signers:
        raise LettersmithError("the release counts and names the letter's signers, and this "
                               "letter has none", file=brief_file, line=line,
                               hint="add signatories: to the letter (one name will do)")
    by_key = {_key(s.name): s.name for s in signers}
    named: list[str] = []
    taken: set[str] = set()
    first = settings.get("first") or []
    for index, name in enumerate(first):
        key = _key(str(name))
        if key not in by_key:
            item_line = first.line_of(index) if hasattr(first, "line_of") else line
            raise LettersmithError(
                f"press.signers.first names {name!r}, who is not on the letter's sign-on list",
                file=brief_file, line=item_line,
                hint=suggest(str(name), by_key.values())
                or "name only signers of the letter, so the release never disagrees with it")
        if key in taken:
            continue
        taken.add(key)
        named.append(str(name))
    wanted = int(settings.get("name", len(named)))
    if wanted > len(signers):
        raise LettersmithError(f"press.signers.name asks for {wanted} names, but the letter has "
                               f"{len(signers)} signers", file=brief_file, line=line,
                               hint=f"name at most {len(signers)}")
    for signer in signers:
        if len(named) >= wanted:
            break
        if _key(signer.name) not in taken:
            taken.add(_key(signer.name))
            named.append(signer.name)
    named = named[:max(wanted, 0)] if "name" in settings else named
    return SignerCounts(len(signers), named, str(settings.get("describe") or "organizations"),
                        str(settings.get("noun") or "organizations"),
                        bool(settings.get("round", True)),
                        (named or [signers[0].name])[0] if len(signers) == 1 else "")
