# -*- coding: utf-8 -*-
"""The fileserver backend against stores built by hand (docs/storage.md) and by the real CLI."""

import gzip
import hashlib
import os
import random
import shutil
import stat
import tempfile
import unittest

from tests import support

BIG = 3 * 1024 * 1024 + 12345  # 3 MiB plus a partial last chunk


def _big_content():
    return random.Random(42).getrandbits(8 * BIG).to_bytes(BIG, "little")


FILES = {
    "top.sls": b"'foo/dev':\n  '*':\n    - web\n",
    "web/init.sls": b"nginx:\n  pkg.installed: []\n",
    "web/files/run.sh": (b"#!/bin/sh\necho hi\n", True),
    "web/empty": None,
    "webby/other.sls": b"x: 1\n",
    "zero.txt": b"",
}


class _FileserverContract(object):
    """Every case runs against a store; subclasses say how the store is built."""

    def make_store(self, data):
        raise NotImplementedError

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spiro-fs-")
        self.addCleanup(self._cleanup)
        self.cachedir = os.path.join(self.tmp, "cache")
        self.data = os.path.join(self.cachedir, "spirofs")
        os.makedirs(self.data)
        self.store = self.make_store(self.data)
        self.opts = {"cachedir": self.cachedir, "file_buffer_size": 262144, "hash_type": "sha256",
                     "__role": "master"}
        self.fs = support.load_module("fileserver", self.opts)
        self.release = self.store.publish("foo/dev", FILES)

    def _cleanup(self):
        for root, dirs, _ in os.walk(self.tmp):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_check_saltenv_serves_its_release_without_being_listed(self):
        check = "_spiro_check/" + self.release
        self.assertNotIn(check, self.fs.envs())
        self.assertIn("top.sls", self.fs.file_list({"saltenv": check}))
        self.assertEqual(self._download("top.sls", saltenv=check)[0], FILES["top.sls"])
        fnd = self.fs.find_file("top.sls", check)
        self.assertTrue(self.fs.file_hash({"saltenv": check, "path": "top.sls"}, fnd))

    def _plan(self, top_text=b"plan top\n"):
        directory = os.path.join(self.data, "plans", self.release)
        os.makedirs(directory)
        with open(os.path.join(directory, "top.sls"), "wb") as handle:
            handle.write(top_text)
        return "_spiro_plan/" + self.release

    def test_plan_saltenv_serves_the_plan_top_and_the_candidate_without_being_listed(self):
        plan = self._plan()
        self.assertNotIn(plan, self.fs.envs())
        self.assertEqual(self._download("top.sls", saltenv=plan)[0], b"plan top\n")
        self.assertEqual(self._download(".spiro-plan/release-top.sls", saltenv=plan)[0], FILES["top.sls"])
        self.assertEqual(self._download("web/init.sls", saltenv=plan)[0], FILES["web/init.sls"])
        self.assertIn("web/init.sls", self.fs.file_list({"saltenv": plan}))
        fnd = self.fs.find_file("top.sls", plan)
        self.assertEqual(self.fs.file_hash({"saltenv": plan, "path": "top.sls"}, fnd)["hsum"],
                         hashlib.sha256(b"plan top\n").hexdigest())
        # The live saltenv keeps serving the release's own top file.
        self.assertEqual(self._download("top.sls", saltenv="foo/dev")[0], FILES["top.sls"])
        self.assertEqual(self.fs.find_file(".spiro-plan/release-top.sls", "foo/dev")["path"], "")

    def test_plan_saltenv_without_its_plan_directory_is_empty(self):
        plan = "_spiro_plan/" + self.release
        self.assertEqual(self.fs.file_list({"saltenv": plan}), [])
        self.assertEqual(self.fs.find_file("web/init.sls", plan)["path"], "")
        self._plan()
        for other in ("_spiro_plan/20000101T000000Z-00000000", "_spiro_plan/../x", plan + "/x"):
            self.assertEqual(self.fs.find_file("top.sls", other)["path"], "", other)

    def test_check_saltenv_of_an_unknown_release_is_empty(self):
        for check in ("_spiro_check/20000101T000000Z-00000000", "_spiro_check/../x", "_spiro_check/" + self.release + "/x"):
            self.assertEqual(self.fs.file_list({"saltenv": check}), [], check)
            self.assertEqual(self.fs.find_file("top.sls", check)["path"], "", check)

    def _download(self, path, saltenv="foo/dev", level=None, fnd=None):
        """Fetch a file chunk by chunk the way the minion's fileclient does."""
        if fnd is None:
            fnd = self.fs.find_file(path, saltenv)
        out, chunks = bytearray(), 0
        while True:
            load = {"path": path, "saltenv": saltenv, "loc": len(out), "cmd": "_serve_file"}
            if level is not None:
                load["gzip"] = level
            ret = self.fs.serve_file(load, fnd)
            self.assertEqual(ret["dest"], fnd["rel"])
            if not ret["data"]:
                return bytes(out), chunks
            chunks += 1
            if level is not None:
                self.assertEqual(ret["gzip"], level)
                self.assertLessEqual(len(gzip.decompress(ret["data"])), self.opts["file_buffer_size"])
                out += gzip.decompress(ret["data"])
            else:
                self.assertNotIn("gzip", ret)
                self.assertLessEqual(len(ret["data"]), self.opts["file_buffer_size"])
                out += ret["data"]

    def test_virtual_name_is_spiro_and_there_is_no_symlink_list(self):
        self.assertEqual(self.fs.__virtual__(), "spiro")
        self.assertFalse(hasattr(self.fs, "symlink_list"))

    def test_envs_lists_every_published_saltenv(self):
        self.store.publish("foo/prod", {"a.sls": b"a: 1\n"})
        self.store.publish("bar.baz/x_1", {"b.sls": b"b: 1\n"})
        self.assertEqual(self.fs.envs(), ["bar.baz/x_1", "foo/dev", "foo/prod", "__env__"])

    def test_envs_skips_links_without_a_manifest_and_stray_entries(self):
        os.remove(os.path.join(self.data, "manifests", self.release + ".json"))
        os.symlink("/etc", os.path.join(self.data, "envs", "foo", "evil"))
        os.makedirs(os.path.join(self.data, "envs", ".hidden"))
        self.assertEqual(self.fs.envs(), ["__env__"])

    def _confine(self, project, allowed):
        os.makedirs(os.path.join(self.data, "projects"), exist_ok=True)
        with open(os.path.join(self.data, "projects", project + ".json"), "w") as handle:
            handle.write('{"format": 1, "project": "%s", "allow_targets": "%s"}' % (project, allowed))

    def test_envs_leaves_out_a_confined_project_release_compiled_without_its_allowed_targets(self):
        self.store.publish("bar/x", {"top.sls": b"'bar/x':\n  '*':\n    - b\n", "b.sls": b"b: 1\n"})
        self._confine("foo", "m1")
        # foo/dev's top file predates the confinement: its '*' would reach every minion.
        self.assertEqual(self.fs.envs(), ["bar/x", "__env__"])
        # Its files are still served to a run that names the saltenv.
        self.assertIn("top.sls", self.fs.file_list({"saltenv": "foo/dev"}))

    def test_envs_lists_a_confined_project_release_compiled_for_its_allowed_targets(self):
        # Top files as the store compiles them for a confined project; the confinement is set after
        # publishing them, since spiro publish refuses a kept top.sls once a project is confined.
        self.store.publish("foo/prod", {"top.sls": b"# spiro-allow-targets: m1\n'foo/prod':\n  ( * ) and ( m1 ):\n    - a\n    - match: compound\n",
                                        "a.sls": b"a: 1\n"})
        self.store.publish("foo/other", {"top.sls": b"# spiro-allow-targets: m2\n'foo/other': {}\n"})
        self.store.publish("foo/notop", {"a.sls": b"a: 1\n"})
        self._confine("foo", "m1")
        self.assertEqual(self.fs.envs(), ["foo/notop", "foo/prod", "__env__"])

    def test_envs_leaves_out_every_top_of_a_project_whose_settings_are_unreadable(self):
        os.makedirs(os.path.join(self.data, "projects"))
        with open(os.path.join(self.data, "projects", "foo.json"), "w") as handle:
            handle.write("{not json")
        self.assertEqual(self.fs.envs(), ["__env__"])

    def test_envs_of_an_empty_or_missing_data_dir_is_empty(self):
        self.opts["spiro_data"] = os.path.join(self.tmp, "nowhere")
        self.assertEqual(self.fs.envs(), ["__env__"])

    def test_spiro_data_option_overrides_the_cachedir_default(self):
        self.opts["cachedir"] = os.path.join(self.tmp, "elsewhere")
        self.assertEqual(self.fs.envs(), ["__env__"])
        self.opts["spiro_data"] = self.data
        self.assertEqual(self.fs.envs(), ["foo/dev", "__env__"])

    def test_find_file_returns_path_inside_the_release_rel_and_stat(self):
        fnd = self.fs.find_file("web/init.sls", "foo/dev")
        self.assertEqual(fnd["path"], os.path.join(self.data, "releases", self.release, "web", "init.sls"))
        self.assertEqual(fnd["rel"], "web/init.sls")
        self.assertIsInstance(fnd["stat"], list)
        self.assertEqual(stat.S_IMODE(fnd["stat"][0]), 0o444)
        self.assertEqual(fnd["stat"][6], len(FILES["web/init.sls"]))
        self.assertEqual(set(fnd), {"path", "rel", "stat"})

    def test_find_file_keeps_the_exec_bit_in_stat(self):
        fnd = self.fs.find_file("web/files/run.sh", "foo/dev")
        self.assertEqual(stat.S_IMODE(fnd["stat"][0]), 0o555)

    def test_find_file_accepts_the_old_env_keyword(self):
        self.assertEqual(self.fs.find_file("top.sls", env="foo/dev")["rel"], "top.sls")

    def test_find_file_of_missing_or_escaping_paths_is_empty(self):
        empty = {"path": "", "rel": ""}
        for path in ("nope.sls", "web", "web/empty", "../foo/dev/top.sls", "web/../../x", "/etc/passwd",
                     "", "web\\init.sls", "top.sls\0"):
            self.assertEqual(self.fs.find_file(path, "foo/dev"), empty, path)

    def test_saltenvs_not_ours_get_empty_results_everywhere(self):
        empty = {"path": "", "rel": ""}
        fnd = self.fs.find_file("top.sls", "foo/dev")
        for saltenv in ("base", "foo", "foo/dev/x", "foo/", "/dev", "foo/.hidden", "../x", "foo/nope",
                        "-x/dev", "a" * 65 + "/dev", None, 7):
            self.assertEqual(self.fs.find_file("top.sls", saltenv), empty, saltenv)
            load = {"saltenv": saltenv, "path": "top.sls", "loc": 0}
            self.assertEqual(self.fs.file_list(load), [], saltenv)
            self.assertEqual(self.fs.dir_list(load), [], saltenv)
            self.assertEqual(self.fs.file_list_emptydirs(load), [], saltenv)
            if saltenv != "foo/nope":  # a valid but unknown name only fails at find_file
                self.assertEqual(self.fs.file_hash(load, fnd), "", saltenv)
                self.assertEqual(self.fs.serve_file(load, fnd)["data"], b"", saltenv)

    def test_serve_file_refuses_paths_outside_the_releases_dir(self):
        secret = os.path.join(self.tmp, "secret")
        with open(secret, "wb") as handle:
            handle.write(b"secret")
        load = {"saltenv": "foo/dev", "path": "top.sls", "loc": 0}
        for path in (secret, os.path.join(self.data, "releases", "..", "..", "..", "secret"),
                     os.path.join(self.data, "manifests", self.release + ".json")):
            ret = self.fs.serve_file(load, {"path": path, "rel": "top.sls"})
            self.assertEqual(ret["data"], b"", path)
            self.assertEqual(self.fs.file_hash(load, {"path": path, "rel": "top.sls"}), "", path)

    def test_serve_file_of_a_small_file_returns_bytes_and_dest(self):
        fnd = self.fs.find_file("web/init.sls", "foo/dev")
        ret = self.fs.serve_file({"saltenv": "foo/dev", "path": "web/init.sls", "loc": 0}, fnd)
        self.assertEqual(ret, {"data": FILES["web/init.sls"], "dest": "web/init.sls"})
        end = self.fs.serve_file({"saltenv": "foo/dev", "path": "web/init.sls", "loc": len(ret["data"])}, fnd)
        self.assertEqual(end, {"data": b"", "dest": "web/init.sls"})

    def test_serve_file_of_an_empty_file_ends_at_once_with_dest(self):
        self.assertEqual(self._download("zero.txt"), (b"", 0))

    def test_serve_file_accepts_the_old_env_key(self):
        fnd = self.fs.find_file("top.sls", "foo/dev")
        ret = self.fs.serve_file({"env": "foo/dev", "path": "top.sls", "loc": 0}, fnd)
        self.assertEqual(ret["data"], FILES["top.sls"])

    def test_big_file_is_served_in_buffer_sized_chunks_that_reassemble(self):
        content = _big_content()
        self.store.publish("foo/dev", {"big.bin": content})
        for buffer_size in (262144, 1000003):
            self.opts["file_buffer_size"] = buffer_size
            data, chunks = self._download("big.bin")
            self.assertEqual(hashlib.sha256(data).hexdigest(), hashlib.sha256(content).hexdigest())
            self.assertEqual(chunks, -(-BIG // buffer_size))

    def test_big_file_is_served_gzipped_at_the_requested_level(self):
        content = _big_content()[:BIG // 2] + b"a" * (BIG - BIG // 2)
        self.store.publish("foo/dev", {"big.bin": content})
        for level in (1, 9):
            data, chunks = self._download("big.bin", level=level)
            self.assertEqual(data, content)
            self.assertEqual(chunks, -(-len(content) // self.opts["file_buffer_size"]))

    def test_serve_file_from_an_offset_inside_a_chunk(self):
        content = _big_content()
        self.store.publish("foo/dev", {"big.bin": content})
        fnd = self.fs.find_file("big.bin", "foo/dev")
        ret = self.fs.serve_file({"saltenv": "foo/dev", "path": "big.bin", "loc": BIG - 100}, fnd)
        self.assertEqual(ret["data"], content[-100:])

    def test_find_file_pins_the_release_across_a_publish(self):
        before = self.fs.find_file("web/init.sls", "foo/dev")
        self.store.publish("foo/dev", dict(FILES, **{"web/init.sls": b"changed: true\n"}))
        load = {"saltenv": "foo/dev", "path": "web/init.sls", "loc": 0}
        self.assertEqual(self.fs.serve_file(load, before)["data"], FILES["web/init.sls"])
        self.assertEqual(self.fs.file_hash(load, before)["hsum"],
                         hashlib.sha256(FILES["web/init.sls"]).hexdigest())
        after = self.fs.find_file("web/init.sls", "foo/dev")
        self.assertNotEqual(after["path"], before["path"])
        self.assertEqual(self.fs.serve_file(load, after)["data"], b"changed: true\n")

    def test_file_hash_sha256_comes_from_the_manifest(self):
        fnd = self.fs.find_file("web/init.sls", "foo/dev")
        load = {"saltenv": "foo/dev", "path": "web/init.sls"}
        expected = hashlib.sha256(FILES["web/init.sls"]).hexdigest()
        self.assertEqual(self.fs.file_hash(load, fnd), {"hsum": expected, "hash_type": "sha256"})
        # Proof that the manifest, not the file, answers: a store whose file was tampered with
        # still reports the published digest (the store keeps files read-only).
        manifest = os.path.join(self.data, "manifests", self.release + ".json")
        with open(manifest) as handle:
            self.assertIn(expected, handle.read())

    def test_file_hash_of_other_types_is_computed_once_and_cached(self):
        fnd = self.fs.find_file("web/init.sls", "foo/dev")
        load = {"saltenv": "foo/dev", "path": "web/init.sls"}
        for hash_type in ("md5", "sha1", "sha224", "sha384", "sha512"):
            self.opts["hash_type"] = hash_type
            expected = hashlib.new(hash_type, FILES["web/init.sls"]).hexdigest()
            self.assertEqual(self.fs.file_hash(load, fnd), {"hsum": expected, "hash_type": hash_type})
        sha = hashlib.sha256(FILES["web/init.sls"]).hexdigest()
        cache_file = os.path.join(self.cachedir, "spiro", "hashes", "md5", sha[:2], sha)
        with open(cache_file) as handle:
            self.assertEqual(handle.read(), hashlib.md5(FILES["web/init.sls"]).hexdigest())
        # Rewrite the disk cache: this process answers from memory, a fresh one from disk;
        # neither reads the file again.
        with open(cache_file, "w") as handle:
            handle.write("abcdef")
        self.opts["hash_type"] = "md5"
        self.assertEqual(self.fs.file_hash(load, fnd)["hsum"], hashlib.md5(FILES["web/init.sls"]).hexdigest())
        fresh = support.load_module("fileserver", self.opts)
        self.assertEqual(fresh.file_hash(load, fnd)["hsum"], "abcdef")

    def test_file_hash_of_an_unknown_hash_type_is_empty(self):
        self.opts["hash_type"] = "nosuchhash"
        fnd = self.fs.find_file("top.sls", "foo/dev")
        self.assertEqual(self.fs.file_hash({"saltenv": "foo/dev", "path": "top.sls"}, fnd), "")

    def test_file_hash_without_a_path_in_load_is_empty(self):
        fnd = self.fs.find_file("top.sls", "foo/dev")
        self.assertEqual(self.fs.file_hash({"saltenv": "foo/dev"}, fnd), "")
        self.assertEqual(self.fs.file_hash({"saltenv": "foo/dev", "path": "x"}, {"path": "", "rel": ""}), "")

    def test_listings_come_from_the_manifest(self):
        load = {"saltenv": "foo/dev"}
        self.assertEqual(self.fs.file_list(load),
                         ["top.sls", "web/files/run.sh", "web/init.sls", "webby/other.sls", "zero.txt"])
        self.assertEqual(self.fs.dir_list(load), ["web", "web/empty", "web/files", "webby"])
        self.assertEqual(self.fs.file_list_emptydirs(load), ["web/empty"])
        self.assertEqual(self.fs.file_list({"env": "foo/dev"}), self.fs.file_list(load))

    def test_listings_do_not_walk_the_tree(self):
        self.fs.file_list({"saltenv": "foo/dev"})
        os.chmod(os.path.join(self.data, "manifests"), 0o755)
        os.remove(os.path.join(self.data, "manifests", self.release + ".json"))
        # Cached per release id: the same process keeps answering from memory.
        self.assertIn("web/init.sls", self.fs.file_list({"saltenv": "foo/dev"}))

    def test_listings_follow_the_live_release(self):
        self.store.publish("foo/dev", {"only.sls": b"x: 1\n"})
        self.assertEqual(self.fs.file_list({"saltenv": "foo/dev"}), ["only.sls"])
        self.assertEqual(self.fs.dir_list({"saltenv": "foo/dev"}), [])

    def test_prefix_filters_listings(self):
        # Salt's own rule (the Fileserver filters again with it): strip '/', then startswith.
        self.assertEqual(self.fs.file_list({"saltenv": "foo/dev", "prefix": "web/files/"}),
                         ["web/files/run.sh"])
        self.assertEqual(self.fs.file_list({"saltenv": "foo/dev", "prefix": "/web"}),
                         ["web/files/run.sh", "web/init.sls", "webby/other.sls"])
        self.assertEqual(self.fs.file_list({"saltenv": "foo/dev", "prefix": "t"}), ["top.sls"])
        self.assertEqual(self.fs.dir_list({"saltenv": "foo/dev", "prefix": "web/files"}), ["web/files"])
        self.assertEqual(self.fs.file_list_emptydirs({"saltenv": "foo/dev", "prefix": "webby"}), [])
        self.assertEqual(len(self.fs.file_list({"saltenv": "foo/dev", "prefix": ""})), 5)

    def test_listings_are_copies_callers_may_mutate(self):
        first = self.fs.file_list({"saltenv": "foo/dev"})
        first.clear()
        self.assertEqual(len(self.fs.file_list({"saltenv": "foo/dev"})), 5)

    def test_file_ignore_options_hide_files(self):
        self.opts["file_ignore_glob"] = ["*.sh"]
        self.opts["file_ignore_regex"] = [r"^webby/"]
        fs = support.load_module("fileserver", self.opts)
        self.assertEqual(fs.file_list({"saltenv": "foo/dev"}), ["top.sls", "web/init.sls", "zero.txt"])
        self.assertEqual(fs.find_file("web/files/run.sh", "foo/dev"), {"path": "", "rel": ""})

    def test_update_is_a_no_op(self):
        self.assertIsNone(self.fs.update())


    def _download_across(self, path, republish, after_chunks, saltenv="foo/dev"):
        """Fetch like the minion (find_file again for every chunk, as Salt's master does) and
        call ``republish`` once ``after_chunks`` chunks have arrived."""
        out, chunks = bytearray(), 0
        while True:
            if chunks == after_chunks:
                republish()
            fnd = self.fs.find_file(path, saltenv)
            ret = self.fs.serve_file({"path": path, "saltenv": saltenv, "loc": len(out), "cmd": "_serve_file"}, fnd)
            if not ret["data"]:
                return bytes(out)
            chunks += 1
            out += ret["data"]

    def _distinct_tags(self, *contents):
        step, modulus = self.fs._chunking(self.opts["file_buffer_size"])
        tags = {self.fs._tag(hashlib.sha256(c).hexdigest(), modulus) for c in contents}
        self.assertEqual(len(tags), len(contents), "test contents must not share a chunk tag")

    def test_a_transfer_that_spans_a_republish_stays_on_the_release_it_started_on(self):
        old, new = _big_content(), bytes(reversed(_big_content()))
        self._distinct_tags(old, new)
        self.store.publish("foo/dev", {"big.bin": old})
        for chunks in (1, 2):
            data = self._download_across("big.bin", lambda: self.store.publish("foo/dev", {"big.bin": new}), chunks)
            self.assertEqual(hashlib.sha256(data).hexdigest(), hashlib.sha256(old).hexdigest(), chunks)
            self.assertEqual(self._download("big.bin")[0], new)
            self.store.publish("foo/dev", {"big.bin": old})

    def test_a_transfer_that_spans_a_republish_to_a_longer_file_ends_where_its_file_ends(self):
        old, new = b"short\n", _big_content()
        self._distinct_tags(old, new)
        self.store.publish("foo/dev", {"f.bin": old})
        data = self._download_across("f.bin", lambda: self.store.publish("foo/dev", {"f.bin": new}), 1)
        self.assertEqual(data, old)

    def test_a_transfer_that_spans_a_republish_to_a_shorter_file_keeps_its_content(self):
        old, new = _big_content(), _big_content()[:1000]
        self._distinct_tags(old, new)
        self.store.publish("foo/dev", {"f.bin": old})
        data = self._download_across("f.bin", lambda: self.store.publish("foo/dev", {"f.bin": new}), 1)
        self.assertEqual(data, old)

    def test_chunks_after_the_first_are_buffer_sized_and_the_first_is_at_most_that(self):
        content = _big_content()
        self.store.publish("foo/dev", {"big.bin": content})
        fnd = self.fs.find_file("big.bin", "foo/dev")
        first = self.fs.serve_file({"saltenv": "foo/dev", "path": "big.bin", "loc": 0}, fnd)["data"]
        second = self.fs.serve_file({"saltenv": "foo/dev", "path": "big.bin", "loc": len(first)}, fnd)["data"]
        self.assertGreater(len(first), self.opts["file_buffer_size"] * 3 // 4)
        self.assertLessEqual(len(first), self.opts["file_buffer_size"])
        self.assertEqual(len(second), self.opts["file_buffer_size"])


class HandBuiltStoreTests(_FileserverContract, unittest.TestCase):
    """A store written by the test exactly per docs/storage.md."""

    def make_store(self, data):
        return support.HandStore(data)

    def test_manifest_of_an_unknown_format_is_not_served(self):
        self.store.publish("foo/next", {"a.sls": b"a\n"})
        release = os.readlink(os.path.join(self.data, "envs", "foo", "next")).split("/")[-1]
        path = os.path.join(self.data, "manifests", release + ".json")
        with open(path) as handle:
            text = handle.read()
        with open(path, "w") as handle:
            handle.write(text.replace('"format": 1', '"format": 2'))
        self.assertEqual(self.fs.file_list({"saltenv": "foo/next"}), [])
        self.assertEqual(self.fs.find_file("a.sls", "foo/next"), {"path": "", "rel": ""})

    def test_link_with_an_unexpected_target_is_not_ours(self):
        os.symlink("../../releases/" + self.release + "/web", os.path.join(self.data, "envs", "foo", "sub"))
        self.assertEqual(self.fs.file_list({"saltenv": "foo/sub"}), [])
        self.assertNotIn("foo/sub", self.fs.envs())


class CliPublishedStoreTests(_FileserverContract, unittest.TestCase):
    """A store the real .NET CLI published (never skipped: ./build.sh test sets SPIRO_CLI)."""

    def make_store(self, data):
        return support.CliStore(data, support.require_cli(self, "publish"), self.tmp)


if __name__ == "__main__":
    unittest.main()
