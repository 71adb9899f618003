"""The contract spec: quantities, the pydantic model, the YAML loader with positions, categories."""
