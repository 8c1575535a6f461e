//! Optimizer behaviour on whole queries over the practice corpus's retail catalog: SQL in, Spark's
//! optimized plan shape out (ids stripped). Each case pins one rule interaction that the corpus cases
//! do not cover (outer joins, NOT IN, EXISTS, set operations, windows, empty relations, DPP).
//! Knows the corpus catalog and the public pipeline pieces only.

use stagecraft::conf::SparkConf;
use stagecraft::logical::expr::IdGen;
use stagecraft::optimizer::{optimize, OptimizerContext};
use stagecraft::scenario::Scenario;
use std::path::PathBuf;

fn scenario() -> Option<Scenario> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity/scenarios/p_dpp_broadcast__aqe_off.json");
    Scenario::from_json(&std::fs::read_to_string(p).ok()?).ok()
}

#[path = "common/strip_ids.rs"]
mod strip_ids;
use strip_ids::strip_ids;

/// The optimized plan of `sql` (ids stripped), or `None` when the corpus is absent.
fn plan(sql: &str, confs: &[(&str, &str)]) -> Option<String> {
    let s = scenario()?;
    let mut ids = IdGen::starting_at(0);
    let analyzed = match stagecraft::input::sql::analyze_query_text(sql, &s, &mut ids) {
        Ok(p) => p,
        Err(e) => panic!("analysis of `{sql}` failed: {e}"),
    };
    let mut conf = SparkConf::new(&s.confs);
    for (k, v) in confs {
        conf.set(k, v);
    }
    let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
    let (optimized, steps) = optimize(&analyzed, &mut ctx);
    assert!(steps.iter().all(|st| !st.plan_after.is_empty()));
    // A fixed-point batch that needs dozens of changes is oscillating between two rules.
    let mut per_batch: Vec<(&str, usize)> = vec![];
    for st in &steps {
        match per_batch.iter_mut().find(|(b, _)| *b == st.batch) {
            Some((_, n)) => *n += 1,
            None => per_batch.push((st.batch, 1)),
        }
    }
    assert!(per_batch.iter().all(|(_, n)| *n < 30), "rule steps per batch for `{sql}`: {per_batch:?}");
    let text = strip_ids(&optimized.to_string());
    eprintln!("--- {sql}\n{text}");
    Some(text)
}

fn check(sql: &str, expected: &str) {
    if let Some(got) = plan(sql, &[]) {
        assert_eq!(got.trim_end(), expected.trim_end(), "for `{sql}`");
    }
}

