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
# A release that is not live yet, served for the render gate (docs/storage.md): never in envs().
_CHECK_SALTENV = re.compile(r"\A_spiro_check/([0-9]{8}T[0-9]{6}Z-[0-9a-f]{8})\Z")
# A planned candidate release (docs/storage.md "Plans"): never in envs(), served with its plan top file.
_PLAN_SALTENV = re.compile(r"\A_spiro_plan/([0-9]{8}T[0-9]{6}Z-[0-9a-f]{8})\Z")
# In a plan saltenv, the candidate's own top file; its top.sls is the plan top that includes it.
_PLAN_RELEASE_TOP = ".spiro-plan/release-top.sls"
_PLAN_TOP_MAX = 65536  # the store writes a few hundred bytes; anything larger is not a plan top
_HEX = re.compile(r"\A[0-9a-f]+\Z")
_MANIFEST_FORMAT = 1
_RELEASES_KEPT_IN_MEMORY = 64
_DEFAULT_BUFFER = 262144
_HASH_BLOCK = 1 << 20
_HASHES_KEPT_IN_MEMORY = 100000  # beyond this the disk cache answers
_TAG_MODULUS_MAX = 65536  # chunk tags: 1 in this many pairs of distinct contents collide
_MANIFEST_HEAD = 4096  # the writer puts "saltenv" before "entries" (docs/storage.md)
_SALTENV_KEY = re.compile(r'"saltenv"\s*:\s*"([^"\\]*)"')
_DYNAMIC_ENV = "__env__"  # Salt's name for "any saltenv the backend can serve" (state.py render_highstate)

_lock = threading.Lock()
_releases = collections.OrderedDict()  # release id -> _Release, least recently used first
_hashes = {}  # (sha256, hash type) -> hex digest; content-addressed, so valid forever
_release_saltenvs = {}  # release id -> saltenv, from the manifest's head; ids are never reused


def __virtual__():
    # Standard library only: nothing can be missing. Saying no here would disable the backend
    # silently (Salt logs the reason at DEBUG), so always load.
    return __virtualname__


class _Release(object):
    """One release's manifest, indexed for the fileserver calls."""

    __slots__ = ("release_id", "root", "files", "sizes", "file_list", "dir_list", "emptydir_list")

    def __init__(self, release_id, root, files, sizes, dirs, emptydirs):
        self.release_id = release_id
        self.root = root
        self.files = files  # rel path -> sha256
        self.sizes = sizes  # rel path -> size in bytes
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


def _check_release_id(saltenv):
    """The release id of a check saltenv ``_spiro_check/<release-id>``, else None."""
    if not isinstance(saltenv, str):
        return None
    match = _CHECK_SALTENV.match(saltenv)
    return match.group(1) if match else None


def _plan_release_id(saltenv):
    """The release id of a plan saltenv ``_spiro_plan/<release-id>``, else None."""
    if not isinstance(saltenv, str):
        return None
    match = _PLAN_SALTENV.match(saltenv)
    return match.group(1) if match else None


def _ours(saltenv):
    return _split_saltenv(saltenv) is not None or _check_release_id(saltenv) is not None \
        or _plan_release_id(saltenv) is not None


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
    files, sizes, dirs, emptydirs = {}, {}, [], []
    for entry in manifest.get("entries") or ():
        rel = _safe_rel(entry.get("path")) if isinstance(entry, dict) else None
        if rel is None or rel != entry.get("path"):
            log.warning("spiro: manifest %s: skipping entry %r", path, entry)
            continue
        kind = entry.get("kind")
        if kind == "file" and not _ignored(rel):
            files[rel] = entry.get("sha256")
            sizes[rel] = entry.get("size")
        elif kind == "dir":
            dirs.append(rel)
        elif kind == "emptydir":
            dirs.append(rel)
            if not _ignored(rel):
                emptydirs.append(rel)
    return _Release(release_id, os.path.join(data, "releases", release_id), files, sizes, dirs, emptydirs)


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


def _state_top():
    """The master's ``state_top`` as a path relative to a saltenv (``salt://top.sls`` -> ``top.sls``)."""
    top = _opts().get("state_top") or "top.sls"
    if not isinstance(top, str):
        return "top.sls"
    if top.startswith("salt://"):
        top = top[len("salt://"):]
    return _safe_rel(top.split("?", 1)[0]) or "top.sls"


