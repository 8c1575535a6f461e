SELECT status, count(*) AS n, sum(total_amount) AS revenue FROM orders GROUP BY status HAVING count(*) > 100
