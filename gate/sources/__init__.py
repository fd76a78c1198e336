"""Parsers that turn repository files into parsed sources (each file parsed once per run)."""
