"""`make bench`: the full dbt build against the notebook pipeline, at several sizes.

For each size N (env BENCH_ROWS, comma-separated; default 10000,100000,1000000):
draw N customers (cached under bench/data/) and run the
full `dbt build` (every model and test) into an empty scratch DuckDB file, and read
each model's time from dbt's run_results.json; the build's wall time and peak memory
come from bench/measure.py. A cold `dbt parse` runs first and is reported on its own
("first parse"); then one cold build (fresh target folder, no partial parse: a first
build) is reported beside the warm ones, which start from dbt's partial-parse cache as
any rebuild of an unchanged project does. The rows each Python model received (the
relations it reads, counted) are reported too: samples, or every customer. The same
file goes through bench/notebook_baseline.py (pandas, scikit-learn, mlxtend) up to
BENCH_BASELINE_MAX rows. Runs under a minute are repeated (BENCH_REPEAT, default 3)
and the median is reported. The customers are, with env BENCH_SOURCE: `resampled`
(the default) rows of the real file ../shared/data/marketing_campaign.csv drawn with
replacement (seeded) under new IDs, as a real customer base of that size looks; or
`generated` by the project's generator (the fallback, said so, when the real file is
absent). Results: JSON under bench/results/ and a Markdown table on stdout.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATA = ROOT / "bench" / "data"
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
REAL_FILE = ROOT.parent / "shared" / "data" / "marketing_campaign.csv"
GIB = 1024**3


def sizes() -> list[int]:
    raw = os.environ.get("BENCH_ROWS", "10000,100000,1000000")
    return [int(size.replace("_", "")) for size in raw.split(",") if size.strip()]


def measured(command: list[str], env: dict | None = None) -> dict:
    """Run command under bench/measure.py; its JSON (wall, peak) or an error."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), *command],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"{command[0]} printed nothing:\n{result.stderr[-3000:]}")
    stats = json.loads(lines[-1])
    stats["stdout"] = "\n".join(lines[:-1])
    if stats["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-5000:]}")
    return stats


def source() -> str:
    """BENCH_SOURCE (resampled or generated); generated when the real file is absent."""
    wanted = os.environ.get("BENCH_SOURCE", "resampled")
    if wanted not in ("resampled", "generated"):
        raise SystemExit(f"BENCH_SOURCE must be resampled or generated, not {wanted!r}")
    if wanted == "resampled" and not REAL_FILE.exists():
        print(
            f"{REAL_FILE} is absent: benchmarking generated customers instead",
            file=sys.stderr,
        )
        return "generated"
    return wanted


def resample(rows: int) -> Path:
    """`rows` rows of the real file drawn with replacement (seed 7), IDs 1..rows, every
    other value exactly as exported (read as text), tab-separated like the file."""
    path = DATA / f"resampled_{rows}.csv"
    if not path.exists():
        import duckdb
        import numpy as np
        import pandas as pd

        DATA.mkdir(parents=True, exist_ok=True)
        real = pd.read_csv(REAL_FILE, sep="\t", dtype=str, keep_default_na=False)
        real = real.drop(columns="ID").assign(position=np.arange(len(real)))
        draws = pd.DataFrame(
            {
                "ID": np.arange(1, rows + 1),
                "position": np.random.default_rng(7).integers(0, len(real), rows),
            }
        )
        partial_path = path.with_suffix(".partial")
        with duckdb.connect() as con:
            con.execute("set enable_progress_bar = false")
            con.register("real", real)
            con.register("draws", draws)
            con.execute(
                "copy (select draws.ID, real.* exclude (position) from draws "
                "join real using (position) order by draws.ID) "
                f"to '{partial_path}' (header, delimiter '\t')"
            )
        partial_path.rename(path)
    return path


def generate(rows: int) -> Path:
    path = DATA / f"customers_{rows}.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "customer_personality",
                "generate",
                "--rows",
                str(rows),
            ]
            + ["--out", str(path), "--seed", "7", "--quiet"],
            cwd=ROOT,
            check=True,
        )
    return path


