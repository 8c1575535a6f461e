//! Issue 5, RDD jobs through the pipeline: a PySpark snippet's RDD actions planned and simulated as
//! Spark runs them — stages cut at ShuffledRDDs (word count = 2 stages), job and stage ids shared with
//! the SQL executions in program order, map stages re-listed as skipped, cached RDDs read back,
//! `df.rdd` running its plan's stages under the RDD job, the lineage in the report and the CLI text,
//! and the cost model's stated direction (groupByKey shuffles more than reduceByKey).

use stagecraft::input::catalogs;
use stagecraft::pipeline::{self, Run};
use stagecraft::scenario::Scenario;
use stagecraft::sim::StageHint;
use std::collections::BTreeMap;

fn scenario(text: &str, confs: &[(&str, &str)]) -> Scenario {
    Scenario::of_query("pyspark", text, catalogs::retail(), confs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>())
}

fn run_with(text: &str, confs: &[(&str, &str)]) -> Run {
    pipeline::simulate(&scenario(text, confs)).unwrap_or_else(|d| panic!("{d}\n--- in ---\n{text}"))
}

fn run(text: &str) -> Run {
    run_with(text, &[])
}

/// (job id, kind, [(stage id, tasks, parents, status)]) of every job of the report.
type JobView = (u32, String, Vec<(u32, u32, Vec<u32>, String)>);

fn jobs(r: &Run) -> Vec<JobView> {
    r.report
        .jobs
        .iter()
        .map(|j| (j.job_id, j.kind.clone(), j.stages.iter().map(|s| (s.stage_id, s.num_tasks, s.parent_ids.clone(), s.status.clone())).collect()))
        .collect()
}

fn st(id: u32, tasks: u32, parents: &[u32], status: &str) -> (u32, u32, Vec<u32>, String) {
    (id, tasks, parents.to_vec(), status.to_string())
}

/// Task attempts the simulation ran for a stage.
fn tasks_run(r: &Run, stage: u32) -> usize {
    r.sim.trace.tasks.iter().filter(|t| t.stage_id == stage).count()
}

const WORD_COUNT: &str = "lines = sc.textFile(\"/data/words.txt\")\ncounts = (lines.flatMap(lambda l: l.split(\" \"))\n          .map(lambda w: (w, 1))\n          .reduceByKey(lambda a, b: a + b))\ncounts.collect()\n";

#[test]
fn word_count_is_one_job_of_two_stages() {
    let r = run(WORD_COUNT);
    assert_eq!(jobs(&r), vec![(0, "result".to_string(), vec![st(0, 2, &[], "completed"), st(1, 2, &[0], "completed")])]);
    assert_eq!((tasks_run(&r, 0), tasks_run(&r, 1)), (2, 2));
    assert_eq!(r.sim.jobs.len(), 1);
    let names: Vec<&str> = r.schedule.jobs[0].stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["reduceByKey at <stdin>:4", "collect at <stdin>:5"]);
    assert_eq!(r.schedule.jobs[0].description, "collect at <stdin>:5");
    let ops = &r.schedule.jobs[0].stages[0].operators;
    assert_eq!(ops, &["HadoopRDD[0]", "MapPartitionsRDD[1]", "PythonRDD[2]", "PairwiseRDD[3]"]);
    assert_eq!(r.schedule.jobs[0].stages[0].rdd_scopes, vec!["textFile", "reduceByKey"]);
    // The map side writes what the reduce side reads; a textFile of an unknown path reads the stated default.
    let (map, red) = (r.sim.stage(0).expect("stage 0"), r.sim.stage(1).expect("stage 1"));
    assert!(map.totals.shuffle_write_bytes > 0);
    assert_eq!(map.totals.shuffle_write_bytes, red.totals.shuffle_read_bytes);
    assert_eq!(map.totals.input_bytes, stagecraft::stage::rdd_cost::DEFAULT_TEXT_BYTES as u64);
    // No SQL execution; the report and the text summary show the lineage.
    assert_eq!(r.report.sql_executions, 0);
    assert!(r.report.initial_plan.is_empty());
    assert_eq!(r.report.rdd_jobs.len(), 1);
    let lineage = &r.report.rdd_jobs[0].lineage;
    assert!(lineage.starts_with("(2) PythonRDD[6] at RDD at PythonRDD.scala:53 []"), "{lineage}");
    assert!(lineage.contains(" +-(2) PairwiseRDD[3] at reduceByKey at <stdin>:4 []"), "{lineage}");
    let text = r.text_summary();
    assert!(text.contains("RDD job: collect at <stdin>:5"), "{text}");
    assert!(text.contains("lineage (toDebugString):\n    (2) PythonRDD[6]"), "{text}");
    assert!(text.contains("stage 0 (reduceByKey at <stdin>:4): 2 tasks, completed"), "{text}");
    let json = serde_json::to_string(&r.report).unwrap_or_default();
    assert!(json.contains("\"rdd_jobs\"") && json.contains("ShuffledRDD[4]"), "{json}");
    // EXPLAIN of an RDD-only snippet is its lineage.
    let explained = pipeline::explain(&scenario(WORD_COUNT, &[]), pipeline::ExplainMode::Simple).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(&explained, lineage);
}

