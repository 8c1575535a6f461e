//! Exports: the Chrome trace, Excalidraw and SVG documents parse (serde_json / roxmltree) and hold what they
//! should (one process per executor, one "X" event per task attempt, a box per stage, an arrow per shuffle
//! edge, skipped stages grey, escaped text); the EXPLAIN Markdown fences its text safely.

use serde_json::Value;
use stagecraft::export::{chrome_trace::chrome_trace_json, excalidraw::stage_dag_excalidraw, markdown::explain_markdown, plan_svg::plan_svg, svg::stage_dag_svg, timeline_svg::timeline_svg};
use stagecraft::report::{JobReport, StageReport};
use stagecraft::stage_graph::StageGraph;
use stagecraft::sim::*;
use stagecraft::trace::Event;

const MB: u64 = 1 << 20;

/// Two map stages and a join stage on 2 executors x 3 cores, with failures, speculation and an AQE update.
fn trace() -> stagecraft::trace::Trace {
    let map = |id, n, sh| {
        let tasks = (0..n).map(|p| TaskWork::cpu_ms(100 + (p as u64 * 37) % 300).input(4 * MB, 100_000).shuffle_write(MB, 50_000)).collect();
        StageSpec::map(id, n, sh).operators(&["Scan parquet", "HashAggregate"]).tasks(tasks)
    };
    let jobs = vec![
        JobSpec::new(0, JobKind::MapStageOnly, vec![map(0, 12, 0)]),
        JobSpec::new(1, JobKind::MapStageOnly, vec![map(1, 8, 1)]),
        JobSpec::new(
            2,
            JobKind::Result,
            vec![map(2, 12, 0).skipped(), map(3, 8, 1).skipped(), StageSpec::result(4, 10).parents(&[2, 3]).tasks((0..10).map(|p| TaskWork::cpu_ms(40 + p)).collect())],
        )
        .after(&[0, 1]),
    ];
    let mut s = Schedule::new(ClusterSpec::new(2, 3), jobs);
    s.options.seed = 7;
    s.options.task_failure_rate = 0.1;
    simulate(&s).unwrap().trace
}

fn jobs() -> Vec<JobReport> {
    let st = |id, n, parents: &[u32], status: &str| StageReport { stage_id: id, num_tasks: n, parent_ids: parents.to_vec(), status: status.into() };
    vec![
        JobReport { job_id: 0, kind: "shuffle_map_stage_only (AQE query stage)".into(), stages: vec![st(0, 12, &[], "completed")] },
        JobReport { job_id: 1, kind: "result <&> \"x\"".into(), stages: vec![st(0, 12, &[], "skipped"), st(1, 8, &[], "completed"), st(2, 10, &[0, 1], "completed")] },
    ]
}

#[test]
fn chrome_trace_has_a_process_per_executor_and_an_x_event_per_attempt() {
    let t = trace();
    let v: Value = serde_json::from_str(&chrome_trace_json(&t)).unwrap();
    let events = v["traceEvents"].as_array().unwrap();
    let x: Vec<&Value> = events.iter().filter(|e| e["ph"] == "X").collect();
    assert_eq!(x.len(), t.tasks.len());
    assert!(t.tasks.iter().any(|r| r.reason.is_failure()), "the fixture has failed attempts");
    for (e, r) in x.iter().zip(&t.tasks) {
        assert_eq!(e["pid"], r.executor_id + 1);
        assert_eq!(e["tid"], r.slot as u64);
        assert_eq!(e["ts"], r.launch_time);
        assert_eq!(e["dur"], r.finish_time - r.launch_time);
        assert_eq!(e["args"]["stage"], r.stage_id);
        assert_eq!(e["args"]["partition"], r.partition);
        assert_eq!(e["args"]["attempt"], r.attempt as u64);
    }
    let names: Vec<(u64, &str)> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "process_name")
        .map(|e| (e["pid"].as_u64().unwrap(), e["args"]["name"].as_str().unwrap()))
        .collect();
    assert_eq!(names, vec![(0, "driver"), (1, "executor 0"), (2, "executor 1")]);
    let threads = events.iter().filter(|e| e["ph"] == "M" && e["name"] == "thread_name" && e["pid"] != 0).count();
    assert_eq!(threads, 6, "3 slots on each of 2 executors");
    let instants = |cat: &str| events.iter().filter(|e| e["ph"] == "i" && e["cat"] == cat).count();
    let count = |f: fn(&Event) -> bool| t.events.iter().filter(|e| f(e)).count();
    assert_eq!(instants("job"), count(|e| matches!(e, Event::JobStart(_) | Event::JobEnd(_))));
    assert_eq!(instants("stage"), count(|e| matches!(e, Event::StageSubmitted(_) | Event::StageCompleted(_))));
    assert_eq!(instants("job"), 6);
}

