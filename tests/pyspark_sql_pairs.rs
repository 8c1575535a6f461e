//! Issue 5, parity: a PySpark snippet and its SQL equivalent lower through the same analyzer, so their
//! analyzed plans are identical modulo expression ids — and so are their optimized plans.

use stagecraft::conf::SparkConf;
use stagecraft::input::catalogs;
use stagecraft::input::pyspark::lower::*;
use stagecraft::input::sql::{parse_query, Analyzer};
use stagecraft::logical::expr::IdGen;
use stagecraft::logical::plan::LogicalPlan;
use stagecraft::optimizer::{optimize, OptimizerContext};
use std::collections::BTreeMap;

fn norm(text: &str) -> String {
    stagecraft::logical::display::renumber_ids(text)
}

fn pyspark_plan(src: &str) -> LogicalPlan {
    let mut host = SimpleHost::default();
    let l = lower_source(src, &catalogs::retail(), &BTreeMap::new(), &LowerOptions::default(), &mut host).unwrap_or_else(|d| panic!("{d}\n--- in ---\n{src}"));
    let x = l.sql_executions();
    assert_eq!(x.len(), 1, "{src}");
    x[0].plan.clone()
}

fn sql_plan(text: &str) -> LogicalPlan {
    let q = parse_query(text).unwrap_or_else(|d| panic!("{d}\n--- in ---\n{text}"));
    let tables = catalogs::retail();
    let views = BTreeMap::new();
    let mut ids = IdGen::default();
    Analyzer::new(&tables, &views, &mut ids).analyze_query(&q).unwrap_or_else(|d| panic!("{d}\n--- in ---\n{text}"))
}

fn optimized(p: &LogicalPlan) -> String {
    let conf = SparkConf::new(&BTreeMap::new());
    let mut ids = IdGen::starting_at(1_000_000);
    let mut cx = OptimizerContext { conf: &conf, ids: &mut ids };
    norm(&optimize(p, &mut cx).0.to_string())
}

fn same(py: &str, sql: &str) {
    let a = pyspark_plan(py);
    let b = sql_plan(sql);
    assert_eq!(norm(&a.to_string()), norm(&b.to_string()), "analyzed plans differ\n--- pyspark ---\n{py}\n--- sql ---\n{sql}");
    assert_eq!(optimized(&a), optimized(&b), "optimized plans differ\n--- pyspark ---\n{py}\n--- sql ---\n{sql}");
}

macro_rules! pair {
    ($name:ident, $py:expr, $sql:expr) => {
        #[test]
        fn $name() {
            same($py, $sql);
        }
    };
}

