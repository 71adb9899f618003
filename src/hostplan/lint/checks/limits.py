"""Limits the spec checks and the document checks share, and what a document check needs from its rule.
Kept apart from doc_numbers.py so loading the rules or checking a spec does not compile the document patterns."""

from __future__ import annotations

from decimal import Decimal

LAST_SAFE_DAY = 28  # every month has it, February included
PERCENT_MAX = Decimal(100)

# which words each check needs from params.document
DOCUMENT_PARAMS = {
    "dates": ("joiner", "open", "close", "subject"),
    "settlement_day": ("months", "not_after", "context"),
    "percent_range": ("rate", "not_rate", "comparator"),
    "deduction_cap": ("deduction", "cap", "cap_after", "breaks"),
}
