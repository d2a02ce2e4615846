#!/usr/bin/env python3
"""The original spiro-deploy 0.2 (Python) client, copied for tests: bundle, upload, event printing
and exit code exactly as that client did them, so tests can prove the compatible endpoint keeps
working for CI jobs that still run it.

Written from the original's documented behaviour (docs/api.md, "Compatible endpoint"):
- bundle: every top-level item of the salt directory recursively under its own name (skipping
  anything named .git); each --artifact PATH as _artifacts/PATH; .gitcommit = `git rev-parse HEAD`,
  a newline and `git describe --all`; --include-source git|fs as _source/<name> (skipping .git
  and _salt);
- upload: `requests.post(SERVER, data={project, deployment, highstate}, files={'bundle': ...},
  headers={'Authorization': 'bearer TOKEN'}, stream=True)`, an HTTP error ends it (non-zero);
- events: its own line parser (below), faithful to its one flaw: a blank line ends an event even
  when no data came, so a keep-alive comment followed by a blank line makes an event without
  data, and json.loads(None) raises TypeError;
- printing: each event's msg; for highstate-update, the minion, then "(No Results)" when
  result.failed, the states of result.ret sorted by __run_num__ (one line each: result, id,
  function, comment), the errors when result.ret is a list, else "(Result) <json>";
- exit code: the last non-zero result.retcode; a minion with result.failed counts as 1; an
  exception event as 1.

usage: spiro_deploy.py [--server URL] [--token T] [--ssl-cert FILE] [--insecure] [--no-highstate]
                       [--artifact PATH]... [--include-source git|fs] PROJECT DEPLOYMENT
       spiro_deploy.py bundle OUT.tar SALTDIR SOURCE(-|git|fs) [ARTIFACT...]   (bundle only)
Environment: SPIRO_URL, SPIRO_TOKEN as the original.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile


def skipped(name):
    return any(part in ('.git', '_salt') for part in name.split('/'))


def source_files(mode):
    if mode == 'git':
        archive = subprocess.run(['git', 'archive', '--format=tar', 'HEAD'], stdout=subprocess.PIPE, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tf:
            for member in tf.getmembers():
                if (member.isfile() or member.issym()) and not skipped(member.name):
                    yield member.name, (tf.extractfile(member).read() if member.isfile() else member.linkname.encode())
    else:
        for dirpath, dirs, files in os.walk('.'):
            dirs[:] = [d for d in dirs if d not in ('.git', '_salt')]
            for f in files:
                path = os.path.join(dirpath, f)
                with open(path, 'rb') as fh:
                    yield path, fh.read()


def virtual(tf, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tf.addfile(info, io.BytesIO(data))


def bundle(out, saltdir, source, artifacts):
    target = {'name': out} if isinstance(out, str) else {'fileobj': out}
    with tarfile.open(mode='w', format=tarfile.GNU_FORMAT, **target) as tf:
        commit = subprocess.run(['git', 'rev-parse', 'HEAD'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
        describe = subprocess.run(['git', 'describe', '--all'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
        info = commit + b'\n' + describe
        if len(info) > 1:
            virtual(tf, '.gitcommit', info)
        for name in os.listdir(saltdir):
            tf.add(os.path.join(saltdir, name), name, filter=lambda ti: None if os.path.basename(ti.name) == '.git' else ti)
        for artifact in artifacts:
            tf.add(artifact, os.path.join('_artifacts', artifact))
        if source != '-':
            for name, data in source_files(source):
                virtual(tf, '_source/' + name, data)


def events(lines):
    """The original's SSE parser: field lines accumulate, a blank line yields (event, data)."""
    event = data = None
    for line in lines:
        if isinstance(line, bytes):
            line = line.decode('utf-8')
        if line == '':
            yield event, data
            event = data = None
            continue
        if line.startswith(':'):
            continue
        field, _, value = line.partition(':')
        if value.startswith(' '):
            value = value[1:]
        if field == 'event':
            event = value
        elif field == 'data':
            data = value if data is None else data + '\n' + value


def print_states(ret):
    for key, state in sorted(ret.items(), key=lambda item: item[1].get('__run_num__', 0) if isinstance(item[1], dict) else 0):
        if not isinstance(state, dict):
            continue
        parts = key.split('_|-')
        function = '{}.{}'.format(parts[0], parts[-1]) if len(parts) > 3 else parts[0]
        print('    [{}] {} ({}): {}'.format(state.get('result'), state.get('__id__', parts[1] if len(parts) > 1 else key), function, state.get('comment')))


def print_result(minion, result):
    """One minion's highstate-update; returns its exit code contribution."""
    print(minion)
    if result.get('failed'):
        print('    (No Results)')
        return 1
    if 'ret' in result:
        ret = result['ret']
        if isinstance(ret, dict):
            print_states(ret)
        elif isinstance(ret, list):
            for error in ret:
                print('    Error: {}'.format(error))
        else:
            print('    {}'.format(ret))
        return result.get('retcode', 0)
    print('    (Result) {}'.format(json.dumps(result)))
    return result.get('retcode', 0)


def deploy(args):
    import requests  # the original's only dependency

    server = args.server or os.environ.get('SPIRO_URL', 'https://salt:4510/')
    token = args.token or os.environ.get('SPIRO_TOKEN')
    verify = False if args.insecure else (args.ssl_cert or True)
    with tempfile.TemporaryFile() as buf:
        bundle(buf, '_salt', args.include_source or '-', args.artifact)
        buf.seek(0)
        resp = requests.post(
            server,
            data={'project': args.project, 'deployment': args.deployment, 'highstate': 'True' if args.highstate else None},
            files={'bundle': ('bundle.tar', buf)},
            headers={'Authorization': 'bearer {}'.format(token)},
            stream=True,
            verify=verify,
        )
        if resp.status_code >= 400:
            print('Error {}: {}'.format(resp.status_code, resp.text))
            return 1
        exitcode = 0
        for event, data in events(resp.iter_lines(decode_unicode=True)):
            payload = json.loads(data)
            if event == 'highstate-update':
                code = print_result(payload['minion'], payload['result'])
                if code:
                    exitcode = code
            elif event == 'exception':
                print('Exception: {}'.format(payload.get('msg')))
                exitcode = 1
            else:
                print(payload.get('msg'))
        return exitcode


def main(argv):
    if argv[:1] == ['bundle']:
        bundle(argv[1], argv[2], argv[3], argv[4:])
        return 0
    parser = argparse.ArgumentParser(prog='spiro-deploy')
    parser.add_argument('--server')
    parser.add_argument('--token')
    parser.add_argument('--ssl-cert')
    parser.add_argument('--insecure', action='store_true')
    parser.add_argument('--highstate', dest='highstate', action='store_true', default=True)
    parser.add_argument('--no-highstate', dest='highstate', action='store_false')
    parser.add_argument('--artifact', action='append', default=[])
    parser.add_argument('--include-source', choices=['git', 'fs', 'filesystem'])
    parser.add_argument('project')
    parser.add_argument('deployment')
    args = parser.parse_args(argv)
    if args.include_source == 'filesystem':
        args.include_source = 'fs'
    return deploy(args)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
