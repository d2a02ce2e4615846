# -*- coding: utf-8 -*-
"""
SpiroFS master_tops module: scale mode (docs/salt.md, "Scale mode").

Master config::

    master_tops:
      spiro: {}

Without it Salt fetches and renders the top file of every listed saltenv on every minion run, so
a highstate costs more with every saltenv published. In scale mode the fileserver backend lists
only the literal saltenv ``__env__`` (so ``saltenv=project/deployment`` runs still find their
saltenv), and this module answers a minion's whole top data, ``{saltenv: [state, ...]}``, in one
master call from the compiled top file of every live release (docs/storage.md).

Targets are matched with Salt's own matchers (``confirm_top``, the function the minion's highstate
uses), given the minion's id, grains, pillar and the master's nodegroups. A top file without
Jinja is parsed once per release id (ids are never reused) with Salt's yaml renderer, so the
per-call cost is one symlink read per saltenv and a match per target. A top file with Jinja is
rendered per minion in Salt's Jinja environment with the minion's grains, pillar and opts, kept
inside its release and away from the master's files and network (see _jinja_environment).

Reads the store layout of docs/storage.md; keep the helpers below in step with
fileserver/spiro.py (Salt loads each module on its own, so they cannot share code).
"""

import collections
import fnmatch
import io
import json
import logging
import os
import posixpath
import re
import threading
import types

try:
    import salt.loader
    import salt.template
    import salt.utils.data
    import salt.utils.decorators.jinja
    import salt.utils.jinja
    import salt.utils.minions
    import salt.utils.templates  # registers Salt's Jinja filters; its jinja2 is the one Salt renders with

    _HAS_SALT = True
except ImportError:  # loaded outside Salt (the adapter's own tests without Salt on the path)
    _HAS_SALT = False

log = logging.getLogger(__name__)

__virtualname__ = "spiro"

_NAME = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
_RELEASE_ID = re.compile(r"\A[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\Z")
_JINJA_MARKERS = ("{%", "{{", "{#")
# Only these run on the master: in the default mode the minion renders the top file, and a
# bundle's top must not get to run py, mako or any other renderer inside the master.
_RENDERERS = ("jinja", "yaml")
_MAX_TOP_BYTES = 4 << 20  # a bound for the parser; compiled tops are far smaller
_TOPS_KEPT_IN_MEMORY = 4096  # release ids; a thousand saltenvs fit with room for rollbacks
# Compiled tops are also kept under <cachedir>/spiro/tops/<release id>.json: each master worker
# is a process of its own, and reading a thousand small files beats rendering a thousand tops.
_DELIMITER = ":"  # Salt's DEFAULT_TARGET_DELIM
_GLOB_CHARS = ("*", "?", "[")

_lock = threading.Lock()
_compiled = collections.OrderedDict()  # release id -> _Top, least recently used first


def __virtual__():
    if not _HAS_SALT:
        return False, "the spiro master_tops module runs inside salt-master"
    return __virtualname__


class _Top(object):
    """One release's compiled top file: its own section ready to match, or a template to render."""

    __slots__ = ("release_id", "root", "path", "section", "template", "states")

    def __init__(self, release_id, root, path, section, template, states):
        self.release_id = release_id
        self.root = root
        self.path = path
        self.section = section  # {target: [items]} when static, else None
        self.template = template  # True when it must be rendered per minion
        self.states = states  # the release's state names (fileclient.list_states), sorted


def _opts():
    opts = globals().get("__opts__")
    return {} if opts is None else opts


def _data_dir():
    opts = _opts()
    data = opts.get("spiro_data")
    if not data:
        data = os.path.join(opts.get("cachedir", "/var/cache/salt/master"), "spirofs")
    return os.path.abspath(data)


def _state_top():
    name = str(_opts().get("state_top") or "top.sls")
    if name.startswith("salt://"):
        name = name[len("salt://"):]
    return name.lstrip("/")


