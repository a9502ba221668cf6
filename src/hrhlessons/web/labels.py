"""Words shown for the codes of the case record and the country tables, marked for translation.

The vocabularies (``cases.vocab``, ``countries.vocab``) hold codes and English labels; pages show
these labels through gettext, so a catalog can translate them. :func:`label` looks a code up in
every table; an unknown code falls back to the vocabulary's own wording.
"""

from __future__ import annotations

from hrhlessons.cases.vocab import CONDITION_MEANINGS, Condition
from hrhlessons.web.i18n import N_, gettext

LABELS: dict[str, dict[str, str]] = {
    "domain": {
        "education_training": N_("Education and training"),
        "retention_deployment": N_("Retention and deployment"),
        "community_health_workers": N_("Community health workers"),
        "task_sharing": N_("Task sharing"),
        "workforce_management": N_("Workforce management"),
        "unknown": N_("Domain unknown"),
    },
    "status": {
        "active": N_("Active"),
        "ended": N_("Ended"),
        "not_implemented": N_("Never implemented"),
        "unknown": N_("Status unknown"),
    },
    "level": {
        "pilot": N_("Pilot"),
        "subnational": N_("Subnational"),
        "national": N_("National"),
        "multinational": N_("Multinational"),
    },
    "trajectory": {
        "expanded": N_("Expanded"),
        "stable": N_("Stable"),
        "contracted": N_("Contracted"),
        "replaced": N_("Replaced"),
        "unknown": N_("Trajectory unknown"),
    },
    "funding": {
        "government": N_("Government"),
        "donor": N_("Donor"),
        "mixed": N_("Mixed"),
        "ngo": N_("NGO"),
        "private": N_("Private"),
        "unknown": N_("Funding unknown"),
    },
    "building_block": {
        "service_delivery": N_("Service delivery"),
        "health_workforce": N_("Health workforce"),
        "health_information": N_("Health information"),
        "medical_products": N_("Medical products"),
        "financing": N_("Financing"),
        "leadership_governance": N_("Leadership and governance"),
    },
    "direction": {
        "improved": N_("Improved"),
        "no_change": N_("No change"),
        "worsened": N_("Worsened"),
        "mixed": N_("Mixed"),
    },
    "answer": {
        "yes": N_("Yes"),
        "partly": N_("Partly"),
        "no": N_("No"),
        "unknown": N_("Unknown"),
    },
    "rating": {
        "high": N_("High confidence"),
        "moderate": N_("Moderate confidence"),
        "low": N_("Low confidence"),
        "very low": N_("Very low confidence"),
    },
    "evidence": {
        "trial": N_("Trial"),
        "quasi_experimental": N_("Quasi-experimental"),
        "observational": N_("Observational"),
        "descriptive": N_("Descriptive"),
    },
    "intervention": {
        "rural_origin_recruitment": N_("Rural-origin recruitment"),
        "rural_training_site": N_("Rural training site"),
        "rural_curriculum": N_("Rural curriculum"),
        "new_training_institution": N_("New training institution"),
        "accelerated_training": N_("Accelerated training"),
        "distance_elearning": N_("Distance and e-learning"),
        "in_service_training": N_("In-service training"),
        "continuing_professional_development": N_("Continuing professional development"),
        "faculty_development": N_("Faculty development"),
        "education_partnership": N_("Education partnership"),
        "new_cadre": N_("New cadre"),
        "enhanced_scope_of_practice": N_("Enhanced scope of practice"),
        "compulsory_service": N_("Compulsory service"),
        "bonded_scholarship": N_("Bonded scholarship"),
        "task_shifting": N_("Task shifting"),
        "rural_allowance": N_("Rural allowance"),
        "salary_topup": N_("Salary top-up"),
        "performance_based_pay": N_("Performance-based pay"),
        "housing_benefit": N_("Housing benefit"),
        "non_financial_incentive": N_("Non-financial incentive"),
        "better_living_conditions": N_("Better living conditions"),
        "career_development": N_("Career development"),
        "professional_network": N_("Professional network"),
        "public_recognition": N_("Public recognition"),
        "supervision_support": N_("Supervision and support"),
        "community_selection": N_("Community selection"),
        "volunteer_chw": N_("Volunteer CHWs"),
        "salaried_chw": N_("Salaried CHWs"),
        "chw_health_post": N_("CHW health post"),
        "emergency_hiring": N_("Emergency hiring"),
        "hr_information_system": N_("HR information system"),
        "diaspora_return": N_("Diaspora return"),
        "migration_policy": N_("Migration policy"),
        "international_recruitment": N_("International recruitment"),
    },
    "condition": {
        "government_ownership": N_("Government ownership"),
        "domestic_financing": N_("Domestic financing"),
        "donor_dependent": N_("Donor dependent"),
        "political_champion": N_("Political champion"),
        "formal_cadre": N_("Formal cadre"),
        "community_embedded": N_("Community embedded"),
        "supportive_supervision": N_("Supportive supervision"),
        "adequate_remuneration": N_("Adequate remuneration"),
        "integrated_with_health_system": N_("Integrated with the health system"),
        "monitoring_evaluation": N_("Monitoring and evaluation"),
        "regulatory_framework": N_("Regulatory framework"),
        "piloted_before_scale": N_("Piloted before scale-up"),
    },
    "region": {
        "AFR": N_("Africa"),
        "AMR": N_("Americas"),
        "SEAR": N_("South-East Asia"),
        "EUR": N_("Europe"),
        "EMR": N_("Eastern Mediterranean"),
        "WPR": N_("Western Pacific"),
    },
    "income": {
        "L": N_("Low income"),
        "LM": N_("Lower middle income"),
        "UM": N_("Upper middle income"),
        "H": N_("High income"),
    },
    "cadre": {
        "doctors": N_("Medical doctors"),
        "nurses_midwives": N_("Nurses and midwives"),
        "chw": N_("Community health workers"),
    },
}

