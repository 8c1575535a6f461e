SELECT store_id, order_date, avg(total_amount) OVER (PARTITION BY store_id ORDER BY order_date RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS a FROM orders