#[test]
fn text_file_of_a_catalog_table_reads_its_files() {
    let orders = catalogs::retail().into_iter().find(|t| t.name == "orders").expect("orders");
    let bytes: u64 = orders.files.iter().map(|f| f.bytes).sum();
    let r = run("sc.textFile(\"/warehouse/orders.csv\").map(lambda l: (l.split(\",\")[0], 1)).reduceByKey(lambda a, b: a + b).count()");
    let j = &r.report.jobs;
    assert_eq!(j.len(), 1);
    let map = &j[0].stages[0];
    let read = r.sim.stage(map.stage_id).expect("map stage").totals.input_bytes;
    // Split evenly over the map tasks (rounded per task).
    assert!(read.abs_diff(bytes) <= map.num_tasks as u64, "{read} vs {bytes}");
}

#[test]
fn group_by_key_shuffles_more_bytes_than_reduce_by_key() {
    let shuffle = |op: &str| {
        let r = run(&format!("sc.textFile(\"/data/words.txt\").flatMap(lambda l: l.split()).map(lambda w: (w, 1)).{op}.collect()"));
        let w = r.sim.stage(0).expect("map stage").totals.shuffle_write_bytes;
        assert!(w > 0);
        w
    };
    let reduce = shuffle("reduceByKey(lambda a, b: a + b)");
    let group = shuffle("groupByKey()");
    // reduceByKey combines on the map side (a key repeats COMBINE_REPEATS times per partition);
    // groupByKey's combiners keep every value.
    let ratio = group as f64 / reduce as f64;
    let want = stagecraft::stage::rdd_cost::COMBINE_REPEATS;
    assert!((ratio - want).abs() < 0.01 * want, "groupByKey {group} B vs reduceByKey {reduce} B");
}

#[test]
fn dataframe_and_rdd_actions_share_job_and_stage_ids_in_order() {
    let text = "spark.table(\"orders\").groupBy(\"status\").count().collect()\nsc.textFile(\"/x\").map(lambda l: (l, 1)).reduceByKey(lambda a, b: a + b).collect()\nspark.table(\"orders\").groupBy(\"store_id\").count().collect()";
    let r = run_with(text, &[("spark.sql.adaptive.enabled", "false"), ("spark.sql.shuffle.partitions", "4")]);
    let j = jobs(&r);
    assert_eq!(j.len(), 3, "{j:?}");
    assert_eq!(j.iter().map(|x| x.0).collect::<Vec<_>>(), vec![0, 1, 2]);
    let ids: Vec<Vec<u32>> = j.iter().map(|x| x.2.iter().map(|s| s.0).collect()).collect();
    assert_eq!(ids, vec![vec![0, 1], vec![2, 3], vec![4, 5]]);
    assert_eq!(j[1].2, vec![st(2, 2, &[], "completed"), st(3, 2, &[2], "completed")]);
    assert_eq!(r.report.rdd_jobs.iter().map(|x| x.job_id).collect::<Vec<_>>(), vec![1]);
    assert_eq!(r.report.sql_executions, 2);
    // Each job waits for the one before it (program order), and all ran.
    assert_eq!(r.schedule.jobs[1].after_jobs, vec![0]);
    assert!(r.schedule.jobs[2].after_jobs.contains(&1));
    let sj = |id| r.sim.job(id).expect("job");
    assert!(sj(1).submission_time >= sj(0).completion_time);
    assert!(sj(2).submission_time >= sj(1).completion_time);
    // With AQE the DataFrame action is two jobs (query stage, result): the RDD job still comes after both.
    let r = run_with(text, &[("spark.sql.adaptive.enabled", "true")]);
    let rdd_id = r.report.rdd_jobs[0].job_id;
    let before: Vec<u32> = r.report.jobs.iter().filter(|x| x.job_id < rdd_id).flat_map(|x| x.stages.iter().map(|s| s.stage_id)).collect();
    let rdd_stages: Vec<u32> = r.report.jobs[rdd_id as usize].stages.iter().map(|s| s.stage_id).collect();
    assert_eq!(rdd_id, 2);
    assert!(before.iter().all(|b| rdd_stages.iter().all(|s| s > b)), "{before:?} {rdd_stages:?}");
    let after: Vec<u32> = r.report.jobs.iter().filter(|x| x.job_id > rdd_id).flat_map(|x| x.stages.iter().map(|s| s.stage_id)).collect();
    assert_eq!(after.iter().min().copied(), rdd_stages.iter().max().map(|m| m + 1));
}

