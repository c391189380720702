#!/usr/bin/env bash
# Builds and runs the README's library example (the first ```swift block under
# "## Use as a library") in a fresh package that depends on this checkout by path, and checks
# that it finds the two pairs the README says it prints. Run from anywhere; .ci/run calls it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
name=$(basename "$root" | tr '[:upper:]' '[:lower:]')
work=$(mktemp -d "${TMPDIR:-/tmp}/zhaoren-library-example.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Sources/linkdemo"
python3 - "$root/README.md" > "$work/Sources/linkdemo/main.swift" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("\n## Use as a library\n", 1)[1]
block = section.split("```swift\n", 1)[1].split("\n```", 1)[0]
print(block)
PY
cat > "$work/Package.swift" <<MANIFEST
// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "linkdemo",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "linkdemo", targets: ["linkdemo"])],
    dependencies: [.package(path: "$root")],
    targets: [.executableTarget(name: "linkdemo", dependencies: [.product(name: "Zhaoren", package: "$name")])]
)
MANIFEST
cd "$work"
swift build --product linkdemo 2>&1 | tail -n 3
out=$(swift run --skip-build linkdemo)
printf '%s\n' "$out"
for pair in "register:1 survey:1" "register:2 survey:2" "stream: register:1 survey:1" "stream: register:2 survey:2"; do
    grep -q "$pair" <<<"$out" || { echo "library example: expected \"$pair\" in its output" >&2; exit 1; }
done
echo "library example: built and ran in a fresh package depending on $root"
