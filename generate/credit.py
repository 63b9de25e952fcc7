"""Credit quality: the one mapping from a credit score to a yearly probability of default, shared by loan
outcomes and risk assessments so the two agree."""

from __future__ import annotations

import numpy as np

REFERENCE_SCORE = 680
# About 1% a year at 680, 6% at 580, 40% at 450.
LOG_ODDS_AT_REFERENCE = -4.5
LOG_ODDS_PER_POINT = -0.018


def default_probability(score: np.ndarray) -> np.ndarray:
    log_odds = LOG_ODDS_AT_REFERENCE + LOG_ODDS_PER_POINT * (np.asarray(score, dtype=float) - REFERENCE_SCORE)
    return 1 / (1 + np.exp(-log_odds))