def _plan(saltenv):
    """(candidate release, plan directory) of a plan saltenv whose plan exists, else (None, None)."""
    planned = _plan_release_id(saltenv)
    if planned is None:
        return None, None
    data = _data_dir()
    directory = os.path.join(data, "plans", planned)
    # The store writes the plan directory after the candidate is in place and removes it first.
    if not os.path.isdir(directory) or not os.path.isdir(os.path.join(data, "releases", planned)):
        return None, None
    return _release(data, planned), directory


def _resolve(saltenv):
    """The live release of a saltenv of ours (or the release a check or plan saltenv names), or None."""
    release, _ = _plan(saltenv)
    if release is not None:
        return release
    checked = _check_release_id(saltenv)
    if checked is not None:
        data = _data_dir()
        # The render gate runs once the tree and manifest are in place and before the flip.
        if not os.path.isdir(os.path.join(data, "releases", checked)):
            return None
        return _release(data, checked)
    names = _split_saltenv(saltenv)
    if names is None:
        return None
    data = _data_dir()
    release_id = _live_release_id(data, names[0], names[1])
    if release_id is None:
        return None
    return _release(data, release_id)


def _plan_top(data, release_id):
    """The plan top file of a candidate as a one-file release (it never changes once written), or None."""
    key = "plan:" + release_id
    with _lock:
        known = _releases.get(key)
    if known is not None:
        return known
    root = os.path.join(data, "plans", release_id)
    try:
        with open(os.path.join(root, "top.sls"), "rb") as handle:
            content = handle.read(_PLAN_TOP_MAX + 1)
    except OSError:
        return None
    if len(content) > _PLAN_TOP_MAX:
        log.error("spiro: %s is larger than %d bytes; not serving it", root, _PLAN_TOP_MAX)
        return None
    release = _Release(key, root, {"top.sls": hashlib.sha256(content).hexdigest()}, {"top.sls": len(content)}, [], [])
    with _lock:
        _releases[key] = release
    return release


def _pinned(full_path):
    """(release, rel) for an absolute path inside <data>/releases/ (or a plan top file), else (None, None)."""
    if not isinstance(full_path, str) or not full_path:
        return None, None
    data = _data_dir()
    releases = os.path.realpath(os.path.join(data, "releases"))
    real = os.path.realpath(full_path)
    if not real.startswith(releases + os.sep):
        return _pinned_plan_top(data, real)
    return _pinned_release(data, releases, real)


def _pinned_plan_top(data, real):
    """(plan top as a release, "top.sls") for <data>/plans/<id>/top.sls, else (None, None)."""
    plans = os.path.realpath(os.path.join(data, "plans"))
    if not real.startswith(plans + os.sep):
        log.warning("spiro: refusing %r: not inside %s", real, os.path.join(data, "releases"))
        return None, None
    parts = os.path.relpath(real, plans).split(os.sep)
    if len(parts) != 2 or not _RELEASE_ID.match(parts[0]) or parts[1] != "top.sls":
        return None, None
    release = _plan_top(data, parts[0])
    return (release, "top.sls") if release is not None else (None, None)


def _pinned_release(data, releases, real):
    """(release, rel) for a path inside <data>/releases/<id>/, else (None, None)."""
    parts = os.path.relpath(real, releases).split(os.sep)
    if len(parts) < 2 or not _RELEASE_ID.match(parts[0]):
        return None, None
    release = _release(data, parts[0])
    if release is None:
        return None, None
    return release, "/".join(parts[1:])


# A confined project (docs/security.md, "Target confinement"): projects/<project>.json names its
# allowed targets, and every top file compiled under them starts with this line. A live release
# whose top file does not (it was published before the confinement, or rolled back to) is not
# read for top data: its targets would reach minions outside the project.
# salt/tops/spiro.py holds the same block: Salt's tops loader injects no __utils__, so the two modules
# cannot share one; salt/tests/test_portability.py keeps the copies identical.
_CONFINEMENT_HEADER = "# spiro-allow-targets: "
_MAX_PROJECT_FILE = 65536


def _allowed_targets(data, project):
    """The project's allowed targets; None when it has none; False when its file is unreadable."""
    path = os.path.join(data, "projects", project + ".json")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_MAX_PROJECT_FILE + 1)
    except FileNotFoundError:
        return None
    except OSError:
        return False
    try:
        value = json.loads(raw.decode("utf-8")).get("allow_targets")
    except (ValueError, AttributeError, UnicodeDecodeError):
        return False
    if value is None:
        return None
    return value if isinstance(value, str) and len(raw) <= _MAX_PROJECT_FILE else False