#[test]
fn a_second_action_on_a_shuffled_rdd_skips_its_map_stage() {
    let r = run(&format!("{WORD_COUNT}counts.count()\ncounts.take(3)\n"));
    let j = jobs(&r);
    // Each job creates its map stage anew (Spark drops a finished job's stages), skipped: the shuffle
    // output exists, and the simulator does not run it again.
    assert_eq!(j[1].2, vec![st(2, 2, &[], "skipped"), st(3, 2, &[2], "completed")]);
    assert_eq!(j[2].2, vec![st(4, 2, &[], "skipped"), st(5, 1, &[4], "completed")]);
    assert_eq!(r.schedule.jobs[1].stages[0].status_hint, StageHint::Skipped);
    assert_eq!(r.schedule.jobs[1].stages[0].shuffle_id_written, r.schedule.jobs[0].stages[0].shuffle_id_written);
    assert_eq!(tasks_run(&r, 0), 2);
    assert_eq!((tasks_run(&r, 2), tasks_run(&r, 3), tasks_run(&r, 4), tasks_run(&r, 5)), (0, 2, 0, 1));
    let text = r.text_summary();
    assert!(text.contains("stage 2 (reduceByKey at <stdin>:4): 2 tasks, skipped"), "{text}");
}

#[test]
fn a_cached_rdd_is_stored_by_the_first_action_and_read_by_the_second() {
    let text = "words = sc.textFile(\"/data/words.txt\").flatMap(lambda l: l.split()).cache()\nwords.count()\nwords.map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b).collect()";
    let r = run(text);
    let j = jobs(&r);
    assert_eq!(j.len(), 2);
    assert_eq!(j[0].2, vec![st(0, 2, &[], "completed")]);
    assert_eq!(j[1].2, vec![st(1, 2, &[], "completed"), st(2, 2, &[1], "completed")]);
    let first = &r.schedule.jobs[0].stages[0].tasks[0];
    let second = &r.schedule.jobs[1].stages[0].tasks[0];
    let (c1, c2) = (first.cache.clone().expect("stores the block"), second.cache.clone().expect("reads the block"));
    assert_eq!(c1.rdd_id, c2.rdd_id);
    assert!(c1.block_bytes > 0 && c1.block_bytes == c2.block_bytes);
    // The first job reads the text; the second reads the cached blocks (recomputing only if lost).
    assert!(first.input_bytes > 0 && second.input_bytes == 0);
    assert!(c2.miss_input_bytes > 0 && c2.miss_compute_ns > 0);
    assert!(r.sim.stage(0).expect("stage 0").totals.input_bytes > 0);
    assert_eq!(r.sim.stage(1).expect("stage 1").totals.input_bytes, 0);
    // Spark's toDebugString prints the root's storage level on every line: the count's PythonRDD is not cached.
    assert!(r.report.rdd_jobs[0].lineage.contains(" |  PythonRDD[2] at RDD at PythonRDD.scala:53 []"), "{}", r.report.rdd_jobs[0].lineage);
    assert!(r.sim.job(1).expect("job 1").completion_time.is_some());
}

