"""The ILO forced-labour indicators and the survey guidelines' three dimensions, as plain data.

Sources: ILO Indicators of Forced Labour (2012) for the 11 indicators; ILO "Hard to see, harder to
count" (2012) and the 20th ICLS guidelines (2018) for the dimensions and the two elements
(involuntariness and menace of penalty) that together make forced labour.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Indicator(models.TextChoices):
    VULNERABILITY = "vulnerability", gettext_lazy("Abuse of vulnerability")
    DECEPTION = "deception", gettext_lazy("Deception")
    MOVEMENT = "movement", gettext_lazy("Restriction of movement")
    ISOLATION = "isolation", gettext_lazy("Isolation")
    VIOLENCE = "violence", gettext_lazy("Physical and sexual violence")
    THREATS = "threats", gettext_lazy("Intimidation and threats")
    DOCUMENTS = "documents", gettext_lazy("Retention of identity documents")
    WAGES = "wages", gettext_lazy("Withholding of wages")
    DEBT = "debt", gettext_lazy("Debt bondage")
    CONDITIONS = "conditions", gettext_lazy("Abusive working and living conditions")
    OVERTIME = "overtime", gettext_lazy("Excessive overtime")


class Dimension(models.TextChoices):
    RECRUITMENT = "recruitment", gettext_lazy("Unfree recruitment")
    DURESS = "duress", gettext_lazy("Work and life under duress")
    LEAVING = "leaving", gettext_lazy("Impossibility of leaving")


class Element(models.TextChoices):
    INVOLUNTARINESS = "involuntariness", gettext_lazy("Involuntariness")
    PENALTY = "penalty", gettext_lazy("Menace of penalty")


class Strength(models.TextChoices):
    WEAK = "weak", gettext_lazy("Weak")
    MODERATE = "moderate", gettext_lazy("Moderate")
    STRONG = "strong", gettext_lazy("Strong")


class Reliability(models.TextChoices):
    """Source reliability on the familiar A-F scale used for intelligence and investigative sources."""

    A = "A", gettext_lazy("A - Completely reliable")
    B = "B", gettext_lazy("B - Usually reliable")
    C = "C", gettext_lazy("C - Fairly reliable")
    D = "D", gettext_lazy("D - Not usually reliable")
    E = "E", gettext_lazy("E - Unreliable")
    F = "F", gettext_lazy("F - Reliability cannot be judged")


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