def _live_release_id(data, project, deployment):
    try:
        target = os.readlink(os.path.join(data, "envs", project, deployment))
    except OSError:
        return None
    head, release_id = posixpath.split(target)
    if head != "../../releases" or not _RELEASE_ID.match(release_id):
        return None
    return release_id


def _live_saltenvs(data):
    """[(saltenv, release id)] of every live saltenv, sorted by saltenv as envs() lists them."""
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
            if release_id is not None:
                found.append((project + "/" + deployment, release_id))
    found.sort()
    return found


def _list_states(data, release_id):
    """The release's state names as Salt's fileclient.list_states derives them from file_list."""
    path = os.path.join(data, "manifests", release_id + ".json")
    try:
        with open(path, "rb") as handle:
            manifest = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError) as exc:
        log.error("spiro tops: cannot read manifest %s: %s", path, exc)
        return None
    states = set()
    entries = manifest.get("entries") if isinstance(manifest, dict) else None
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or entry.get("kind") != "file":
            continue
        rel = entry.get("path")
        if not isinstance(rel, str) or not rel.endswith(".sls"):
            continue
        if rel.endswith("/init.sls"):
            states.add(rel.replace("/", ".")[:-9])
        else:
            states.add(rel.replace("/", ".")[:-4])
    return sorted(states)


def _pipe_of(text):
    """The renderer names of a top file's shebang line, or None without one."""
    first = text.split("\n", 1)[0].strip()
    if not first.startswith("#!"):
        return None
    return [part.strip().split(" ", 1)[0] for part in first[2:].split("|")]


def _compile(data, saltenv, release_id):
    """A _Top for the release, or None (no top file, or one this module will not render)."""
    manifest_states = _list_states(data, release_id)
    if manifest_states is None:
        return None
    root = os.path.join(data, "releases", release_id)
    path = os.path.join(root, *_state_top().split("/"))
    nothing = _Top(release_id, root, path, {}, False, manifest_states)
    try:
        size = os.path.getsize(path)
        if size > _MAX_TOP_BYTES:
            log.error("spiro tops: %s: %s is %d bytes, more than %d; saltenv skipped",
                      saltenv, _state_top(), size, _MAX_TOP_BYTES)
            return nothing
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        # No top file: the saltenv is in no minion's top data, as in the default mode.
        return nothing
    pipe = _pipe_of(text)
    if pipe is not None and not all(name in _RENDERERS for name in pipe):
        log.error("spiro tops: %s: %s asks for renderers %s; scale mode renders top files with "
                  "jinja and yaml only; saltenv skipped", saltenv, _state_top(), "|".join(pipe))
        return nothing
    if any(marker in text for marker in _JINJA_MARKERS):
        return _Top(release_id, root, path, None, True, manifest_states)
    # Without Jinja the text renders the same for every minion (jinja would pass it through
    # unchanged): yaml alone, once per release id.
    try:
        rendered = salt.template.compile_template(
            path, _static_renderers(), "yaml", [], list(_RENDERERS), saltenv=saltenv)
    except Exception as exc:  # pylint: disable=broad-except
        log.error("spiro tops: %s: cannot render %s: %s; saltenv skipped", saltenv, _state_top(), exc)
        return nothing
    return _Top(release_id, root, path, _section(rendered, saltenv), False, manifest_states)


# A confined project (docs/security.md, "Target confinement"): projects/<project>.json names its
# allowed targets, and every top file compiled under them starts with this line. A live release
# whose top file does not (it was published before the confinement, or rolled back to) is not
# read for top data: its targets would reach minions outside the project.
# salt/fileserver/spiro.py holds the same block: Salt's tops loader injects no __utils__, so the two modules
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


_loaded = {}


def _matchers():
    """
    Salt's matchers, loaded once per master worker (a loader copies the master opts: slow). Each
    call passes the minion's opts, so every matcher reads that minion's id, grains and pillar.
    """
    with _lock:
        if "matchers" not in _loaded:
            _loaded["matchers"] = salt.loader.matchers(dict(_opts()))
        return _loaded["matchers"]


