SELECT customer_id FROM orders UNION ALL SELECT customer_id FROM events
