"""The ``gluteal-cds`` command: ``serve`` the service, ``explain`` a presentation.

Subcommands are rows of :data:`COMMANDS`; a later feature adds its own row
(e.g. ``feedback-report``) without touching the others.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cds_service.settings import ConfigurationError, Settings

__all__ = ["COMMANDS", "Command", "main", "serve_command"]

_GUNICORN_CONFIG = "cds_service.gunicorn_conf"
_MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus-client in each worker


@dataclass(frozen=True)
class Command:
    """A subcommand: its help, how it adds its arguments, and what it runs."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument("--port", type=int, default=8080, help="port (default %(default)s)")
    # Defaults live in cds_service/gunicorn_conf.py (GLUTEAL_CDS_WORKERS / _THREADS), where
    # the measurements behind them are written down; these flags override them.
    parser.add_argument(
        "--workers", type=int, help="gunicorn worker processes (default: GLUTEAL_CDS_WORKERS)"
    )
    parser.add_argument(
        "--threads", type=int, help="threads per worker (default: GLUTEAL_CDS_THREADS)"
    )


def serve_command(args: argparse.Namespace) -> list[str]:
    """The gunicorn command line ``serve`` runs for ``args``."""
    argv = [sys.executable, "-m", "gunicorn", "--config", f"python:{_GUNICORN_CONFIG}"]
    argv += ["--bind", f"{args.host}:{args.port}"]
    for option in ("workers", "threads"):
        if getattr(args, option) is not None:
            argv += [f"--{option}", str(getattr(args, option))]
    return [*argv, "cds_service.wsgi:app"]


def _serve(args: argparse.Namespace) -> int:
    # Fail here, with the variable's name, rather than in every worker.
    Settings.from_env()
    if not os.environ.get(_MULTIPROC_ENV):
        # Workers write their metrics there; a fresh directory starts every count at zero.
        os.environ[_MULTIPROC_ENV] = tempfile.mkdtemp(prefix="gluteal-cds-metrics-")
    argv = serve_command(args)
    # exec: gunicorn becomes this process, so signals (docker stop, Ctrl-C) reach it directly.
    os.execv(sys.executable, argv)  # noqa: S606 - fixed program, arguments are not a shell line
    return 0  # pragma: no cover - execv does not return


def _explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--present", action="append", default=[], help="finding codes present (comma-separated)"
    )
    parser.add_argument(
        "--absent", action="append", default=[], help="finding codes absent (comma-separated)"
    )
    parser.add_argument(
        "--diagnosed", action="append", default=[], help="condition codes already diagnosed"
    )
    parser.add_argument("--sex", choices=["female", "male", "other", "unknown"])
    parser.add_argument("--age", type=int, help="age in years")


def _explain(args: argparse.Namespace) -> int:
    # Imported here: ``serve`` must not pay for loading the knowledge base twice.
    from cds_service.explain import explain  # noqa: PLC0415

    return explain(args, Settings.from_env())


def _no_arguments(_parser: argparse.ArgumentParser) -> None:
    pass


def _feedback_report(_args: argparse.Namespace) -> int:
    from cds_service.store import StoreError, feedback_report  # noqa: PLC0415 - see _explain

    try:
        print(feedback_report(Settings.from_env()), end="")
    except StoreError as exc:
        print(f"gluteal-cds: {exc}", file=sys.stderr)
        return 1
    return 0


def _migrate(_args: argparse.Namespace) -> int:
    # The same upgrade the app runs at start-up; run it once before a rollout (an init
    # container) so replicas start against the current schema.
    from cds_service.store import FeedbackStore, StoreError  # noqa: PLC0415 - see _explain

    settings = Settings.from_env()
    try:
        FeedbackStore.open(settings.database_url, patient_hash_salt=settings.patient_hash_salt)
    except StoreError as exc:
        print(f"gluteal-cds: migration failed: {exc}", file=sys.stderr)
        return 1
    print("gluteal-cds: database schema is up to date")
    return 0


COMMANDS: dict[str, Command] = {
    "serve": Command("run the service under gunicorn", _serve_arguments, _serve),
    "explain": Command(
        "print the differential, its reasons and test advice for findings",
        _explain_arguments,
        _explain,
    ),
    "feedback-report": Command(
        "print how clinicians received each card topic and recommended test",
        _no_arguments,
        _feedback_report,
    ),
    "migrate": Command(
        "bring the feedback database schema up to date, then exit", _no_arguments, _migrate
    ),
}


def build_parser(commands: Mapping[str, Command] = COMMANDS) -> argparse.ArgumentParser:
    """The argument parser with one subparser per command."""
    parser = argparse.ArgumentParser(prog="gluteal-cds", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name, command in commands.items():
        command.add_arguments(subparsers.add_parser(name, help=command.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gluteal-cds`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args)
    except ConfigurationError as exc:
        print(f"gluteal-cds: configuration error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
