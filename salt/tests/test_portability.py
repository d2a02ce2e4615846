# -*- coding: utf-8 -*-
"""The modules run inside whatever Python the salt-master has (3.8+), with no extra packages."""

import ast
import os
import sys
import unittest

from tests import support

MODULES = [os.path.join(support.SALT_DIR, kind, "spiro.py") for kind in ("fileserver", "runners", "engines", "tops")]


def _tree(path, **kwargs):
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read(), path, **kwargs)


class PortabilityTests(unittest.TestCase):

    def test_modules_parse_as_python_3_8(self):
        for path in MODULES:
            _tree(path, feature_version=(3, 8))

    def test_modules_import_only_the_standard_library_and_salt(self):
        stdlib = getattr(sys, "stdlib_module_names", None)
        if stdlib is None:
            self.skipTest("needs Python 3.10+ to know the standard library's names")
        for path in MODULES:
            for node in ast.walk(_tree(path)):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    self.assertTrue(top in stdlib or top == "salt", "{0} imports {1}".format(path, name))

    def test_salt_imports_are_optional(self):
        """Every `import salt...` sits in a try whose handler catches ImportError."""
        for path in MODULES:
            tree = _tree(path)
            guarded = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Try) and any(
                        isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers):
                    for inner in node.body:
                        guarded.add(id(inner))
            for node in ast.walk(tree):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    name = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                    if (name or "").split(".")[0] == "salt":
                        self.assertIn(id(node), guarded, "{0}: unguarded import of {1}".format(path, name))

    def test_modules_carry_no_annotations(self):
        """`list[str]` and friends fail at runtime before 3.9; the modules simply use none."""
        for path in MODULES:
            for node in ast.walk(_tree(path)):
                self.assertNotIsInstance(node, ast.AnnAssign, path)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.assertIsNone(node.returns, "{0}: {1}".format(path, node.name))
                    for arg in node.args.args + node.args.kwonlyargs:
                        self.assertIsNone(arg.annotation, "{0}: {1}".format(path, node.name))

    def test_fileserver_has_the_functions_salt_calls_and_no_symlink_list(self):
        fs = support.load_module("fileserver", {"cachedir": "/nonexistent"})
        for name in ("__virtual__", "envs", "find_file", "serve_file", "file_hash", "file_list",
                     "dir_list", "file_list_emptydirs", "update"):
            self.assertTrue(callable(getattr(fs, name, None)), name)
        self.assertEqual(fs.__virtualname__, "spiro")
        self.assertFalse(hasattr(fs, "symlink_list"))

    def test_every_module_is_named_spiro(self):
        for kind in ("runners", "engines"):
            module = support.load_module(kind, {})
            self.assertEqual(module.__virtual__(), "spiro")

    def test_fileserver_and_tops_read_target_confinement_the_same_way(self):
        """Salt loads fileserver and master_tops modules with no helper module to share (its tops
        loader injects no __utils__), so both carry the confinement reader: one text in two files."""
        copies = [_definitions(os.path.join(support.SALT_DIR, kind, "spiro.py"), _CONFINEMENT_READER)
                  for kind in ("fileserver", "tops")]
        self.assertEqual(sorted(copies[0]), sorted(_CONFINEMENT_READER))
        self.assertEqual(copies[0], copies[1])


_CONFINEMENT_READER = ("_CONFINEMENT_HEADER", "_MAX_PROJECT_FILE", "_allowed_targets", "_top_confined")


def _definitions(path, names):
    """The source of each top-level function or assignment named in names, by name."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    found = {}
    for node in ast.parse(text, path).body:
        if isinstance(node, ast.FunctionDef):
            name = node.name
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        else:
            continue
        if name in names:
            found[name] = ast.get_source_segment(text, node)
    return found


if __name__ == "__main__":
    unittest.main()
