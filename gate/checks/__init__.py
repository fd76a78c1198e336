"""One module per catalog item: ``gate/checks/<section>/<name>.py`` defines ``check(ctx)``."""
