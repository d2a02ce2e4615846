# -*- coding: utf-8 -*-
"""
The master_tops module (scale mode) against hand-built stores. Salt's loader, renderers and
matchers are replaced by small stand-ins here (top files are written as JSON, which YAML reads
the same); that real Salt computes the same top data in both modes is proven on the real-Salt
harness (tests/Spiro.RealSalt.Tests).
"""

import fnmatch
import json
import os
import shutil
import tempfile
import types
import unittest

from tests import support

try:
    import jinja2
    import jinja2.sandbox
except ImportError:  # Salt's dependency; every machine that runs Salt (CI included) has it
    jinja2 = None


def _top(saltenv, section):
    return json.dumps({saltenv: section}).encode()


class _FakeMatchers(object):
    """compound: a glob on the id or 'G@key:value'; grain: 'key:value'. Records what it was asked."""

    def __init__(self):
        self.calls = []

    def __getitem__(self, name):
        def match(target, opts=None):
            self.calls.append((name, target, opts["id"]))
            if name in ("compound_match.match", "glob_match.match"):
                if target.startswith("G@"):
                    key, value = target[2:].split(":", 1)
                    return opts["grains"].get(key) == value
                if target.startswith("L@"):
                    return opts["id"] in target[2:].split(",")
                return fnmatch.fnmatch(opts["id"], target)
            if name == "grain_match.match":
                key, value = target.split(":", 1)
                return opts["grains"].get(key) == value
            if name == "list_match.match":
                return opts["id"] in target.split(",")
            raise KeyError(name)
        if name not in ("compound_match.match", "glob_match.match", "grain_match.match", "list_match.match"):
            raise KeyError(name)
        return match


class _FakeSalt(object):
    """
    What the module uses of salt: loader.render/matchers, template.compile_template, utils. Its
    "yaml" reads JSON; Jinja is the real jinja2 (Salt's own dependency) without Salt's extras.
    """

    def __init__(self):
        self.matchers = _FakeMatchers()
        self.renders = []
        self.environments = []
        fake = self

        def compile_template(path, renderers, default, blacklist, whitelist, saltenv="base", **kwargs):
            fake.renders.append((path, default, saltenv))
            with open(path, "rb") as handle:
                return json.loads(handle.read().decode("utf-8"))

        def yaml(data, saltenv="base", **kwargs):
            fake.renders.append(("<jinja output>", "yaml", saltenv))
            return json.loads(data.read())

        def traverse(data, key, default=None, delimiter=":"):
            for part in key.split(delimiter):
                if not isinstance(data, dict) or part not in data:
                    return default
                data = data[part]
            return data

        class Sandboxed(jinja2.sandbox.SandboxedEnvironment):
            def __init__(self, **kwargs):
                fake.environments.append(kwargs)
                super(Sandboxed, self).__init__(**kwargs)

        fake_jinja2 = types.SimpleNamespace(
            FileSystemLoader=jinja2.FileSystemLoader, StrictUndefined=jinja2.StrictUndefined,
            defaults=jinja2.defaults, sandbox=types.SimpleNamespace(SandboxedEnvironment=Sandboxed))

        def unsafe(path):
            raise AssertionError("an unsafe filter ran")

        unsafe.__module__ = "salt.utils.files"
        registries = types.SimpleNamespace(
            JinjaTest=types.SimpleNamespace(salt_jinja_tests={}),
            JinjaFilter=types.SimpleNamespace(salt_jinja_filters={"list_files": unsafe, "file_hashsum": len, "shout": str.upper}),
            JinjaGlobal=types.SimpleNamespace(salt_jinja_globals={}))
        self.loader = types.SimpleNamespace(
            render=lambda opts, functions: {"yaml": yaml},
            matchers=lambda opts: fake.matchers)
        self.template = types.SimpleNamespace(compile_template=compile_template)
        self.utils = types.SimpleNamespace(
            data=types.SimpleNamespace(traverse_dict_and_list=traverse, is_list=lambda v: isinstance(v, list)),
            decorators=types.SimpleNamespace(jinja=registries),
            jinja=types.SimpleNamespace(SerializerExtension="jinja2.ext.debug"),
            templates=types.SimpleNamespace(jinja2=fake_jinja2),
            minions=types.SimpleNamespace(
                nodegroup_comp=lambda name, groups: groups[name],
                parse_target=lambda word: {"engine": word[0] if word[1:2] == "@" else None}))