def _static_renderers():
    """One renderer loader per master worker for top files without Jinja (creating one is slow)."""
    with _lock:
        if "renderers" not in _loaded:
            opts = dict(_opts())
            opts.update(grains={}, pillar={})
            _loaded["renderers"] = salt.loader.render(opts, {})
        return _loaded["renderers"]


def _section(rendered, saltenv):
    """The saltenv's own section of rendered top data, as Salt's 'merge' and 'same' strategies read it."""
    if not isinstance(rendered, dict):
        return {}
    section = rendered.get(saltenv)
    if not isinstance(section, dict):
        return {}
    return section


def _cache_path(release_id):
    cachedir = _opts().get("cachedir")
    return os.path.join(cachedir, "spiro", "tops", release_id + ".json") if cachedir else None


def _read_cache(data, release_id):
    """The compiled top another master worker (or an earlier master) wrote, or None."""
    path = _cache_path(release_id)
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            cached = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("format") != 1 or cached.get("state_top") != _state_top() \
            or cached.get("data") != data or not isinstance(cached.get("states"), list):
        return None
    root = os.path.join(data, "releases", release_id)
    section = cached.get("section")
    if not cached.get("template") and not isinstance(section, dict):
        return None
    return _Top(release_id, root, os.path.join(root, *_state_top().split("/")),
                None if cached.get("template") else section, bool(cached.get("template")), cached["states"])


def _write_cache(data, top):
    """Saves a compiled top for the other workers: a release's top never changes, so neither does this."""
    path = _cache_path(top.release_id)
    if path is None:
        return
    cached = {"format": 1, "data": data, "state_top": _state_top(), "template": top.template,
              "section": top.section, "states": top.states}
    try:
        text = json.dumps(cached)
        if json.loads(text) != cached:
            return  # YAML gave something JSON cannot hold as is (a number as a key): keep it in memory only
        os.makedirs(os.path.dirname(path), exist_ok=True)
        temp = "{0}.{1}.tmp".format(path, os.getpid())
        with open(temp, "w") as handle:
            handle.write(text)
        os.replace(temp, path)
    except (OSError, TypeError, ValueError) as exc:
        log.debug("spiro tops: cannot cache %s: %s", path, exc)


def _top_of(data, saltenv, release_id):
    with _lock:
        top = _compiled.get(release_id)
        if top is not None and top.root == os.path.join(data, "releases", release_id):
            _compiled.move_to_end(release_id)
            return top
    top = _read_cache(data, release_id)
    if top is None:
        top = _compile(data, saltenv, release_id)
        if top is None:
            return None
        _write_cache(data, top)
    with _lock:
        _compiled[release_id] = top
        while len(_compiled) > _TOPS_KEPT_IN_MEMORY:
            _compiled.popitem(last=False)
    return top


# Salt's Jinja filters that reach outside the template (files, HTTP, DNS, users, PATH): on the
# master they would hand a bundle the master's files and network. Everything else Salt adds is
# pure data handling and stays.
_UNSAFE_FILTER_MODULES = ("salt.utils.files", "salt.utils.http", "salt.utils.path", "salt.utils.user")
_UNSAFE_FILTERS = ("file_hashsum", "dns_check")