#: What each recorded condition means (the vocabulary's wording, marked for translation).
CONDITION_TEXT: dict[str, str] = {
    "government_ownership": N_("run by the ministry or state, not a parallel project"),
    "domestic_financing": N_("mainly paid from the national budget"),
    "donor_dependent": N_("would stop if external money stopped"),
    "political_champion": N_("visible high-level political backing"),
    "formal_cadre": N_("recognised position, career path or civil-service post"),
    "community_embedded": N_("selected by or accountable to the community"),
    "supportive_supervision": N_("a functioning supervision system"),
    "adequate_remuneration": N_("pay or incentives judged adequate by sources"),
    "integrated_with_health_system": N_("linked to facilities, referral, supply, information"),
    "monitoring_evaluation": N_("routine monitoring or evaluation existed"),
    "regulatory_framework": N_("backed by law, policy or regulation"),
    "piloted_before_scale": N_("a pilot or phased roll-out preceded national scale"),
}

#: Facet names, as the search form labels them.
FACET_NAMES: dict[str, str] = {
    "domain": N_("Domain"),
    "intervention": N_("Intervention"),
    "country": N_("Country"),
    "region": N_("WHO region"),
    "income": N_("Income group"),
    "status": N_("Status"),
    "trajectory": N_("Trajectory"),
    "funding": N_("Funding"),
    "level": N_("Level"),
    "building_block": N_("Building block"),
}


def label(kind: str, code: str | None) -> str:
    """The translated wording of ``code`` in vocabulary ``kind``."""
    if code is None:
        return ""
    text = LABELS.get(kind, {}).get(str(code))
    if text is None:
        return str(code).replace("_", " ").capitalize()
    return gettext(text)


def condition_meaning(code: str) -> str:
    text = CONDITION_TEXT.get(code)
    return gettext(text) if text else CONDITION_MEANINGS[Condition(code)]


def options(kind: str) -> list[tuple[str, str]]:
    """``(code, translated label)`` of every value of a vocabulary, in its order."""
    return [(code, gettext(text)) for code, text in LABELS[kind].items()]
