//! The examples gallery: short lessons (title, one paragraph, Spark SQL, for some a PySpark equivalent, extra
//! confs, suggested interview prompts) on the built-in retail catalog, and the scenario the page runs for each.
//! Plain data; the view lists them and `tests/examples.rs` plans every one, in both languages where both exist,
//! and checks that the two give the same plans. Also the starter query the editor shows in a language an example
//! has no text for (a count by a column of a table of the catalog). Knows no planning.

use std::collections::BTreeMap;

use crate::scenario::{Cluster, Query, Scenario, Table, SCENARIO_VERSION};

/// One lesson. `confs` are `key=value` lines added to the default confs; `prompts` are the interview prompts
/// that suit its topic, one a line (`crate::interview`'s format: a prompt kind or a question).
pub struct Example {
    pub title: &'static str,
    pub text: &'static str,
    pub sql: &'static str,
    pub confs: &'static str,
    pub prompts: &'static str,
    /// The same lesson as a PySpark DataFrame snippet (the editor's PySpark tab starts from it).
    pub pyspark: Option<&'static str>,
}

const fn ex(title: &'static str, text: &'static str, sql: &'static str, confs: &'static str, prompts: &'static str) -> Example {
    Example { title, text, sql, confs, prompts, pyspark: None }
}

impl Example {
    /// The lesson with its PySpark version.
    const fn py(mut self, pyspark: &'static str) -> Example {
        self.pyspark = Some(pyspark);
        self
    }
}

/// The import every PySpark version starts with (the frontend knows `F` without it; a reader copying the
/// snippet into a real session needs it).
macro_rules! py {
    ($body:expr) => {
        concat!("from pyspark.sql import functions as F\n", $body)
    };
}

