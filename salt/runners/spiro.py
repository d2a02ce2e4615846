# -*- coding: utf-8 -*-
"""
SpiroFS admin from ``salt-run``: tokens, deployments, rollback, highstate queries.

Every function runs the ``spiro`` admin CLI with ``--json --data <spiro_data>`` and returns its
parsed JSON, so ``salt-run spiro.issue_token myproject`` prints the new token. The CLI does the
work; this module only builds the command line.

Master options: ``spiro_command`` (default ``spiro`` on PATH; a string is one executable path, a
list is an argv prefix), ``spiro_data`` (default ``<cachedir>/spirofs``).

CLI Example:

.. code-block:: bash

    salt-run spiro.issue_token myproject deployments=dev,staging lifespan=30d label=ci
    salt-run spiro.list_deployments
    salt-run spiro.rollback myproject/prod
"""

import json
import logging
import os
import subprocess

log = logging.getLogger(__name__)

__virtualname__ = "spiro"

try:
    from salt.exceptions import CommandExecutionError as _BaseError
except ImportError:  # loaded outside Salt (tests)
    _BaseError = Exception

_TIMEOUT = 300


class SpiroCommandError(_BaseError):
    """The spiro CLI failed; the message carries its exit code and stderr."""


def __virtual__():
    return __virtualname__


def _opts():
    # Salt injects __opts__ (a mapping proxy in 3006+); absent only outside Salt's loader.
    opts = globals().get("__opts__")
    return {} if opts is None else opts


def _command():
    command = _opts().get("spiro_command") or "spiro"
    if isinstance(command, (list, tuple)):
        return [str(part) for part in command]
    return [str(command)]


def _data_dir():
    opts = _opts()
    data = opts.get("spiro_data")
    if not data:
        data = os.path.join(opts.get("cachedir", "/var/cache/salt/master"), "spirofs")
    return str(data)


def _csv(value):
    """YAML/CLI lists arrive as lists or comma strings; the CLI takes a comma list."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(item).strip() for item in value)
    return str(value).strip()


def _argv(verb, *args, **flags):
    argv = _command() + list(verb) + [str(arg) for arg in args]
    for name in sorted(flags):
        value = flags[name]
        if value is None or value is False:
            continue
        argv.append("--" + name.replace("_", "-"))
        if value is not True:
            argv.append(_csv(value))
    return argv + ["--json", "--data", _data_dir()]


def _run(argv):
    log.debug("spiro: running %s", " ".join(argv[:3]))  # never log arguments: they may hold a token
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=_TIMEOUT)
    except OSError as exc:
        raise SpiroCommandError("cannot run {0}: {1} (set the spiro_command master option)".format(argv[0], exc))
    except subprocess.TimeoutExpired:
        raise SpiroCommandError("{0} {1} did not finish within {2}s".format(argv[0], argv[1], _TIMEOUT))
    stdout = proc.stdout.decode("utf-8", "replace")
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise SpiroCommandError("spiro {0} failed (exit {1}): {2}".format(
            " ".join(argv[len(_command()):len(_command()) + 2]), proc.returncode, stderr or stdout.strip()))
    try:
        return json.loads(stdout) if stdout.strip() else {}
    except ValueError:
        raise SpiroCommandError("spiro printed something that is not JSON: {0!r}".format(stdout[:200]))


def issue_token(project, deployments=None, lifespan=None, label=None):
    """
    Issue a deploy token for ``project`` (or a list/comma list of projects). Printed once.

    CLI Example: ``salt-run spiro.issue_token myproject deployments=dev lifespan=30d label=ci``
    """
    return _run(_argv(["token", "issue"], _csv(project), deployments=deployments,
                      lifespan=lifespan, label=label))


def issue_root_token(lifespan=None, label=None):
    """Issue a token valid for every project. CLI Example: ``salt-run spiro.issue_root_token``"""
    return _run(_argv(["token", "issue-root"], lifespan=lifespan, label=label))


def check_token(token, saltenv=None):
    """Check a token (optionally for one saltenv ``project/deployment``)."""
    return _run(_argv(["token", "check"], token, saltenv=saltenv))


def inspect_token(token_or_id):
    """Show a token's projects, deployments, lifespan and label (never the secret)."""
    return _run(_argv(["token", "inspect"], token_or_id))


def revoke_token(token_or_id):
    """Revoke a token by its value or id."""
    return _run(_argv(["token", "revoke"], token_or_id))


def list_tokens():
    """List every token (ids and metadata, never the secrets)."""
    return _run(_argv(["token", "list"]))


def query_highstate(saltenv):
    """Which minions a highstate of ``saltenv`` would touch (their top data lists it)."""
    return _run(_argv(["query-highstate"], saltenv))


def list_deployments():
    """Every deployment with its live release."""
    return _run(_argv(["deployments"]))


def rollback(saltenv, to=None):  # pylint: disable=invalid-name
    """Switch ``saltenv`` back to the previous release, or to release id ``to``."""
    return _run(_argv(["rollback"], saltenv, to=to))