#[test]
fn excalidraw_scene_has_boxes_texts_and_bound_arrows() {
    let v: Value = serde_json::from_str(&stage_dag_excalidraw(&StageGraph::from_report(&jobs()))).unwrap();
    assert_eq!(v["type"], "excalidraw");
    assert_eq!(v["version"], 2);
    let els = v["elements"].as_array().unwrap();
    let of = |t: &str| els.iter().filter(|e| e["type"] == t).collect::<Vec<_>>();
    assert_eq!(of("rectangle").len(), 4);
    assert_eq!(of("arrow").len(), 2);
    assert_eq!(of("text").len(), 4 + 2, "a label per stage and a title per job");
    let ids: Vec<&str> = els.iter().map(|e| e["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    for a in of("arrow") {
        for end in ["startBinding", "endBinding"] {
            let target = a[end]["elementId"].as_str().unwrap();
            assert!(ids.contains(&target));
        }
    }
    let rects = of("rectangle");
    let skipped: Vec<&&Value> = rects.iter().filter(|r| r["backgroundColor"] == "#e9ecef").collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["id"], "stage-1-0");
    assert!(of("text").iter().any(|t| t["text"] == "Job 1 (result <&> \"x\")"));
    assert!(of("text").iter().any(|t| t["text"] == "Stage 0 (skipped)\n12 tasks" && t["containerId"] == "stage-1-0"));
}

#[test]
fn svg_is_xml_with_a_group_per_stage_and_a_line_per_edge() {
    let text = stage_dag_svg(&StageGraph::from_report(&jobs()));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let stages: Vec<_> = root.descendants().filter(|n| n.attribute("data-stage").is_some()).collect();
    assert_eq!(stages.len(), 4);
    assert_eq!(stages.iter().filter(|n| n.attribute("class") == Some("stage skipped")).count(), 1);
    assert_eq!(root.descendants().filter(|n| n.attribute("class") == Some("shuffle")).count(), 2);
    assert!(root.descendants().any(|n| n.text() == Some("Job 1 (result <&> \"x\")")));
}

#[test]
fn timeline_svg_has_a_lane_per_core_and_a_bar_per_attempt() {
    let t = trace();
    let text = timeline_svg(&t, "run <1>");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let bars: Vec<_> = doc.descendants().filter(|n| n.attribute("class") == Some("task")).collect();
    assert_eq!(bars.len(), t.tasks.len());
    // 2 executors x 3 cores: six lanes, each named.
    assert_eq!(doc.descendants().filter(|n| n.is_element() && n.text().is_some_and(|s| s.starts_with("executor ") && s.contains(" · slot "))).count(), 6);
    // Every bar sits inside the plot and names its stage.
    for b in &bars {
        let x: f64 = b.attribute("x").unwrap().parse().unwrap();
        assert!(x >= 150.0 && x <= 1200.0);
        assert!(b.attribute("data-stage").is_some());
    }
    // Failed attempts are outlined.
    let failed = t.tasks.iter().filter(|t| !t.reason.is_success()).count();
    assert!(failed > 0);
    assert_eq!(bars.iter().filter(|b| b.attribute("stroke") == Some("#e03131")).count(), failed);
    assert!(text.contains("run &lt;1&gt;"));
}

#[test]
fn plan_svg_of_a_real_run_has_a_node_per_operator() {
    let run = stagecraft::pipeline::simulate(&stagecraft::input::catalogs::default_example()).unwrap();
    let text = plan_svg(&run.report.final_plan, "final plan");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let nodes = doc.descendants().filter(|n| n.attribute("class") == Some("node")).count();
    let operators = run.report.final_plan.lines().filter(|l| l.trim_start_matches([' ', ':', '+', '-']).chars().next().is_some_and(|c| c.is_alphanumeric() || c == '*')).count();
    assert_eq!(nodes, operators);
    assert!(doc.descendants().any(|n| n.text().is_some_and(|s| s.starts_with("SortMergeJoin"))));
    roxmltree::Document::parse(&timeline_svg(&run.sim.trace, "t")).unwrap();
    roxmltree::Document::parse(&timeline_svg(&Default::default(), "")).unwrap();
    roxmltree::Document::parse(&plan_svg("", "")).unwrap();
}

