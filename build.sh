#!/usr/bin/env bash
# One entry point: ./build.sh [build|test|publish OUT|package OUT|bench ARGS...]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}

usage() {
    cat <<USAGE
usage: ./build.sh build            build everything
       ./build.sh test [--fast]    run every test (.NET and the Python Salt adapter); --fast leaves out the
                                   slow ones (real Salt, the browser, the package, Category=Slow) for a
                                   quick inner loop: CI and landing always run everything
       ./build.sh publish OUT      write the executables spiro and spiro-deploy into OUT
       ./build.sh package OUT      build OUT/spirofs_<version>_amd64.deb (self-contained; docs/install.md)
       ./build.sh bench [ARGS]     run the benchmarks (see bench/README.md)
       ./build.sh saltlab up|down|status|restart
                                   a real salt-master and minions m1, m2 with the adapter, for trying
                                   things by hand (docs/testing.md)
       ./build.sh demo [--once]    start the server on loopback with a local data dir, issue a token,
                                   deploy examples/hello with spiro-deploy; --once stops the server after
USAGE
}

build() {
    dotnet build "$ROOT/Spiro.slnx" -c "$CONFIG" -nologo -clp:ErrorsOnly
}

# The spiro CLI as the Python adapter tests and child-process tests run it.
spiro_cli() {
    local artifacts=${SPIRO_ARTIFACTS:-$ROOT/artifacts}
    echo "$artifacts/bin/Spiro.Cli/$(echo "$CONFIG" | tr '[:upper:]' '[:lower:]')/spiro"
}

# What --fast leaves out: whole suites that start real Salt, Chromium or dpkg, and single tests
# marked [Trait("Category", "Slow")] (docs/testing.md).
FAST_FILTER='FullyQualifiedName!~Spiro.RealSalt.Tests&FullyQualifiedName!~Spiro.Dashboard.Tests.Browser&FullyQualifiedName!~Spiro.Package.Tests&Category!=Slow'

