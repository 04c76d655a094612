"""What review's use cases need beyond the kernel's runtime; bootstrap() builds it."""

from __future__ import annotations

from dataclasses import dataclass

from services.review.adapters.rules import ReviewRules


@dataclass(frozen=True)
class ReviewDeps:
    rules: ReviewRules  # criteria catalogues, evaluation periods
    authorities: tuple  # Art. 10 tables by date (shared.authority.load_tables)
