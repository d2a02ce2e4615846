# -*- coding: utf-8 -*-
"""
SpiroFS fileserver backend: serves every published SpiroFS deployment as the saltenv
``<project>/<deployment>``.

Master config::

    fileserver_backend: [roots, spiro]
    spiro_data: /var/cache/salt/master/spirofs   # default: <cachedir>/spirofs
    spiro_update_interval: 3600                  # update() is a no-op; silences the start-up warning

It reads the store layout of docs/storage.md and never walks or hashes a release tree at request
time: listings and sha256 come from the release manifest, cached per release id (ids are never
reused, so the cache never goes stale). Saltenvs that are not ours get empty answers, because Salt
asks every backend about every saltenv, ``base`` included.

No ``symlink_list`` on purpose: Salt keeps only the last backend's answer, so ours would hide the
roots backend's symlinks (SpiroFS publishes symlinks to files as regular files).
"""

import collections
import fnmatch
import hashlib
import json
import logging
import os
import posixpath
import re
import threading

try:
    import salt.utils.gzip_util as _salt_gzip
except ImportError:  # loaded outside Salt (tests) or a Salt without the helper
    _salt_gzip = None

log = logging.getLogger(__name__)

__virtualname__ = "spiro"

_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_RELEASE_ID = re.compile(r"\A[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\Z")
_HEX = re.compile(r"\A[0-9a-f]+\Z")
_MANIFEST_FORMAT = 1
_RELEASES_KEPT_IN_MEMORY = 64
_DEFAULT_BUFFER = 262144
_HASH_BLOCK = 1 << 20
_HASHES_KEPT_IN_MEMORY = 100000  # beyond this the disk cache answers
_DYNAMIC_ENV = "__env__"  # Salt's name for "any saltenv the backend can serve" (state.py render_highstate)

_lock = threading.Lock()
_releases = collections.OrderedDict()  # release id -> _Release, least recently used first
_hashes = {}  # (sha256, hash type) -> hex digest; content-addressed, so valid forever


def __virtual__():
    # Standard library only: nothing can be missing. Saying no here would disable the backend
    # silently (Salt logs the reason at DEBUG), so always load.
    return __virtualname__


class _Release(object):
    """One release's manifest, indexed for the fileserver calls."""

    __slots__ = ("release_id", "root", "files", "file_list", "dir_list", "emptydir_list")

    def __init__(self, release_id, root, files, dirs, emptydirs):
        self.release_id = release_id
        self.root = root
        self.files = files  # rel path -> sha256
        self.file_list = sorted(files)
        self.dir_list = sorted(dirs)
        self.emptydir_list = sorted(emptydirs)


def _opts():
    # Salt injects __opts__ (a mapping proxy in 3006+); absent only outside Salt's loader.
    opts = globals().get("__opts__")
    return {} if opts is None else opts


def _data_dir():
    opts = _opts()
    data = opts.get("spiro_data")
    if not data:
        data = os.path.join(opts.get("cachedir", "/var/cache/salt/master"), "spirofs")
    return os.path.abspath(data)


def _saltenv_of(load):
    # Salt passes 'saltenv'; callers from before the rename passed 'env'.
    saltenv = load.get("saltenv")
    if saltenv is None:
        saltenv = load.get("env")
    return saltenv


def _split_saltenv(saltenv):
    """(project, deployment) for a saltenv of ours, else None."""
    if not isinstance(saltenv, str) or saltenv.count("/") != 1:
        return None
    project, deployment = saltenv.split("/")
    if not _NAME.match(project) or not _NAME.match(deployment):
        return None
    return project, deployment


def _live_release_id(data, project, deployment):
    try:
        target = os.readlink(os.path.join(data, "envs", project, deployment))
    except OSError:
        return None
    # Invariant 1 of docs/storage.md: the target is exactly ../../releases/<id>.
    head, release_id = posixpath.split(target)
    if head != "../../releases" or not _RELEASE_ID.match(release_id):
        log.warning("spiro: ignoring saltenv %s/%s: unexpected link target %r", project, deployment, target)
        return None
    return release_id


def _safe_rel(path):
    """The normalised relative path, or None when it could leave the release."""
    if not isinstance(path, str) or not path or "\0" in path or "\\" in path or path.startswith("/"):
        return None
    norm = posixpath.normpath(path)
    if norm in (".", "..") or norm.startswith("../"):
        return None
    return norm


def _ignored(rel):
    opts = _opts()
    for regex in opts.get("file_ignore_regex") or ():
        if re.search(regex, rel):
            return True
    for glob in opts.get("file_ignore_glob") or ():
        if fnmatch.fnmatch(rel, glob):
            return True
    return False


