# -*- coding: utf-8 -*-
"""The engine supervises a fake `spiro` (the real server is tested on the .NET side)."""

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import unittest

from tests import support

FAKE_SPIRO = textwrap.dedent("""\
    #!{python}
    # Fake `spiro`: records each start, prints .NET-style log lines, then acts per the mode file.
    import json, os, signal, sys, time
    state = os.environ["FAKE_SPIRO_STATE"]
    with open(os.path.join(state, "starts.jsonl"), "a") as out:
        out.write(json.dumps({{"argv": sys.argv[1:], "pid": os.getpid()}}) + "\\n")
    starts = sum(1 for _ in open(os.path.join(state, "starts.jsonl")))
    mode = open(os.path.join(state, "mode")).read().strip()
    print("info: Spiro.Server[0]", flush=True)
    print("      Now listening on start " + str(starts), flush=True)
    sys.stderr.write("warn: Spiro.Server[1]\\n      careful " + str(starts) + "\\n")
    sys.stderr.flush()
    if mode == "crash" or (mode.startswith("crash-then-serve:") and starts <= int(mode.split(":")[1])):
        sys.exit(3)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        # The handshake: the test stops the engine only once SIGTERM is ignored.
        open(os.path.join(state, "ignoring-sigterm"), "w").close()
    while True:
        time.sleep(0.05)
    """)

ENGINE_MAIN = textwrap.dedent("""\
    import sys
    sys.path.insert(0, {salt_dir!r})
    from tests import support
    engine = support.load_module("engines", {opts!r})
    engine._BACKOFF_INITIAL = 0.05
    engine.start(port=4510)
    """)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie still answers kill(0); read its state.
    try:
        with open("/proc/{0}/stat".format(pid)) as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


