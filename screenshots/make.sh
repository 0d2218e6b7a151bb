#!/bin/sh
# Makes the PNGs in this folder from the real binary: builds plannr-tui, runs it with --demo in a
# pseudo-terminal (120×32), drives it through each pane in the dark and the light preset and paints
# each screen with the bundled DejaVu Sans Mono (examples/screenshots.rs). Needs only cargo.
# SHOTS_TEXT=1 also prints each screen as text.
set -eu
cd "$(dirname "$0")/.."
cargo build --quiet --bin plannr-tui --example screenshots
./target/debug/examples/screenshots target/debug/plannr-tui screenshots
