"""A resident lettersmith: one warm process that runs commands for the ``lettersmith``
command line, so a command does not pay Python's imports (click, Jinja2, lxml,
markdown-it-py, PyYAML) every time.

The command line (:mod:`.client`) hands its arguments, environment, umask, working
folder and its own standard input, output and error (as file descriptors, over a
Unix socket only its user can open) to the server (:mod:`.daemon`), which forks a
worker (:mod:`.worker`) that runs the command exactly as the command line would and
writes straight to the caller's terminal or pipes; the exit status goes back.  When
no server answers, the command runs in its own process as before, and starts one in
the background for the next command.  ``LETTERSMITH_SERVER=0`` turns it off.
"""
