#!/usr/bin/env bash
# One entry point: ./build.sh [build|test|publish OUT|bench ARGS...]
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
CONFIG=${CONFIG:-Release}

usage() {
    cat <<USAGE
usage: ./build.sh build            build everything
       ./build.sh test             run every test (.NET and the Python Salt adapter)
       ./build.sh publish OUT      write the executables spiro and spiro-deploy into OUT
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

run_tests() {
    build
    local log
    log=$(mktemp)
    local status=0
    export SPIRO_CLI
    SPIRO_CLI=$(spiro_cli)
    dotnet test "$ROOT/Spiro.slnx" -c "$CONFIG" --no-build -nologo \
        --blame-hang-timeout 15m 2>&1 | tee "$log" || status=$?
    if [ -d "$ROOT/salt/tests" ]; then
        (cd "$ROOT/salt" && python3 -m unittest discover -s tests -t . -v) 2>&1 | tee -a "$log" || status=$?
    fi
    summarize "$log"
    rm -f "$log"
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

publish() {
    local out=${1:?usage: ./build.sh publish OUT}
    mkdir -p "$out"
    dotnet publish "$ROOT/src/Spiro.Cli/Spiro.Cli.csproj" -c "$CONFIG" -nologo -o "$out" \
        -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true --self-contained false -r linux-x64
    if [ -f "$ROOT/src/Spiro.Deploy/Program.cs" ]; then
        dotnet publish "$ROOT/src/Spiro.Deploy/Spiro.Deploy.csproj" -c "$CONFIG" -nologo -o "$out" \
            -p:PublishAot=true -r linux-x64
    fi
    rm -f "$out"/*.pdb "$out"/*.dbg
}

case "${1:-}" in
    build) build ;;
    test) run_tests ;;
    publish) shift; publish "$@" ;;
    demo) shift; demo "$@" ;;
    saltlab) shift; saltlab "$@" ;;
    bench) shift; dotnet run --project "$ROOT/bench/Spiro.Bench" -c Release -- "$@" ;;
    -h|--help|help|"") usage ;;
    *) usage; exit 2 ;;
esac
