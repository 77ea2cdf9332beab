"""The hook logic, without Flask: what a CDS Hooks call asks and what the service answers.

- :mod:`~cds_service.hooks.services`: the CDS services offered, one declaration each.
- :mod:`~cds_service.hooks.prefetch_templates`: the contract's prefetch templates.
- :mod:`~cds_service.hooks.request`: the hook request, parsed and validated.
- :mod:`~cds_service.hooks.prefetch`: the patient's data, from prefetch or the FHIR server.
- :mod:`~cds_service.hooks.pipeline`: the one seam to the clinical packages.
- :mod:`~cds_service.hooks.order_review`: order-select / order-sign, the orders rated.
- :mod:`~cds_service.hooks.events`: what happened in a call, for its listeners.
"""
