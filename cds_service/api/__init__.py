"""The HTTP API of the CDS services: routes, request bodies, errors as JSON, OpenAPI."""
