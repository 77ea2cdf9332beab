"""The outbound FHIR client: reads the EHR's FHIR server when prefetch lacks the data.

- :mod:`~cds_service.fhir.client`: paged, budgeted searches and the server policy (SSRF).
- :mod:`~cds_service.fhir.guard`: the connection checks (resolved addresses, size, deadline).
- :mod:`~cds_service.fhir.session`: HTTP sessions that carry the request id and report calls.
"""
