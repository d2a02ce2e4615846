# -*- coding: utf-8 -*-
"""The runner builds `spiro ... --json --data DIR` command lines and returns the parsed JSON."""

import json
import os
import shutil
import sys
import tempfile
import textwrap
import unittest

from tests import support

FAKE_SPIRO = textwrap.dedent("""\
    #!{python}
    # Fake `spiro`: records argv, prints what the test asked for.
    import json, os, sys
    state = os.environ["FAKE_SPIRO_STATE"]
    with open(os.path.join(state, "argv.json"), "w") as out:
        json.dump(sys.argv[1:], out)
    reply = json.load(open(os.path.join(state, "reply.json")))
    sys.stdout.write(reply["stdout"])
    sys.stderr.write(reply["stderr"])
    sys.exit(reply["rc"])
    """)


class RunnerArgvTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spiro-runner-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        fake = os.path.join(self.tmp, "fake-spiro")
        with open(fake, "w") as handle:
            handle.write(FAKE_SPIRO.format(python=sys.executable))
        os.chmod(fake, 0o755)
        os.environ["FAKE_SPIRO_STATE"] = self.tmp
        self.addCleanup(os.environ.pop, "FAKE_SPIRO_STATE", None)
        self.data = os.path.join(self.tmp, "data")
        self.opts = {"cachedir": "/var/cache/salt/master", "spiro_command": fake, "spiro_data": self.data}
        self.runner = support.load_module("runners", self.opts)
        self.reply({"ok": True})

    def reply(self, payload, rc=0, stderr="", raw=None):
        with open(os.path.join(self.tmp, "reply.json"), "w") as handle:
            json.dump({"stdout": raw if raw is not None else json.dumps(payload), "stderr": stderr, "rc": rc}, handle)

    def argv(self):
        with open(os.path.join(self.tmp, "argv.json")) as handle:
            return json.load(handle)

    def check(self, call, expected):
        self.assertEqual(call(), {"ok": True})
        self.assertEqual(self.argv(), expected + ["--json", "--data", self.data])

    def test_issue_token_for_one_project(self):
        self.check(lambda: self.runner.issue_token("myproject"), ["token", "issue", "myproject"])

    def test_issue_token_with_every_option_and_lists(self):
        self.check(lambda: self.runner.issue_token(["a", "b"], deployments=["dev", "staging"], lifespan="30d",
                                                   label="ci runner"),
                   ["token", "issue", "a,b", "--deployments", "dev,staging", "--label", "ci runner",
                    "--lifespan", "30d"])
        self.check(lambda: self.runner.issue_token("a,b", deployments="dev"),
                   ["token", "issue", "a,b", "--deployments", "dev"])

    def test_issue_root_token(self):
        self.check(lambda: self.runner.issue_root_token(lifespan="1d"), ["token", "issue-root", "--lifespan", "1d"])

    def test_check_inspect_revoke_and_list_tokens(self):
        self.check(lambda: self.runner.check_token("tok"), ["token", "check", "tok"])
        self.check(lambda: self.runner.check_token("tok", saltenv="foo/dev"),
                   ["token", "check", "tok", "--saltenv", "foo/dev"])
        self.check(lambda: self.runner.inspect_token("id1"), ["token", "inspect", "id1"])
        self.check(lambda: self.runner.revoke_token("id1"), ["token", "revoke", "id1"])
        self.check(self.runner.list_tokens, ["token", "list"])

    def test_deployments_highstate_query_and_rollback(self):
        self.check(self.runner.list_deployments, ["deployments"])
        self.check(lambda: self.runner.query_highstate("foo/dev"), ["query-highstate", "foo/dev"])
        self.check(lambda: self.runner.rollback("foo/prod"), ["rollback", "foo/prod"])
        self.check(lambda: self.runner.rollback("foo/prod", to="20261125T140102Z-1a2b3c4d"),
                   ["rollback", "foo/prod", "--to", "20261125T140102Z-1a2b3c4d"])

    def test_json_lists_come_back_as_lists(self):
        self.reply([{"saltenv": "foo/dev"}])
        self.assertEqual(self.runner.list_deployments(), [{"saltenv": "foo/dev"}])

    def test_data_dir_defaults_to_the_cachedir(self):
        del self.opts["spiro_data"]
        self.runner.list_tokens()
        self.assertEqual(self.argv()[-2:], ["--data", "/var/cache/salt/master/spirofs"])

    def test_a_list_command_is_an_argv_prefix(self):
        self.opts["spiro_command"] = [sys.executable, self.opts["spiro_command"]]
        self.check(self.runner.list_tokens, ["token", "list"])

    def test_a_failing_command_raises_with_its_stderr(self):
        self.reply(None, rc=1, stderr="token not found: abc\n", raw="")
        with self.assertRaises(self.runner.SpiroCommandError) as caught:
            self.runner.revoke_token("abc")
        self.assertIn("token not found: abc", str(caught.exception))
        self.assertIn("exit 1", str(caught.exception))
        self.assertIn("token revoke", str(caught.exception))

    def test_output_that_is_not_json_raises(self):
        self.reply(None, raw="hello\n")
        with self.assertRaises(self.runner.SpiroCommandError):
            self.runner.list_tokens()

    def test_a_missing_command_raises_naming_the_option(self):
        self.opts["spiro_command"] = os.path.join(self.tmp, "nope")
        with self.assertRaises(self.runner.SpiroCommandError) as caught:
            self.runner.list_tokens()
        self.assertIn("spiro_command", str(caught.exception))


_CLI = support.find_cli()


class RunnerRealCliTests(unittest.TestCase):
    """The runner against the real .NET CLI, for the verbs it has."""

    def setUp(self):
        if _CLI is None:
            self.fail("no spiro CLI: run through ./build.sh test (sets SPIRO_CLI) or build src/Spiro.Cli")
        self.tmp = tempfile.mkdtemp(prefix="spiro-runner-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.opts = {"cachedir": self.tmp, "spiro_command": _CLI, "spiro_data": os.path.join(self.tmp, "data")}
        self.runner = support.load_module("runners", self.opts)

    def require(self, *verb):
        if not support.cli_has_verb(_CLI, *verb):
            self.skipTest("the spiro CLI has no `{0}` verb yet".format(" ".join(verb)))

    def test_an_unknown_verb_fails_with_the_cli_message(self):
        with self.assertRaises(self.runner.SpiroCommandError) as caught:
            self.runner._run(self.runner._argv(["no-such-verb"]))
        self.assertIn("no-such-verb", str(caught.exception))

    def test_issue_then_list_and_check_a_token(self):
        self.require("token", "issue")
        issued = self.runner.issue_token("myproject", label="ci")
        self.assertIsInstance(issued, dict)
        self.assertTrue(any(isinstance(v, str) and len(v) >= 20 for v in issued.values()), issued)

    def test_list_deployments_of_an_empty_store(self):
        self.require("deployments")
        self.require("token", "issue")
        # Read-only verbs refuse a data dir that holds no store; issuing a token creates it.
        self.runner.issue_token("myproject", label="ci")
        self.assertEqual(self.runner.list_deployments(), [])


if __name__ == "__main__":
    unittest.main()