/// Index 0 is the page's default (the skewed join).
pub const EXAMPLES: &[Example] = &[
    ex("Skewed join", "One hot customer makes one reducer of the sort-merge join far bigger than the rest: watch the straggler in the timeline and AQE's skew-join split.",
       "SELECT c.segment, count(*) AS n, sum(o.total_amount) AS revenue\nFROM orders o\nJOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", "",
       "jobs\nstages\njoin\naqe\nstraggler").py(py!("o = spark.table(\"orders\")\nc = spark.table(\"customers\")\n(o.join(c, o.customer_id == c.customer_id)\n  .groupBy(c.segment)\n  .agg(F.count(\"*\").alias(\"n\"), F.sum(o.total_amount).alias(\"revenue\"))\n  .collect())")),
    ex("Driver and executors", "The driver plans and schedules; executors run tasks in their cores (slots). Change executors and cores and see the lanes of the timeline change.",
       "SELECT count(*) FROM lineitem", "",
       "jobs\ntasks\nstraggler"),
    ex("Job, stage, task", "An action starts a job; exchanges cut it into stages; a stage runs one task per partition.",
       "SELECT status, count(*) FROM orders GROUP BY status", "",
       "jobs\nstages\ntasks").py(py!("spark.table(\"orders\").groupBy(\"status\").agg(F.count(\"*\")).collect()")),
    ex("Narrow vs wide", "Filter and project are narrow (same partition, same stage); GROUP BY is wide: it needs a shuffle and a new stage.",
       "SELECT channel, avg(total_amount) FROM orders WHERE total_amount > 100 GROUP BY channel", "",
       "stages\ntasks").py(py!("df = spark.table(\"orders\")\nnarrow = df.filter(F.col(\"total_amount\") > 100)  # same partition, same stage\nwide = narrow.groupBy(\"channel\").agg(F.avg(\"total_amount\"))  # needs a shuffle\nwide.collect()")),
    ex("Lazy evaluation", "Transformations, views and CTEs run nothing; only the action at the end makes a job. The CTE is inlined into one plan.",
       "WITH big AS (SELECT * FROM orders WHERE total_amount > 500)\nSELECT count(*) FROM big", "",
       "jobs\nstages\nDoes the CTE run as a job of its own? | No: a CTE is inlined into the query's plan; only the action makes jobs."),
    ex("Shuffle", "Rows with the same key must meet: each map task writes a file per reducer, each reducer fetches its piece from every map task.",
       "SELECT customer_id, sum(total_amount) FROM orders GROUP BY customer_id", "",
       "stages\ntasks\naqe").py(py!("spark.table(\"orders\").groupBy(\"customer_id\").agg(F.sum(\"total_amount\")).collect()")),
    ex("Repartition vs coalesce", "REPARTITION shuffles into n even partitions; COALESCE merges partitions without a shuffle (and lowers parallelism).",
       "SELECT /*+ REPARTITION(8) */ * FROM orders WHERE status = 'shipped'\nUNION ALL\nSELECT /*+ COALESCE(1) */ * FROM orders_uniform WHERE status = 'shipped'", "",
       "stages\ntasks").py(py!("# repartition(8) shuffles into 8 even partitions; coalesce(1) merges without a shuffle\na = spark.table(\"orders\").filter(F.col(\"status\") == \"shipped\").repartition(8)\nb = spark.table(\"orders_uniform\").filter(F.col(\"status\") == \"shipped\").coalesce(1)\na.union(b).collect()")),
    ex("Cache", "CACHE TABLE materialises the table once (its own job); later queries read InMemoryRelation instead of files.",
       "CACHE TABLE hot AS SELECT * FROM orders WHERE channel = 'web';\nSELECT status, count(*) FROM hot GROUP BY status", "",
       "jobs\nstages\ntasks").py(py!("hot = spark.table(\"orders\").filter(F.col(\"channel\") == \"web\").cache()\nhot.count()  # first action: its job fills the cache\nhot.groupBy(\"status\").agg(F.count(\"*\")).collect()  # reads InMemoryRelation")),
    ex("Broadcast hash join", "The small side (under spark.sql.autoBroadcastJoinThreshold, 10 MB) is collected and sent to every executor: no shuffle of the big side.",
       "SELECT s.store_type, sum(o.total_amount)\nFROM orders o JOIN stores s ON o.store_id = s.store_id\nGROUP BY s.store_type", "spark.sql.autoBroadcastJoinThreshold=10m",
       "join\njobs\nstages"),
    ex("Sort-merge join", "Both sides too big to broadcast: both are shuffled by the key and sorted, then merged.",
       "SELECT o.status, sum(l.quantity)\nFROM orders o JOIN lineitem l ON o.order_id = l.order_id\nGROUP BY o.status", "",
       "join\nstages\ntasks").py(py!("o = spark.table(\"orders\")\nl = spark.table(\"lineitem\")\no.join(l, o.order_id == l.order_id).groupBy(o.status).agg(F.sum(l.quantity)).collect()")),
    ex("Shuffled hash join", "With preferSortMergeJoin off and a build side small enough per partition, Spark hashes instead of sorting.",
       "SELECT c.segment, count(*)\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", "spark.sql.join.preferSortMergeJoin=false\nspark.sql.autoBroadcastJoinThreshold=-1",
       "join\nstages"),
    ex("Join hints", "Hints override the size rules: BROADCAST, MERGE, SHUFFLE_HASH, SHUFFLE_REPLICATE_NL.",
       "SELECT /*+ BROADCAST(c) */ c.segment, count(*)\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id\nGROUP BY c.segment", "",
       "join\nstages"),
    ex("Window functions", "A window needs its partition's rows together and sorted: Exchange hashpartitioning + Sort + Window.",
       "SELECT order_id, customer_id,\n  rank() OVER (PARTITION BY customer_id ORDER BY total_amount DESC) AS r\nFROM orders", "",
       "stages\ntasks").py(py!("from pyspark.sql import Window\nw = Window.partitionBy(\"customer_id\").orderBy(F.col(\"total_amount\").desc())\nspark.table(\"orders\").select(\"order_id\", \"customer_id\", F.rank().over(w).alias(\"r\")).collect()")),
    ex("Explode and pivot", "Generate (explode) makes many rows from one; PIVOT is an aggregation with one column per value.",
       "SELECT * FROM (SELECT channel, status, total_amount FROM orders)\nPIVOT (sum(total_amount) FOR status IN ('shipped', 'returned'))", "",
       "jobs\nstages").py(py!("(spark.table(\"orders\").select(\"channel\", \"status\", \"total_amount\")\n  .groupBy(\"channel\").pivot(\"status\", [\"shipped\", \"returned\"]).agg(F.sum(\"total_amount\"))\n  .collect())")),
    ex("Union", "UNION ALL just concatenates partitions (no shuffle); UNION adds a distinct aggregation.",
       "SELECT customer_id FROM orders\nUNION\nSELECT customer_id FROM customers", "",
       "stages\ntasks").py(py!("a = spark.table(\"orders\").select(\"customer_id\")\nb = spark.table(\"customers\").select(\"customer_id\")\n# union() pairs columns by position, unionByName() by name: both are UNION ALL.\n# distinct() makes it SQL's UNION (an aggregation).\na.unionByName(b).distinct().collect()")),
    ex("Predicate pushdown", "Filters move down to the scan (PushedFilters), so Parquet skips row groups.",
       "SELECT * FROM (SELECT * FROM orders) t WHERE t.order_date >= DATE'2024-06-01'", "",
       "jobs\ntasks"),
    ex("Column pruning", "Only the columns the query uses are read (ReadSchema).",
       "SELECT sum(total_amount) FROM (SELECT * FROM orders)", "",
       "jobs\ntasks"),
    ex("Constant folding", "ConstantFolding computes constant expressions once, at planning time.",
       "SELECT order_id FROM orders WHERE total_amount > 10 * 10 + 1", "",
       "jobs\nstages"),
    ex("AQE coalescing", "After the shuffle AQE sees real sizes and merges small partitions towards advisoryPartitionSizeInBytes.",
       "SELECT store_id, count(*) FROM orders GROUP BY store_id", "spark.sql.adaptive.advisoryPartitionSizeInBytes=64m",
       "aqe\ntasks"),
    ex("AQE skew join", "A partition bigger than 5x the median and the threshold is split; the other side's partition is replicated.",
       "SELECT o.order_id, c.name\nFROM orders o JOIN customers c ON o.customer_id = c.customer_id", "",
       "aqe\njoin\nstraggler"),
    ex("Salting", "Without AQE, add a random salt to the hot key and replicate the other side to spread the skew.",
       "SELECT c.segment, count(*)\nFROM (SELECT *, CAST(rand() * 8 AS INT) AS salt FROM orders) o\nJOIN (SELECT *, explode(sequence(0, 7)) AS salt FROM customers) c\n  ON o.customer_id = c.customer_id AND o.salt = c.salt\nGROUP BY c.segment", "spark.sql.adaptive.enabled=false",
       "join\naqe\nstraggler").py(py!("# a random salt 0..7 on the big, skewed side\no = spark.table(\"orders\").withColumn(\"salt\", (F.rand() * 8).cast(\"int\"))\n# every salt on the small side: one row per customer and salt\nc = spark.table(\"customers\").withColumn(\"salt\", F.explode(F.sequence(F.lit(0), F.lit(7))))\n(o.join(c, (o.customer_id == c.customer_id) & (o.salt == c.salt))\n  .groupBy(c.segment).agg(F.count(\"*\"))\n  .collect())")),
    ex("Dynamic partition pruning", "Filtering the dimension prunes partitions of the partitioned fact table at run time (dynamicpruningexpression).",
       "SELECT e.event_type, count(*)\nFROM events e JOIN calendar c ON e.event_date = c.cal_date\nWHERE c.is_weekend\nGROUP BY e.event_type", "",
       "join\njobs\nstages"),
    ex("Memory and spill", "Sorting more than execution memory holds spills to disk: fewer, bigger partitions spill more.",
       "SELECT * FROM lineitem ORDER BY unit_price", "spark.sql.shuffle.partitions=4\nspark.sql.adaptive.enabled=false",
       "tasks\nstraggler"),
    ex("Speculation", "With spark.speculation a task much slower than its stage's median gets a second copy; the first to finish wins.",
       "SELECT customer_id, count(*) FROM orders GROUP BY customer_id", "spark.speculation=true\nstagecraft.slow_executor=1@400",
       "straggler\ntasks"),
    ex("Executor failure", "A lost executor fails its running tasks and loses its shuffle files: parent stages re-run (FetchFailed).",
       "SELECT status, count(*) FROM orders GROUP BY status", "stagecraft.kill_executor=1@500",
       "tasks\nstages\nstraggler"),
    ex("RDD lineage (word count)", "Word count on RDDs: flatMap and map are narrow (one stage); reduceByKey is wide: its ShuffledRDD starts a new stage, so the job runs 2 stages. The Plans tab shows the lineage (toDebugString); the SQL tab has the DataFrame version.",
       "SELECT word, count(*) AS n\nFROM (SELECT explode(split(name, ' ')) AS word FROM customers)\nGROUP BY word", "",
       "jobs\nstages\ntasks").py("lines = sc.textFile(\"customers\")\nwords = lines.flatMap(lambda line: line.split(\" \"))  # narrow\npairs = words.map(lambda w: (w, 1))  # narrow: same stage\ncounts = pairs.reduceByKey(lambda a, b: a + b)  # wide: a shuffle, a new stage\ncounts.collect()\nprint(counts.toDebugString())"),
];

