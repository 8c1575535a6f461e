#!/usr/bin/env python3
"""Writes the fuzz seed corpora, fuzz/seeds/<target>/, from the repository's examples:
the fidelity corpus scenarios (../shared/fidelity/scenarios: SQL and PySpark queries, shrunk scenario JSON),
the TPC-H catalog DDL (assets/catalogs/tpch.sql), the DDL examples of docs/catalog-ddl.md, and a few
hand-written inputs. Re-run after adding examples: python3 fuzz/make_seeds.py. Seeds are small on purpose."""
import glob, hashlib, json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
out = os.path.join(root, "fuzz", "seeds")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)


scenarios = sorted(glob.glob(os.path.join(root, "..", "shared", "fidelity", "scenarios", "*__aqe_on.json")))
for path in scenarios:
    s = json.load(open(path))
    q = s["query"]
    put("sql" if q.get("lang", "sql") == "sql" else "pyspark", q["text"])
    for st in q.get("setup_sql", []):
        put("sql", st)
    # Shrunk scenario: the tables the query names, without file layouts and hot-value lists.
    text = q["text"].lower()
    tables = []
    for t in s.get("tables", []):
        if t["name"].lower() not in text:
            continue
        t = dict(t)
        t.pop("files", None)
        t["columns"] = [{"name": c["name"], "type": c["type"], "distinct": c.get("distinct", 0)} for c in t["columns"]]
        tables.append(t)
    s["tables"] = tables
    put("scenario_json", json.dumps(s, separators=(",", ":")))

tpch = open(os.path.join(root, "assets", "catalogs", "tpch.sql")).read()
for stmt in tpch.split(";"):
    if "CREATE TABLE" in stmt:
        put("ddl", stmt.strip() + ";\n")
doc = open(os.path.join(root, "docs", "catalog-ddl.md")).read()
for block in re.findall(r"```sql\n(.*?)```", doc, re.S):
    put("ddl", block)
put("ddl", "SET spark.sql.shuffle.partitions=8;\nCACHE LAZY TABLE t AS SELECT 1;\nUNCACHE TABLE IF EXISTS t;\n")

for q in [
    "SELECT 1",
    "WITH a AS (SELECT customer_id FROM customers) SELECT * FROM a JOIN a b USING (customer_id)",
    "SELECT segment, rank() OVER (PARTITION BY segment ORDER BY credit_limit DESC) FROM customers",
    "SELECT * FROM orders o LEFT ANTI JOIN customers c ON o.customer_id = c.customer_id WHERE o.status <> 'x' ORDER BY 1 LIMIT 5",
    "SELECT country_id, count(DISTINCT segment) FROM customers GROUP BY ROLLUP(country_id) HAVING count(*) > 1",
    "SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(x, y) LATERAL VIEW explode(array(x, x)) e AS z",
]:
    put("sql", q)
for p in [
    'df = spark.table("orders")\ndf.groupBy("status").count().show()\n',
    'from pyspark.sql import functions as F\nc = spark.table("customers")\nc.join(spark.table("orders"), "customer_id").agg(F.sum("total_amount")).collect()\n',
    'rdd = spark.sparkContext.parallelize(range(100), 4)\nrdd.map(lambda x: (x % 3, x)).reduceByKey(lambda a, b: a + b).collect()\n',
]:
    put("pyspark", p)
# The pipeline target reads bytes as choices (tests/support/scenario_gen.rs).
for i, b in enumerate([b"", bytes(range(64)), bytes([255] * 64), bytes([7] * 100), bytes((i * 37) % 256 for i in range(160))]):
    put("pipeline", b)
n = sum(len(fs) for _, _, fs in os.walk(out))
print(f"{n} seed files under {os.path.relpath(out, root)} ({len(scenarios)} corpus scenarios read)", file=sys.stderr)


# The share target: byte 0 picks the mode (even: a link through share::decode; odd: payload text through
# share::decode_payload). Links are built here with a literals-only LZ4 block (valid LZ4, no matches).
def lz4_literals(raw):
    n = len(raw)
    out = bytearray(n.to_bytes(4, "little"))
    if n >= 15:
        out.append(0xF0)
        rest = n - 15
        while rest >= 255:
            out.append(255)
            rest -= 255
        out.append(rest)
    else:
        out.append(n << 4)
    return bytes(out + raw)


def b64url(data):
    import base64
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def share_payload(query, tab="timeline", knobs=()):
    head = ["stagecraft-share v1", "tab=" + tab, "tables=retail.orders,retail.customers", "seed=7"]
    head += [f"knob.{k}={v}" for k, v in knobs]
    body = query
    return "\n".join(head) + f"\n--- query {len(body)}\n{body}\n"


for q, tab, knobs in [
    ("SELECT status, count(*) FROM orders GROUP BY status", "plans", ()),
    ("SELECT * FROM orders o JOIN customers c ON o.customer_id = c.customer_id", "timeline", [("aqe", "off")]),
    ("", "stages", ()),
]:
    p = share_payload(q, tab, knobs)
    put("share", b"\x01" + p.encode())
    put("share", b"\x00" + ("https://example.org/stagecraft/#1." + b64url(lz4_literals(p.encode()))).encode())
for junk in ["#1.", "#2.AAAA", "1.////", "#1.AAAAAA", "not a link", "#1." + "A" * 200]:
    put("share", b"\x00" + junk.encode())
