"""List loaders: parse official sanctions-list files into matching.model entities.

Pure parsing (no I/O beyond reading the given files). Public API:
- detect_format(path) -> format name, judged from content;
- load_path(path) -> list[LoadedList] for a file or a folder;
- load_spec(spec) -> list[LoadedList] for a built-in name, a file or a folder;
- BUILTIN_LISTS, load_builtin(name).
"""

from matching.lists.builtin import BUILTIN_LISTS, load_builtin
from matching.lists.detect import FORMATS, detect_format
from matching.lists.load import load_path, load_spec

__all__ = ["BUILTIN_LISTS", "FORMATS", "detect_format", "load_builtin", "load_path", "load_spec"]