run_tests() {
    local filter=()
    case "${1:-}" in
        --fast) filter=(--filter "$FAST_FILTER") ;;
        "") ;;
        *) echo "usage: ./build.sh test [--fast]" >&2; return 2 ;;
    esac
    build
    local log
    log=$(mktemp)
    local status=0
    export SPIRO_CLI
    SPIRO_CLI=$(spiro_cli)
    # The package tests (tests/Spiro.Package.Tests: dpkg -i on this machine, root) run in CI and
    # with SPIRO_PACKAGE_TESTS=1; they install the .deb built here.
    local package_dir=""
    if [ ${#filter[@]} -eq 0 ] && [ -z "${SPIRO_PACKAGE:-}" ] && { [ "${CI:-}" = true ] || [ "${SPIRO_PACKAGE_TESTS:-}" = 1 ]; }; then
        package_dir=$(mktemp -d)
        local started=$SECONDS
        SPIRO_PACKAGE=$(package "$package_dir")
        export SPIRO_PACKAGE
        echo "== built $SPIRO_PACKAGE in $((SECONDS - started)) s for the package tests"
    fi
    dotnet test "$ROOT/Spiro.slnx" -c "$CONFIG" --no-build -nologo "${filter[@]}" \
        --blame-hang-timeout 15m 2>&1 | tee "$log" || status=$?
    if [ -d "$ROOT/salt/tests" ]; then
        (cd "$ROOT/salt" && python3 -m unittest discover -s tests -t . -v) 2>&1 | tee -a "$log" || status=$?
    fi
    summarize "$log"
    rm -f "$log"
    [ -z "$package_dir" ] || rm -rf "$package_dir"
    return $status
}

# One plain closing line over both runners: "N passed, N failed, N skipped".
summarize() {
    python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
passed = failed = skipped = 0
for m in re.finditer(r"(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+),\s+Skipped:\s+(\d+)", text):
    failed += int(m.group(2)); passed += int(m.group(3)); skipped += int(m.group(4))
for m in re.finditer(r"^Ran (\d+) tests? in", text, re.M):
    ran = int(m.group(1))
    tail = text[m.end():m.end() + 400]
    f = re.search(r"FAILED \(([^)]*)\)", tail)
    bad = sum(int(x) for x in re.findall(r"(?:failures|errors)=(\d+)", f.group(1))) if f else 0
    sk = re.search(r"skipped=(\d+)", tail)
    s = int(sk.group(1)) if sk else 0
    failed += bad; skipped += s; passed += ran - bad - s
# Name what failed on the last lines too: CI keeps only the tail of a long run.
names = re.findall(r"^\s*Failed (\S+) \[", text, re.M)
names += re.findall(r"^(?:FAIL|ERROR): (\S+ \([^)]*\))", text, re.M)
for name in dict.fromkeys(names):
    print(f"failed: {name}")
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
PY
}

artifact() {
    local artifacts=${SPIRO_ARTIFACTS:-$ROOT/artifacts}
    echo "$artifacts/bin/$1/$(echo "$CONFIG" | tr '[:upper:]' '[:lower:]')/$2"
}

# The main job on embedded defaults: SQLite and a local data dir, plain HTTP on loopback, no Salt.
demo() {
    local once=0
    [ "${1:-}" = "--once" ] && once=1
    build
    local spiro deploy data port url log
    spiro=$(artifact Spiro.Cli spiro)
    deploy=$(artifact Spiro.Deploy spiro-deploy)
    data=${SPIRO_DATA:-$ROOT/.spiro-data}
    port=${SPIRO_PORT:-4510}
    url="http://127.0.0.1:$port/"
    mkdir -p "$data"
    log="$data/serve.log"
    "$spiro" serve --host 127.0.0.1 --port "$port" --data "$data" >"$log" 2>&1 &
    DEMO_SERVER=$!
    local server=$DEMO_SERVER
    trap 'kill "${DEMO_SERVER:-}" 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$url" 2>/dev/null && break
        kill -0 $server 2>/dev/null || { cat "$log"; echo "demo: the server did not start" >&2; return 1; }
        sleep 0.2
    done
    echo "== spiro serve is listening on $url (data $data, log $log)"
    local token
    token=$("$spiro" token issue hello --label quickstart --lifespan 1d --data "$data")
    echo "== issued a token for project hello: spiro token issue hello --label quickstart --data $data"
    echo "== deploying examples/hello: spiro-deploy hello dev --server $url --token \$TOKEN --artifact build/hello.txt"
    (cd "$ROOT/examples/hello" && "$deploy" hello dev --server "$url" --token "$token" --artifact build/hello.txt --no-color)
    echo "== releases of hello/dev: spiro releases hello/dev --data $data"
    "$spiro" releases hello/dev --data "$data"
    echo "== dashboard: open ${url}ui/ and sign in with this token (it sees project hello):"
    echo "   $token"
    if [ $once = 1 ]; then
        return 0
    fi
    echo "== the server keeps running; deploy again with: (cd examples/hello && SPIRO_TOKEN=$token $deploy hello prod --server $url)"
    echo "== press Ctrl-C to stop"
    wait $server
}

# The test suite's real-Salt lab, run by hand (tests/Spiro.SaltLab, docs/testing.md).
saltlab() {
    dotnet build "$ROOT/tests/Spiro.SaltLab/Spiro.SaltLab.csproj" -c "$CONFIG" -nologo -clp:ErrorsOnly >/dev/null \
        || dotnet build "$ROOT/tests/Spiro.SaltLab/Spiro.SaltLab.csproj" -c "$CONFIG" -nologo -clp:ErrorsOnly
    "$(artifact Spiro.SaltLab saltlab)" "$@"
}

# What ships is built in its own artifacts tree (SPIRO_ARTIFACTS, Directory.Build.props): its
# SpiroFaultPoints=false (no test-only fault points, src/Spiro.Core/Releases/Publishing/FaultPoints.cs)
# must never overwrite the assemblies the test build left in artifacts/.
publish() {
    local out=${1:?usage: ./build.sh publish OUT}
    mkdir -p "$out"
    local SPIRO_ARTIFACTS
    SPIRO_ARTIFACTS=$(mktemp -d)
    export SPIRO_ARTIFACTS
    trap 'rm -rf "$SPIRO_ARTIFACTS"; trap - RETURN' RETURN
    dotnet publish "$ROOT/src/Spiro.Cli/Spiro.Cli.csproj" -c "$CONFIG" -nologo -o "$out" -p:SpiroFaultPoints=false \
        -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true --self-contained false -r linux-x64
    if [ -f "$ROOT/src/Spiro.Deploy/Program.cs" ]; then
        dotnet publish "$ROOT/src/Spiro.Deploy/Spiro.Deploy.csproj" -c "$CONFIG" -nologo -o "$out" \
            -p:PublishAot=true -p:SpiroFaultPoints=false -r linux-x64
    fi
    rm -f "$out"/*.pdb "$out"/*.dbg
}

# The Debian package (its path is the only line on stdout): self-contained executables (no .NET on the master), the Salt adapter, the
# master config and the settings file as conffiles, a disabled systemd unit, bash completion and
# man pages generated from the executables' own --help. Layout and lintian notes: docs/install.md.
package() {
    local out=${1:?usage: ./build.sh package OUT}
    local work stage root version deploy_version
    mkdir -p "$out"
    out=$(cd "$out" && pwd)
    work=$(mktemp -d)
    trap 'rm -rf "$work"; trap - RETURN' RETURN
    stage=$work/publish
    root=$work/root
    # Its own artifacts tree, as for publish (above).
    local SPIRO_ARTIFACTS=$work/artifacts
    export SPIRO_ARTIFACTS
    # spiro: one self-contained file plus its native SQLite library beside it (never extracted
    # into $HOME at run time: salt-master's user and spiro.service may have no writable home).
    dotnet publish "$ROOT/src/Spiro.Cli/Spiro.Cli.csproj" -c "$CONFIG" -nologo -o "$stage" -p:SpiroFaultPoints=false \
        -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=false -p:DebugType=none \
        --self-contained true -r linux-x64 >&2
    dotnet publish "$ROOT/src/Spiro.Deploy/Spiro.Deploy.csproj" -c "$CONFIG" -nologo -o "$stage" \
        -p:PublishAot=true -p:DebugType=none -p:SpiroFaultPoints=false -r linux-x64 >&2
    version=$("$stage/spiro" --version)
    deploy_version=$("$stage/spiro-deploy" --version)
    if [ "$version" != "$deploy_version" ]; then
        echo "package: spiro says $version but spiro-deploy says $deploy_version" >&2
        return 1
    fi
    local date epoch
    epoch=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
    date=$(date -u -d "@$epoch" +%Y-%m-%d)

    install -d -m 0755 "$root/usr/bin" "$root/usr/lib/spirofs" "$root/usr/share/spirofs/salt" \
        "$root/etc/salt/master.d" "$root/etc/spirofs" "$root/lib/systemd/system" \
        "$root/usr/share/bash-completion/completions" "$root/usr/share/man/man1" \
        "$root/usr/share/doc/spirofs" "$root/usr/share/lintian/overrides" "$root/DEBIAN"
    install -m 0755 "$stage/spiro" "$root/usr/lib/spirofs/spiro"
    install -m 0644 "$stage/libe_sqlite3.so" "$root/usr/lib/spirofs/libe_sqlite3.so"
    strip --strip-unneeded "$root/usr/lib/spirofs/libe_sqlite3.so"
    ln -s ../lib/spirofs/spiro "$root/usr/bin/spiro"
    install -m 0755 "$stage/spiro-deploy" "$root/usr/bin/spiro-deploy"
    # The adapter as the packaged spiro embeds it, so `spiro doctor` finds the same bytes.
    "$stage/spiro" salt install --dir "$root/usr/share/spirofs/salt" >/dev/null 2>&1
    find "$root/usr/share/spirofs/salt" -type d -exec chmod 0755 {} +
    local deb=$ROOT/packaging/deb
    install -m 0644 "$deb/spiro.conf" "$root/etc/salt/master.d/spiro.conf"
    install -m 0644 "$deb/serve.yaml" "$root/etc/spirofs/serve.yaml"
    install -m 0644 "$deb/spiro.service" "$root/lib/systemd/system/spiro.service"
    install -m 0644 "$deb/bash-completion" "$root/usr/share/bash-completion/completions/spiro"
    ln -s spiro "$root/usr/share/bash-completion/completions/spiro-deploy"
    python3 "$ROOT/packaging/manpage.py" "$stage/spiro" spiro "$version" "$date" 'spiro-deploy(1)' \
        | gzip -9n >"$root/usr/share/man/man1/spiro.1.gz"
    python3 "$ROOT/packaging/manpage.py" "$stage/spiro-deploy" spiro-deploy "$version" "$date" 'spiro(1)' \
        | gzip -9n >"$root/usr/share/man/man1/spiro-deploy.1.gz"
    chmod 0644 "$root"/usr/share/man/man1/*.gz
    install -m 0644 "$deb/copyright" "$root/usr/share/doc/spirofs/copyright"
    install -m 0644 "$deb/lintian-overrides" "$root/usr/share/lintian/overrides/spirofs"
    gzip -9n <"$ROOT/docs/install.md" >"$root/usr/share/doc/spirofs/install.md.gz"
    printf 'spirofs (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
        "$version" "$version" "$(sed -n 's/^Maintainer: //p' "$deb/control")" "$(date -u -R -d "@$epoch")" \
        | gzip -9n >"$root/usr/share/doc/spirofs/changelog.gz"
    chmod 0644 "$root"/usr/share/doc/spirofs/*.gz

    local size
    size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
    sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" "$deb/control" >"$root/DEBIAN/control"
    printf '/etc/salt/master.d/spiro.conf\n/etc/spirofs/serve.yaml\n' >"$root/DEBIAN/conffiles"
    install -m 0755 "$deb/postinst" "$deb/prerm" "$deb/postrm" "$root/DEBIAN/"
    (cd "$root" && find . -path ./DEBIAN -prune -o -path ./etc -prune -o -type f -printf '%P\0' \
        | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
    chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/conffiles" "$root/DEBIAN/md5sums"

    local file=$out/spirofs_${version}_amd64.deb
    # gzip, not xz: about 10x faster on the 100 MB runtime for a package a few MB larger.
    SOURCE_DATE_EPOCH=$epoch dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "$file" >/dev/null
    echo "$file"
    if command -v lintian >/dev/null; then
        # Errors fail the build; the warnings we keep are listed with their reason in docs/install.md.
        lintian --fail-on error "$file" >&2
    else
        echo "package: lintian is not installed; not checked (apt-get install lintian)" >&2
    fi
}

case "${1:-}" in
    build) build ;;
    test) shift; run_tests "$@" ;;
    publish) shift; publish "$@" ;;
    package) shift; package "$@" ;;
    demo) shift; demo "$@" ;;
    saltlab) shift; saltlab "$@" ;;
    bench) shift; dotnet run --project "$ROOT/bench/Spiro.Bench" -c Release -- "$@" ;;
    -h|--help|help|"") usage ;;
    *) usage; exit 2 ;;
esac
