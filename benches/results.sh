#!/usr/bin/env bash
# Regenerate benches/RESULTS.md: installs w3m and lynx if missing (system package manager),
# generates the corpus if missing, runs the benches and the start-up probe, writes the report.
#
#   benches/results.sh
#
# Benches are never part of `cargo test`; this takes a few minutes (the thread benches about a
# minute together: the 10,000-message thread is loaded once per run).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/bench-results
mkdir -p "$out"

install() {
    command -v "$1" >/dev/null 2>&1 && return 0
    if command -v apt-get >/dev/null 2>&1; then
        (apt-get install -y -qq "$1" || sudo apt-get install -y -qq "$1") >/dev/null 2>&1 || true
    elif command -v brew >/dev/null 2>&1; then
        brew install "$1" >/dev/null 2>&1 || true
    fi
    command -v "$1" >/dev/null 2>&1 || echo "note: $1 could not be installed; its figures are left out" >&2
}
install w3m
install lynx

ls benches/corpus/*.html >/dev/null 2>&1 || python3 benches/gen_corpus.py

cargo bench --bench html -- --samples "$out/samples" | tee "$out/html.txt"
cargo bench --bench mail_thread | tee "$out/mail_thread.txt"
cargo bench --bench slow_api | tee "$out/slow_api.txt"

cargo build --release --bin plannr-tui
: > "$out/startup.txt"
python3 benches/startup.py plannr "Conversations" -- target/release/plannr-tui --demo \
    --log-file "$out/plannr.log" | tee -a "$out/startup.txt"
# Memory with the whole 10,000-message thread, the demo server in a process of its own.
python3 benches/memory.py target/release/plannr-tui --log-file "$out/memory.log" | tee "$out/memory.txt"
if command -v neomutt >/dev/null 2>&1; then
    python3 benches/startup.py --mbox "$out/10k.mbox" 10000
    python3 benches/startup.py neomutt "Msgs:" -- neomutt -n -F /dev/null -e "set folder=$PWD/$out" \
        -R -f "$out/10k.mbox" | tee -a "$out/startup.txt"
fi

python3 benches/results.py "$out" > benches/RESULTS.md
echo "wrote benches/RESULTS.md"
