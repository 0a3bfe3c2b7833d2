#!/usr/bin/env bash
# Builds the in-process OpenSearch test node (test/opensearch-node) into test/opensearch-node/target/:
#   target/opensearch-test-node.jar   the TestNode main (dev.commonplace.testnode.TestNode)
#   target/lib/*.jar                  OpenSearch + netty4 + analysis-common + painless + reindex + log4j
# The first run fetches ~70 MB of artifacts from Maven Central into ~/.m2 (about 15 s); later runs
# build offline (about 6 s), and a run with nothing changed returns at once.
#
# Usage: bash .ci/opensearch-node.sh [--force] [--cds]
#   --force  rebuild even when nothing changed
#   --cds    also write a class-data-sharing archive (target/opensearch-node.jsa, ~80 MB, ~10 s more:
#            one boot of the node), which the test helper then uses: the node starts in ~2.5 s
#            instead of ~5 s. Worth it when a run starts the node several times.
# Env:   OPENSEARCH_NODE_VERSION  OpenSearch version to build against (default: the pom's, 2.19.6;
#                                 2.19.x is the newest line that runs on Java 17)
#        JAVA_HOME                the JDK for Maven (and for the tests, see test/helpers/opensearch-node.ts)
set -euo pipefail

force=false
cds=false
for arg in "$@"; do
  case "$arg" in
  --force) force=true ;;
  --cds) cds=true ;;
  *) echo "usage: bash .ci/opensearch-node.sh [--force] [--cds]" >&2; exit 2 ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
dir="$root/test/opensearch-node"
target="$dir/target"
stamp="$target/.build-stamp"
jsa="$target/opensearch-node.jsa"

fail() {
  echo "opensearch-node: $*" >&2
  exit 1
}

java_bin=java
[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && java_bin="$JAVA_HOME/bin/java"
command -v "$java_bin" >/dev/null 2>&1 ||
  fail "java not found: install a JDK 17+ (Debian: apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME"
command -v mvn >/dev/null 2>&1 ||
  fail "mvn not found: install Maven 3.8+ (Debian: apt-get install -y maven)"
java_major="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
[ "${java_major:-0}" -ge 17 ] 2>/dev/null || fail "Java 17+ is needed, found '${java_major:-unknown}' ($java_bin)"

version_args=()
[ -n "${OPENSEARCH_NODE_VERSION:-}" ] && version_args=("-Dopensearch.version=$OPENSEARCH_NODE_VERSION")

# Everything that decides the build output; when it is unchanged and the output is there, do nothing.
inputs_hash="$(
  {
    echo "version=${OPENSEARCH_NODE_VERSION:-default} java=$java_major"
    cd "$dir" && find pom.xml src -type f | LC_ALL=C sort | xargs sha256sum
  } | sha256sum | cut -d' ' -f1
)"
# Boots the node once with the same JVM options and classpath as test/helpers/opensearch-node.ts
# (keep DEFAULT_JVM_OPTS there in step) and dumps the classes it loaded into $jsa at exit.
write_cds_archive() {
  local t0 home fifo out pid
  t0=$(date +%s)
  home="$(mktemp -d)"
  fifo="$(mktemp -u)"
  out="$(mktemp)"
  mkfifo "$fifo"
  "$java_bin" -Xms512m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
    -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -Djava.io.tmpdir="$home" -Dtestnode.delete.home=true \
    -cp "$target/opensearch-test-node.jar:$target/lib/*" dev.commonplace.testnode.TestNode "$home" 0 \
    <"$fifo" >"$out" 2>&1 &
  pid=$!
  exec 3>"$fifo" # stdin of the node; closing it stops the node
  for _ in $(seq 1 900); do
    grep -q '^OPENSEARCH_READY' "$out" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  exec 3>&-
  wait "$pid" || true
  rm -rf "$home" "$fifo"
  if [ -s "$jsa" ] && grep -q '^OPENSEARCH_READY' "$out"; then
    rm -f "$out"
    echo "opensearch-node: CDS archive written in $(($(date +%s) - t0)) s ($jsa)"
  else
    rm -f "$jsa"
    tail -n 40 "$out" >&2
    rm -f "$out"
    fail "the node did not start while writing the CDS archive (see above)"
  fi
}

if [ "$force" = false ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$inputs_hash" ] &&
  [ -f "$target/opensearch-test-node.jar" ] && [ -d "$target/lib" ]; then
  echo "opensearch-node: up to date ($target)"
  if [ "$cds" = true ] && [ ! -s "$jsa" ]; then write_cds_archive; fi
  exit 0
fi

start=$(date +%s)
rm -rf "$target" # no stale jars in target/lib after a version change
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
cd "$dir"
# Offline first (quick when ~/.m2 has everything); online once when something is missing.
if ! mvn -B -q -o "${version_args[@]}" package >"$log" 2>&1; then
  echo "opensearch-node: fetching artifacts from Maven Central (first build) ..."
  rm -rf "$target"
  if ! mvn -B -q "${version_args[@]}" package >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    fail "Maven build failed (see above); try: cd test/opensearch-node && mvn -B package"
  fi
fi
[ -f "$target/opensearch-test-node.jar" ] && [ -d "$target/lib" ] ||
  fail "build finished but $target/opensearch-test-node.jar or $target/lib is missing"
echo "$inputs_hash" >"$stamp"
echo "opensearch-node: built in $(($(date +%s) - start)) s: $(ls "$target/lib" | wc -l) jars in $target/lib"
if [ "$cds" = true ]; then write_cds_archive; fi
