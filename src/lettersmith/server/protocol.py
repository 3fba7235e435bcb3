"""What the command line and the server say to each other.

A request is one length-prefixed message of NUL-separated fields (arguments and
environment strings can hold no NUL), sent with four file descriptors: the caller's
standard input, output, error and working folder.  The server answers with lines:
``pid N`` once a worker runs the command, then ``exit N``; or ``refuse WHY`` when the
caller should run the command itself.
"""
from __future__ import annotations

import os
import struct

VERSION = "lettersmith-server-1"
MAX_REQUEST = 4 << 20
_LENGTH = struct.Struct(">I")


class Request:
    """A command to run (``run``), or ``stop`` or ``status``.  A plain class: the
    command line imports this before anything else, and dataclasses costs imports."""

    def __init__(self, kind: str, prog: str = "lettersmith", umask: int = 0o022,
                 encodings: tuple[str, ...] = (), argv: tuple[str, ...] = (),
                 env: tuple[str, ...] = ()) -> None:
        self.kind = kind
        self.prog = prog
        self.umask = umask
        self.encodings = encodings  # encoding and errors of stdin, stdout, stderr
        self.argv = argv
        self.env = env  # "NAME=value"

    def encode(self) -> bytes:
        fields = [VERSION, self.kind, self.prog, str(self.umask), *self.encodings,
                  str(len(self.argv)), *self.argv, *self.env]
        data = b"\0".join(os.fsencode(field) for field in fields)
        return _LENGTH.pack(len(data)) + data

    @classmethod
    def decode(cls, data: bytes) -> "Request":
        """The request in ``data``; ValueError for anything else."""
        fields = [os.fsdecode(field) for field in data.split(b"\0")]
        if len(fields) < 3 or fields[0] != VERSION or fields[1] not in ("run", "stop", "status"):
            raise ValueError("not a request of this version")
        if fields[1] != "run":
            return cls(fields[1])
        if len(fields) < 11:
            raise ValueError("a short request")
        prog, umask, encodings, count = fields[2], int(fields[3]), tuple(fields[4:10]), int(fields[10])
        argv = tuple(fields[11:11 + count])
        if count < 0 or len(argv) != count or not 0 <= umask <= 0o777:
            raise ValueError("a short request")
        return cls("run", prog, umask, encodings, argv, tuple(fields[11 + count:]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Request) and vars(self) == vars(other)


def length(head: bytes) -> int:
    """The body's length from the first four bytes."""
    return _LENGTH.unpack(head[:4])[0]
