# shellcheck shell=bash
# Helpers shared by scripts/pg-start, scripts/browser-start and friends.
# Sourced, not executed: `. "$(dirname "$0")/lib.sh"`.

# All progress goes to stderr: the start scripts print only eval-able
# VAR=value lines on stdout.
log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print a TCP port on 127.0.0.1 that is free right now. Another process may
# still grab it before we bind, so callers retry their start on failure.
free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 - <<'EOF' && return 0
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
    fi
    # No python3: try random high ports until a connect is refused
    # (bash's /dev/tcp; nothing listening there means free enough).
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 9<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    die "no free TCP port found on 127.0.0.1"
}

# apt-get install the given Debian packages. Callers call this only when
# something is missing, so the slow `apt-get update` (needed on a fresh
# container, whose package lists are empty or stale) runs only then.
# DPkg::Lock::Timeout waits for a concurrent apt run instead of failing.
apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install $*"
        sudo=(sudo)
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
    local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get
               -o DPkg::Lock::Timeout=600 -y -q)
    log "installing $* via apt (one-off; may take a minute)"
    "${apt[@]}" update >&2
    "${apt[@]}" install "$@" >&2
}
