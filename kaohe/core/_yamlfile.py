"""Reading YAML while remembering the file and line of every key and list item.

Scheme errors must name the file and line; PyYAML keeps positions only on its nodes, so a
loader records them beside the plain Python objects it builds. ``extends`` merges several
files into one tree, so each key keeps its own file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ._errors import SchemeFileError
from ._text import Text

Position = tuple[str, int]  # (file, line)


class Positions:
    """Where each key of each mapping, and each item of each list, was written."""

    def __init__(self) -> None:
        self._keys: dict[int, dict[object, Position]] = {}
        self._items: dict[int, list[Position]] = {}
        self._alive: list[object] = []  # keeps ids stable while positions are in use

    def record_keys(self, mapping: dict[Any, Any], positions: dict[object, Position]) -> None:
        self._alive.append(mapping)
        self._keys[id(mapping)] = positions

    def record_items(self, items: list[Any], positions: list[Position]) -> None:
        self._alive.append(items)
        self._items[id(items)] = positions

    def of_key(self, mapping: object, key: object) -> Position | None:
        return self._keys.get(id(mapping), {}).get(key)

    def of_item(self, items: object, index: int) -> Position | None:
        found = self._items.get(id(items))
        return found[index] if found is not None and index < len(found) else None

    def merged(self, base: dict[Any, Any], override: dict[Any, Any]) -> dict[Any, Any]:
        """``{**base, **override}``, keeping where each key came from."""
        result = {**base, **override}
        where = {**self._keys.get(id(base), {}), **self._keys.get(id(override), {})}
        self.record_keys(result, where)
        return result

    def listed(self, entries: list[tuple[object, Position | None]]) -> list[Any]:
        """A new list of items, each keeping where it came from."""
        items = [item for item, _ in entries]
        self.record_items(items, [where or ("", 0) for _, where in entries])
        return items


def load_yaml(path: Path, positions: Positions, name: str) -> object:
    """Parse a YAML file; syntax errors become SchemeFileError with the line.

    ``name`` is how messages show the file (built-in templates have a short name).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemeFileError(Text("找不到该文件", "no such file"), file=name) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SchemeFileError(_unreadable(error), file=name) from None
    return parse_yaml(text, positions, name)


def _unreadable(error: OSError | UnicodeDecodeError) -> Text:
    english = f"cannot read the file ({error})"
    if isinstance(error, UnicodeDecodeError):
        return Text("无法读取该文件：文件须以 UTF-8 编码保存", english)
    if isinstance(error, IsADirectoryError):
        return Text("这是一个文件夹，不是方案文件", english)
    if isinstance(error, PermissionError):
        return Text("无法读取该文件：没有读取权限", english)
    return Text("无法读取该文件", english)


def parse_yaml(text: str, positions: Positions, name: str) -> object:
    """Parse YAML text, as ``load_yaml`` does a file."""
    try:
        loader = _PositionLoader(text, name, positions)  # refuses control characters at once
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise SchemeFileError(_malformed(error.problem), file=name, line=line) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        problem = Text(
            f"YAML 格式有误：文件中有不可见的控制字符（U+{error.character:04X}），请删除",
            f"malformed YAML: special characters are not allowed (U+{error.character:04X})",
        )
        raise SchemeFileError(problem, file=name, line=line) from None
    except yaml.YAMLError as error:
        raise SchemeFileError(_malformed(str(error)), file=name) from None


# What PyYAML says, by how it starts, in words for the person editing the file.
_PROBLEMS_ZH = {
    "found character '\\t'": "缩进只能用空格，不能用制表符",
    "found character": "此处的字符不能作为值的开头，请给这个值加上引号",
    "could not find expected ':'": "缺少冒号「:」",
    "invalid indentation or unclosed": "缩进有误，或「[」「{」没有闭合",
    "sequence entries are not allowed here": "此处不能开始列表项「-」，请检查缩进",
    "mapping keys are not allowed here": "此处不能写字段名，请检查缩进",
    "mapping values are not allowed here": (
        "此处不能出现「: 」：请检查缩进，含冒号的文字请加上引号"
    ),
    "expected alphabetic or numeric character": "「&」或「*」之后应紧跟字母或数字",
    "expected a comment or a line break": "此处之后只能是注释或换行",
    "found unknown escape character": "双引号内有无法识别的转义字符「\\」",
    "found unexpected end of stream": "文件意外结束：引号可能没有闭合",
    "found unexpected document separator": "引号内出现了「---」：引号可能没有闭合",
    "expected ',' or ']'": "缺少「,」或「]」：方括号可能没有闭合",
    "expected ',' or '}'": "缺少「,」或「}」：花括号可能没有闭合",
    "expected <block end>": "缩进不一致，请检查本行及上一行的缩进",
    "expected '<document start>'": "缩进与上文不一致，请检查本行的缩进",
    "expected the node content": "此处缺少内容：括号或引号可能没有闭合",
    "found undefined alias": "引用了没有定义的锚点「*」",
    "found duplicate anchor": "同一个锚点「&」定义了两次",
    "could not determine a constructor": "无法识别以「!」开头的标签",
    "expected a single document": "一个文件只能写一个方案，请删除多余的「---」",
    "but found another document": "一个文件只能写一个方案，请删除多余的「---」",
    "found unhashable key": "字段名不能是列表或一组字段",
}


def _malformed(problem: str | None) -> Text:
    """PyYAML's problem in English as it says it; in Chinese, for the problems people make
    by hand, what it means."""
    english = " ".join((problem or "").split())  # one line
    detail = next((zh for start, zh in _PROBLEMS_ZH.items() if english.startswith(start)), None)
    return Text(
        "YAML 格式有误" if detail is None else f"YAML 格式有误：{detail}",
        f"malformed YAML: {english}" if english else "malformed YAML",
    )


class _PositionLoader(yaml.SafeLoader):
    def __init__(self, text: str, name: str, positions: Positions) -> None:
        super().__init__(text)
        self.file_name = name
        self.positions = positions


def _construct_mapping(loader: _PositionLoader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    data: dict[Any, Any] = {}
    yield data
    data.update(loader.construct_mapping(node, deep=True))
    where = {
        loader.construct_object(key, deep=True): (loader.file_name, key.start_mark.line + 1)
        for key, _ in node.value
    }
    loader.positions.record_keys(data, where)


def _construct_sequence(loader: _PositionLoader, node: yaml.SequenceNode) -> Iterator[list[Any]]:
    data: list[Any] = []
    yield data
    data.extend(loader.construct_sequence(node, deep=True))
    loader.positions.record_items(
        data, [(loader.file_name, item.start_mark.line + 1) for item in node.value]
    )


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
