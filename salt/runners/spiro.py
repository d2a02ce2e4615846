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
import re
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


def _salt_config_dir():
    return os.path.dirname(str(_opts().get("conf_file") or "/etc/salt/master"))


def _argv(verb, *args, **flags):
    """``spiro <verb> <args> [--flag value ...] [--json] --data <spiro_data>``."""
    as_json = flags.pop("json_output", True)
    argv = _command() + list(verb) + [str(arg) for arg in args]
    for name in sorted(flags):
        value = flags[name]
        if value is None or value is False:
            continue
        argv.append("--" + name.replace("_", "-"))
        if value is not True:
            argv.append(_csv(value))
    return argv + (["--json"] if as_json else []) + ["--data", _data_dir()]


def _set_retcode(code):
    context = globals().get("__context__")
    if context is not None:
        # salt-run exits with this code, so scripts see the CLI's verdict.
        context["retcode"] = code


_TOKEN_ID = re.compile(r"\A[0-9a-f]{16}\Z")


def _secret_arg(token_or_id):
    """
    ``(argument, stdin)`` for a TOKEN|ID argument: a token id (16 hex characters) is not secret and
    goes on the command line; anything else is passed as ``-`` with the value on stdin, so the
    secret never shows in ``ps`` or in the argv the runner builds.
    """
    value = str(token_or_id).strip()
    if _TOKEN_ID.match(value):
        return value, None
    return "-", value + "\n"


def _run(argv, as_json=True, stdin=None):
    """
    Runs the CLI, writing ``stdin`` (text, e.g. a token for a ``-`` argument) to its standard input.
    Returns its JSON (or its text when ``as_json`` is false). A non-zero exit with
    a JSON answer (e.g. ``token check`` of a refused token, exit 1) is an answer, returned with
    ``retcode`` added (salt-run's exit code); a non-zero exit without one raises with the CLI's stderr.
    """
    verb = " ".join(argv[len(_command()):len(_command()) + 2])
    log.debug("spiro: running spiro %s", verb)  # never the arguments or stdin: they may hold a token
    if stdin is None:
        feed = {"stdin": subprocess.DEVNULL}
    else:
        feed = {"input": stdin.encode("utf-8")}
    try:
        proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=_TIMEOUT, **feed)
    except OSError as exc:
        raise SpiroCommandError("cannot run {0}: {1} (set the spiro_command master option)".format(argv[0], exc))
    except subprocess.TimeoutExpired:
        raise SpiroCommandError("spiro {0} did not finish within {1}s".format(verb, _TIMEOUT))
    stdout = proc.stdout.decode("utf-8", "replace").strip()
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    result = None
    if as_json and stdout:
        try:
            result = json.loads(stdout)
        except ValueError:
            if proc.returncode == 0:
                raise SpiroCommandError("spiro {0} printed something that is not JSON: {1!r}".format(verb, stdout[:200]))
    elif not as_json and proc.returncode == 0:
        result = stdout
    if proc.returncode != 0:
        if result is None:
            raise SpiroCommandError("spiro {0} failed (exit {1}): {2}".format(
                verb, proc.returncode, stderr or stdout))
        if stderr:
            log.warning("spiro %s (exit %d): %s", verb, proc.returncode, stderr)
        _set_retcode(proc.returncode)
        if isinstance(result, dict):
            # salt-run (salt/cli/run.py, 3006) exits with the returned dict's "retcode" and ignores
            # __context__["retcode"] (that only marks the job unsuccessful): scripts need the exit code.
            result = dict(result, retcode=proc.returncode)
    return {} if result is None else result


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
    """
    Whether the server would accept ``token`` (optionally for ``project/deployment``). A refused
    token is an answer (``valid: False``), not an error; salt-run then exits 1.
    """
    # The secret goes through stdin (`-`), never argv; Salt still records the runner's own
    # arguments in its job cache, so prefer ids where a verb takes them.
    return _run(_argv(["token", "check"], "-", saltenv=saltenv), stdin=str(token).strip() + "\n")


def inspect_token(token_or_id):
    """Show a token's projects, deployments, lifespan and label (never the secret)."""
    arg, stdin = _secret_arg(token_or_id)
    return _run(_argv(["token", "inspect"], arg), stdin=stdin)


def revoke_token(token_or_id):
    """Revoke a token by its value or id."""
    arg, stdin = _secret_arg(token_or_id)
    return _run(_argv(["token", "revoke"], arg), stdin=stdin)


def list_tokens():
    """List every token (ids and metadata, never the secrets)."""
    return _run(_argv(["token", "list"]))


def query_highstate(saltenv):
    """Which minions a highstate of ``saltenv`` would touch (their top data lists it)."""
    return _run(_argv(["query-highstate"], saltenv, salt_config_dir=_salt_config_dir()))


def list_deployments():
    """Every deployment with its live release."""
    return _run(_argv(["deployments"]))


def rollback(saltenv, to=None):  # pylint: disable=invalid-name
    """
    Switch ``saltenv`` back to the previous kept release, or to release id ``to``. Returns the
    CLI's one-line report (``foo/dev now serves release ... (was ...)``).
    """
    # `spiro rollback` reports in text only; it has no --json.
    return _run(_argv(["rollback"], saltenv, to=to, json_output=False), as_json=False)
