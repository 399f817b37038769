"""What a curriculum load collects on its way: problems (file, message) and pictures. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.curriculum import pictures as pics
from app.curriculum.definitions import Picture, Problem


@dataclass
class Collector:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)

    def add(self, path: Path, message: str) -> None:
        try:
            shown = str(path.relative_to(self.root))
        except ValueError:
            shown = str(path)
        self.problems.append(Problem(shown, message))

    def read_yaml(self, path: Path) -> Any:
        if not path.is_file():
            self.add(path, "file is missing")
            return None
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.add(path, "not valid UTF-8")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 1})" if mark else ""
            self.add(path, f"invalid YAML{where}: {getattr(exc, 'problem', exc)}")
        return None

    def picture(self, folder: Path, relative: str, alt: object, where: Path, label: str) -> Picture | None:
        if not isinstance(alt, str) or not alt.strip():
            self.add(where, f"{label}picture {relative} needs alt text")
            return None
        data, problem = pics.read_picture(folder, relative)
        if data is None:
            self.add(where, f"{label}{problem}")
            return None
        digest = pics.sha256(data)
        self.pictures[digest] = data
        return Picture(digest, alt.strip())
