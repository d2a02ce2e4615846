# -*- coding: utf-8 -*-
"""
Runs and supervises the SpiroFS deploy server (``spiro serve``) inside the salt-master.

Master config::

    engines:
      - spiro:
          port: 4510
          ssl_crt: /etc/pki/tls/certs/spiro.crt
          ssl_key: /etc/pki/tls/private/spiro.key

Optional keys: ``host``, ``config`` (a ``spiro serve`` settings file; without ``port`` here its
port applies), ``salt_command``, ``highstate_timeout``, ``batch_size``,
``max_concurrent_deploys``, ``max_body_size``, ``keep_releases`` (passed to ``spiro serve`` as
``--host`` and so on) and ``spiro_command`` (else the ``spiro_command`` master
option, else ``spiro`` on PATH). The data dir is the ``spiro_data`` master option (default
``<cachedir>/spirofs``); the server's ``salt`` commands get the master's config dir.

The server is restarted with exponential backoff when it dies, stopped (SIGTERM, then SIGKILL) when
the engine ends, and its output lines go to Salt's log.
"""

import atexit
import logging
import os
import re
import signal
import subprocess
import threading
import time

log = logging.getLogger(__name__)

__virtualname__ = "spiro"

# Tunables; tests shorten them.
_BACKOFF_INITIAL = 1.0
_BACKOFF_MAX = 60.0
_STABLE_AFTER = 60.0  # a run this long resets the backoff
_GRACE = 10.0  # SIGTERM -> SIGKILL
_POLL = 0.2

# Set to end start(); signal handlers and tests set it.
_stop = threading.Event()
_supervisor = None

# .NET console log prefixes -> Salt log levels; continuation lines keep the last level.
_LEVELS = {"crit": logging.CRITICAL, "fail": logging.ERROR, "warn": logging.WARNING,
           "info": logging.INFO, "dbug": logging.DEBUG, "trce": logging.DEBUG}
_LEVEL_PREFIX = re.compile(r"\A(crit|fail|warn|info|dbug|trce): ")

# Flag name and converter for each optional engine key.
_OPTIONAL = {
    "host": ("--host", str),
    "config": ("--config", str),
    "salt_command": ("--salt-command", str),
    "highstate_timeout": ("--highstate-timeout", str),
    "batch_size": ("--batch-size", int),
    "max_concurrent_deploys": ("--max-concurrent-deploys", int),
    "max_body_size": ("--max-body-size", str),
    "keep_releases": ("--keep-releases", int),
}

try:
    import ctypes
    _PRCTL = ctypes.CDLL("libc.so.6", use_errno=True).prctl
except (ImportError, OSError, AttributeError):  # not Linux/glibc: atexit and signals still apply
    _PRCTL = None
_PR_SET_PDEATHSIG = 1


class ConfigError(ValueError):
    """The engine config is unusable; the message names the key."""


def __virtual__():
    return __virtualname__


def _opts():
    # Salt injects __opts__ (a mapping proxy in 3006+); absent only outside Salt's loader.
    opts = globals().get("__opts__")
    return {} if opts is None else opts


def _port(value):
    try:
        port = int(str(value).strip())
    except ValueError:
        raise ConfigError("spiro engine: port must be a number 1-65535, got {0!r}".format(value))
    if not 1 <= port <= 65535:
        raise ConfigError("spiro engine: port must be a number 1-65535, got {0!r}".format(value))
    return port


def build_argv(opts, port=None, ssl_crt=None, ssl_key=None, **rest):
    """The ``spiro serve`` command line for this engine config (YAML types coerced and checked)."""
    command = rest.pop("spiro_command", None) or opts.get("spiro_command") or "spiro"
    argv = [str(part) for part in command] if isinstance(command, (list, tuple)) else [str(command)]
    argv += ["serve"]
    # With a ``config`` file and no ``port`` key the file's port (or the server's 4510) applies,
    # so the engine and spiro.service can share one settings file (docs/install.md).
    if port is not None or rest.get("config") is None:
        argv += ["--port", str(_port(4510 if port is None else port))]
    if bool(ssl_crt) != bool(ssl_key):
        raise ConfigError("spiro engine: ssl_crt and ssl_key go together; got only {0}".format(
            "ssl_crt" if ssl_crt else "ssl_key"))
    if ssl_crt:
        argv += ["--ssl-crt", str(ssl_crt), "--ssl-key", str(ssl_key)]
    data = opts.get("spiro_data") or os.path.join(opts.get("cachedir", "/var/cache/salt/master"), "spirofs")
    conf_dir = os.path.dirname(str(opts.get("conf_file") or "/etc/salt/master"))
    argv += ["--data", str(data), "--salt-config-dir", conf_dir]
    for key in sorted(rest):
        if key not in _OPTIONAL:
            log.warning("spiro engine: ignoring unknown option %r (known: %s)", key, ", ".join(sorted(_OPTIONAL)))
            continue
        if rest[key] is None:
            continue
        flag, convert = _OPTIONAL[key]
        try:
            value = convert(str(rest[key]).strip())
        except ValueError:
            raise ConfigError("spiro engine: {0} must be a number, got {1!r}".format(key, rest[key]))
        argv += [flag, str(value)]
    return argv


