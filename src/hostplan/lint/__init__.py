"""The contract linter: sources -> checks (rules are data) -> findings -> reports."""
