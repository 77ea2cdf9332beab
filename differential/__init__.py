"""Knowledge base and reasoner: findings in, a ranked and explained differential out.

Pure Python: no HTTP, no FHIR.
"""