def _read_manifest(data, release_id):
    path = os.path.join(data, "manifests", release_id + ".json")
    try:
        with open(path, "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        log.error("spiro: cannot read manifest %s: %s", path, exc)
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != _MANIFEST_FORMAT:
        log.error("spiro: manifest %s has format %r; this adapter reads format %d",
                  path, manifest.get("format") if isinstance(manifest, dict) else None, _MANIFEST_FORMAT)
        return None
    files, dirs, emptydirs = {}, [], []
    for entry in manifest.get("entries") or ():
        rel = _safe_rel(entry.get("path")) if isinstance(entry, dict) else None
        if rel is None or rel != entry.get("path"):
            log.warning("spiro: manifest %s: skipping entry %r", path, entry)
            continue
        kind = entry.get("kind")
        if kind == "file" and not _ignored(rel):
            files[rel] = entry.get("sha256")
        elif kind == "dir":
            dirs.append(rel)
        elif kind == "emptydir":
            dirs.append(rel)
            if not _ignored(rel):
                emptydirs.append(rel)
    return _Release(release_id, os.path.join(data, "releases", release_id), files, dirs, emptydirs)


def _release(data, release_id):
    with _lock:
        release = _releases.get(release_id)
        if release is not None and release.root.startswith(data + os.sep):
            _releases.move_to_end(release_id)
            return release
    release = _read_manifest(data, release_id)
    if release is None:
        return None
    with _lock:
        _releases[release_id] = release
        while len(_releases) > _RELEASES_KEPT_IN_MEMORY:
            _releases.popitem(last=False)
    return release


def _resolve(saltenv):
    """The live release of a saltenv of ours, or None."""
    names = _split_saltenv(saltenv)
    if names is None:
        return None
    data = _data_dir()
    release_id = _live_release_id(data, names[0], names[1])
    if release_id is None:
        return None
    return _release(data, release_id)


def _pinned(full_path):
    """(release, rel) for an absolute path inside <data>/releases/, else (None, None)."""
    if not isinstance(full_path, str) or not full_path:
        return None, None
    data = _data_dir()
    releases = os.path.realpath(os.path.join(data, "releases"))
    real = os.path.realpath(full_path)
    if not real.startswith(releases + os.sep):
        log.warning("spiro: refusing %r: not inside %s", full_path, releases)
        return None, None
    parts = os.path.relpath(real, releases).split(os.sep)
    if len(parts) < 2 or not _RELEASE_ID.match(parts[0]):
        return None, None
    release = _release(data, parts[0])
    if release is None:
        return None, None
    return release, "/".join(parts[1:])


def scale_mode(opts=None):
    """
    Whether the master runs SpiroFS in scale mode: the ``spiro`` master_tops module is enabled
    (``master_tops: {spiro: {}}``), and it answers every minion's top data in one call.
    """
    opts = _opts() if opts is None else opts
    tops = opts.get("master_tops")
    return isinstance(tops, dict) and "spiro" in tops


def envs(ignore_cache=False):  # pylint: disable=unused-argument
    """
    Every saltenv ``project/deployment`` whose symlink points at a release with a manifest.

    In scale mode only the literal ``__env__``: Salt then fetches no top file and lists no states
    per saltenv on a minion's run (tops/spiro.py answers the top data), and ``__env__`` in the
    list lets ``state.highstate saltenv=project/deployment`` run a saltenv that is not listed.
    Files of every saltenv are served the same in both modes.
    """
    if scale_mode():
        return [_DYNAMIC_ENV]
    data = _data_dir()
    root = os.path.join(data, "envs")
    found = []
    try:
        projects = os.listdir(root)
    except OSError:
        return found
    for project in projects:
        if not _NAME.match(project):
            continue
        try:
            deployments = os.listdir(os.path.join(root, project))
        except OSError:
            continue
        for deployment in deployments:
            if not _NAME.match(deployment):
                continue
            release_id = _live_release_id(data, project, deployment)
            if release_id is None:
                continue
            if os.path.isfile(os.path.join(data, "manifests", release_id + ".json")) and \
                    os.path.isdir(os.path.join(data, "releases", release_id)):
                found.append(project + "/" + deployment)
    return sorted(found)


def find_file(path, tgt_env="base", **kwargs):
    """
    Find ``path`` in the saltenv's live release. The returned path lies inside that release's
    directory, so serve_file and file_hash read that release even if the saltenv flips meanwhile.
    (Salt calls find_file again for every chunk; docs/salt.md says what that means mid-transfer.)
    """
    fnd = {"path": "", "rel": ""}
    if "env" in kwargs and tgt_env == "base":
        tgt_env = kwargs.pop("env")
    rel = _safe_rel(path)
    if rel is None:
        return fnd
    release = _resolve(tgt_env)
    if release is None or rel not in release.files:
        return fnd
    full = os.path.join(release.root, *rel.split("/"))
    try:
        stat = list(os.stat(full))
    except OSError:
        # Removed by retention between the symlink read and now: as if the file did not exist.
        return fnd
    return {"path": full, "rel": rel, "stat": stat}


def _gzip_level(value):
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 9
    return min(max(level, 1), 9)


def _compress(data, level):
    if _salt_gzip is not None:
        return _salt_gzip.compress(data, level)
    import gzip
    return gzip.compress(data, compresslevel=level)


def serve_file(load, fnd):
    """One chunk of ``file_buffer_size`` bytes from offset ``load['loc']``; empty data ends it."""
    ret = {"data": b"", "dest": ""}
    if _split_saltenv(_saltenv_of(load)) is None or "path" not in load or "loc" not in load:
        return ret
    full = fnd.get("path") if isinstance(fnd, dict) else None
    release, _ = _pinned(full)
    if release is None:
        return ret
    try:
        loc = int(load["loc"])
    except (TypeError, ValueError):
        return ret
    if loc < 0:
        return ret
    try:
        size = int(_opts().get("file_buffer_size") or _DEFAULT_BUFFER)
    except (TypeError, ValueError):
        size = _DEFAULT_BUFFER
    if size <= 0:
        size = _DEFAULT_BUFFER
    ret["dest"] = fnd["rel"]
    try:
        with open(full, "rb") as handle:
            handle.seek(loc)
            data = handle.read(size)
    except OSError as exc:
        log.error("spiro: cannot read %s: %s", full, exc)
        return ret
    level = load.get("gzip")
    if level and data:
        level = _gzip_level(level)
        data = _compress(data, level)
        ret["gzip"] = level
    ret["data"] = data
    return ret


def _hash_cache_path(sha256, hash_type):
    cachedir = _opts().get("cachedir")
    if not cachedir:
        return None
    return os.path.join(cachedir, "spiro", "hashes", hash_type, sha256[:2], sha256)


def _read_cached_hash(path):
    try:
        with open(path, "r") as handle:
            value = handle.read().strip()
    except (OSError, IOError):
        return None
    return value if _HEX.match(value) else None


def _write_cached_hash(path, value):
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = "{0}.{1}.tmp".format(path, os.getpid())
        with open(temp, "w") as handle:
            handle.write(value)
        os.replace(temp, path)
    except OSError as exc:
        log.debug("spiro: cannot cache hash in %s: %s", path, exc)


def _other_hash(full, sha256, hash_type):
    """A non-sha256 digest, computed once per distinct content and cached in memory and on disk."""
    key = (sha256, hash_type)
    with _lock:
        value = _hashes.get(key)
    if value:
        return value
    cache_path = _hash_cache_path(sha256, hash_type) if sha256 and _HEX.match(sha256) else None
    value = _read_cached_hash(cache_path) if cache_path else None
    if value is None:
        other, check = hashlib.new(hash_type), hashlib.sha256()
        with open(full, "rb") as handle:
            for block in iter(lambda: handle.read(_HASH_BLOCK), b""):
                other.update(block)
                check.update(block)
        value = other.hexdigest()
        if check.hexdigest() != sha256:
            # Never cache a digest of content that does not match the manifest.
            log.error("spiro: %s does not match its manifest sha256", full)
            return value
        if cache_path:
            _write_cached_hash(cache_path, value)
    with _lock:
        if len(_hashes) >= _HASHES_KEPT_IN_MEMORY:
            _hashes.clear()
        _hashes[key] = value
    return value


def file_hash(load, fnd):
    """``{'hsum': hex, 'hash_type': <master hash_type>}``, or ``''`` when the file is not ours."""
    if "path" not in load or _split_saltenv(_saltenv_of(load)) is None:
        return ""
    full = fnd.get("path") if isinstance(fnd, dict) else None
    release, rel = _pinned(full)
    if release is None or rel not in release.files:
        return ""
    sha256 = release.files[rel]
    hash_type = str(_opts().get("hash_type") or "sha256").lower()
    if hash_type == "sha256" and sha256:
        return {"hsum": sha256, "hash_type": hash_type}
    try:
        hsum = _other_hash(full, sha256, hash_type)
    except ValueError:
        log.error("spiro: unsupported hash_type %r", hash_type)
        return ""
    except OSError as exc:
        log.error("spiro: cannot hash %s: %s", full, exc)
        return ""
    return {"hsum": hsum, "hash_type": hash_type}


def _listing(load, attribute):
    release = _resolve(_saltenv_of(load))
    if release is None:
        return []
    items = getattr(release, attribute)
    prefix = load.get("prefix") or ""
    prefix = prefix.strip("/") if isinstance(prefix, str) else ""
    if prefix:
        # The same rule as Salt's own Fileserver filter, so both layers agree.
        return [item for item in items if item.startswith(prefix)]
    return list(items)


def file_list(load):
    """Files of the saltenv's live release, from its manifest."""
    return _listing(load, "file_list")


def dir_list(load):
    """Directories (with content or empty) of the saltenv's live release."""
    return _listing(load, "dir_list")


def file_list_emptydirs(load):
    """Empty directories of the saltenv's live release."""
    return _listing(load, "emptydir_list")


def update():
    """Nothing to fetch: the deploy server publishes into the store directly."""
    return None
