# Sourced by the benchmark scripts: strict mode, the folders, a JDK 25 and Maven (bin/lib/env.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/bin/lib/env.sh"
scep_setup_java
scep_setup_maven
