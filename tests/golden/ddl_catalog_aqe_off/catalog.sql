SET spark.sql.adaptive.enabled = false;

CREATE TABLE sales (
  id bigint,
  amount double,
  region string,
  day date
) USING parquet
TBLPROPERTIES (
  'spark.sql.statistics.totalSize' = '50000000',
  'stagecraft.rows' = '1000000'
);