def dbt_command(command: str, path: Path, rows: int) -> tuple[list[str], dict, Path]:
    """The dbt command line for one size, its environment and its scratch folder."""
    folder = WORK / f"bench_{rows}"
    variables = {"raw_customers_path": str(path)}
    # The SQL recomputation of every rule is O(rules x customers); at scale it checks
    # a seeded subset of rules (the full check runs in the test suite).
    if rows > 100_000:
        variables["rules_check_limit"] = 200
    argv = [str(BIN / "dbt"), "--no-use-colors", "--quiet", command]
    argv += ["--profiles-dir", ".", "--target-path", str(folder / "target")]
    argv += ["--log-path", str(folder / "logs"), "--vars", json.dumps(variables)]
    env = {
        "CUSTOMER_PERSONALITY_DB": str(folder / "customer_personality.duckdb"),
        "CUSTOMER_PERSONALITY_HISTORY": str(folder / "history"),
    }
    return argv, env, folder


def dbt_parse(path: Path, rows: int) -> dict:
    """Parse the project once for this size, from scratch: dbt keeps the result in
    target/partial_parse.msgpack, and every timed build starts from it, as a rebuild
    of an unchanged project does. The cold parse is reported on its own."""
    argv, env, folder = dbt_command("parse", path, rows)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return measured(argv, env=env)


def dbt_build(path: Path, rows: int, cold: bool = False) -> dict:
    """The full `dbt build` (every model and test) into an empty database; cold: with
    a fresh target folder too (no partial parse), as a first build is."""
    argv, env, folder = dbt_command("build", path, rows)
    db = Path(env["CUSTOMER_PERSONALITY_DB"])
    if cold:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("customer_personality.duckdb*"):
        stale.unlink()
    stats = measured(argv, env=env)
    results = json.loads((folder / "target" / "run_results.json").read_text())
    results = results["results"]
    stats["models"] = {
        result["unique_id"].split(".")[-1]: round(result["execution_time"], 3)
        for result in results
        if result["unique_id"].startswith(("model.", "seed."))
    }
    stats["results"] = warehouse_facts(db)
    stats["python_inputs"] = python_model_inputs(folder / "target", db)
    stats["tests_s"] = round(
        sum(
            r["execution_time"]
            for r in results
            if r["unique_id"].startswith(("test.", "unit_test."))
        ),
        3,
    )
    stats["tests"] = sum(
        r["unique_id"].startswith(("test.", "unit_test.")) for r in results
    )
    db.unlink()
    return stats


def python_model_inputs(target: Path, db: Path) -> dict[str, dict[str, int]]:
    """Rows of each relation each Python model reads (its refs, from the manifest):
    what Python received, a sample or every customer."""
    import duckdb

    manifest = json.loads((target / "manifest.json").read_text())
    nodes = manifest["nodes"]
    inputs: dict[str, dict[str, int]] = {}
    with duckdb.connect(str(db), read_only=True) as con:
        for node in nodes.values():
            if node.get("language") != "python" or node["resource_type"] != "model":
                continue
            refs = [nodes[parent]["name"] for parent in node["depends_on"]["nodes"]]
            inputs[node["name"]] = {
                name: con.execute(f'select count(*) from "{name}"').fetchone()[0]
                for name in refs
            }
    return inputs


