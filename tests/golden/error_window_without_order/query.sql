SELECT order_id,
       rank() OVER (PARTITION BY customer_id) AS r
FROM orders
