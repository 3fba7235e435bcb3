"""The press release that goes out with a letter, built from the same brief.

A brief's ``press:`` section (read by :mod:`.section`) names the headline,
dateline, contacts, spokespeople's quotes, background and About boilerplate;
the lead, the signers' counts and names (:mod:`.counts`) and the quotations of the
letter (:mod:`.letter`) come from the built letter itself, so the release never
disagrees with it.  :mod:`.release` renders it through the letter's pipeline;
:mod:`.check` adds the release's warnings to ``lettersmith check``.
"""
from .release import Release, build_release

__all__ = ["Release", "build_release"]
