SELECT store_id, total_amount, sum(total_amount) OVER (PARTITION BY store_id) AS store_total FROM orders
