SELECT /*+ REPARTITION(8, status) */ order_id, status FROM orders
