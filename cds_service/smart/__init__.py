"""The bedside SMART on FHIR app, launched from the differential card (issue 14).

It asks the questions that would change the differential most, shows the updated advice
and writes the answers back to the EHR as a QuestionnaireResponse that the next hook call
reads (contract sections 2, 3 and 5).

- :mod:`~cds_service.smart.links`: where the card links to;
- :mod:`~cds_service.smart.blueprint`: the pages, with ``init_smart`` for ``create_app``,
  which registers the card's launch link on the runtime (the runtime names no plug-in).
"""
