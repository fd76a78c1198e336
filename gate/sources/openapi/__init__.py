"""OpenAPI: the document (operations, references, examples, validity) and its fast paths."""
