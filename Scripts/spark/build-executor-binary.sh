#!/usr/bin/env bash
# Builds a self-contained zhaoren for Spark executors that have no Swift: the Swift standard
# library and Foundation linked in statically (--static-swift-stdlib), and the C libraries it
# loads that a bare Linux may lack (ICU with its data, SQLite, zlib) copied beside it and found
# through the binary's run path ($ORIGIN/lib). Writes dist/zhaoren-linux-ARCH.tar.gz, which
# Scripts/spark/zhaoren_spark.py ships with --zhaoren dist/zhaoren-linux-ARCH.tar.gz.
#
#   Scripts/spark/build-executor-binary.sh           # build the bundle
#   Scripts/spark/build-executor-binary.sh --check   # then run it with Swift and those libraries hidden
#
# The check needs root (a private mount namespace): /opt/swift (or wherever swift lives) and
# the system's copies of the bundled libraries are masked, and `zhaoren demo` must still run.
set -euo pipefail
cd "$(dirname "$0")/../.."

arch=$(uname -m)
name="zhaoren-linux-$arch"
dist="dist/$name"

swift build -c release --product zhaoren --static-swift-stdlib --scratch-path .build-static \
    -Xlinker -rpath -Xlinker '$ORIGIN/lib'
binary=.build-static/release/zhaoren

rm -rf "$dist"
mkdir -p "$dist/lib"
cp "$binary" "$dist/zhaoren"
# The libraries a glibc system always has stay out; the rest travel with the binary.
ldd "$binary" | awk '$3 ~ /^\// { print $3 }' | while read -r lib; do
    case "$(basename "$lib")" in
        libc.so.*|libm.so.*|libdl.so.*|librt.so.*|libpthread.so.*|ld-linux*|libgcc_s.so.*|libstdc++.so.*) ;;
        *) cp -L "$lib" "$dist/lib/" ;;
    esac
done
if ldd "$dist/zhaoren" | grep -q 'libswift'; then
    echo "build-executor-binary: the binary still loads Swift's shared libraries" >&2
    exit 1
fi
tar -C dist -czf "dist/$name.tar.gz" "$name"
echo "build-executor-binary: dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1)): $(ls "$dist/lib" | tr '\n' ' ')"

if [ "${1:-}" = "--check" ]; then
    swift_root=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
    check=$(mktemp -d)
    tar -C "$check" -xzf "dist/$name.tar.gz"
    # Mask Swift and every system copy of the bundled libraries, then run the demo.
    masks=""
    for lib in "$dist"/lib/*; do
        for system in /lib/*/"$(basename "$lib")" /usr/lib/*/"$(basename "$lib")"; do
            [ -e "$system" ] && masks="$masks mount --bind /dev/null $system;"
        done
    done
    if unshare -m --propagation private true 2>/dev/null; then
        unshare -m --propagation private sh -c "mount -t tmpfs tmpfs '$swift_root' && $masks
            '$check/$name/zhaoren' demo --persons 2000 --out '$check/demo' >'$check/demo.log' 2>&1"
        how="with $swift_root and the system's copies of its libraries hidden"
    else
        # No mount namespace here (not root): check instead that the loader resolves every
        # library outside glibc from the bundle, then run it.
        if ldd "$check/$name/zhaoren" | awk '$3 ~ /^\// { print $3 }' | grep -v "^$check/$name/lib/" \
            | grep -Ev '/(libc|libm|libdl|librt|libpthread|libgcc_s|libstdc\+\+)\.so|ld-linux'; then
            echo "build-executor-binary: the libraries above load from outside the bundle" >&2
            exit 1
        fi
        "$check/$name/zhaoren" demo --persons 2000 --out "$check/demo" >"$check/demo.log" 2>&1
        how="(no mount namespace: every library outside glibc resolved from the bundle)"
    fi
    grep -q 'F1' "$check/demo.log" || { cat "$check/demo.log" >&2; exit 1; }
    echo "build-executor-binary: the bundle ran zhaoren demo $how"
    rm -rf "$check"
fi
