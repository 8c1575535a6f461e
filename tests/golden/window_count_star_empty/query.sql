SELECT order_id, count(*) OVER () AS n FROM orders
