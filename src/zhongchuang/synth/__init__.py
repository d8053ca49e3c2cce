"""Synthetic makerspace populations: realistic facts that straddle the policy thresholds."""

from zhongchuang.synth.population import (
    MEAN_ACTIVITIES,
    MEAN_INCUBATEES,
    MEAN_MENTORS,
    MEAN_STAFF,
    REFERENCE_DATE,
    generate_facts,
    generate_space_data,
    generate_tables,
)

__all__ = [
    "MEAN_ACTIVITIES",
    "MEAN_INCUBATEES",
    "MEAN_MENTORS",
    "MEAN_STAFF",
    "REFERENCE_DATE",
    "generate_facts",
    "generate_space_data",
    "generate_tables",
]
