"""Mail merge: one letter per row of a spreadsheet, a YAML list or a library file
of recipients (``lettersmith merge``)."""
from .run import Options, Result, merge

__all__ = ["Options", "Result", "merge"]
