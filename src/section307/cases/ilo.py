"""The ILO forced-labour indicators and the survey guidelines' three dimensions, as plain data.

Sources: ILO Indicators of Forced Labour (2012) for the 11 indicators; ILO "Hard to see, harder to
count" (2012) and the 20th ICLS guidelines (2018) for the dimensions and the two elements
(involuntariness and menace of penalty) that together make forced labour.
"""

from __future__ import annotations

from django.db import models


class Indicator(models.TextChoices):
    VULNERABILITY = "vulnerability", "Abuse of vulnerability"
    DECEPTION = "deception", "Deception"
    MOVEMENT = "movement", "Restriction of movement"
    ISOLATION = "isolation", "Isolation"
    VIOLENCE = "violence", "Physical and sexual violence"
    THREATS = "threats", "Intimidation and threats"
    DOCUMENTS = "documents", "Retention of identity documents"
    WAGES = "wages", "Withholding of wages"
    DEBT = "debt", "Debt bondage"
    CONDITIONS = "conditions", "Abusive working and living conditions"
    OVERTIME = "overtime", "Excessive overtime"


class Dimension(models.TextChoices):
    RECRUITMENT = "recruitment", "Unfree recruitment"
    DURESS = "duress", "Work and life under duress"
    LEAVING = "leaving", "Impossibility of leaving"


class Element(models.TextChoices):
    INVOLUNTARINESS = "involuntariness", "Involuntariness"
    PENALTY = "penalty", "Menace of penalty"


class Strength(models.TextChoices):
    WEAK = "weak", "Weak"
    MODERATE = "moderate", "Moderate"
    STRONG = "strong", "Strong"


class Reliability(models.TextChoices):
    """Source reliability on the familiar A-F scale used for intelligence and investigative sources."""

    A = "A", "A - Completely reliable"
    B = "B", "B - Usually reliable"
    C = "C", "C - Fairly reliable"
    D = "D", "D - Not usually reliable"
    E = "E", "E - Unreliable"
    F = "F", "F - Reliability cannot be judged"


STRENGTH_WEIGHT = {Strength.WEAK: 1, Strength.MODERATE: 2, Strength.STRONG: 3}
# Sources rated D-F never substantiate an indicator on their own; they can only corroborate.
RELIABLE = {Reliability.A, Reliability.B, Reliability.C}

# Where each indicator usually shows, and which element it usually evidences; an analyst may
# record a finding under another dimension or element when the facts say so.
DEFAULTS: dict[str, tuple[str, str]] = {
    Indicator.VULNERABILITY: (Dimension.RECRUITMENT, Element.PENALTY),
    Indicator.DECEPTION: (Dimension.RECRUITMENT, Element.INVOLUNTARINESS),
    Indicator.MOVEMENT: (Dimension.LEAVING, Element.PENALTY),
    Indicator.ISOLATION: (Dimension.DURESS, Element.PENALTY),
    Indicator.VIOLENCE: (Dimension.DURESS, Element.PENALTY),
    Indicator.THREATS: (Dimension.DURESS, Element.PENALTY),
    Indicator.DOCUMENTS: (Dimension.LEAVING, Element.PENALTY),
    Indicator.WAGES: (Dimension.LEAVING, Element.PENALTY),
    Indicator.DEBT: (Dimension.RECRUITMENT, Element.INVOLUNTARINESS),
    Indicator.CONDITIONS: (Dimension.DURESS, Element.INVOLUNTARINESS),
    Indicator.OVERTIME: (Dimension.DURESS, Element.INVOLUNTARINESS),
}
