"""Lines of keys in a Markdown page's YAML front matter (the block between the first two
``---`` lines), so that findings point at the key to change."""

from __future__ import annotations

from gate.sources.markdown.parse import MarkdownDoc
from gate.sources.yaml.parse import Key, YamlDoc


def key_line(doc: MarkdownDoc, *keys: Key) -> int:
    """1-based line in the page of ``keys`` in the front matter (for a missing key, the line of
    its parent; for the front matter itself, the opening ``---``)."""
    lines = doc.text.splitlines()
    if not lines or lines[0].strip() != "---":
        return 1
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), len(lines))
    block = "\n".join(lines[1:end])
    fm = YamlDoc(doc.path, block, doc.front_matter)
    if not keys:
        return 1
    parent_missing = not fm.has(keys[:1])
    if parent_missing:
        return 1
    return fm.line(keys) + 1