class EngineTests(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="spiro-engine-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.fake = os.path.join(self.tmp, "fake-spiro")
        with open(self.fake, "w") as handle:
            handle.write(FAKE_SPIRO.format(python=sys.executable))
        os.chmod(self.fake, 0o755)
        self.set_mode("serve")
        os.environ["FAKE_SPIRO_STATE"] = self.tmp
        self.addCleanup(os.environ.pop, "FAKE_SPIRO_STATE", None)
        self.opts = {"__role": "master", "cachedir": "/var/cache/salt/master",
                     "conf_file": "/etc/salt/master", "spiro_command": self.fake,
                     "spiro_data": os.path.join(self.tmp, "data")}
        self.engine = support.load_module("engines", self.opts)
        self.engine._BACKOFF_INITIAL = 0.05
        self.engine._BACKOFF_MAX = 0.2
        self.engine._GRACE = 0.5
        self.engine._POLL = 0.02

    def set_mode(self, mode):
        with open(os.path.join(self.tmp, "mode"), "w") as handle:
            handle.write(mode)

    def starts(self):
        try:
            with open(os.path.join(self.tmp, "starts.jsonl")) as handle:
                return [json.loads(line) for line in handle]
        except OSError:
            return []

    def run_engine(self, **config):
        thread = threading.Thread(target=self.engine.start, kwargs=config)
        thread.daemon = True
        thread.start()
        self.addCleanup(self.stop_engine, thread)
        return thread

    def stop_engine(self, thread):
        self.engine._stop.set()
        thread.join(10)
        self.assertFalse(thread.is_alive(), "the engine did not end after the stop hook")

    def test_start_runs_spiro_serve_with_the_exact_argv(self):
        self.run_engine(port="4511", ssl_crt="/etc/crt.pem", ssl_key="/etc/key.pem", host="127.0.0.1",
                        keep_releases="5", max_body_size="2g", salt_command="/usr/bin/salt",
                        highstate_timeout="10m", batch_size=2, max_concurrent_deploys="4",
                        config="/etc/spiro.yaml")
        self.assertTrue(_wait_for(lambda: self.starts()))
        self.assertEqual(self.starts()[0]["argv"], [
            "serve", "--port", "4511", "--ssl-crt", "/etc/crt.pem", "--ssl-key", "/etc/key.pem",
            "--data", os.path.join(self.tmp, "data"), "--salt-config-dir", "/etc/salt",
            "--batch-size", "2", "--config", "/etc/spiro.yaml", "--highstate-timeout", "10m",
            "--host", "127.0.0.1", "--keep-releases", "5", "--max-body-size", "2g",
            "--max-concurrent-deploys", "4", "--salt-command", "/usr/bin/salt"])

    def test_defaults_use_port_4510_and_the_cachedir_data_dir(self):
        del self.opts["spiro_data"]
        self.opts["conf_file"] = "/srv/salt-conf/master"
        self.run_engine()
        self.assertTrue(_wait_for(lambda: self.starts()))
        self.assertEqual(self.starts()[0]["argv"], [
            "serve", "--port", "4510", "--data", "/var/cache/salt/master/spirofs",
            "--salt-config-dir", "/srv/salt-conf"])

    def test_a_config_file_without_a_port_key_leaves_the_port_to_the_file(self):
        self.run_engine(config="/etc/spirofs/serve.yaml")
        self.assertTrue(_wait_for(lambda: self.starts()))
        argv = self.starts()[0]["argv"]
        self.assertNotIn("--port", argv)
        self.assertEqual(argv[-2:], ["--config", "/etc/spirofs/serve.yaml"])

    def test_a_port_key_still_wins_over_the_config_file(self):
        self.run_engine(config="/etc/spirofs/serve.yaml", port=4600)
        self.assertTrue(_wait_for(lambda: self.starts()))
        self.assertEqual(self.starts()[0]["argv"][:3], ["serve", "--port", "4600"])

    def test_a_crashing_server_is_restarted_with_exponential_backoff(self):
        self.set_mode("crash")
        self.run_engine()
        self.assertTrue(_wait_for(lambda: len(self.starts()) >= 5))
        delays = list(self.engine._supervisor.delays[:4])
        self.assertEqual(delays, [0.05, 0.1, 0.2, 0.2])

    def test_the_server_is_stopped_when_the_engine_stops(self):
        thread = self.run_engine()
        self.assertTrue(_wait_for(lambda: self.starts()))
        pid = self.starts()[0]["pid"]
        self.assertTrue(_alive(pid))
        self.stop_engine(thread)
        self.assertFalse(_alive(pid))
        self.assertEqual(len(self.starts()), 1)

    def test_a_server_ignoring_sigterm_is_killed_after_the_grace_period(self):
        self.set_mode("stubborn")
        thread = self.run_engine()
        self.assertTrue(_wait_for(lambda: self.starts()))
        pid = self.starts()[0]["pid"]
        self.assertTrue(_wait_for(lambda: os.path.exists(os.path.join(self.tmp, "ignoring-sigterm"))),
                        "the fake server never said it ignores SIGTERM")
        self.stop_engine(thread)
        self.assertFalse(_alive(pid))

    def test_server_output_goes_to_the_salt_log_with_its_level(self):
        self.set_mode("crash-then-serve:1")
        with self.assertLogs(self.engine.log, level="DEBUG") as logs:
            self.run_engine()
            self.assertTrue(_wait_for(lambda: len(self.starts()) >= 2))
            self.assertTrue(_wait_for(lambda: any("careful 2" in r.getMessage() for r in logs.records)))
        lines = [(r.levelno, r.getMessage()) for r in logs.records]
        self.assertIn((logging.INFO, "spiro serve:       Now listening on start 1"), lines)
        self.assertIn((logging.WARNING, "spiro serve:       careful 1"), lines)
        self.assertTrue(any(level == logging.ERROR and "exited with 3" in text for level, text in lines))

    def test_only_the_master_runs_the_server(self):
        self.opts["__role"] = "minion"
        with self.assertLogs(self.engine.log, level="ERROR") as logs:
            thread = self.run_engine()
            # The engine logs its refusal before it idles: that line is the handshake.
            self.assertTrue(_wait_for(lambda: logs.records), "the engine logged nothing")
        self.assertEqual(self.starts(), [])
        self.assertIn("only on the salt-master", logs.output[0])
        self.assertTrue(thread.is_alive(), "returning would make Salt restart the engine in a loop")

    def test_bad_config_is_reported_by_key_and_nothing_runs(self):
        cases = [({"port": "http"}, "port"), ({"port": 70000}, "port"),
                 ({"ssl_crt": "/x.crt"}, "ssl_crt and ssl_key"), ({"keep_releases": "many"}, "keep_releases")]
        for config, key in cases:
            engine = support.load_module("engines", self.opts)
            with self.assertLogs(engine.log, level="ERROR") as logs:
                thread = threading.Thread(target=engine.start, kwargs=config)
                thread.start()
                self.assertTrue(_wait_for(lambda: logs.records), config)
                engine._stop.set()
                thread.join(5)
            self.assertIn(key, logs.output[0], config)
        self.assertEqual(self.starts(), [])

    def test_unknown_options_are_ignored_with_a_warning(self):
        with self.assertLogs(self.engine.log, level="WARNING") as logs:
            argv = self.engine.build_argv(self.opts, port=4510, colour="blue")
        self.assertNotIn("colour", " ".join(argv))
        self.assertIn("colour", logs.output[0])

    def test_a_missing_command_is_logged_and_retried(self):
        self.opts["spiro_command"] = os.path.join(self.tmp, "no-such-spiro")
        with self.assertLogs(self.engine.log, level="ERROR") as logs:
            self.run_engine()
            self.assertTrue(_wait_for(lambda: len(self.engine._supervisor.delays if self.engine._supervisor else []) >= 2))
        self.assertIn("cannot start", logs.output[0])

    def _engine_process(self):
        main = ENGINE_MAIN.format(salt_dir=support.SALT_DIR, opts=self.opts)
        env = dict(os.environ, FAKE_SPIRO_STATE=self.tmp)
        proc = subprocess.Popen([sys.executable, "-c", main], env=env, cwd=support.SALT_DIR,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.assertTrue(_wait_for(lambda: self.starts()))
        return proc, self.starts()[0]["pid"]

    def test_sigterm_to_the_engine_process_stops_the_server(self):
        proc, pid = self._engine_process()
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(10), 0)
        self.assertTrue(_wait_for(lambda: not _alive(pid)))

    @unittest.skipUnless(sys.platform.startswith("linux"), "PR_SET_PDEATHSIG is Linux only")
    def test_a_killed_engine_process_takes_the_server_down(self):
        proc, pid = self._engine_process()
        proc.kill()
        proc.wait(10)
        self.assertTrue(_wait_for(lambda: not _alive(pid)), "PR_SET_PDEATHSIG did not stop the server")


if __name__ == "__main__":
    unittest.main()


_CLI = support.find_cli()


class EngineRealServerTests(unittest.TestCase):
    """The engine's argv is accepted by the real `spiro serve`, which answers on the port."""

    def setUp(self):
        support.require_cli(self, "serve")
        self.tmp = tempfile.mkdtemp(prefix="spiro-engine-real-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_the_engine_runs_the_real_server_and_stops_it(self):
        import socket
        import urllib.error
        import urllib.request
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        opts = {"__role": "master", "cachedir": self.tmp, "conf_file": os.path.join(self.tmp, "master"),
                "spiro_command": _CLI, "spiro_data": os.path.join(self.tmp, "data")}
        engine = support.load_module("engines", opts)
        engine._GRACE = 5.0
        thread = threading.Thread(target=engine.start, kwargs={"port": str(port), "host": "127.0.0.1"})
        thread.start()
        self.addCleanup(thread.join, 10)
        self.addCleanup(engine._stop.set)

        def answers_401():
            try:
                urllib.request.urlopen("http://127.0.0.1:{0}/".format(port), timeout=2)
            except urllib.error.HTTPError as exc:
                return exc.code == 401
            except OSError:
                return False
            return False
        self.assertTrue(_wait_for(answers_401, timeout=60), "spiro serve did not answer 401 on port {0}".format(port))
        self.assertEqual(engine._supervisor.starts, 1)
        engine._stop.set()
        thread.join(15)
        self.assertFalse(thread.is_alive())
        with socket.socket() as again:
            self.assertNotEqual(again.connect_ex(("127.0.0.1", port)), 0, "the server still listens")
