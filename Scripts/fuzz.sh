#!/usr/bin/env bash
# Fuzzes the parsers that untrusted files reach (libFuzzer), each for a bounded time, starting
# from the committed corpus in Tests/Fuzz/corpus/TARGET (new inputs go to a scratch copy, so a
# run never changes the repository). A crash, a hang (over 10 s) or a broken invariant stops
# the run with the input that caused it, and the script exits non-zero.
#
#   Scripts/fuzz.sh            # every target, 20 s each
#   Scripts/fuzz.sh 300 csv    # one target, five minutes
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv tsv-gb18030 sheet utf8 textfile date ids)
cd "$root"
ZHAOREN_FUZZ=1 swift build --scratch-path .build-fuzz --product ZhaorenFuzz \
    -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library 2>&1 | tail -n 2
binary="$root/.build-fuzz/debug/ZhaorenFuzz"
work=$(mktemp -d "${TMPDIR:-/tmp}/zhaoren-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    echo "fuzz $t: ${seconds} s from $(ls "Tests/Fuzz/corpus/$t" | wc -l) seed inputs"
    ( cd "$work" && SWIFT_BACKTRACE=enable=no ZHAOREN_FUZZ_TARGET="$t" "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 "$work/$t" "$root/Tests/Fuzz/corpus/$t" 2>&1 | grep -E "^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|.*ERROR|invariant)" ) \
        || { echo "fuzz $t: FAILED (the input is in $work)"; ls "$work"/crash-* "$work"/timeout-* 2>/dev/null; trap - EXIT; exit 1; }
    if ls "$work"/crash-* "$work"/timeout-* "$work"/leak-* >/dev/null 2>&1; then
        echo "fuzz $t: found a failing input:"; ls "$work"/crash-* "$work"/timeout-* "$work"/leak-* 2>/dev/null
        trap - EXIT
        exit 1
    fi
done
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash, hang or broken invariant"
