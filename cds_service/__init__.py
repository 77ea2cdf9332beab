"""The web side of gluteal-cds: a CDS Hooks 2.0 service, arranged by concern.

Imports flow one way: ``api`` and ``pages`` → ``hooks`` → the clinical packages
(``fhir_mappings`` → ``differential`` → ``cards``); ``fhir``, ``auth``, ``ops`` and ``store``
are plugged in by the app factory through the runtime's extension points.

- :mod:`~cds_service.hooks`: the hook logic without Flask (request model, services, prefetch,
  the pipeline that is the one seam to the clinical packages, order review, events).
- :mod:`~cds_service.fhir`: the outbound FHIR client, its session and server policy.
- :mod:`~cds_service.auth`: caller authentication (JWT, JWKS).
- :mod:`~cds_service.api`: the HTTP routes, request body, JSON errors, OpenAPI.
- :mod:`~cds_service.pages`: the pages for clinicians (routes, forms, templates, static).
- :mod:`~cds_service.ops`: metrics and logging.
- :mod:`~cds_service.store`: the feedback store (SQLAlchemy, Alembic migrations).
- :mod:`~cds_service.smart`: the bedside SMART on FHIR app launched from the card.

At the top: :mod:`~cds_service.app` (``create_app``), :mod:`~cds_service.settings`,
:mod:`~cds_service.runtime` (what the factory builds once), :mod:`~cds_service.errors` (the
domain errors), :mod:`~cds_service.cli` and :mod:`~cds_service.explain` (the ``gluteal-cds``
command), :mod:`~cds_service.startup_checks` (what a production start refuses),
:mod:`~cds_service.wsgi`, :mod:`~cds_service.gunicorn_conf` and
:mod:`~cds_service.gunicorn_worker` (serving).
"""
