# -*- coding: utf-8 -*-
"""Shared test helpers: a loader that injects Salt's dunders, and stores built two ways."""

import datetime
import hashlib
import importlib.util
import io
import itertools
import json
import os
import secrets
import subprocess
import tarfile

SALT_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_DIR = os.path.dirname(SALT_DIR)

_counter = itertools.count()


def load_module(kind, opts, **dunders):
    """Load salt/<kind>/spiro.py as Salt's loader would: a fresh module with __opts__ injected."""
    path = os.path.join(SALT_DIR, kind, "spiro.py")
    name = "spiro_{0}_{1}".format(kind, next(_counter))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__opts__ = opts
    module.__utils__ = {}
    for key, value in dunders.items():
        setattr(module, key, value)
    spec.loader.exec_module(module)
    return module


def find_cli():
    """The spiro executable: $SPIRO_CLI (set by build.sh), else a build under artifacts/."""
    candidates = [os.environ.get("SPIRO_CLI")]
    for artifacts in (os.environ.get("SPIRO_ARTIFACTS"), os.path.join(REPO_DIR, "artifacts")):
        if artifacts:
            for config in ("release", "debug"):
                candidates.append(os.path.join(artifacts, "bin", "Spiro.Cli", config, "spiro"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def require_cli(test, *verb):
    """The spiro CLI, failing the test (not skipping it) when it or the verb is missing."""
    cli = find_cli()
    if cli is None:
        test.fail("no spiro CLI: run through ./build.sh test (sets SPIRO_CLI) or build src/Spiro.Cli")
    if verb and not cli_has_verb(cli, *verb):
        test.fail("{0} has no `{1}` verb".format(cli, " ".join(verb)))
    return cli


_verbs = {}


def cli_has_verb(cli, *verb):
    if cli is None:
        return False
    if (cli, verb) not in _verbs:
        _verbs[(cli, verb)] = _has_verb(cli, verb)
    return _verbs[(cli, verb)]


def _has_verb(cli, verb):
    # System.CommandLine answers `spiro unknown --help` with the root help and exit 0, so look
    # for the verb's own usage line.
    result = subprocess.run([cli] + list(verb) + ["--help"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=60)
    usage = "spiro " + " ".join(verb)
    return result.returncode == 0 and any(
        line.strip().startswith(usage) for line in result.stdout.decode("utf-8", "replace").splitlines())


def _norm_files(files):
    """{rel: bytes | (bytes, executable) | None (empty dir)} -> {rel: (bytes, exec) | None}."""
    out = {}
    for rel, value in files.items():
        if value is None or isinstance(value, tuple):
            out[rel] = value
        else:
            out[rel] = (value, False)
    return out


class HandStore(object):
    """A store written exactly per docs/storage.md, without the .NET side."""

    def __init__(self, data):
        self.data = data
        for sub in ("objects", "releases", "manifests", "envs", "staging", "locks"):
            os.makedirs(os.path.join(data, sub), exist_ok=True)
        self._tick = 0

    def _new_id(self):
        self._tick += 1
        stamp = datetime.datetime(2026, 11, 25, 14, 0, 0) + datetime.timedelta(seconds=self._tick)
        return stamp.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)

    def publish(self, saltenv, files):
        files = _norm_files(files)
        release_id = self._new_id()
        root = os.path.join(self.data, "releases", release_id)
        entries = {}
        for rel, value in sorted(files.items()):
            parts = rel.split("/")
            for i in range(1, len(parts)):
                entries.setdefault("/".join(parts[:i]), {"kind": "dir"})
            if value is None:
                entries[rel] = {"kind": "emptydir"}
                os.makedirs(os.path.join(root, rel), exist_ok=True)
                continue
            content, executable = value
            sha = hashlib.sha256(content).hexdigest()
            obj = os.path.join(self.data, "objects", sha[:2], sha + (".x" if executable else ""))
            if not os.path.exists(obj):
                os.makedirs(os.path.dirname(obj), exist_ok=True)
                with open(obj, "wb") as handle:
                    handle.write(content)
                os.chmod(obj, 0o555 if executable else 0o444)
            target = os.path.join(root, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(obj, target)
            entries[rel] = {"kind": "file", "size": len(content), "sha256": sha,
                            "mode": 0o555 if executable else 0o444}
        os.makedirs(root, exist_ok=True)
        manifest = {
            "format": 1, "release": release_id, "saltenv": saltenv,
            "created": release_id[:4] + "-" + release_id[4:6] + "-" + release_id[6:8] + "T00:00:00Z",
            "entries": [
                {"path": rel, "kind": e["kind"], "size": e.get("size", 0),
                 "mode": e.get("mode", 0o555), "sha256": e.get("sha256")}
                for rel, e in sorted(entries.items())
            ],
        }
        with open(os.path.join(self.data, "manifests", release_id + ".json"), "w") as handle:
            json.dump(manifest, handle)
        self.point(saltenv, release_id)
        return release_id

    def point(self, saltenv, release_id):
        """Switch the saltenv symlink atomically, as the store does."""
        link = os.path.join(self.data, "envs", saltenv)
        os.makedirs(os.path.dirname(link), exist_ok=True)
        temp = link + ".tmp"
        os.symlink("../../releases/" + release_id, temp)
        os.replace(temp, link)


class CliStore(object):
    """A store the real .NET CLI published (`spiro publish P/D bundle.tar --data DIR`)."""

    def __init__(self, data, cli, scratch):
        self.data = data
        self.cli = cli
        self.scratch = scratch

    def publish(self, saltenv, files):
        bundle = os.path.join(self.scratch, "bundle-{0}.tar".format(next(_counter)))
        with tarfile.open(bundle, "w") as tar:
            for rel, value in sorted(_norm_files(files).items()):
                info = tarfile.TarInfo(rel)
                if value is None:
                    info.type = tarfile.DIRTYPE
                    info.mode = 0o755
                    tar.addfile(info)
                    continue
                content, executable = value
                info.size = len(content)
                info.mode = 0o755 if executable else 0o644
                tar.addfile(info, io.BytesIO(content))
        result = subprocess.run([self.cli, "publish", saltenv, bundle, "--data", self.data],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if result.returncode != 0:
            raise AssertionError("spiro publish failed ({0}): {1}{2}".format(
                result.returncode, result.stdout.decode(), result.stderr.decode()))
        target = os.readlink(os.path.join(self.data, "envs", saltenv))
        return os.path.basename(target)
