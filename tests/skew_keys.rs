//! The Skew tab's hot keys threaded through the run (`pipeline::Run::skew_keys`, from
//! `stage::hot_keys`): the default example's orders shuffle names `customer_id`'s hot value 4242 in
//! the partition Spark's `pmod(murmur3(4242, 42), 200)` gives (167, as in the real event log), says
//! that OptimizeSkewedJoin split it, and the customers side says it knows no hot value.

use stagecraft::input::catalogs::default_example;
use stagecraft::pipeline;

#[test]
fn default_example_names_customer_id_4242_in_partition_167() {
    let run = pipeline::simulate(&default_example()).unwrap();
    let all: Vec<_> = run.skew_keys.values().flatten().collect();
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
    let (stage, reads) = run.skew_keys.iter().find(|(_, v)| v.iter().any(|k| k.shuffle_id == orders.shuffle_id)).unwrap();
    assert!(reads.iter().any(|k| k.keys == ["customer_id"] && k.from_table && k.hot.is_empty()), "stage {stage}: {reads:?}");
    // The reading stage ran as many tasks as the read specs say: the hot tasks exist in the trace.
    let sizes = run.sim.trace.shuffle_read_sizes(*stage);
    assert!(hot.tasks.iter().all(|t| *t < sizes.len()));
    // The aggregate's shuffle hashes `segment` above the join: no table column, so no catalog hot value.
    assert!(all.iter().any(|k| k.keys == ["segment"] && !k.from_table && k.hot.is_empty()));
}
