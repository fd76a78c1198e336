"""The route analysis: how a service's Hono routers are built, mounted and guarded.

- :mod:`gate.sources.ts.routes.paths`: Hono's path merging and pattern coverage;
- :mod:`gate.sources.ts.routes.values` and :mod:`gate.sources.ts.routes.evaluate`: the module
  evaluator that follows routers through imports, re-exports, factories and helper functions,
  recording where a trail is lost;
- :mod:`gate.sources.ts.routes.table`: the route table (routes, middleware chains, apps) read from
  it, as Hono serves it (``prodgate routes``, :mod:`gate.modes.routes`, prints it).
"""