pair!(
    filter_then_select,
    "spark.table(\"orders\").filter(F.col(\"status\") == \"DELIVERED\").select(\"order_id\", \"total_amount\").collect()",
    "SELECT order_id, total_amount FROM orders WHERE status = 'DELIVERED'"
);
pair!(
    sql_string_filter_and_select_expr,
    "spark.table(\"orders\").where(\"priority > 1 AND channel IS NOT NULL\").selectExpr(\"order_id\", \"total_amount * 2 AS t2\").collect()",
    "SELECT order_id, total_amount * 2 AS t2 FROM orders WHERE priority > 1 AND channel IS NOT NULL"
);
pair!(
    group_by_sum_names,
    "spark.table(\"orders\").groupBy(\"status\").agg(F.sum(\"total_amount\"), F.count(\"*\")).collect()",
    "SELECT status, sum(total_amount), count(*) FROM orders GROUP BY status"
);
pair!(
    group_by_aliases_order_limit,
    "spark.table(\"orders\").groupBy(\"store_id\").agg(F.sum(\"total_amount\").alias(\"revenue\")).orderBy(F.desc(\"revenue\")).limit(5).collect()",
    "SELECT store_id, sum(total_amount) AS revenue FROM orders GROUP BY store_id ORDER BY revenue DESC LIMIT 5"
);
pair!(
    global_aggregate,
    "spark.table(\"lineitem\").select(F.count(\"*\").alias(\"n\"), F.max(\"quantity\").alias(\"m\"), F.countDistinct(\"product_id\").alias(\"d\")).collect()",
    "SELECT count(*) AS n, max(quantity) AS m, count(DISTINCT product_id) AS d FROM lineitem"
);
pair!(
    filter_group_order,
    "(spark.table(\"orders\").filter(F.col(\"priority\") > 1).groupBy(\"status\").agg(F.count(\"*\").alias(\"n\")).orderBy(F.col(\"n\").desc()).collect())",
    "SELECT status, count(*) AS n FROM orders WHERE priority > 1 GROUP BY status ORDER BY n DESC"
);
pair!(
    join_on_condition,
    "o = spark.table(\"orders\")\nc = spark.table(\"customers\")\no.join(c, o[\"customer_id\"] == c[\"customer_id\"]).select(o[\"order_id\"], c[\"name\"]).collect()",
    "SELECT orders.order_id, customers.name FROM orders JOIN customers ON orders.customer_id = customers.customer_id"
);
pair!(
    left_join_on_condition,
    "o = spark.table(\"orders\")\nc = spark.table(\"customers\")\no.join(c, o.customer_id == c.customer_id, \"left\").select(o.order_id, c.segment).collect()",
    "SELECT orders.order_id, customers.segment FROM orders LEFT JOIN customers ON orders.customer_id = customers.customer_id"
);
pair!(
    join_using,
    "spark.table(\"orders\").join(spark.table(\"customers\"), \"customer_id\").select(\"*\").collect()",
    "SELECT * FROM orders JOIN customers USING (customer_id)"
);
pair!(
    left_semi_and_anti_joins,
    "o = spark.table(\"orders\")\nc = spark.table(\"customers\")\no.join(c, o.customer_id == c.customer_id, \"left_semi\").join(spark.table(\"stores\"), F.col(\"orders.store_id\") == F.col(\"stores.store_id\"), \"anti\").select(\"order_id\").collect()",
    "SELECT order_id FROM orders LEFT SEMI JOIN customers ON orders.customer_id = customers.customer_id LEFT ANTI JOIN stores ON orders.store_id = stores.store_id"
);
pair!(
    broadcast_hint,
    "o = spark.table(\"orders\")\nc = spark.table(\"customers\")\no.join(F.broadcast(c), o.customer_id == c.customer_id).select(\"*\").collect()",
    "SELECT /*+ BROADCAST(customers) */ * FROM orders JOIN customers ON orders.customer_id = customers.customer_id"
);
pair!(
    union_all,
    "a = spark.table(\"orders\").select(\"order_id\", \"status\")\nb = spark.table(\"orders_uniform\").select(\"order_id\", \"status\")\na.union(b).collect()",
    "SELECT order_id, status FROM orders UNION ALL SELECT order_id, status FROM orders_uniform"
);
pair!(
    union_widens_types,
    "a = spark.table(\"stores\").select(\"store_id\")\nb = spark.table(\"countries\").select(\"population\")\na.unionAll(b).collect()",
    "SELECT store_id FROM stores UNION ALL SELECT population FROM countries"
);
pair!(
    intersect,
    "spark.table(\"orders\").select(\"customer_id\").intersect(spark.table(\"customers\").select(\"customer_id\")).collect()",
    "SELECT customer_id FROM orders INTERSECT SELECT customer_id FROM customers"
);
pair!(
    subtract_and_except_all,
    "a = spark.table(\"orders\").select(\"customer_id\")\nb = spark.table(\"customers\").select(\"customer_id\")\na.subtract(b).exceptAll(spark.table(\"stores\").select(\"store_id\")).collect()",
    "(SELECT customer_id FROM orders EXCEPT SELECT customer_id FROM customers) EXCEPT ALL SELECT store_id FROM stores"
);
pair!(
    predicates_in_between_like_null,
    "spark.table(\"orders\").filter(F.col(\"status\").isin(\"A\", \"B\") & F.col(\"priority\").between(1, 3) & F.col(\"channel\").like(\"web%\") & F.col(\"order_date\").isNotNull()).select(\"order_id\").collect()",
    "SELECT order_id FROM orders WHERE status IN ('A', 'B') AND priority BETWEEN 1 AND 3 AND channel LIKE 'web%' AND order_date IS NOT NULL"
);
pair!(
    arithmetic_and_functions_with_aliases,
    "spark.table(\"orders\").select((F.col(\"total_amount\") / 2).alias(\"half\"), (F.col(\"priority\") % 3).alias(\"m\"), F.upper(\"status\").alias(\"u\"), F.concat_ws(\"-\", \"status\", \"channel\").alias(\"k\"), F.coalesce(\"channel\", \"status\").alias(\"c\")).collect()",
    "SELECT total_amount / 2 AS half, priority % 3 AS m, upper(status) AS u, concat_ws('-', status, channel) AS k, coalesce(channel, status) AS c FROM orders"
);
pair!(
    case_when_and_cast,
    "spark.table(\"orders\").select(F.when(F.col(\"priority\") > 2, \"high\").otherwise(\"low\").alias(\"band\"), F.col(\"store_id\").cast(\"bigint\").alias(\"s\")).collect()",
    "SELECT CASE WHEN priority > 2 THEN 'high' ELSE 'low' END AS band, CAST(store_id AS BIGINT) AS s FROM orders"
);
pair!(
    explode_in_select,
    "spark.table(\"customers\").select(\"customer_id\", F.explode(F.array(F.lit(1), F.lit(2))).alias(\"x\")).collect()",
    "SELECT customer_id, explode(array(1, 2)) AS x FROM customers"
);
pair!(
    repartition_hint_and_method,
    "spark.table(\"orders\").select(\"*\").repartition(8, \"customer_id\").collect()",
    "SELECT /*+ REPARTITION(8, customer_id) */ * FROM orders"
);
pair!(
    coalesce_hint_and_method,
    "spark.table(\"orders\").select(\"*\").coalesce(1).collect()",
    "SELECT /*+ COALESCE(1) */ * FROM orders"
);
pair!(
    spark_sql_passthrough_then_sort,
    "spark.sql(\"SELECT status, count(*) AS n FROM orders GROUP BY status\").orderBy(\"n\").collect()",
    "SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY n"
);
pair!(
    order_by_columns_and_directions,
    "spark.table(\"orders\").select(\"order_id\", \"priority\").orderBy(F.col(\"priority\").desc(), \"order_id\").limit(10).collect()",
    "SELECT order_id, priority FROM orders ORDER BY priority DESC, order_id LIMIT 10"
);
pair!(
    sort_on_projected_alias,
    "spark.table(\"orders\").select(\"order_id\", (F.col(\"total_amount\") * 1.1).alias(\"gross\")).orderBy(\"gross\").collect()",
    "SELECT order_id, total_amount * 1.1E0 AS gross FROM orders ORDER BY gross"
);
