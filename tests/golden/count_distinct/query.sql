SELECT channel, count(DISTINCT customer_id) FROM orders GROUP BY channel