def _jinja_environment(root):
    """
    Salt's Jinja environment for top files (as salt.utils.templates.render_jinja_tmpl builds it:
    sandboxed, strict undefined, do/loopcontrols, Salt's serializer tags and filters), with two
    differences that keep a bundle inside its release: templates load from the release tree only
    (jinja2's FileSystemLoader refuses absolute and '..' paths; SaltCacheLoader would open an
    absolute path on the master), and the filters that touch the master's files or network are
    left out.
    """
    jinja2 = salt.utils.templates.jinja2
    args = {"loader": jinja2.FileSystemLoader(root), "undefined": jinja2.StrictUndefined,
            "extensions": ["jinja2.ext.do", "jinja2.ext.loopcontrols", salt.utils.jinja.SerializerExtension]}
    for key, value in (_opts().get("jinja_env") or {}).items():
        if isinstance(key, str) and hasattr(jinja2.defaults, key.upper()):
            args[key.lower()] = value
    env = jinja2.sandbox.SandboxedEnvironment(**args)
    env.tests.update(salt.utils.decorators.jinja.JinjaTest.salt_jinja_tests)
    env.tests["list"] = salt.utils.data.is_list
    for name, function in salt.utils.decorators.jinja.JinjaFilter.salt_jinja_filters.items():
        if name not in _UNSAFE_FILTERS and getattr(function, "__module__", "") not in _UNSAFE_FILTER_MODULES:
            env.filters[name] = function
    env.globals.update(salt.utils.decorators.jinja.JinjaGlobal.salt_jinja_globals)
    env.globals["odict"] = collections.OrderedDict
    return env


def _lookup(source, key, default="", delimiter=_DELIMITER, **kwargs):  # pylint: disable=unused-argument
    return salt.utils.data.traverse_dict_and_list(source, key, default, delimiter)


class _Minion(object):
    """What matching and rendering need of one minion, built once per call and only when used."""

    def __init__(self, minion_opts, grains):
        self.id = minion_opts["id"]
        self.grains = grains if isinstance(grains, dict) else (minion_opts.get("grains") or {})
        self.pillar = minion_opts.get("pillar") or {}
        self.minion_opts = minion_opts
        self.nodegroups = _opts().get("nodegroups") or {}
        self._match_opts = None

    def matches(self, target, data):
        """Salt's confirm_top for this minion: the last ``match:`` option names the matcher."""
        matcher = "compound"
        for item in data:
            if isinstance(item, dict) and "match" in item:
                matcher = item["match"]
        if matcher in ("compound", "glob") and _plain_glob(target):
            # What compound_match does with one word that names no engine, and glob_match with
            # any target: fnmatch on the id. Most targets are this; the loader round trip is not
            # free and would be paid once per saltenv per minion run.
            return fnmatch.fnmatch(self.minion_opts.get("minion_id", self.id), target)
        if self._match_opts is None:
            self._match_opts = dict(self.minion_opts)
            self._match_opts.update(id=self.id, grains=self.grains, pillar=self.pillar, nodegroups=self.nodegroups)
        try:
            matchers = _matchers()
            if matcher == "nodegroup":
                # nodegroup_match.match would compound-match without opts, i.e. as the master.
                if target not in self.nodegroups:
                    return False
                target = salt.utils.minions.nodegroup_comp(target, self.nodegroups)
                matcher = "compound"
            return bool(matchers[str(matcher) + "_match.match"](target, opts=self._match_opts))
        except Exception as exc:  # pylint: disable=broad-except
            log.error("spiro tops: cannot match %r (%s) for minion %s: %s", target, matcher, self.id, exc)
            return False

    def render(self, top, saltenv):
        """This minion's section of a Jinja top file: Jinja with the minion's data, then Salt's yaml."""
        try:
            with open(top.path, "rb") as handle:
                text = handle.read().decode("utf-8")
            # Of the execution modules only the read-only lookups; the rest would run on the master.
            functions = {
                "grains.get": lambda key, default="", delimiter=_DELIMITER, **kw: _lookup(self.grains, key, default, delimiter),
                "pillar.get": lambda key, default="", delimiter=_DELIMITER, **kw: _lookup(self.pillar, key, default, delimiter),
                # A confined project's wrapper asks whether this minion is inside its allowed targets.
                "match.compound": lambda tgt, minion_id=None: self.matches(tgt, [{"match": "compound"}]),
            }
            modules = {"grains": types.SimpleNamespace(get=functions["grains.get"]),
                       "pillar": types.SimpleNamespace(get=functions["pillar.get"])}
            modules.update(functions)
            context = {"grains": self.grains, "pillar": self.pillar, "opts": self.minion_opts,
                       "saltenv": saltenv, "sls": "", "salt": modules}
            output = _jinja_environment(top.root).from_string(text).render(**context)
            rendered = _static_renderers()["yaml"](io.StringIO(output), saltenv=saltenv)
            return _section(rendered, saltenv)
        except Exception as exc:  # pylint: disable=broad-except
            log.error("spiro tops: %s: cannot render %s for minion %s: %s; saltenv skipped",
                      saltenv, _state_top(), self.id, exc)
            log.debug("spiro tops: the render error in full", exc_info=True)
            return {}