def _top_confined(data, project, release_id, state_top, cache):
    """Whether the release's top file may be read: the project is not confined, or it was compiled for its confinement."""
    if project not in cache:
        cache[project] = _allowed_targets(data, project)
    allowed = cache[project]
    if allowed is None:
        return True
    if allowed is False:
        log.error("spiro: the settings of project %s are unreadable; its top files are not read", project)
        return False
    path = os.path.join(data, "releases", release_id, *state_top.split("/"))
    try:
        with open(path, "rb") as handle:
            first = handle.readline(8192)
    except OSError:
        return True  # no top file: nothing of it reaches any minion
    if first.rstrip(b"\n").decode("utf-8", "replace") == _CONFINEMENT_HEADER + allowed:
        return True
    log.warning("spiro: %s release %s was compiled without the project's allowed targets; its top file "
                "is not read until the saltenv is published again", project, release_id)
    return False


def _state_top():
    name = str(_opts().get("state_top") or "top.sls")
    if name.startswith("salt://"):
        name = name[len("salt://"):]
    return name.lstrip("/")


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
    Every saltenv ``project/deployment`` whose symlink points at a release with a manifest, except
    a confined project's release whose top file was compiled without its allowed targets (its
    files are still served to runs that name the saltenv; its top file is in no minion's top data).

    Both modes also list the literal ``__env__``: it is what lets ``state.highstate
    saltenv=_spiro_plan/<id>`` (a plan's test run, docs/salt.md "Plans") run a saltenv that is
    not listed; Salt 3006 refuses any state run in an unlisted saltenv otherwise. A run without
    ``saltenv=`` still neither sees nor runs an unlisted saltenv.

    In scale mode only ``__env__``: Salt then fetches no top file and lists no states per
    saltenv on a minion's run (tops/spiro.py answers the top data), and ``__env__`` lets
    ``state.highstate saltenv=project/deployment`` run a saltenv that is not listed.
    Files of every saltenv are served the same in both modes.
    """
    if scale_mode():
        return [_DYNAMIC_ENV]
    data = _data_dir()
    root = os.path.join(data, "envs")
    found = []
    policies = {}
    try:
        projects = os.listdir(root)
    except OSError:
        return [_DYNAMIC_ENV]
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
                    os.path.isdir(os.path.join(data, "releases", release_id)) and \
                    _top_confined(data, project, release_id, _state_top(), policies):
                found.append(project + "/" + deployment)
    return sorted(found) + [_DYNAMIC_ENV]


def _plan_file(saltenv, rel):
    """
    In a plan saltenv, where ``rel`` is read from when the plan changes it: the top file is the
    plan's (``plans/<id>/top.sls``, which renames the candidate's section to the plan saltenv so
    Salt keeps it), and the candidate's own top file answers as ``.spiro-plan/release-top.sls``.
    None: not a plan saltenv, or a file served from the candidate as usual.
    """
    release, directory = _plan(saltenv)
    if release is None:
        return None
    top = _state_top()
    if rel == top:
        full = os.path.join(directory, "top.sls")
        return full if os.path.isfile(full) else ""
    if rel == _PLAN_RELEASE_TOP:
        return os.path.join(release.root, *top.split("/")) if top in release.files else ""
    return None


def find_file(path, tgt_env="base", **kwargs):
    """
    Find ``path`` in the saltenv's live release. The returned path lies inside that release's
    directory, so serve_file and file_hash read that release even if the saltenv flips meanwhile.
    (Salt calls find_file again for every chunk; serve_file keeps a transfer on one release.)
    """
    fnd = {"path": "", "rel": ""}
    if "env" in kwargs and tgt_env == "base":
        tgt_env = kwargs.pop("env")
    rel = _safe_rel(path)
    if rel is None:
        return fnd
    full = _plan_file(tgt_env, rel)
    if full is None:
        release = _resolve(tgt_env)
        if release is None or rel not in release.files:
            return fnd
        full = os.path.join(release.root, *rel.split("/"))
    if not full:
        return fnd
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


def _chunking(buffer_size):
    """
    ``(step, modulus)`` for a master ``file_buffer_size``: every chunk after the first is ``step``
    bytes (a multiple of ``modulus``), the first one ``step - modulus + tag`` (see ``_tag``).
    """
    modulus = 1
    while modulus * 8 <= buffer_size and modulus < _TAG_MODULUS_MAX:
        modulus *= 2
    return buffer_size - buffer_size % modulus, modulus


def _tag(sha256, modulus):
    """1..modulus, from the content hash: what a transfer's offsets say about its content."""
    try:
        return int(sha256[:8], 16) % modulus + 1
    except (TypeError, ValueError):
        return modulus


