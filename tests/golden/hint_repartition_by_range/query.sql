SELECT /*+ REPARTITION_BY_RANGE(4, order_date) */ order_id, order_date FROM orders
