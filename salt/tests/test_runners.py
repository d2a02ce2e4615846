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
    # Fake `spiro`: records argv and stdin, prints what the test asked for.
    import json, os, sys
    state = os.environ["FAKE_SPIRO_STATE"]
    with open(os.path.join(state, "argv.json"), "w") as out:
        json.dump(sys.argv[1:], out)
    with open(os.path.join(state, "stdin.txt"), "w") as out:
        out.write(sys.stdin.read())
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

    def stdin(self):
        with open(os.path.join(self.tmp, "stdin.txt")) as handle:
            return handle.read()

    def check(self, call, expected, json_flag=True, stdin=""):
        self.assertEqual(call(), {"ok": True} if json_flag else json.dumps({"ok": True}))
        self.assertEqual(self.argv(), expected + (["--json"] if json_flag else []) + ["--data", self.data])
        self.assertEqual(self.stdin(), stdin)

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
        self.check(lambda: self.runner.check_token("tok"), ["token", "check", "-"], stdin="tok\n")
        self.check(lambda: self.runner.check_token("tok", saltenv="foo/dev"),
                   ["token", "check", "-", "--saltenv", "foo/dev"], stdin="tok\n")
        self.check(lambda: self.runner.inspect_token("465d5d341eff2012"), ["token", "inspect", "465d5d341eff2012"])
        self.check(lambda: self.runner.revoke_token("465d5d341eff2012"), ["token", "revoke", "465d5d341eff2012"])
        self.check(self.runner.list_tokens, ["token", "list"])

    def test_a_token_secret_goes_through_stdin_never_argv(self):
        secret = "spiro_" + "A" * 43
        for call, verb in ((self.runner.check_token, "check"), (self.runner.inspect_token, "inspect"),
                           (self.runner.revoke_token, "revoke")):
            self.check(lambda: call(secret), ["token", verb, "-"], stdin=secret + "\n")
            self.assertNotIn(secret, json.dumps(self.argv()))

    def test_deployments_highstate_query_and_rollback(self):
        self.check(self.runner.list_deployments, ["deployments"])
        self.opts["conf_file"] = "/srv/salt/master"
        self.check(lambda: self.runner.query_highstate("foo/dev"),
                   ["query-highstate", "foo/dev", "--salt-config-dir", "/srv/salt"])

    def test_rollback_reports_in_text_because_the_cli_has_no_json_for_it(self):
        self.check(lambda: self.runner.rollback("foo/prod"), ["rollback", "foo/prod"], json_flag=False)
        self.check(lambda: self.runner.rollback("foo/prod", to="20261125T140102Z-1a2b3c4d"),
                   ["rollback", "foo/prod", "--to", "20261125T140102Z-1a2b3c4d"], json_flag=False)

    def test_a_json_answer_with_a_non_zero_exit_is_returned_and_sets_the_retcode(self):
        self.runner.__context__ = {}
        self.reply({"valid": False, "status": 403}, rc=1)
        self.assertEqual(self.runner.check_token("tok", saltenv="bar/dev"), {"valid": False, "status": 403, "retcode": 1})
        self.assertEqual(self.runner.__context__["retcode"], 1)

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
        support.require_cli(self)
        self.tmp = tempfile.mkdtemp(prefix="spiro-runner-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.opts = {"cachedir": self.tmp, "spiro_command": _CLI, "spiro_data": os.path.join(self.tmp, "data")}
        self.runner = support.load_module("runners", self.opts)

    def require(self, *verb):
        support.require_cli(self, *verb)

    def test_an_unknown_verb_fails_with_the_cli_message(self):
        with self.assertRaises(self.runner.SpiroCommandError) as caught:
            self.runner._run(self.runner._argv(["no-such-verb"]))
        self.assertIn("no-such-verb", str(caught.exception))

    def test_token_lifecycle_through_the_runner(self):
        self.require("token", "issue")
        issued = self.runner.issue_token("myproject", deployments="dev", label="ci", lifespan="30d")
        token, token_id = issued["token"], issued["id"]
        self.assertEqual((issued["projects"], issued["deployments"], issued["label"]), (["myproject"], ["dev"], "ci"))
        self.assertTrue(self.runner.check_token(token, saltenv="myproject/dev")["valid"])
        self.runner.__context__ = {}
        self.assertFalse(self.runner.check_token(token, saltenv="other/dev")["valid"])
        self.assertEqual(self.runner.__context__["retcode"], 1)
        self.assertEqual([t["id"] for t in self.runner.list_tokens()], [token_id])
        self.assertNotIn(token, json.dumps(self.runner.list_tokens()))
        self.assertEqual(self.runner.inspect_token(token_id)["id"], token_id)
        self.assertEqual(self.runner.inspect_token(token)["id"], token_id)
        self.runner.revoke_token(token_id)
        self.assertFalse(self.runner.check_token(token, saltenv="myproject/dev")["valid"])
        root = self.runner.issue_root_token(label="admin")
        self.assertTrue(root["root"])

    def test_list_deployments_of_an_empty_store(self):
        self.require("deployments")
        # Read-only verbs refuse a data dir that holds no store; issuing a token creates it.
        self.runner.issue_token("myproject", label="ci")
        self.assertEqual(self.runner.list_deployments(), [])

    def _publish_twice(self):
        scratch = os.path.join(self.tmp, "scratch")
        os.makedirs(scratch)
        store = support.CliStore(self.opts["spiro_data"], _CLI, scratch)
        return [store.publish("foo/dev", {"a.sls": content}) for content in (b"a: 1\n", b"a: 2\n")]

    def test_list_deployments_and_rollback_through_the_runner(self):
        self.require("publish")
        first, second = self._publish_twice()
        deployments = self.runner.list_deployments()
        self.assertEqual([(d["saltenv"], d["live_release"]) for d in deployments], [("foo/dev", second)])
        report = self.runner.rollback("foo/dev")
        self.assertIn(first, report)
        self.assertEqual(self.runner.list_deployments()[0]["live_release"], first)
        self.runner.rollback("foo/dev", to=second)
        self.assertEqual(self.runner.list_deployments()[0]["live_release"], second)
        with self.assertRaises(self.runner.SpiroCommandError) as caught:
            self.runner.rollback("foo/dev", to="20000101T000000Z-00000000")
        self.assertIn("20000101T000000Z-00000000", str(caught.exception))

    def test_query_highstate_runs_salt_with_the_master_config_dir(self):
        self.require("query-highstate")
        self._publish_twice()
        conf_dir = os.path.join(self.tmp, "etc-salt")
        os.makedirs(conf_dir)
        self.opts["conf_file"] = os.path.join(conf_dir, "master")
        argv_log = os.path.join(self.tmp, "salt-argv.jsonl")
        env = {"PATH": os.path.join(support.REPO_DIR, "tests", "fake-salt") + os.pathsep + os.environ["PATH"],
               "FAKE_SALT_DELAY": "0", "FAKE_SALT_ARGV_LOG": argv_log}
        saved = {key: os.environ.get(key) for key in env}
        os.environ.update(env)
        try:
            answer = self.runner.query_highstate("foo/dev")
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        self.assertEqual(answer["saltenv"], "foo/dev")
        with open(argv_log) as handle:
            salt_argv = json.loads(handle.readline())
        self.assertIn(conf_dir, salt_argv)


if __name__ == "__main__":
    unittest.main()
