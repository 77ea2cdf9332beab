# gluteal-cds: the CDS Hooks service under gunicorn, as a non-root user.
# BASE: any Debian-based image with python3 >= 3.11 and its venv module. Where Docker Hub
# cannot be reached, .ci/image-test builds one from Debian's packages.
ARG BASE=python:3.11-slim
FROM ${BASE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN useradd --create-home --uid 10001 cds
WORKDIR /app

COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY terminology ./terminology
COPY fhir_mappings ./fhir_mappings
COPY differential ./differential
COPY cards ./cards
COPY cds_service ./cds_service
# The versions make test ran with; the postgres extra for the PostgreSQL feedback store.
# Behind a TLS-inspecting proxy, pass its CA bundle: --secret id=ca,src=<bundle>.
RUN --mount=type=secret,id=ca \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi; \
    python3 -m venv /opt/venv \
    && pip install --constraint constraints.txt '.[postgres]' \
    && rm -rf /app/*

# The SQLite feedback store lives in /home/cds/instance unless GLUTEAL_CDS_DATABASE_URL says
# otherwise: a volume, so it outlives the container (`-v gluteal-cds-data:/home/cds/instance`);
# a new named volume takes this directory's owner, so the non-root user can write it.
RUN install -d -o cds -g cds /home/cds/instance
VOLUME /home/cds/instance
WORKDIR /home/cds
USER cds
EXPOSE 8080

# No curl in the image: probe with the Python standard library.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status == 200 else 1)"]

CMD ["gluteal-cds", "serve", "--host", "0.0.0.0", "--port", "8080"]