def _first_chunk(release, rel, step, modulus):
    return step - modulus + _tag(release.files.get(rel), modulus)


def _continues(release, rel, loc, step, modulus):
    """
    Whether offset ``loc`` > 0 is where a transfer of ``rel`` from ``release`` asks next: the
    end of the file, or the first chunk's length plus whole steps. Transfers of different
    contents stand on different offsets (unless their tags collide), so the offset a minion sends
    tells which content it has been receiving.
    """
    size = release.sizes.get(rel)
    if not isinstance(size, int) or rel not in release.files:
        return False
    if loc == size:
        return True
    first = _first_chunk(release, rel, step, modulus)
    return first <= loc < size and (loc - first) % step == 0


def _saltenv_of_release(data, release_id):
    with _lock:
        saltenv = _release_saltenvs.get(release_id)
    if saltenv is not None:
        return saltenv
    try:
        with open(os.path.join(data, "manifests", release_id + ".json"), "rb") as handle:
            head = handle.read(_MANIFEST_HEAD).decode("utf-8", "replace")
    except OSError:
        return None
    match = _SALTENV_KEY.search(head)
    saltenv = match.group(1) if match else _read_manifest_saltenv(data, release_id)
    if saltenv is None:
        return None
    with _lock:
        if len(_release_saltenvs) >= _HASHES_KEPT_IN_MEMORY:
            _release_saltenvs.clear()
        _release_saltenvs[release_id] = saltenv
    return saltenv


def _read_manifest_saltenv(data, release_id):
    try:
        with open(os.path.join(data, "manifests", release_id + ".json"), "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    saltenv = manifest.get("saltenv") if isinstance(manifest, dict) else None
    return saltenv if isinstance(saltenv, str) else None


def _transfer_source(data, saltenv, live, rel, loc, step, modulus):
    """
    The release a minion asking for ``rel`` at ``loc`` > 0 has been receiving: the live one when
    the offset fits it (nearly always), else the newest other release of the saltenv it fits.
    Salt's protocol has no transfer id (every chunk request carries only path, saltenv and offset),
    so this is what keeps a transfer that spans a republish on one release (docs/salt.md).
    """
    if _continues(live, rel, loc, step, modulus):
        return live
    try:
        names = os.listdir(os.path.join(data, "manifests"))
    except OSError:
        names = []
    ids = sorted((name[:-5] for name in names if name.endswith(".json") and _RELEASE_ID.match(name[:-5])), reverse=True)
    for release_id in ids:
        if release_id == live.release_id or _saltenv_of_release(data, release_id) != saltenv:
            continue
        release = _release(data, release_id)
        if release is not None and _continues(release, rel, loc, step, modulus) and \
                os.path.isfile(os.path.join(release.root, *rel.split("/"))):
            return release
    # No release fits: not a transfer the minion's fileclient makes (or its release is gone).
    log.debug("spiro: %s at offset %d fits no release of %s; serving the live one", rel, loc, saltenv)
    return live


def serve_file(load, fnd):
    """
    One chunk of ``rel`` from offset ``load['loc']``; empty data ends the transfer. Chunks are at
    most ``file_buffer_size`` bytes; the first one is a little shorter, by an amount derived from
    the content, so later offsets identify the content (see ``_transfer_source``).
    """
    ret = {"data": b"", "dest": ""}
    saltenv = _saltenv_of(load)
    if not _ours(saltenv) or "path" not in load or "loc" not in load:
        return ret
    full = fnd.get("path") if isinstance(fnd, dict) else None
    release, rel = _pinned(full)
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
    step, modulus = _chunking(size)
    if loc == 0:
        source, length = release, _first_chunk(release, rel, step, modulus)
    else:
        source, length = _transfer_source(_data_dir(), saltenv, release, rel, loc, step, modulus), step
        full = os.path.join(source.root, *rel.split("/"))
    ret["dest"] = fnd["rel"]
    try:
        with open(full, "rb") as handle:
            handle.seek(loc)
            data = handle.read(length)
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
    if "path" not in load or not _ours(_saltenv_of(load)):
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
