//! The examples gallery: short lessons (title, one paragraph, Spark SQL, extra confs) on the built-in retail
//! catalog. Plain data; the view lists them and `tests/examples.rs` plans every one. Knows no planning.

/// One lesson. `confs` are `key=value` lines added to the default confs.
pub struct Example {
    pub title: &'static str,
    pub text: &'static str,
    pub sql: &'static str,
    pub confs: &'static str,
}

const fn ex(title: &'static str, text: &'static str, sql: &'static str, confs: &'static str) -> Example {
    Example { title, text, sql, confs }
}

/// Index 0 is the page's default (the skewed join).
pub const EXAMPLES: &[Example] = &[
    ex("Skewed join", "One hot customer makes one reducer of the sort-merge join far bigger than the rest: watch the straggler in the timeline and AQE's skew-join split.",
       "SELECT c.segment, count(*) AS n, sum(o.total_amount) AS revenue\nFROM orders o\nJOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", ""),
    ex("Driver and executors", "The driver plans and schedules; executors run tasks in their cores (slots). Change executors and cores and see the lanes of the timeline change.",
       "SELECT count(*) FROM lineitem", ""),
    ex("Job, stage, task", "An action starts a job; exchanges cut it into stages; a stage runs one task per partition.",
       "SELECT status, count(*) FROM orders GROUP BY status", ""),
    ex("Narrow vs wide", "Filter and project are narrow (same partition, same stage); GROUP BY is wide: it needs a shuffle and a new stage.",
       "SELECT channel, avg(total_amount) FROM orders WHERE total_amount > 100 GROUP BY channel", ""),
    ex("Lazy evaluation", "Transformations, views and CTEs run nothing; only the action at the end makes a job. The CTE is inlined into one plan.",
       "WITH big AS (SELECT * FROM orders WHERE total_amount > 500)\nSELECT count(*) FROM big", ""),
    ex("Shuffle", "Rows with the same key must meet: each map task writes a file per reducer, each reducer fetches its piece from every map task.",
       "SELECT customer_id, sum(total_amount) FROM orders GROUP BY customer_id", ""),
    ex("Repartition vs coalesce", "REPARTITION shuffles into n even partitions; COALESCE merges partitions without a shuffle (and lowers parallelism).",
       "SELECT /*+ REPARTITION(8) */ * FROM orders WHERE status = 'shipped'\nUNION ALL\nSELECT /*+ COALESCE(1) */ * FROM orders_uniform WHERE status = 'shipped'", ""),
    ex("Cache", "CACHE TABLE materialises the table once (its own job); later queries read InMemoryRelation instead of files.",
       "CACHE TABLE hot AS SELECT * FROM orders WHERE channel = 'web';\nSELECT status, count(*) FROM hot GROUP BY status", ""),
    ex("Broadcast hash join", "The small side (under spark.sql.autoBroadcastJoinThreshold, 10 MB) is collected and sent to every executor: no shuffle of the big side.",
       "SELECT s.store_type, sum(o.total_amount)\nFROM orders o JOIN stores s ON o.store_id = s.store_id\nGROUP BY s.store_type", ""),
    ex("Sort-merge join", "Both sides too big to broadcast: both are shuffled by the key and sorted, then merged.",
       "SELECT o.status, sum(l.quantity)\nFROM orders o JOIN lineitem l ON o.order_id = l.order_id\nGROUP BY o.status", ""),
    ex("Shuffled hash join", "With preferSortMergeJoin off and a build side small enough per partition, Spark hashes instead of sorting.",
       "SELECT c.segment, count(*)\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", "spark.sql.join.preferSortMergeJoin=false\nspark.sql.autoBroadcastJoinThreshold=-1"),
    ex("Join hints", "Hints override the size rules: BROADCAST, MERGE, SHUFFLE_HASH, SHUFFLE_REPLICATE_NL.",
       "SELECT /*+ BROADCAST(c) */ c.segment, count(*)\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", ""),
    ex("Window functions", "A window needs its partition's rows together and sorted: Exchange hashpartitioning + Sort + Window.",
       "SELECT order_id, customer_id,\n  rank() OVER (PARTITION BY customer_id ORDER BY total_amount DESC) AS r\nFROM orders", ""),
    ex("Explode and pivot", "Generate (explode) makes many rows from one; PIVOT is an aggregation with one column per value.",
       "SELECT * FROM (SELECT channel, status, total_amount FROM orders)\nPIVOT (sum(total_amount) FOR status IN ('shipped', 'returned'))", ""),
    ex("Union", "UNION ALL just concatenates partitions (no shuffle); UNION adds a distinct aggregation.",
       "SELECT customer_id FROM orders\nUNION\nSELECT customer_id FROM customers", ""),
    ex("Predicate pushdown", "Filters move down to the scan (PushedFilters), so Parquet skips row groups.",
       "SELECT * FROM (SELECT * FROM orders) t WHERE t.order_date >= DATE'2024-06-01'", ""),
    ex("Column pruning", "Only the columns the query uses are read (ReadSchema).",
       "SELECT sum(total_amount) FROM (SELECT * FROM orders)", ""),
    ex("Constant folding", "ConstantFolding computes constant expressions once, at planning time.",
       "SELECT order_id FROM orders WHERE total_amount > 10 * 10 + 1", ""),
    ex("AQE coalescing", "After the shuffle AQE sees real sizes and merges small partitions towards advisoryPartitionSizeInBytes.",
       "SELECT store_id, count(*) FROM orders GROUP BY store_id", "spark.sql.adaptive.advisoryPartitionSizeInBytes=64m"),
    ex("AQE skew join", "A partition bigger than 5x the median and the threshold is split; the other side's partition is replicated.",
       "SELECT o.order_id, c.name\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id", ""),
    ex("Salting", "Without AQE, add a random salt to the hot key and replicate the other side to spread the skew.",
       "SELECT c.segment, count(*)\nFROM (SELECT *, CAST(rand() * 8 AS INT) AS salt FROM orders) o\nJOIN (SELECT c.*, s.salt FROM customers c\n      CROSS JOIN (SELECT explode(sequence(0, 7)) AS salt) s) c\n  ON o.customer_id = c.customer_id AND o.salt = c.salt\nGROUP BY c.segment", "spark.sql.adaptive.enabled=false"),
    ex("Dynamic partition pruning", "Filtering the dimension prunes partitions of the partitioned fact table at run time (dynamicpruningexpression).",
       "SELECT e.event_type, count(*)\nFROM events e JOIN calendar c ON e.event_date = c.cal_date\nWHERE c.is_weekend\nGROUP BY e.event_type", ""),
    ex("Memory and spill", "Sorting more than execution memory holds spills to disk: fewer, bigger partitions spill more.",
       "SELECT * FROM lineitem ORDER BY unit_price", "spark.sql.shuffle.partitions=4\nspark.sql.adaptive.enabled=false"),
    ex("Speculation", "With spark.speculation a task much slower than its stage's median gets a second copy; the first to finish wins.",
       "SELECT customer_id, count(*) FROM orders GROUP BY customer_id", "spark.speculation=true\nstagecraft.slow_executor=1@400"),
    ex("Executor failure", "A lost executor fails its running tasks and loses its shuffle files: parent stages re-run (FetchFailed).",
       "SELECT status, count(*) FROM orders GROUP BY status", "stagecraft.kill_executor=1@500"),
];
