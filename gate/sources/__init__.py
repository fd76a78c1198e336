"""What the checks read, grouped by what it is written in: each language has a ``parse`` module
(the parser layer: a file to a tree, cached by the workspace) and the analyses built on it.

- ``yaml/``: the YAML loader (``parse``), service.yaml (``manifest``), who consumes whom
  (``consumers``), JSON read exactly as YAML would (``jsondoc``);
- ``markdown/``: markdown-it-py (``parse``), sections, front matter, links, changesets;
- ``sql/``: pglast (``parse``), the migrations replay, the lock model (``pglocks``), SQL nested
  in SQL (``nested``), the read-only live database (``livedb``);
- ``openapi/``: the OpenAPI document (``document``) and its validity fast path (``fast``);
- ``ts/``: tree-sitter (``parse``), one file's facts (``files``), one import resolver
  (``imports``), the per-service analysis (``code``), embedded SQL, the route table
  (``routes/``), infra.ts (``infra``), helper provenance, SDK packages and their consumers.

Sources never import the checks or what a check is given (``gate.context``): a function that
takes a ``Ctx`` is check glue and lives in ``gate/checks/_<topic>.py``.
"""
