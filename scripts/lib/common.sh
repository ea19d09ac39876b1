# Shared by the scripts: project paths and helpers. Source it; do not run it.
TIDEWAY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# Everything the scripts write goes under one folder (TIDEWAY_RUN_DIR, default .run).
RUN_DIR="${TIDEWAY_RUN_DIR:-$TIDEWAY_ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$RUN_DIR/tmp"

# The --add-opens list of Flink's env.java.opts.all: Flink needs them on Java 17.
JAVA_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
--add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED \
--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.management/sun.management=ALL-UNNAMED \
--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"

die() {
    echo "error: $*" >&2
    exit 1
}

# True when something accepts TCP connections on localhost:$1.
port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Writes the runtime classpath of a pom to $2, unless it is newer than the pom already.
resolve_classpath() {
    local pom="$1" out="$2"
    if [[ ! -s "$out" || "$pom" -nt "$out" ]]; then
        echo "Resolving jars of $(basename "$(dirname "$pom")") with Maven (first run only) ..." >&2
        mvn -q -f "$pom" dependency:build-classpath -Dmdep.includeScope=runtime \
            -Dmdep.outputFile="$out" >"$LOG_DIR/maven-classpath.log" 2>&1 \
            || die "Maven could not resolve $pom; see $LOG_DIR/maven-classpath.log"
    fi
}
