-- TPC-H at scale factor 1 (~340 MB of Parquet), written as Stagecraft catalog DDL (docs/catalog-ddl.md).
-- Row counts are the TPC-H spec's. Types: keys bigint, money and quantities decimal(15,2), text string.
-- Sizes assume Spark-written snappy Parquet at these bytes per row: lineitem 37, orders 40, partsupp 48,
-- part 33, customer 80, supplier 80, nation 88, region 220 (tiny files are mostly footer).
-- Distinct counts: exact where the spec fixes the domain (keys, flags, dates); otherwise the values observed
-- in dbgen's SF1 data (approximate). Top values: the spec's distributions (approximate fractions).
-- Nothing is ANALYZEd: the optimizer sees sizes only, as in the fidelity corpus.

CREATE TABLE region (
  r_regionkey bigint NOT NULL,
  r_name string,
  r_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '1100',
  'stagecraft.rows' = '5',
  'stagecraft.column.r_regionkey.distinct' = '5',
  'stagecraft.column.r_name.distinct' = '5',
  'stagecraft.column.r_comment.distinct' = '5'
);

CREATE TABLE nation (
  n_nationkey bigint NOT NULL,
  n_name string,
  n_regionkey bigint,
  n_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '2200',
  'stagecraft.rows' = '25',
  'stagecraft.column.n_nationkey.distinct' = '25',
  'stagecraft.column.n_name.distinct' = '25',
  'stagecraft.column.n_regionkey.distinct' = '5',
  'stagecraft.column.n_regionkey.top' = '0:0.2,1:0.2,2:0.2,3:0.2,4:0.2',
  'stagecraft.column.n_comment.distinct' = '25'
);

CREATE TABLE supplier (
  s_suppkey bigint NOT NULL,
  s_name string,
  s_address string,
  s_nationkey bigint,
  s_phone string,
  s_acctbal decimal(15,2),
  s_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '800000',
  'stagecraft.rows' = '10000',
  'stagecraft.column.s_suppkey.distinct' = '10000',
  'stagecraft.column.s_name.distinct' = '10000',
  'stagecraft.column.s_address.distinct' = '10000',
  'stagecraft.column.s_nationkey.distinct' = '25',
  'stagecraft.column.s_phone.distinct' = '10000',
  'stagecraft.column.s_acctbal.distinct' = '9955',
  'stagecraft.column.s_comment.distinct' = '10000'
);

CREATE TABLE customer (
  c_custkey bigint NOT NULL,
  c_name string,
  c_address string,
  c_nationkey bigint,
  c_phone string,
  c_acctbal decimal(15,2),
  c_mktsegment string,
  c_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '12000000',
  'stagecraft.rows' = '150000',
  'stagecraft.column.c_custkey.distinct' = '150000',
  'stagecraft.column.c_name.distinct' = '150000',
  'stagecraft.column.c_address.distinct' = '150000',
  'stagecraft.column.c_nationkey.distinct' = '25',
  'stagecraft.column.c_phone.distinct' = '150000',
  'stagecraft.column.c_acctbal.distinct' = '140187',
  'stagecraft.column.c_mktsegment.distinct' = '5',
  'stagecraft.column.c_mktsegment.top' = 'BUILDING:0.2009,AUTOMOBILE:0.2,MACHINERY:0.1997,HOUSEHOLD:0.1997,FURNITURE:0.1997',
  'stagecraft.column.c_comment.distinct' = '149968'
);

CREATE TABLE part (
  p_partkey bigint NOT NULL,
  p_name string,
  p_mfgr string,
  p_brand string,
  p_type string,
  p_size int,
  p_container string,
  p_retailprice decimal(15,2),
  p_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '6600000',
  'stagecraft.rows' = '200000',
  'stagecraft.column.p_partkey.distinct' = '200000',
  'stagecraft.column.p_name.distinct' = '199997',
  'stagecraft.column.p_mfgr.distinct' = '5',
  'stagecraft.column.p_mfgr.top' = 'Manufacturer#1:0.2,Manufacturer#2:0.2,Manufacturer#3:0.2,Manufacturer#4:0.2,Manufacturer#5:0.2',
  'stagecraft.column.p_brand.distinct' = '25',
  'stagecraft.column.p_type.distinct' = '150',
  'stagecraft.column.p_size.distinct' = '50',
  'stagecraft.column.p_container.distinct' = '40',
  'stagecraft.column.p_retailprice.distinct' = '20899',
  'stagecraft.column.p_comment.distinct' = '131753'
);