#[test]
fn df_rdd_runs_the_plans_stages_under_the_rdd_job() {
    let text = "df = spark.table(\"orders\").groupBy(\"status\").count()\ndf.rdd.map(lambda r: (r[0], r[1])).collect()";
    let r = run_with(text, &[("spark.sql.adaptive.enabled", "false"), ("spark.sql.shuffle.partitions", "8")]);
    let j = jobs(&r);
    assert_eq!(j.len(), 1, "{j:?}");
    assert_eq!(j[0].2.len(), 2);
    let (map, result) = (&j[0].2[0], &j[0].2[1]);
    assert_eq!((map.0, &map.3), (0, &"completed".to_string()));
    assert_eq!(result, &st(1, 8, &[0], "completed"));
    assert_eq!(r.report.sql_executions, 0);
    assert_eq!(r.report.rdd_jobs[0].job_id, 0);
    assert!(r.report.rdd_jobs[0].lineage.starts_with("(8) PythonRDD"), "{}", r.report.rdd_jobs[0].lineage);
    let stages = &r.schedule.jobs[0].stages;
    assert!(stages[0].operators.iter().any(|o| o.contains("Exchange")), "{:?}", stages[0].operators);
    assert!(stages[1].operators.iter().any(|o| o.contains("HashAggregate")) && stages[1].operators.iter().any(|o| o.starts_with("PythonRDD")), "{:?}", stages[1].operators);
    assert_eq!(r.schedule.jobs[0].sql_execution_id, None);
    assert_eq!(tasks_run(&r, 1), 8);
    // With AQE the plan's query stage is a job of its own before the RDD job, which lists it skipped.
    let r = run_with(text, &[("spark.sql.adaptive.enabled", "true")]);
    let j = jobs(&r);
    assert_eq!(j.len(), 2, "{j:?}");
    assert_eq!(j[0].1, "shuffle_map_stage_only (AQE query stage)");
    assert_eq!(j[1].1, "result");
    assert_eq!(j[1].2.first().map(|s| s.3.as_str()), Some("skipped"));
    assert_eq!(r.report.rdd_jobs[0].job_id, 1);
    // A second action on the same RDD re-lists the plan's stages, skipped, and reads the shuffle again.
    let text2 = "df = spark.table(\"orders\").groupBy(\"status\").count()\nr = df.rdd.map(lambda r: (r[0], r[1]))\nr.collect()\nr.count()";
    let r = run_with(text2, &[("spark.sql.adaptive.enabled", "false"), ("spark.sql.shuffle.partitions", "8")]);
    let j = jobs(&r);
    assert_eq!(j.len(), 2, "{j:?}");
    assert_eq!((j[1].2[0].0, j[1].2[0].3.as_str()), (2, "skipped"));
    assert_eq!(j[1].2[1], st(3, 8, &[2], "completed"));
    assert_eq!(r.report.sql_executions, 0);
    let reread = r.sim.stage(3).expect("stage 3").totals.shuffle_read_bytes;
    assert_eq!(reread, r.sim.stage(1).expect("stage 1").totals.shuffle_read_bytes);
    assert!(reread > 0);
    // Behind an RDD shuffle: the second job lists the plan's stage and the RDD map stage, both skipped.
    let text3 = "df = spark.table(\"orders\").groupBy(\"status\").count()\nr = df.rdd.map(lambda r: (r[0], r[1])).reduceByKey(lambda a, b: a + b)\nr.collect()\nr.count()";
    let r = run_with(text3, &[("spark.sql.adaptive.enabled", "false"), ("spark.sql.shuffle.partitions", "8")]);
    let j = jobs(&r);
    assert_eq!(j[0].2, vec![st(0, 2, &[], "completed"), st(1, 8, &[0], "completed"), st(2, 8, &[1], "completed")]);
    assert_eq!(j[1].2, vec![st(3, 2, &[], "skipped"), st(4, 8, &[3], "skipped"), st(5, 8, &[4], "completed")]);
    assert_eq!((tasks_run(&r, 3), tasks_run(&r, 4), tasks_run(&r, 5)), (0, 0, 8));
}