_OPERATORS = ("and", "or", "not", "(", ")")
_plain_globs = {}


def _plain_glob(target):
    """Whether compound_match would evaluate ``target`` as one glob_match of the minion id."""
    if not isinstance(target, str):
        return False
    known = _plain_globs.get(target)
    if known is None:
        words = target.split()
        known = (len(words) == 1 and words[0] == target and target not in _OPERATORS
                 and not (salt.utils.minions.parse_target(target) or {}).get("engine"))
        if len(_plain_globs) > 100000:
            _plain_globs.clear()
        _plain_globs[target] = known
    return known


def _expand(name, states):
    """A state glob as render_highstate expands it against the saltenv's states; other names as is."""
    if not any(char in name for char in _GLOB_CHARS):
        return [name]
    return fnmatch.filter(states, name) or [name]


def _add(out, saltenv, names):
    # Appended as Salt appends them, duplicates included: show_top then reads the same.
    out.setdefault(saltenv, []).extend(names)


def _filter(out, saltenv, target, data, minion, known, states):
    """BaseHighState.top_matches's _filter_matches for one target of one saltenv's section."""
    if isinstance(data, str):
        data = [data]
    if not isinstance(data, list) or not minion.matches(target, data):
        return
    out.setdefault(saltenv, [])
    for item in data:
        if isinstance(item, str):
            _add(out, saltenv, _expand(item, states))
        elif isinstance(item, dict) and item:
            if "subfilter" in item and isinstance(item["subfilter"], dict):
                for sub_target, sub_data in item["subfilter"].items():
                    _filter(out, saltenv, sub_target, sub_data, minion, known, states)
                continue
            # {other-saltenv: state} adds a state of another saltenv; 'match: grain' is an option.
            env_key, inc_sls = list(item.items())[-1]
            if env_key in known and isinstance(inc_sls, str):
                _add(out, env_key, [inc_sls])


def top(**kwargs):
    """
    ``{saltenv: [state, ...]}`` for the minion whose opts and grains Salt passes, from the
    compiled top file of every live SpiroFS saltenv.
    """
    minion_opts = kwargs.get("opts")
    if not isinstance(minion_opts, dict) or not isinstance(minion_opts.get("id"), str):
        return {}
    master = _opts()
    # A run with saltenv= reads that saltenv's top file itself (it is served though not listed),
    # and state_top_saltenv limits top files to one saltenv: the default mode's answer either way.
    if minion_opts.get("saltenv") or master.get("state_top_saltenv"):
        return {}
    data = _data_dir()
    live = _live_saltenvs(data)
    env_order = master.get("env_order") or []
    if env_order:
        order = {name: index for index, name in enumerate(env_order)}
        live = sorted((item for item in live if item[0] in order), key=lambda item: order[item[0]])
    known = {saltenv for saltenv, _ in live}
    known.add("base")
    known.update((master.get("file_roots") or {}).keys())
    minion = _Minion(minion_opts, kwargs.get("grains"))
    out = collections.OrderedDict()
    policies = {}
    for saltenv, release_id in live:
        if not _top_confined(data, saltenv.split("/", 1)[0], release_id, _state_top(), policies):
            continue
        top = _top_of(data, saltenv, release_id)
        if top is None:
            continue
        section = minion.render(top, saltenv) if top.template else top.section
        for target, items in section.items():
            _filter(out, saltenv, target, items, minion, known, top.states)
    return out
