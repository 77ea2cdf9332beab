"""The processes of the load test: a throwaway PostgreSQL, gunicorn instances, nginx.

Everything listens on loopback only, lives in one temporary directory and is stopped by
:meth:`Cluster.close`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
METRICS_TOKEN = "load-test-metrics-token"  # noqa: S105 - a local test cluster's
Process = subprocess.Popen[bytes]

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    map $http_x_request_id $cds_request_id {{ default $http_x_request_id; "" $request_id; }}
    upstream cds {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        client_body_buffer_size 1m;
        location / {{
            proxy_pass http://cds;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Request-ID $cds_request_id;
            proxy_read_timeout 10s;
        }}
    }}
}}
"""


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb refuses to run as root: run the server binaries as the postgres user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _wait_http(url: str, process: Process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # still starting
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


@dataclass
class Cluster:
    """PostgreSQL, ``instances`` gunicorn servers with ``workers`` each, nginx in front."""

    tmp: Path
    instances: int = 2
    workers: int = 2
    database_url: str = ""
    nginx_url: str = ""
    instance_urls: list[str] = field(default_factory=list)
    _processes: list[Process] = field(default_factory=list)
    _pg_data: Path | None = None

    def start(self) -> None:
        """Start everything and wait until nginx answers /readyz through an instance."""
        self._start_postgres()
        self._run_service("migrate")
        ports = [free_port() for _ in range(self.instances)]
        for number, port in enumerate(ports):
            self._start_instance(number, port)
        self._start_nginx(ports)

    def _start_postgres(self) -> None:
        data, port = self.tmp / "pg", free_port()
        data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
            self.tmp.chmod(0o755)  # nginx workers (nobody) reach their temp paths
            shutil.chown(data, "postgres")
        initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "cds"]
        subprocess.run(_as_postgres(initdb), check=True, capture_output=True)  # noqa: S603
        options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        start = [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "start"]
        subprocess.run(  # noqa: S603 - fixed binaries, our own arguments
            _as_postgres([*start, "-l", str(data / "server.log")]), check=True, capture_output=True
        )
        self._pg_data = data
        create = [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "cds", "cds"]
        subprocess.run(_as_postgres(create), check=True, capture_output=True)  # noqa: S603
        self.database_url = f"postgresql://cds@127.0.0.1:{port}/cds"

    def _env(self, metrics_dir: Path | None = None) -> dict[str, str]:
        env = os.environ | {
            "GLUTEAL_CDS_DATABASE_URL": self.database_url,
            "GLUTEAL_CDS_PATIENT_HASH_SALT": "load-test-salt",
            "GLUTEAL_CDS_WORKERS": str(self.workers),
            "GLUTEAL_CDS_LOG_LEVEL": "WARNING",
            "GLUTEAL_CDS_METRICS_TOKEN": METRICS_TOKEN,
        }
        if metrics_dir is not None:
            env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
        return env

    def _run_service(self, *args: str) -> None:
        argv = [sys.executable, "-m", "cds_service.cli", *args]
        subprocess.run(argv, cwd=ROOT, env=self._env(), check=True, capture_output=True)  # noqa: S603

    def _start_instance(self, number: int, port: int) -> None:
        argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
        log = (self.tmp / f"instance-{number}.log").open("wb")
        env = self._env(self.tmp / f"metrics-{number}")
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stderr=log)  # noqa: S603
        self._processes.append(process)
        url = f"http://127.0.0.1:{port}"
        _wait_http(f"{url}/readyz", process)
        self.instance_urls.append(url)

    def _start_nginx(self, ports: list[int]) -> None:
        port = free_port()
        servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
        conf = self.tmp / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=self.tmp, servers=servers, port=port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        argv = [nginx, "-p", str(self.tmp), "-c", str(conf), "-e", str(self.tmp / "nginx.log")]
        process = subprocess.Popen(argv)  # noqa: S603 - fixed binary, our own configuration
        self._processes.append(process)
        self.nginx_url = f"http://127.0.0.1:{port}"
        _wait_http(f"{self.nginx_url}/readyz", process)

    def close(self) -> None:
        """Stop nginx and the instances (gracefully), then PostgreSQL."""
        for process in reversed(self._processes):
            process.send_signal(signal.SIGTERM)
        for process in self._processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if self._pg_data is not None:
            stop = [str(PG_BIN / "pg_ctl"), "-D", str(self._pg_data), "-m", "fast", "stop"]
            subprocess.run(_as_postgres(stop), check=False, capture_output=True)  # noqa: S603
