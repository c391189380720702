#!/usr/bin/env python3
"""Zhaoren's dedupe and link on Apache Spark: the same engine, a cluster's worth of data.

    spark-submit Scripts/spark/zhaoren_spark.py dedupe population.csv \\
        --columns name=姓名,id=身份证号,birth=出生日期 --out out
    python Scripts/spark/zhaoren_spark.py link police.csv survey.csv --master 'local[2]' \\
        --left-columns name=姓名,id=公民身份号码 --right-columns name=姓名,id=证件号码 --out out

The Swift binary does the domain work; Spark moves the rows (see `zhaoren shard --help`):

1. plan     (driver)    settings resolved and u estimated on a sample of the input;
2. keys     (executors) each input partition goes through `zhaoren shard keys`: one row per
                        record, blocking rule and key, and its folded name;
3. route    (Spark)     blocks counted by key; oversized ones split by their sub-keys or dropped
                        as the engine does; each record sent to the key parts owning its keys;
4. count    (executors) each key part goes through `zhaoren shard pairs`: its pairs are made
                        once (pairs an earlier rule made are skipped) and their comparison
                        patterns counted;
5. train    (driver)    EM on the summed pattern counts (`zhaoren shard train`);
6. score    (executors) the key parts again, scored with the model and the whole input's count
                        of each name the part holds: accepted pairs and cannot-link pairs;
7. cluster  (driver, or Spark when the edges do not fit): connected components with the
                        cannot-link rule, then clusters.csv, pairs.csv, unmatched.csv (link),
                        rejects.csv and summary.json in the single-machine formats.

The input is CSV with the header on its first line (UTF-8 by default, --encoding gb18030 for
GB18030/GBK exports). Rows Spark cannot split into the header's columns are written to
rejects.csv with their line, as the single-machine reader does.
"""

import argparse
import csv
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BINARY = os.path.join(CHECKOUT, ".build", "release", "zhaoren")

KEY_SCHEMA = "kind string, side int, row long, rule int, key long, sub long, text string, raw string"
PAIR_SCHEMA = "kind string, sa int, ra long, sb int, rb long, w double, text string"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="zhaoren_spark.py", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    def common(q):
        q.add_argument("--out", required=True, help="output folder (clusters.csv, pairs.csv, summary.json …)")
        q.add_argument("--zhaoren", default=DEFAULT_BINARY,
                       help="the zhaoren binary shipped to the executors (default: the checkout's release build)")
        q.add_argument("--master", default=None, help="Spark master, e.g. local[4] or yarn (default: spark-submit's)")
        q.add_argument("--parts", type=int, default=0,
                       help="key parts scored apart (default: twice Spark's default parallelism)")
        q.add_argument("--settings", help="a settings JSON file (as for zhaoren dedupe/link)")
        q.add_argument("--threshold", type=float, help="acceptance probability (default: the engine's)")
        q.add_argument("--cannot-link", type=float, help="cannot-link probability (default: the engine's)")
        q.add_argument("--encoding", default="utf-8",
                       help="input encoding: utf-8 (default), gb18030 or gbk; for link one per input, e.g. utf-8,gb18030")
        q.add_argument("--multiline", action="store_true",
                       help="fields may hold line breaks inside quotes (each file is then read in one piece)")
        q.add_argument("--sample-rows", type=int, default=200_000,
                       help="rows per input sampled for the plan (u probabilities; default 200000)")
        q.add_argument("--driver-edges", type=int, default=20_000_000,
                       help="cluster on the driver up to this many accepted pairs, else in Spark (default 20000000)")
        q.add_argument("--driver-memory", help="the driver JVM's memory, e.g. 8g (default: 6g in local mode, else spark-submit's)")
        q.add_argument("--checkpoint-dir",
                       help="a reliable folder for intermediate results (HDFS on a cluster: an executor lost then "
                            "costs a recomputation, not the job); default: kept on the executors")
        q.add_argument("--work", help="scratch folder on the driver (default: a temporary one, removed)")
        q.add_argument("--stages", help="also write the stage measurements (seconds, rows, bytes) to this JSON file")

    d = sub.add_parser("dedupe", help="find the records of one file that are the same person")
    d.add_argument("file")
    d.add_argument("--columns", required=True, help="column roles, ROLE=HEADER,… as for zhaoren dedupe")
    common(d)
    l = sub.add_parser("link", help="find the records of two files that are the same person")
    l.add_argument("left")
    l.add_argument("right")
    l.add_argument("--left-columns", required=True)
    l.add_argument("--right-columns", required=True)
    l.add_argument("--one-to-one", action="store_true", help="each record in at most one accepted pair")
    common(l)
    return p.parse_args(argv)


def fail(message):
    sys.stderr.write("zhaoren_spark: " + message + "\n")
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# Executor side: the binary over one partition's rows.

