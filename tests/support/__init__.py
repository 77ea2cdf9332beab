"""What the tests share: paths, a fake clock, the app builder, request and resource builders.

- :mod:`tests.support.paths`: the repository and the ``../shared`` folder beside it.
- :mod:`tests.support.clock`: :class:`FakeClock`, the one clock the tests move by hand.
- :mod:`tests.support.app`: :class:`AppMaker`, the service as production builds it.
- :mod:`tests.support.hook_requests`: CDS Hooks calls and the FHIR resources in them.
- :mod:`tests.support.orders`: draft orders and order-hook calls.
- :mod:`tests.support.cds_rules`: the CDS Hooks card rules, checked on JSON.
- :mod:`tests.support.issuer`: signing keys and an issuer of CDS Hooks JWTs.
- :mod:`tests.support.reasoner`: asking the reasoner about a presentation.
- :mod:`tests.support.shown`: shown-card events as the store receives them.
- :mod:`tests.support.postgres`: a throwaway PostgreSQL server.
- :mod:`tests.support.ci`: skips that CI turns into failures.

Test modules and conftest files import from here, never from each other.
"""
