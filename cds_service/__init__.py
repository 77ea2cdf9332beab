"""The web side of gluteal-cds: a CDS Hooks 2.0 service, arranged by concern.

Every import points down this order (bottom first; rooms on one line never import each
other; ``tests/test_layering.py`` holds the same order and fails on an upward import or a
loop, type-only imports included):

1. ``_environment``; then ``settings``, ``errors``: what everything reads.
2. ``fhir``, then ``hooks``: the FHIR client, and the hook logic without Flask.
3. ``runtime``, ``startup_checks``, ``explain``, ``supervisor``: the hub the factory builds
   once (extension points only; it names no plug-in), what a start refuses, the ``explain``
   command, the ``serve`` process that owns gunicorn.
4. The plug-ins, each registering itself on the runtime: ``store``, ``ops``; then ``auth``
   (it keeps token ids in the store).
5. ``api``, then ``pages`` (they share the JSON error notes), then ``smart`` (its pages).
6. ``app``, ``cli``, ``gunicorn_conf``, ``gunicorn_worker``; then ``wsgi`` (it imports
   ``app``).

- :mod:`~cds_service.hooks`: the hook logic without Flask (request model, services, prefetch,
  the pipeline that is the one seam to the clinical packages, order review, events).
- :mod:`~cds_service.fhir`: the outbound FHIR client, its session and server policy.
- :mod:`~cds_service.auth`: caller authentication (JWT, JWKS).
- :mod:`~cds_service.api`: the HTTP routes, request body, JSON errors, OpenAPI.
- :mod:`~cds_service.pages`: the pages for clinicians (routes, forms, templates, static).
- :mod:`~cds_service.ops`: metrics and logging.
- :mod:`~cds_service.store`: the feedback store (SQLAlchemy, Alembic migrations).
- :mod:`~cds_service.smart`: the bedside SMART on FHIR app launched from the card.

At the package root: :mod:`~cds_service.app` (``create_app``), :mod:`~cds_service.settings`,
:mod:`~cds_service.runtime` (what the factory builds once), :mod:`~cds_service.errors` (the
domain errors), :mod:`~cds_service.cli` and :mod:`~cds_service.explain` (the ``gluteal-cds``
command), :mod:`~cds_service.startup_checks` (what a production start refuses),
:mod:`~cds_service.wsgi`, :mod:`~cds_service.gunicorn_conf`,
:mod:`~cds_service.gunicorn_worker` and :mod:`~cds_service.supervisor` (serving).
"""
