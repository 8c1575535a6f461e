SELECT order_id, explode(split(status, '_')) AS w FROM orders
