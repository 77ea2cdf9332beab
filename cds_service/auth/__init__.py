"""Caller authentication (contract section 6): who may call the CDS services.

- :mod:`~cds_service.auth.caller`: the JWT on every call, checked before the route runs.
- :mod:`~cds_service.auth.jwks`: trusted issuers' signing keys, fetched and cached.
"""
