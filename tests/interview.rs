//! Interview mode's prompts are answered from the run itself: for gallery examples and for edited scenarios,
//! every answer matches the report and the simulation it was derived from.

use stagecraft::examples::{self, EXAMPLES};
use stagecraft::interview::{self, Prompt, ALL, KINDS};
use stagecraft::pipeline::{self, Run};
use stagecraft::scenario::Scenario;
use stagecraft::trace::summary::StageStatus;

fn run(s: &Scenario) -> Run {
    pipeline::simulate(s).unwrap_or_else(|d| panic!("{}: {}", s.title, d.message))
}

fn ask(kind: &str, s: &Scenario, r: &Run) -> Prompt {
    let mut p = interview::prompts(kind, &r.report, &r.sim, &s.confs);
    assert_eq!(p.len(), 1);
    p.remove(0)
}

fn example(title: &str) -> (Scenario, Run) {
    let i = EXAMPLES.iter().position(|e| e.title == title).unwrap_or_else(|| panic!("no example {title}"));
    let s = examples::scenario(i);
    let r = run(&s);
    (s, r)
}

#[test]
fn counts_match_the_run() {
    for title in ["Skewed join", "Cache", "Memory and spill", "Salting", "Broadcast hash join"] {
        let (s, r) = example(title);
        let jobs = ask("jobs", &s, &r);
        let n = r.report.jobs.len();
        assert_eq!(jobs.answer, format!("{n} job{}", if n == 1 { "" } else { "s" }), "{title}");
        assert_eq!(r.sim.jobs.len(), n);
        // Every job is accounted for in the why, by kind.
        let listed: usize = jobs.why.iter().filter_map(|w| w.split(' ').next()?.parse::<usize>().ok()).sum();
        assert!(listed >= n, "{title}: {:?}", jobs.why);

        let run_stages = r.report.jobs.iter().flat_map(|j| &j.stages).filter(|st| st.status == "completed").count();
        let skipped = r.report.jobs.iter().flat_map(|j| &j.stages).filter(|st| st.status == "skipped").count();
        assert_eq!(ask("stages", &s, &r).answer, format!("{run_stages} run, {skipped} skipped"), "{title}");

        let tasks: u32 = r.sim.stages.iter().filter(|st| st.status != StageStatus::Skipped).map(|st| st.num_tasks).sum();
        let t = ask("tasks", &s, &r);
        assert!(t.answer.starts_with(&format!("{tasks} task")), "{title}: {}", t.answer);
        assert_eq!(t.why.len(), r.sim.stages.iter().filter(|st| st.status != StageStatus::Skipped).count());
    }
}

#[test]
fn join_strategy_and_why() {
    let (s, r) = example("Broadcast hash join");
    let j = ask("join", &s, &r);
    assert!(j.answer.starts_with("BroadcastHashJoin"), "{}", j.answer);
    assert_eq!(r.report.joins_initial[0].strategy, "BroadcastHashJoin");
    assert!(j.why.iter().any(|w| w.contains("stores: 12.1 KiB") && w.contains("autoBroadcastJoinThreshold")), "{:?}", j.why);

    let (s, r) = example("Skewed join");
    let j = ask("join", &s, &r);
    assert!(j.answer.starts_with("SortMergeJoin") && j.answer.contains("skew"), "{}", j.answer);
    assert!(j.why.iter().any(|w| w.contains("spark.sql.autoBroadcastJoinThreshold = -1")), "{:?}", j.why);

    let (s, r) = example("Join hints");
    assert!(ask("join", &s, &r).answer.starts_with("BroadcastHashJoin"));
    let (s, r) = example("AQE coalescing");
    assert_eq!(ask("join", &s, &r).answer, "No join in this query");
}

