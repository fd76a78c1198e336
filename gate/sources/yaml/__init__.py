"""YAML: the loader (``parse``) and what is read with it: service.yaml, contracts, JSON."""
