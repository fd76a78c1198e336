"""Markdown: markdown-it-py (``parse``), sections, front matter, links and changesets."""
