SELECT order_id, lag(total_amount) OVER (PARTITION BY customer_id ORDER BY order_date) AS prev, lead(total_amount, 2) OVER (PARTITION BY customer_id ORDER BY order_date) AS next2 FROM orders
