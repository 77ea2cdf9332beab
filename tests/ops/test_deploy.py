"""The deployment files: compose, nginx and Kubernetes manifests parse and say what they must.

Tools are used where the machine has them (``docker compose`` or ``docker-compose``,
``nginx -t``, ``kubeconform``) and skipped cleanly where not; the YAML structure checks
always run.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.ci import skip_unless_ci
from tests.support.paths import ROOT

DEPLOY = ROOT / "deploy"
MANIFESTS = sorted((DEPLOY / "kubernetes").glob("*.yaml"))
SECRET = "gluteal-cds-database"
SECRET_EXAMPLE = DEPLOY / "kubernetes" / "secret" / "secret.example.yaml"
PYPROJECT = ROOT / "pyproject.toml"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _by_kind() -> dict[str, dict[str, Any]]:
    return {doc["kind"]: doc for doc in map(_load, MANIFESTS)}


def _compose_tool() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run(  # noqa: S603 - fixed arguments
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


# -- compose ---------------------------------------------------------------------------------


@pytest.fixture
def compose_dir(tmp_path: Path) -> Path:
    """A copy of deploy/ with the example env file in place of the real one."""
    target = tmp_path / "deploy"
    shutil.copytree(DEPLOY, target)
    shutil.copy(target / "gluteal-cds.env.example", target / "gluteal-cds.env")
    return target


def test_compose_config_is_valid(compose_dir: Path) -> None:
    tool = _compose_tool()
    if tool is None:
        skip_unless_ci("neither docker compose nor docker-compose is installed")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [*tool, "-f", str(compose_dir / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["services"]["cds"]["deploy"]["replicas"] == 3


def test_compose_runs_three_replicas_behind_nginx_on_shared_postgres() -> None:
    services = _load(DEPLOY / "compose.yaml")["services"]

    assert services["cds"]["deploy"]["replicas"] == 3
    assert "cds:8080" in (DEPLOY / "nginx.conf").read_text()
    assert services["cds"]["env_file"] == "gluteal-cds.env"
    assert (
        "GLUTEAL_CDS_DATABASE_URL=postgresql://" in (DEPLOY / "gluteal-cds.env.example").read_text()
    )
    assert services["cds"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert services["migrate"]["command"] == ["gluteal-cds", "migrate"]
    for name in ("postgres", "cds", "nginx"):
        assert services[name]["healthcheck"]["test"]
    assert "/readyz" in str(services["cds"]["healthcheck"]["test"])
    assert "ports" not in services["cds"]  # only nginx is published


def test_nginx_config_is_accepted_by_nginx(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        skip_unless_ci("nginx is not installed")
    # Outside compose the replica's name does not resolve: point it at loopback.
    conf = (DEPLOY / "nginx.conf").read_text().replace("cds:8080", "127.0.0.1:8080")
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [
            nginx,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(tmp_path / "nginx.conf"),
            "-e",
            str(tmp_path / "error.log"),
            "-g",
            f"pid {tmp_path / 'nginx.pid'};",
        ],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


# -- Kubernetes ------------------------------------------------------------------------------


def test_every_manifest_parses_and_is_listed_by_kustomize() -> None:
    listed = set(_load(DEPLOY / "kubernetes" / "kustomization.yaml")["resources"])
    manifests = {p.name for p in MANIFESTS} - {"kustomization.yaml"}

    assert manifests == listed
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} <= set(
        _by_kind()
    )


def test_applying_never_overwrites_the_real_secret() -> None:
    assert "Secret" not in _by_kind()  # created once by the operator, from their secrets


def test_the_autoscaler_alone_sets_the_replica_count() -> None:
    assert "replicas" not in _by_kind()["Deployment"]["spec"]  # apply would reset the HPA


def test_the_deployment_runs_the_image_tag_make_image_builds() -> None:
    kustomization = _load(DEPLOY / "kubernetes" / "kustomization.yaml")
    version = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    pod = _by_kind()["Deployment"]["spec"]["template"]["spec"]

    assert kustomization["images"] == [{"name": "gluteal-cds", "newTag": version}]
    assert {c["image"] for c in pod["containers"] + pod["initContainers"]} == {"gluteal-cds"}


def test_deployment_probes_security_and_migrations() -> None:
    pod = _by_kind()["Deployment"]["spec"]["template"]["spec"]
    [container] = pod["containers"]
    [migrate] = pod["initContainers"]

    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    for each in (container, migrate):
        assert each["securityContext"]["allowPrivilegeEscalation"] is False
        assert each["envFrom"] == [{"secretRef": {"name": SECRET}}]
        assert each["resources"]["limits"]
    assert migrate["command"] == ["gluteal-cds", "migrate"]
    assert pod["terminationGracePeriodSeconds"] > 15  # gunicorn's graceful_timeout


def test_secret_example_holds_the_database_url_and_salt() -> None:
    secret = _load(SECRET_EXAMPLE)

    assert secret["metadata"]["name"] == SECRET
    assert set(secret["stringData"]) == {
        "GLUTEAL_CDS_DATABASE_URL",
        "GLUTEAL_CDS_PATIENT_HASH_SALT",
    }


def test_service_hpa_and_pdb_select_the_deployment() -> None:
    kinds = _by_kind()
    labels = kinds["Deployment"]["spec"]["template"]["metadata"]["labels"]

    assert kinds["Service"]["spec"]["selector"].items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    hpa = kinds["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == kinds["Deployment"]["metadata"]["name"]
    assert hpa["minReplicas"] > kinds["PodDisruptionBudget"]["spec"]["minAvailable"]


def test_manifests_pass_the_kubernetes_schema() -> None:
    kubeconform = shutil.which("kubeconform")
    if kubeconform is None:
        pytest.skip("kubeconform is not installed (structure is checked above)")
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [kubeconform, "-strict", "-summary", *map(str, MANIFESTS)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
