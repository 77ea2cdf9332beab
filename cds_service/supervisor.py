"""``gluteal-cds serve`` stays the process that owns the server (review 10, item 15).

``serve`` used to ``exec`` gunicorn: the PID stayed, but no process was called
``gluteal-cds serve`` any more, so whoever looked for it by name (``pgrep -f``, a script's
``$!`` of the shell that started it) signalled the wrapper, and the gunicorn master, left
without a parent, kept serving on the port. Now ``serve`` runs gunicorn as its child (in
the same process group, so a terminal's Ctrl-C still reaches every process) and:

- passes on the signals gunicorn acts on (TERM and INT stop it, QUIT at once, HUP reloads,
  USR1 reopens the logs), then waits and exits with gunicorn's status, so ``docker stop``,
  Kubernetes, Ctrl-C and ``kill <pid of serve>`` stop master and workers and free the port;
- has the kernel send the master SIGTERM should ``serve`` itself die (even by SIGKILL), so
  no gunicorn outlives it (Linux; elsewhere the signals above still do).

A signal ignored when ``serve`` starts (``nohup`` ignores HUP) stays ignored.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

__all__ = ["FORWARDED", "run_supervised"]

FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def run_supervised(argv: Sequence[str]) -> int:
    """Run ``argv`` (gunicorn) as a child until it exits; its exit status (128 + the signal
    that ended it, as a shell reports)."""
    parent = os.getpid()
    child = subprocess.Popen(  # noqa: S603 - our own fixed command line, no shell
        list(argv),
        preexec_fn=lambda: _die_with(parent),  # noqa: PLW1509 - serve has no threads yet
    )

    def forward(signum: int, _frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    for signum in FORWARDED:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, forward)
    status = child.wait()  # signals interrupt the wait, run `forward`, and it resumes
    return status if status >= 0 else 128 - status


def _die_with(parent: int) -> None:
    """In the child, before gunicorn starts: SIGTERM when ``parent`` dies (Linux only)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # it died before the request above took hold
        os._exit(1)
