"""Operations: what a person running the service watches.

- :mod:`~cds_service.ops.metrics`: Prometheus metrics at ``/metrics``, across gunicorn workers.
- :mod:`~cds_service.ops.request_log`: one log line per request, and its request id.
- :mod:`~cds_service.ops.json_logging`: log records as JSON lines or readable text.
- :mod:`~cds_service.ops.observability`: wires the above into an app's extension points.
"""
