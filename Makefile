# Two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8080
HOST ?= 127.0.0.1
IMAGE ?= gluteal-cds:$(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
# Every install pins what pyproject.toml leaves open to the versions tested together.
PIP_INSTALL := $(BIN)/pip install --quiet --constraint constraints.txt

# docker when its daemon answers, else podman (which needs none).
CONTAINER_TOOL ?= $(shell docker info >/dev/null 2>&1 && echo docker || echo podman)

.PHONY: install install-test run test lint typecheck pytest bench image push image-test constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: reinstall only when the dependencies changed (the install is editable, so code
# changes need none).
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Readable log lines for a developer; production keeps one JSON object per line.
run: install
	GLUTEAL_CDS_LOG_FORMAT=$${GLUTEAL_CDS_LOG_FORMAT:-text} \
		$(BIN)/gluteal-cds serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-test
	$(BIN)/mypy

pytest: install-test
	$(BIN)/pytest

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

bench: install-test
	$(BIN)/python bench/benchmark.py

# The image the Kubernetes Deployment runs, built by .ci/build-image (as CI builds it):
# BASE=<image> builds on another Debian-based Python 3.11+ image (default python:3.11-slim,
# else Debian's own python3 via debootstrap); CA_BUNDLE=<pem> is the bundle pip trusts
# behind a TLS-intercepting proxy (default: the host's; CA_BUNDLE= for none).
image:
	CONTAINER_TOOL=$(CONTAINER_TOOL) $(if $(BASE),BASE=$(BASE)) \
		$(if $(filter undefined,$(origin CA_BUNDLE)),,CA_BUNDLE=$(CA_BUNDLE)) \
		bash .ci/build-image $(IMAGE)

# Push it where the cluster pulls from: make push REGISTRY=registry.example.org/team
push:
	@test -n "$(REGISTRY)" || { echo "set REGISTRY=<registry>/<path>" >&2; exit 2; }
	$(MAKE) image
	$(CONTAINER_TOOL) tag $(IMAGE) $(REGISTRY)/$(IMAGE)
	$(CONTAINER_TOOL) push $(REGISTRY)/$(IMAGE)

# Build the image with podman, start it, ask it /healthz and a vignette (CI runs this).
image-test:
	bash .ci/image-test

# After changing dependencies in pyproject.toml: pin what now installs, test, commit both.
constraints: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	{ sed -n '1,2p' constraints.txt; $(BIN)/pip freeze --exclude gluteal-cds; } > constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
