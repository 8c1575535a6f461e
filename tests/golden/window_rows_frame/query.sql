SELECT store_id, order_date, sum(total_amount) OVER (PARTITION BY store_id ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s7 FROM orders
