SELECT /*+ SHUFFLE_HASH(s) */ o.order_id, s.store_name FROM orders o JOIN stores s ON o.store_id = s.store_id