#[test]
fn left_join_with_where_on_the_right_becomes_inner() {
    check(
        "SELECT c.name, o.total_amount FROM customers c LEFT JOIN orders o ON c.customer_id = o.customer_id WHERE o.status = 'X'",
        "Project [name, total_amount]
+- Join Inner, (customer_id = customer_id)
   :- Project [customer_id, name]
   :  +- Filter isnotnull(customer_id)
   :     +- Relation [customer_id,name,email,address,phone,country_id,segment,signup_date,credit_limit,is_active] parquet
   +- Project [customer_id, total_amount]
      +- Filter ((isnotnull(status) AND (status = X)) AND isnotnull(customer_id))
         +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn not_in_is_a_null_aware_anti_join_without_inferred_filters() {
    check(
        "SELECT count(*) FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM orders)",
        "Aggregate [count(1) AS count(1)]
+- Project
   +- Join LeftAnti, ((customer_id = customer_id) OR isnull((customer_id = customer_id)))
      :- Project [customer_id]
      :  +- Relation [customer_id,name,email,address,phone,country_id,segment,signup_date,credit_limit,is_active] parquet
      +- Project [customer_id]
         +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn correlated_exists_is_a_semi_join_on_the_correlation() {
    check(
        "SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id AND o.status = 'X')",
        "Project [name]
+- Join LeftSemi, (customer_id = customer_id)
   :- Project [customer_id, name]
   :  +- Relation [customer_id,name,email,address,phone,country_id,segment,signup_date,credit_limit,is_active] parquet
   +- Project [customer_id]
      +- Filter (isnotnull(status) AND (status = X))
         +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn intersect_is_a_grouped_semi_join() {
    check(
        "SELECT customer_id FROM customers INTERSECT SELECT customer_id FROM orders",
        "Aggregate [customer_id], [customer_id]
+- Join LeftSemi, (customer_id <=> customer_id)
   :- Project [customer_id]
   :  +- Relation [customer_id,name,email,address,phone,country_id,segment,signup_date,credit_limit,is_active] parquet
   +- Project [customer_id]
      +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn rank_filter_inserts_a_window_group_limit() {
    check(
        "SELECT * FROM (SELECT customer_id, order_id, rank() OVER (PARTITION BY customer_id ORDER BY total_amount DESC) AS r FROM orders) t WHERE r <= 3",
        "Project [customer_id, order_id, r]
+- Filter (r <= 3)
   +- Window [rank() windowspecdefinition(customer_id, total_amount DESC NULLS LAST, specifiedwindowframe(RowFrame, unboundedpreceding$(), currentrow$())) AS r], [customer_id], [total_amount DESC NULLS LAST]
      +- WindowGroupLimit [customer_id], [total_amount DESC NULLS LAST], rank(), 3
         +- Project [order_id, customer_id, total_amount]
            +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn two_distinct_aggregates_expand() {
    check(
        "SELECT count(DISTINCT customer_id), count(DISTINCT store_id), sum(total_amount) FROM orders",
        "Aggregate [count(if((gid = 1), customer_id, null)) AS count(DISTINCT customer_id), count(if((gid = 2), store_id, null)) AS count(DISTINCT store_id), first(sum(total_amount)) FILTER (WHERE (gid = 0)) AS sum(total_amount)]
+- Aggregate [customer_id, store_id, gid], [customer_id, store_id, gid, sum(total_amount) AS sum(total_amount)]
   +- Expand [[null, null, 0, total_amount], [customer_id, null, 1, null], [null, store_id, 2, null]], [customer_id, store_id, gid, total_amount]
      +- Project [customer_id, store_id, total_amount]
         +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn false_filters_and_empty_inputs_become_empty_relations() {
    check(
        "SELECT * FROM orders WHERE 1 = 0",
        "LocalRelation <empty>, [order_id, customer_id, store_id, order_date, status, channel, total_amount, priority]",
    );
    check(
        "SELECT o.status, count(*) FROM orders o JOIN (SELECT * FROM customers LIMIT 0) c ON o.customer_id = c.customer_id GROUP BY o.status",
        "LocalRelation <empty>, [status, count(1)]",
    );
}

#[test]
fn grouping_expressions_are_pulled_out_and_limits_over_one_row_vanish() {
    check(
        "SELECT year(order_date) AS y, count(*) FROM orders GROUP BY year(order_date)",
        "Aggregate [_groupingexpression], [_groupingexpression AS y, count(1) AS count(1)]
+- Project [year(order_date) AS _groupingexpression]
   +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
    check(
        "SELECT count(*) FROM orders LIMIT 10",
        "Aggregate [count(1) AS count(1)]
+- Project
   +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn correlated_scalar_subquery_becomes_a_join() {
    check(
        "SELECT order_id FROM orders o WHERE total_amount > (SELECT avg(total_amount) FROM orders i WHERE i.customer_id = o.customer_id)",
        "Project [order_id]
+- Join Inner, ((total_amount > avg(total_amount)) AND (customer_id = customer_id))
   :- Project [order_id, customer_id, total_amount]
   :  +- Filter (isnotnull(total_amount) AND isnotnull(customer_id))
   :     +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet
   +- Filter isnotnull(avg(total_amount))
      +- Aggregate [customer_id], [avg(total_amount) AS avg(total_amount), customer_id]
         +- Project [customer_id, total_amount]
            +- Filter isnotnull(customer_id)
               +- Relation [order_id,customer_id,store_id,order_date,status,channel,total_amount,priority] parquet",
    );
}

#[test]
fn equalities_carry_ranges_across_joins_and_partitioned_scans_get_dpp() {
    let Some(text) = plan(
        "SELECT e.event_type FROM events e JOIN calendar c ON e.event_date = c.cal_date WHERE c.is_holiday = true AND e.event_date >= DATE'2024-06-10'",
        &[],
    ) else {
        return;
    };
    assert!(text.contains("Filter ((isnotnull(is_holiday) AND (is_holiday = true)) AND ((cal_date >= 2024-06-10) AND isnotnull(cal_date)))"), "{text}");
    assert!(text.contains("dynamicpruning"), "{text}");
    let Some(off) = plan(
        "SELECT e.event_type FROM events e JOIN calendar c ON e.event_date = c.cal_date WHERE c.is_holiday = true",
        &[("spark.sql.optimizer.dynamicPartitionPruning.enabled", "false")],
    ) else {
        return;
    };
    assert!(!off.contains("dynamicpruning"), "{off}");
}

#[test]
fn many_queries_optimize_without_oscillating() {
    for q in [
        "SELECT c.name FROM customers c LEFT JOIN orders o ON c.customer_id = o.customer_id AND o.status = 'X' WHERE c.country_id = 3",
        "SELECT name FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)",
        "SELECT customer_id FROM customers EXCEPT SELECT customer_id FROM orders",
        "SELECT DISTINCT status FROM orders",
        "SELECT * FROM orders LIMIT 10",
        "SELECT e.event_type, count(*) FROM events e WHERE e.event_date = DATE'2024-06-02' GROUP BY e.event_type",
        "SELECT customer_id FROM orders WHERE status = 'A' UNION SELECT customer_id FROM events",
        "SELECT * FROM (SELECT customer_id, status FROM orders UNION ALL SELECT customer_id, event_type FROM events) u WHERE status = 'X'",
        "SELECT name FROM customers WHERE name LIKE 'Jo%' AND segment IN ('Gold', 'Gold')",
        "SELECT a.customer_id FROM customers a JOIN orders b ON a.customer_id = b.customer_id JOIN stores s ON b.store_id = s.store_id WHERE s.store_type = 'mall'",
        "WITH x AS (SELECT * FROM orders WHERE status = 'A') SELECT count(*) FROM x a JOIN x b ON a.order_id = b.order_id",
        "SELECT * FROM (SELECT customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY order_date) AS rn FROM orders) t WHERE customer_id = 5 AND rn = 1",
        "SELECT status, sum(total_amount) AS s FROM orders GROUP BY status HAVING sum(total_amount) > 100 AND status <> 'X'",
        "SELECT order_id FROM orders ORDER BY total_amount DESC LIMIT 5",
        "SELECT c.name, o.order_id FROM customers c FULL OUTER JOIN orders o ON c.customer_id = o.customer_id WHERE c.country_id = 1",
        "SELECT c.name, o.order_id FROM customers c RIGHT JOIN orders o ON c.customer_id = o.customer_id",
        "SELECT order_id FROM orders WHERE store_id IN (1,2,3,4,5,6,7,8,9,10,11,12)",
        "SELECT CASE WHEN status = 'A' THEN 1 ELSE 0 END AS f, coalesce(channel, 'none') AS ch FROM orders",
        "SELECT name FROM customers WHERE customer_id IN (SELECT customer_id FROM orders WHERE store_id IN (SELECT store_id FROM stores WHERE store_type = 'mall'))",
        "SELECT name FROM customers WHERE EXISTS (SELECT 1 FROM stores WHERE store_type = 'mall')",
        "SELECT /*+ BROADCAST(x) */ c.segment, x.n FROM customers c JOIN (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) x ON c.customer_id = x.customer_id",
        "SELECT customer_id, tag FROM customers LATERAL VIEW explode(split(address, ' ')) t AS tag",
        "SELECT o.order_id, s.store_name FROM orders o JOIN stores s ON o.store_id = s.store_id AND o.total_amount > s.sqft",
        "SELECT * FROM orders WHERE status = 'A' OR (status = 'B' AND total_amount > 5)",
        "SELECT count(*) FROM orders o, customers c WHERE o.customer_id = c.customer_id AND c.segment = 'Gold'",
        "SELECT sum(total_amount + 1), max(order_date) FROM orders WHERE NOT (total_amount > 5)",
        "SELECT order_id, (SELECT count(*) FROM orders i WHERE i.customer_id = o.customer_id) AS n FROM orders o",
    ] {
        let _ = plan(q, &[]);
    }
}

/// TPC-H queries (lightly adapted to the analyzer's dialect) optimize without errors or oscillation.
#[test]
fn tpch_queries_optimize() {
    let tables = stagecraft::input::catalogs::tpch();
    if tables.is_empty() {
        return;
    }
    let Some(mut s) = scenario() else { return };
    s.tables = tables;
    let queries = [
        "SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, avg(l_discount) AS avg_disc, count(*) AS count_order FROM lineitem WHERE l_shipdate <= date '1998-09-02' GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus",
        "SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority FROM customer, orders, lineitem WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey AND o_orderdate < date '1995-03-15' AND l_shipdate > date '1995-03-15' GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate LIMIT 10",
        "SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue FROM customer, orders, lineitem, supplier, nation, region WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_suppkey = s_suppkey AND c_nationkey = s_nationkey AND s_nationkey = n_nationkey AND n_regionkey = r_regionkey AND r_name = 'ASIA' AND o_orderdate >= date '1994-01-01' AND o_orderdate < date '1995-01-01' GROUP BY n_name ORDER BY revenue DESC",
        "SELECT o_orderpriority, count(*) AS order_count FROM orders WHERE o_orderdate >= date '1993-07-01' AND o_orderdate < date '1993-10-01' AND EXISTS (SELECT * FROM lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate) GROUP BY o_orderpriority ORDER BY o_orderpriority",
        "SELECT c_count, count(*) AS custdist FROM (SELECT c_custkey, count(o_orderkey) AS c_count FROM customer LEFT OUTER JOIN orders ON c_custkey = o_custkey AND o_comment NOT LIKE '%special%requests%' GROUP BY c_custkey) c_orders GROUP BY c_count ORDER BY custdist DESC, c_count DESC",
        "SELECT s_name, count(*) AS numwait FROM supplier, lineitem l1, orders, nation WHERE s_suppkey = l1.l_suppkey AND o_orderkey = l1.l_orderkey AND o_orderstatus = 'F' AND l1.l_receiptdate > l1.l_commitdate AND EXISTS (SELECT * FROM lineitem l2 WHERE l2.l_orderkey = l1.l_orderkey AND l2.l_suppkey <> l1.l_suppkey) AND NOT EXISTS (SELECT * FROM lineitem l3 WHERE l3.l_orderkey = l1.l_orderkey AND l3.l_suppkey <> l1.l_suppkey AND l3.l_receiptdate > l3.l_commitdate) AND s_nationkey = n_nationkey AND n_name = 'SAUDI ARABIA' GROUP BY s_name ORDER BY numwait DESC, s_name LIMIT 100",
        "SELECT p_brand, p_type, p_size, count(DISTINCT ps_suppkey) AS supplier_cnt FROM partsupp, part WHERE p_partkey = ps_partkey AND p_brand <> 'Brand#45' AND p_type NOT LIKE 'MEDIUM POLISHED%' AND p_size IN (49, 14, 23, 45, 19, 3, 36, 9) AND ps_suppkey NOT IN (SELECT s_suppkey FROM supplier WHERE s_comment LIKE '%Customer%Complaints%') GROUP BY p_brand, p_type, p_size ORDER BY supplier_cnt DESC, p_brand, p_type, p_size",
        "SELECT supp_nation, cust_nation, l_year, sum(volume) AS revenue FROM (SELECT n1.n_name AS supp_nation, n2.n_name AS cust_nation, year(l_shipdate) AS l_year, l_extendedprice * (1 - l_discount) AS volume FROM supplier, lineitem, orders, customer, nation n1, nation n2 WHERE s_suppkey = l_suppkey AND o_orderkey = l_orderkey AND c_custkey = o_custkey AND s_nationkey = n1.n_nationkey AND c_nationkey = n2.n_nationkey AND ((n1.n_name = 'FRANCE' AND n2.n_name = 'GERMANY') OR (n1.n_name = 'GERMANY' AND n2.n_name = 'FRANCE')) AND l_shipdate BETWEEN date '1995-01-01' AND date '1996-12-31') AS shipping GROUP BY supp_nation, cust_nation, l_year ORDER BY supp_nation, cust_nation, l_year",
        "SELECT sum(l_extendedprice * (1 - l_discount)) AS revenue FROM lineitem, part WHERE (p_partkey = l_partkey AND p_brand = 'Brand#12' AND p_container IN ('SM CASE', 'SM BOX', 'SM PACK', 'SM PKG') AND l_quantity >= 1 AND l_quantity <= 1 + 10 AND p_size BETWEEN 1 AND 5 AND l_shipmode IN ('AIR', 'AIR REG') AND l_shipinstruct = 'DELIVER IN PERSON') OR (p_partkey = l_partkey AND p_brand = 'Brand#23' AND p_container IN ('MED BAG', 'MED BOX', 'MED PKG', 'MED PACK') AND l_quantity >= 10 AND l_quantity <= 10 + 10 AND p_size BETWEEN 1 AND 10 AND l_shipmode IN ('AIR', 'AIR REG') AND l_shipinstruct = 'DELIVER IN PERSON')",
        "SELECT sum(l_extendedprice) / 7.0 AS avg_yearly FROM lineitem, part WHERE p_partkey = l_partkey AND p_brand = 'Brand#23' AND p_container = 'MED BOX' AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)",
    ];
    for q in queries {
        let mut ids = IdGen::starting_at(0);
        let analyzed = match stagecraft::input::sql::analyze_query_text(q, &s, &mut ids) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("skipped (analysis: {e}): {q}");
                continue;
            }
        };
        let conf = SparkConf::new(&s.confs);
        let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
        let (optimized, steps) = optimize(&analyzed, &mut ctx);
        assert!(steps.len() < 200, "{q}: {} steps", steps.len());
        eprintln!("--- {q}\n{}", strip_ids(&optimized.to_string()));
    }
}

#[test]
#[ignore]
fn debug_trace() {
    let tables = stagecraft::input::catalogs::tpch();
    let Some(mut s) = scenario() else { return };
    s.tables = tables;
    let q = std::env::var("Q").unwrap_or_default();
    let mut ids = IdGen::starting_at(0);
    let analyzed = stagecraft::input::sql::analyze_query_text(&q, &s, &mut ids).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("ANALYZED\n{analyzed}");
    let conf = SparkConf::new(&s.confs);
    let mut ctx = OptimizerContext { conf: &conf, ids: &mut ids };
    let (_, steps) = optimize(&analyzed, &mut ctx);
    for st in steps {
        eprintln!("=== {} / {}\n{}", st.batch, st.rule, strip_ids(&st.plan_after));
    }
}
