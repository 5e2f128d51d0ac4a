"""`kehu scaffold NAME`: a pip-installable addon package that works as created."""

from __future__ import annotations

import re
import string
from pathlib import Path

from core.addons import NAME_PATTERN, AddonError
from core.i18n import _

TEMPLATES = Path(__file__).parent / "templates"

# template file → path inside the new package folder ($package is the import name)
_FILES = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "init.py.tmpl": "$package/__init__.py",
    "models.py.tmpl": "$package/models.py",
    "views.py.tmpl": "$package/views.py",
    "migration.py.tmpl": "$package/migrations/${name}_0001_initial.py",
    "po.tmpl": "$package/locale/zh_CN/LC_MESSAGES/$name.po",
    "test.py.tmpl": "tests/test_$name.py",
}


def _camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def scaffold_addon(name: str, dest: Path) -> Path:
    """Create `dest/kehu_<name>/` and return it; refuse to overwrite anything."""
    if not re.match(NAME_PATTERN, name):
        raise AddonError(
            _("'{name}' is not a valid addon name: use lower case letters, digits and _").format(
                name=name
            )
        )
    folder = dest / f"kehu_{name}"
    if folder.exists():
        raise AddonError(_("{folder} exists already").format(folder=folder))
    values = {
        "name": name,
        "package": f"kehu_{name}",
        "model": f"{_camel(name)}Record",
        "table": f"{name}_record",
    }
    for template, target in _FILES.items():
        text = string.Template((TEMPLATES / template).read_text(encoding="utf-8"))
        path = folder / string.Template(target).substitute(values)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.substitute(values), encoding="utf-8")
    return folder