#[test]
fn logical_plan_svgs_of_a_real_run_have_a_node_per_operator_and_their_title() {
    use stagecraft::export::plan_svg::plan_graph_svg;
    use stagecraft::plan_graph::PlanGraph;
    // Every gallery example: the plans the Plans tab draws (a parsed plan printed as SQL text is not drawn).
    for i in 0..stagecraft::examples::EXAMPLES.len() {
        let a = stagecraft::pipeline::analyze(&stagecraft::examples::scenario(i)).unwrap();
        let l = stagecraft::pipeline::LogicalTexts::of(a.main().unwrap());
        for (name, text) in [("parsed", &l.parsed), ("analyzed", &l.analyzed), ("optimized", &l.optimized)] {
            if !stagecraft::plan_graph::is_tree(text) {
                continue;
            }
            let svg = plan_graph_svg(&PlanGraph::logical(text), name, "run <1>");
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let nodes = doc.descendants().filter(|n| n.attribute("class") == Some("node")).count();
            let operators = text.lines().filter(|l| !l.trim().is_empty()).count();
            assert_eq!(nodes, operators, "example {i} {name}");
            let heading = format!("run <1> · {name} plan");
            assert!(doc.descendants().any(|n| n.text() == Some(heading.as_str())), "example {i} {name}");
        }
    }
}

#[test]
fn exports_of_a_real_run_parse() {
    let run = stagecraft::pipeline::simulate(&stagecraft::input::catalogs::default_example()).unwrap();
    assert!(!run.report.jobs.is_empty());
    let stages: usize = run.report.jobs.iter().map(|j| j.stages.len()).sum();
    let v: Value = serde_json::from_str(&stage_dag_excalidraw(&StageGraph::from_report(&run.report.jobs))).unwrap();
    assert_eq!(v["elements"].as_array().unwrap().iter().filter(|e| e["type"] == "rectangle").count(), stages);
    roxmltree::Document::parse(&stage_dag_svg(&StageGraph::from_report(&run.report.jobs))).unwrap();
    // As the browser's Stages tab: the simulated jobs, skipped stages grey, shuffle edges labelled with bytes
    // (without AQE, so that a job holds its map stages and its graph has edges).
    let mut s = stagecraft::input::catalogs::default_example();
    stagecraft::pipeline::apply_setting(&mut s, "spark.sql.adaptive.enabled", "false").unwrap();
    let g = StageGraph::from_sim(&stagecraft::pipeline::simulate(&s).unwrap().sim);
    let text = stage_dag_svg(&g);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let count = |class: &str| doc.descendants().filter(|n| n.attribute("class") == Some(class)).count();
    let edges: Vec<_> = g.jobs.iter().flat_map(|j| &j.edges).collect();
    assert_eq!(count("shuffle"), edges.len());
    assert_eq!(count("bytes"), edges.iter().filter(|e| e.bytes > 0).count());
    assert!(count("bytes") > 0);
    let skipped = g.jobs.iter().flat_map(|j| &j.nodes).filter(|n| n.skipped).count();
    assert_eq!(count("stage skipped"), skipped);
    // The Excalidraw scene labels the same edges with the same bytes: a text bound to each arrow.
    let v: Value = serde_json::from_str(&stage_dag_excalidraw(&g)).unwrap();
    let els = v["elements"].as_array().unwrap();
    let labels: Vec<&Value> = els.iter().filter(|e| e["type"] == "text" && e["id"].as_str().unwrap().ends_with("-label")).collect();
    let mut want: Vec<String> = edges.iter().filter(|e| e.bytes > 0).map(|e| stagecraft::conf::fmt_bytes(e.bytes)).collect();
    let mut got: Vec<String> = labels.iter().map(|t| t["text"].as_str().unwrap().to_string()).collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    for t in &labels {
        let arrow = els.iter().find(|e| e["id"] == t["containerId"]).expect("the label's container is an arrow");
        assert_eq!(arrow["type"], "arrow");
        assert!(arrow["boundElements"].as_array().unwrap().iter().any(|b| b["id"] == t["id"] && b["type"] == "text"));
    }
    roxmltree::Document::parse(&stage_dag_svg(&StageGraph::default())).unwrap();
    serde_json::from_str::<Value>(&stage_dag_excalidraw(&StageGraph::default())).unwrap();
    serde_json::from_str::<Value>(&chrome_trace_json(&Default::default())).unwrap();
}

#[test]
fn explain_markdown_is_a_heading_and_a_fence_longer_than_any_backticks() {
    let md = explain_markdown("My  query\n", "extended", "== Physical Plan ==\n*(1) Project [`a`]\n");
    assert_eq!(md, "## EXPLAIN EXTENDED — My query\n\n```text\n== Physical Plan ==\n*(1) Project [`a`]\n```\n");
    let md = explain_markdown("", "simple", "a ```` b");
    assert_eq!(md, "## EXPLAIN SIMPLE\n\n`````text\na ```` b\n`````\n");
}

#[test]
fn json_strings_escape_control_characters() {
    let s = stagecraft::export::json_str("a\"b\\c\nd\u{1}é");
    assert_eq!(serde_json::from_str::<String>(&s).unwrap(), "a\"b\\c\nd\u{1}é");
}