#[test]
fn a_union_of_two_df_rdds_runs_both_plans_under_one_job() {
    let text = "a = spark.table(\"orders\").groupBy(\"status\").count().rdd\nb = spark.table(\"customers\").groupBy(\"segment\").count().rdd\na.union(b).map(lambda r: r[0]).collect()";
    let r = run_with(text, &[("spark.sql.adaptive.enabled", "false"), ("spark.sql.shuffle.partitions", "8")]);
    let j = jobs(&r);
    assert_eq!(j.len(), 1, "{j:?}");
    let stages = &j[0].2;
    assert_eq!(stages.len(), 3, "{stages:?}");
    let result = &stages[2];
    assert_eq!((result.1, result.2.len(), result.3.as_str()), (16, 2, "completed"));
    assert!(stages[..2].iter().all(|s| s.3 == "completed" && result.2.contains(&s.0)));
    assert_eq!(r.report.sql_executions, 0);
    // Each plan's reduce work lands on its own half of the union's partitions.
    let tasks = &r.schedule.jobs[0].stages[2].tasks;
    assert_eq!(tasks.len(), 16);
    let read = |ts: &[stagecraft::sim::TaskWork]| ts.iter().map(|t| t.shuffle_read_bytes).sum::<u64>();
    let written: Vec<u64> = r.schedule.jobs[0].stages[..2].iter().map(|s| s.tasks.iter().map(|t| t.shuffle_write_bytes).sum::<u64>()).collect();
    assert!(read(&tasks[..8]) > 0 && read(&tasks[8..]) > 0);
    assert_eq!(read(tasks), written.iter().sum::<u64>());
}

#[test]
fn the_same_seed_gives_the_same_simulation() {
    let text = format!("{WORD_COUNT}spark.table(\"orders\").count()\ncounts.groupByKey().count()\n");
    let a = run(&text);
    let b = run(&text);
    assert_eq!(a.trace_json(), b.trace_json());
    assert_eq!(a.text_summary(), b.text_summary());
    assert_eq!(format!("{:?}", a.schedule), format!("{:?}", b.schedule));
}

#[test]
fn rdd_snippets_cut_anywhere_plan_or_refuse_without_panicking() {
    let snippets = [
        WORD_COUNT.to_string(),
        "sc.setCheckpointDir(\"/tmp\")\nr = sc.parallelize(range(100), 4).map(lambda x: (x % 3, x)).reduceByKey(lambda a, b: a + b)\nr.checkpoint()\nr.count()\nr.collect()".into(),
        "a = sc.parallelize([(\"a\", 1), (\"b\", 2)])\nb = sc.parallelize([(\"a\", 3)])\na.join(b).sortByKey().collect()\na.union(b).repartition(3).distinct().saveAsTextFile(\"/out\")".into(),
        "df = spark.table(\"orders\").groupBy(\"status\").count()\nr = df.rdd.map(lambda r: (r[0], r[1])).cache()\nr.count()\nr.groupByKey().collect()\ndf.show()\nsc.emptyRDD().collect()\nsc.range(0, 10, 0).count()".into(),
    ];
    for text in &snippets {
        let lines: Vec<&str> = text.lines().collect();
        for n in 1..=lines.len() {
            let part = lines[..n].join("\n");
            for aqe in ["true", "false"] {
                let sc = scenario(&part, &[("spark.sql.adaptive.enabled", aqe)]);
                if let Ok(r) = pipeline::simulate(&sc) {
                    assert_eq!(r.report.jobs.len(), r.sim.jobs.len(), "{part}");
                    let ids: Vec<u32> = r.report.jobs.iter().map(|j| j.job_id).collect();
                    assert_eq!(ids, (0..ids.len() as u32).collect::<Vec<_>>(), "{part}");
                    // Every stage id is created once, in order: 0, 1, 2, ... across all jobs.
                    let mut stages: Vec<u32> = r.report.jobs.iter().flat_map(|j| j.stages.iter().map(|s| s.stage_id)).collect();
                    stages.sort_unstable();
                    assert_eq!(stages, (0..stages.len() as u32).collect::<Vec<_>>(), "{part}");
                }
                let _ = pipeline::explain(&sc, pipeline::ExplainMode::Extended);
            }
        }
    }
}

/// PySpark's `_defaultReducePartitions`: without `spark.default.parallelism` reduceByKey keeps its parent's
/// partition count (here a 4-partition parallelize on a 2-core cluster); with the conf set, its value.
#[test]
fn reduce_partitions_follow_the_parent_unless_spark_default_parallelism_is_set() {
    let text = "rdd = sc.parallelize([(1, 1), (2, 1), (1, 1), (3, 1)], 4)\nrdd.reduceByKey(lambda a, b: a + b).collect()\n";
    let tasks = |r: &Run| r.report.jobs[0].stages.iter().map(|s| s.num_tasks).collect::<Vec<_>>();
    assert_eq!(tasks(&run(text)), vec![4, 4]);
    assert_eq!(tasks(&run_with(text, &[("spark.default.parallelism", "3")])), vec![4, 3]);
}
