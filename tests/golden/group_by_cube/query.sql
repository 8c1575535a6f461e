SELECT status, channel, sum(total_amount) AS revenue FROM orders GROUP BY CUBE(status, channel)
