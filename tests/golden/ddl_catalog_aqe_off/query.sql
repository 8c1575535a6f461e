SELECT region, sum(amount) AS total FROM sales WHERE day >= DATE '2024-01-01' AND amount > 10 GROUP BY region
