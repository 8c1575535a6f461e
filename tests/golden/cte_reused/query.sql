WITH r AS (SELECT customer_id, sum(total_amount) AS rev FROM orders GROUP BY customer_id) SELECT a.customer_id, a.rev, b.rev FROM r a JOIN r b ON a.customer_id = b.customer_id
