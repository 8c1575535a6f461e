SELECT c.name, o.total_amount FROM orders o JOIN customers c ON o.customer_id = c.customer_id
