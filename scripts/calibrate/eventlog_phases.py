#!/usr/bin/env python3
"""Per-stage task timing of real Spark 3.5.9 runs (local[2]), for calibrating src/sim/cost.rs and
src/sim/ops_cost.rs.

Reads ../shared/fidelity/eventlogs/*.eventlog.json[.gz] (every task's launch/finish time and metrics) and
../shared/fidelity/expected.jsonl (per-stage task distributions of all 44 practice runs) and prints
markdown tables:

1. per event-log stage: tasks, median duration / executorRunTime / deserialize / scheduler delay /
   fetch wait / GC / result size, shuffle blocks and records read per task, and how much longer the
   stage's first task per executor ran than the median (JVM warm-up, codegen compile);
2. per expected.jsonl stage: tasks, p50 task duration and run time, p50 records in.

Usage: python3 scripts/calibrate/eventlog_phases.py [fidelity dir] > table.md
Only the case's own jobs are counted (those with spark.jobGroup.id = the run's job group, INDEX.json).
"""
import gzip
import json
import os
import statistics
import sys

FID = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../shared/fidelity")


def med(xs):
    return statistics.median(xs) if xs else 0


def open_log(path):
    return gzip.open(path, "rt") if path.endswith(".gz") else open(path)


def eventlog_stages(path, group):
    jobs_of_group, stage_job, tasks = set(), {}, {}
    for line in open_log(path):
        e = json.loads(line)
        ev = e["Event"]
        if ev == "SparkListenerJobStart":
            props = e.get("Properties") or {}
            if props.get("spark.jobGroup.id") == group:
                jobs_of_group.add(e["Job ID"])
                for sid in e["Stage IDs"]:
                    stage_job[sid] = e["Job ID"]
        elif ev == "SparkListenerTaskEnd" and e["Task End Reason"]["Reason"] == "Success":
            sid = e["Stage ID"]
            if sid not in stage_job:
                continue
            info, m = e["Task Info"], e["Task Metrics"]
            dur = info["Finish Time"] - info["Launch Time"]
            run = m["Executor Run Time"]
            deser = m["Executor Deserialize Time"]
            rser = m["Result Serialization Time"]
            get = info["Getting Result Time"]
            sr = m.get("Shuffle Read Metrics", {})
            sw = m.get("Shuffle Write Metrics", {})
            tasks.setdefault(sid, []).append({
                "launch": info["Launch Time"], "exec": info["Executor ID"], "dur": dur, "run": run,
                "deser": deser, "sched": max(0, dur - run - deser - rser - get), "rser": rser,
                "fetch": sr.get("Fetch Wait Time", 0), "gc": m.get("JVM GC Time", 0),
                "blocks": sr.get("Local Blocks Fetched", 0) + sr.get("Remote Blocks Fetched", 0),
                "rrec": sr.get("Total Records Read", 0), "inrec": m.get("Input Metrics", {}).get("Records Read", 0),
                "wrec": sw.get("Shuffle Records Written", 0), "wtime": sw.get("Shuffle Write Time", 0) / 1e6,
                "rsize": m["Result Size"],
            })
    out = []
    for sid in sorted(tasks):
        ts = sorted(tasks[sid], key=lambda t: t["launch"])
        m = {k: med([t[k] for t in ts]) for k in ts[0] if k not in ("launch", "exec")}
        # The first task of the stage on each executor (local[2]: one executor, two slots → the first two).
        first = med([t["dur"] for t in ts[:2]])
        out.append((stage_job[sid], sid, len(ts), m, first))
    return out


def main():
    index = json.load(open(os.path.join(FID, "eventlogs", "INDEX.json")))
    print("## Event logs: per-stage medians (ms) of successful tasks\n")
    print("| run | job | stage | tasks | dur | run | deser | sched | fetch | gc | rser | blocks | rows in | rows written | write time | result B | first 2 tasks dur |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name in sorted(index):
        meta = index[name]
        run_id = name.split(".")[0]
        for job, sid, n, m, first in eventlog_stages(os.path.join(FID, "eventlogs", name), meta["job_group"]):
            rows_in = m["inrec"] + m["rrec"]
            print(f"| {run_id} | {job} | {sid} | {n} | {m['dur']:.0f} | {m['run']:.0f} | {m['deser']:.0f} | "
                  f"{m['sched']:.0f} | {m['fetch']:.0f} | {m['gc']:.0f} | {m['rser']:.0f} | {m['blocks']:.0f} | "
                  f"{rows_in:.0f} | {m['wrec']:.0f} | {m['wtime']:.1f} | {m['rsize']:.0f} | {first:.0f} |")
    print("\n## expected.jsonl: per completed stage\n")
    print("| run | job | stage | tasks | p50 dur | p50 run | max dur | p50 records in |")
    print("|---|---|---|---|---|---|---|---|")
    for line in open(os.path.join(FID, "expected.jsonl")):
        e = json.loads(line)
        for j in e["jobs"]:
            for s in j["stages"]:
                if s["status"] != "completed":
                    continue
                d = s.get("task_duration_ms") or {}
                r = s.get("task_executor_run_ms") or {}
                rec = (s.get("task_input_records") or {}).get("p50", 0) + (s.get("task_shuffle_read_records") or {}).get("p50", 0)
                print(f"| {e['case_id']}__{e['variant']} | {j['job_id']} | {s['stage_id']} | {s['num_tasks']} | "
                      f"{d.get('p50', 0):.0f} | {r.get('p50', 0):.0f} | {d.get('max', 0)} | {rec:.0f} |")


if __name__ == "__main__":
    main()
