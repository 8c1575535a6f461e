SELECT order_id, w FROM orders LATERAL VIEW explode(split(status, '_')) t AS w
