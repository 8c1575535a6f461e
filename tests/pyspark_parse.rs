//! Issue 5, front half: the PySpark-subset parser on valid snippets (their canonical, fully parenthesised AST
//! form is asserted, and printing then re-parsing is a fixed point), on malformed snippets (exact line:col and a
//! message naming the construct), on every PySpark snippet of the fidelity corpus, on nesting at the depth limit,
//! and on 2000 deterministic pseudo-random token soups that must never panic.

use stagecraft::input::pyspark::{parse_program, Expr, ExprKind, Program, StmtKind, UdfKind, MAX_DEPTH};

fn parse_ok(src: &str) -> Program {
    parse_program(src).unwrap_or_else(|d| panic!("{d}\n--- in ---\n{src}"))
}

/// The canonical printed form, after checking that re-parsing it prints the same.
fn canon(src: &str) -> String {
    let text = parse_ok(src).to_string();
    let again = parse_program(&text).unwrap_or_else(|d| panic!("re-parse: {d}\n--- of ---\n{text}")).to_string();
    assert_eq!(again, text, "printing is not a fixed point");
    text
}

fn err(src: &str) -> (u32, u32, String) {
    match parse_program(src) {
        Ok(p) => panic!("expected an error, parsed as:\n{p}"),
        Err(d) => (d.span.start.line, d.span.start.col, d.message),
    }
}

macro_rules! valid {
    ($name:ident, $src:expr, $want:expr) => {
        #[test]
        fn $name() {
            assert_eq!(canon($src), $want);
        }
    };
}

macro_rules! invalid {
    ($name:ident, $src:expr, $line:expr, $col:expr, $msg:expr) => {
        #[test]
        fn $name() {
            let (line, col, message) = err(&$src);
            assert_eq!((line, col), ($line, $col), "position of: {message}");
            assert!(message.contains($msg), "message {message:?} should contain {:?}", $msg);
        }
    };
}

/// The expression of statement `i`, or the value of an assignment.
fn expr_of(p: &Program, i: usize) -> &Expr {
    match &p.stmts[i].kind {
        StmtKind::Expr(e) => e,
        StmtKind::Assign { value, .. } => value,
        other => panic!("statement {i} is not an expression: {other:?}"),
    }
}

