"""Every error a command raises is worded in both languages: ``CommandError`` takes a
``Text``, never a plain string, so that no English-only error can slip in."""

import ast
import textwrap
from pathlib import Path

CLI = Path(__file__).resolve().parents[2] / "kaohe" / "cli"


def plain_strings(tree):
    """Lines where ``CommandError(...)`` is given a string: a literal, an f-string, a
    formatted or joined string, or ``str(...)``."""

    def is_plain(node):
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str)
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.BinOp):  # "..." % x, "..." + x
            return is_plain(node.left) or is_plain(node.right)
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "str":
                return True
            return isinstance(func, ast.Attribute) and func.attr == "format"
        return False

    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        arguments = [*node.args, *(keyword.value for keyword in node.keywords)]
        if name == "CommandError" and any(is_plain(argument) for argument in arguments):
            found.append(node.lineno)
    return found


def test_every_command_error_is_given_a_text():
    offending = [
        f"{path.relative_to(CLI.parent.parent)}:{line}"
        for path in sorted(CLI.rglob("*.py"))
        for line in plain_strings(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offending == [], "give CommandError a Text(zh, en): " + ", ".join(offending)


def test_the_check_finds_plain_strings():
    source = textwrap.dedent("""
        raise CommandError("no such file")
        raise CommandError(f"{path}: no such file")
        raise _output.CommandError("cannot read %s" % path)
        raise CommandError(str(error))
        raise CommandError(message="{} is wrong".format(x))
        raise CommandError(Text(f"「{path}」：找不到该文件", f"{path}: no such file"))
        raise CommandError(error.text)
    """)
    assert plain_strings(ast.parse(source)) == [2, 3, 4, 5, 6]


def test_the_check_sees_the_command_errors():
    """The walk looks at the files that raise errors, so an empty result means something."""
    calls = [
        node
        for path in CLI.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "CommandError"
    ]
    assert len(calls) >= 20
