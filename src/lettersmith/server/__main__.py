"""``python -m lettersmith.server serve``: what the command line starts in the background."""
import sys

from .daemon import serve

if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        sys.exit("usage: python -m lettersmith.server serve  (or: lettersmith server start)")
    sys.exit(serve())
