#!/usr/bin/env bash
# The measurements behind Benchmarks/scale-out.md: a generated city's grid survey deduplicated
# by the single binary and by the Spark job in local mode with 1, 2 and 4 key parts, each
# stage timed, and every run's clusters scored against the city's truth.
#
#   zhaoren generate --persons 1200000 --out city        # a 1.2 M-person city
#   Scripts/spark/measure.sh city bench-results/scale-out
#
# Environment: PYTHON (default .venv-spark/bin/python), ZHAOREN (default the release build),
# MASTER (default local[2]), PARTS (default "1 2 4"), INPUT (default grid_survey.csv),
# COLUMNS, ENCODING and TRUTH (default truth/entities.csv) for another input, e.g. the stacked
# population file of `zhaoren generate --stacked` (TRUTH=truth/population.csv).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
city=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
python=${PYTHON:-$root/.venv-spark/bin/python}
zhaoren=${ZHAOREN:-$root/.build/release/zhaoren}
master=${MASTER:-local[2]}
parts=${PARTS:-1 2 4}
input=${INPUT:-grid_survey.csv}
columns=${COLUMNS:-name=姓名,id=证件号码,sex=性别,birth=出生日期,phone=联系电话,address=现居住地址}
encoding=${ENCODING:-gb18030}
truth=${TRUTH:-truth/entities.csv}

score() {   # pairwise F1 of a clusters.csv against the city's truth
    "$zhaoren" evaluate --clusters "$1/clusters.csv" --truth "$city/$truth" \
        | "$python" -c 'import json,sys; r=json.load(sys.stdin); print("%.5f" % r["clusters"]["pairwise"]["f1"])'
}

cd "$city"
/usr/bin/time -f '%e s wall, %M KiB peak' "$zhaoren" dedupe "$input" --columns "$columns" --out "$out/single" --quiet \
    2> "$out/single.time"
echo "single: $(tail -1 "$out/single.time"), F1 $(score "$out/single")" | tee "$out/results.txt"
for p in $parts; do
    /usr/bin/time -f '%e s wall, %M KiB peak (driver JVM and Python)' "$python" "$root/Scripts/spark/zhaoren_spark.py" dedupe "$input" \
        --columns "$columns" --encoding "$encoding" --out "$out/spark-$p" --zhaoren "$zhaoren" --master "$master" \
        --parts "$p" --stages "$out/stages-$p.json" 2> "$out/spark-$p.log"
    echo "spark, $p parts: $(tail -1 "$out/spark-$p.log"), F1 $(score "$out/spark-$p")" | tee -a "$out/results.txt"
done
