"""Who may see and do what in the insights.

- The what-if simulator and weight advice are scheme design: HR staff, over the cycles and
  people in their scope; accepting a proposal as a new scheme version asks the schemes
  app's own rule for saving a scheme.
- Attrition risk is HR's and the executive viewer's only: never the person's manager, never
  the person, whatever other role they also hold. HR reads the people in their scope.
- Sentiment figures are context on an appraisal: whoever may read the appraisal reads them.

Nothing else in the insights app tests roles; views, the API and tasks ask these answers.
"""

from __future__ import annotations

from kaohe.org.policy import Access


def can_simulate(access: Access) -> bool:
    """May run the what-if simulator and read weight advice."""
    return access.is_hr


def can_see_attrition_risk(access: Access) -> bool:
    """HR and the executive viewer; a manager or employee role adds nothing here."""
    return access.is_hr or access.is_executive
