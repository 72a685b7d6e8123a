# Sourced by bin/scep, bin/test and .ci/run. Finds a JDK 25+ and Maven and exports JAVA_HOME.
# Order: JAVA_HOME if it is 25 or newer, else the newest JDK 25+ under /usr/lib/jvm (Debian's layout).

scep_java_major() { # $1 = path to a java binary; prints its feature version (17, 25, ...)
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1
}

scep_find_jdk() {
  local cand major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(scep_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then echo "$JAVA_HOME"; return 0; fi
  fi
  for cand in /usr/lib/jvm/*; do
    [ -x "$cand/bin/javac" ] || continue
    major=$(scep_java_major "$cand/bin/java")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then best="$cand"; best_major=$major; fi
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}

scep_setup_java() {
  local jdk
  if ! jdk=$(scep_find_jdk); then
    echo "scep: no JDK 25 or newer found (checked JAVA_HOME=${JAVA_HOME:-<unset>} and /usr/lib/jvm/*)." >&2
    echo "scep: install one (for example Debian's openjdk-25-jdk or Temurin 25) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
}

scep_setup_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "scep: Maven not found; installing Debian's maven package" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq maven >&2; else sudo apt-get install -y -qq maven >&2; fi
  fi
  command -v mvn >/dev/null 2>&1 || { echo "scep: Maven (mvn) is required to build scep" >&2; return 1; }
}

# JVM options every scep process uses: the Vector API module (optional at run time) and FFM access.
# Maven 3.8 runs Guava, which touches sun.misc.Unsafe: keep JDK 25 quiet about it.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
SCEP_JVM_OPTS_DEFAULT="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
