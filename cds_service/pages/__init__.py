"""The pages for clinicians: what the service is, its knowledge base, and a form to try it.

- :mod:`~cds_service.pages.home`, :mod:`~cds_service.pages.knowledge`,
  :mod:`~cds_service.pages.try_page`: the routes (``/``, ``/knowledge``, ``/try``).
- :mod:`~cds_service.pages.try_form`, :mod:`~cds_service.pages.try_result`,
  :mod:`~cds_service.pages.examples`, :mod:`~cds_service.pages.knowledge_review`: what they show.
- :mod:`~cds_service.pages.errors`, :mod:`~cds_service.pages.format`: HTML errors, numbers.
- ``templates/`` and ``static/``: Jinja templates and the stylesheet.
"""
