"""The tests, in the layout of the code they test.

``fhir_mappings/``, ``differential/``, ``cards/``: the clinical packages. ``hooks/``,
``fhir/``, ``auth/``, ``api/``, ``pages/``, ``ops/``, ``store/``: the rooms of
``cds_service``; ``test_cli.py`` and ``test_settings.py``: its top. ``hardening/``: fuzzing,
limits and log hygiene across all of them. ``support/``: what they share.
"""