def binary_path(name):
    """The shipped binary, made executable (SparkFiles may drop the mode bits). `name` is a
    file, or `archive/folder/zhaoren` inside a bundle shipped with addArchive."""
    from pyspark import SparkFiles
    first, _, rest = name.partition("/")
    path = os.path.join(SparkFiles.get(first), rest) if rest else SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        try:
            os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        except OSError:
            local = os.path.join(tempfile.gettempdir(), "zhaoren-" + name)
            if not os.path.exists(local):
                shutil.copy(path, local)
                os.chmod(local, 0o755)
            path = local
    return path


def run_binary(binary, args):
    done = subprocess.run([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError("zhaoren %s failed (%d): %s" % (args[0:2], done.returncode,
                                                           done.stderr.decode("utf-8", "replace")[-2000:]))


def write_part(path, header, lines):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header)
        for line in lines:
            f.write(line)
            f.write("\n")


def read_lines(path, names, types):
    """The binary's tab-separated lines as an Arrow table (no quoting: the binary escapes)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    if os.path.getsize(path) == 0:
        return pa.table({n: pa.array([], type=t) for n, t in zip(names, types)})
    return pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False, escape_char=False),
        convert_options=pacsv.ConvertOptions(column_types=dict(zip(names, types)), strings_can_be_null=False,
                                             quoted_strings_can_be_null=False, null_values=[]))


def map_rows(table, column_side, column_row, rows_by_side, kinds):
    """Part rows (1-based, per side) turned into the input's rows, for lines of `kinds`."""
    import numpy as np
    import pyarrow as pa
    kind = table.column("kind").to_numpy(zero_copy_only=False)
    side = table.column(column_side).to_numpy()
    row = table.column(column_row).to_numpy().copy()
    mask = np.isin(kind, kinds)
    for s, rows in rows_by_side.items():
        m = mask & (side == s)
        if m.any():
            row[m] = rows[row[m] - 1]
    return table.set_column(table.schema.get_field_index(column_row), column_row, pa.array(row, type=pa.int64()))


def keys_task(binary_name, plan_name, headers, columns):
    """mapInArrow: rows (side, row, line) → key lines of the partition."""
    def run(batches):
        import numpy as np
        import pyarrow as pa
        plan = __import__("pyspark").SparkFiles.get(plan_name)
        binary = binary_path(binary_name)
        sides = {}
        for b in batches:
            d = b.to_pydict()
            for s, r, line in zip(d["side"], d["row"], d["line"]):
                sides.setdefault(s, ([], []))
                sides[s][0].append(r)
                sides[s][1].append(line)
        work = tempfile.mkdtemp(prefix="zhaoren-keys-")
        try:
            for s, (rows, lines) in sorted(sides.items()):
                part, out = os.path.join(work, "part-%d.csv" % s), os.path.join(work, "keys-%d.tsv" % s)
                write_part(part, headers[s], lines)
                run_binary(binary, ["shard", "keys", "--plan", plan, "--columns", columns[s], "--side", str(s),
                                    part, "--out", out])
                t = read_lines(out, ["kind", "side", "row", "rule", "key", "sub", "text", "raw"],
                               [pa.string(), pa.int32(), pa.int64(), pa.int32(), pa.int64(), pa.int64(), pa.string(), pa.string()])
                t = map_rows(t, "side", "row", {s: np.asarray(rows, dtype=np.int64)}, ["K", "N", "X"])
                for batch in t.to_batches(max_chunksize=1 << 16):
                    yield batch
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return run


def pairs_task(binary_name, plan_name, oversized_name, model_name, named, parts, headers, columns, mode):
    """mapInArrow: routed rows (part, side, row, line, name, n) → pair lines of each key part.
    Scoring, each part gets the whole input's counts of the names it holds (`n` per record),
    and `named`, the records with a name."""
    def run(batches):
        import numpy as np
        import pyarrow as pa
        from pyspark import SparkFiles
        binary = binary_path(binary_name)
        by_part, names = {}, {}
        for b in batches:
            d = b.to_pydict()
            for p, s, r, line, name, n in zip(d["part"], d["side"], d["row"], d["line"], d["name"], d["n"]):
                by_part.setdefault(p, {}).setdefault(s, ([], []))
                by_part[p][s][0].append(r)
                by_part[p][s][1].append(line)
                if name is not None:
                    names.setdefault(p, {})[name] = n
        work = tempfile.mkdtemp(prefix="zhaoren-pairs-")
        try:
            for p, sides in sorted(by_part.items()):
                files, rows = [], {}
                for s in ([0] if mode == "dedupe" else [0, 1]):
                    got = sides.get(s, ([], []))
                    path = os.path.join(work, "part-%d-%d.csv" % (p, s))
                    write_part(path, headers[s], got[1])
                    files.append(path)
                    rows[s] = np.asarray(got[0], dtype=np.int64)
                    if len(np.unique(rows[s])) != len(rows[s]):
                        raise RuntimeError("key part %d holds a record twice (side %d): the routing is wrong" % (p, s))
                out = os.path.join(work, "pairs-%d.tsv" % p)
                args = ["shard", "pairs", "--plan", SparkFiles.get(plan_name), "--part", str(p), "--parts", str(parts),
                        "--oversized", SparkFiles.get(oversized_name), "--columns", columns[0]]
                if mode == "link":
                    args += ["--right-columns", columns[1]]
                if model_name:
                    counts = os.path.join(work, "names-%d.tsv" % p)
                    with open(counts, "w") as f:
                        f.write("0\t%d\n" % named)
                        for name, n in names.get(p, {}).items():
                            if name != 0:
                                f.write("%d\t%d\n" % (name, n))
                    args += ["--model", SparkFiles.get(model_name), "--names", counts]
                run_binary(binary, args + files + ["--out", out])
                t = read_lines(out, ["kind", "sa", "ra", "sb", "rb", "w", "text"],
                               [pa.string(), pa.int32(), pa.int64(), pa.int32(), pa.int64(), pa.float64(), pa.string()])
                t = map_rows(t, "sa", "ra", rows, ["A", "L"])
                t = map_rows(t, "sb", "rb", rows, ["A", "L"])
                for batch in t.to_batches(max_chunksize=1 << 16):
                    yield batch
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return run


# ---------------------------------------------------------------------------------------------
# Driver side.

class Stages:
    """Seconds, rows and bytes per stage, for summary.json and Benchmarks/scale-out.md."""

    def __init__(self):
        self.seconds, self.facts = {}, {}
        self.t = time.monotonic()

    def lap(self, name):
        now = time.monotonic()
        self.seconds[name] = round(self.seconds.get(name, 0) + now - self.t, 3)
        self.t = now


def shuffle_bytes(sc):
    """Bytes written to and read from shuffles by the job's stages, from Spark's monitoring API
    (empty when the UI is off)."""
    import urllib.request
    url = sc.uiWebUrl
    if not url:
        return {}
    try:
        with urllib.request.urlopen("%s/api/v1/applications/%s/stages" % (url, sc.applicationId), timeout=10) as r:
            stages = json.load(r)
    except (OSError, ValueError):
        return {}
    return {"shuffle_write_bytes": sum(s.get("shuffleWriteBytes", 0) for s in stages),
            "shuffle_read_bytes": sum(s.get("shuffleReadBytes", 0) for s in stages),
            "spark_stages": len(stages)}


def is_local(path):
    """Whether `path` is a file of this machine (not hdfs://, s3a:// …)."""
    return "://" not in path or path.startswith("file://")


def header_of(spark, path, encoding):
    """The header line's column names, read by Spark (local or distributed file system) in the
    input's encoding."""
    first = spark.read.option("header", False).option("encoding", encoding).csv(path).first()
    if first is None:
        fail("%s: the file is empty (no header line)" % path)
    names = ["" if v is None else v for v in first]
    if names and names[0].startswith("\ufeff"):
        names[0] = names[0][1:]
    return names


def csv_header(names):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(names)
    return buf.getvalue()


def read_input(spark, path, encoding, side, multiline):
    """(side, row, line, corrupt) for every data row: row numbered from 1 in file order."""
    from pyspark.sql import functions as F, types as T
    names = header_of(spark, path, encoding)
    if len(set(names)) != len(names) or any(n == "" for n in names):
        fail("%s: the header has empty or repeated column names; rename them first" % path)
    schema = T.StructType([T.StructField(n, T.StringType()) for n in names]
                          + [T.StructField("_zr_corrupt", T.StringType())])
    df = (spark.read.option("header", True).option("encoding", encoding).option("mode", "PERMISSIVE")
          .option("columnNameOfCorruptRecord", "_zr_corrupt").option("escape", '"').option("multiLine", multiline)
          .schema(schema).csv(path))
    df = df.withColumn("_zr_pid", F.spark_partition_id()).withColumn("_zr_mid", F.monotonically_increasing_id())
    df = df.cache()
    counts = dict(df.groupBy("_zr_pid").count().collect())
    offsets, total = {}, 0
    for pid in sorted(counts):
        offsets[pid] = total
        total += counts[pid]
    offset = F.element_at(F.create_map(*[x for pid in sorted(offsets) for x in (F.lit(pid), F.lit(offsets[pid]))]),
                          F.col("_zr_pid")) if offsets else F.lit(0)
    row = (offset + (F.col("_zr_mid") - F.shiftleft(F.col("_zr_pid").cast("long"), 33)) + 1).cast("long")
    line = F.to_csv(F.struct(*[F.col("`%s`" % n) for n in names]), {"escape": '"', "quote": '"', "ignoreLeadingWhiteSpace": "false", "ignoreTrailingWhiteSpace": "false"})
    records = df.select(F.lit(side).alias("side"), row.alias("row"), line.alias("line"), F.col("_zr_corrupt").alias("corrupt"))
    return names, records, total


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    from pyspark.sql import SparkSession, functions as F

    linking = args.command == "link"
    paths = [args.left, args.right] if linking else [args.file]
    columns = [args.left_columns, args.right_columns] if linking else [args.columns]
    for path in paths:
        if is_local(path) and not os.path.exists(path.replace("file://", "", 1)):
            fail("%s: no such file" % path)
    bundle = args.zhaoren.endswith((".tar.gz", ".tgz"))
    if not (os.path.isfile(args.zhaoren) and (bundle or os.access(args.zhaoren, os.X_OK))):
        fail("%s: no zhaoren binary there (build it with `swift build -c release`, or give --zhaoren)" % args.zhaoren)

    # Local runs: the executors' Python is this one (with pyarrow), unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("zhaoren " + args.command)
    if args.master:
        builder = builder.master(args.master)
    if args.driver_memory:
        builder = builder.config("spark.driver.memory", args.driver_memory)
    elif (args.master or "").startswith("local"):
        # Local mode runs every executor inside the driver's JVM: Spark's 1 GiB default spills.
        builder = builder.config("spark.driver.memory", "6g")
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    sc = spark.sparkContext
    run_id = uuid.uuid4().hex[:8]
    if args.checkpoint_dir:
        sc.setCheckpointDir(args.checkpoint_dir)

    def cut(df):
        """Computes `df` once and cuts its lineage, so later plans stay small (Spark explains
        every plan it runs; a plan repeating its whole history grows with each step). Reliable
        checkpoints with --checkpoint-dir, else kept on the executors."""
        return df.checkpoint() if args.checkpoint_dir else df.localCheckpoint()

    work = args.work or tempfile.mkdtemp(prefix="zhaoren-spark-")
    os.makedirs(work, exist_ok=True)
    stages = Stages()

    def ship(local_path, name):
        """Copies a driver file under a name unique to this run and ships it to the executors."""
        target = os.path.join(work, "%s-%s" % (run_id, name))
        if os.path.abspath(local_path) != os.path.abspath(target):
            shutil.copy(local_path, target)
        sc.addFile(target)
        return os.path.basename(target)

    if bundle:
        # A bundle from Scripts/spark/build-executor-binary.sh: the binary with the libraries
        # it needs, for executors without Swift; Spark unpacks it on each executor.
        import tarfile
        with tarfile.open(args.zhaoren) as bundle:
            inner = [m.name for m in bundle.getmembers() if m.name.endswith("/zhaoren") and m.isfile()]
            if len(inner) != 1:
                fail("%s: expected one folder holding zhaoren in the bundle" % args.zhaoren)
            bundle.extractall(os.path.join(work, "bundle"))
        target = os.path.join(work, "%s-zhaoren.tar.gz" % run_id)
        shutil.copy(args.zhaoren, target)
        sc.addArchive(target)
        binary_name = os.path.basename(target) + "/" + inner[0]
        driver_binary = os.path.join(work, "bundle", inner[0])
    else:
        binary_name = ship(args.zhaoren, "zhaoren")
        os.chmod(os.path.join(work, binary_name), 0o755)
        driver_binary = os.path.join(work, binary_name)
    parts = args.parts or max(2, 2 * sc.defaultParallelism)
    # Shuffles: at least as wide as the key parts and four per core, unless configured (each
    # aggregation over the key rows then fits its task's memory instead of spilling).
    if not sc.getConf().contains("spark.sql.shuffle.partitions"):
        spark.conf.set("spark.sql.shuffle.partitions", str(max(parts, 4 * sc.defaultParallelism)))
    encodings = [e.strip() for e in args.encoding.split(",")]
    if len(encodings) == 1:
        encodings = encodings * len(paths)
    if len(encodings) != len(paths):
        fail("--encoding: give one encoding, or one per input")

    # Read, in about two splits per core (a file is split by bytes; each split keeps its rows'
    # order, which numbers them). A file read with --multiline cannot be split.
    if all(is_local(p) for p in paths):
        largest = max(os.path.getsize(p.replace("file://", "", 1)) for p in paths)
        split = min(128 << 20, max(4 << 20, largest // max(1, 2 * sc.defaultParallelism) + 1))
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(split))
    headers, inputs, records = [], [], None
    for side, path in enumerate(paths):
        names, df, total = read_input(spark, path, encodings[side], side, args.multiline)
        headers.append(csv_header(names))
        inputs.append({"name": os.path.splitext(os.path.basename(path.rstrip("/")))[0],
                       "path": os.path.abspath(path) if "://" not in path else path,
                       "columns": columns[side], "encoding": encodings[side].replace("-", "").lower(), "rows": total})
        records = df if records is None else records.unionByName(df)
    records = records.cache()
    corrupt = records.filter(F.col("corrupt").isNotNull())
    good = cut(records.filter(F.col("corrupt").isNull()).select("side", "row", "line"))
    stages.lap("read")
    stages.facts["rows"] = sum(i["rows"] for i in inputs)

    # 1. Plan, from a sample of each input.
    plan_path = os.path.join(work, "plan.json")
    samples = []
    for side in range(len(paths)):
        n = inputs[side]["rows"]
        fraction = min(1.0, 1.2 * args.sample_rows / max(n, 1))
        sample = good.filter(F.col("side") == side)
        if fraction < 1.0:
            sample = sample.sample(False, fraction, seed=7)
        lines = [r["line"] for r in sample.orderBy("row").limit(args.sample_rows).select("line").collect()]
        sample_path = os.path.join(work, "sample-%d.csv" % side)
        write_part(sample_path, headers[side], lines)
        samples.append(sample_path)
    plan_args = ["shard", "plan", "--records", str(sum(i["rows"] for i in inputs)), "--columns", columns[0],
                 "--out", plan_path] + samples
    if linking:
        plan_args += ["--right-columns", columns[1], "--left-records", str(inputs[0]["rows"])]
        if args.one_to_one:
            plan_args += ["--one-to-one"]
    if args.settings:
        plan_args += ["--settings", args.settings]
    if args.threshold is not None:
        plan_args += ["--threshold", str(args.threshold)]
    if args.cannot_link is not None:
        plan_args += ["--cannot-link", str(args.cannot_link)]
    run_binary(driver_binary, plan_args)
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    plan_name = ship(plan_path, "plan.json")
    rules = plan["settings"]["blocking"]
    stages.lap("plan")

    # 2. Keys, per input partition.
    keys = cut(good.mapInArrow(keys_task(binary_name, plan_name, headers, columns), KEY_SCHEMA))
    key_rows = keys.filter(F.col("kind") == "K").select("side", "row", "rule", "key", "sub")
    stages.facts["key_rows"] = key_rows.count()
    stages.lap("keys")

    # 3. Blocks: oversized keys (split by sub-key or dropped, as the engine does), then routes.
    max_size = F.element_at(F.array(*[F.lit(int(r.get("max_block_size", 300))) for r in rules]), F.col("rule") + 1)
    # One aggregation over all keys; only blocks of two or more records matter from here.
    blocks = key_rows.groupBy("rule", "key").count().filter(F.col("count") >= 2).cache()
    oversized = blocks.filter(F.col("count") > max_size).select("rule", "key").cache()
    over_list = oversized.collect()
    over_rows = key_rows.join(F.broadcast(oversized), ["rule", "key"], "left_semi").cache()
    sub_blocks = over_rows.filter(F.col("sub") != 0).groupBy("rule", "sub").count()
    dropped = sub_blocks.filter(F.col("count") > max_size).select("rule", "sub").cache()
    dropped_list = dropped.collect()
    oversized_path = os.path.join(work, "oversized.tsv")
    with open(oversized_path, "w") as f:
        for r in over_list:
            f.write("O\t%d\t%d\n" % (r["rule"], r["key"]))
        for r in dropped_list:
            f.write("D\t%d\t%d\n" % (r["rule"], r["sub"]))
    oversized_name = ship(oversized_path, "oversized.tsv")
    stages.facts["oversized_blocks"] = len(over_list)
    # The block a record actually sits in: its key's, or when that is oversized its sub-key's
    # (none when the sub-key is missing or still oversized); blocks of two or more only.
    kept = blocks.filter(F.col("count") <= max_size).select("rule", F.col("key").alias("eff"))
    direct = key_rows.select("side", "row", "rule", F.col("key").alias("eff")).join(kept, ["rule", "eff"], "left_semi")
    split = (over_rows.filter(F.col("sub") != 0).select("side", "row", "rule", F.col("sub").alias("eff"))
             .join(sub_blocks.filter((F.col("count") >= 2) & (F.col("count") <= max_size))
                   .select("rule", F.col("sub").alias("eff")), ["rule", "eff"], "left_semi"))
    owner = (F.shiftrightunsigned(F.col("eff"), 48) % F.lit(parts)).cast("int")
    routes = direct.union(split).select(owner.alias("part"), "side", "row").distinct()
    # Each record travels with its folded name and that name's count over the whole input (for
    # term frequencies): a part gets the counts of its own names, never the whole table.
    named_rows = keys.filter(F.col("kind") == "N").select("side", "row", F.col("key").alias("name"))
    name_counts = named_rows.groupBy("name").agg(F.count(F.lit(1)).alias("n"))
    record_names = named_rows.join(name_counts, "name")
    routed = (routes.join(good, ["side", "row"]).join(record_names, ["side", "row"], "left")
              .select("part", "side", "row", "line", "name", "n")
              .repartition(parts, "part").sortWithinPartitions("part", "side", "row"))
    routed = cut(routed)
    stages.facts["routed_rows"] = routed.count()
    stages.facts["routed_bytes"] = routed.select(F.sum(F.length("line"))).first()[0] or 0
    stages.lap("route")

    # 4. Pattern counts per key part; name counts per input partition.
    counted = routed.mapInArrow(pairs_task(binary_name, plan_name, oversized_name, None, None, parts, headers,
                                           columns, args.command), PAIR_SCHEMA)
    counted = cut(counted)
    pattern_rows = counted.filter(F.col("kind") == "P").groupBy("ra").agg(F.sum("rb").alias("n")).collect()
    report_rows = counted.filter(F.col("kind") == "R").select("text").collect()
    patterns_path = os.path.join(work, "patterns.tsv")
    with open(patterns_path, "w") as f:
        for r in pattern_rows:
            f.write("%d\t%d\n" % (r["ra"], r["n"]))
    blocking = [{"name": r["name"], "keys": 0, "blocks": 0, "pairs": 0, "duplicate_pairs": 0, "oversized_blocks": 0,
                 "dropped_records": 0} for r in rules]
    fields = ["keys", "blocks", "pairs", "duplicate_pairs", "oversized_blocks", "dropped_records"]
    for r in report_rows:
        v = [int(x) for x in r["text"].split(",")]
        for k, name in enumerate(fields):
            blocking[v[0]][name] += v[k + 1]
    for k, row in enumerate(blocking):
        row["keys"] = 0   # per part the local keys overlap; the whole input's are counted below
    for r in key_rows.groupBy("rule").count().collect():
        blocking[r["rule"]]["keys"] = r["count"]
    # Oversized blocks and the records dropped from them, over the whole input (a part sees
    # only the members routed to it).
    for row in blocking:
        row["oversized_blocks"], row["dropped_records"] = 0, 0
    for r in over_list:
        blocking[r["rule"]]["oversized_blocks"] += 1
    lost = (over_rows.join(F.broadcast(dropped.withColumn("gone", F.lit(True))), ["rule", "sub"], "left")
            .filter((F.col("sub") == 0) | F.col("gone").isNotNull()).groupBy("rule").count().collect())
    for r in lost:
        blocking[r["rule"]]["dropped_records"] = r["count"]
    named = named_rows.count()
    stages.facts["candidate_pairs"] = sum(b["pairs"] for b in blocking)
    stages.facts["patterns"] = len(pattern_rows)
    stages.lap("count")

    # 5. Train on the driver.
    model_path = os.path.join(work, "model.json")
    run_binary(driver_binary, ["shard", "train", "--plan", plan_path, "--patterns", patterns_path, "--out", model_path])
    model_name = ship(model_path, "model.json")
    stages.lap("train")

    # 6. Score per key part.
    scored = routed.mapInArrow(pairs_task(binary_name, plan_name, oversized_name, model_name, named, parts, headers,
                                          columns, args.command), PAIR_SCHEMA)
    scored = cut(scored)
    accepted = scored.filter(F.col("kind") == "A")
    accepted_count = accepted.count()
    stages.facts["accepted_pairs"] = accepted_count
    # A cannot-link pair matters only between records that both have an accepted pair.
    ends = accepted.select(F.col("sa").alias("s"), F.col("ra").alias("r")).union(
        accepted.select(F.col("sb").alias("s"), F.col("rb").alias("r"))).distinct()
    low = (scored.filter(F.col("kind") == "L")
           .join(ends.withColumnRenamed("s", "sa").withColumnRenamed("r", "ra"), ["sa", "ra"], "left_semi")
           .join(ends.withColumnRenamed("s", "sb").withColumnRenamed("r", "rb"), ["sb", "rb"], "left_semi"))
    stages.lap("score")

    # 7. Cluster: on the driver when the edges fit, else in Spark.
    rejects_path = os.path.join(work, "rejects.tsv")
    with open(rejects_path, "w", encoding="utf-8") as f:
        for r in keys.filter(F.col("kind") == "X").toLocalIterator():
            f.write("X\t%d\t%d\t%d\t0\t0\t0\t%s\t%s\n" % (r["side"], r["row"], r["rule"], r["text"], r["raw"]))
        for r in corrupt.toLocalIterator():
            raw = r["corrupt"].rstrip("\r\n").replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            f.write("X\t%d\t%d\t0\t0\t0\t0\tragged_row: not the header's number of fields\t%s\n" % (r["side"], r["row"], raw))
    facts_path = os.path.join(work, "facts.json")

    def write_facts():
        with open(facts_path, "w", encoding="utf-8") as f:
            json.dump({"inputs": inputs, "blocking": blocking, "patterns": len(pattern_rows),
                       "seconds_per_stage": {"spark_" + k: v for k, v in stages.seconds.items()}}, f, ensure_ascii=False)

    if accepted_count <= args.driver_edges:
        stages.facts["clustering"] = "driver"
        edges_path = os.path.join(work, "edges.tsv")
        with open(edges_path, "w", encoding="utf-8") as f:
            for frame in (accepted, low):
                for r in frame.select("kind", "sa", "ra", "sb", "rb", "w", "text").toLocalIterator():
                    f.write("%s\t%d\t%d\t%d\t%d\t%r\t%s\n" % (r["kind"], r["sa"], r["ra"], r["sb"], r["rb"], r["w"], r["text"] or ""))
        stages.lap("collect")
        write_facts()
        run_binary(driver_binary, ["shard", "cluster", "--plan", plan_path, "--model", model_path, "--facts", facts_path,
                                   "--edges", edges_path, "--rejects", rejects_path, "--out", args.out])
    else:
        stages.facts["clustering"] = "spark"
        rejected = (keys.filter(F.col("kind") == "X").select("side", "row")
                    .union(corrupt.select("side", "row")))
        local = (args.master or sc.master or "").startswith("local")
        bodies, counts = cluster_in_spark(accepted, low, good, rejected, inputs, parts, binary_name, plan_name,
                                          linking and bool(plan["settings"].get("one_to_one")), work, local, stages, cut)
        counts_path = os.path.join(work, "counts.json")
        with open(counts_path, "w", encoding="utf-8") as f:
            json.dump(counts, f, ensure_ascii=False)
        write_facts()
        finish = ["shard", "finish", "--plan", plan_path, "--model", model_path, "--facts", facts_path,
                  "--counts", counts_path, "--rejects", rejects_path, "--out", args.out]
        for name, files in bodies.items():
            for path in files:
                finish += ["--" + name, path]
        run_binary(driver_binary, finish)
    stages.lap("cluster")
    if args.stages:
        stages.facts.update(shuffle_bytes(sc))
        with open(args.stages, "w", encoding="utf-8") as f:
            json.dump({"seconds": stages.seconds, "facts": stages.facts, "parts": parts,
                       "partitions": {"input": good.rdd.getNumPartitions(), "routed": routed.rdd.getNumPartitions()}},
                      f, indent=2, sort_keys=True)
    sys.stderr.write("zhaoren_spark: %d rows, %d candidate pairs, %d accepted → %s (%s)\n" % (
        stages.facts["rows"], stages.facts["candidate_pairs"], accepted_count, args.out,
        ", ".join("%s %.1f s" % kv for kv in stages.seconds.items())))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    spark.stop()


ROOT_SCHEMA = "kind string, sa long, ra long, sb long, rb long"
ROW_BITS = 40


def roots_task(binary_name, plan_name):
    """mapInArrow: whole components' pairs → their clusters (`zhaoren shard roots`)."""
    def run(batches):
        import pyarrow as pa
        from pyspark import SparkFiles
        binary = binary_path(binary_name)
        work = tempfile.mkdtemp(prefix="zhaoren-roots-")
        try:
            edges, out = os.path.join(work, "edges.tsv"), os.path.join(work, "roots.tsv")
            n = 0
            with open(edges, "w", encoding="utf-8") as f:
                for b in batches:
                    d = b.to_pydict()
                    for k, sa, ra, sb, rb, w in zip(d["kind"], d["sa"], d["ra"], d["sb"], d["rb"], d["w"]):
                        f.write("%s\t%d\t%d\t%d\t%d\t%r\n" % (k, sa, ra, sb, rb, w))
                        n += 1
            if n == 0:
                return
            run_binary(binary, ["shard", "roots", "--plan", SparkFiles.get(plan_name), "--edges", edges, "--out", out])
            t = read_lines(out, ["kind", "sa", "ra", "sb", "rb"], [pa.string(), pa.int64(), pa.int64(), pa.int64(), pa.int64()])
            for batch in t.to_batches(max_chunksize=1 << 16):
                yield batch
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return run


def components(accepted, stages, cut):
    """Connected components of the accepted pairs by label propagation in Spark SQL: every
    record (side << 40 | row) takes the smallest label among itself and its neighbours, until no
    label changes. The label is then the component's first record in input order."""
    from pyspark.sql import functions as F
    node = lambda s, r: F.col(s).cast("long") * F.lit(1 << ROW_BITS) + F.col(r)
    edges = accepted.select(node("sa", "ra").alias("a"), node("sb", "rb").alias("b"))
    edges = cut(edges.union(edges.select(F.col("b").alias("a"), F.col("a").alias("b"))))
    labels = cut(edges.groupBy("a").agg(F.least(F.col("a"), F.min("b")).alias("label")).withColumnRenamed("a", "v"))
    rounds = 1
    while True:
        proposals = edges.join(labels.withColumnRenamed("v", "b"), "b").groupBy("a").agg(F.min("label").alias("m"))
        updated = (labels.join(proposals.withColumnRenamed("a", "v"), "v", "left")
                   .select("v", F.least(F.col("label"), F.coalesce(F.col("m"), F.col("label"))).alias("label")))
        updated = cut(updated)
        changed = updated.join(labels.withColumnRenamed("label", "old"), "v").filter(F.col("label") != F.col("old")).count()
        labels = updated
        rounds += 1
        if changed == 0:
            break
    stages.facts["label_propagation_rounds"] = rounds
    return labels


def csv_cell(text):
    """A CSV cell as the engine writes it: quoted when it holds a comma, quote or line break."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def cluster_in_spark(accepted, low, good, rejected, inputs, parts, binary_name, plan_name, one_to_one, work, local, stages, cut):
    """Clusters too many pairs for the driver: components found in Spark; components with a
    cannot-link pair inside (every component, linking one-to-one) clustered by the binary per
    component group; the files' lines written in order by Spark. Returns the part files of each
    output file and the counts for summary.json."""
    from pyspark.sql import functions as F
    mask = (1 << ROW_BITS) - 1
    node = lambda s, r: F.col(s).cast("long") * F.lit(1 << ROW_BITS) + F.col(r)
    labels = components(accepted, stages, cut)
    la = labels.select(F.col("v").alias("va"), F.col("label"))
    lb = labels.select(F.col("v").alias("vb"), F.col("label").alias("label_b"))
    acc = accepted.withColumn("va", node("sa", "ra")).join(la, "va")
    low_in = (low.withColumn("va", node("sa", "ra")).withColumn("vb", node("sb", "rb")).join(la, "va").join(lb, "vb")
              .filter(F.col("label") == F.col("label_b")))
    conflicted = cut((acc if one_to_one else low_in).select("label").distinct())
    cols = ["label", "kind", "sa", "ra", "sb", "rb", "w"]
    group = acc.join(conflicted, "label", "left_semi").select(*cols).union(low_in.select(*cols))
    out = cut(group.repartition(parts, "label").mapInArrow(roots_task(binary_name, plan_name), ROOT_SCHEMA))
    fixed = out.filter(F.col("kind") == "C").select(F.col("sa").cast("int").alias("side"), F.col("ra").alias("row"),
                                                    F.col("sb").cast("int").alias("rs"), F.col("rb").alias("rr"))
    plain = labels.join(conflicted, "label", "left_anti").select(
        F.shiftright("v", ROW_BITS).cast("int").alias("side"), (F.col("v").bitwiseAND(F.lit(mask))).alias("row"),
        F.shiftright("label", ROW_BITS).cast("int").alias("rs"), (F.col("label").bitwiseAND(F.lit(mask))).alias("rr"))
    roots = fixed.union(plain)
    dropped = out.filter(F.col("kind") == "D").select(F.col("sa").cast("int").alias("sa"), "ra", F.col("sb").cast("int").alias("sb"), "rb")
    refused = out.filter(F.col("kind") == "M").agg(F.sum("sa")).first()[0] or 0
    kept = cut(accepted.join(dropped, ["sa", "ra", "sb", "rb"], "left_anti"))
    members = good.select("side", "row").join(rejected, ["side", "row"], "left_anti")
    assigned = cut(members.join(roots, ["side", "row"], "left")
                   .select("side", "row", F.coalesce("rs", "side").alias("rs"), F.coalesce("rr", "row").alias("rr")))
    stages.lap("components")

    names = [i["name"] for i in inputs]
    cell = lambda c: F.element_at(F.array(*[F.lit(csv_cell(n)) for n in names]), F.col(c) + 1)
    quoted = [csv_cell(n) != n for n in names]
    prefix = F.element_at(F.array(*[F.lit(('"' + n.replace('"', '""') + ":") if q else (n + ":")) for n, q in zip(names, quoted)]),
                          F.col("rs") + 1)
    suffix = F.element_at(F.array(*[F.lit('"' if q else "") for q in quoted]), F.col("rs") + 1)
    s = lambda c: F.col(c).cast("string")
    files = {
        "clusters": assigned.orderBy("side", "row").select(
            F.concat(cell("side"), F.lit(","), s("row"), F.lit(","), prefix, s("rr"), suffix).alias("line")),
        "pairs": kept.orderBy("sa", "ra", "sb", "rb").select(
            F.concat(cell("sa"), F.lit(","), s("ra"), F.lit(","), cell("sb"), F.lit(","), s("rb"), F.lit(","), F.col("text")).alias("line")),
    }
    sizes = cut(assigned.groupBy("rs", "rr").count())
    totals = sizes.agg(F.count(F.lit(1)).alias("clusters"), F.sum(F.when(F.col("count") > 1, 1).otherwise(0)).alias("multi"),
                       F.max("count").alias("largest")).first()
    counts = {"pairs": kept.count(), "clusters": totals["clusters"] or 0, "multi_record_clusters": totals["multi"] or 0,
              "largest_cluster": totals["largest"] or 0, "merges_refused": int(refused)}
    if len(inputs) == 2:
        ends = kept.select(F.col("sa").alias("side"), F.col("ra").alias("row")).union(
            kept.select(F.col("sb").alias("side"), F.col("rb").alias("row"))).distinct()
        files["unmatched"] = (members.join(ends, ["side", "row"], "left_anti").orderBy("side", "row")
                              .select(F.concat(cell("side"), F.lit(","), s("row")).alias("line")))
        single = assigned.join(sizes.filter(F.col("count") == 1), ["rs", "rr"], "left_semi").groupBy("side").count().collect()
        counts["unmatched"] = {names[k]: 0 for k in range(len(names))}
        for r in single:
            counts["unmatched"][names[r["side"]]] = r["count"]
    bodies = {}
    for name, frame in files.items():
        folder = os.path.join(work, "lines-" + name)
        shutil.rmtree(folder, ignore_errors=True)
        if local:
            frame.write.text("file://" + folder)
            bodies[name] = sorted(os.path.join(folder, p) for p in os.listdir(folder) if p.startswith("part-"))
        else:
            # On a cluster the executors cannot write the driver's disk: the lines stream to it.
            os.makedirs(folder)
            path = os.path.join(folder, "lines")
            with open(path, "w", encoding="utf-8") as f:
                for r in frame.toLocalIterator():
                    f.write(r["line"])
                    f.write("\n")
            bodies[name] = [path]
    stages.lap("collect")
    return bodies, counts


if __name__ == "__main__":
    main()
