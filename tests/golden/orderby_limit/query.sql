SELECT order_id, total_amount FROM orders ORDER BY total_amount DESC LIMIT 10