@unittest.skipIf(jinja2 is None, "needs jinja2, which every Salt install has")
class TopsTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spiro-tops-")
        self.addCleanup(self._cleanup)
        self.cachedir = os.path.join(self.tmp, "cache")
        self.data = os.path.join(self.cachedir, "spirofs")
        os.makedirs(self.data)
        self.store = support.HandStore(self.data)
        self.opts = {"cachedir": self.cachedir, "master_tops": {"spiro": {}}, "nodegroups": {"webs": "L@m1,m2"}}
        self.tops = support.load_module("tops", self.opts)
        self.salt = _FakeSalt()
        self.tops.salt = self.salt
        self.tops._HAS_SALT = True

    def _cleanup(self):
        for root, dirs, _ in os.walk(self.tmp):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _ask(self, minion="m1", grains=None, **minion_opts):
        opts = {"id": minion, "grains": grains or {}, "pillar": {}}
        opts.update(minion_opts)
        return dict(self.tops.top(opts=opts, grains=opts["grains"]))

    def test_virtual_needs_salt(self):
        self.assertEqual(self.tops.__virtual__(), "spiro")
        self.tops._HAS_SALT = False
        self.assertFalse(self.tops.__virtual__()[0])

    def test_each_saltenv_contributes_its_own_section_for_matching_targets(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"], "m2": ["db"]}), "web.sls": b""})
        self.store.publish("bar/prod", {"top.sls": _top("bar/prod", {"m*": ["base.users", "web"]})})
        self.store.publish("baz/dev", {"top.sls": _top("baz/dev", {"nomatch": ["x"]})})

        self.assertEqual(self._ask("m1"), {"bar/prod": ["base.users", "web"], "foo/dev": ["web"]})
        self.assertEqual(self._ask("m2"), {"bar/prod": ["base.users", "web"], "foo/dev": ["db"]})

    def test_sections_of_other_saltenvs_in_a_top_file_are_ignored_as_salt_merge_does(self):
        self.store.publish("foo/dev", {"top.sls": json.dumps(
            {"foo/dev": {"m1": ["web"]}, "base": {"*": ["evil"]}, "bar/prod": {"*": ["evil"]}}).encode()})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["web"]})

    def test_match_option_picks_the_matcher_and_is_not_a_state(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {
            "role:web": [{"match": "grain"}, "web"],
            "m1,m3": ["listed", {"match": "list"}],
            "webs": [{"match": "nodegroup"}, "grouped"]})})

        self.assertEqual(self._ask("m1", grains={"role": "web"}), {"foo/dev": ["web", "listed", "grouped"]})
        self.assertEqual(self._ask("m2", grains={"role": "db"}), {"foo/dev": ["grouped"]})
        asked = [(name, target) for name, target, _ in self.salt.matchers.calls]
        self.assertIn(("grain_match.match", "role:web"), asked)
        self.assertIn(("list_match.match", "m1,m3"), asked)
        # A nodegroup is expanded with the master's nodegroups and compound-matched as the minion.
        self.assertIn(("compound_match.match", "L@m1,m2"), asked)

    def test_matchers_get_the_minions_identity_not_the_masters(self):
        self.opts["id"] = "the-master"
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"G@role:web": ["web"], "m1 or m2": ["x"]})})

        self.assertEqual(self._ask("m1", grains={"role": "web"}), {"foo/dev": ["web"]})

        self.assertEqual({minion for _, _, minion in self.salt.matchers.calls}, {"m1"})

    def test_a_single_glob_is_matched_on_the_id_without_the_loader(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m[12]": ["a"], "web*": ["b"], "*": ["c"]})})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["a", "c"]})
        self.assertEqual(self.salt.matchers.calls, [])

    def test_an_unknown_matcher_matches_nothing_and_breaks_no_other_saltenv(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": [{"match": "nosuch"}, "web"]})})
        self.store.publish("bar/dev", {"top.sls": _top("bar/dev", {"m1": ["ok"]})})

        self.assertEqual(self._ask("m1"), {"bar/dev": ["ok"]})

    def test_a_matching_target_with_no_states_still_names_the_saltenv(self):
        # Salt's top_matches adds the saltenv as soon as a target matches.
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": [{"match": "glob"}]})})

        self.assertEqual(self._ask("m1"), {"foo/dev": []})

    def test_duplicates_are_kept_as_salt_appends_them(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"], "m*": ["web", "db"]})})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["web", "web", "db"]})

    def test_a_saltenv_given_on_the_run_gets_no_master_tops(self):
        # The minion reads that saltenv's top file itself; adding the rest would run other saltenvs.
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"]})})

        self.assertEqual(self._ask("m1", saltenv="foo/dev"), {})
        self.assertEqual(self._ask("m1", saltenv="bar/dev"), {})

    def test_state_top_saltenv_limits_top_files_to_one_saltenv_so_none_come_from_here(self):
        self.opts["state_top_saltenv"] = "base"
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"]})})

        self.assertEqual(self._ask("m1"), {})

    def test_env_order_keeps_only_the_listed_saltenvs_in_that_order(self):
        self.store.publish("a/dev", {"top.sls": _top("a/dev", {"m1": ["a"]})})
        self.store.publish("b/dev", {"top.sls": _top("b/dev", {"m1": ["b"]})})
        self.store.publish("c/dev", {"top.sls": _top("c/dev", {"m1": ["c"]})})
        self.opts["env_order"] = ["base", "c/dev", "a/dev"]

        self.assertEqual(list(self.tops.top(opts={"id": "m1", "grains": {}}, grains={}).items()),
                         [("c/dev", ["c"]), ("a/dev", ["a"])])

    def test_saltenvs_come_sorted_as_envs_lists_them(self):
        for name in ("zz/dev", "aa/dev", "mm/dev"):
            self.store.publish(name, {"top.sls": _top(name, {"m1": ["s"]})})

        self.assertEqual(list(self.tops.top(opts={"id": "m1", "grains": {}}, grains={})), ["aa/dev", "mm/dev", "zz/dev"])

    def test_a_release_without_top_file_is_in_no_top_data(self):
        self.store.publish("foo/dev", {"web.sls": b""})

        self.assertEqual(self._ask("m1"), {})

    def test_rollback_and_republish_change_the_answer_at_once(self):
        first = self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["v1"]})})
        self.assertEqual(self._ask("m1"), {"foo/dev": ["v1"]})
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["v2"]})})
        self.assertEqual(self._ask("m1"), {"foo/dev": ["v2"]})

        self.store.point("foo/dev", first)

        self.assertEqual(self._ask("m1"), {"foo/dev": ["v1"]})

    def test_a_static_top_is_rendered_once_per_release_with_yaml_only(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"]})})

        for minion in ("m1", "m2", "m1"):
            self._ask(minion)

        self.assertEqual(len(self.salt.renders), 1)
        self.assertEqual(self.salt.renders[0][1], "yaml")

    def test_other_workers_read_the_compiled_top_from_the_cache_instead_of_rendering(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"], "m2": [{"match": "glob"}, "db"]})})
        self.assertEqual(self._ask("m1"), {"foo/dev": ["web"]})
        other = support.load_module("tops", self.opts)
        other.salt = self.salt
        renders = len(self.salt.renders)

        self.assertEqual(dict(other.top(opts={"id": "m2", "grains": {}}, grains={})), {"foo/dev": ["db"]})

        self.assertEqual(len(self.salt.renders), renders)
        self.assertTrue(os.listdir(os.path.join(self.cachedir, "spiro", "tops")))

    def test_a_cache_entry_for_another_state_top_or_store_is_not_used(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web"]}),
                                       "other.sls": _top("foo/dev", {"m1": ["other"]})})
        self._ask("m1")
        self.opts["state_top"] = "salt://other.sls"
        other = support.load_module("tops", self.opts)
        other.salt = self.salt

        self.assertEqual(dict(other.top(opts={"id": "m1", "grains": {}}, grains={})), {"foo/dev": ["other"]})

    def test_a_jinja_top_is_rendered_per_minion_with_its_grains_and_includes_from_the_release(self):
        self.store.publish("foo/dev", {
            "top.sls": b'{"foo/dev": {"m*": ["role-{{ grains.role }}", {% include "more.json" %}]}}',
            "more.json": b'"{{ salt[\'pillar.get\'](\'tier\') }}-{{ salt.grains.get(\'role\') }}"'})

        self.assertEqual(self._ask("m1", grains={"role": "web"}, pillar={"tier": "gold"}), {"foo/dev": ["role-web", "gold-web"]})
        self.assertEqual(self._ask("m2", grains={"role": "db"}, pillar={"tier": "silver"}), {"foo/dev": ["role-db", "silver-db"]})

    def test_a_jinja_top_cannot_include_master_files_or_use_filters_that_reach_out(self):
        for name, template in (
                ("abs", b'{"x/abs": {"m1": ["{% include "/etc/hostname" %}"]}}'),
                ("dotdot", b'{"x/dotdot": {"m1": ["{% include "../../../../etc/hostname" %}"]}}'),
                ("files", b'{"x/files": {"m1": ["{{ "/" | list_files }}"]}}'),
                ("hash", b'{"x/hash": {"m1": ["{{ "/etc/hostname" | file_hashsum }}"]}}')):
            self.store.publish("x/" + name, {"top.sls": template})
        self.store.publish("ok/dev", {"top.sls": b'{"ok/dev": {"m1": ["{{ "fine" | shout }}"]}}'})

        self.assertEqual(self._ask("m1"), {"ok/dev": ["FINE"]})

    def test_jinja_gets_the_minions_opts_and_salts_jinja_env_settings(self):
        self.opts["jinja_env"] = {"trim_blocks": True, "nonsense": 1}
        self.store.publish("foo/dev", {"top.sls": b'{"foo/dev": {"{{ opts.id }}": ["{{ saltenv }}"]}}'})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["foo/dev"]})
        self.assertTrue(self.salt.environments[-1]["trim_blocks"])
        self.assertNotIn("nonsense", self.salt.environments[-1])

    def test_a_top_asking_for_another_renderer_is_skipped(self):
        self.store.publish("foo/dev", {"top.sls": b"#!py\ndef run():\n    return {}\n"})
        self.store.publish("bar/dev", {"top.sls": _top("bar/dev", {"m1": ["ok"]})})

        self.assertEqual(self._ask("m1"), {"bar/dev": ["ok"]})
        self.assertEqual([r for r in self.salt.renders if "foo" in r[2]], [])

    def test_a_top_file_over_four_mebibytes_is_skipped_unread(self):
        self.store.publish("foo/dev", {"top.sls": b" " * (4 * 1024 * 1024 + 1)})

        self.assertEqual(self._ask("m1"), {})
        self.assertEqual(self.salt.renders, [])

    def test_a_top_that_fails_to_render_skips_only_its_saltenv(self):
        self.store.publish("foo/dev", {"top.sls": b"{{ not json"})
        self.store.publish("bar/dev", {"top.sls": _top("bar/dev", {"m1": ["ok"]})})

        self.assertEqual(self._ask("m1"), {"bar/dev": ["ok"]})

    def test_state_globs_expand_against_the_releases_states(self):
        self.store.publish("foo/dev", {
            "top.sls": _top("foo/dev", {"m1": ["web.*", "nomatch.*", "plain"]}),
            "web/init.sls": b"", "web/a.sls": b"", "web/b/init.sls": b"", "db.sls": b""})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["web.a", "web.b", "nomatch.*", "plain"]})

    def test_a_state_of_another_known_saltenv_is_added_there(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"m1": ["web", {"bar/dev": "shared"}]})})
        self.store.publish("bar/dev", {"shared.sls": b""})

        self.assertEqual(self._ask("m1"), {"foo/dev": ["web"], "bar/dev": ["shared"]})

    def test_a_minion_without_id_gets_nothing(self):
        self.store.publish("foo/dev", {"top.sls": _top("foo/dev", {"*": ["web"]})})

        self.assertEqual(dict(self.tops.top(opts={}, grains={})), {})
        self.assertEqual(dict(self.tops.top()), {})

    def test_an_empty_store_gives_empty_top_data(self):
        shutil.rmtree(os.path.join(self.data, "envs"))

        self.assertEqual(self._ask("m1"), {})


class FileserverScaleModeTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spiro-tops-fs-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.data = os.path.join(self.tmp, "spirofs")
        self.store = support.HandStore(self.data)
        self.store.publish("foo/dev", {"top.sls": b"x", "web.sls": b"w"})

    def test_default_mode_lists_every_saltenv(self):
        fs = support.load_module("fileserver", {"spiro_data": self.data})

        self.assertFalse(fs.scale_mode())
        self.assertEqual(fs.envs(), ["foo/dev", "__env__"])

    def test_scale_mode_lists_only_the_literal_env_and_still_serves_every_saltenv(self):
        fs = support.load_module("fileserver", {"spiro_data": self.data, "master_tops": {"spiro": {}}})

        self.assertTrue(fs.scale_mode())
        self.assertEqual(fs.envs(), ["__env__"])
        self.assertEqual(fs.file_list({"saltenv": "foo/dev"}), ["top.sls", "web.sls"])
        self.assertTrue(fs.find_file("web.sls", "foo/dev")["path"])
        self.assertEqual(fs.file_list({"saltenv": "__env__"}), [])

    def test_other_master_tops_do_not_switch_scale_mode_on(self):
        fs = support.load_module("fileserver", {"spiro_data": self.data, "master_tops": {"ext_nodes": "cmd"}})

        self.assertFalse(fs.scale_mode())
        self.assertEqual(fs.envs(), ["foo/dev", "__env__"])


if __name__ == "__main__":
    unittest.main()