CREATE TABLE partsupp (
  ps_partkey bigint NOT NULL,
  ps_suppkey bigint NOT NULL,
  ps_availqty int,
  ps_supplycost decimal(15,2),
  ps_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '38400000',
  'stagecraft.rows' = '800000',
  'stagecraft.files' = '2',
  'stagecraft.column.ps_partkey.distinct' = '200000',
  'stagecraft.column.ps_suppkey.distinct' = '10000',
  'stagecraft.column.ps_availqty.distinct' = '9999',
  'stagecraft.column.ps_supplycost.distinct' = '99865',
  'stagecraft.column.ps_comment.distinct' = '799124'
);

CREATE TABLE orders (
  o_orderkey bigint NOT NULL,
  o_custkey bigint,
  o_orderstatus string,
  o_totalprice decimal(15,2),
  o_orderdate date,
  o_orderpriority string,
  o_clerk string,
  o_shippriority int,
  o_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '60000000',
  'stagecraft.rows' = '1500000',
  'stagecraft.files' = '4',
  'stagecraft.column.o_orderkey.distinct' = '1500000',
  'stagecraft.column.o_custkey.distinct' = '99996',
  'stagecraft.column.o_orderstatus.distinct' = '3',
  'stagecraft.column.o_orderstatus.top' = 'O:0.488,F:0.4863,P:0.0257',
  'stagecraft.column.o_totalprice.distinct' = '1464556',
  'stagecraft.column.o_orderdate.distinct' = '2406',
  'stagecraft.column.o_orderpriority.distinct' = '5',
  'stagecraft.column.o_orderpriority.top' = '1-URGENT:0.2,2-HIGH:0.2,3-MEDIUM:0.2,4-NOT SPECIFIED:0.2,5-LOW:0.2',
  'stagecraft.column.o_clerk.distinct' = '1000',
  'stagecraft.column.o_shippriority.distinct' = '1',
  'stagecraft.column.o_shippriority.top' = '0:1',
  'stagecraft.column.o_comment.distinct' = '1482071'
);

CREATE TABLE lineitem (
  l_orderkey bigint NOT NULL,
  l_partkey bigint,
  l_suppkey bigint,
  l_linenumber int,
  l_quantity decimal(15,2),
  l_extendedprice decimal(15,2),
  l_discount decimal(15,2),
  l_tax decimal(15,2),
  l_returnflag string,
  l_linestatus string,
  l_shipdate date,
  l_commitdate date,
  l_receiptdate date,
  l_shipinstruct string,
  l_shipmode string,
  l_comment string
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '222044955',
  'stagecraft.rows' = '6001215',
  'stagecraft.files' = '8',
  'stagecraft.column.l_orderkey.distinct' = '1500000',
  'stagecraft.column.l_partkey.distinct' = '200000',
  'stagecraft.column.l_suppkey.distinct' = '10000',
  'stagecraft.column.l_linenumber.distinct' = '7',
  'stagecraft.column.l_linenumber.top' = '1:0.25,2:0.2143,3:0.1786,4:0.1429,5:0.1071,6:0.0714,7:0.0357',
  'stagecraft.column.l_quantity.distinct' = '50',
  'stagecraft.column.l_extendedprice.distinct' = '933900',
  'stagecraft.column.l_discount.distinct' = '11',
  'stagecraft.column.l_tax.distinct' = '9',
  'stagecraft.column.l_returnflag.distinct' = '3',
  'stagecraft.column.l_returnflag.top' = 'N:0.5072,R:0.2464,A:0.2464',
  'stagecraft.column.l_linestatus.distinct' = '2',
  'stagecraft.column.l_linestatus.top' = 'O:0.5007,F:0.4993',
  'stagecraft.column.l_shipdate.distinct' = '2526',
  'stagecraft.column.l_commitdate.distinct' = '2466',
  'stagecraft.column.l_receiptdate.distinct' = '2554',
  'stagecraft.column.l_shipinstruct.distinct' = '4',
  'stagecraft.column.l_shipinstruct.top' = 'DELIVER IN PERSON:0.25,COLLECT COD:0.25,NONE:0.25,TAKE BACK RETURN:0.25',
  'stagecraft.column.l_shipmode.distinct' = '7',
  'stagecraft.column.l_comment.distinct' = '4580667'
);
