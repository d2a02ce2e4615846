"""Builds a bundle the way the original Python spiro-deploy did, as a reference for entry lists.

Written from the original client's documented behaviour (run from the repository root):
- every top-level item of _salt is added recursively under its own name (so _salt's content is the
  root), skipping anything named .git;
- each --artifact PATH is added recursively as _artifacts/PATH;
- .gitcommit holds `git rev-parse HEAD`, a newline and `git describe --all`;
- --include-source git adds each regular file and symlink of `git archive HEAD`, fs each file of
  os.walk('.'), as _source/<name>, skipping anything under .git or _salt.

usage: original_bundle.py OUT.tar SALTDIR SOURCE(-|git|fs) [ARTIFACT...]
"""
import io
import os
import subprocess
import sys
import tarfile


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


def main(out, saltdir, source, artifacts):
    with tarfile.open(out, 'w', format=tarfile.GNU_FORMAT) as tf:
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


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
