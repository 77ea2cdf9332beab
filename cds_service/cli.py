"""The ``gluteal-cds`` command, on click: one function per subcommand.

``explain`` validates its codes here and leaves the rendering to
:mod:`cds_service.explain`; ``feedback-report`` reads the store and never creates it.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from typing import BinaryIO, cast

import click

from cds_service.settings import ConfigurationError, Settings

__all__ = ["cli", "main", "serve_command"]

_GUNICORN_CONFIG = "cds_service.gunicorn_conf"
_MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"  # read by prometheus-client in each worker
_SEXES = ("female", "male", "other", "unknown")
# The help says the default the settings hold, never a copy that can drift.
_THREADS_DEFAULT = next(f.default for f in dataclasses.fields(Settings) if f.name == "threads")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gluteal-cds", prog_name="gluteal-cds")
def cli() -> None:
    """A CDS Hooks 2.0 service for runners with buttock or posterior hip pain.

    It ranks the usual causes from the patient's chart, advises the next test, warns
    against tests that will not help and raises red flags. Configuration comes from
    GLUTEAL_CDS_* environment variables (see `gluteal-cds config`).

    \b
    Examples:
      gluteal-cds serve --port 8080
      gluteal-cds explain --present buttock-pain,sits-bone-pain --absent pain-radiates-below-knee
      gluteal-cds feedback-report --format csv > feedback.csv
    """


@cli.command(short_help="Run the service under gunicorn.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8080, show_default=True, help="TCP port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Worker processes.  [default: GLUTEAL_CDS_WORKERS, else the CPUs available]",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help=f"Threads per worker.  [default: GLUTEAL_CDS_THREADS, else {_THREADS_DEFAULT}]",
)
def serve(host: str, port: int, workers: int | None, threads: int | None) -> int:
    """Run the service under gunicorn until stopped (Ctrl-C, SIGTERM or SIGINT to this
    process: gunicorn's master and workers stop with it and the port is freed)."""
    from cds_service.startup_checks import check_startup  # noqa: PLC0415 - see explain
    from cds_service.supervisor import run_supervised  # noqa: PLC0415

    # Fail here, one line per problem naming the variable, rather than in every worker.
    check_startup(Settings.from_env())
    if not os.environ.get(_MULTIPROC_ENV):
        # Workers write their metrics there; a fresh directory starts every count at zero.
        os.environ[_MULTIPROC_ENV] = tempfile.mkdtemp(prefix="gluteal-cds-metrics-")
    argv = serve_command(host, port, workers=workers, threads=threads)
    # gunicorn runs as our child and this process passes signals on: `gluteal-cds serve` stays
    # the process to stop (docker stop, Ctrl-C, kill), and none of gunicorn outlives it.
    return run_supervised(argv)


def serve_command(
    host: str, port: int, *, workers: int | None = None, threads: int | None = None
) -> list[str]:
    """The gunicorn command line ``serve`` runs.

    Worker and thread defaults live in cds_service/gunicorn_conf.py, where the measurements
    behind them are written down; the options only override them.
    """
    argv = [sys.executable, "-m", "gunicorn", "--config", f"python:{_GUNICORN_CONFIG}"]
    argv += ["--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    for option, value in (("workers", workers), ("threads", threads)):
        if value is not None:
            argv += [f"--{option}", str(value)]
    return [*argv, "cds_service.wsgi:app"]


@cli.command(short_help="Print the differential for a set of findings.")
@click.option(
    "--present", multiple=True, metavar="CODES", help="Finding codes present, comma-separated."
)
@click.option(
    "--absent", multiple=True, metavar="CODES", help="Finding codes absent, comma-separated."
)
@click.option(
    "--diagnosed", multiple=True, metavar="CODES", help="Condition codes already diagnosed."
)
@click.option("--sex", type=click.Choice(_SEXES), help="Administrative sex, if known.")
@click.option("--age", type=click.IntRange(0, 120), help="Age in whole years.")
@click.option(
    "--note",
    type=click.File("rb"),
    metavar="FILE",
    help="A clinical note's text ('-' for standard input): its findings are read and shown.",
)
def explain(
    *,
    present: tuple[str, ...],
    absent: tuple[str, ...],
    diagnosed: tuple[str, ...],
    sex: str | None,
    age: int | None,
    note: BinaryIO | None,
) -> int:
    """Print the differential for a set of findings: the ranked conditions with the
    findings for and against each, the next tests, the tests to avoid, cautions and red
    flags. Codes are those of the interface contract; a wrong one is refused with the
    list of valid codes. With --note, the note's findings are read (negation and context
    marked, the words highlighted) and count where no code given says otherwise."""
    # Imported here: ``serve`` must not pay for loading the knowledge base twice.
    from cds_service.explain import explain as run_explain  # noqa: PLC0415
    from cds_service.hooks.pipeline import load_knowledge  # noqa: PLC0415
    from differential.model import Presentation, Sex  # noqa: PLC0415
    from fhir_mappings.notes import MAX_NOTE_BYTES  # noqa: PLC0415

    kb = load_knowledge(Settings.from_env())
    findings = sorted(finding.code for finding in kb.findings)
    _check_codes("--present", present, findings, "finding")
    _check_codes("--absent", absent, findings, "finding")
    _check_codes("--diagnosed", diagnosed, sorted(c.code for c in kb.conditions), "condition")
    if both := sorted(_codes(present) & _codes(absent)):
        raise click.UsageError(
            f"{', '.join(both)}: given both --present and --absent; a finding is one or the "
            "other (leave it out when it is not known)"
        )
    presentation = Presentation(
        findings=dict.fromkeys(_codes(present), True) | dict.fromkeys(_codes(absent), False),
        diagnoses=frozenset(_codes(diagnosed)),
        sex=cast(Sex | None, sex),  # one of _SEXES, which are the values of Sex
        age_years=age,
    )
    # Bytes, decoded as the hook decodes a note (cp1252 too); one more tells too long.
    data = note.read(MAX_NOTE_BYTES + 1) if note is not None else b""
    return run_explain(kb, presentation, data)


def _codes(values: Iterable[str]) -> set[str]:
    return {code for value in values for part in value.split(",") if (code := part.strip())}


def _check_codes(option: str, values: Iterable[str], valid: Sequence[str], kind: str) -> None:
    for value in values:
        for code in filter(None, (part.strip() for part in value.split(","))):
            if code not in valid:
                raise click.BadParameter(_unknown_code(code, valid, kind), param_hint=option)


def _unknown_code(code: str, valid: Sequence[str], kind: str) -> str:
    close = difflib.get_close_matches(code, valid, n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    listing = textwrap.fill(
        ", ".join(valid), width=88, initial_indent="  ", subsequent_indent="  ",
        break_on_hyphens=False,
    )  # fmt: skip
    return f"unknown {kind} code {code!r}.{hint}\nValid {kind} codes:\n{listing}"


@cli.command("feedback-report", short_help="Print how clinicians received the cards.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for reading, json or csv for a script or a spreadsheet.",
)
def feedback_report(output_format: str) -> int:
    """Print how clinicians received each card topic and recommended test: shown,
    accepted, overridden, with the override reasons and comments.

    Reads the database of GLUTEAL_CDS_DATABASE_URL (named on stderr) and changes nothing:
    a database that does not exist is an error, not created empty."""
    from cds_service.store import StoreError  # noqa: PLC0415 - see explain
    from cds_service.store.report import database_name  # noqa: PLC0415
    from cds_service.store.report import feedback_report as read_report  # noqa: PLC0415
    from cds_service.store.report_formats import render  # noqa: PLC0415

    settings = Settings.from_env()
    click.echo(f"gluteal-cds: reading {database_name(settings.database_url)}", err=True)
    try:
        report = read_report(settings)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(render(report, output_format), nl=False)
    return 0


@cli.command(short_help="Bring the database schema up to date.")
def migrate() -> int:
    """Bring the feedback database schema up to date, then exit.

    The service does the same at start-up; run it once before a rollout (an init
    container) so that replicas start against the current schema."""
    from cds_service.store import FeedbackStore, StoreError  # noqa: PLC0415 - see explain

    settings = Settings.from_env()
    try:
        FeedbackStore.open(settings.database_url, patient_hash_salt=settings.patient_hash_salt)
    except StoreError as exc:
        raise click.ClickException(f"migration failed: {exc}") from exc
    click.echo("gluteal-cds: database schema is up to date")
    return 0


@cli.command(short_help="Print the settings in effect, secrets hidden.")
def config() -> int:
    """Print the settings in effect (environment and defaults), secrets hidden."""
    described = Settings.from_env().described()
    width = max(len(name) for name, _ in described)
    for name, value in described:
        click.echo(f"{name:<{width}}  {value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``gluteal-cds`` console script; returns the exit status."""
    try:
        status = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="gluteal-cds",
            standalone_mode=False,
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 1
    except ConfigurationError as exc:
        click.echo(f"gluteal-cds: configuration error:\n{exc}", err=True)
        return 2
    return status if isinstance(status, int) else 0


if __name__ == "__main__":
    sys.exit(main())