/// Method names of a call chain, innermost first: `a.b(1).c()` → ["b", "c"].
fn chain(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = e;
    loop {
        match &cur.kind {
            ExprKind::Call { func, .. } => cur = func,
            ExprKind::Attribute { value, attr } => {
                out.push(attr.name.clone());
                cur = value;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

fn call_args(e: &Expr) -> &[Expr] {
    match &e.kind {
        ExprKind::Call { args, .. } => args,
        other => panic!("not a call: {other:?}"),
    }
}

// ---------------------------------------------------------------- valid snippets

valid!(
    corpus_cache_two_actions,
    r###"delivered = (spark.table("orders")
             .filter(F.col("status") == "DELIVERED")
             .select("customer_id", "store_id", "total_amount")
             .cache())
delivered.count()
(delivered.groupBy("store_id")
          .agg(F.sum("total_amount").alias("revenue"))
          .orderBy(F.desc("revenue"))
          .limit(5)
          .collect())
"###,
    r###"delivered = spark.table("orders").filter((F.col("status") == "DELIVERED")).select("customer_id", "store_id", "total_amount").cache()
delivered.count()
delivered.groupBy("store_id").agg(F.sum("total_amount").alias("revenue")).orderBy(F.desc("revenue")).limit(5).collect()
"###
);

valid!(
    corpus_groupby_topn,
    r###"li = spark.table("lineitem")
(li.groupBy("product_id")
   .agg(F.sum("quantity").alias("q"), F.avg("unit_price").alias("avg_price"))
   .orderBy(F.desc("q"))
   .limit(10)
   .collect())
"###,
    r###"li = spark.table("lineitem")
li.groupBy("product_id").agg(F.sum("quantity").alias("q"), F.avg("unit_price").alias("avg_price")).orderBy(F.desc("q")).limit(10).collect()
"###
);

valid!(
    corpus_orderby_write,
    r###"(spark.table("customers")
  .orderBy("signup_date", "customer_id")
  .write.mode("overwrite").parquet("/tmp/stagecraft-out/customers_sorted"))
"###,
    r###"spark.table("customers").orderBy("signup_date", "customer_id").write.mode("overwrite").parquet("/tmp/stagecraft-out/customers_sorted")
"###
);

valid!(
    corpus_repartition_vs_coalesce,
    r###"o = spark.table("orders").select("order_id", "customer_id", "total_amount")
o.repartition(16, "customer_id").write.mode("overwrite").parquet("/tmp/stagecraft-out/by_customer")
o.coalesce(1).write.mode("overwrite").parquet("/tmp/stagecraft-out/single_file")
"###,
    r###"o = spark.table("orders").select("order_id", "customer_id", "total_amount")
o.repartition(16, "customer_id").write.mode("overwrite").parquet("/tmp/stagecraft-out/by_customer")
o.coalesce(1).write.mode("overwrite").parquet("/tmp/stagecraft-out/single_file")
"###
);

valid!(
    corpus_show_join,
    r###"c = spark.table("customers").select("customer_id", "name", "country_id")
k = spark.table("countries")
c.join(k, "country_id").select("customer_id", "name", "country_name", "region").show()
"###,
    r###"c = spark.table("customers").select("customer_id", "name", "country_id")
k = spark.table("countries")
c.join(k, "country_id").select("customer_id", "name", "country_name", "region").show()
"###
);

valid!(
    corpus_shuffle_hash_hint,
    r###"o = spark.table("orders_uniform")
c = spark.table("customers").select("customer_id", "segment")
(o.join(c.hint("shuffle_hash"), "customer_id")
  .groupBy("segment")
  .agg(F.sum("total_amount").alias("revenue"))
  .collect())
"###,
    r###"o = spark.table("orders_uniform")
c = spark.table("customers").select("customer_id", "segment")
o.join(c.hint("shuffle_hash"), "customer_id").groupBy("segment").agg(F.sum("total_amount").alias("revenue")).collect()
"###
);

valid!(
    corpus_window_dedup,
    r###"w = Window.partitionBy("customer_id").orderBy(F.col("order_date").desc(), F.col("order_id").desc())
latest = (spark.table("orders_uniform")
          .withColumn("rn", F.row_number().over(w))
          .filter(F.col("rn") == 1)
          .drop("rn"))
latest.write.mode("overwrite").parquet("/tmp/stagecraft-out/latest_order")
"###,
    r###"w = Window.partitionBy("customer_id").orderBy(F.col("order_date").desc(), F.col("order_id").desc())
latest = spark.table("orders_uniform").withColumn("rn", F.row_number().over(w)).filter((F.col("rn") == 1)).drop("rn")
latest.write.mode("overwrite").parquet("/tmp/stagecraft-out/latest_order")
"###
);

valid!(
    imports,
    r###"from pyspark.sql import SparkSession, functions as F
from pyspark.sql.window import Window
from pyspark.sql.types import *
from pyspark import StorageLevel
import pyspark.sql.functions as sf
"###,
    r###"from pyspark.sql import SparkSession, functions as F
from pyspark.sql.window import Window
from pyspark.sql.types import *
from pyspark import StorageLevel
import pyspark.sql.functions as sf
"###
);

valid!(
    backslash_chain,
    r###"df = spark.table("t") \
    .filter(F.col("a") > 1) \
    .select("a", "b")
"###,
    r###"df = spark.table("t").filter((F.col("a") > 1)).select("a", "b")
"###
);

valid!(
    salting_concat_ws,
    r###"salted = big.withColumn("salted_key", F.concat_ws("_", F.col("k"), (F.rand()*10).cast("int")))
"###,
    r###"salted = big.withColumn("salted_key", F.concat_ws("_", F.col("k"), (F.rand() * 10).cast("int")))
"###
);

valid!(
    salting_explode,
    r###"small_salted = small.withColumn("salt", F.explode(F.array([F.lit(i) for i in range(10)])))
"###,
    r###"small_salted = small.withColumn("salt", F.explode(F.array([F.lit(i) for i in range(10)])))
"###
);

valid!(
    salting_full_join,
    r###"SALT = 8
big_s = big.withColumn("salt", (F.rand(seed=42) * SALT).cast("int"))
small_s = small.withColumn("salt", F.explode(F.array([F.lit(i) for i in range(SALT)])))
joined = big_s.join(small_s, on=["k", "salt"], how="inner").drop("salt")
joined.groupBy("k").count().collect()
"###,
    r###"SALT = 8
big_s = big.withColumn("salt", (F.rand(seed=42) * SALT).cast("int"))
small_s = small.withColumn("salt", F.explode(F.array([F.lit(i) for i in range(SALT)])))
joined = big_s.join(small_s, on=["k", "salt"], how="inner").drop("salt")
joined.groupBy("k").count().collect()
"###
);

valid!(
    rdd_word_count,
    r###"sc.textFile("x").flatMap(lambda l: l.split(" ")).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b).collect()
"###,
    r###"sc.textFile("x").flatMap((lambda l: l.split(" "))).map((lambda w: (w, 1))).reduceByKey((lambda a, b: (a + b))).collect()
"###
);

valid!(
    window_rows_between,
    r###"w = (Window.partitionBy("store_id")
          .orderBy(F.col("day").asc())
          .rowsBetween(Window.unboundedPreceding, Window.currentRow))
df.withColumn("running", F.sum("amount").over(w)).show()
"###,
    r###"w = Window.partitionBy("store_id").orderBy(F.col("day").asc()).rowsBetween(Window.unboundedPreceding, Window.currentRow)
df.withColumn("running", F.sum("amount").over(w)).show()
"###
);

valid!(
    window_range_between,
    r###"w = Window.partitionBy("a").orderBy("ts").rangeBetween(-3600, 0)
df.select("a", F.avg("v").over(w).alias("avg_1h"))
"###,
    r###"w = Window.partitionBy("a").orderBy("ts").rangeBetween((-3600), 0)
df.select("a", F.avg("v").over(w).alias("avg_1h"))
"###
);

valid!(
    write_partitioned,
    r###"df.write.mode("overwrite").partitionBy("d").parquet("/tmp/x")
"###,
    r###"df.write.mode("overwrite").partitionBy("d").parquet("/tmp/x")
"###
);

valid!(
    persist_storage_level,
    r###"from pyspark import StorageLevel
df2 = df.persist(StorageLevel.MEMORY_AND_DISK)
df2.count()
df2.unpersist()
"###,
    r###"from pyspark import StorageLevel
df2 = df.persist(StorageLevel.MEMORY_AND_DISK)
df2.count()
df2.unpersist()
"###
);

valid!(
    column_boolean_ops,
    r###"df.filter((F.col("a") == 1) & (F.col("b") != "x") | ~F.col("c").isNull())
"###,
    r###"df.filter((((F.col("a") == 1) & (F.col("b") != "x")) | (~F.col("c").isNull())))
"###
);

valid!(
    sql_string_filter_and_spark_sql,
    r###"df.filter("a > 1 AND b = 'x'").where('c IS NOT NULL')
spark.sql("""
    SELECT a, count(*) AS n
    FROM t
    GROUP BY a
""").show()
"###,
    r###"df.filter("a > 1 AND b = 'x'").where("c IS NOT NULL")
spark.sql("\n    SELECT a, count(*) AS n\n    FROM t\n    GROUP BY a\n").show()
"###
);

valid!(
    join_forms,
    r###"a.join(b, ["k1", "k2"], how="left_outer")
a.join(b, a.k == b.k, "inner")
a.join(F.broadcast(b), on=(a["k"] == b["k"]) & (a.d >= b.d), how="left_semi")
a.crossJoin(b)
"###,
    r###"a.join(b, ["k1", "k2"], how="left_outer")
a.join(b, (a.k == b.k), "inner")
a.join(F.broadcast(b), on=((a["k"] == b["k"]) & (a.d >= b.d)), how="left_semi")
a.crossJoin(b)
"###
);

valid!(
    agg_dict,
    r###"df.groupBy("a").agg({"x": "sum", "y": "max"})
"###,
    r###"df.groupBy("a").agg({"x": "sum", "y": "max"})
"###
);

valid!(
    create_data_frame,
    r###"people = spark.createDataFrame([(1, "ann", 3.5), (2, "bob", None)], ["id", "name", "score"])
"###,
    r###"people = spark.createDataFrame([(1, "ann", 3.5), (2, "bob", None)], ["id", "name", "score"])
"###
);

valid!(
    spark_range,
    r###"r = spark.range(0, 1000, 1, 4)
r2 = spark.range(10)
"###,
    r###"r = spark.range(0, 1000, 1, 4)
r2 = spark.range(10)
"###
);

valid!(
    when_otherwise,
    r###"df.select(F.when(F.col("a") > 1, "big").when(F.col("a").isNull(), None).otherwise("small").alias("size"))
"###,
    r###"df.select(F.when((F.col("a") > 1), "big").when(F.col("a").isNull(), None).otherwise("small").alias("size"))
"###
);

valid!(
    union_by_name,
    r###"a.unionByName(b, allowMissingColumns=True).union(c)
"###,
    r###"a.unionByName(b, allowMissingColumns=True).union(c)
"###
);

valid!(
    pivot,
    r###"df.groupBy("year").pivot("course", ["dotnet", "java"]).sum("earnings")
"###,
    r###"df.groupBy("year").pivot("course", ["dotnet", "java"]).sum("earnings")
"###
);

valid!(
    read_options,
    r###"df = spark.read.option("header", True).options(inferSchema="true", sep=",").csv("/data/x.csv")
j = spark.read.format("json").load("/data/y")
t = spark.read.table("db.t")
"###,
    r###"df = spark.read.option("header", True).options(inferSchema="true", sep=",").csv("/data/x.csv")
j = spark.read.format("json").load("/data/y")
t = spark.read.table("db.t")
"###
);

valid!(
    partitioning_ops,
    r###"df.repartition(8).repartition("a").repartition(4, "a", F.col("b")).repartitionByRange(3, "c").coalesce(2)
df.hint("broadcast").alias("x")
"###,
    r###"df.repartition(8).repartition("a").repartition(4, "a", F.col("b")).repartitionByRange(3, "c").coalesce(2)
df.hint("broadcast").alias("x")
"###
);

valid!(
    sort_nulls,
    r###"df.orderBy(F.col("a").asc_nulls_last(), F.desc("b"), F.col("c").desc_nulls_first()).sort("d", ascending=False)
"###,
    r###"df.orderBy(F.col("a").asc_nulls_last(), F.desc("b"), F.col("c").desc_nulls_first()).sort("d", ascending=False)
"###
);

valid!(
    select_expr_and_with_columns,
    r###"df.selectExpr("a", "b * 2 AS b2").withColumns({"c": F.lit(1), "d": F.col("a") + 1}).withColumnRenamed("a", "aa")
"###,
    r###"df.selectExpr("a", "b * 2 AS b2").withColumns({"c": F.lit(1), "d": (F.col("a") + 1)}).withColumnRenamed("a", "aa")
"###
);

valid!(
    explain_and_show,
    r###"df.explain("formatted")
df.explain(mode="extended")
df.show(20, truncate=False)
df.take(3); df.first(); df.head(2); df.toPandas()
"###,
    r###"df.explain("formatted")
df.explain(mode="extended")
df.show(20, truncate=False)
df.take(3)
df.first()
df.head(2)
df.toPandas()
"###
);

valid!(
    udf_decorator_return_type,
    r###"@udf(returnType=IntegerType())
def plus_one(x):
    return x + 1

df.select(plus_one(F.col("a")))
"###,
    r###"@udf(returnType=IntegerType())
def plus_one(x):
    return x + 1
df.select(plus_one(F.col("a")))
"###
);

valid!(
    udf_f_udf_inline,
    r###"@F.udf("int")
def twice(x): return x * 2
"###,
    r###"@F.udf("int")
def twice(x): return x * 2
"###
);

valid!(
    pandas_udf_annotated,
    r###"@pandas_udf("double")
def scale(s: pd.Series) -> pd.Series:
    # a comment inside the body
    return s * 1.5
"###,
    r###"@pandas_udf("double")
def scale(s: pd.Series) -> pd.Series:
    return s * 1.5
"###
);

valid!(
    udf_from_lambda,
    r###"upper = F.udf(lambda s: s.upper() if s is not None else None, StringType())
"###,
    r###"upper = F.udf((lambda s: (s.upper() if (s is not None) else None)), StringType())
"###
);

valid!(
    rdd_bridges,
    r###"pairs = df.rdd.map(lambda r: (r[0], r.x)).toDF(["a", "b"])
"###,
    r###"pairs = df.rdd.map((lambda r: (r[0], r.x))).toDF(["a", "b"])
"###
);

valid!(
    rdd_aggregate_by_key,
    r###"rdd = sc.parallelize([("a", 1), ("b", 2), ("a", 3)], 2)
sums = rdd.aggregateByKey((0, 0), lambda acc, v: (acc[0] + v, acc[1] + 1), lambda x, y: (x[0] + y[0], x[1] + y[1]))
rdd.combineByKey(lambda v: [v], lambda c, v: c + [v], lambda a, b: a + b).mapValues(len).collect()
"###,
    r###"rdd = sc.parallelize([("a", 1), ("b", 2), ("a", 3)], 2)
sums = rdd.aggregateByKey((0, 0), (lambda acc, v: ((acc[0] + v), (acc[1] + 1))), (lambda x, y: ((x[0] + y[0]), (x[1] + y[1]))))
rdd.combineByKey((lambda v: [v]), (lambda c, v: (c + [v])), (lambda a, b: (a + b))).mapValues(len).collect()
"###
);

valid!(
    subscript_and_attribute_columns,
    r###"df.select(df["a"], df.b, df.c.alias("cc"), df["d"]["e"], F.col("arr")[0])
"###,
    r###"df.select(df["a"], df.b, df.c.alias("cc"), df["d"]["e"], F.col("arr")[0])
"###
);

valid!(
    comments_blank_lines_trailing_commas,
    r###"# leading comment

x = spark.table("t")  # trailing comment


y = x.select(
    "a",  # first
    "b",
)
"###,
    r###"x = spark.table("t")
y = x.select("a", "b")
"###
);

valid!(
    string_kinds,
    r###"a = r'\d+'
b = '''tri'''
c = "dq" 'sq' """tdq"""
d = ("implicit "
     "concatenation")
e = u'uni'
f = '\t\u00e9'
"###,
    r###"a = "\\d+"
b = "tri"
c = "dqsqtdq"
d = "implicit concatenation"
e = "uni"
f = "\té"
"###
);

valid!(
    numbers,
    r###"xs = [0, 42, -7, 3.14, 1e6, .5, 0x1F, 1_000_000, 2.5e-3]
"###,
    r###"xs = [0, 42, (-7), 3.14, 1000000.0, 0.5, 31, 1000000, 0.0025]
"###
);

valid!(
    conditional_membership_identity,
    r###"n = 10 if big else 2
x = "a" in cols
y = z is None
w = v is not None and not done or "k" not in d
"###,
    r###"n = (10 if big else 2)
x = ("a" in cols)
y = (z is None)
w = (((v is not None) and (not done)) or ("k" not in d))
"###
);

valid!(
    lambda_conditional,
    r###"rdd.reduceByKey(lambda a, b: a if a > b else b)
"###,
    r###"rdd.reduceByKey((lambda a, b: (a if (a > b) else b)))
"###
);

valid!(
    write_bucket_save_as_table,
    r###"df.write.format("parquet").option("compression", "snappy").bucketBy(8, "k").sortBy("k").saveAsTable("t")
df.write.csv("/out", header=True, mode="append")
df.write.json("/out/j")
df.write.save("/out/s")
"###,
    r###"df.write.format("parquet").option("compression", "snappy").bucketBy(8, "k").sortBy("k").saveAsTable("t")
df.write.csv("/out", header=True, mode="append")
df.write.json("/out/j")
df.write.save("/out/s")
"###
);

valid!(
    rdd_text_files_debug_string,
    r###"lines = sc.wholeTextFiles("/logs")
print(lines.keyBy(lambda kv: kv[0]).groupByKey().sortByKey().toDebugString())
lines.saveAsTextFile("/tmp/out")
"###,
    r###"lines = sc.wholeTextFiles("/logs")
print(lines.keyBy((lambda kv: kv[0])).groupByKey().sortByKey().toDebugString())
lines.saveAsTextFile("/tmp/out")
"###
);

valid!(
    string_format_method,
    r###"spark.sql("SELECT * FROM {} WHERE d = '{}'".format(t, day)).count()
"###,
    r###"spark.sql("SELECT * FROM {} WHERE d = '{}'".format(t, day)).count()
"###
);

valid!(
    set_operations,
    r###"a.intersect(b).subtract(c).exceptAll(d).distinct().dropDuplicates(["x"]).limit(10)
"###,
    r###"a.intersect(b).subtract(c).exceptAll(d).distinct().dropDuplicates(["x"]).limit(10)
"###
);

valid!(
    checkpoint_and_cache,
    r###"sc.setCheckpointDir("/tmp/cp")
df.cache().checkpoint()
"###,
    r###"sc.setCheckpointDir("/tmp/cp")
df.cache().checkpoint()
"###
);

valid!(
    column_methods,
    r###"df.filter(F.col("a").isin(1, 2, 3) & F.col("b").between(0, 10) & F.col("c").like("x%") & F.col("d").cast("int").isNotNull())
"###,
    r###"df.filter((((F.col("a").isin(1, 2, 3) & F.col("b").between(0, 10)) & F.col("c").like("x%")) & F.col("d").cast("int").isNotNull()))
"###
);

valid!(
    posexplode_and_expr,
    r###"df.select("id", F.posexplode("arr")).withColumn("e", F.expr("a + 1"))
"###,
    r###"df.select("id", F.posexplode("arr")).withColumn("e", F.expr("a + 1"))
"###
);

valid!(
    crlf_and_unicode,
    "x = spark.table(\"prénom\")\r\ny = x.select(\"名前\")\r\n",
    r###"x = spark.table("prénom")
y = x.select("名前")
"###
);

valid!(
    foreach_and_collect_list,
    r###"df.foreach(lambda row: None)
df.groupBy("k").agg(F.collect_list("v"), F.countDistinct("w"), F.max(F.length("s")))
"###,
    r###"df.foreach((lambda row: None))
df.groupBy("k").agg(F.collect_list("v"), F.countDistinct("w"), F.max(F.length("s")))
"###
);

valid!(
    slices,
    r###"rdd.map(lambda s: s[1:3]).map(lambda s: s[::-1]).map(lambda s: s[:])
"###,
    r###"rdd.map((lambda s: s[1:3])).map((lambda s: s[::(-1)])).map((lambda s: s[:]))
"###
);

valid!(
    power_and_unary,
    r###"x = -2 ** 2
y = (-2) ** 2
z = 2 ** -1
q = 7 // 2 % 3
"###,
    r###"x = (-(2 ** 2))
y = ((-2) ** 2)
z = (2 ** (-1))
q = ((7 // 2) % 3)
"###
);

// ---------------------------------------------------------------- AST shape in detail

#[test]
fn word_count_shape_and_spans() {
    let src = r#"sc.textFile("x").flatMap(lambda l: l.split(" ")).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b).collect()"#;
    let p = parse_ok(src);
    let e = expr_of(&p, 0);
    assert_eq!(chain(e), ["textFile", "flatMap", "map", "reduceByKey", "collect"]);
    let ExprKind::Call { func, .. } = &e.kind else { panic!() };
    let ExprKind::Attribute { value: reduce, .. } = &func.kind else { panic!() };
    let lambda = &call_args(reduce)[0];
    let ExprKind::Lambda { params, body, body_text } = &lambda.kind else { panic!("{lambda:?}") };
    let names: Vec<_> = params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(body_text, "a + b");
    assert_eq!(body.to_string(), "(a + b)");
    assert_eq!((lambda.span.start.line, lambda.span.start.col, lambda.span.end.col), (1, 84, 102));
    assert_eq!((e.span.start.col, e.span.end.col), (1, 113));
}

#[test]
fn salting_comprehension_shape() {
    let p = parse_ok("s = F.explode(F.array([F.lit(i) for i in range(10) if i % 2 == 0]))");
    let arr = &call_args(&call_args(expr_of(&p, 0))[0])[0];
    let ExprKind::ListComp { elt, targets, iter, conds } = &arr.kind else { panic!("{arr:?}") };
    assert_eq!(elt.to_string(), "F.lit(i)");
    assert_eq!(targets[0].name, "i");
    assert_eq!(iter.to_string(), "range(10)");
    assert_eq!(conds[0].to_string(), "((i % 2) == 0)");
    assert_eq!((arr.span.start.col, arr.span.end.col), (23, 66));
}

#[test]
fn column_boolean_precedence_is_pythons() {
    // `&` binds tighter than `==`: unparenthesised, this is a chained comparison, as in Python.
    let p = parse_ok("df.filter(F.col('a') == 1 & F.col('b') == 2)");
    let cond = &call_args(expr_of(&p, 0))[0];
    let ExprKind::Compare { ops, .. } = &cond.kind else { panic!("{cond:?}") };
    assert_eq!(ops.len(), 2);
    assert_eq!(ops[0].1.to_string(), "(1 & F.col(\"b\"))");
}

#[test]
fn udf_definitions_keep_kind_signature_and_opaque_body() {
    let p = parse_ok(
        "@pandas_udf(returnType='double')\ndef f(s: pd.Series) -> pd.Series:\n    t = s + 1\n    return t * 2\n\
         \n@F.udf(StringType())\ndef g(x): return x.upper()\n",
    );
    let StmtKind::Udf(f) = &p.stmts[0].kind else { panic!() };
    assert_eq!(f.kind, UdfKind::PandasUdf);
    assert_eq!(f.decorator.to_string(), "pandas_udf(returnType=\"double\")");
    assert_eq!(f.params[0].annotation.as_ref().map(|a| a.to_string()).as_deref(), Some("pd.Series"));
    assert_eq!(f.returns.as_ref().map(|a| a.to_string()).as_deref(), Some("pd.Series"));
    assert_eq!(f.body, "t = s + 1\n    return t * 2");
    assert_eq!(
        (f.body_span.start.line, f.body_span.start.col, f.body_span.end.line, f.body_span.end.col),
        (3, 5, 4, 17)
    );
    let StmtKind::Udf(g) = &p.stmts[1].kind else { panic!() };
    assert_eq!((g.kind, g.name.name.as_str(), g.body.as_str()), (UdfKind::Udf, "g", "return x.upper()"));
    assert_eq!(p.stmts[1].span.start.line, 6);
}

#[test]
fn imports_bind_aliases_for_the_lowering() {
    let p = parse_ok(
        "from pyspark.sql import functions as F, SparkSession\nfrom pyspark.sql.window import Window\n\
         from pyspark.sql.types import *\nfrom pyspark import StorageLevel\nimport pyspark.sql.functions as sf\n",
    );
    let im = p.imports();
    assert_eq!(im.names["F"], "pyspark.sql.functions");
    assert_eq!(im.names["sf"], "pyspark.sql.functions");
    assert_eq!(im.names["SparkSession"], "pyspark.sql.SparkSession");
    assert_eq!(im.names["Window"], "pyspark.sql.window.Window");
    assert_eq!(im.names["StorageLevel"], "pyspark.StorageLevel");
    assert_eq!(im.star_modules, ["pyspark.sql.types"]);
}

#[test]
fn window_spec_and_spans_of_names() {
    let src =
        "w = (Window.partitionBy(\"a\")\n     .orderBy(F.col(\"b\").desc())\n     .rowsBetween(-1, Window.currentRow))";
    let p = parse_ok(src);
    let e = expr_of(&p, 0);
    assert_eq!(chain(e), ["partitionBy", "orderBy", "rowsBetween"]);
    let args = call_args(e);
    assert_eq!(args[0].to_string(), "(-1)");
    assert_eq!(args[1].dotted_path().as_deref(), Some("Window.currentRow"));
    assert_eq!((args[1].span.start.line, args[1].span.start.col), (3, 23));
    assert_eq!((p.stmts[0].span.start.line, p.stmts[0].span.end.line, p.stmts[0].span.end.col), (1, 3, 42));
}

#[test]
fn backslash_and_paren_continuations_give_one_statement() {
    let a = parse_ok("df = spark.table('t') \\\n    .filter('a > 1') \\\n    .count()");
    let b = parse_ok("df = (spark.table('t')\n    .filter('a > 1')\n    .count())");
    assert_eq!(a.stmts.len(), 1);
    assert_eq!(a.to_string(), b.to_string());
}

// ---------------------------------------------------------------- the fidelity corpus

#[test]
fn every_corpus_pyspark_snippet_parses() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fidelity/scenarios");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("no corpus at {}: skipped (the snippets are also inlined above)", dir.display());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut parsed = 0;
    for path in paths.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
        let text = std::fs::read_to_string(path).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        if v["query"]["lang"] != "pyspark" {
            continue;
        }
        let src = v["query"]["text"].as_str().unwrap();
        if let Err(d) = parse_program(src) {
            panic!("{}: {d}", path.display());
        }
        canon(src);
        parsed += 1;
    }
    assert!(parsed > 0, "no pyspark scenario found in {}", dir.display());
}

// ---------------------------------------------------------------- limits

#[test]
fn nesting_at_the_limit_parses_and_one_more_is_a_diagnostic() {
    let n = MAX_DEPTH as usize;
    // Each shape reaches MAX_DEPTH levels (or just under); the test thread's default 2 MiB stack must hold it.
    let calls = format!("x = {}1{}", "f(".repeat(n - 1), ")".repeat(n - 1));
    let lists = format!("x = {}1{}", "[(".repeat(n / 2 - 1), ")]".repeat(n / 2 - 1));
    let dicts = format!("x = {}1{}", "{1: x[".repeat(n / 2 - 1), "]}".repeat(n / 2 - 1));
    let unary = format!("x = {}1", "-".repeat(n - 1));
    let nots = format!("x = {}a", "not ".repeat(n - 1));
    let power = format!("x = {}1", "2 ** ".repeat(n - 1));
    let ternary = format!("x = {}c", "a if b else ".repeat(n - 1));
    let lambdas = format!("f = {}0", "lambda: ".repeat(n - 1));
    // 11 levels per repeat: the test, the rhs of or/and/|/^/&/<</+/*, `not`, and the unary minus.
    let ops = format!("x = {}1{}", "a or b and not c | d ^ e & f << g + h * -(".repeat(n / 11), ")".repeat(n / 11));
    for src in [&calls, &lists, &dicts, &unary, &nots, &power, &ternary, &lambdas, &ops] {
        parse_ok(src);
    }
    let (l, c, m) = err(&format!("x = {}1{}", "f(".repeat(n), ")".repeat(n)));
    assert_eq!((l, c), (1, 5 + 2 * n as u32));
    assert!(m.contains("nested too deeply"), "{m}");
    assert!(err(&format!("x = {}c", "a if b else ".repeat(n))).2.contains("nested too deeply"));
    assert!(err(&format!("f = {}0", "lambda: ".repeat(n))).2.contains("nested too deeply"));
}

// ---------------------------------------------------------------- malformed snippets

invalid!(unterminated_string, r#"df.filter("a > 1)"#, 1, 11, "unterminated string literal");
invalid!(
    unterminated_triple_quoted_string,
    "x = 1\nspark.sql(\"\"\"SELECT 1\n  FROM t\n",
    2,
    11,
    "unterminated triple-quoted string literal"
);
invalid!(unterminated_string_before_close_paren, "spark.table('orders\n)", 1, 13, "unterminated string literal");
invalid!(unclosed_paren, "(spark.table(\"t\")\n  .count()\n", 1, 1, "'(' was never closed");
invalid!(unclosed_list, "x = [1, 2\ny = 3", 1, 5, "'[' was never closed");
invalid!(unmatched_close_paren, "df.count())", 1, 11, "unmatched ')'");
invalid!(
    mismatched_brackets,
    "F.array([1, 2)",
    1,
    14,
    "closing bracket ')' does not match opening bracket '[' on line 1"
);
invalid!(unexpected_indent, "x = 1\n    y = 2", 2, 5, "unexpected indent");
invalid!(tab_indented_statement, "\tx = 1", 1, 2, "unexpected indent");
invalid!(
    unindent_mismatch,
    "@udf\ndef f(x):\n        a = 1\n    return a",
    4,
    5,
    "unindent does not match any outer indentation level"
);
invalid!(
    tabs_and_spaces_mixed,
    "@udf\ndef f(x):\n    y = x\n\treturn y",
    4,
    2,
    "inconsistent use of tabs and spaces in indentation"
);
invalid!(
    def_without_udf_decorator,
    "def f(x):\n    return x + 1",
    1,
    1,
    "function definitions are only supported as UDFs"
);
invalid!(decorator_not_a_udf, "@staticmethod\ndef f(x): return x", 1, 2, "decorator '@staticmethod' is not supported");
invalid!(decorator_without_def, "@udf\nx = 1", 2, 1, "expected 'def' after the decorator, found name 'x'");
invalid!(stacked_decorators, "@udf\n@udf\ndef f(x): return x", 2, 1, "stacked decorators are not supported");
invalid!(
    udf_without_body,
    "@udf\ndef f(x):",
    2,
    10,
    "expected an indented block after the function definition on line 2"
);
invalid!(udf_star_parameters, "@udf\ndef f(*xs): return 1", 2, 7, "'*', '**' and '/' parameters are not supported");
invalid!(async_def, "async def f(): pass", 1, 1, "'async' code is not supported");
invalid!(while_loop, "while True:\n    df.count()", 1, 1, "'while' loops are not supported");
invalid!(for_loop, "for t in [\"a\", \"b\"]:\n    spark.table(t).count()", 1, 1, "'for' loops are not supported");
invalid!(if_statement, "if x:\n    df.show()", 1, 1, "'if' statements are not supported");
invalid!(class_definition, "class Job:\n    pass", 1, 1, "class definitions are not supported");
invalid!(
    try_statement,
    "try:\n    df.count()\nexcept Exception:\n    pass",
    1,
    1,
    "'try' statements are not supported"
);
invalid!(with_statement, "with open(\"f\") as fh:\n    pass", 1, 1, "'with' statements are not supported");
invalid!(return_outside_udf, "return df", 1, 1, "'return' outside a UDF definition is not supported");
invalid!(del_statement, "x = 1\ndel x", 2, 1, "'del' statements are not supported");
invalid!(pass_after_semicolon, "x = 1; pass", 1, 8, "'pass' statements are not supported");
invalid!(f_string, r#"spark.table(f"db.{t}")"#, 1, 13, "f-strings are not supported");
invalid!(f_string_concatenated, r#"spark.sql("SELECT " f"{c}")"#, 1, 21, "f-strings are not supported");
invalid!(bytes_literal, r#"spark.table(b"t")"#, 1, 13, "bytes literals (b'...') are not supported");
invalid!(
    tuple_assignment,
    "train, test = df.randomSplit([0.8, 0.2])",
    1,
    1,
    "tuple assignment ('a, b = ...') is not supported"
);
invalid!(chained_assignment, "a = b = spark.table(\"t\")", 1, 7, "chained assignment");
invalid!(attribute_assignment, "df.x = 1", 1, 1, "assignment to an attribute");
invalid!(augmented_assignment, "n += 1", 1, 3, "augmented assignment '+=' is not supported");
invalid!(walrus, "df.filter((n := 3) > 1)", 1, 14, "assignment expressions (':=') are not supported");
invalid!(stray_operator_before_paren, r#"df.filter(F.col("a") > )"#, 1, 24, "expected an expression, found ')'");
invalid!(stray_operator_at_end, "df.count() +", 1, 13, "expected an expression, found end of line");
invalid!(stray_star_at_start, "* df.count()", 1, 1, "star unpacking ('*x') is not supported");
invalid!(sql_not_equal_operator, r#"df.filter(F.col("a") <> 1)"#, 1, 23, "expected an expression, found '>'");
invalid!(bang_operator, "df.filter(!x)", 1, 11, "invalid syntax: '!'");
invalid!(double_dot, "df..count()", 1, 4, "expected an attribute name after '.', found '.'");
invalid!(
    keyword_as_attribute,
    "df.filter(x).lambda",
    1,
    14,
    "expected an attribute name after '.', found keyword 'lambda'"
);
invalid!(
    missing_comma_between_arguments,
    r#"F.concat_ws("_" F.col("k"))"#,
    1,
    17,
    "expected ')' to close the call's arguments, found name 'F'"
);
invalid!(print_statement_python2, "print \"hi\"", 1, 7, "expected end of statement, found a string literal");
invalid!(missing_else, "x = 1 if y", 1, 11, "expected 'else' in conditional expression, found end of line");
invalid!(star_args_in_call, "df.select(*cols)", 1, 11, "'*args' unpacking in a call is not supported");
invalid!(kwargs_in_call, "df.write.options(**opts)", 1, 18, "'**kwargs' unpacking in a call is not supported");
invalid!(
    keyword_argument_repeated,
    r#"a.join(b, "k", how="left", how="inner")"#,
    1,
    28,
    "keyword argument repeated: how"
);
invalid!(positional_after_keyword, "df.show(n=5, False)", 1, 14, "positional argument follows keyword argument");
invalid!(
    lambda_default_value,
    "rdd.map(lambda x=1: x)",
    1,
    17,
    "default values for lambda parameters are not supported"
);
invalid!(lambda_star_parameter, "rdd.map(lambda *a: a)", 1, 16, "'*' and '**' lambda parameters are not supported");
invalid!(set_literal, r#"df.select({"a", "b"})"#, 1, 11, "set literals ({a, b}) are not supported");
invalid!(dict_comprehension, "{k: 1 for k in ks}", 1, 7, "dict comprehensions are not supported");
invalid!(generator_expression, "F.array(F.lit(i) for i in range(3))", 1, 18, "generator expressions are not supported");
invalid!(
    nested_comprehension,
    "[a for x in y for a in x]",
    1,
    15,
    "nested 'for' clauses in a list comprehension are not supported"
);
invalid!(yield_expression, "x = lambda: (yield)", 1, 14, "'yield' expressions are not supported");
invalid!(ellipsis, "f(...)", 1, 3, "Ellipsis ('...') is not supported");
invalid!(complex_literal, "F.lit(2j)", 1, 7, "complex number literals ('1j') are not supported");
invalid!(relative_import, "from . import x", 1, 6, "relative imports");
invalid!(import_without_names, "from pyspark.sql import", 1, 24, "expected a name to import, found end of line");
invalid!(
    unknown_escape,
    r#"F.regexp_extract("s", "\d+", 0)"#,
    1,
    24,
    r"invalid escape sequence '\d' in string literal"
);
invalid!(truncated_unicode_escape, r#"F.lit("\u12")"#, 1, 8, r"truncated \u escape");
invalid!(invalid_character, "df.count() $", 1, 12, "invalid character '$' (U+0024)");
invalid!(text_after_line_continuation, "x = 1 \\ + 2", 1, 7, "unexpected character after line continuation character");
invalid!(
    line_continuation_at_end_of_input,
    "x = 1 \\",
    1,
    7,
    "unexpected end of input after line continuation character"
);
invalid!(integer_too_large, "spark.range(99999999999999999999)", 1, 13, "integer literal is too large");
invalid!(leading_zero_integer, "spark.range(007)", 1, 13, "leading zeros in decimal integer literals");
invalid!(bad_hex_literal, "x = 0xZZ", 1, 5, "invalid number literal");
invalid!(
    too_many_nested_brackets,
    format!("x = {}1{}", "(".repeat(250), ")".repeat(250)),
    1,
    105,
    "too many nested brackets (the limit is 100)"
);
invalid!(
    too_deeply_nested_unary,
    format!("x = {}1", "-".repeat(300)),
    1,
    104,
    "expression is nested too deeply (the limit is 100 levels)"
);
invalid!(
    too_deeply_nested_calls,
    format!("x = {}1{}", "f(".repeat(100), ")".repeat(100)),
    1,
    205,
    "expression is nested too deeply"
);
invalid!(
    too_deeply_nested_comprehensions,
    format!("x = {}y{}", "[a for a in ".repeat(100), "]".repeat(100)),
    1,
    1194,
    "expression is nested too deeply"
);
invalid!(
    huge_input,
    "x = 1\n".repeat(40_000),
    1,
    1,
    "input is too large: 240000 bytes (the limit for a PySpark snippet is 204800 bytes)"
);

// ---------------------------------------------------------------- garbage never panics

/// Numerical Recipes' 32-bit LCG: deterministic, no dependency.
struct Lcg(u32);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (self.0 >> 8) as usize % n
    }
}

const SOUP: &[&str] = &[
    "df",
    "F",
    "spark",
    ".",
    "col",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    "&",
    "|",
    "^",
    "~",
    "-",
    "+",
    "*",
    "**",
    "/",
    "//",
    "%",
    "@",
    ":=",
    "lambda",
    "x",
    "y",
    "if",
    "else",
    "for",
    "in",
    "not",
    "and",
    "or",
    "is",
    "None",
    "True",
    "'s'",
    "\"t\"",
    "'''u",
    "\"\"\"v\"\"\"",
    "r'\\d'",
    "f'{x}'",
    "b'y'",
    "'\\q'",
    "'\\x4'",
    "1",
    "2.5",
    "0x1f",
    "1e9",
    "007",
    "3j",
    "...",
    "\\\n",
    "\\",
    "\n",
    "\n    ",
    "\n\t",
    "    ",
    "\t",
    "#c\n",
    "@udf\n",
    "@F.udf('int')\n",
    "def",
    "f",
    "return",
    "import",
    "from",
    "as",
    "class",
    "while",
    ";",
    "é",
    "$",
    "!",
    " ",
    " ",
    " ",
    "\r\n",
];

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Lcg(0x5eed_1234);
    let (mut ok, mut bad) = (0, 0);
    for _ in 0..2000 {
        let len = 1 + rng.next(40);
        let mut src = String::new();
        for _ in 0..len {
            src.push_str(SOUP[rng.next(SOUP.len())]);
            if rng.next(3) == 0 {
                src.push(' ');
            }
        }
        match parse_program(&src) {
            Ok(p) => {
                ok += 1;
                let text = p.to_string();
                let again = parse_program(&text).unwrap_or_else(|d| panic!("re-parse: {d}\n{src:?}\n{text}"));
                assert_eq!(again.to_string(), text, "from {src:?}");
            }
            Err(d) => {
                bad += 1;
                let lines = src.replace("\r\n", "\n").split('\n').count() as u32;
                assert!(d.span.start.line >= 1 && d.span.start.col >= 1, "{d} from {src:?}");
                assert!(d.span.start.line <= lines + 1, "{d} past the end of {src:?}");
                assert!(!d.message.is_empty());
            }
        }
    }
    assert!(ok > 20 && bad > 1000, "the soup should hit both outcomes: {ok} parsed, {bad} refused");
}

#[test]
fn structured_garbage_never_panics() {
    // Valid snippets cut at every char boundary, and with one token-sized splice, must never panic.
    let base = "w = Window.partitionBy('k').orderBy(F.col('t').desc())\n@udf('int')\ndef f(x):\n    return x\n\
                r = sc.textFile(\"x\").flatMap(lambda l: l.split(\" \")).map(lambda w: (w, 1)).collect()\n";
    for (i, _) in base.char_indices() {
        let _ = parse_program(&base[..i]);
        let _ = parse_program(&base[i..]);
        for splice in ["(", ")", "'", "\"\"\"", "\\", "\n  ", "lambda", ":", ","] {
            let _ = parse_program(&format!("{}{splice}{}", &base[..i], &base[i..]));
        }
    }
}