#[test]
fn answers_follow_the_knobs_not_the_example() {
    // The default example with the broadcast threshold raised: the same prompt now answers a broadcast.
    let mut s = examples::scenario(0);
    s.confs.insert("spark.sql.autoBroadcastJoinThreshold".into(), "100m".into());
    let r = run(&s);
    let j = ask("join", &s, &r);
    assert!(j.answer.starts_with("BroadcastHashJoin"), "{}", j.answer);
    assert_eq!(ask("jobs", &s, &r).answer, format!("{} jobs", r.report.jobs.len()));
    // AQE off: nothing changes at run time, and no AQE query stage jobs.
    s.confs.insert("spark.sql.adaptive.enabled".into(), "false".into());
    let r = run(&s);
    assert!(ask("aqe", &s, &r).answer.starts_with("Nothing: AQE is off"));
    assert!(!ask("jobs", &s, &r).why.iter().any(|w| w.contains("AQE query stage")));
}

#[test]
fn aqe_answers_name_the_split_and_the_coalescing() {
    let (s, r) = example("AQE skew join");
    let a = ask("aqe", &s, &r);
    assert!(a.answer.contains("Split skewed partition") && a.answer.contains("into 4 pieces"), "{}", a.answer);
    assert!(a.why.iter().any(|w| w.starts_with("OptimizeSkewedJoin")), "{:?}", a.why);
    assert!(r.report.joins_final.iter().any(|j| j.skew_join));

    let (s, r) = example("AQE coalescing");
    let a = ask("aqe", &s, &r);
    let read = r.report.aqe_shuffle_reads.last().expect("a coalesced read").partitions;
    assert!(a.answer.contains(&format!("→ {read} partition")), "{} vs {read}", a.answer);
}

#[test]
fn straggler_is_the_slowest_task_against_its_stage_median() {
    for title in ["Skewed join", "Memory and spill", "Broadcast hash join"] {
        let (s, r) = example(title);
        let p = ask("straggler", &s, &r);
        // Recompute independently: the successful task with the largest duration / stage median.
        let mut best = (0.0, 0, 0);
        for t in r.sim.trace.tasks.iter().filter(|t| t.reason.is_success()) {
            let st = r.sim.stage(t.stage_id).unwrap();
            if st.num_tasks < 2 {
                continue;
            }
            let ratio = t.duration_ms() as f64 / st.task_duration_ms.unwrap().p50.max(1) as f64;
            if ratio > best.0 {
                best = (ratio, t.stage_id, t.partition);
            }
        }
        assert!(best.0 >= 1.5, "{title}: {best:?}");
        assert!(p.answer.starts_with(&format!("Stage {}, task {} ", best.1, best.2)), "{title}: {}", p.answer);
        assert!(p.answer.contains(&format!("{:.1}× the median", best.0)), "{title}: {}", p.answer);
    }
    let (s, r) = example("Skewed join");
    let p = ask("straggler", &s, &r);
    assert!(p.why.iter().any(|w| w.contains("of shuffle")), "{:?}", p.why);
}

#[test]
fn every_example_answers_its_own_prompts_and_every_kind() {
    for (i, e) in EXAMPLES.iter().enumerate() {
        let s = examples::scenario(i);
        let r = run(&s);
        let own = interview::prompts(e.prompts, &r.report, &r.sim, &s.confs);
        assert_eq!(own.len(), interview::count(e.prompts), "{}", e.title);
        assert!(!own.is_empty(), "{}", e.title);
        for p in interview::prompts(ALL, &r.report, &r.sim, &s.confs) {
            assert!(!p.question.is_empty() && !p.answer.is_empty(), "{}: {p:?}", e.title);
        }
    }
    assert_eq!(ALL.lines().collect::<Vec<_>>(), KINDS);
}

#[test]
fn custom_questions_keep_their_order_and_note() {
    let (s, r) = example("Lazy evaluation");
    let p = interview::prompts(EXAMPLES[4].prompts, &r.report, &r.sim, &s.confs);
    assert_eq!(p[0].question, "How many jobs does Spark run?");
    assert!(p[2].question.starts_with("Does the CTE run") && p[2].answer.starts_with("No: a CTE is inlined"), "{:?}", p[2]);
    let p = interview::prompts("STAGES\nWhat would salting change?", &r.report, &r.sim, &s.confs);
    assert!(p[0].question.starts_with("How many stages"));
    assert_eq!((p[1].question.as_str(), p[1].answer.as_str(), p[1].why.len()), ("What would salting change?", "", 0));
}
