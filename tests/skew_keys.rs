//! The Skew tab's hot keys threaded through the run (`pipeline::Run::skew_keys`, from
//! `stage::hot_keys`): the default example's orders shuffle names `customer_id`'s hot value 4242 in
//! the partition Spark's `pmod(murmur3(4242, 42), 200)` gives (167, as in the real event log), says
//! that OptimizeSkewedJoin split it, and the customers side says it knows no hot value; without AQE
//! the reduce task of partition 167 reads it (the stage's largest read).

use stagecraft::input::catalogs::default_example;
use stagecraft::pipeline;

#[test]
fn default_example_names_customer_id_4242_in_partition_167() {
    // The page's default and the gallery's first example are the same skewed join.
    for scenario in [default_example(), stagecraft::examples::scenario(0)] {
        check_default(&pipeline::simulate(&scenario).unwrap());
    }
}

fn check_default(run: &pipeline::Run) {
    let all = &run.skew_keys;
    let orders = all.iter().find(|k| k.keys == ["customer_id"] && !k.hot.is_empty()).expect("a customer_id shuffle with a hot value");
    assert_eq!(orders.partitions, 200);
    let hot = &orders.hot[0];
    assert_eq!((hot.value.as_str(), hot.partition), ("4242", 167));
    assert!((hot.fraction - 0.5998).abs() < 1e-9);
    assert!(hot.bytes > 5 * orders.median, "{} vs median {}", hot.bytes, orders.median);
    // AQE's skew join split it (the run's decisions say so too), into the pieces its tasks read.
    assert!(hot.pieces > 1, "pieces {}", hot.pieces);
    assert!(hot.tasks.len() >= hot.pieces);
    assert!(run.report.joins_final.iter().any(|j| j.skew_join));
    // The join stage reads both sides; the customers side has no hot customer_id.
    let stage = *orders.readers.iter().find(|s| !run.sim.trace.shuffle_read_sizes(**s).is_empty()).expect("a stage that ran reads it");
    assert!(all.iter().any(|k| k.readers.contains(&stage) && k.keys == ["customer_id"] && k.from_table && k.hot.is_empty()), "stage {stage}: {all:?}");
    // The reading stage ran as many tasks as the read specs say: the hot tasks exist in the trace.
    let sizes = run.sim.trace.shuffle_read_sizes(stage);
    assert!(hot.tasks.iter().all(|t| *t < sizes.len()));
    // The aggregate's shuffle hashes `segment` above the join: no table column, so no catalog hot value.
    assert!(all.iter().any(|k| k.keys == ["segment"] && !k.from_table && k.hot.is_empty()));
}

#[test]
fn without_aqe_the_hot_key_is_read_by_the_reduce_task_of_its_partition() {
    let mut s = default_example();
    s.confs.insert("spark.sql.adaptive.enabled".into(), "false".into());
    let run = pipeline::simulate(&s).unwrap();
    let keys = run.skew_keys.iter().find(|k| !k.hot.is_empty()).unwrap();
    let hot = &keys.hot[0];
    let stage = keys.readers[0];
    assert_eq!((hot.partition, hot.tasks.as_slice(), hot.pieces), (167, &[167][..], 1));
    // Task 167 is the straggler: it reads the most shuffle bytes of its stage.
    let sizes = run.sim.trace.shuffle_read_sizes(stage);
    assert_eq!(sizes.iter().max(), sizes.get(167));
}
