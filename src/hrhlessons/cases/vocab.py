"""Controlled vocabularies of the case record.

Each enum is one closed list from ``data/cases/SCHEMA.md``. Values are the lower-case snake-case
strings used in the YAML files; ``label`` gives the human wording shown in tables and pages.

Intervention tags follow the four groups of WHO's 2010 global policy recommendations
"Increasing access to health workers in remote and rural areas through improved retention"
(education, regulatory, financial, personal and professional support), plus community health
worker (CHW) and workforce-management tags.
"""

from __future__ import annotations

from enum import StrEnum


class _Vocab(StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Level(_Vocab):
    """How far the innovation reached."""

    PILOT = "pilot"
    SUBNATIONAL = "subnational"
    NATIONAL = "national"
    MULTINATIONAL = "multinational"


class Domain(_Vocab):
    """The main field of the innovation."""

    EDUCATION_TRAINING = "education_training"
    RETENTION_DEPLOYMENT = "retention_deployment"
    COMMUNITY_HEALTH_WORKERS = "community_health_workers"
    TASK_SHARING = "task_sharing"
    WORKFORCE_MANAGEMENT = "workforce_management"
    UNKNOWN = "unknown"             # no stated fact shows the field (SCHEMA.md "Coded fields")


#: The domains a record can be coded in when its facts show one: what the adaptation ranking
#: and the synthetic generator choose from (a domain ``unknown`` names no field to adapt).
KNOWN_DOMAINS = tuple(d for d in Domain if d is not Domain.UNKNOWN)


def known_domain(value: str) -> Domain:
    """The known domain ``value`` names (surrounding spaces ignored); ValueError for any other
    word, ``unknown`` included, as the adaptation ranking's CLI and web forms read them."""
    domain = Domain(value.strip())
    if domain is Domain.UNKNOWN:
        raise ValueError(value)
    return domain


class Status(_Vocab):
    """State of the innovation as of ``status_year``.

    ``not_implemented``: adopted or announced, never put into operation.
    """

    ACTIVE = "active"
    ENDED = "ended"
    NOT_IMPLEMENTED = "not_implemented"
    UNKNOWN = "unknown"


class Trajectory(_Vocab):
    """How the innovation's scale moved over its life."""

    EXPANDED = "expanded"
    STABLE = "stable"
    CONTRACTED = "contracted"
    REPLACED = "replaced"
    UNKNOWN = "unknown"


class Funding(_Vocab):
    """Who mainly paid for it."""

    GOVERNMENT = "government"
    DONOR = "donor"
    MIXED = "mixed"
    NGO = "ngo"
    PRIVATE = "private"
    UNKNOWN = "unknown"


class BuildingBlock(_Vocab):
    """WHO's six health-system building blocks (WHO, *Everybody's business*, 2007)."""

    SERVICE_DELIVERY = "service_delivery"
    HEALTH_WORKFORCE = "health_workforce"
    HEALTH_INFORMATION = "health_information"
    MEDICAL_PRODUCTS = "medical_products"
    FINANCING = "financing"
    LEADERSHIP_GOVERNANCE = "leadership_governance"


class Direction(_Vocab):
    """Direction of an outcome."""

    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSENED = "worsened"
    MIXED = "mixed"


class Evidence(_Vocab):
    """Study design behind an outcome, strongest first."""

    TRIAL = "trial"
    QUASI_EXPERIMENTAL = "quasi_experimental"
    OBSERVATIONAL = "observational"
    DESCRIPTIVE = "descriptive"


class Intervention(_Vocab):
    """Intervention tags, grouped as in WHO's 2010 rural-retention recommendations."""

    # education
    RURAL_ORIGIN_RECRUITMENT = "rural_origin_recruitment"
    RURAL_TRAINING_SITE = "rural_training_site"
    RURAL_CURRICULUM = "rural_curriculum"
    NEW_TRAINING_INSTITUTION = "new_training_institution"
    ACCELERATED_TRAINING = "accelerated_training"
    DISTANCE_ELEARNING = "distance_elearning"
    IN_SERVICE_TRAINING = "in_service_training"
    CONTINUING_PROFESSIONAL_DEVELOPMENT = "continuing_professional_development"
    FACULTY_DEVELOPMENT = "faculty_development"
    EDUCATION_PARTNERSHIP = "education_partnership"
    # regulatory
    NEW_CADRE = "new_cadre"
    ENHANCED_SCOPE_OF_PRACTICE = "enhanced_scope_of_practice"
    COMPULSORY_SERVICE = "compulsory_service"
    BONDED_SCHOLARSHIP = "bonded_scholarship"
    TASK_SHIFTING = "task_shifting"
    # financial
    RURAL_ALLOWANCE = "rural_allowance"
    SALARY_TOPUP = "salary_topup"
    PERFORMANCE_BASED_PAY = "performance_based_pay"
    HOUSING_BENEFIT = "housing_benefit"
    NON_FINANCIAL_INCENTIVE = "non_financial_incentive"
    # personal and professional support
    BETTER_LIVING_CONDITIONS = "better_living_conditions"
    CAREER_DEVELOPMENT = "career_development"
    PROFESSIONAL_NETWORK = "professional_network"
    PUBLIC_RECOGNITION = "public_recognition"
    SUPERVISION_SUPPORT = "supervision_support"
    # community health workers
    COMMUNITY_SELECTION = "community_selection"
    VOLUNTEER_CHW = "volunteer_chw"
    SALARIED_CHW = "salaried_chw"
    CHW_HEALTH_POST = "chw_health_post"
    # workforce management
    EMERGENCY_HIRING = "emergency_hiring"
    HR_INFORMATION_SYSTEM = "hr_information_system"
    DIASPORA_RETURN = "diaspora_return"
    MIGRATION_POLICY = "migration_policy"
    INTERNATIONAL_RECRUITMENT = "international_recruitment"

    @property
    def group(self) -> str:
        return INTERVENTION_GROUPS[self]


_GROUPS: dict[str, tuple[str, ...]] = {
    "education": (
        "rural_origin_recruitment", "rural_training_site", "rural_curriculum",
        "new_training_institution", "accelerated_training", "distance_elearning",
        "in_service_training", "continuing_professional_development", "faculty_development",
        "education_partnership",
    ),
    "regulatory": (
        "new_cadre", "enhanced_scope_of_practice", "compulsory_service", "bonded_scholarship",
        "task_shifting",
    ),
    "financial": (
        "rural_allowance", "salary_topup", "performance_based_pay", "housing_benefit",
        "non_financial_incentive",
    ),
    "support": (
        "better_living_conditions", "career_development", "professional_network",
        "public_recognition", "supervision_support",
    ),
    "community_health_workers": (
        "community_selection", "volunteer_chw", "salaried_chw", "chw_health_post",
    ),
    "workforce_management": (
        "emergency_hiring", "hr_information_system", "diaspora_return", "migration_policy",
        "international_recruitment",
    ),
}

INTERVENTION_GROUPS: dict[Intervention, str] = {
    Intervention(tag): group for group, tags in _GROUPS.items() for tag in tags
}


class Condition(_Vocab):
    """Crisp conditions recorded for each case: true, false or unknown (null)."""

    GOVERNMENT_OWNERSHIP = "government_ownership"
    DOMESTIC_FINANCING = "domestic_financing"
    DONOR_DEPENDENT = "donor_dependent"
    POLITICAL_CHAMPION = "political_champion"
    FORMAL_CADRE = "formal_cadre"
    COMMUNITY_EMBEDDED = "community_embedded"
    SUPPORTIVE_SUPERVISION = "supportive_supervision"
    ADEQUATE_REMUNERATION = "adequate_remuneration"
    INTEGRATED_WITH_HEALTH_SYSTEM = "integrated_with_health_system"
    MONITORING_EVALUATION = "monitoring_evaluation"
    REGULATORY_FRAMEWORK = "regulatory_framework"
    PILOTED_BEFORE_SCALE = "piloted_before_scale"


CONDITION_MEANINGS: dict[Condition, str] = {
    Condition.GOVERNMENT_OWNERSHIP: "run by the ministry or state, not a parallel project",
    Condition.DOMESTIC_FINANCING: "mainly paid from the national budget",
    Condition.DONOR_DEPENDENT: "would stop if external money stopped",
    Condition.POLITICAL_CHAMPION: "visible high-level political backing",
    Condition.FORMAL_CADRE: "recognised position, career path or civil-service post",
    Condition.COMMUNITY_EMBEDDED: "selected by or accountable to the community",
    Condition.SUPPORTIVE_SUPERVISION: "a functioning supervision system",
    Condition.ADEQUATE_REMUNERATION: "pay or incentives judged adequate by sources",
    Condition.INTEGRATED_WITH_HEALTH_SYSTEM: "linked to facilities, referral, supply, information",
    Condition.MONITORING_EVALUATION: "routine monitoring or evaluation existed",
    Condition.REGULATORY_FRAMEWORK: "backed by law, policy or regulation",
    Condition.PILOTED_BEFORE_SCALE: "a pilot or phased roll-out preceded national scale",
}

#: Fields whose provenance a record may state (indices into its sources).
PROVENANCE_FIELDS: tuple[str, ...] = ("start_year", "end_year", "status")