def warehouse_facts(db: Path) -> dict:
    """What the build found: selected k per algorithm with its metrics, rule counts."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        selected = con.execute(
            "select algorithm, k, parameter, silhouette, calinski_harabasz, "
            "davies_bouldin, selection_reason from cluster_evaluation "
            "where is_selected order by algorithm"
        ).fetchall()
        counts = {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("customers", "frequent_itemsets", "association_rules")
        }
        segments = dict(
            con.execute("select segment, count(*) from customers group by 1").fetchall()
        )
    return {
        "selected": [
            dict(
                zip(
                    ["algorithm", "k", "parameter", "silhouette", "calinski_harabasz"]
                    + ["davies_bouldin", "selection_reason"],
                    row,
                )
            )
            for row in selected
        ],
        "counts": counts,
        "segments": segments,
    }


def repeated(run, repeat: int) -> list[dict]:
    first = run()
    runs = [first]
    if first["wall_s"] < 60:
        runs += [run() for _ in range(repeat - 1)]
    return runs


def median_of(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def main() -> int:
    repeat = int(os.environ.get("BENCH_REPEAT", "3"))
    baseline_max = int(os.environ.get("BENCH_BASELINE_MAX", "1000000"))
    customers = source()
    report: dict = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "source": customers,
        "sizes": {},
    }
    for rows in sizes():
        path = resample(rows) if customers == "resampled" else generate(rows)
        print(f"== {rows:,} customers ({path.name})", file=sys.stderr, flush=True)
        parse = dbt_parse(path, rows)
        cold = dbt_build(path, rows, cold=True)
        builds = repeated(partial(dbt_build, path, rows), repeat)
        shutil.rmtree(WORK / f"bench_{rows}", ignore_errors=True)
        entry = {
            "parse_s": parse["wall_s"],
            "cold_build_wall_s": cold["wall_s"],
            "cold_build_peak_gib": cold["peak_bytes"] / GIB,
            "python_inputs": cold["python_inputs"],
            "build_runs": [
                {k: v for k, v in run.items() if k != "stdout"} for run in builds
            ],
            "build_wall_s": median_of(builds, "wall_s"),
            "build_peak_gib": max(run["peak_bytes"] for run in builds) / GIB,
        }
        entry["models"] = {
            name: statistics.median(run["models"][name] for run in builds)
            for name in builds[0]["models"]
        }
        if rows <= baseline_max:
            command = [sys.executable, str(ROOT / "bench" / "notebook_baseline.py")]
            baselines = repeated(partial(measured, [*command, str(path)]), repeat)
            entry["baseline_runs"] = [
                {
                    **{k: v for k, v in run.items() if k != "stdout"},
                    "steps": json.loads(run["stdout"].splitlines()[-1]),
                }
                for run in baselines
            ]
            entry["baseline_wall_s"] = median_of(baselines, "wall_s")
            entry["baseline_peak_gib"] = max(run["peak_bytes"] for run in baselines) / GIB
        report["sizes"][str(rows)] = entry
        print(
            json.dumps({rows: {k: v for k, v in entry.items() if "runs" not in k}}),
            file=sys.stderr,
            flush=True,
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench_{time.strftime('%Y%m%d_%H%M%S')}.json"
    out.write_text(json.dumps(report, indent=2))
    print(markdown(report))
    print(f"\nresults: {out}")
    return 0


def markdown(report: dict) -> str:
    lines = [
        f"Customers: {report.get('source', 'generated')}.",
        "",
        "| customers | dbt build (s) | peak (GiB) | cold build (s) | first parse (s) "
        "| notebook (s) | notebook peak (GiB) | build / notebook time "
        "| cold / notebook time | build / notebook memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for rows, entry in report["sizes"].items():
        base = entry.get("baseline_wall_s")
        base_peak = entry.get("baseline_peak_gib")
        cold = entry["cold_build_wall_s"]
        head = (
            f"| {int(rows):,} | {entry['build_wall_s']:.1f} "
            f"| {entry['build_peak_gib']:.2f} | {cold:.1f} | {entry['parse_s']:.1f} "
        )
        lines.append(
            head + f"| {base:.1f} | {base_peak:.2f} "
            f"| {entry['build_wall_s'] / base:.2f} | {cold / base:.2f} "
            f"| {entry['build_peak_gib'] / base_peak:.2f} |"
            if base
            else head + "| - | - | - | - | - |"
        )
    largest = list(report["sizes"])[-1]
    models = sorted(report["sizes"][largest]["models"].items(), key=lambda kv: -kv[1])
    lines += ["", f"Slowest models at {int(largest):,} customers (median s):", ""]
    lines += ["| model | s |", "|---|---:|"]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in models[:12]]
    inputs = report["sizes"][largest]["python_inputs"]
    lines += ["", f"Rows of each relation a Python model refs at {int(largest):,}:", ""]
    lines += [
        "(int_customer_density_clusters reads int_clustering_features only when "
        "HDBSCAN selects a clustering; int_frequent_itemsets reads int_basket_items "
        "only with rules_algorithm mlxtend or fpgrowth.)",
        "",
    ]
    lines += ["| Python model | relation: rows |", "|---|---|"]
    lines += [
        f"| {model} | "
        + ", ".join(f"{name}: {count:,}" for name, count in refs.items())
        + " |"
        for model, refs in sorted(inputs.items())
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
