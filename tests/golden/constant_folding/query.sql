SELECT order_id, 1 + 2 * 3 AS k FROM orders WHERE 1 = 1 AND total_amount > 10 * 10
