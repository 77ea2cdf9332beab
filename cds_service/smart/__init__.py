"""The bedside SMART on FHIR app, launched from the differential card (issue 14).

It asks the questions that would change the differential most, shows the updated advice
and writes the answers back to the EHR as a QuestionnaireResponse that the next hook call
reads (contract sections 2, 3 and 5).
"""

from cds_service.smart.blueprint import init_smart, smart
from cds_service.smart.links import LAUNCH_PATH, smart_launch_url

__all__ = ["LAUNCH_PATH", "init_smart", "smart", "smart_launch_url"]
