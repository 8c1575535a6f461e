SELECT /*+ REBALANCE(store_id) */ order_id, store_id FROM orders
