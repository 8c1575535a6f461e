SELECT order_id FROM orders WHERE total_amount > (SELECT avg(total_amount) FROM orders)
