"""GitHub: the pull request's evidence, the API client, and the check-run publisher."""