/// The scenario the page runs for example `i` (clamped to the gallery): the built-in retail catalog on
/// 2 executors × 2 cores, with the default example's confs (broadcasts off, AQE's skew-join split made
/// visible by small thresholds) plus the example's own.
pub fn scenario(i: usize) -> Scenario {
    let ex = &EXAMPLES[i.min(EXAMPLES.len() - 1)];
    let mut confs: BTreeMap<String, String> = crate::sort::map_of(
        [
        ("spark.sql.autoBroadcastJoinThreshold", "-1"),
        ("spark.sql.adaptive.advisoryPartitionSizeInBytes", "1m"),
        ("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "2m"),
        ("spark.sql.files.maxPartitionBytes", "8m"),
        ("spark.sql.adaptive.enabled", "true"),
        ("spark.sql.session.timeZone", "UTC"),
    ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    for l in ex.confs.lines() {
        if let Some((k, v)) = l.split_once('=') {
            confs.insert(k.into(), v.into());
        }
    }
    Scenario {
        scenario_version: SCENARIO_VERSION,
        id: "retail-skew-join".into(),
        title: ex.title.into(),
        spark_version: "3.5".into(),
        cluster: Cluster { executors: 2, cores_per_executor: 2, default_parallelism: None, ..Default::default() },
        confs,
        tables: crate::input::catalogs::retail(),
        query: Query { lang: "sql".into(), setup_sql: vec![], text: ex.sql.into(), action: Some("collect".into()) },
        sim: Default::default(),
    }
}

/// A short query in `lang` (`"pyspark"`, else SQL) on `tables`: rows counted by a column of `orders` if the
/// catalog has it (by `status`), else of its first table; a range of numbers when the catalog is empty.
pub fn starter(lang: &str, tables: &[Table]) -> String {
    let table = tables.iter().find(|t| t.name == "orders").or(tables.first());
    let column = table.and_then(|t| t.columns.iter().find(|c| c.name == "status").or(t.columns.first()));
    let py = lang == "pyspark";
    match (table, column) {
        (Some(t), Some(c)) if py => {
            format!("df = spark.table({})\ndf.groupBy({}).count().show()", py_str(&t.name), py_str(&c.name))
        }
        (Some(t), Some(c)) => {
            let c = sql_name(&c.name);
            format!("SELECT {c}, count(*) AS n\nFROM {}\nGROUP BY {c}", sql_name(&t.name))
        }
        _ if py => "from pyspark.sql import functions as F\ndf = spark.range(1000)\ndf.groupBy((F.col(\"id\") % 10).alias(\"k\")).count().show()".into(),
        _ => "SELECT id % 10 AS k, count(*) AS n\nFROM range(1000)\nGROUP BY id % 10".into(),
    }
}

/// A Python string literal holding `s`.
fn py_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out += &format!("\\u{:04x}", c as u32 & 0xffff),
            c => out.push(c),
        }
    }
    out + "\""
}

/// An SQL identifier: bare when it is a plain word, else in backquotes.
fn sql_name(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        s.to_string()
    } else {
        format!("`{}`", s.replace('`', "``"))
    }
}
