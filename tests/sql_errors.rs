//! Malformed or unsupported SQL: every input gives a positioned diagnostic (line:col and a message
//! naming the problem), never a panic, through the whole pipeline (`pipeline::explain`).

use stagecraft::input::catalogs;
use stagecraft::pipeline::{self, ExplainMode};
use stagecraft::scenario::Scenario;

fn scenario(sql: &str) -> Scenario {
    Scenario::of_query("sql", sql, catalogs::retail(), Default::default())
}

/// (sql, line, col, a piece of the message)
const CASES: &[(&str, u32, u32, &str)] = &[
    ("SELECT * FROM nope", 1, 15, "[TABLE_OR_VIEW_NOT_FOUND]"),
    ("SELECT nope FROM orders", 1, 8, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
    ("SELECT o.nope FROM orders o", 1, 8, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
    ("SELECT customer_id FROM orders o JOIN customers c ON o.customer_id = c.customer_id", 1, 8, "[AMBIGUOUS_REFERENCE]"),
    ("SELECT status, count(*) FROM orders", 1, 8, "[MISSING_AGGREGATION]"),
    ("SELECT status FROM orders GROUP BY channel", 1, 8, "[MISSING_AGGREGATION]"),
    ("SELECT * FROM orders WHERE", 1, 27, "[PARSE_SYNTAX_ERROR]"),
    ("SELECT * FROM orders WHERE total_amount", 1, 28, "[DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN]"),
    ("SELECT frobnicate(status) FROM orders", 1, 8, "[UNRESOLVED_ROUTINE]"),
    ("SELECT count(status, channel, 1, 2, 3) FROM orders WHERE sum(total_amount) > 1", 1, 58, "[INVALID_WHERE_CONDITION]"),
    ("SELECT * FROM orders WHERE sum(total_amount) > 1", 1, 28, "[INVALID_WHERE_CONDITION]"),
    ("SELECT row_number() FROM orders", 1, 8, "[WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE]"),
    ("SELECT row_number() OVER () FROM orders", 1, 8, "Window function row_number() requires window to be ordered"),
    ("SELECT * FROM orders LIMIT x", 1, 28, "[INVALID_LIMIT_LIKE_EXPRESSION]"),
    ("SELECT * FROM orders ORDER BY", 1, 30, "[PARSE_SYNTAX_ERROR]"),
    // Spark's origin of a scalar subquery is its `(` (AstBuilder's subqueryExpression context).
    ("SELECT (SELECT customer_id, status FROM orders) FROM customers", 1, 8, "[INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN]"),
    ("SELECT * FROM customers WHERE customer_id IN (SELECT customer_id, status FROM orders)", 1, 47, "[DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH]"),
    ("SELECT a FROM (SELECT 1 AS a UNION ALL SELECT 1, 2)", 1, 16, "[NUM_COLUMNS_MISMATCH]"),
    ("SELECT * FROM orders JOIN customers USING (nope)", 1, 44, "[UNRESOLVED_USING_COLUMN_FOR_JOIN]"),
    ("SELECT explode(status) FROM orders", 1, 8, "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE]"),
    ("SELECT explode(split(status, ',')), explode(split(channel, ',')) FROM orders", 1, 37, "[UNSUPPORTED_GENERATOR.MULTI_GENERATOR]"),
    ("SELECT /*+ REPARTITION(nope) */ * FROM orders", 1, 24, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
    ("SELECT\n  /*+ REPARTITION(4, status), REBALANCE(nope) */ *\nFROM orders", 2, 41, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
    ("SELECT /*+ BROADCAST(o */ * FROM orders o", 1, 24, "[PARSE_SYNTAX_ERROR] Syntax error at or near '*/'."),
    ("INSERT INTO orders VALUES (1)", 1, 1, "`INSERT` is not a query: only "),
    ("DROP TABLE orders", 1, 1, "`DROP` is not a query: only SE"),
    ("SELECT * FROM orders TABLESAMPLE (10 PERCENT)", 1, 15, "TABLESAMPLE is not supported b"),
    ("SELECT status FROM orders GROUP BY 7", 1, 36, "[GROUP_BY_POS_OUT_OF_RANGE]"),
    // Spark's parser refuses the type itself: `Unsupported data type "NONSENSE".(line 1, pos 22)`.
    ("SELECT CAST(status AS nonsense) FROM orders", 1, 23, "[UNSUPPORTED_DATATYPE]"),
    ("SELECT * FROM range(1, 10, 0)", 1, 15, "range() step must not be 0"),
    ("SELECT lag(status) OVER (PARTITION BY channel) FROM orders", 1, 8, "Window function lag(status#4, -1, null) requires"),
    ("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r", 1, 16, "[PARSE_SYNTAX_ERROR] Syntax error at or near 'r'."),
    ("SELECT\n  status,\n  count(*)\nFROM orders\nGROUP BY chanel", 5, 10, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
    ("SELECT 'unterminated FROM orders", 1, 8, "Unterminated string literal"),
    ("SELECT status FROM orders ORDER BY status SORT BY status", 1, 27, "[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES]"),
    ("SELECT status FROM orders CLUSTER BY status DISTRIBUTE BY status", 1, 27, "[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES]"),
    ("SELECT status FROM orders DISTRIBUTE BY nope", 1, 41, "[UNRESOLVED_COLUMN.WITH_SUGGESTION]"),
];

#[test]
fn malformed_sql_is_refused_with_a_position() {
    assert!(CASES.len() >= 30);
    for (sql, line, col, needle) in CASES {
        let err = pipeline::explain(&scenario(sql), ExplainMode::Simple).expect_err(sql);
        assert_eq!((err.span.start.line, err.span.start.col), (*line, *col), "position for {sql:?}: {}", err.message);
        assert!(err.message.contains(needle), "message for {sql:?}: {}", err.message);
    }
}

/// DISTRIBUTE BY / SORT BY / CLUSTER BY build Spark's plans (AstBuilder.withQueryResultClauses):
/// RepartitionByExpression without a number (REPARTITION_BY_COL, spark.sql.shuffle.partitions) and a
/// partition-local Sort.
#[test]
fn distribute_sort_and_cluster_by_plan_like_spark() {
    let plan = |q: &str| pipeline::explain(&scenario(q), ExplainMode::Extended).unwrap();
    let p = plan("SELECT customer_id, total_amount FROM orders DISTRIBUTE BY customer_id SORT BY total_amount DESC");
    assert!(p.contains("Sort [total_amount#6 DESC NULLS LAST], false\n+- RepartitionByExpression [customer_id#1]\n"), "{p}");
    assert!(p.contains("Exchange hashpartitioning(customer_id#1, 200), REPARTITION_BY_COL"), "{p}");
    let p = plan("SELECT customer_id FROM orders CLUSTER BY customer_id");
    assert!(p.contains("Sort [customer_id#1 ASC NULLS FIRST], false, 0\n   +- Exchange hashpartitioning(customer_id#1, 200), REPARTITION_BY_COL"), "{p}");
    // SORT BY alone: no exchange, a local sort that may use a column the SELECT drops.
    let p = plan("SELECT customer_id FROM orders SORT BY total_amount");
    assert!(p.contains("Sort [total_amount#6 ASC NULLS FIRST], false") && !p.contains("Exchange"), "{p}");
}