def _die_with_parent(parent):
    def preexec():
        # The server must not outlive the engine even if the engine is SIGKILLed.
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the engine died before prctl took effect
            os._exit(1)
    return preexec


def _forward(stream, default_level):
    level = default_level
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip()
        if not line:
            continue
        match = _LEVEL_PREFIX.match(line)
        if match:
            level = _LEVELS[match.group(1)]
        elif not line[:1].isspace():
            level = default_level
        log.log(level, "spiro serve: %s", line)
    stream.close()


class _Supervisor(object):
    """Starts the server, restarts it with backoff when it dies, stops it when asked."""

    def __init__(self, argv, stop):
        self.argv = argv
        self.stop = stop
        self.delays = []  # every backoff wait, for operators' logs and tests
        self.starts = 0
        self._proc = None
        self._lock = threading.RLock()  # the signal handler may run while run() holds it

    def run(self):
        delay = _BACKOFF_INITIAL
        try:
            while not self.stop.is_set():
                started = time.monotonic()
                code = self._run_once()
                if self.stop.is_set():
                    break
                if time.monotonic() - started >= _STABLE_AFTER:
                    delay = _BACKOFF_INITIAL
                log.error("spiro engine: %s exited with %s; restarting in %.1fs", self.argv[0], code, delay)
                self.delays.append(delay)
                if self.stop.wait(delay):
                    break
                delay = min(delay * 2, _BACKOFF_MAX)
        finally:
            self.stop_child()

    def _run_once(self):
        preexec = _die_with_parent(os.getpid()) if _PRCTL is not None else None
        with self._lock:
            if self.stop.is_set():
                return None
            try:
                proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, close_fds=True, preexec_fn=preexec)
            except OSError as exc:
                log.error("spiro engine: cannot start %s: %s (set spiro_command)", self.argv[0], exc)
                return None
            self._proc = proc
            self.starts += 1
        log.info("spiro engine: started %s (pid %d)", " ".join(self.argv[:2]), proc.pid)
        readers = [threading.Thread(target=_forward, args=(proc.stdout, logging.INFO)),
                   threading.Thread(target=_forward, args=(proc.stderr, logging.WARNING))]
        for reader in readers:
            reader.daemon = True
            reader.start()
        while proc.poll() is None:
            if self.stop.wait(_POLL):
                self.stop_child()
        for reader in readers:
            reader.join(5)
        return proc.returncode

    def stop_child(self):
        """SIGTERM, then SIGKILL after the grace period. Safe to call from anywhere, repeatedly."""
        with self._lock:
            proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        log.info("spiro engine: stopping pid %d", proc.pid)
        proc.terminate()
        try:
            proc.wait(_GRACE)
        except subprocess.TimeoutExpired:
            log.warning("spiro engine: pid %d ignored SIGTERM for %.0fs; killing it", proc.pid, _GRACE)
            proc.kill()
            proc.wait()


def _install_signal_handlers(supervisor):
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)

        def handler(number, frame, previous=previous):
            _stop.set()
            supervisor.stop_child()
            if callable(previous):
                previous(number, frame)  # Salt's own handler exits the process
            else:
                raise SystemExit(0)
        signal.signal(signum, handler)


def start(port=None, ssl_crt=None, ssl_key=None, **rest):
    """Engine entry point: blocks while supervising ``spiro serve``; only does work on the master."""
    global _supervisor  # pylint: disable=global-statement
    opts = _opts()
    role = opts.get("__role") or opts.get("__role__")
    if role != "master":
        log.error("spiro engine: runs only on the salt-master (this is %r); doing nothing", role)
        _stop.wait()
        return
    try:
        argv = build_argv(opts, port, ssl_crt, ssl_key, **rest)
    except ConfigError as exc:
        # Returning would make Salt restart the engine in a loop; say it once and idle.
        log.error("%s; the deploy server is not started", exc)
        _stop.wait()
        return
    _supervisor = _Supervisor(argv, _stop)
    atexit.register(_supervisor.stop_child)
    _install_signal_handlers(_supervisor)
    _supervisor.run()
